"""Scattering with a reduction, as PyTorch's scatter_add and scatter_reduce: element src[i, j]
(for axis 0) goes to position (index[i, j], j) of a copy of `t`, and every position combines
what it receives with "sum", "prod", "mean", "amax" or "amin". `include_self=False` leaves
t's own value out at the positions that receive something. Only the leading index.shape part
of `src` is scattered, as in PyTorch.

Gradients follow PyTorch's, with one difference at ties for amax/amin: the gradient of a
position is split evenly among the entries that take part and equal the result (t's own value
only when include_self=True; PyTorch also counts an excluded t that happens to be equal, which
loses part of the gradient).  prod's gradient to each src entry is the product of the other
members of its group, found without division (so zeros are exact, to every order).
"""

import numpy as np

from ..function import Function
from ..tensor_base import array_of
from .arithmetic import add, divide
from .common import one_axis, without_history
from .index import ScatterAdd, getitem
from .scan import LinearRecurrence, shift
from .select import where
from .selection import in_range, index_array, take_along_axis

REDUCTIONS = ("sum", "prod", "mean", "amax", "amin")


def _scatter_index(t, axis, index, src, op):
    """(axis, the integer-array index of the positions written, the part of src scattered)."""
    t_shape, src_shape = np.shape(array_of(t)), np.shape(array_of(src))
    axis = one_axis(axis, t_shape, op)
    index = index_array(index, op, "index")
    if not index.ndim == len(t_shape) == len(src_shape):
        raise ValueError(f"{op}: index {index.shape}, self {t_shape} and src {src_shape} must "
                         "have the same number of axes")
    for d, n in enumerate(index.shape):
        if n > src_shape[d] or (d != axis and n > t_shape[d]):
            raise ValueError(f"{op}: index of shape {index.shape} is longer than src "
                             f"{src_shape} or self {t_shape} along axis {d}")
    index = in_range(index, t_shape[axis], op, axis, t_shape)
    ones = (1,) * index.ndim
    positions = tuple(index if d == axis else np.arange(n).reshape(ones[:d] + (n,) + ones[d + 1:])
                      for d, n in enumerate(index.shape))
    return axis, positions, tuple(slice(0, n) for n in index.shape)


def scatter_add(t, axis, index, src):
    """A copy of `t` with each src[i, j] added at position (index[i, j], j) (for axis 0), as
    PyTorch's scatter_add; repeated positions add up. The gradient of `t` passes through and
    src[i, j] receives the gradient of its position.

    >>> ag.scatter_add(ag.zeros(3), 0, np.array([0, 0, 2]), ag.ones(3))   # tensor([2., 0., 1.])
    """
    axis, positions, part = _scatter_index(t, axis, index, src, "scatter_add")
    received = ScatterAdd.apply(getitem(src, part), index=positions, shape=np.shape(array_of(t)))
    return add(t, received)


