"""The array operations the engine itself needs: making, copying and adding gradient buffers.

The engine calls NumPy only through this module (the ops call it directly), so another array
library with NumPy's interface (CuPy on a GPU) can be slotted in by changing this file and the
op modules, without touching the graph code.
"""

import numpy as np

ndarray = np.ndarray


def is_scalar(value):
    return np.isscalar(value)


def as_array(value, dtype=None):
    """`value` as an array, without copying one that already is."""
    return np.asarray(value, dtype=dtype)


def copy(value):
    """A fresh array the caller owns."""
    return np.array(value)


def ones_like(array):
    return np.ones_like(array)


def zeros(shape, dtype):
    return np.zeros(shape, dtype)


def sum_arrays(arrays):
    """The sum of a list of arrays of one shape and dtype, as a fresh array."""
    total = np.add.reduce(arrays)
    return total if type(total) is ndarray else np.asarray(total)  # 0-d sums come back as scalars


def add_into(buffer, value):
    """buffer += value, in place (only ever on a buffer the engine owns)."""
    np.add(buffer, value, out=buffer)


def sum_to_shape_check(grad_shape, shape):
    """ValueError unless a gradient of `grad_shape` sums down to `shape` (which broadcasts to
    it)."""
    if np.broadcast_shapes(grad_shape, shape) != tuple(grad_shape):
        raise ValueError(f"{grad_shape} does not reduce to {shape}")
