"""In-place changes to a Tensor: each bumps its version counter, and a change to a tensor with
history is recorded as a function of the old value (the tensor is then rebound to the result)."""

import numpy as np

from . import function, functions
from .grad_mode import is_grad_enabled
from .tensor import Tensor, _wrap


def change(tensor, op, other, mutate, functional):
    """Apply `mutate(tensor.data, value)` in place, or record `functional(old, other)` when
    gradients flow through the change. Used by add_, sub_, mul_, div_, copy_, zero_ and
    item assignment.

    >>> with ag.no_grad():
    ...     w.sub_(0.1 * w.grad.data)          # what optimizers do
    """
    other_requires_grad = isinstance(other, Tensor) and other.requires_grad
    recording = is_grad_enabled() and (tensor.requires_grad or other_requires_grad)
    if recording and tensor.requires_grad and tensor.grad_fn is None:
        raise RuntimeError(
            f"{op}: a leaf tensor that requires grad cannot be changed in place while "
            "gradients are recorded; wrap the change in `with ag.no_grad():`"
        )
    if recording:
        # Record the change as a function of the old value, then rebind this tensor to it.
        old = _wrap(tensor.data, tensor.grad_fn, tensor.requires_grad, tensor._output_nr)
        new = functional(old, other)
        if new.shape != tensor.shape:
            raise ValueError(f"{op}: the result of shape {new.shape} does not fit {tensor.shape}")
        tensor.data = new.data.astype(tensor.dtype, copy=False)
        tensor.grad_fn, tensor._output_nr, tensor.requires_grad = new.grad_fn, new._output_nr, True
    else:
        value = other.data if isinstance(other, Tensor) else other
        try:
            if mutate in (np.add, np.subtract, np.multiply, np.true_divide):
                mutate(tensor.data, value, out=tensor.data, casting="same_kind")
            else:
                mutate(tensor.data, value)
        except (ValueError, TypeError, OverflowError) as error:
            # NumPy's ufunc error classes cannot be rebuilt from a message: re-raise the
            # documented base type instead.
            kind = TypeError if isinstance(error, TypeError) else ValueError
            raise kind(
                f"{op} on a tensor of shape {tensor.shape} and dtype {tensor.dtype} with "
                f"{_describe(value)}: {error}"
            ) from None
    function.mark_changed(tensor)
    return tensor


def replaced(old, new):
    """`new` in place of `old`, recorded so that `old` gets a zero gradient (not old * 0,
    which would turn an Inf or NaN in old into NaN)."""
    return functions.where(np.zeros(old.shape, dtype=bool), old, new)


def _describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"a {type(value).__name__}"
