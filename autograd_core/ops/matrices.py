"""Building matrices: tril, triu, diag, trace, meshgrid; each composed of where, diagonal,
sum and broadcast_to, whose gradients are masks, diagonals and sums."""

import numpy as np

from ..tensor_base import array_of
from .reduce import sum as _sum
from .select import clone, where
from .shape import Diagonal, EmbedDiagonal, broadcast_to, diagonal, reshape


def _triangle_mask(x, k, op, below):
    shape = np.shape(array_of(x))
    if not shape:
        raise ValueError(f"{op}: needs a tensor with at least one axis, got a scalar")
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"{op}: k must be an int, got {k!r}")
    # NumPy's rule: the last two axes (a 1-D tensor is the row of a square matrix)
    return np.tri(*shape[-2:], k=k if below else k - 1, dtype=bool), np.zeros((), array_of(x).dtype)


def tril(x, k=0):
    """The lower triangle of the last two axes (on and below diagonal k), zeros above, as
    `np.tril`; the gradient passes on the triangle only.

    >>> ag.tril(ag.ones(2, 2))                        # tensor([[1., 0.], [1., 1.]])
    """
    mask, zero = _triangle_mask(x, k, "tril", below=True)
    return where(mask, x, zero)


def triu(x, k=0):
    """The upper triangle of the last two axes (on and above diagonal k), zeros below, as
    `np.triu`.

    >>> ag.triu(ag.ones(2, 2))                        # tensor([[1., 1.], [0., 1.]])
    """
    mask, zero = _triangle_mask(x, k, "triu", below=False)
    return where(mask, zero, x)


def diag(x, k=0):
    """A 1-D tensor's square matrix with it on diagonal `k`, or a 2-D tensor's diagonal `k`
    (a view), as `np.diag`.

    >>> ag.diag(ag.tensor([1.0, 2.0]))                # tensor([[1., 0.], [0., 2.]])
    """
    shape = np.shape(array_of(x))
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"diag: k must be an int, got {k!r}")
    if len(shape) == 2:
        return Diagonal.apply(x, offset=int(k), axis1=0, axis2=1)
    if len(shape) != 1:
        raise ValueError(f"diag: needs a 1-D or 2-D tensor, got shape {shape}")
    n = shape[0] + abs(int(k))
    return EmbedDiagonal.apply(x, shape=(n, n), where=(int(k), 0, 1))


def trace(x, offset=0, axis1=0, axis2=1):
    """The sum of diagonal `offset` of axes `axis1` and `axis2`, as `np.trace`.

    >>> ag.trace(ag.eye(3) * 2.0)                    # tensor(6.)
    """
    shape = np.shape(array_of(x))
    if len(shape) < 2:
        raise ValueError(f"trace: needs a tensor with at least two axes, got shape {shape}")
    return _sum(diagonal(x, offset, axis1, axis2), axis=-1)


def meshgrid(*tensors, indexing="xy", sparse=False, copy=True):
    """Coordinate grids from 1-D coordinate vectors, as `np.meshgrid` (a tuple): "xy" makes
    the first two outputs vary along columns and rows, "ij" along the first and second axes.

    >>> xs, ys = ag.meshgrid(ag.arange(3.0), ag.arange(2.0))   # both of shape (2, 3)
    """
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij', got {indexing!r}")
    ndim = len(tensors)
    ones = (1,) * ndim
    grids = [reshape(t, ones[:i] + (-1,) + ones[i + 1:]) for i, t in enumerate(tensors)]
    if indexing == "xy" and ndim > 1:
        grids[0] = reshape(grids[0], (1, -1) + ones[2:])
        grids[1] = reshape(grids[1], (-1, 1) + ones[2:])
    if not sparse:
        shape = np.broadcast_shapes(*(np.shape(array_of(g)) for g in grids))
        grids = [broadcast_to(g, shape) for g in grids]
    if copy:
        grids = [clone(g) for g in grids]
    return tuple(grids)
