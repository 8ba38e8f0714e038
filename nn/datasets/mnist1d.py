"""MNIST-1D: a small procedural 1-D classification benchmark.

Based on the description in S. Greydanus, "Scaling down deep learning" (2020):
ten fixed 1-D templates are padded, stretched, scaled, translated, sheared and
corrupted with noise, then resampled to a short sequence. This is an independent
NumPy implementation, so samples are not bit-identical to the reference data set.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np

__all__ = ["MNIST1D_TEMPLATES", "make_mnist1d"]

# Raw digit-like shapes, 12 points each, as published for MNIST-1D.
MNIST1D_TEMPLATES: tuple[tuple[float, ...], ...] = (
    (5, 6, 6.5, 6.75, 7, 7, 7, 7, 6.75, 6.5, 6, 5),
    (5, 3, 3, 3.4, 3.8, 4.2, 4.6, 5, 5.4, 5.8, 5, 5),
    (5, 6, 6.5, 6.5, 6, 5.25, 4.75, 4, 3.5, 3.5, 4, 5),
    (5, 6, 6.5, 6.5, 6, 5, 5, 6, 6.5, 6.5, 6, 5),
    (5, 4.4, 3.8, 3.2, 2.6, 2.6, 5, 5, 5, 5, 5, 5),
    (5, 3, 3, 3, 3, 5, 6, 6.5, 6.5, 6, 4.5, 5),
    (5, 4, 3.5, 3.25, 3, 3, 3, 3, 3.25, 3.5, 4, 5),
    (5, 7, 7, 6.6, 6.2, 5.8, 5.4, 5, 4.6, 4.2, 5, 5),
    (5, 4, 3.5, 3.5, 4, 5, 5, 4, 3.5, 3.5, 4, 5),
    (5, 4, 3.5, 3.5, 4, 5, 5, 5, 5, 4.7, 4.3, 5),
)
_SMOOTH_SIGMA = 2.0


def _prepared_templates() -> np.ndarray:
    """Standardise each raw template, pin its first point to 0 and shrink it by 6.

    Every raw template starts and ends at 5, so after the shift both ends sit at
    0 and the shape joins the zero padding without a jump.
    """
    t = np.asarray(MNIST1D_TEMPLATES, dtype=np.float64)
    t = (t - t.mean(axis=1, keepdims=True)) / t.std(axis=1, keepdims=True)
    return (t - t[:, :1]) / 6.0


def _gaussian_smooth_rows(x: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian filter along axis 1 with mirrored edges (like scipy's default)."""
    radius = int(4.0 * sigma + 0.5)
    offsets = np.arange(-radius, radius + 1)
    kernel = np.exp(-0.5 * (offsets / sigma) ** 2)
    kernel /= kernel.sum()
    padded = np.pad(x, ((0, 0), (radius, radius)), mode="symmetric")
    width = x.shape[1]
    out = np.zeros_like(x)
    for k, w in enumerate(kernel):
        out += w * padded[:, k : k + width]
    return out


def _resample_rows(x: np.ndarray, length: int) -> np.ndarray:
    """Linearly interpolate each row onto ``length`` evenly spaced points."""
    pos = np.linspace(0.0, x.shape[1] - 1, length)
    left = np.minimum(np.floor(pos).astype(np.int64), x.shape[1] - 2)
    frac = pos - left
    return x[:, left] * (1.0 - frac) + x[:, left + 1] * frac


