"""Norms: vector_norm, matrix_norm and NumPy's norm(x, ord, axis), which picks between them.

One primitive, VectorNorm, for the p-norms; every other order is composed from ops whose
gradient conventions it inherits (API.md):
    vector ord  inf: max |x|     -inf: min |x|      (ties split the gradient evenly)
                0: the count of nonzero entries, piecewise constant: no history
    matrix ord  'fro': the 2-norm of the entries    'nuc': the sum of the singular values
                2 / -2: the largest / smallest singular value
                1 / -1: max / min over columns of the column sums of |x|
                inf / -inf: max / min over rows of the row sums of |x|
|x| has gradient 0 at 0, so the 1-norm's gradient at a zero entry is 0.
"""

import numpy as np

from .. import dtypes
from ..function import Function
from ..tensor_base import array_of
from .common import keepdims_shape, normalize_axis
from .linalg_common import tensor_like
from .linalg_decompose import svd
from .reduce import max, min, sum  # the ag reductions (shadowing the builtins here)
from .select import astype
from .shape import moveaxis, reshape
from .unary import abs

MATRIX_ORDERS = ("fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf)


class VectorNorm(Function):
    """||x||_p = (sum |x|^p)^(1/p) over `axis`, for a finite p != 0. Its gradient is
    sign(x) (|x| / ||x||)^(p - 1): x / ||x|| for p = 2, and sign(x) for p = 1. At the zero
    vector it is taken as 0, with a zero second derivative (as PyTorch); for p < 1 it is
    infinite at zero entries."""

    __slots__ = ("ord", "kept_shape")
    array_backward = True

    @staticmethod
    def forward(ctx, x, ord=2, axis=None, keepdims=False):  # noqa: A002  (NumPy's name)
        x = _floating(x)
        axes = normalize_axis(axis, np.ndim(x), "vector_norm")
        ctx.ord = ord
        ctx.kept_shape = keepdims_shape(np.shape(x), axes)
        y = np.linalg.vector_norm(x, ord=ord, axis=None if axis is None else axes,
                                  keepdims=keepdims)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        g, y = g.reshape(ctx.kept_shape), y.reshape(ctx.kept_shape)
        if ctx.ord == 1:
            return g * np.sign(x)
        # 1 / ||x||, and 0 where ||x|| = 0 (there x = 0): a zero gradient, with a zero slope
        inverse = (y != 0) / (y + (y == 0))
        if ctx.ord == 2:
            return g * x * inverse
        return g * np.sign(x) * (np.abs(x) * inverse) ** (ctx.ord - 1)


def _floating(x):
    dtype = getattr(x, "dtype", None)
    if dtype is not None and dtype.kind == "f":
        return x
    if isinstance(x, np.ndarray) or dtype is None:
        return dtypes.floating(x)
    return astype(x, dtypes.get_default_dtype())  # an int tensor: a recorded cast


def vector_norm(x, ord=2, axis=None, keepdims=False):  # noqa: A002
    """The vector `ord`-norm over `axis` (None: all entries; an int or a tuple of axes).

    >>> ag.linalg.vector_norm(ag.tensor([3.0, 4.0]))             # 5.0
    >>> ag.linalg.vector_norm(ag.tensor([3.0, -4.0]), ord=1)     # 7.0

    `ord`: any real number, inf or -inf (module docstring); the gradient of the 2-norm at the
    zero vector is 0.
    """
    if isinstance(ord, (str, bool)) or not np.isscalar(ord) or np.isnan(ord):
        raise ValueError(f"vector_norm: invalid norm order {ord!r} for vectors (a number, inf "
                         "or -inf)")
    x = _floating(x)
    if ord in (np.inf, -np.inf, 0):
        magnitude = abs(x)
        if ord == np.inf:
            return max(magnitude, axis=axis, keepdims=keepdims)
        if ord == -np.inf:
            return min(magnitude, axis=axis, keepdims=keepdims)
        count = np.sum(array_of(x) != 0, axis=axis, keepdims=keepdims).astype(x.dtype)
        return tensor_like(x, count)
    return VectorNorm.apply(x, ord=float(ord), axis=axis, keepdims=keepdims)


def matrix_norm(x, ord="fro", keepdims=False, axis=(-2, -1)):  # noqa: A002
    """The matrix `ord`-norm of the last two axes (or of the two in `axis`).

    >>> ag.linalg.matrix_norm(ag.tensor([[3.0, 0.0], [0.0, 4.0]]))           # 5.0 (Frobenius)
    >>> ag.linalg.matrix_norm(ag.tensor([[3.0, 0.0], [0.0, 4.0]]), ord=2)    # 4.0

    `ord`: 'fro', 'nuc', 1, -1, 2, -2, inf, -inf (module docstring). The singular-value orders
    ('nuc', 2, -2) have the gradient of svd's S: U diag(gS) Vh.
    """
    x = _floating(x)
    shape = np.shape(array_of(x))
    if len(shape) < 2:
        raise ValueError(f"matrix_norm: argument 'x' must be a matrix or a stack of matrices, "
                         f"got shape {shape}")
    if ord not in MATRIX_ORDERS or isinstance(ord, bool):
        raise ValueError(f"matrix_norm: invalid norm order {ord!r} for matrices (one of "
                         "'fro', 'nuc', 1, -1, 2, -2, inf, -inf)")
    axes = normalize_axis(axis, len(shape), "matrix_norm")
    if len(axes) != 2:
        raise ValueError(f"matrix_norm: axis must name two axes, got {axis!r}")
    rows, columns = (a % len(shape) for a in axis)
    if ord == "fro":
        return VectorNorm.apply(x, ord=2.0, axis=axes, keepdims=keepdims)
    y = _of_last_two(moveaxis(x, (rows, columns), (-2, -1)), ord)
    return reshape(y, keepdims_shape(shape, axes)) if keepdims else y


def _of_last_two(x, ord):  # noqa: A002
    if ord in ("nuc", 2, -2):
        s = svd(x, compute_uv=False)
        return sum(s, axis=-1) if ord == "nuc" else s[..., 0] if ord == 2 else s[..., -1]
    summed_axis = -2 if ord in (1, -1) else -1  # 1: sums down each column; inf: along each row
    sums = sum(abs(x), axis=summed_axis)
    return max(sums, axis=-1) if ord > 0 else min(sums, axis=-1)


def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002
    """NumPy's norm: a vector norm over one axis, a matrix norm over two, and for axis=None
    the 2-norm of all entries (ord=None), or the `ord`-norm of a 1-D or 2-D `x`.

    >>> ag.linalg.norm(ag.tensor([[1.0, 2.0], [2.0, 4.0]]))        # 5.0
    >>> ag.linalg.norm(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), axis=1)  # [sqrt 5, 5]
    """
    ndim = np.ndim(array_of(x))
    if axis is None:
        if ord is None:
            return vector_norm(x, 2, None, keepdims)
        if ndim not in (1, 2):
            raise ValueError(f"norm: ord={ord!r} without axis needs a 1-D or 2-D tensor, got "
                             f"{ndim} dims (pass axis)")
        axis = tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    if len(axes) == 1:
        return vector_norm(x, 2 if ord is None else ord, axes, keepdims)
    if len(axes) == 2:
        return matrix_norm(x, "fro" if ord is None else ord, keepdims, axes)
    raise ValueError(f"norm: axis must name one axis (a vector norm) or two (a matrix norm), "
                     f"got {axis!r}")
