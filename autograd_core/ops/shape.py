"""Primitives that move or replicate elements without arithmetic."""

import numpy as np

from ..function import Function
from . import dual


class _ShapeOp(Function):
    __slots__ = ("in_shape",)
    array_backward = True


class Reshape(_ShapeOp):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = x.shape
        try:
            return x.reshape(shape)
        except ValueError:
            raise ValueError(
                f"reshape: cannot reshape a tensor of shape {x.shape} ({x.size} elements) "
                f"into shape {tuple(shape)}"
            ) from None

    @staticmethod
    def backward(ctx, gy):
        return gy.reshape(ctx.in_shape)


class Transpose(Function):
    __slots__ = ("axes",)
    array_backward = True

    @staticmethod
    def forward(ctx, x, axes=None):
        if axes is None:
            axes = tuple(reversed(range(x.ndim)))
        elif any(not -x.ndim <= a < x.ndim for a in axes) or sorted(
            a % x.ndim for a in axes
        ) != list(range(x.ndim)):
            raise ValueError(
                f"transpose: axes {tuple(axes)} are not a permutation of the {x.ndim} axes "
                f"of a tensor of shape {x.shape}"
            )
        ctx.axes = tuple(axes)
        return x.transpose(ctx.axes)

    @staticmethod
    def backward(ctx, gy):
        return gy.transpose(tuple(np.argsort([a % gy.ndim for a in ctx.axes])))


class BroadcastTo(_ShapeOp):
    """Replicate along broadcast axes; the engine sums the gradient back (the split rule)."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, x, shape):
        try:
            return np.broadcast_to(x, shape)
        except ValueError:
            raise ValueError(
                f"broadcast_to: a tensor of shape {x.shape} cannot be broadcast to {tuple(shape)}"
            ) from None

    @staticmethod
    def backward(ctx, gy):
        return gy


class SumTo(_ShapeOp):
    """Sum over broadcast axes down to `shape` (the engine's un-broadcast under create_graph)."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = x.shape
        return dual.sum_to(x, shape)

    @staticmethod
    def backward(ctx, gy):
        return dual.broadcast_to(gy, ctx.in_shape)


class Concatenate(Function):
    __slots__ = ("axis", "sizes")
    array_backward = True

    @staticmethod
    def forward(ctx, *xs, axis=0):
        if not xs:
            raise ValueError("concatenate: need at least one tensor")
        ndim = np.ndim(xs[0])
        if not -ndim <= axis < ndim:
            raise ValueError(
                f"concatenate: axis {axis} is out of range for tensors of shape {np.shape(xs[0])}"
            )
        try:
            out = np.concatenate(xs, axis=axis)
        except (ValueError, np.exceptions.AxisError):
            shapes = ", ".join(str(np.shape(x)) for x in xs)
            raise ValueError(
                f"concatenate: shapes {shapes} do not match along every axis but axis {axis}"
            ) from None
        ctx.axis = axis % out.ndim
        ctx.sizes = [np.shape(x)[ctx.axis] for x in xs]
        return out

    @staticmethod
    def backward(ctx, gy):
        grads = []
        start = 0
        lead = (slice(None),) * ctx.axis
        for size, edge in zip(ctx.sizes, ctx.edges):
            if edge is not None:
                grads.append(gy[lead + (slice(start, start + size),)])
            else:
                grads.append(None)
            start += size
        return tuple(grads)
