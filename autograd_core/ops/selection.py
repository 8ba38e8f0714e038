"""Choosing elements by integer indices along one axis: take, take_along_axis, put_along_axis.

Each is integer-array indexing (index.py) with the index built as NumPy builds it, so the
gradients come from GetItem and SetItem: an element taken twice gets both gradients added
(ScatterAdd's np.add.at), and put_along_axis sends the gradient of each written position to the
value written there.
"""

import numpy as np

from ..tensor_base import array_of
from .common import one_axis
from .index import SetItem, getitem
from .shape import reshape


def index_array(indices, op, argument="indices"):
    """`indices` (an array, a list or a Tensor) as an integer array."""
    index = np.asarray(array_of(indices))
    if index.dtype.kind not in "iu" and not (index.size == 0 and index.dtype.kind == "f"):
        raise TypeError(f"{op}: {argument} must be integers, got dtype {index.dtype}")
    return index.astype(np.intp, copy=False)


def in_range(index, length, op, axis, shape):
    """`index` with negative entries counted from the end; IndexError when one is out of
    bounds for an axis of `length`."""
    if index.size and (index.min() < -length or index.max() >= length):
        bad = index.min() if index.min() < -length else index.max()
        raise IndexError(f"{op}: index {bad} is out of bounds for axis {axis} of length "
                         f"{length} (tensor of shape {shape})")
    return np.where(index < 0, index + length, index)


def along_axis(index, axis, shape):
    """The integer-array index that picks index[..., j, ...] along `axis` and keeps every
    other axis in place (NumPy's take_along_axis): the axes of `index` broadcast against
    those of `shape`."""
    ones = (1,) * len(shape)
    return tuple(index if d == axis else np.arange(n).reshape(ones[:d] + (n,) + ones[d + 1:])
                 for d, n in enumerate(shape))


def take(x, indices, axis=None, mode="raise"):
    """Elements at `indices` along `axis` (None: of the flattened tensor), as `np.take`;
    `mode` "wrap" or "clip" folds out-of-range indices in. Repeated indices accumulate.

    >>> ag.take(ag.tensor([1.0, 2.0, 3.0]), [2, 0, 2])   # tensor([3., 1., 3.])
    """
    shape = np.shape(array_of(x))
    flat = axis is None
    axis = 0 if flat else one_axis(axis, shape, "take")
    length = int(np.prod(shape, dtype=np.int64)) if flat else shape[axis]
    index = index_array(indices, "take")
    if mode not in ("raise", "wrap", "clip"):
        raise ValueError(f"take: mode must be 'raise', 'wrap' or 'clip', got {mode!r}")
    if mode != "raise" and index.size and length == 0:
        raise IndexError(f"take: cannot take from axis {axis} of length 0 (shape {shape})")
    if mode == "wrap":
        index = index % max(length, 1)
    elif mode == "clip":
        index = np.clip(index, 0, length - 1)
    index = in_range(index, length, "take", axis, (length,) if flat else shape)
    if flat:
        x = reshape(x, (-1,))
    return getitem(x, (slice(None),) * axis + (index,))


def _along_axis_index(x, indices, axis, op):
    """(x, index tuple, shape) for take_along_axis and put_along_axis, checked before
    anything is recorded."""
    shape = np.shape(array_of(x))
    flat = axis is None
    if flat:  # the flattened tensor, as NumPy
        shape, axis = (int(np.prod(shape, dtype=np.int64)),), 0
    axis = one_axis(axis, shape, op)
    index = index_array(indices, op)
    if index.ndim != len(shape) or any(
            d != axis and index.shape[d] != n and 1 not in (index.shape[d], n)
            for d, n in enumerate(shape)):
        raise ValueError(f"{op}: indices of shape {index.shape} do not match the tensor of shape "
                         f"{shape}: they need as many axes, each of the same length or 1 "
                         f"(except axis {axis})")
    index = in_range(index, shape[axis], op, axis, shape)
    return (reshape(x, (-1,)) if flat else x), along_axis(index, axis, shape), shape


def take_along_axis(x, indices, axis=-1):
    """x[..., indices[..., j, ...], ...] along `axis`, as `np.take_along_axis`: what argsort,
    argmax(keepdims=True) and topk's indices pick. Repeated indices accumulate gradients.

    >>> x = ag.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> ag.take_along_axis(x, np.array([[1], [0]]), 1)   # tensor([[2.], [3.]])
    """
    x, index, _ = _along_axis_index(x, indices, axis, "take_along_axis")
    return getitem(x, index)


def put_along_axis(x, indices, values, axis):
    """A copy of `x` with `values` written at `indices` along `axis` (NumPy's put_along_axis,
    which writes in place; `np.put_along_axis(t, ...)` on a Tensor does that). The gradient of
    `x` is zero where something was written; each written value receives the gradient of its
    position, and of values written to one position only the one NumPy keeps there (PyTorch's
    scatter gives it to every duplicate, which finite differences do not bear out).

    >>> ag.put_along_axis(ag.zeros(3), np.array([1]), 5.0, 0)    # tensor([0., 5., 0.])
    """
    flattened = axis is None
    original = np.shape(array_of(x))
    x, index, shape = _along_axis_index(x, indices, axis, "put_along_axis")
    target = np.broadcast_shapes(*(np.shape(part) for part in index))
    try:
        fits = np.broadcast_shapes(np.shape(array_of(values)), target) == target
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(f"put_along_axis: values of shape {np.shape(array_of(values))} cannot "
                         f"be broadcast to the indexed shape {target}")
    result = SetItem.apply(x, values, index=index)
    return reshape(result, original) if flattened else result
