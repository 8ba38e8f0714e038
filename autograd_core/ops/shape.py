"""Primitives that move or replicate elements without arithmetic. The views among them
(reshape, transpose, broadcast_to, diagonal) return arrays that share the input's memory, and
apply makes their results views of the input tensor (see function.py and inplace.py)."""

import numpy as np

from ..function import Function
from ..tensor_base import array_of
from .common import normalize_axis


class _ShapeOp(Function):
    __slots__ = ("in_shape",)
    array_backward = True


class Reshape(_ShapeOp):
    """The same elements in a new shape: a view when NumPy needs no copy for it."""

    __slots__ = ()
    is_view = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = np.shape(x)
        try:
            return np.reshape(x, shape)
        except ValueError:
            raise ValueError(
                f"reshape: cannot reshape a tensor of shape {np.shape(x)} ({np.size(x)} "
                f"elements) into shape {tuple(shape)}"
            ) from None

    @staticmethod
    def backward(ctx, gy):
        return gy.reshape(ctx.in_shape)


def _shape_argument(shape):
    return (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)


def reshape(x, shape):
    """The same elements in a new shape (one entry may be -1); a view when no copy is needed.

    >>> ag.reshape(ag.arange(6.0), (2, 3)).shape  # (2, 3)
    """
    return Reshape.apply(x, shape=_shape_argument(shape))


def view(x, shape):
    """`reshape` that never copies: raises when the elements are not laid out for `shape`.

    >>> ag.ones(2, 3).view(3, 2).shape             # (3, 2)
    """
    shape = _shape_argument(shape)
    data = array_of(x)
    y = np.reshape(data, shape) if data.size else None
    if y is not None and not np.may_share_memory(y, data):
        raise RuntimeError(
            f"view: a tensor of shape {data.shape} with strides {data.strides} cannot be viewed "
            f"as shape {shape} without copying its elements; use reshape(), which copies"
        )
    return Reshape.apply(x, shape=shape)


def flatten(x):
    """All elements in one axis.  >>> ag.ones(2, 3).flatten().shape   # (6,)"""
    return reshape(x, (-1,))


def squeeze(x, axis=None):
    """Drop axes of length one (all of them, or those in `axis`): a view.

    >>> ag.squeeze(ag.ones(1, 3, 1)).shape         # (3,)
    """
    shape = np.shape(array_of(x))
    axes = normalize_axis(axis, len(shape), "squeeze") if axis is not None else \
        tuple(i for i, n in enumerate(shape) if n == 1)
    for a in axes:
        if shape[a] != 1:
            raise ValueError(f"squeeze: axis {a} of shape {shape} has length {shape[a]}, not 1")
    return reshape(x, tuple(n for i, n in enumerate(shape) if i not in axes))


def expand_dims(x, axis):
    """Insert axes of length one at `axis` (an int or a tuple): a view.

    >>> ag.expand_dims(ag.ones(3), 0).shape        # (1, 3)
    """
    try:
        shape = np.expand_dims(np.empty(np.shape(array_of(x)), dtype=bool), axis).shape
    except (ValueError, TypeError, OverflowError):  # NumPy's AxisError, or a bad axis
        raise ValueError(
            f"expand_dims: axis {axis!r} is out of range for a tensor of shape "
            f"{np.shape(array_of(x))}"
        ) from None
    return reshape(x, shape)


class Transpose(Function):
    __slots__ = ("axes",)
    array_backward = True
    is_view = True

    @staticmethod
    def forward(ctx, x, axes=None):
        ndim = np.ndim(x)
        if axes is None:
            axes = tuple(reversed(range(ndim)))
        elif any(not -ndim <= a < ndim for a in axes) or sorted(
            a % ndim for a in axes
        ) != list(range(ndim)):
            raise ValueError(
                f"transpose: axes {tuple(axes)} are not a permutation of the {ndim} axes "
                f"of a tensor of shape {np.shape(x)}"
            )
        ctx.axes = tuple(axes)
        return np.transpose(x, ctx.axes)

    @staticmethod
    def backward(ctx, gy):
        return gy.transpose(tuple(np.argsort([a % gy.ndim for a in ctx.axes])))


def transpose(x, axes=None):
    """Permute axes (None: reverse them): a view.

    >>> ag.transpose(ag.ones(2, 3)).shape          # (3, 2)
    """
    return Transpose.apply(x, axes=None if axes is None else tuple(axes))


def swapaxes(x, axis1, axis2):
    """Exchange two axes: a view.

    >>> ag.swapaxes(ag.ones(2, 3, 4), -1, -2).shape   # (2, 4, 3)
    """
    ndim = np.ndim(array_of(x))
    (axis1,) = normalize_axis(axis1, ndim, "swapaxes")
    (axis2,) = normalize_axis(axis2, ndim, "swapaxes")
    axes = list(range(ndim))
    axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
    return transpose(x, axes)


def moveaxis(x, source, destination):
    """Move axes to new positions, the others keeping their order: a view.

    >>> ag.moveaxis(ag.ones(2, 3, 4), 0, -1).shape    # (3, 4, 2)
    """
    ndim = np.ndim(array_of(x))
    source = _axes_in_order(source, ndim, "moveaxis (source)")
    destination = _axes_in_order(destination, ndim, "moveaxis (destination)")
    if len(source) != len(destination):
        raise ValueError(f"moveaxis: {len(source)} source axes but {len(destination)} "
                         "destinations")
    order = [axis for axis in range(ndim) if axis not in source]
    for target, axis in sorted(zip(destination, source)):
        order.insert(target, axis)
    return transpose(x, order)


