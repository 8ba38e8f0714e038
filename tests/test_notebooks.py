"""Run every course notebook top to bottom in a fresh kernel; any error or failed assert fails.

The kernel is started from a kernel spec written to a temporary folder that names this very
interpreter (`sys.executable`), so the notebooks import the same installed packages as the tests,
whatever kernels the machine has registered. Needs the `notebooks` extra (nbclient, nbformat,
ipykernel, matplotlib, tqdm).
"""

import json
import os
import sys
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="install the `notebooks` extra")
nbclient = pytest.importorskip("nbclient", reason="install the `notebooks` extra")
pytest.importorskip("ipykernel", reason="install the `notebooks` extra")
pytest.importorskip("matplotlib", reason="install the `notebooks` extra")

from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402 (after the extra checks)
from jupyter_client.manager import AsyncKernelManager  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
KERNEL_NAME = "autograd-core-tests"
# Each notebook must finish within this many seconds in total. The course asks for under 60 s
# on 2 cores; the margin absorbs a slow or busy CI machine and the kernel's start-up.
NOTEBOOK_BUDGET_S = 120


@pytest.fixture(scope="module")
def kernel_specs(tmp_path_factory):
    """A kernel-spec folder holding one spec that launches ipykernel on sys.executable."""
    folder = tmp_path_factory.mktemp("kernels")
    spec_dir = folder / KERNEL_NAME
    spec_dir.mkdir()
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "autograd-core tests",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    return KernelSpecManager(kernel_dirs=[str(folder)], ensure_native_kernel=False)


def test_notebooks_exist():
    assert NOTEBOOKS, f"no notebooks found under {ROOT / 'notebooks'}"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, kernel_specs, monkeypatch):
    # The kernel inherits this environment: no windows for plots, and the repository importable
    # even where the package is not installed.
    monkeypatch.setenv("MPLBACKEND", "Agg")
    # The notebooks' matrices are small: OpenBLAS threads only contend on a busy 2-core machine
    # (measured 615 us vs 52 us for one 50x40 @ 40x298 product in notebook 08).
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    )
    notebook = nbformat.read(path, as_version=4)
    # The asynchronous manager: nbclient's cell timeouts do not fire with the blocking one.
    manager = AsyncKernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=kernel_specs)
    deadline = time.monotonic() + NOTEBOOK_BUDGET_S

    def remaining_time(cell):
        # nbclient's timeout is per cell; handing each cell what is left of the notebook's
        # budget turns it into a timeout for the whole notebook.
        return max(1, int(deadline - time.monotonic()))

    client = nbclient.NotebookClient(
        notebook,
        km=manager,
        timeout_func=remaining_time,
        allow_errors=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        client.execute()
    except nbclient.exceptions.CellTimeoutError as error:
        pytest.fail(f"{path.name} ran past its {NOTEBOOK_BUDGET_S} s budget: {error}")
