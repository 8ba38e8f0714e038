"""pad, as `np.pad` with the modes "constant", "edge", "reflect", "symmetric" and "wrap".

The constant mode joins blocks of the constant on each side (concatenate: its gradient is the
middle slice). The other modes read every padded position from some element of the input:
`np.pad(np.arange(n), width, mode)` is that element's index along the axis, so padding is
integer-array indexing, and the gradient of every copy folds back onto its source element
(ScatterAdd accumulates the repeats).
"""

import numpy as np

from ..tensor_base import array_of
from .index import getitem
from .join import concatenate
from .select import clone

MODES = ("constant", "edge", "reflect", "symmetric", "wrap")


def pad(x, pad_width, mode="constant", constant_values=0):
    """`x` padded by `pad_width` (an int, a (before, after) pair, or one pair per axis), as
    `np.pad`; a copy.

    >>> ag.pad(ag.tensor([1.0, 2.0]), 1)                     # tensor([0., 1., 2., 0.])
    >>> ag.pad(ag.tensor([1.0, 2.0, 3.0]), 2, mode="reflect")   # [3, 2, 1, 2, 3, 2, 1]
    """
    shape = np.shape(array_of(x))
    widths = _widths(pad_width, shape)
    if mode not in MODES:
        raise ValueError(f"pad: mode must be one of {MODES}, got {mode!r}")
    if mode == "constant":
        result = _pad_constant(x, widths, constant_values, shape)
    else:
        result = x
        for axis, (before, after) in enumerate(widths):
            if before or after:
                if shape[axis] == 0:
                    raise ValueError(f"pad: cannot pad axis {axis} of length 0 in mode {mode!r} "
                                     f"(tensor of shape {shape})")
                source = np.pad(np.arange(shape[axis]), (before, after), mode=mode)
                result = getitem(result, (slice(None),) * axis + (source,))
    return clone(result) if result is x else result


def _widths(pad_width, shape):
    """pad_width as one (before, after) pair of non-negative ints per axis."""
    try:
        widths = np.broadcast_to(np.asarray(pad_width), (len(shape), 2))
    except ValueError:
        raise ValueError(f"pad: pad_width {pad_width!r} does not fit a tensor of shape {shape}: "
                         "give an int, a (before, after) pair, or one pair per axis") from None
    if widths.size and widths.dtype.kind not in "iu":
        raise TypeError(f"pad: pad_width must hold ints, got {pad_width!r}")
    if (widths < 0).any():
        raise ValueError(f"pad: pad widths must be non-negative, got {pad_width!r} (tensor of "
                         f"shape {shape})")
    return [(int(before), int(after)) for before, after in widths.reshape(-1, 2)]


def _pad_constant(x, widths, constant_values, shape):
    try:
        values = np.broadcast_to(np.asarray(array_of(constant_values)), (len(shape), 2))
    except ValueError:
        raise ValueError(f"pad: constant_values {constant_values!r} do not fit a tensor of "
                         f"shape {shape}") from None
    dtype = np.result_type(array_of(x))
    result = x
    current = list(shape)
    for axis, (before, after) in enumerate(widths):
        if not (before or after):
            continue
        pieces = []
        for width, value in ((before, values[axis][0]), (after, values[axis][1])):
            current[axis] = width
            pieces.append(np.full(current, value, dtype=dtype))
        current[axis] = shape[axis]
        result = concatenate([pieces[0], result, pieces[1]], axis=axis)
        current[axis] = shape[axis] + before + after
    return result
