"""Choosing values without arithmetic: where, clip, and a change of dtype."""

import numpy as np

from .. import dtypes
from ..function import Function
from ..grad_mode import set_grad_enabled
from ..tensor_base import array_of
from .common import check_broadcast


class Where(Function):
    """where(cond, a, b): the gradient goes to `a` where cond holds, to `b` elsewhere."""

    __slots__ = ()
    array_backward = True

    @staticmethod
    def forward(ctx, cond, a, b):
        cond = np.asarray(cond, dtype=bool)
        ctx.save_for_backward(cond)
        try:
            return np.where(cond, a, b)
        except ValueError:
            check_broadcast("where", cond, a, b)
            raise

    @staticmethod
    def backward(ctx, gy):
        (cond,) = ctx.saved_tensors
        ga = gy * cond if ctx.edges[1] is not None else None
        gb = gy * ~cond if ctx.edges[2] is not None else None
        return None, ga, gb


def where(cond, a, b):
    """`a` where `cond` holds, else `b` (broadcast together).

    >>> ag.where(x > 0, x, 0.1 * x)                # leaky ReLU
    """
    cond = np.asarray(array_of(cond))
    if cond.dtype != bool:
        raise TypeError(f"where: the condition must be a bool tensor, got dtype {cond.dtype}")
    return Where.apply(cond, a, b)


class Clip(Function):
    """clip(x, lo, hi); the gradient passes where lo <= x <= hi."""

    __slots__ = ()
    array_backward = True

    @staticmethod
    def forward(ctx, x, lo, hi):
        inside = np.ones(np.shape(x), dtype=bool)
        if lo is not None:
            inside &= x >= lo
        if hi is not None:
            inside &= x <= hi
        ctx.save_for_backward(inside)
        return np.clip(x, lo, hi)

    @staticmethod
    def backward(ctx, gy):
        (inside,) = ctx.saved_tensors
        return gy * inside, None, None


def clip(x, lo=None, hi=None):
    """Limit values to [lo, hi]; the gradient passes where lo <= x <= hi.

    >>> ag.clip(ag.tensor([-2.0, 0.5, 2.0]), -1, 1)  # tensor([-1., 0.5, 1.])
    """
    if lo is None and hi is None:
        raise ValueError("clip: give at least one of lo and hi")
    return Clip.apply(x, array_of(lo), array_of(hi))


class Clone(Function):
    """A copy of x in new memory; the gradient passes through unchanged."""

    __slots__ = ()
    array_backward = True

    @staticmethod
    def forward(ctx, x):
        return np.array(x, copy=True)

    @staticmethod
    def backward(ctx, gy):
        return gy


def clone(x):
    """A copy in new memory, still in the graph (as PyTorch's clone).

    >>> y = x.clone(); y.add_(1.0)                 # x is unchanged
    """
    return Clone.apply(x)


class Cast(Function):
    """A change of dtype; the engine casts the gradient back to the input's dtype."""

    __slots__ = ()
    array_backward = True

    @staticmethod
    def forward(ctx, x, dtype):
        return x.astype(dtype)

    @staticmethod
    def backward(ctx, gy):
        return gy, None


def astype(x, dtype):
    """The same values in another dtype; gradients come back in the original dtype.

    >>> ag.ones(2).astype(np.float32).dtype         # float32
    """
    dtype = np.dtype(dtype)
    if not dtypes.is_numeric(dtype):
        raise TypeError(f"astype: unsupported dtype {dtype}; tensors hold bool, int or float")
    if dtype == np.result_type(array_of(x)):
        return x
    if not dtypes.is_floating(dtype):  # rounding to integers (or bools) carries no gradient
        with set_grad_enabled(False):
            return Cast.apply(x, dtype)
    return Cast.apply(x, dtype)
