"""`python -m autograd_core` runs the command line (the same as the `autograd-core` script).

>>> python -m autograd_core demo --epochs 5
>>> python -m autograd_core verify
"""

import sys

from autograd_core.cli import main

if __name__ == "__main__":
    sys.exit(main())
