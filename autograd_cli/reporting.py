"""What every training command shares: the output folder, a progress bar when tqdm is there,
loss curves when matplotlib is there, and counted nouns.

>>> bar = progress(total=100, desc="train")          # tqdm's bar, or a quiet stand-in
>>> write_curves({"train": (steps, losses)}, out / "loss.png", ylabel="cross entropy")
"""

import os


def count(number, noun):
    """`1 epoch`, `30 epochs`."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def prepare_output(out):
    """Create the output folder and make sure a file can be written there (raises OSError)."""
    out.mkdir(parents=True, exist_ok=True)
    probe = out / f".autograd-core-write-test-{os.getpid()}"
    probe.write_bytes(b"")
    probe.unlink()


def progress_bar_class():
    """tqdm's class, or None when the `demo` extra is not installed."""
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm


class _Quiet:
    """What a command updates when there is no tqdm: nothing to draw."""

    def update(self, n=1):
        pass

    def set_postfix(self, *args, **kwargs):
        pass

    def close(self):
        pass


def progress(total, desc, unit="step", enabled=True):
    """A tqdm bar of `total` steps, or a stand-in that does nothing (no tqdm, or disabled)."""
    tqdm = progress_bar_class() if enabled else None
    if tqdm is None:
        return _Quiet()
    return tqdm(total=total, desc=desc, unit=unit, dynamic_ncols=True)


def write_curves(curves, path, ylabel, xlabel="step", title=None, logy=False):
    """One figure of several curves, {label: (x, y)}, saved to `path`; False without
    matplotlib (the caller says so), True once written."""
    try:
        from matplotlib.figure import Figure  # no pyplot: no GUI backend, no global state
    except ImportError:
        return False
    figure = Figure(figsize=(5.5, 3.5), layout="constrained")
    axes = figure.add_subplot()
    for label, (x, y) in curves.items():
        axes.plot(x, y, label=label)
    axes.set(xlabel=xlabel, ylabel=ylabel, title=title or "")
    if logy:
        axes.set_yscale("log")
    axes.grid(alpha=0.3)
    axes.legend()
    figure.savefig(path, dpi=120)
    return True
