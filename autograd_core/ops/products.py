"""Products of two tensors with NumPy's meanings: outer, inner, dot, tensordot, kron, cross.
tensordot is NumPy's own algorithm (transpose, reshape, one matrix product); the others are
tensordot, broadcasting multiplication or components, so every gradient comes from matmul,
multiply, reshape and transpose."""

import numpy as np

from ..tensor_base import array_of
from .arithmetic import multiply, subtract
from .common import one_axis
from .index import getitem
from .join import stack
from .linalg import matmul
from .shape import broadcast_to, moveaxis, reshape, transpose


def _shape(x):
    return np.shape(array_of(x))


def outer(a, b):
    """out[i, j] = a[i] * b[j], both flattened first, as `np.outer`.

    >>> ag.outer(ag.tensor([1.0, 2.0]), ag.tensor([1.0, 10.0]))   # [[1, 10], [2, 20]]
    """
    return multiply(reshape(a, (-1, 1)), reshape(b, (1, -1)))


def inner(a, b):
    """The sum over the last axes of a and b, as `np.inner` (a scalar factor multiplies).

    >>> ag.inner(ag.tensor([1.0, 2.0]), ag.tensor([3.0, 4.0]))    # tensor(11.)
    """
    shape_a, shape_b = _shape(a), _shape(b)
    if not shape_a or not shape_b:
        return multiply(a, b)
    if shape_a[-1] != shape_b[-1]:
        raise ValueError(f"inner: the last axes of shapes {shape_a} and {shape_b} differ "
                         f"({shape_a[-1]} != {shape_b[-1]})")
    return tensordot(a, b, ([-1], [-1]))


def dot(a, b):
    """NumPy's dot: a product for scalars, the sum of products for vectors, the matrix product
    for matrices, and for N-D the sum over a's last axis and b's second-to-last.

    >>> ag.dot(ag.tensor([1.0, 2.0]), ag.tensor([3.0, 4.0]))      # tensor(11.)
    """
    shape_a, shape_b = _shape(a), _shape(b)
    if not shape_a or not shape_b:
        return multiply(a, b)
    along_b = -1 if len(shape_b) == 1 else -2
    if shape_a[-1] != shape_b[along_b]:
        raise ValueError(f"dot: shapes {shape_a} and {shape_b} are not aligned: {shape_a[-1]} "
                         f"(last axis of a) != {shape_b[along_b]} (axis {along_b} of b)")
    return tensordot(a, b, ([-1], [along_b]))


def tensordot(a, b, axes=2):
    """The sum of products over `axes` of a and b, as `np.tensordot`: an int n means a's last
    n axes with b's first n; a pair of sequences names them.

    >>> ag.tensordot(ag.ones(2, 3, 4), ag.ones(3, 4, 5)).shape    # (2, 5)
    """
    shape_a, shape_b = _shape(a), _shape(b)
    axes_a, axes_b = _contracted(axes, shape_a, shape_b)
    free_a = [d for d in range(len(shape_a)) if d not in axes_a]
    free_b = [d for d in range(len(shape_b)) if d not in axes_b]
    def count(shape, dims):
        return int(np.prod([shape[d] for d in dims], dtype=np.int64))

    size = count(shape_a, axes_a)
    left = reshape(transpose(a, free_a + axes_a), (count(shape_a, free_a), size))
    right = reshape(transpose(b, axes_b + free_b), (size, count(shape_b, free_b)))
    return reshape(matmul(left, right),
                   tuple(shape_a[d] for d in free_a) + tuple(shape_b[d] for d in free_b))


