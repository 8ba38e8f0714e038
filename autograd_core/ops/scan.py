"""Scans along one axis: cumsum, cumprod, logcumsumexp, cummax, cummin, diff; and the first-order
linear recurrence s[k] = b[k] + a[k] s[k-1] that the backwards of cumprod and logcumsumexp
are written with, so that they need no division (exact with zeros) and cannot overflow.

    cumprod:       y[k] = x[0] ... x[k]
                   gx[k] = sum_{i>=k} g[i] y[i] / x[k]  (the textbook formula, 0/0 at a zero)
                         = y[k-1] * S[k],  S[k] = g[k] + x[k+1] S[k+1]  (no division)
    logcumsumexp:  y[k] = log(exp(x[0]) + ... + exp(x[k]))
                   gx[k] = sum_{i>=k} g[i] exp(x[k] - y[i])
                         = exp(x[k] - y[k]) * S[k],  S[k] = g[k] + exp(y[k] - y[k+1]) S[k+1]
                   where every exponent is <= 0.
"""

import numpy as np

from .. import dtypes
from ..function import Function
from ..tensor_base import array_of
from .arrange import flip
from .common import one_axis, without_history
from .index import getitem
from .join import concatenate, stacked
from .select import where
from .selection import take_along_axis
from .shape import broadcast_to, reshape


class LinearRecurrence(Function):
    """s[k] = b[k] + a[k] * s[k-1] along `axis` (s[-1] = 0); with `reverse`, from the end:
    s[k] = b[k] + a[k] * s[k+1]. Its adjoint is the same recurrence run the other way:
    gb = T with T[k] = gs[k] + a[k+1] T[k+1], and ga[k] = T[k] * s[k-1]."""

    __slots__ = ("axis", "reverse")
    array_backward = True

    @staticmethod
    def forward(ctx, b, a, axis, reverse=False):
        ctx.axis, ctx.reverse = axis, reverse
        s = np.empty(np.shape(b), np.result_type(b, a))
        lanes_b, lanes_a, lanes_s = (np.moveaxis(v, axis, 0) for v in (b, a, s))
        order = range(s.shape[axis] - 1, -1, -1) if reverse else range(s.shape[axis])
        previous = 0
        for k in order:  # one NumPy step per position; every lane at once
            previous = lanes_b[k] + lanes_a[k] * previous
            lanes_s[k] = previous
        ctx.save_for_backward(a, s)
        return s

    @staticmethod
    def backward(ctx, gs):
        a, s = ctx.saved_tensors
        axis, reverse = ctx.axis, ctx.reverse
        step = 1 if reverse else -1  # toward the positions that came before in the forward
        t = LinearRecurrence.apply(gs, shift(a, axis, step, 0), axis=axis, reverse=not reverse)
        ga = t * shift(s, axis, -step, 0) if ctx.edges[1] is not None else None
        return (t if ctx.edges[0] is not None else None), ga


def linear_recurrence(b, a, axis=-1, reverse=False):
    """s[k] = b[k] + a[k] * s[k-1] along `axis`, starting from s[-1] = 0 (or from the end:
    s[k] = b[k] + a[k] * s[k+1]); `a` and `b` have one shape.

    >>> ag.ops.scan.linear_recurrence(ag.ones(3), ag.full((3,), 2.0))   # tensor([1., 3., 7.])
    """
    shape = np.shape(array_of(b))
    if np.shape(array_of(a)) != shape:
        raise ValueError(f"linear_recurrence: b of shape {shape} and a of shape "
                         f"{np.shape(array_of(a))} must have one shape")
    return LinearRecurrence.apply(b, a, axis=one_axis(axis, shape, "linear_recurrence"),
                                  reverse=bool(reverse))


def shift(x, axis, step, fill):
    """`x` moved one place along `axis`, `fill` coming in: step +1 gives y[k] = x[k-1],
    step -1 gives y[k] = x[k+1]."""
    shape = np.shape(array_of(x))
    n = shape[axis]
    if n == 0:
        return x
    block = np.full(shape[:axis] + (1,) + shape[axis + 1:], fill, np.result_type(array_of(x)))
    lead = (slice(None),) * axis
    if step > 0:
        return concatenate([block, getitem(x, lead + (slice(0, n - 1),))], axis=axis)
    return concatenate([getitem(x, lead + (slice(1, n),)), block], axis=axis)


def _scan_input(x, axis, op):
    """(x, axis) for a scan: a list of Tensors stacked, None meaning the flattened tensor."""
    x = stacked(x)
    if axis is None:
        return reshape(x, (-1,)), 0
    return x, one_axis(axis, np.shape(array_of(x)), op)


class Cumsum(Function):
    """Running sums along one axis; the gradient is the running sum of g from the end."""

    __slots__ = ("axis",)
    array_backward = True

    @staticmethod
    def forward(ctx, x, axis):
        ctx.axis = axis
        return np.cumsum(x, axis=axis)

    @staticmethod
    def backward(ctx, gy):
        return flip(cumsum(flip(gy, ctx.axis), ctx.axis), ctx.axis)


def cumsum(x, axis=None):
    """Running sums along `axis` (None: over the flattened tensor), as `np.cumsum`.

    >>> ag.cumsum(ag.tensor([1.0, 2.0, 3.0]))        # tensor([1., 3., 6.])
    """
    x, axis = _scan_input(x, axis, "cumsum")
    return Cumsum.apply(x, axis=axis)


