"""Random input values for finite-difference checks, drawn away from kinks and singularities.

>>> rng = np.random.default_rng(0)
>>> positive(rng, (3, 4))          # safe for log and sqrt
>>> spaced(rng, (3, 4))            # no ties for max and min to split

Central differences with step eps are meaningless within eps of a kink (relu and abs at 0, a tie
of max, a clip bound) or a singularity (log and sqrt at 0). `verify`'s tables and the test suite
draw their inputs from here. Plain NumPy: each returns a float64 array of the given shape.
"""

import numpy as np


def normal(rng, shape):
    """Standard normal values: for ops that are smooth everywhere.

    >>> normal(np.random.default_rng(0), (2, 3)).shape
    (2, 3)
    """
    return rng.standard_normal(shape)


def positive(rng, shape):
    """Values in [0.5, 2]: away from the singularity of log, sqrt and a power's base at 0.

    >>> bool((positive(np.random.default_rng(0), (5,)) >= 0.5).all())
    True
    """
    return rng.uniform(0.5, 2.0, shape)


def nonzero(rng, shape):
    """Magnitudes in [0.3, 2] with random signs: away from the kinks of relu and abs.

    >>> bool((abs(nonzero(np.random.default_rng(0), (5,))) >= 0.3).all())
    True
    """
    return rng.uniform(0.3, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


def spaced(rng, shape):
    """Distinct values at least 0.3 apart: max and min have no ties to split.

    >>> bool(np.diff(np.sort(spaced(np.random.default_rng(0), (6,)))).min() >= 0.3)
    True
    """
    size = int(np.prod(shape, dtype=int))
    return ((rng.permutation(size) - size / 2) * 0.5 + rng.uniform(-0.1, 0.1, size)).reshape(shape)


def interleaved(rng, shape):
    """Two operands at least 0.4 apart everywhere, in random order (maximum, minimum).

    >>> a, b = interleaved(np.random.default_rng(0), (3,))
    >>> bool((abs(a - b) >= 0.4).all())
    True
    """
    a = 2.0 * rng.integers(-2, 3, shape) + rng.uniform(-0.3, 0.3, shape)
    b = 2.0 * rng.integers(-2, 3, shape) + 1.0 + rng.uniform(-0.3, 0.3, shape)
    return a, b


def away_from_half_integers(rng, shape):
    """At least 0.1 from every multiple of 0.5: clip bounds at +-0.5 are never straddled.

    >>> x = away_from_half_integers(np.random.default_rng(0), (5,))
    >>> bool((abs(x * 2 - np.round(x * 2)) >= 0.2).all())
    True
    """
    return 0.5 * rng.integers(-4, 4, shape) + 0.25 + rng.uniform(-0.15, 0.15, shape)


def inside_unit(rng, shape):
    """Values in [-0.8, 0.8]: inside the domain of arcsin, arccos and arctanh, away from +-1.

    >>> bool((abs(inside_unit(np.random.default_rng(0), (5,))) <= 0.8).all())
    True
    """
    return rng.uniform(-0.8, 0.8, shape)


def above_one(rng, shape):
    """Values in [1.3, 3]: inside the domain of arccosh, away from its singularity at 1.

    >>> bool((above_one(np.random.default_rng(0), (5,)) >= 1.3).all())
    True
    """
    return rng.uniform(1.3, 3.0, shape)


def quotient_pair(rng, shape_x, shape_y, margin=0.02):
    """x and y whose quotients (broadcast) are at least `margin` from every integer, with
    |y| in [0.5, 2]: mod, fmod and the rounded divisions jump where x / y is whole.

    >>> x, y = quotient_pair(np.random.default_rng(0), (3, 1), (4,))
    >>> q = x / y; bool((abs(q - np.round(q)) >= 0.02).all())
    True
    """
    y = rng.uniform(0.5, 2.0, shape_y) * rng.choice([-1.0, 1.0], shape_y)
    while True:  # each draw succeeds with probability (1 - 2 margin) ** (number of quotients)
        x = rng.uniform(-4.0, 4.0, shape_x)
        q = x / y
        if np.all(np.abs(q - np.round(q)) >= margin):
            return x, y
# -- matrices (the last two axes; leading axes are a batch) -------------------------------------
# Linear algebra has its own singularities: a singular matrix for inv, det's second derivative
# and solve; repeated eigenvalues or singular values for the vectors of eigh and svd. These
# draw each factor directly, so the distance to a singularity is known.
def orthogonal(rng, shape):
    """Random orthogonal matrices of shape (..., n, n) (Haar-distributed).

    >>> q = orthogonal(np.random.default_rng(0), (3, 3))
    >>> bool(np.allclose(q @ q.T, np.eye(3)))
    True
    """
    q, r = np.linalg.qr(rng.standard_normal(shape))
    return q * np.sign(np.diagonal(r, axis1=-2, axis2=-1))[..., None, :]


def with_singular_values(rng, shape, s):
    """Matrices of shape (..., m, n) with singular values `s` (..., min(m, n)) and random
    singular vectors."""
    m, n = shape[-2:]
    k = min(m, n)
    u = orthogonal(rng, shape[:-2] + (m, m))[..., :k]
    v = orthogonal(rng, shape[:-2] + (n, n))[..., :k]
    return (u * s[..., None, :]) @ np.swapaxes(v, -1, -2)


def invertible(rng, shape):
    """Square matrices with singular values in [0.5, 2]: condition number at most 4.

    >>> s = np.linalg.svd(invertible(np.random.default_rng(0), (3, 3)), compute_uv=False)
    >>> bool(s.min() >= 0.5 and s.max() <= 2)
    True
    """
    return with_singular_values(rng, shape, rng.uniform(0.5, 2.0, shape[:-1]))


def distinct_singular_values(rng, shape):
    """Matrices (..., m, n) whose singular values are at least 0.5 apart and at least 0.5.

    >>> s = np.linalg.svd(distinct_singular_values(np.random.default_rng(0), (4, 3)),
    ...                   compute_uv=False)
    >>> bool(np.diff(s).max() <= -0.5 and s.min() >= 0.5)
    True
    """
    k = min(shape[-2:])
    steps = rng.uniform(0.6, 0.9, shape[:-2] + (k,))
    return with_singular_values(rng, shape, np.cumsum(steps, axis=-1)[..., ::-1])


def positive_definite(rng, shape):
    """Symmetric matrices (..., n, n) with eigenvalues in [0.5, 2].

    >>> bool(np.linalg.eigvalsh(positive_definite(np.random.default_rng(0), (3, 3))).min() > 0)
    True
    """
    q = orthogonal(rng, shape)
    return (q * rng.uniform(0.5, 2.0, shape[:-1])[..., None, :]) @ np.swapaxes(q, -1, -2)


def distinct_eigenvalues(rng, shape):
    """Symmetric matrices (..., n, n) whose eigenvalues (of both signs) are at least 0.6 apart.

    >>> w = np.linalg.eigvalsh(distinct_eigenvalues(np.random.default_rng(0), (4, 4)))
    >>> bool(np.diff(w).min() >= 0.6)
    True
    """
    n = shape[-1]
    w = np.arange(n) - (n - 1) / 2 + rng.uniform(-0.2, 0.2, shape[:-1])
    q = orthogonal(rng, shape)
    return (q * w[..., None, :]) @ np.swapaxes(q, -1, -2)
