"""Every dtype rule in one place: what tensors hold, the default float dtype, how Python data
becomes an array, and which dtype floating ops compute in.

- A tensor holds bool, integer or floating-point numbers (`check`).
- Python floats become the default float dtype (float64 unless `set_default_dtype`), Python
  ints int64, Python bools bool; NumPy arrays keep their dtype (`as_array`).
- A floating op (exp, log, mean, softmax, ...) on an int or bool tensor computes in the default
  float dtype: never float16, never truncated back to int (`floating`).
- An op of several operands (arctan2, mod, lerp, ...) computes in the widest float dtype among
  them; ints join a float as that float (int32 with float32 is float32, where NumPy widens to
  float64), and a Python number never widens a tensor (float32 with 2.5 is float32) (`operands`).
- Only floating tensors can require gradients (`check_differentiable`).
"""

import numpy as np

_default = [np.dtype(np.float64)]
NUMERIC_KINDS = "biuf"  # NumPy dtype kinds a tensor may hold: bool, signed, unsigned, float
_ARRAYS = (np.ndarray, np.generic)


def set_default_dtype(dtype):
    """Set the dtype that Python floats become, and that floating ops on ints compute in.

    >>> ag.set_default_dtype(np.float32)
    >>> ag.tensor([1.0]).dtype                   # float32
    """
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"set_default_dtype: the default must be a float dtype, got {dtype}")
    _default[0] = dtype


def get_default_dtype():
    """The dtype that Python floats become.

    >>> ag.get_default_dtype()
    dtype('float64')
    """
    return _default[0]


def is_floating(dtype):
    """True for the dtypes that can require gradients (and that floating ops compute in)."""
    return np.dtype(dtype).kind == "f"


def is_integer(dtype):
    return np.dtype(dtype).kind in "iu"


def is_numeric(dtype):
    """True for the dtypes a tensor can hold."""
    return np.dtype(dtype).kind in NUMERIC_KINDS


def same_kind(a, b):
    """True when two dtypes hold the same kind of number: floats, integers (signed or not), or
    bools (what load_state_dict accepts in place of a parameter's or buffer's dtype)."""
    group = {"f": "f", "i": "i", "u": "i", "b": "b"}
    return group.get(np.dtype(a).kind) == group.get(np.dtype(b).kind)


def computing(dtype):
    """The dtype a floating op computes in for input of `dtype`: itself if floating, else
    the default float dtype."""
    dtype = np.dtype(dtype)
    return dtype if dtype.kind == "f" else _default[0]


def check(dtype, what="tensors"):
    """`dtype` if a tensor can hold it, else TypeError."""
    if dtype.kind not in NUMERIC_KINDS:
        raise TypeError(f"unsupported dtype {dtype}: {what} hold bool, integer or floating-point "
                        "numbers")
    return dtype


def check_differentiable(dtype, what="requires_grad"):
    if dtype.kind != "f":
        raise TypeError(
            f"{what}: only floating-point tensors can require gradients; this one is {dtype} "
            "(labels, masks and indices are integer or bool; use .float() or .double())"
        )


def floating(x):
    """`x` itself when it is floating, else `x` in the default float dtype."""
    try:
        if x.dtype.kind == "f":
            return x
    except AttributeError:  # a Python number
        pass
    return np.asarray(x, dtype=_default[0])


def operands(*values, floating=False):
    """`values` (arrays and Python numbers) in the dtype an op of all of them computes in:
    - with a floating array among them, the widest floating dtype; int and bool arrays are
      converted to it (NumPy alone would give int32 with float32 as float64);
    - with none, but a Python float among them or a floating op (`floating=True`), the default
      float dtype;
    - otherwise (integers and bools only) as they are, for NumPy's integer promotion.
    Floating arrays and Python numbers are passed through untouched: NumPy already promotes
    floats among themselves, and keeps Python numbers from widening an array (NEP 50).

    >>> operands(np.array([1], np.int32), np.array([0.5], np.float32))[0].dtype   # float32
    """
    for v in values:
        if isinstance(v, _ARRAYS) and v.dtype.kind in "biu":
            break
    else:  # no int or bool arrays (the usual case): nothing to convert
        return values
    floats = [v.dtype for v in values if isinstance(v, _ARRAYS) and v.dtype.kind == "f"]
    if floats:
        dtype = np.result_type(*floats)
    elif floating or any(type(v) is float for v in values):
        dtype = _default[0]
    else:
        return values
    return tuple(v.astype(dtype) if isinstance(v, _ARRAYS) and v.dtype.kind in "biu" else v
                 for v in values)


def as_array(data, dtype=None):
    """Copy `data` into a fresh ndarray: arrays keep their dtype, Python data gets the rules
    above (floats the default float dtype, ints int64, bools bool)."""
    if dtype is not None:
        dtype = check(np.dtype(dtype))
    if isinstance(data, (np.ndarray, np.generic)):
        array = np.array(data, dtype=dtype)
    elif isinstance(data, (bool, int, float, list, tuple)):
        array = _from_python(data, dtype)
    else:
        raise TypeError(
            f"cannot make a tensor from a {type(data).__name__}; pass a number, a nested list, "
            "a NumPy array or a Tensor"
        )
    check(array.dtype)
    return array


def _from_python(data, dtype):
    try:
        array = np.array(data, dtype=dtype)
    except (ValueError, OverflowError) as error:
        raise ValueError(
            f"cannot make a tensor from this data: it is ragged, holds non-numbers or an int "
            f"too large ({error})"
        ) from None
    except TypeError as error:
        raise TypeError(f"cannot make a tensor from this data: {error}") from None
    if dtype is None and array.dtype.kind == "f":
        array = array.astype(_default[0], copy=False)
    return array
