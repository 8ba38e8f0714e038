"""Reductions over axes, and the softmax family (fused for numerical stability)."""

import numpy as np

from ..function import Function
from . import dual


def normalize_axis(axis, ndim, op):
    """`axis` (None, an int or a tuple) as a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    result = []
    for a in axes:
        if not isinstance(a, (int, np.integer)):
            raise TypeError(f"{op}: axis must be None, an int or a tuple of ints, got {axis!r}")
        if not -ndim <= a < ndim:
            raise ValueError(f"{op}: axis {a!r} is out of range for a tensor with {ndim} dims")
        result.append(int(a) % ndim)
    if len(set(result)) != len(result):
        raise ValueError(f"{op}: repeated axis in {axis!r}")
    return tuple(sorted(result))


def keepdims_shape(shape, axes):
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


class _Reduction(Function):
    __slots__ = ("in_shape", "kept_shape")
    array_backward = True

    def _remember(ctx, x, axis, op):
        axes = normalize_axis(axis, x.ndim, op)
        ctx.in_shape = x.shape
        ctx.kept_shape = keepdims_shape(x.shape, axes)
        return axes


class Sum(_Reduction):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x, axis=None, keepdims=False):
        axes = ctx._remember(x, axis, "sum")
        return np.sum(x, axis=axes, keepdims=keepdims)

    @staticmethod
    def backward(ctx, gy):
        return dual.broadcast_to(gy.reshape(ctx.kept_shape), ctx.in_shape)


class _Extremum(_Reduction):
    """max/min over axes: the gradient goes to the extremal entries, split evenly among ties."""

    __slots__ = ()
    pick = None

    @classmethod
    def forward(cls, ctx, x, axis=None, keepdims=False):
        axes = ctx._remember(x, axis, cls.__name__.lower())
        if x.size == 0:
            raise ValueError(f"{cls.__name__.lower()}: cannot reduce an empty tensor {x.shape}")
        y = cls.pick(x, axis=axes, keepdims=True)
        winners = x == y
        weight = winners / winners.sum(axis=axes, keepdims=True)
        ctx.save_for_backward(weight.astype(x.dtype, copy=False))
        if keepdims:
            return y
        return y.reshape(tuple(n for i, n in enumerate(x.shape) if i not in axes))

    @staticmethod
    def backward(ctx, gy):
        (weight,) = ctx.saved_tensors
        return gy.reshape(ctx.kept_shape) * weight


class Max(_Extremum):
    __slots__ = ()
    pick = staticmethod(np.max)


class Min(_Extremum):
    __slots__ = ()
    pick = staticmethod(np.min)


def _shifted_max(x, axes):
    # Subtracting the max keeps exp() from overflowing; infinite maxima shift by 0 instead.
    m = np.max(x, axis=axes, keepdims=True)
    return np.where(np.isfinite(m), m, 0)


class LogSumExp(_Reduction):
    """log(sum(exp(x))) over axes, computed around the max so |x| = 1000 stays finite."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, x, axis=None, keepdims=False):
        axes = ctx._remember(x, axis, "logsumexp")
        m = _shifted_max(x, axes)
        y = np.log(np.sum(np.exp(x - m), axis=axes, keepdims=True)) + m
        if not keepdims:
            y = y.reshape(tuple(n for i, n in enumerate(x.shape) if i not in axes))
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, gy):
        x, y = ctx.saved_tensors
        # d/dx logsumexp = softmax(x) = exp(x - y)
        return gy.reshape(ctx.kept_shape) * dual.exp(x - y.reshape(ctx.kept_shape))


class Softmax(Function):
    """exp(x) / sum(exp(x)) along one axis; backward p * (g - sum(g * p)) is diag(p) - p p^T."""

    __slots__ = ("axis",)
    array_backward = True

    @staticmethod
    def forward(ctx, x, axis=-1):
        ctx.axis = normalize_axis(axis, x.ndim, "softmax")
        e = np.exp(x - _shifted_max(x, ctx.axis))
        p = e / np.sum(e, axis=ctx.axis, keepdims=True)
        ctx.save_for_backward(p)
        return p

    @staticmethod
    def backward(ctx, gy):
        (p,) = ctx.saved_tensors
        return p * (gy - (gy * p).sum(axis=ctx.axis, keepdims=True))


class LogSoftmax(Function):
    """x - logsumexp(x) along one axis; backward g - softmax(x) * sum(g)."""

    __slots__ = ("axis",)
    array_backward = True

    @staticmethod
    def forward(ctx, x, axis=-1):
        ctx.axis = normalize_axis(axis, x.ndim, "log_softmax")
        shifted = x - _shifted_max(x, ctx.axis)
        y = shifted - np.log(np.sum(np.exp(shifted), axis=ctx.axis, keepdims=True))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        return gy - dual.exp(y) * gy.sum(axis=ctx.axis, keepdims=True)
