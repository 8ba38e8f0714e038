"""Factories: tensors made from data, constants, ranges and random draws."""

import numpy as np

from .dtypes import check_dtype, get_default_dtype
from .random import get_generator
from .tensor import Tensor, _wrap


def tensor(data, requires_grad=False, dtype=None, name=None):
    """Make a Tensor (the data is copied); the same as `ag.Tensor(...)`.

    >>> ag.tensor([[1, 2], [3, 4]], requires_grad=True)
    """
    return Tensor(data, requires_grad=requires_grad, dtype=dtype, name=name)


def _make(array, requires_grad):
    t = _wrap(array, None, False)
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


def _dtype(dtype):
    if dtype is None:
        return get_default_dtype()
    try:
        return check_dtype(np.dtype(dtype))
    except TypeError as error:
        raise TypeError(f"dtype {dtype!r}: {error}") from None


def zeros(*shape, dtype=None, requires_grad=False):
    """A tensor of zeros.  >>> ag.zeros(2, 3)  (or ag.zeros((2, 3)))"""
    return _make(np.zeros(_shape(shape), _dtype(dtype)), requires_grad)


def ones(*shape, dtype=None, requires_grad=False):
    """A tensor of ones.  >>> ag.ones(2, 3)"""
    return _make(np.ones(_shape(shape), _dtype(dtype)), requires_grad)


def full(shape, fill_value, dtype=None, requires_grad=False):
    """A tensor filled with one value.  >>> ag.full((2, 2), 7.0)"""
    shape = _shape((shape,) if isinstance(shape, (tuple, list)) else (shape,))
    return _make(np.full(shape, fill_value, _dtype(dtype)), requires_grad)


def zeros_like(t, dtype=None, requires_grad=False):
    """Zeros with the shape (and dtype) of `t`.  >>> ag.zeros_like(w)"""
    data = _like(t, "zeros_like")
    return _make(np.zeros(data.shape, _dtype(dtype) if dtype else data.dtype), requires_grad)


def ones_like(t, dtype=None, requires_grad=False):
    """Ones with the shape (and dtype) of `t`.  >>> ag.ones_like(w)"""
    data = _like(t, "ones_like")
    return _make(np.ones(data.shape, _dtype(dtype) if dtype else data.dtype), requires_grad)


def _like(t, op):
    data = t.data if isinstance(t, Tensor) else np.asarray(t)
    if data.dtype.kind not in "biuf":
        raise TypeError(f"{op}: expected a tensor or numeric array, got {type(t).__name__}")
    return data


def eye(n, m=None, dtype=None, requires_grad=False):
    """The identity matrix.  >>> ag.eye(3)"""
    return _make(np.eye(n, m, dtype=_dtype(dtype)), requires_grad)


def arange(start, stop=None, step=1, dtype=None, requires_grad=False):
    """Evenly spaced values in [start, stop), float by default.  >>> ag.arange(5)"""
    if stop is None:
        start, stop = 0, start
    if step == 0:
        raise ValueError("arange: step must not be zero")
    return _make(np.arange(start, stop, step, dtype=_dtype(dtype)), requires_grad)


def linspace(start, stop, num=50, dtype=None, requires_grad=False):
    """`num` evenly spaced values from start to stop.  >>> ag.linspace(0, 1, 5)"""
    return _make(np.linspace(start, stop, num, dtype=_dtype(dtype)), requires_grad)


def rand(*shape, dtype=None, requires_grad=False):
    """Uniform draws in [0, 1) from the `ag.manual_seed` stream.  >>> ag.rand(2, 3)"""
    dtype = _dtype(dtype)
    return _make(get_generator().random(_shape(shape)).astype(dtype), requires_grad)


def randn(*shape, dtype=None, requires_grad=False):
    """Standard normal draws from the `ag.manual_seed` stream.  >>> ag.randn(2, 3)"""
    dtype = _dtype(dtype)
    return _make(get_generator().standard_normal(_shape(shape)).astype(dtype), requires_grad)
