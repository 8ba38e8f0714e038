"""The default float dtype and the conversion of user data into arrays."""

import numpy as np

_default = [np.dtype(np.float64)]


def set_default_dtype(dtype):
    """Set the dtype that Python numbers and lists become (float64 unless changed).

    >>> ag.set_default_dtype(np.float32)
    >>> ag.tensor([1.0]).dtype                   # float32
    """
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"set_default_dtype: the default must be a float dtype, got {dtype}")
    _default[0] = dtype


def get_default_dtype():
    """The dtype that Python numbers and lists become.

    >>> ag.get_default_dtype()
    dtype('float64')
    """
    return _default[0]


def as_array(data, dtype=None):
    """Copy `data` into a fresh ndarray: arrays keep their dtype, Python data gets the default."""
    if dtype is not None:
        dtype = check_dtype(np.dtype(dtype))
    if hasattr(data, "grad_fn") and hasattr(data, "data"):  # a Tensor: copy its array
        data = data.data
    if isinstance(data, (np.ndarray, np.generic)):
        array = np.array(data, dtype=dtype)
    elif isinstance(data, (bool, int, float, list, tuple)):
        try:
            array = np.array(data, dtype=dtype or _default[0])
        except ValueError as error:
            raise ValueError(
                f"cannot make a tensor from this nested list: it is ragged or holds "
                f"non-numbers ({error})"
            ) from None
        except TypeError as error:
            raise TypeError(f"cannot make a tensor from this data: {error}") from None
    else:
        raise TypeError(
            f"cannot make a tensor from a {type(data).__name__}; pass a number, a nested list, "
            "a NumPy array or a Tensor"
        )
    check_dtype(array.dtype)
    return array


def check_dtype(dtype):
    if dtype.kind not in "biuf":
        raise TypeError(
            f"unsupported dtype {dtype}: tensors hold bool, integer or floating-point numbers"
        )
    return dtype
