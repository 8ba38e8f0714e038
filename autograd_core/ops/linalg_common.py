"""What the linear-algebra ops share: their input checks, their errors, and the few matrix
helpers their backwards are written with (each works on arrays and on Tensors alike).

Errors: a wrong shape (not a matrix, not square, mismatched operands) is a ValueError; a matrix
that NumPy cannot factor (singular for inv and solve, not positive definite for cholesky) is
NumPy's `LinAlgError`, which is itself a ValueError. Both name the op, the argument and its
shape, and are raised by forward, before anything is recorded.
"""

from typing import NamedTuple

import numpy as np

from .. import dtypes
from ..tensor_base import TensorBase, array_of, make

LinAlgError = np.linalg.LinAlgError


def check_matrix(op, name, x, square=False):
    """`x` (in floating point) when it is a matrix or a stack of them, else ValueError."""
    shape = np.shape(x)
    if len(shape) < 2:
        raise ValueError(f"{op}: argument '{name}' must be a matrix or a stack of matrices "
                         f"(at least 2 dims), got shape {shape}")
    if square and shape[-1] != shape[-2]:
        raise ValueError(f"{op}: argument '{name}' must be square in its last two axes, got "
                         f"shape {shape}")
    return dtypes.floating(x)


def factor(op, name, x, problem, numpy_function, *args, **kwargs):
    """`numpy_function(x, ...)`, with NumPy's LinAlgError renamed for the op and argument."""
    try:
        return numpy_function(x, *args, **kwargs)
    except LinAlgError as error:
        detail = str(error).lower()
        found = problem if ("singular" in detail or "definite" in detail) else detail
        raise LinAlgError(f"{op}: argument '{name}' of shape {np.shape(x)} is {found}") from None


def mT(x):
    """The transpose of the last two axes (a batch of transposed matrices)."""
    return x.swapaxes(-1, -2)


def eye_like(x):
    """The n x n identity for the last axis of `x`, in its dtype (a constant)."""
    return np.eye(x.shape[-1], dtype=x.dtype)


def diag_embed(v):
    """The matrices with the last axis of `v` on their diagonals: (..., n) -> (..., n, n)."""
    return v[..., :, None] * eye_like(v)


def lower_mask(x, k=0):
    """1 on and below the k-th diagonal of the last two axes of `x`, else 0 (a constant)."""
    n = x.shape[-1]
    return np.tril(np.ones((n, n), dtype=x.dtype), k)


def absent(g):
    """True for the gradient of an output that no consumer used: a constant that is all zeros
    (the engine hands zeros to an op with several outputs for each output that received none).
    A backward skips the terms such a gradient multiplies: they are exactly zero, and skipping
    them avoids 0 * inf where the other factor is infinite (repeated eigenvalues)."""
    if isinstance(g, TensorBase) and g.requires_grad:
        return False
    return not np.any(array_of(g))


def tensor_like(x, array):
    """`array` as a tensor of x's class (with no history) when x is a tensor, else as it is."""
    if isinstance(x, TensorBase):
        return make(x._result_class, np.asarray(array))
    return array


# What the functions with several outputs return: NumPy's names for the fields.
class SlogdetResult(NamedTuple):
    sign: object
    logabsdet: object


class QRResult(NamedTuple):
    Q: object
    R: object


class EighResult(NamedTuple):
    eigenvalues: object
    eigenvectors: object


class SVDResult(NamedTuple):
    U: object
    S: object
    Vh: object