class Cumprod(Function):
    """Running products along one axis. d y[i] / d x[k] is the product of x[0..i] but x[k]:
    gx[k] = y[k-1] * S[k] with S[k] = g[k] + x[k+1] S[k+1] (module docstring), with no division,
    so zeros (one or several) get their exact gradients, to every order."""

    __slots__ = ("axis",)
    array_backward = True

    @staticmethod
    def forward(ctx, x, axis):
        ctx.axis = axis
        y = np.cumprod(x, axis=axis)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, gy):
        x, y = ctx.saved_tensors
        axis = ctx.axis
        later = LinearRecurrence.apply(gy, shift(x, axis, -1, 0), axis=axis, reverse=True)
        return shift(y, axis, 1, 1) * later


def cumprod(x, axis=None):
    """Running products along `axis` (None: over the flattened tensor), as `np.cumprod`;
    gradients are exact at zeros.

    >>> ag.cumprod(ag.tensor([1.0, 2.0, 3.0]))       # tensor([1., 2., 6.])
    """
    x, axis = _scan_input(x, axis, "cumprod")
    return Cumprod.apply(x, axis=axis)


class LogCumSumExp(Function):
    """log(cumsum(exp(x))) along one axis, accumulated with logaddexp so it never overflows;
    its backward (module docstring) has only exponents <= 0."""

    __slots__ = ("axis",)
    array_backward = True

    @staticmethod
    def forward(ctx, x, axis):
        ctx.axis = axis
        x = dtypes.floating(x)
        y = np.logaddexp.accumulate(x, axis=axis)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, gy):
        x, y = ctx.saved_tensors
        axis = ctx.axis
        if np.isneginf(array_of(y)).any():
            # A prefix of -inf: its entries get 0 (exp(-inf - 0)), not exp(-inf + inf) = nan.
            y = where(np.isneginf(array_of(y)), 0.0, y)
        decay = np.exp(y - shift(y, axis, -1, np.inf))  # exp(y[k] - y[k+1]), 0 at the end
        later = LinearRecurrence.apply(gy, decay, axis=axis, reverse=True)
        return np.exp(x - y) * later


def logcumsumexp(x, axis):
    """log(cumsum(exp(x))) along `axis`, stable for large |x| (as PyTorch's logcumsumexp).

    >>> ag.logcumsumexp(ag.tensor([1000.0, 1000.0]), 0)   # tensor([1000., 1000.6931...])
    """
    x, axis = _scan_input(x, axis, "logcumsumexp")
    return LogCumSumExp.apply(x, axis=axis)


def _running_extremum(x, axis, accumulate, op):
    """(values, indices) of the running max or min: indices point at the latest element equal
    to the running value (PyTorch's rule), NaN counting as the extremum."""
    x, axis = _scan_input(x, axis, op)
    data = array_of(x)
    running = accumulate(data, axis=axis)
    reached = (data == running) | np.isnan(data) if data.dtype.kind == "f" else data == running
    positions = np.arange(data.shape[axis]).reshape((-1,) + (1,) * (data.ndim - axis - 1))
    indices = np.maximum.accumulate(np.where(reached, positions, 0), axis=axis)
    return take_along_axis(x, indices, axis), without_history(x, indices)


def cummax(x, axis):
    """(values, indices) of the running maximum along `axis`, as PyTorch's cummax; the
    gradient goes to the element each index points at (the latest of tied maxima).

    >>> values, indices = ag.cummax(ag.tensor([1.0, 3.0, 2.0]), 0)   # [1, 3, 3], [0, 1, 1]
    """
    return _running_extremum(x, axis, np.maximum.accumulate, "cummax")


def cummin(x, axis):
    """(values, indices) of the running minimum along `axis`, as PyTorch's cummin.

    >>> values, indices = ag.cummin(ag.tensor([2.0, 1.0, 3.0]), 0)   # [2, 1, 1], [0, 1, 1]
    """
    return _running_extremum(x, axis, np.minimum.accumulate, "cummin")


def diff(x, n=1, axis=-1, prepend=None, append=None):
    """The n-th differences along `axis`, x[1:] - x[:-1] applied n times, as `np.diff`;
    `prepend` and `append` are joined to `x` first.

    >>> ag.diff(ag.tensor([1.0, 4.0, 9.0]))          # tensor([3., 5.])
    """
    x = stacked(x)
    shape = np.shape(array_of(x))
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"diff: the order n must be a non-negative int, got {n!r}")
    if not shape:
        raise ValueError("diff: needs a tensor with at least one axis, got a scalar")
    axis = one_axis(axis, shape, "diff")
    pieces = [_edge_values(v, shape, axis) for v in (prepend,) if v is not None]
    pieces += [x] + [_edge_values(v, shape, axis) for v in (append,) if v is not None]
    if len(pieces) > 1:
        x = concatenate(pieces, axis=axis)
    lead = (slice(None),) * axis
    for _ in range(int(n)):
        later, earlier = getitem(x, lead + (slice(1, None),)), getitem(x, lead + (slice(None, -1),))
        x = later != earlier if array_of(x).dtype == bool else later - earlier
    return x


def _edge_values(v, shape, axis):
    """A scalar prepend/append becomes one slice along `axis`, as NumPy broadcasts it."""
    if np.ndim(array_of(v)) == 0:
        return broadcast_to(v, shape[:axis] + (1,) + shape[axis + 1:])
    return v
