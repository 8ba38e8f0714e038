"""Short text for arrays, shapes and leaves, shared by the pictures and the backward trace."""

import numpy as np

from .. import dtypes

TINY = 4  # tensors with at most this many elements show their values; larger ones a norm


def is_finite(array):
    """False when a float array holds a NaN or an Inf (those get drawn in red)."""
    if array is None:
        return True
    array = np.asarray(array)
    return not dtypes.is_floating(array.dtype) or bool(np.isfinite(array).all())


def values(array):
    """The elements on one line, unpadded: '[1.0, -2.5]', or '0.25' for a 0-d array."""
    text = np.array2string(np.asarray(array), separator=", ", formatter={"float_kind": number})
    return " ".join(text.split())


def number(value):
    """A float in at most 4 significant decimals: '0.25', '-2.0', '1.5e-08', 'nan'."""
    if value != 0 and np.isfinite(value) and not 1e-4 <= abs(value) < 1e5:
        return np.format_float_scientific(value, precision=3, trim="0")
    return np.format_float_positional(value, precision=4, trim="0")


def shape_dtype(shape, dtype):
    """'(3, 4) float64'; a multi-output op gives tuples of shapes and dtypes."""
    if isinstance(dtype, tuple):
        return " | ".join(shape_dtype(s, d) for s, d in zip(shape, dtype))
    return f"{tuple(shape)} {np.dtype(dtype)}"


def brief(array):
    """'(3,) [1., 2., 3.]' for a tiny array, '(30, 4) norm 2.1' otherwise; None stays 'None'."""
    if array is None:
        return "None"
    if isinstance(array, tuple):
        return "(" + ", ".join(brief(a) for a in array) + ")"
    array = np.asarray(array)
    if array.size <= TINY:
        return f"{array.shape} {values(array)}"
    return f"{array.shape} norm {np.linalg.norm(array.ravel()):.4g}"


def gradient(array):
    """'grad [0.5, 1.]' for a tiny gradient, 'grad norm 3.2' otherwise."""
    array = np.asarray(array)
    if array.size <= TINY:
        return f"grad {values(array)}"
    return f"grad norm {np.linalg.norm(array.ravel()):.4g}"


def tensor_lines(tensor, title, show_grad):
    """The label lines of a tensor we hold (a leaf, the root, a retained output), and whether
    any value or gradient in it is NaN or Inf."""
    lines = [title, shape_dtype(tensor.shape, tensor.dtype)]
    finite = is_finite(tensor.data)
    if tensor.data.size <= TINY:
        lines.append(f"value {values(tensor.data)}")
    if show_grad and tensor.grad is not None:
        lines.append(gradient(tensor.grad.data))
        finite = finite and is_finite(tensor.grad.data)
    return lines, finite


def leaf_title(tensor, names):
    """A leaf's name: its parameter name, else its own `name`, else what kind of leaf it is."""
    name = names.get(id(tensor)) or tensor.name
    if name:
        return name
    return "leaf (requires grad)" if tensor.requires_grad else "input"
