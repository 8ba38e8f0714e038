"""Indexing: reading with `t[index]`, and its adjoint, adding into zeros at `index`."""

import numpy as np

from ..function import Function
from . import dual


def _is_basic(index):
    """True for ints, slices, None and Ellipsis only: NumPy then never repeats an element."""
    parts = index if type(index) is tuple else (index,)
    return all(
        p is None or p is Ellipsis or isinstance(p, (slice, int, np.integer)) for p in parts
    )


class GetItem(Function):
    __slots__ = ("index", "in_shape")
    array_backward = True

    @staticmethod
    def forward(ctx, x, index):
        try:
            y = x[index]
        except IndexError as error:
            raise IndexError(f"index {index!r} into a tensor of shape {x.shape}: {error}") from None
        ctx.index = index
        ctx.in_shape = x.shape
        return y

    @staticmethod
    def backward(ctx, gy):
        return dual.scatter_add(gy, ctx.index, ctx.in_shape)


class ScatterAdd(Function):
    """zeros(shape) with g added at `index`; repeated indices accumulate."""

    __slots__ = ("index",)
    array_backward = True

    @staticmethod
    def forward(ctx, g, index, shape):
        out = np.zeros(shape, dtype=g.dtype)
        if _is_basic(index):
            out[index] = g
        else:
            np.add.at(out, index, g)
        if ctx is not None:
            ctx.index = index
        return out

    @staticmethod
    def backward(ctx, gy):
        return gy[ctx.index]


class SetItem(Function):
    """`x[index] = v` as a function of x and v: the result equals x outside `index`, v inside."""

    __slots__ = ("index",)
    array_backward = True

    @staticmethod
    def forward(ctx, x, v, index):
        out = x.copy()
        out[index] = v
        kept = np.ones(x.shape, dtype=bool)
        kept[index] = False
        ctx.save_for_backward(kept)
        ctx.index = index
        return out

    @staticmethod
    def backward(ctx, gy):
        (kept,) = ctx.saved_tensors
        gx = gy * kept if ctx.edges[0] is not None else None
        return gx, (gy[ctx.index] if ctx.edges[1] is not None else None)
