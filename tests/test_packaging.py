"""The front door's plumbing: `make` installs once, the metadata builds without deprecations."""

import os
import re
import shutil
import subprocess
import sys
import time

import autograd_core
from tests.autograd_cli import ROOT

INSTALL = "-m pip install --quiet -e .[dev,demo,notebooks,mnist1d]"
# Stands in for .venv/bin/python and .venv/bin/autograd-core: logs each call; `pip install`
# fails while the file `offline` exists, as it would without network.
FAKE_PROGRAM = """#!/bin/sh
echo "$0 $*" >> calls.log
case "$*" in *"pip install"*) [ -e offline ] && exit 1;; esac
exit 0
"""


def make(folder, target):
    result = subprocess.run(["make", "--no-print-directory", target], cwd=folder,
                            capture_output=True, text=True, timeout=60)
    calls = (folder / "calls.log").read_text() if (folder / "calls.log").exists() else ""
    (folder / "calls.log").unlink(missing_ok=True)
    return result, calls


def fake_checkout(tmp_path):
    """The Makefile and pyproject.toml, with a .venv whose programs only log their calls."""
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    bin_folder = tmp_path / ".venv" / "bin"
    bin_folder.mkdir(parents=True)
    for program in ("python", "autograd-core"):
        (bin_folder / program).write_text(FAKE_PROGRAM)
        (bin_folder / program).chmod(0o755)
    return tmp_path


def test_make_installs_once_and_again_only_when_pyproject_changes(tmp_path):
    folder = fake_checkout(tmp_path)
    result, calls = make(folder, "test")
    assert result.returncode == 0, result.stderr
    assert calls.count(INSTALL) == 1 and calls.count("-m pytest") == 1, calls

    (folder / "offline").touch()  # a second run needs no network: it installs nothing
    for target, command in (("test", "python -m pytest"), ("demo", "autograd-core demo"),
                            ("verify", "autograd-core verify")):
        result, calls = make(folder, target)
        assert result.returncode == 0, (target, result.stderr)
        assert "pip install" not in calls and calls.strip().endswith(command), calls

    later = time.time() + 5
    os.utime(folder / "pyproject.toml", (later, later))
    result, calls = make(folder, "test")
    assert result.returncode != 0 and calls.count(INSTALL) == 1, calls  # tried, offline
    assert not re.search(r"pytest", calls), calls
    (folder / "offline").unlink()
    result, calls = make(folder, "test")  # a failed install left no stamp: it tries again
    assert result.returncode == 0 and calls.count(INSTALL) == 1, calls


def test_the_metadata_builds_with_an_spdx_license_and_no_deprecation(tmp_path):
    """setuptools reads pyproject.toml without a warning; the license is an SPDX expression
    with its file, and the version is autograd_core.__version__."""
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert int(re.search(r'^requires = \["setuptools>=(\d+)"\]', pyproject, re.M).group(1)) >= 77
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, tmp_path / name)
    for package in ("autograd_core", "autograd_cli", "nn", "optim"):
        (tmp_path / package).mkdir()
        shutil.copy(ROOT / package / "__init__.py", tmp_path / package / "__init__.py")
    (tmp_path / "meta").mkdir()
    build = ("from setuptools import build_meta; "
             "print(build_meta.prepare_metadata_for_build_wheel('meta'))")
    result = subprocess.run([sys.executable, "-c", build], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120, env={**os.environ, "PYTHONWARNINGS": "always"})
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "Deprecat" in line]
    assert not warnings, "\n".join(warnings)
    metadata = (tmp_path / "meta" / result.stdout.split()[-1] / "METADATA").read_text()
    assert "License-Expression: MIT" in metadata.splitlines()
    assert "License-File: LICENSE" in metadata.splitlines()
    assert f"Version: {autograd_core.__version__}" in metadata.splitlines()
