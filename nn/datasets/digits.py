"""The 8x8 UCI handwritten digits, shipped with the package, and a deterministic split helper."""

from __future__ import annotations

from importlib import resources
from numbers import Integral, Real

import numpy as np

__all__ = ["load_digits", "train_test_split"]

_DIGITS_FILE = "digits.npz"


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """Load the 1797 8x8 handwritten digit images bundled in ``nn/datasets/data``.

    This is the test part of the UCI "Optical Recognition of Handwritten Digits"
    data set (E. Alpaydin, C. Kaynak, 1998; CC BY 4.0). Each pixel counts the
    "on" pixels of a 4x4 block of the original 32x32 bitmap, so it lies in 0..16.
    No network access or extra package is needed; see ``data/README.md``.

    Returns:
        ``images``: float64 array of shape (1797, 8, 8) with values 0..16, and
        ``labels``: int64 array of shape (1797,) with values 0..9.

    Example:
        >>> images, labels = load_digits()
        >>> images.shape, labels.shape
        ((1797, 8, 8), (1797,))
    """
    ref = resources.files(__package__).joinpath("data", _DIGITS_FILE)
    with ref.open("rb") as fh, np.load(fh, allow_pickle=False) as data:
        images = data["images"].astype(np.float64)
        labels = data["labels"].astype(np.int64)
    if images.shape != (1797, 8, 8) or labels.shape != (1797,):
        raise ValueError(
            f"bundled {_DIGITS_FILE} is damaged: images {images.shape}, labels {labels.shape}"
        )
    return images, labels


def _stratified_test_indices(
    labels: np.ndarray, n_test: int, rng: np.random.Generator
) -> np.ndarray:
    """Pick ``n_test`` indices so that every class keeps its share of the data."""
    classes, inverse, counts = np.unique(labels, return_inverse=True, return_counts=True)
    quota = counts * (n_test / labels.shape[0])
    per_class = np.floor(quota).astype(np.int64)
    # Largest-remainder rounding: the per-class numbers add up to exactly n_test,
    # with ties broken towards the earlier class so the result is deterministic.
    shortfall = n_test - int(per_class.sum())
    order = np.argsort(-(quota - per_class), kind="stable")
    per_class[order[:shortfall]] += 1
    chosen = []
    for k in range(classes.shape[0]):
        members = np.flatnonzero(inverse == k)
        chosen.append(rng.permutation(members)[: per_class[k]])
    return np.concatenate(chosen)


def train_test_split(
    *arrays: np.ndarray,
    test_fraction: float = 0.2,
    seed: int = 0,
    stratify: np.ndarray | None = None,
) -> list[np.ndarray]:
    """Split arrays along their first axis into random train and test parts.

    The split is deterministic: it depends only on the lengths, ``test_fraction``,
    ``seed`` and ``stratify``. The test part has ``ceil(test_fraction * n)`` rows.
    Without ``stratify`` the rows come from ``np.random.default_rng(seed).permutation(n)``
    (the first ``n_test`` go to the test part). With ``stratify=labels`` each class
    contributes a share of the test rows proportional to its size (largest-remainder
    rounding), drawn at random within the class; both parts are then shuffled.

    Returns NumPy arrays in the scikit-learn order
    ``[a_train, a_test, b_train, b_test, ...]``.

    Example:
        >>> images, labels = load_digits()
        >>> x_tr, x_te, y_tr, y_te = train_test_split(images, labels, stratify=labels)
    """
    if not arrays:
        raise ValueError("train_test_split needs at least one array")
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, Real):
        raise ValueError(f"test_fraction must be a number in (0, 1), got {test_fraction!r}")
    if not 0.0 < float(test_fraction) < 1.0:
        raise ValueError(f"test_fraction must be in the open interval (0, 1), got {test_fraction}")
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise ValueError(f"seed must be an integer, got {seed!r}")

    arrays_np = [np.asarray(a) for a in arrays]
    for a in arrays_np:
        if a.ndim == 0:
            raise ValueError("train_test_split cannot split a 0-d array")
    lengths = [a.shape[0] for a in arrays_np]
    if len(set(lengths)) != 1:
        raise ValueError(f"all arrays must have the same length, got lengths {lengths}")
    n = lengths[0]
    if stratify is not None:
        stratify = np.asarray(stratify)
        if stratify.ndim != 1 or stratify.shape[0] != n:
            raise ValueError(
                f"stratify must be 1-D with one label per row: got shape {stratify.shape} "
                f"for arrays of length {n}"
            )

    n_test = int(np.ceil(float(test_fraction) * n))
    n_train = n - n_test
    if n_test < 1 or n_train < 1:
        raise ValueError(
            f"test_fraction={test_fraction} with {n} rows leaves {n_train} train and "
            f"{n_test} test rows; both parts must be non-empty"
        )

    rng = np.random.default_rng(seed)
    if stratify is None:
        perm = rng.permutation(n)
        test_idx, train_idx = perm[:n_test], perm[n_test:]
    else:
        test_idx = _stratified_test_indices(stratify, n_test, rng)
        is_test = np.zeros(n, dtype=bool)
        is_test[test_idx] = True
        # Shuffle so that neither part comes out sorted by class.
        test_idx = rng.permutation(test_idx)
        train_idx = rng.permutation(np.flatnonzero(~is_test))

    out: list[np.ndarray] = []
    for a in arrays_np:
        out.extend((a[train_idx], a[test_idx]))
    return out
