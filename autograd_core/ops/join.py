"""Joining tensors and cutting them apart: concatenate (and PyTorch's cat), stack, vstack,
hstack, split, array_split; and `stacked`, which turns a list of Tensors given as one array into
their stack."""

import numpy as np

from ..function import Function
from ..tensor_base import TensorBase, array_of
from .common import normalize_axis, one_axis
from .index import getitem
from .shape import atleast_1d, atleast_2d, expand_dims


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


def vstack(tensors):
    """Join along the first axis, 1-D tensors as rows (as `np.vstack`).

    >>> ag.vstack([ag.ones(3), ag.zeros(3)]).shape       # (2, 3)
    """
    tensors = _pieces(tensors, "vstack", lambda shape: (1,) * (2 - len(shape)) + shape, 0)
    return concatenate([atleast_2d(t) for t in tensors], axis=0)


def hstack(tensors):
    """Join along the second axis, or the first for 1-D tensors (as `np.hstack`).

    >>> ag.hstack([ag.ones(2), ag.zeros(3)]).shape        # (5,)
    """
    first = np.shape(array_of(next(iter(tensors), None)))
    axis = 0 if len(first) <= 1 else 1
    tensors = _pieces(tensors, "hstack", lambda shape: shape or (1,), axis)
    return concatenate([atleast_1d(t) for t in tensors], axis=axis)


def _pieces(tensors, op, promoted, axis):
    """The pieces as a list, checked to join along `axis` once promoted to enough axes (so
    that a mismatch is reported before anything is recorded)."""
    tensors = list(tensors)
    if not tensors:
        raise ValueError(f"{op}: need at least one tensor")
    shapes = [promoted(np.shape(array_of(t))) for t in tensors]
    if any(len(s) != len(shapes[0]) or s[:axis] + s[axis + 1:] != shapes[0][:axis] +
           shapes[0][axis + 1:] for s in shapes):
        listed = ", ".join(str(np.shape(array_of(t))) for t in tensors)
        raise ValueError(f"{op}: shapes {listed} do not match along every axis but axis {axis}")
    return tensors


def array_split(x, indices_or_sections, axis=0):
    """Cut a tensor into pieces along `axis` as `np.array_split` does: `n` sections need not
    divide the length (the first ones are one longer); each piece is a view.

    >>> [p.shape for p in ag.array_split(ag.arange(7.0), 3)]   # [(3,), (2,), (2,)]
    """
    shape = np.shape(array_of(x))
    axis = one_axis(axis, shape, "array_split")
    length = shape[axis]
    if isinstance(indices_or_sections, (int, np.integer)):
        if indices_or_sections <= 0:
            raise ValueError(f"array_split: the number of sections must be positive, got "
                             f"{indices_or_sections} (tensor of shape {shape})")
        each, extra = divmod(length, int(indices_or_sections))
        sizes = [each + 1] * extra + [each] * (int(indices_or_sections) - extra)
        bounds = [0, *np.cumsum(sizes).tolist()]
    else:
        bounds = [0, *[int(i) for i in indices_or_sections], length]
    lead = (slice(None),) * axis
    return [getitem(x, lead + (slice(start, stop),))
            for start, stop in zip(bounds[:-1], bounds[1:])]


def stacked(x):
    """`x` itself, or, when `x` is a list or tuple holding Tensors (at any depth), their
    stack with the history kept: a function that takes an array takes `[a, b]` as
    `stack([a, b])` (`ag.mean([a, b])`), where `np.asarray` would drop the graph.

    >>> ag.mean([ag.tensor(1.0, requires_grad=True), ag.tensor(3.0)])   # tensor(2., grad_fn=...)
    """
    if isinstance(x, (list, tuple)) and holds_tensor(x):
        return stack([stacked(item) for item in x])
    return x


def holds_tensor(x):
    """True when the list or tuple `x` holds a Tensor, at any depth."""
    pending = [x]
    while pending:
        item = pending.pop()
        if isinstance(item, TensorBase):
            return True
        if isinstance(item, (list, tuple)):
            pending.extend(item)
    return False