def _contracted(axes, shape_a, shape_b):
    """tensordot's axes as two lists of non-negative axes of equal lengths, checked."""
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        if n < 0 or n > min(len(shape_a), len(shape_b)):
            raise ValueError(f"tensordot: axes={n} does not fit shapes {shape_a} and {shape_b}")
        axes = (list(range(len(shape_a) - n, len(shape_a))), list(range(n)))
    try:
        axes_a, axes_b = axes
    except (TypeError, ValueError):
        raise ValueError(f"tensordot: axes must be an int or a pair of axis lists, got "
                         f"{axes!r}") from None
    axes_a = [axes_a] if isinstance(axes_a, (int, np.integer)) else list(axes_a)
    axes_b = [axes_b] if isinstance(axes_b, (int, np.integer)) else list(axes_b)
    if len(axes_a) != len(axes_b):
        raise ValueError(f"tensordot: {len(axes_a)} axes of a but {len(axes_b)} of b")
    axes_a = [one_axis(d, shape_a, "tensordot", "axes of a") for d in axes_a]
    axes_b = [one_axis(d, shape_b, "tensordot", "axes of b") for d in axes_b]
    for d, e in zip(axes_a, axes_b):
        if shape_a[d] != shape_b[e]:
            raise ValueError(f"tensordot: shape mismatch for the sum: axis {d} of {shape_a} "
                             f"has length {shape_a[d]}, axis {e} of {shape_b} {shape_b[e]}")
    return axes_a, axes_b


def kron(a, b):
    """The Kronecker product, as `np.kron`: blocks a[i, j] * b.

    >>> ag.kron(ag.eye(2), ag.ones(2, 2)).shape       # (4, 4)
    """
    shape_a, shape_b = _shape(a), _shape(b)
    ndim = max(len(shape_a), len(shape_b))
    shape_a = (1,) * (ndim - len(shape_a)) + shape_a
    shape_b = (1,) * (ndim - len(shape_b)) + shape_b
    # a as (a0, 1, a1, 1, ...) times b as (1, b0, 1, b1, ...): blocks (a0, b0, a1, b1, ...)
    spread_a = reshape(a, tuple(n for size in shape_a for n in (size, 1)))
    spread_b = reshape(b, tuple(n for size in shape_b for n in (1, size)))
    return reshape(multiply(spread_a, spread_b),
                   tuple(m * n for m, n in zip(shape_a, shape_b)))


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """The cross product of 3-vectors (or 2-vectors, taken with z = 0) along the given axes,
    broadcast over the others, as `np.cross`; two 2-vectors give the z component only.

    >>> ag.cross(ag.tensor([1.0, 0.0, 0.0]), ag.tensor([0.0, 1.0, 0.0]))   # [0., 0., 1.]
    """
    if axis is not None:
        axisa = axisb = axisc = axis
    shape_a, shape_b = _shape(a), _shape(b)
    axisa = one_axis(axisa, shape_a, "cross", "axisa")
    axisb = one_axis(axisb, shape_b, "cross", "axisb")
    n, m = shape_a[axisa], shape_b[axisb]
    if n not in (2, 3) or m not in (2, 3):
        raise ValueError(f"cross: the vectors must have 2 or 3 components, got shapes "
                         f"{shape_a} and {shape_b} (axisa={axisa}, axisb={axisb})")
    try:
        others = np.broadcast_shapes(shape_a[:axisa] + shape_a[axisa + 1:],
                                     shape_b[:axisb] + shape_b[axisb + 1:])
    except ValueError:
        raise ValueError(f"cross: shapes {shape_a} and {shape_b} do not broadcast") from None
    if n == 3 or m == 3:
        one_axis(axisc, others + (3,), "cross", "axisc")
    a, b = moveaxis(a, axisa, -1), moveaxis(b, axisb, -1)
    a0, a1, a2 = (getitem(a, (Ellipsis, i)) if i < n else 0.0 for i in range(3))
    b0, b1, b2 = (getitem(b, (Ellipsis, i)) if i < m else 0.0 for i in range(3))
    z = subtract(multiply(a0, b1), multiply(a1, b0))
    if n == m == 2:
        return z
    x = subtract(multiply(a1, b2), multiply(a2, b1))
    y = subtract(multiply(a2, b0), multiply(a0, b2))
    shape = np.broadcast_shapes(*(_shape(c) for c in (x, y, z)))
    result = stack([broadcast_to(c, shape) for c in (x, y, z)], axis=-1)
    return moveaxis(result, -1, one_axis(axisc, _shape(result), "cross", "axisc"))
