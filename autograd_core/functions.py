"""The module-level operations (`ag.exp`, `ag.where`, ...). Each applies one primitive or
composes a few; Tensor methods call these."""

import builtins

import numpy as np

from .ops import elementwise as ew
from .ops import index as ix
from .ops import linalg as la
from .ops import reduce as rd
from .ops import shape as sh
from .tensor import Tensor


def _unary_op(primitive):
    apply = primitive.apply

    def op(x):
        return apply(x if isinstance(x, Tensor) else Tensor(x))

    op.__name__ = primitive.__name__.lower()
    op.__doc__ = f"Elementwise {op.__name__}.\n\n    >>> ag.{op.__name__}(ag.tensor([0.5]))\n    "
    return op


exp = _unary_op(ew.Exp)
log = _unary_op(ew.Log)
sqrt = _unary_op(ew.Sqrt)
abs = _unary_op(ew.Abs)  # noqa: A001  (the NumPy name)
sin = _unary_op(ew.Sin)
cos = _unary_op(ew.Cos)
tanh = _unary_op(ew.Tanh)
sigmoid = _unary_op(ew.Sigmoid)
relu = _unary_op(ew.Relu)
softplus = _unary_op(ew.Softplus)


def _tensor(x):
    return x if isinstance(x, Tensor) else Tensor(x)


