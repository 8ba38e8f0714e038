"""Reductions over axes (sum, mean, var, std, prod, max, min, all, any), and the softmax
family, fused for numerical stability. Each takes a list of Tensors as their stack
(`ag.mean([a, b])`, see join.stacked)."""

import builtins

import numpy as np

from .. import dtypes
from ..function import Function
from ..tensor_base import array_of
from .arrange import flip
from .common import axes_of, keepdims_shape, without_history
from .join import stacked
from .scan import cumprod, shift
from .select import astype
from .shape import broadcast_to, reshape, transpose
from .unary import sqrt


class _Reduction(Function):
    __slots__ = ("in_shape", "kept_shape")
    array_backward = True

    def _remember(ctx, x, axis, op):
        axes = axes_of(axis, np.shape(x), op)
        ctx.in_shape = np.shape(x)
        ctx.kept_shape = keepdims_shape(ctx.in_shape, axes)
        return axes


class Sum(_Reduction):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x, axis=None, keepdims=False):
        axes = ctx._remember(x, axis, "sum")
        return np.sum(x, axis=axes, keepdims=keepdims)

    @staticmethod
    def backward(ctx, gy):
        return broadcast_to(gy.reshape(ctx.kept_shape), shape=ctx.in_shape)


def sum(x, axis=None, keepdims=False):  # noqa: A001  (NumPy's name)
    """Sum over `axis` (None: all).

    >>> ag.sum(ag.ones(2, 3), axis=0)            # tensor([2., 2., 2.])
    """
    return Sum.apply(stacked(x), axis=axis, keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    """Mean over `axis` (None: all); ints and bools average in the default float dtype.

    >>> ag.mean(ag.tensor([1.0, 3.0]))           # tensor(2.)
    """
    x = stacked(x)
    axes = axes_of(axis, np.shape(x), "mean")
    total = sum(_floating(x), axes, keepdims)
    return total / _count(x, axes)


def var(x, axis=None, keepdims=False, ddof=0):
    """Variance over `axis`, dividing by N - ddof as NumPy does.

    >>> ag.var(ag.tensor([1.0, 3.0]))            # tensor(1.)
    """
    x = stacked(x)
    axes = axes_of(axis, np.shape(x), "var")
    x = _floating(x)
    deviation = x - mean(x, axes, keepdims=True)
    return sum(deviation * deviation, axes, keepdims) / builtins.max(_count(x, axes) - ddof, 0)


def std(x, axis=None, keepdims=False, ddof=0):
    """Standard deviation over `axis`: sqrt(var(x, axis, ddof=ddof)), dividing by N - ddof as
    NumPy does (ddof=0 by default, also where PyTorch's default differs).

    >>> ag.std(ag.tensor([1.0, 3.0]))            # tensor(1.)
    """
    x = stacked(x)
    return sqrt(var(x, axes_of(axis, np.shape(array_of(x)), "std"), keepdims, ddof))


class Prod(_Reduction):
    """The product over axes. d prod / d x[k] is the product of every other entry: the
    products before k times those after k (exclusive cumulative products), which needs no
    division, so it is exact with one zero or several, to every order."""

    __slots__ = ("axes",)

    @staticmethod
    def forward(ctx, x, axis=None, keepdims=False):
        ctx.axes = ctx._remember(x, axis, "prod")
        ctx.save_for_backward(x)
        return np.prod(x, axis=ctx.axes, keepdims=keepdims)

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy.reshape(ctx.kept_shape) * _product_of_the_others(x, ctx.axes)


def _product_of_the_others(x, axes):
    """For each entry, the product of the other entries of its lane over `axes`."""
    shape = np.shape(x)
    kept = [a for a in range(len(shape)) if a not in axes]
    order = kept + list(axes)
    lanes = reshape(transpose(x, order), tuple(shape[a] for a in kept) + (-1,))
    if lanes.shape[-1] == 0:
        return x * 1
    last = len(kept)
    before = shift(cumprod(lanes, axis=last), last, 1, 1)
    after = flip(shift(cumprod(flip(lanes, last), axis=last), last, 1, 1), last)
    others = reshape(before * after, tuple(shape[a] for a in order))
    return transpose(others, tuple(np.argsort(order)))


def prod(x, axis=None, keepdims=False):
    """The product over `axis` (None: all); its gradient is exact where entries are zero.

    >>> ag.prod(ag.tensor([2.0, 3.0, 4.0]))      # tensor(24.)
    """
    return Prod.apply(stacked(x), axis=axis, keepdims=keepdims)


def all(x, axis=None, keepdims=False):  # noqa: A001  (NumPy's name)
    """Whether every entry over `axis` is true (nonzero): a bool tensor with no history.

    >>> ag.all(ag.tensor([1.0, 0.0]))            # tensor(False)
    """
    x = stacked(x)
    data = array_of(x)
    axes = axes_of(axis, np.shape(data), "all")
    return without_history(x, np.all(data, axis=axes, keepdims=keepdims))


def any(x, axis=None, keepdims=False):  # noqa: A001
    """Whether some entry over `axis` is true (nonzero): a bool tensor with no history.

    >>> ag.any(ag.tensor([1.0, 0.0]))            # tensor(True)
    """
    x = stacked(x)
    data = array_of(x)
    axes = axes_of(axis, np.shape(data), "any")
    return without_history(x, np.any(data, axis=axes, keepdims=keepdims))


def _floating(x):
    """x as a floating tensor (a recorded cast) when it holds ints or bools."""
    dtype = getattr(x, "dtype", None)
    if dtype is not None and dtypes.is_floating(dtype):
        return x
    return astype(x, dtypes.get_default_dtype())


def _count(x, axes):
    shape = np.shape(x)
    return int(np.prod([shape[a] for a in axes], dtype=np.int64))


class _Extremum(_Reduction):
    """max/min over axes: the gradient goes to the extremal entries, split evenly among ties."""

    __slots__ = ()
    pick = None

    @classmethod
    def forward(cls, ctx, x, axis=None, keepdims=False):
        axes = ctx._remember(x, axis, cls.__name__.lower())
        if np.size(x) == 0:
            raise ValueError(f"{cls.__name__.lower()}: cannot reduce an empty tensor "
                             f"{np.shape(x)}")
        y = cls.pick(x, axis=axes, keepdims=True)
        winners = x == y
        weight = winners / winners.sum(axis=axes, keepdims=True)
        ctx.save_for_backward(weight.astype(np.result_type(x, np.float16), copy=False))
        if keepdims:
            return y
        return y.reshape(tuple(n for i, n in enumerate(np.shape(x)) if i not in axes))

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


def max(x, axis=None, keepdims=False):  # noqa: A001
    """Maximum over `axis`; the gradient is split evenly among tied maxima.

    >>> ag.max(ag.tensor([1.0, 3.0]))            # tensor(3.)
    """
    return Max.apply(stacked(x), axis=axis, keepdims=keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001
    """Minimum over `axis`; the gradient is split evenly among tied minima.

    >>> ag.min(ag.tensor([1.0, 3.0]))            # tensor(1.)
    """
    return Min.apply(stacked(x), axis=axis, keepdims=keepdims)


def _shifted_max(x, axes):
    # Subtracting the max keeps exp() from overflowing; infinite maxima shift by 0 instead.
    m = np.max(x, axis=axes, keepdims=True)
    return np.where(np.isfinite(m), m, 0)


def _check_not_empty(x, axes, op):
    if builtins.any(np.shape(x)[a] == 0 for a in axes):
        raise ValueError(f"{op}: cannot take it over an empty axis of a tensor of shape "
                         f"{np.shape(x)}")


class LogSumExp(_Reduction):
    """log(sum(exp(x))) over axes, computed around the max so |x| = 1000 stays finite."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, x, axis=None, keepdims=False):
        x = dtypes.floating(x)
        axes = ctx._remember(x, axis, "logsumexp")
        _check_not_empty(x, axes, "logsumexp")
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
        return gy.reshape(ctx.kept_shape) * np.exp(x - y.reshape(ctx.kept_shape))


def logsumexp(x, axis=None, keepdims=False):
    """log(sum(exp(x))) over `axis`, stable for large |x|.

    >>> ag.logsumexp(ag.tensor([1000.0, 1000.0]))   # tensor(1000.6931...)
    """
    return LogSumExp.apply(stacked(x), axis=axis, keepdims=keepdims)


class Softmax(Function):
    """exp(x) / sum(exp(x)) along one axis; backward p * (g - sum(g * p)) is diag(p) - p p^T."""

    __slots__ = ("axis",)
    array_backward = True

    @staticmethod
    def forward(ctx, x, axis=-1):
        x = dtypes.floating(x)
        ctx.axis = axes_of(axis, x.shape, "softmax")
        _check_not_empty(x, ctx.axis, "softmax")
        e = np.exp(x - _shifted_max(x, ctx.axis))
        p = e / np.sum(e, axis=ctx.axis, keepdims=True)
        ctx.save_for_backward(p)
        return p

    @staticmethod
    def backward(ctx, gy):
        (p,) = ctx.saved_tensors
        return p * (gy - (gy * p).sum(axis=ctx.axis, keepdims=True))


def softmax(x, axis=-1):
    """exp(x) / sum(exp(x)) along `axis`, stable for large |x|.

    >>> ag.softmax(ag.tensor([0.0, 0.0]))          # tensor([0.5, 0.5])
    """
    return Softmax.apply(stacked(x), axis=axis)


class LogSoftmax(Function):
    """x - logsumexp(x) along one axis; backward g - softmax(x) * sum(g)."""

    __slots__ = ("axis",)
    array_backward = True

    @staticmethod
    def forward(ctx, x, axis=-1):
        x = dtypes.floating(x)
        ctx.axis = axes_of(axis, x.shape, "log_softmax")
        _check_not_empty(x, ctx.axis, "log_softmax")
        shifted = x - _shifted_max(x, ctx.axis)
        y = shifted - np.log(np.sum(np.exp(shifted), axis=ctx.axis, keepdims=True))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        return gy - np.exp(y) * gy.sum(axis=ctx.axis, keepdims=True)


def log_softmax(x, axis=-1):
    """x - logsumexp(x) along `axis`, stable for large |x|.

    >>> ag.log_softmax(ag.tensor([0.0, 0.0]))      # tensor([-0.693, -0.693])
    """
    return LogSoftmax.apply(stacked(x), axis=axis)
