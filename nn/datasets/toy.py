"""Small synthetic data sets for demos: 2-D classification and 1-D regression."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np

__all__ = ["make_linear_regression", "make_moons", "make_regression_1d", "make_spirals"]

# Fixed Gabor parameters for make_regression_1d(kind="gabor"): u = PHI0 + 0.06 * PHI1 * x.
GABOR_PHI0 = 0.0
GABOR_PHI1 = 10.0

_REGRESSION_KINDS = ("sine", "step", "abs", "gabor")


def _check_count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _check_noise(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not value >= 0:
        raise ValueError(f"noise must be a number >= 0, got {value!r}")
    if not np.isfinite(value):
        raise ValueError(f"noise must be finite, got {value!r}")
    return float(value)


def make_moons(
    n_samples: int = 200, noise: float = 0.1, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles in 2-D, with Gaussian noise, in shuffled order.

    Class 0 is the upper arc ``(cos a, sin a)`` and class 1 the lower arc
    ``(1 - cos a, 0.5 - sin a)``, ``a`` evenly spaced in ``[0, pi]``; class 0
    gets ``n_samples // 2`` points and class 1 the rest. ``noise`` is the std of
    the Gaussian added to each coordinate.

    Example:
        >>> X, y = make_moons(100, noise=0.05, seed=3)
        >>> X.shape, sorted(set(y.tolist()))
        ((100, 2), [0, 1])
    """
    n = _check_count("n_samples", n_samples)
    noise = _check_noise(noise)
    rng = np.random.default_rng(seed)
    n_upper = n // 2
    n_lower = n - n_upper
    a_up = np.linspace(0.0, np.pi, n_upper)
    a_low = np.linspace(0.0, np.pi, n_lower)
    upper = np.stack([np.cos(a_up), np.sin(a_up)], axis=1)
    lower = np.stack([1.0 - np.cos(a_low), 0.5 - np.sin(a_low)], axis=1)
    X = np.concatenate([upper, lower]) + noise * rng.standard_normal((n, 2))
    y = np.concatenate([np.zeros(n_upper, np.int64), np.ones(n_lower, np.int64)])
    perm = rng.permutation(n)
    return X[perm], y[perm]


def make_spirals(
    n_samples: int = 300, n_classes: int = 3, noise: float = 0.2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms in 2-D, one arm per class, in shuffled order.

    Arm ``c`` has points at radius ``r`` evenly spaced in ``[0, 1]`` and angle
    ``4 * (c + r) + noise * N(0, 1)`` (radians), at ``(r sin angle, r cos angle)``.
    The samples are shared out as evenly as possible (the first
    ``n_samples % n_classes`` arms get one extra point).

    Example:
        >>> X, y = make_spirals(300, n_classes=3, seed=0)
        >>> X.shape, int(y.max())
        ((300, 2), 2)
    """
    n = _check_count("n_samples", n_samples)
    k = _check_count("n_classes", n_classes)
    noise = _check_noise(noise)
    if n < k:
        raise ValueError(f"n_samples ({n}) must be at least n_classes ({k})")
    rng = np.random.default_rng(seed)
    sizes = [n // k + (1 if c < n % k else 0) for c in range(k)]
    points, labels = [], []
    for c, size in enumerate(sizes):
        r = np.linspace(0.0, 1.0, size)
        angle = 4.0 * (c + r) + noise * rng.standard_normal(size)
        points.append(np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1))
        labels.append(np.full(size, c, dtype=np.int64))
    X = np.concatenate(points)
    y = np.concatenate(labels)
    perm = rng.permutation(n)
    return X[perm], y[perm]


def _target(kind: str, x: np.ndarray) -> np.ndarray:
    if kind == "sine":
        return np.sin(2.0 * np.pi * x)
    if kind == "step":
        return (x >= 0).astype(np.float64)
    if kind == "abs":
        return np.abs(x)
    u = GABOR_PHI0 + 0.06 * GABOR_PHI1 * x
    return np.sin(u) * np.exp(-(u**2) / 8.0)


def make_regression_1d(
    n_samples: int = 100, kind: str = "sine", noise: float = 0.1, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Noisy samples of a 1-D function, for function-approximation demos.

    ``x`` is drawn uniformly and returned sorted; ``y = f(x) + noise * N(0, 1)``:

    - ``"sine"``: ``sin(2 pi x)`` on ``[-1, 1]`` (two periods);
    - ``"step"``: ``0`` for ``x < 0`` and ``1`` for ``x >= 0`` on ``[-1, 1]``;
    - ``"abs"``: ``|x|`` on ``[-1, 1]``;
    - ``"gabor"``: ``sin(u) exp(-u^2 / 8)`` with ``u = phi0 + 0.06 phi1 x`` on
      ``[-15, 15]``, using the fixed ``phi0 = GABOR_PHI0 = 0`` and
      ``phi1 = GABOR_PHI1 = 10`` (a wave packet that dies out for ``|x| > ~8``).

    Returns ``x`` and ``y``, both float64 of shape (n_samples, 1).

    Example:
        >>> x, y = make_regression_1d(50, kind="gabor", noise=0.0)
        >>> x.shape, y.shape
        ((50, 1), (50, 1))
    """
    n = _check_count("n_samples", n_samples)
    if kind not in _REGRESSION_KINDS:
        raise ValueError(f"kind must be one of {_REGRESSION_KINDS}, got {kind!r}")
    noise = _check_noise(noise)
    rng = np.random.default_rng(seed)
    half_width = 15.0 if kind == "gabor" else 1.0
    x = np.sort(rng.uniform(-half_width, half_width, size=n))
    y = _target(kind, x) + noise * rng.standard_normal(n)
    return x[:, None], y[:, None]


def make_linear_regression(
    n_samples: int = 100000, n_features: int = 1, noise: float = 0.1, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Data from a random linear model ``y = X @ true_w + true_b + noise * N(0, 1)``.

    ``X`` has i.i.d. standard-normal entries; ``true_w`` and ``true_b`` are also
    drawn from N(0, 1). Returns ``X`` (n_samples, n_features), ``y``
    (n_samples, 1), ``true_w`` (n_features, 1) and ``true_b`` (a float), so a
    least-squares fit should recover ``true_w`` and ``true_b`` up to the noise.

    Example:
        >>> X, y, w, b = make_linear_regression(1000, n_features=3, noise=0.0)
        >>> bool(np.allclose(X @ w + b, y))
        True
    """
    n = _check_count("n_samples", n_samples)
    f = _check_count("n_features", n_features)
    noise = _check_noise(noise)
    rng = np.random.default_rng(seed)
    true_w = rng.standard_normal((f, 1))
    true_b = float(rng.standard_normal())
    X = rng.standard_normal((n, f))
    y = X @ true_w + true_b + noise * rng.standard_normal((n, 1))
    return X, y, true_w, true_b
