"""Sorting and searching: sort, argsort, topk, median, argmax, argmin.

The values (sort, topk, median) are the input's elements picked by indices that a stable sort
finds, through take_along_axis, so the gradient of each output position goes to the element
that sorted into it; tied elements keep their order, as in NumPy's stable sort, so the first of
them gets the first position. Index results (argsort, argmax, argmin, topk's indices) carry no
history.
"""

import numpy as np

from ..tensor_base import array_of
from .common import axes_of, keepdims_shape, one_axis, without_history
from .join import stacked
from .reduce import _floating
from .select import where
from .selection import take_along_axis
from .shape import reshape, transpose


def _sort_input(x, axis, op):
    """(x, axis) for a sort along one axis: a list of Tensors stacked, None meaning the
    flattened tensor."""
    x = stacked(x)
    if axis is None:
        return reshape(x, (-1,)), 0
    return x, one_axis(axis, np.shape(array_of(x)), op)


def stable_order(data, axis):
    """np.argsort(data, axis, kind="stable"), faster: NumPy's stable sort of floats takes
    ~3.5x as long as its default one (1000 x 1000 float64: 112 ms vs 32 ms), and the two
    orders differ only among equal values, so the stable sort runs only when a lane has ties."""
    order = np.argsort(data, axis=axis)
    ordered = np.take_along_axis(data, order, axis)
    lead = (slice(None),) * axis
    later, earlier = ordered[lead + (slice(1, None),)], ordered[lead + (slice(None, -1),)]
    ties = later == earlier
    if data.dtype.kind == "f":
        ties |= np.isnan(later) & np.isnan(earlier)
    return np.argsort(data, axis=axis, kind="stable") if ties.any() else order


def sort(x, axis=-1, kind=None, stable=None):
    """The values sorted along `axis` (None: flattened), as `np.sort`; for the indices use
    argsort. The gradient of each position goes to the element sorted there, ties in their
    order (a stable sort, whatever `kind` says: the values are the same for every kind).

    >>> ag.sort(ag.tensor([3.0, 1.0, 2.0]))          # tensor([1., 2., 3.])
    """
    x, axis = _sort_input(x, axis, "sort")
    return take_along_axis(x, stable_order(array_of(x), axis), axis)


def argsort(x, axis=-1, kind=None, stable=None):
    """The indices that sort `x` along `axis`, as `np.argsort` (no history).

    >>> ag.argsort(ag.tensor([3.0, 1.0, 2.0]))       # tensor([1, 2, 0])
    """
    x, axis = _sort_input(x, axis, "argsort")
    return without_history(x, np.argsort(array_of(x), axis=axis, kind=kind, stable=stable))


def topk(x, k, axis=-1, largest=True, sorted=True):  # noqa: A002  (PyTorch's name)
    """(values, indices) of the `k` largest (or smallest) entries along `axis`, largest first,
    as PyTorch's topk; tied entries come in index order. Only the values have history.

    >>> values, indices = ag.topk(ag.tensor([1.0, 3.0, 2.0]), 2)   # [3, 2], [1, 2]
    """
    x = stacked(x)
    shape = np.shape(array_of(x))
    where = "the flattened tensor" if axis is None else f"axis {one_axis(axis, shape, 'topk')}"
    length = int(np.prod(shape)) if axis is None else shape[one_axis(axis, shape, "topk")]
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)) or k < 0:
        raise ValueError(f"topk: k must be a non-negative int, got {k!r}")
    if k > length:
        raise ValueError(f"topk: k={k} is larger than {where} of length {length} "
                         f"(tensor of shape {shape})")
    x, axis = _sort_input(x, axis, "topk")
    data = array_of(x)
    if largest:  # a stable descending order: sort the reversed axis, read it backwards
        reverse = np.flip(data, axis)
        order = length - 1 - np.flip(stable_order(reverse, axis), axis)
    else:
        order = stable_order(data, axis)
    indices = order[(slice(None),) * axis + (slice(0, int(k)),)]
    return take_along_axis(x, indices, axis), without_history(x, indices)


def median(x, axis=None, keepdims=False):
    """The median over `axis` (None: all, or a tuple), as `np.median`: with an even count, the
    mean of the two middle values, each of which gets half the gradient.

    >>> ag.median(ag.tensor([1.0, 4.0, 2.0, 3.0]))   # tensor(2.5)
    """
    x = _floating(stacked(x))
    shape = np.shape(array_of(x))
    axes = axes_of(axis, shape, "median")
    if any(shape[a] == 0 for a in axes):
        raise ValueError(f"median: cannot take the median over an empty axis (tensor of shape "
                         f"{shape}, axis {axis!r})")
    kept = [a for a in range(len(shape)) if a not in axes]
    lanes = reshape(transpose(x, kept + list(axes)), tuple(shape[a] for a in kept) + (-1,))
    data = array_of(lanes)
    n = data.shape[-1]
    middle = [(n - 1) // 2] if n % 2 else [n // 2 - 1, n // 2]
    order = stable_order(data, data.ndim - 1)[..., middle]
    values = take_along_axis(lanes, order, -1)
    result = values[..., 0] if n % 2 else (values[..., 0] + values[..., 1]) * 0.5
    if np.isnan(data).any():  # NumPy's median is NaN where a lane holds a NaN
        result = where(np.isnan(data).any(axis=-1), np.nan, result)
    return reshape(result, keepdims_shape(shape, axes)) if keepdims else result


def _arg_extremum(x, axis, keepdims, find, op):
    x = stacked(x)
    data = array_of(x)
    if axis is not None:
        axis = one_axis(axis, np.shape(data), op)
    if data.size == 0 and (axis is None or data.shape[axis] == 0):
        raise ValueError(f"{op}: cannot search an empty axis (tensor of shape {data.shape})")
    return without_history(x, np.asarray(find(data, axis=axis, keepdims=keepdims)))


def argmax(x, axis=None, keepdims=False):
    """The index of the largest entry along `axis` (None: in the flattened tensor), the first
    of ties, as `np.argmax` (no history).

    >>> ag.argmax(ag.tensor([1.0, 3.0, 3.0]))        # tensor(1)
    """
    return _arg_extremum(x, axis, keepdims, np.argmax, "argmax")


def argmin(x, axis=None, keepdims=False):
    """The index of the smallest entry along `axis`, the first of ties, as `np.argmin`.

    >>> ag.argmin(ag.tensor([2.0, 1.0, 1.0]))        # tensor(1)
    """
    return _arg_extremum(x, axis, keepdims, np.argmin, "argmin")
