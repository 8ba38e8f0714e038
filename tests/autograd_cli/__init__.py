"""Tests of the command line. `run_cli` runs it in a fresh interpreter, as a user would."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args, cwd=ROOT, path=None, pythonpath=()):
    """`python -m autograd_cli *args` in `cwd`, importing this checkout's packages (after the
    folders in `pythonpath`); `path` replaces PATH. Returns the CompletedProcess."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([*map(str, pythonpath), str(ROOT)])
    if path is not None:
        env["PATH"] = str(path)
    return subprocess.run([sys.executable, "-m", "autograd_cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
