"""`python -m benchmarks`: see run.py for the options.

The thread count must reach OpenBLAS (through NumPy) and PyTorch before either is imported,
so `--threads` is read here, ahead of everything else, and passed on through the environment
(W3's subprocesses inherit it).
"""

import os
import sys


def _threads(argv):
    for i, arg in enumerate(argv):
        if arg == "--threads" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--threads="):
            return arg.split("=", 1)[1]
    return "1"


threads = _threads(sys.argv[1:])
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = threads

from .run import main  # noqa: E402  (after the thread count is in the environment)

raise SystemExit(main())