def scatter_reduce(t, axis, index, src, reduce, include_self=True):
    """`t` with src scattered along `axis` by `index` and combined at each position by
    `reduce` ("sum", "prod", "mean", "amax", "amin"), as PyTorch's scatter_reduce (module
    docstring for the gradients).

    >>> src = ag.tensor([2.0, 3.0])
    >>> ag.scatter_reduce(ag.ones(2), 0, np.array([0, 0]), src, "prod")   # tensor([6., 1.])
    """
    if reduce not in REDUCTIONS:
        raise ValueError(f"scatter_reduce: reduce must be one of {REDUCTIONS}, got {reduce!r}")
    axis, positions, part = _scatter_index(t, axis, index, src, "scatter_reduce")
    shape = np.shape(array_of(t))
    src = getitem(src, part)
    if reduce in ("prod", "amax", "amin"):
        return ScatterReduce.apply(t, src, positions=positions, axis=axis, reduce=reduce,
                                   include_self=bool(include_self))
    written = np.zeros(shape, dtype=bool)
    written[positions] = True
    base = t if include_self else where(written, np.zeros((), np.result_type(array_of(t))), t)
    total = add(base, ScatterAdd.apply(src, index=positions, shape=shape))
    if reduce == "sum":
        return total
    count = np.zeros(shape, dtype=np.int64)
    np.add.at(count, positions, 1)
    count = np.maximum(count + (1 if include_self else 0), 1)  # 1 where nothing arrived
    if array_of(total).dtype.kind != "f":  # PyTorch's integer mean rounds down
        return without_history(total, array_of(total) // count)
    return divide(total, count.astype(array_of(total).dtype))


_UFUNCS = {"prod": np.multiply, "amax": np.maximum, "amin": np.minimum}


def _identity(reduce, dtype):
    if reduce == "prod":
        return 1
    if dtype.kind == "f":
        return -np.inf if reduce == "amax" else np.inf
    info = np.iinfo(dtype) if dtype.kind in "iu" else None
    if info is None:  # bool
        return reduce == "amin"
    return info.min if reduce == "amax" else info.max


class ScatterReduce(Function):
    """scatter_reduce with "prod", "amax" or "amin" (sum and mean are ScatterAdd and
    arithmetic). amax/amin save the share of each entry in its position's gradient (1/ties
    for the entries equal to the result); prod saves t and src."""

    __slots__ = ("positions", "axis", "reduce", "include_self")
    array_backward = True

    @staticmethod
    def forward(ctx, t, src, positions, axis, reduce, include_self):
        ctx.positions, ctx.axis, ctx.reduce = positions, axis, reduce
        ctx.include_self = include_self
        out = np.array(t, dtype=np.result_type(t, src), copy=True)
        taking_part = np.ones(out.shape, dtype=bool)  # where t's own value takes part
        if not include_self:
            taking_part[positions] = False
            out[~taking_part] = _identity(reduce, out.dtype)
        _UFUNCS[reduce].at(out, positions, src)
        if reduce == "prod":
            ctx.save_for_backward(t, src, taking_part)
            return out
        ties = taking_part & (t == out)
        winners = src == out[positions]
        count = ties.astype(np.int64)
        np.add.at(count, positions, winners)
        count = np.maximum(count, 1)  # only NaN leaves a position with no winner
        dtype = np.result_type(out.dtype, np.float16)
        ctx.save_for_backward(ties / count.astype(dtype), winners / count[positions].astype(dtype))
        return out

    @staticmethod
    def backward(ctx, gy):
        if ctx.reduce == "prod":
            return _prod_backward(ctx, gy)
        t_share, src_share = ctx.saved_tensors
        gt = gy * t_share if ctx.edges[0] is not None else None
        return gt, (gy[ctx.positions] * src_share if ctx.edges[1] is not None else None)


def _prod_backward(ctx, gy):
    """out = t' * P with t' = t where it takes part (else 1) and P the product of each
    position's group: gt = g * P where t takes part; g_src = (g * t')[position] * (the
    product of the other members of the group)."""
    t, src, taking_part = ctx.saved_tensors
    positions, axis = ctx.positions, ctx.axis
    gt = None
    if ctx.edges[0] is not None:
        ones = np.ones(np.shape(t), np.result_type(array_of(t), array_of(src)))
        group = ScatterReduce.apply(ones, src, positions=positions, axis=axis, reduce="prod",
                                    include_self=True)
        gt = gy * group * taking_part
    if ctx.edges[1] is None:
        return gt, None
    own = t if ctx.include_self else where(taking_part, t, 1)
    return gt, (gy * own)[positions] * _others_in_group(src, positions[axis], axis)


def _others_in_group(src, index, axis):
    """For each entry of src, the product of the other entries scattered to its position.

    Within each lane along `axis` a stable sort by index makes each group a run; the
    products of the earlier and of the later members of the run are two linear recurrences:
    before[k] = 1 at a run's start, else before[k-1] * v[k-1] (and after likewise from the
    end). No division, so zeros in src are exact."""
    order = np.argsort(index, axis=axis, kind="stable")
    group = np.take_along_axis(index, order, axis)
    first = group != shift(group, axis, 1, -1)
    last = group != shift(group, axis, -1, -1)
    v = take_along_axis(src, order, axis)
    dtype = np.result_type(array_of(src))
    before = LinearRecurrence.apply(first.astype(dtype), shift(v, axis, 1, 1) * ~first,
                                    axis=axis, reverse=False)
    after = LinearRecurrence.apply(last.astype(dtype), shift(v, axis, -1, 1) * ~last,
                                   axis=axis, reverse=True)
    return take_along_axis(before * after, np.argsort(order, axis=axis), axis)
