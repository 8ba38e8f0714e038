"""Rearranging and replicating elements: flip, roll, rot90, tile, repeat. Each is composed of
indexing, reshape, broadcast_to and concatenate, whose gradients are exact (a permutation, or
a sum over the copies), so none needs a primitive of its own.

flip and rot90 return views, as in NumPy (PyTorch copies); roll, tile and repeat copies.
"""

import numpy as np

from ..tensor_base import array_of
from .common import axes_of, one_axis
from .index import getitem
from .join import concatenate
from .select import clone
from .shape import broadcast_to, expand_dims, reshape, transpose


def flip(x, axis=None):
    """Reverse the order of elements along `axis` (an int, a tuple, or None: every axis): a
    view, as in NumPy.

    >>> ag.flip(ag.tensor([1.0, 2.0, 3.0]))          # tensor([3., 2., 1.])
    """
    shape = np.shape(array_of(x))
    axes = axes_of(axis, shape, "flip")
    return getitem(x, tuple(slice(None, None, -1) if a in axes else slice(None)
                            for a in range(len(shape))))


def roll(x, shift, axis=None):
    """Shift elements along `axis` cyclically, as `np.roll` (None: over the flattened tensor).
    `shift` and `axis` may be tuples of the same length. A copy.

    >>> ag.roll(ag.tensor([1.0, 2.0, 3.0]), 1)       # tensor([3., 1., 2.])
    """
    shape = np.shape(array_of(x))
    if axis is None:
        return reshape(roll(reshape(x, (-1,)), shift, 0), shape)
    try:
        shifts, axes = np.broadcast_arrays(np.asarray(shift), np.asarray(axis))
    except ValueError:
        raise ValueError(f"roll: shift {shift!r} and axis {axis!r} must have the same length "
                         f"(tensor of shape {shape})") from None
    total = {}
    for s, a in zip(shifts.reshape(-1).tolist(), axes.reshape(-1).tolist()):
        a = one_axis(a, shape, "roll")
        total[a] = total.get(a, 0) + int(s)
    result = x
    for a, s in sorted(total.items()):
        k = s % shape[a] if shape[a] else 0
        if k:
            lead = (slice(None),) * a
            result = concatenate([getitem(result, lead + (slice(shape[a] - k, None),)),
                                  getitem(result, lead + (slice(0, shape[a] - k),))], axis=a)
    return clone(result) if result is x else result


def rot90(x, k=1, axes=(0, 1)):
    """Rotate by 90 degrees `k` times in the plane of `axes`, from the first axis towards the
    second, as `np.rot90`: a view.

    >>> ag.rot90(ag.tensor([[1.0, 2.0], [3.0, 4.0]]))    # tensor([[2., 4.], [1., 3.]])
    """
    shape = np.shape(array_of(x))
    axes = tuple(axes)
    if len(axes) != 2:
        raise ValueError(f"rot90: axes must be two axes, got {axes!r}")
    first = one_axis(axes[0], shape, "rot90", "axes")
    second = one_axis(axes[1], shape, "rot90", "axes")
    if first == second:
        raise ValueError(f"rot90: the two axes must differ, got {axes!r} (shape {shape})")
    k = int(k) % 4
    if k == 0:
        return getitem(x, (Ellipsis,))
    if k == 2:
        return flip(x, (first, second))
    order = list(range(len(shape)))
    order[first], order[second] = order[second], order[first]
    if k == 1:
        return transpose(flip(x, second), order)
    return flip(transpose(x, order), second)


def tile(x, reps):
    """The tensor repeated `reps` times along each axis, as `np.tile`. A copy.

    >>> ag.tile(ag.tensor([1.0, 2.0]), 2)             # tensor([1., 2., 1., 2.])
    """
    shape = np.shape(array_of(x))
    reps = (reps,) if isinstance(reps, (int, np.integer)) else tuple(reps)
    _check_counts(reps, "tile", "reps", shape)
    ndim = max(len(reps), len(shape))
    reps = (1,) * (ndim - len(reps)) + reps
    shape = (1,) * (ndim - len(shape)) + shape
    # (s0, s1) -> (1, s0, 1, s1) -> broadcast to (r0, s0, r1, s1) -> (r0 * s0, r1 * s1)
    spread = reshape(x, tuple(n for size in shape for n in (1, size)))
    copies = broadcast_to(spread, tuple(n for pair in zip(reps, shape) for n in pair))
    return _copied(reshape(copies, tuple(r * n for r, n in zip(reps, shape))), x)


def repeat(x, repeats, axis=None):
    """Each element repeated `repeats` times along `axis`, as `np.repeat` (None: over the
    flattened tensor); `repeats` may give one count per element. A copy.

    >>> ag.repeat(ag.tensor([1.0, 2.0]), 2)           # tensor([1., 1., 2., 2.])
    """
    shape = np.shape(array_of(x))
    axis = one_axis(axis, shape, "repeat") if axis is not None else None
    length = shape[axis] if axis is not None else int(np.prod(shape, dtype=np.int64))
    counts = np.asarray(array_of(repeats))
    _check_counts(counts.reshape(-1).tolist(), "repeat", "repeats", shape)
    if counts.ndim > 1 or counts.ndim == 1 and counts.size not in (1, length):
        raise ValueError(f"repeat: repeats of shape {counts.shape} do not match axis {axis} of "
                         f"length {length} (tensor of shape {shape})")
    if axis is None:
        x, axis = reshape(x, (-1,)), 0
        shape = (length,)
    if counts.ndim == 0:  # one count: broadcast a new axis after `axis`, then merge the two
        r = int(counts)
        copies = broadcast_to(expand_dims(x, axis + 1), shape[:axis + 1] + (r,) + shape[axis + 1:])
        return _copied(reshape(copies, shape[:axis] + (shape[axis] * r,) + shape[axis + 1:]), x)
    index = np.repeat(np.arange(length), counts)
    return getitem(x, (slice(None),) * axis + (index,))


def _check_counts(counts, op, argument, shape):
    for c in counts:
        if isinstance(c, (bool, np.bool_)) or not isinstance(c, (int, np.integer)):
            raise TypeError(f"{op}: {argument} must be integers, got {c!r}")
        if c < 0:
            raise ValueError(f"{op}: {argument} must be non-negative, got {c} "
                             f"(tensor of shape {shape})")


def _copied(result, x):
    """`result` itself, or a copy when reshape could give it without copying (all counts 1):
    these functions return new memory, as NumPy's do."""
    if np.may_share_memory(array_of(result), array_of(x)):
        return clone(result)
    return result
