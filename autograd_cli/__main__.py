"""`python -m autograd_cli` runs the command line (the same as the `autograd-core` script).

>>> python -m autograd_cli demo --epochs 5
>>> python -m autograd_cli verify
"""

import sys

from autograd_cli.commands import main

if __name__ == "__main__":
    sys.exit(main())