def _check_int(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _check_scale(name: str, value: float) -> float:
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def make_mnist1d(
    num_samples: int = 5000,
    seed: int = 0,
    *,
    padding: tuple[int, int] = (36, 60),
    scale_coeff: float = 0.4,
    max_translation: int = 48,
    corr_noise_scale: float = 0.25,
    iid_noise_scale: float = 0.02,
    shear_scale: float = 0.75,
    final_seq_length: int = 40,
    shuffle_labels: bool = False,
    normalize: bool = True,
) -> dict[str, np.ndarray]:
    """Generate the MNIST-1D data set: ``num_samples`` noisy 1-D "digits" in 10 classes.

    Templates: each of the 10 published 12-point shapes (``MNIST1D_TEMPLATES``)
    is standardised (zero mean, unit std), shifted so its first point is 0 and
    divided by 6, as in the reference construction.

    Per sample, in this order (``W = 12 + padding[1]`` is the working length):

    1. pad with ``p ~ U{padding[0]..padding[1]}`` zeros, the template placed at a
       uniform random offset inside the padding;
    2. resample the ``12 + p`` points linearly to ``W`` points, which stretches
       shorter paddings more (a random horizontal dilation);
    3. multiply by ``1 + scale_coeff * (u - 0.5)``, ``u ~ U(0, 1)``;
    4. roll circularly by ``k ~ U{0..max_translation-1}`` places;
    5. replace the background (points the template does not touch) by Gaussian
       noise of std ``corr_noise_scale`` smoothed with a Gaussian kernel of
       width 2 samples, so the template sits on a wandering baseline;
    6. add i.i.d. Gaussian noise of std ``iid_noise_scale`` everywhere;
    7. shear: subtract ``c * linspace(-0.5, 0.5, W)`` with
       ``c = shear_scale * (u - 0.5)``, ``u ~ U(0, 1)``;
    8. resample linearly to ``final_seq_length`` points.

    Labels are ``arange(num_samples) % 10`` shuffled, so classes are balanced to
    within one sample. With ``normalize`` the whole ``x`` is then shifted and
    scaled to mean 0, std 1 (one global mean and std, as in the reference).
    With ``shuffle_labels`` the labels are randomly permuted after ``x`` is made:
    ``x`` is unchanged and the class counts stay the same, but labels no longer
    match the signals (for memorisation / random-label experiments).

    Only ``np.random.default_rng(seed)`` is used, so the output is a pure
    function of the arguments.

    Returns a dict with ``"x"`` float64 (N, final_seq_length), ``"y"`` int64 (N,),
    ``"t"`` float64 (final_seq_length,) the sample positions as fractions of the
    signal length (0 to 1, for plotting) and ``"templates"`` float64 (10, 12) the
    prepared templates.

    Example:
        >>> data = make_mnist1d(num_samples=4000, seed=1)
        >>> data["x"].shape, data["y"].shape
        ((4000, 40), (4000,))
    """
    n = _check_int("num_samples", num_samples, 1)
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    if len(padding) != 2:
        raise ValueError(f"padding must be a pair (low, high), got {padding!r}")
    pad_lo = _check_int("padding[0]", padding[0], 0)
    pad_hi = _check_int("padding[1]", padding[1], pad_lo)
    max_translation = _check_int("max_translation", max_translation, 0)
    final_len = _check_int("final_seq_length", final_seq_length, 2)
    scale_coeff = _check_scale("scale_coeff", scale_coeff)
    corr_noise_scale = _check_scale("corr_noise_scale", corr_noise_scale)
    iid_noise_scale = _check_scale("iid_noise_scale", iid_noise_scale)
    shear_scale = _check_scale("shear_scale", shear_scale)

    templates = _prepared_templates()
    n_classes, tlen = templates.shape
    width = tlen + pad_hi
    rng = np.random.default_rng(seed)

    # All random numbers are drawn up front, in a fixed order.
    y = rng.permutation(np.arange(n, dtype=np.int64) % n_classes)
    pad = rng.integers(pad_lo, pad_hi + 1, size=n)
    offset = rng.integers(0, pad + 1)
    scale = 1.0 + scale_coeff * (rng.random(n) - 0.5)
    shift = rng.integers(0, max_translation, size=n) if max_translation else np.zeros(n, int)
    corr = corr_noise_scale * rng.standard_normal((n, width))
    iid = iid_noise_scale * rng.standard_normal((n, width))
    shear = shear_scale * (rng.random(n) - 0.5)

    # Steps 1-2 in one go: sample the zero-padded template at W evenly spaced
    # positions along its 12 + p points. Position u relative to the template's
    # first point falls on the template when -1 < u < 12.
    grid = np.arange(-1, tlen + 1, dtype=np.float64)
    span = (tlen + pad - 1)[:, None] * np.linspace(0.0, 1.0, width)[None, :]
    u = span - offset[:, None]
    x = np.empty((n, width))
    for k in range(n_classes):
        rows = y == k
        padded = np.concatenate([[0.0], templates[k], [0.0]])
        x[rows] = np.interp(u[rows], grid, padded)
    on_template = (u > -1) & (u < tlen)

    x *= scale[:, None]
    roll = (np.arange(width)[None, :] - shift[:, None]) % width
    x = np.take_along_axis(x, roll, axis=1)
    on_template = np.take_along_axis(on_template, roll, axis=1)
    x = np.where(on_template, x, _gaussian_smooth_rows(corr, _SMOOTH_SIGMA))
    x += iid
    x -= shear[:, None] * np.linspace(-0.5, 0.5, width)[None, :]
    x = _resample_rows(x, final_len)

    if normalize:
        std = x.std()
        x = (x - x.mean()) / (std if std > 0 else 1.0)
    if shuffle_labels:
        y = rng.permutation(y)
    return {
        "x": x,
        "y": y,
        "t": np.linspace(0.0, 1.0, final_len),
        "templates": templates,
    }
