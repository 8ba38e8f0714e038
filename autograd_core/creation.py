"""Factories: tensors made from data, constants, ranges and random draws."""

import numpy as np

from . import dtypes
from .dtypes import get_default_dtype
from .random import get_generator
from .tensor import Tensor
from .tensor_base import array_of, make


def tensor(data, requires_grad=False, dtype=None, name=None):
    """Make a Tensor (the data is copied); the same as `ag.Tensor(...)`.

    >>> ag.tensor([[1, 2], [3, 4]], requires_grad=True)
    """
    return Tensor(data, requires_grad=requires_grad, dtype=dtype, name=name)


def _make(array, requires_grad):
    t = make(Tensor, array)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _shape(shape):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    for n in shape:
        if not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"a shape holds non-negative ints, got {shape}")
    return tuple(int(n) for n in shape)


def _dtype(dtype, default=None):
    if dtype is None:
        return default or get_default_dtype()
    try:
        return dtypes.check(np.dtype(dtype))
    except TypeError as error:
        raise TypeError(f"dtype {dtype!r}: {error}") from None


def _inferred(*values):
    """The dtype NumPy infers for Python numbers, with floats in the default float dtype:
    ag.full((2,), 3) is int64, ag.arange(0, 1, 0.25) float."""
    dtype = np.result_type(*[np.asarray(array_of(v)) for v in values])
    return get_default_dtype() if dtypes.is_floating(dtype) else dtypes.check(dtype)


def _float_dtype(dtype, op):
    dtype = _dtype(dtype)
    if not dtypes.is_floating(dtype):
        raise TypeError(f"{op}: random draws are floating point; dtype {dtype} would truncate "
                        "them (use ag.randint for integers)")
    return dtype


def zeros(*shape, dtype=None, requires_grad=False):
    """A tensor of zeros.  >>> ag.zeros(2, 3)  (or ag.zeros((2, 3)))"""
    return _make(np.zeros(_shape(shape), _dtype(dtype)), requires_grad)


def ones(*shape, dtype=None, requires_grad=False):
    """A tensor of ones.  >>> ag.ones(2, 3)"""
    return _make(np.ones(_shape(shape), _dtype(dtype)), requires_grad)


def full(shape, fill_value, dtype=None, requires_grad=False):
    """A tensor filled with one value.  >>> ag.full((2, 2), 7.0)"""
    shape = _shape((shape,) if isinstance(shape, (tuple, list)) else (shape,))
    dtype = _dtype(dtype, _inferred(fill_value))
    return _make(np.full(shape, array_of(fill_value), dtype), requires_grad)


def zeros_like(t, dtype=None, requires_grad=False):
    """Zeros with the shape (and dtype) of `t`.  >>> ag.zeros_like(w)"""
    data = _like(t, "zeros_like")
    return _make(np.zeros(data.shape, _dtype(dtype) if dtype else data.dtype), requires_grad)


def ones_like(t, dtype=None, requires_grad=False):
    """Ones with the shape (and dtype) of `t`.  >>> ag.ones_like(w)"""
    data = _like(t, "ones_like")
    return _make(np.ones(data.shape, _dtype(dtype) if dtype else data.dtype), requires_grad)


def _like(t, op):
    data = np.asarray(array_of(t))
    if not dtypes.is_numeric(data.dtype):
        raise TypeError(f"{op}: expected a tensor or numeric array, got {type(t).__name__}")
    return data


def eye(n, m=None, dtype=None, requires_grad=False):
    """The identity matrix.  >>> ag.eye(3)"""
    for size in (n,) if m is None else (n, m):
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 0:
            raise ValueError(f"eye: sizes must be non-negative ints, got {size!r}")
    return _make(np.eye(n, m, dtype=_dtype(dtype)), requires_grad)


def arange(start, stop=None, step=1, dtype=None, requires_grad=False):
    """Evenly spaced values in [start, stop): int64 for ints, as NumPy and PyTorch.

    >>> ag.arange(5)                         # tensor([0, 1, 2, 3, 4], dtype=int64)
    """
    if stop is None:
        start, stop = 0, start
    if step == 0:
        raise ValueError("arange: step must not be zero")
    dtype = _dtype(dtype, _inferred(start, stop, step))
    return _make(np.arange(start, stop, step, dtype=dtype), requires_grad)


def linspace(start, stop, num=50, dtype=None, requires_grad=False):
    """`num` evenly spaced values from start to stop.  >>> ag.linspace(0, 1, 5)"""
    return _make(np.linspace(start, stop, num, dtype=_dtype(dtype)), requires_grad)


def rand(*shape, dtype=None, requires_grad=False):
    """Uniform draws in [0, 1) from the `ag.manual_seed` stream.  >>> ag.rand(2, 3)"""
    dtype = _float_dtype(dtype, "rand")
    return _make(get_generator().random(_shape(shape)).astype(dtype), requires_grad)


def randn(*shape, dtype=None, requires_grad=False):
    """Standard normal draws from the `ag.manual_seed` stream.  >>> ag.randn(2, 3)"""
    dtype = _float_dtype(dtype, "randn")
    return _make(get_generator().standard_normal(_shape(shape)).astype(dtype), requires_grad)