def sum(x, axis=None, keepdims=False):  # noqa: A001
    """Sum over `axis` (None: all).

    >>> ag.sum(ag.ones(2, 3), axis=0)            # tensor([2., 2., 2.])
    """
    return rd.Sum.apply(_tensor(x), axis=axis, keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    """Mean over `axis` (None: all).

    >>> ag.mean(ag.tensor([1.0, 3.0]))           # tensor(2.)
    """
    x = _tensor(x)
    rd.normalize_axis(axis, x.ndim, "mean")  # so a bad axis is reported as mean's
    total = sum(x, axis, keepdims)
    return total / (x.size // builtins.max(total.size, 1) if x.size else 0)


def var(x, axis=None, keepdims=False, ddof=0):
    """Variance over `axis`, dividing by N - ddof as NumPy does.

    >>> ag.var(ag.tensor([1.0, 3.0]))            # tensor(1.)
    """
    x = _tensor(x)
    rd.normalize_axis(axis, x.ndim, "var")
    deviation = x - mean(x, axis, keepdims=True)
    squares = sum(deviation * deviation, axis, keepdims)
    count = x.size // builtins.max(squares.size, 1) if x.size else 0
    return squares / builtins.max(count - ddof, 0)


def max(x, axis=None, keepdims=False):  # noqa: A001
    """Maximum over `axis`; the gradient is split evenly among tied maxima.

    >>> ag.max(ag.tensor([1.0, 3.0]))            # tensor(3.)
    """
    return rd.Max.apply(_tensor(x), axis=axis, keepdims=keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001
    """Minimum over `axis`; the gradient is split evenly among tied minima.

    >>> ag.min(ag.tensor([1.0, 3.0]))            # tensor(1.)
    """
    return rd.Min.apply(_tensor(x), axis=axis, keepdims=keepdims)


def logsumexp(x, axis=None, keepdims=False):
    """log(sum(exp(x))) over `axis`, stable for large |x|.

    >>> ag.logsumexp(ag.tensor([1000.0, 1000.0]))   # tensor(1000.6931...)
    """
    return rd.LogSumExp.apply(_tensor(x), axis=axis, keepdims=keepdims)


def softmax(x, axis=-1):
    """exp(x) / sum(exp(x)) along `axis`, stable for large |x|.

    >>> ag.softmax(ag.tensor([0.0, 0.0]))          # tensor([0.5, 0.5])
    """
    return rd.Softmax.apply(_tensor(x), axis=axis)


def log_softmax(x, axis=-1):
    """x - logsumexp(x) along `axis`, stable for large |x|.

    >>> ag.log_softmax(ag.tensor([0.0, 0.0]))      # tensor([-0.693, -0.693])
    """
    return rd.LogSoftmax.apply(_tensor(x), axis=axis)


def reshape(x, shape):
    """The same elements in a new shape (one entry may be -1).

    >>> ag.reshape(ag.arange(6), (2, 3)).shape    # (2, 3)
    """
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    return sh.Reshape.apply(_tensor(x), shape=shape)


def transpose(x, axes=None):
    """Permute axes (None: reverse them).

    >>> ag.transpose(ag.ones(2, 3)).shape          # (3, 2)
    """
    return sh.Transpose.apply(_tensor(x), axes=None if axes is None else tuple(axes))


def swapaxes(x, axis1, axis2):
    """Exchange two axes.

    >>> ag.swapaxes(ag.ones(2, 3, 4), -1, -2).shape   # (2, 4, 3)
    """
    x = _tensor(x)
    (axis1,) = rd.normalize_axis(axis1, x.ndim, "swapaxes")
    (axis2,) = rd.normalize_axis(axis2, x.ndim, "swapaxes")
    axes = list(range(x.ndim))
    axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
    return transpose(x, axes)


def squeeze(x, axis=None):
    """Drop axes of length one (all of them, or those in `axis`).

    >>> ag.squeeze(ag.ones(1, 3, 1)).shape         # (3,)
    """
    x = _tensor(x)
    axes = rd.normalize_axis(axis, x.ndim, "squeeze") if axis is not None else None
    if axes is None:
        axes = tuple(i for i, n in enumerate(x.shape) if n == 1)
    for a in axes:
        if x.shape[a] != 1:
            raise ValueError(f"squeeze: axis {a} of shape {x.shape} has length {x.shape[a]}, not 1")
    return reshape(x, tuple(n for i, n in enumerate(x.shape) if i not in axes))


def expand_dims(x, axis):
    """Insert axes of length one at `axis` (an int or a tuple).

    >>> ag.expand_dims(ag.ones(3), 0).shape        # (1, 3)
    """
    x = _tensor(x)
    try:
        shape = np.expand_dims(np.empty(x.shape, dtype=bool), axis).shape
    except (ValueError, OverflowError):  # NumPy's AxisError, or an int beyond C's range
        raise ValueError(
            f"expand_dims: axis {axis!r} is out of range for a tensor of shape {x.shape}"
        ) from None
    return reshape(x, shape)


def broadcast_to(x, shape):
    """Replicate along broadcast axes; the gradient sums back.

    >>> ag.broadcast_to(ag.ones(3), (2, 3)).shape  # (2, 3)
    """
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    return sh.BroadcastTo.apply(_tensor(x), shape=shape)


def matmul(a, b):
    """Matrix product with NumPy's rules (1-D operands, batch axes broadcast).

    >>> ag.matmul(ag.ones(2, 3), ag.ones(3)).shape  # (2,)
    """
    return la.MatMul.apply(_tensor(a), _tensor(b))


def einsum(subscripts, *operands):
    """Einstein summation, differentiable in every operand.

    >>> ag.einsum("ij,jk->ik", a, b)               # a @ b
    """
    return la.Einsum.apply(*[_tensor(x) for x in operands], subscripts=subscripts)


def clip(x, lo=None, hi=None):
    """Limit values to [lo, hi]; the gradient passes where lo <= x <= hi.

    >>> ag.clip(ag.tensor([-2.0, 0.5, 2.0]), -1, 1)  # tensor([-1., 0.5, 1.])
    """
    if lo is None and hi is None:
        raise ValueError("clip: give at least one of lo and hi")
    return ew.Clip.apply(_tensor(x), lo, hi)


def maximum(a, b):
    """Elementwise maximum; ties split the gradient evenly.

    >>> ag.maximum(ag.tensor([1.0, 3.0]), 2.0)     # tensor([2., 3.])
    """
    return ew.Maximum.apply(_tensor(a), b)


def minimum(a, b):
    """Elementwise minimum; ties split the gradient evenly.

    >>> ag.minimum(ag.tensor([1.0, 3.0]), 2.0)     # tensor([1., 2.])
    """
    return ew.Minimum.apply(_tensor(a), b)


def where(cond, a, b):
    """`a` where `cond` holds, else `b` (broadcast together).

    >>> ag.where(x > 0, x, 0.1 * x)                # leaky ReLU
    """
    cond = cond.data if isinstance(cond, Tensor) else np.asarray(cond)
    if cond.dtype != bool:
        raise TypeError(f"where: the condition must be a bool tensor, got dtype {cond.dtype}")
    return ew.Where.apply(cond, a, b)


def astype(x, dtype):
    """The same values in another dtype; gradients come back in the original dtype.

    >>> ag.ones(2).astype(np.float32).dtype         # float32
    """
    x = _tensor(x)
    dtype = np.dtype(dtype)
    if dtype.kind not in "biuf":
        raise TypeError(f"astype: unsupported dtype {dtype}; tensors hold bool, int or float")
    if dtype == x.dtype:
        return x
    if dtype.kind != "f":  # integers and bools carry no gradient
        return Tensor(x.data.astype(dtype))
    return ew.Cast.apply(x, dtype)


def concatenate(tensors, axis=0):
    """Join tensors along an existing axis.

    >>> ag.concatenate([ag.ones(2), ag.zeros(3)]).shape   # (5,)
    """
    tensors = [_tensor(t) for t in tensors]
    return sh.Concatenate.apply(*tensors, axis=axis)


def stack(tensors, axis=0):
    """Join tensors of one shape along a new axis.

    >>> ag.stack([ag.ones(2), ag.zeros(2)]).shape         # (2, 2)
    """
    tensors = [_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("stack: need at least one tensor")
    shapes = {t.shape for t in tensors}
    if len(shapes) != 1:
        raise ValueError(f"stack: all tensors must have one shape, got {sorted(shapes)}")
    return concatenate([expand_dims(t, axis) for t in tensors], axis=axis)


def split(x, indices_or_sections, axis=0):
    """Cut a tensor into pieces along `axis`, as `np.split` does.

    >>> a, b = ag.split(ag.arange(6), 2)               # two pieces of 3
    """
    x = _tensor(x)
    if not isinstance(axis, (int, np.integer)):
        raise TypeError(f"split: axis must be an int, got {axis!r}")
    (axis,) = rd.normalize_axis(axis, x.ndim, "split")
    length = x.shape[axis]
    if isinstance(indices_or_sections, (int, np.integer)):
        if indices_or_sections <= 0 or length % indices_or_sections:
            raise ValueError(
                f"split: axis {axis} of length {length} does not divide into "
                f"{indices_or_sections} equal sections"
            )
        step = length // indices_or_sections
        bounds = list(range(0, length + 1, step))
    else:
        bounds = [0, *indices_or_sections, length]
    lead = (slice(None),) * (axis % x.ndim)
    return [
        ix.GetItem.apply(x, index=lead + (slice(start, stop),))
        for start, stop in zip(bounds[:-1], bounds[1:])
    ]
