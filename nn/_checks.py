"""Argument checks shared by nn's layers and functions, so that bad input fails early with a
TypeError or ValueError that names the caller, before anything is computed or changed."""

import math

import numpy as np

import autograd_core as ag


def size(n, name, where):
    """A non-negative int (a layer width, a count)."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{where}: {name} must be an int, got {n!r}")
    if n < 0:
        raise ValueError(f"{where}: {name} must be non-negative, got {n}")
    return int(n)


def shape(value, name, where):
    """A shape given as an int or a sequence of ints."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return (size(value, name, where),)
    if not isinstance(value, (tuple, list)):
        raise TypeError(f"{where}: {name} must be an int or a tuple of ints, got {value!r}")
    return tuple(size(n, name, where) for n in value)


def real(value, name, where, finite=True):
    """A real number (not a bool), finite unless told otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{where}: {name} must be a number, got {value!r}")
    try:
        as_float = float(value)
    except OverflowError:  # an int beyond float range
        raise ValueError(
            f"{where}: {name} is too large for a float (an int of {len(str(abs(value)))} digits)"
        ) from None
    if finite and not math.isfinite(as_float):
        raise ValueError(f"{where}: {name} must be finite, got {value!r}")
    return value


def bounds(min_val, max_val, where):
    """Two numbers min_val < max_val (a clipping interval)."""
    real(min_val, "min_val", where, finite=False)
    real(max_val, "max_val", where, finite=False)
    if not min_val < max_val:
        raise ValueError(f"{where}: min_val must be less than max_val, got {min_val} and {max_val}")


def probability(p, where, name="p"):
    if isinstance(p, bool) or not isinstance(p, (int, float, np.number)) or not 0 <= p <= 1:
        raise ValueError(f"{where}: {name} must be a probability in [0, 1], got {p!r}")
    return p


def tensor(value, name, where):
    """A Tensor, or an array made into one; anything else is a TypeError."""
    if isinstance(value, ag.Tensor):
        return value
    if isinstance(value, np.ndarray):
        return ag.tensor(value)
    raise TypeError(f"{where}: {name} must be a Tensor or an array, got {type(value).__name__}")


def float_tensor(value, name, where):
    """A floating-point Tensor (what init fills and what parameters hold)."""
    if not isinstance(value, ag.Tensor):
        raise TypeError(f"{where}: {name} must be a Tensor, got {type(value).__name__}")
    if not ag.dtypes.is_floating(value.dtype):
        raise TypeError(f"{where}: {name} must be floating point, got dtype {value.dtype}")
    return value


def tensors(values, where):
    """A list of Tensors from a Tensor or an iterable of them (parameters())."""
    if isinstance(values, ag.Tensor):
        return [values]
    try:
        values = list(values)
    except TypeError:
        raise TypeError(
            f"{where}: expected a Tensor or an iterable of Tensors, got {type(values).__name__}"
        ) from None
    for i, value in enumerate(values):
        if not isinstance(value, ag.Tensor):
            raise TypeError(f"{where}: item {i} is a {type(value).__name__}, not a Tensor")
    return values


def indices(value, where):
    """The index array of an integer tensor, array or list; TypeError for anything else."""
    array = value.data if isinstance(value, ag.Tensor) else np.asarray(value)
    if not ag.dtypes.is_integer(array.dtype):
        raise TypeError(
            f"{where}: indices must be integers, got dtype {array.dtype} "
            "(convert with .astype(np.int64) if the values are whole numbers)"
        )
    return array