def _axes_in_order(axes, ndim, op):
    """Axes as given (not sorted), each made non-negative; repeats are an error."""
    axes = list(axes) if isinstance(axes, (tuple, list)) else [axes]
    normalized = [normalize_axis(a, ndim, op)[0] for a in axes]
    if len(set(normalized)) != len(normalized):
        raise ValueError(f"{op}: repeated axis in {axes!r}")
    return normalized


class BroadcastTo(_ShapeOp):
    """Replicate along broadcast axes (a read-only view); the engine sums the gradient back."""

    __slots__ = ()
    is_view = True

    @staticmethod
    def forward(ctx, x, shape):
        try:
            return np.broadcast_to(x, shape)
        except ValueError:
            raise ValueError(
                f"broadcast_to: a tensor of shape {np.shape(x)} cannot be broadcast to "
                f"{tuple(shape)}"
            ) from None

    @staticmethod
    def backward(ctx, gy):
        return gy


def broadcast_to(x, shape):
    """Replicate along broadcast axes: a view that cannot be written to; the gradient sums back.

    >>> ag.broadcast_to(ag.ones(3), (2, 3)).shape  # (2, 3)
    """
    return BroadcastTo.apply(x, shape=_shape_argument(shape))


class Diagonal(Function):
    """The diagonal of two axes, as a writable view (as in PyTorch; NumPy's is read-only)."""

    __slots__ = ("in_shape", "where")
    array_backward = True
    is_view = True

    @staticmethod
    def forward(ctx, x, offset=0, axis1=0, axis2=1):
        ctx.in_shape, ctx.where = np.shape(x), (offset, axis1, axis2)
        try:
            d = np.diagonal(x, offset, axis1, axis2)
        except ValueError as error:
            raise ValueError(f"diagonal: {error} (tensor of shape {np.shape(x)})") from None
        if isinstance(x, np.ndarray) and x.flags.writeable:
            d.flags.writeable = True
        return d

    @staticmethod
    def backward(ctx, gy):
        return EmbedDiagonal.apply(gy, shape=ctx.in_shape, where=ctx.where)


class EmbedDiagonal(Function):
    """Zeros of `shape` with `g` on the diagonal `where` = (offset, axis1, axis2)."""

    __slots__ = ("where",)
    array_backward = True

    @staticmethod
    def forward(ctx, g, shape, where):
        ctx.where = where
        out = np.zeros(shape, dtype=np.result_type(g))
        region = np.diagonal(out, *where)
        region.flags.writeable = True
        region[...] = g
        return out

    @staticmethod
    def backward(ctx, gy):
        offset, axis1, axis2 = ctx.where
        return Diagonal.apply(gy, offset=offset, axis1=axis1, axis2=axis2)


def diagonal(x, offset=0, axis1=0, axis2=1):
    """The diagonal of axes `axis1` and `axis2` (last axis of the result), as a writable view.

    >>> ag.diagonal(ag.eye(3) * 2.0)                # tensor([2., 2., 2.])
    """
    return Diagonal.apply(x, offset=offset, axis1=axis1, axis2=axis2)


class SumTo(_ShapeOp):
    """Sum over broadcast axes down to `shape`: how the engine un-broadcasts a gradient."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = np.shape(x)
        leading, stretched = _broadcast_axes(np.shape(x), shape)
        if stretched:
            x = x.sum(axis=stretched, keepdims=True)
        if leading:
            x = x.sum(axis=leading)
        return np.reshape(x, shape)

    @staticmethod
    def backward(ctx, gy):
        return broadcast_to(gy, ctx.in_shape)


def sum_to(x, shape):
    """Sum `x` over the axes that broadcasting added or stretched, so that it gets `shape`:
    the only place a broadcast gradient is reduced to its input's shape.

    >>> ag.ops.shape.sum_to(ag.ones(2, 3), (3,))   # tensor([2., 2., 2.])
    """
    return SumTo.apply(x, shape=tuple(shape))


def _broadcast_axes(grad_shape, shape):
    lead = len(grad_shape) - len(shape)
    if lead < 0 or any(s != 1 and s != grad_shape[lead + i] for i, s in enumerate(shape)):
        raise RuntimeError(
            f"sum_to: a gradient of shape {grad_shape} cannot be summed to the input shape "
            f"{shape} (the input shape must broadcast to the gradient's): a backward returned "
            "a gradient of the wrong shape"
        )
    stretched = tuple(lead + i for i, s in enumerate(shape) if s == 1 and grad_shape[lead + i] != 1)
    return tuple(range(lead)), stretched


def atleast_1d(*tensors):
    """Each tensor with at least one axis (a scalar becomes shape (1,)); a tuple for several.

    >>> ag.atleast_1d(ag.tensor(2.0)).shape          # (1,)
    """
    results = tuple(reshape(t, (1,)) if np.ndim(array_of(t)) == 0 else t for t in tensors)
    return results[0] if len(results) == 1 else results


def atleast_2d(*tensors):
    """Each tensor with at least two axes: a scalar becomes (1, 1), shape (n,) becomes (1, n).

    >>> ag.atleast_2d(ag.ones(3)).shape              # (1, 3)
    """
    results = tuple(reshape(t, (1,) * (2 - np.ndim(array_of(t))) + np.shape(array_of(t)))
                    if np.ndim(array_of(t)) < 2 else t for t in tensors)
    return results[0] if len(results) == 1 else results
