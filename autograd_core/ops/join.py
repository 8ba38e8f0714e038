"""Joining tensors and cutting them apart: concatenate (and PyTorch's cat), stack, split."""

import numpy as np

from ..function import Function
from ..tensor_base import array_of
from .common import normalize_axis
from .index import getitem
from .shape import expand_dims


class Concatenate(Function):
    __slots__ = ("axis", "sizes")
    array_backward = True

    @staticmethod
    def forward(ctx, *xs, axis=0):
        if not xs:
            raise ValueError("concatenate: need at least one tensor")
        ndim = np.ndim(xs[0])
        if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
            raise TypeError(f"concatenate: axis must be an int, got {axis!r}")
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
            grads.append(gy[lead + (slice(start, start + size),)] if edge is not None else None)
            start += size
        return tuple(grads)


def concatenate(tensors, axis=0):
    """Join tensors along an existing axis.

    >>> ag.concatenate([ag.ones(2), ag.zeros(3)]).shape   # (5,)
    """
    return Concatenate.apply(*tensors, axis=axis)


def cat(tensors, axis=0):
    """PyTorch's name for `concatenate`.

    >>> ag.cat([ag.ones(2, 1), ag.zeros(2, 1)], dim=1).shape   # (2, 2)
    """
    return concatenate(tensors, axis)


def stack(tensors, axis=0):
    """Join tensors of one shape along a new axis.

    >>> ag.stack([ag.ones(2), ag.zeros(2)]).shape         # (2, 2)
    """
    tensors = list(tensors)
    if not tensors:
        raise ValueError("stack: need at least one tensor")
    shapes = {np.shape(array_of(t)) for t in tensors}
    if len(shapes) != 1:
        raise ValueError(f"stack: all tensors must have one shape, got {sorted(shapes)}")
    return concatenate([expand_dims(t, axis) for t in tensors], axis=axis)


def split(x, indices_or_sections, axis=0):
    """Cut a tensor into pieces along `axis`, as `np.split` does (each piece a view).

    >>> a, b = ag.split(ag.arange(6.0), 2)             # two pieces of 3
    """
    shape = np.shape(array_of(x))
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"split: axis must be an int, got {axis!r}")
    (axis,) = normalize_axis(axis, len(shape), "split")
    length = shape[axis]
    if isinstance(indices_or_sections, (int, np.integer)):
        if indices_or_sections <= 0 or length % indices_or_sections:
            raise ValueError(
                f"split: axis {axis} of length {length} does not divide into "
                f"{indices_or_sections} equal sections"
            )
        step = length // indices_or_sections
        bounds = list(range(0, length + 1, step)) if step else [0] * (indices_or_sections + 1)
    else:
        bounds = [0, *indices_or_sections, length]
    lead = (slice(None),) * axis
    return [getitem(x, lead + (slice(start, stop),))
            for start, stop in zip(bounds[:-1], bounds[1:])]
