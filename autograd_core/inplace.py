"""In-place changes (`add_ sub_ mul_ div_ zero_ fill_ copy_ clamp_`, `t[index] = v`, `t += u`),
with PyTorch's semantics.

A change writes into the tensor's memory, so its base and every other view of that memory show
it, exactly as NumPy does, whether or not a graph is recorded. It bumps the version counter they
all share, so a backward that saved any of them before the change raises instead of using the
new values.

When gradients flow through the change it is also recorded: the new values are computed out of
place from a copy of the old ones, written into the memory, and the tensor's history becomes
theirs. A change through a view rewrites its base's history as well, as PyTorch's CopySlices
does: the base becomes `WriteRegion(old base, new values)`, whose gradient sends the view's
region to the new values and the rest to the old base. Every view of that base, this one
included, rebuilds its history from the base's the next time it is used (TensorBase).

>>> h = 2 * x; h[0:2].mul_(10)      # h is [20, 40, 6]: the slice is a view of h
>>> h.sum().backward(); x.grad      # [20, 20, 2]
"""

import numbers

import numpy as np

from .function import Function
from .grad_mode import is_grad_enabled
from .gradients import AccumulateGrad
from .ops.index import GetItem, SetItem, is_basic
from .ops.select import clip, where
from .ops.shape import broadcast_to
from .tensor_base import TensorBase, array_of, make


class WriteRegion(Function):
    """`base` with the region that a view chain selects replaced by `value` (broadcast to it).
    With `inplace=True` it writes into base's own memory: a change made through a view."""

    __slots__ = ("chain",)
    array_backward = True
    writes_input = True

    @staticmethod
    def forward(ctx, base, value, chain, inplace=False):
        ctx.chain = chain
        out = base if inplace else np.array(base, order="K", copy=True)
        _write_region(out, chain, value)
        return out

    @staticmethod
    def backward(ctx, g):
        g_base = g_value = None
        if ctx.edges[0] is not None:  # the region was overwritten: no gradient reaches it
            g_base = WriteRegion.apply(g, 0, chain=ctx.chain)
        if ctx.edges[1] is not None:
            g_value = _replay(g, ctx.chain)
        return g_base, g_value


def _replay(x, chain):
    for op, params in chain:
        x = op.apply(x, **params)
    return x


def _write_region(out, chain, value):
    region = _replay(out, chain)
    if isinstance(region, np.ndarray) and np.shares_memory(region, out):
        region[...] = value
        return
    # The chain copies on this array's layout: address the region by flat positions instead.
    positions = _replay(np.arange(out.size).reshape(out.shape), chain)
    np.put(out, positions, np.broadcast_to(value, np.shape(positions)))


# -- the change ---------------------------------------------------------------------------------
def change(tensor, op, value, write, functional, reads_old=True):
    """Change `tensor` in place: `write(array, value)` when nothing is recorded, else
    `functional(old, value)` (Tensor ops) computes the new values with their history."""
    value = _operand(value, op)
    tensor._with_current_history()
    counter = tensor._shared_counter()  # before the history changes: its node now watches it
    base = tensor if tensor._view is None else tensor._view.base
    _check_allowed(tensor, base, op)
    if is_grad_enabled() and (base._requires_grad or tensor._requires_grad
                              or getattr(value, "_requires_grad", False)):
        _record(tensor, base, op, value, functional, reads_old)
    else:
        _write(tensor, op, value, write)
    counter.bump()
    return tensor


def _operand(value, op):
    if isinstance(value, (TensorBase, np.ndarray, np.generic, numbers.Number, list, tuple)):
        return value
    raise TypeError(f"{op}: the value must be a Tensor, an array or a number, got "
                    f"{type(value).__name__}")


def _check_allowed(tensor, base, op):
    if not tensor.data.flags.writeable:
        raise RuntimeError(
            f"{op}: this tensor of shape {tensor.shape} is a read-only view (broadcast_to "
            "repeats elements, so writing one would write several); use .clone() first"
        )
    if is_grad_enabled() and base._requires_grad and type(base._edge) is AccumulateGrad:
        what = "a leaf tensor" if base is tensor else "a view of a leaf tensor"
        raise RuntimeError(
            f"{op}: {what} that requires grad cannot be changed in place while gradients are "
            "recorded; wrap the change in `with ag.no_grad():`"
        )


def _write(tensor, op, value, write):
    try:
        write(tensor.data, array_of(value))
    except (ValueError, TypeError, OverflowError) as error:
        # NumPy's ufunc error classes cannot be rebuilt from a message: re-raise the
        # documented base type instead.
        kind = TypeError if isinstance(error, TypeError) else ValueError
        raise kind(f"{op} on a tensor of shape {tensor.shape} and dtype {tensor.dtype} with "
                   f"{_describe(array_of(value))}: {error}") from None


def _record(tensor, base, op, value, functional, reads_old):
    cls = tensor._result_class
    # A view's old values come from its base, with the base's history: the view's own may
    # predate it (a view taken under no_grad has none).
    source = tensor if tensor._view is None else tensor._view.replay(base)
    old = make(cls, tensor.data.copy() if reads_old else tensor.data, source._edge,
               source._requires_grad)
    new = functional(old, value)
    if new.shape != tensor.shape or not np.can_cast(new.dtype, tensor.dtype, "same_kind"):
        raise ValueError(f"{op}: the result of shape {new.shape} and dtype {new.dtype} does "
                         f"not fit the tensor of shape {tensor.shape} and dtype {tensor.dtype}")
    if new.dtype != tensor.dtype:
        new = new.astype(tensor.dtype)
    if tensor._view is None:
        np.copyto(tensor.data, new.data)
        tensor._edge, tensor._requires_grad = new._edge, new._requires_grad
        return
    old_base = make(cls, base.data, base._edge, base._requires_grad)
    written = WriteRegion.apply(old_base, new, chain=tensor._view.chain, inplace=True)
    base._edge, base._requires_grad = written._edge, written._requires_grad


def _describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"a {type(value).__name__}"


def _replaced(old, new):
    """`new` in place of `old`, recorded so that `old` gets a zero gradient (not old * 0,
    which would turn an Inf or NaN in old into NaN)."""
    return where(np.zeros(old.shape, dtype=bool), old, broadcast_to(new, old.shape))


# -- the in-place methods -------------------------------------------------------------------------
def _ufunc(ufunc):
    return lambda array, value: ufunc(array, value, out=array, casting="same_kind")


def add_(t, value):
    return change(t, "add_", value, _ufunc(np.add), lambda old, v: old + v)


def sub_(t, value):
    return change(t, "sub_", value, _ufunc(np.subtract), lambda old, v: old - v)


def mul_(t, value):
    return change(t, "mul_", value, _ufunc(np.multiply), lambda old, v: old * v)


def div_(t, value):
    return change(t, "div_", value, _ufunc(np.true_divide), lambda old, v: old / v)


def copy_(t, source):
    return change(t, "copy_", source, lambda a, v: np.copyto(a, v, casting="same_kind"),
                  _replaced, reads_old=False)


def fill_(t, value):
    if np.ndim(array_of(value)) != 0:
        raise ValueError(f"fill_: the value must be a number or a 0-d tensor, got shape "
                         f"{np.shape(array_of(value))}")
    return change(t, "fill_", value, lambda a, v: a.fill(v), _replaced, reads_old=False)


def zero_(t):
    return change(t, "zero_", 0, lambda a, v: a.fill(0), _replaced, reads_old=False)


def clamp_(t, lo=None, hi=None):
    if lo is None and hi is None:
        raise ValueError("clamp_: give at least one of lo and hi")
    return change(t, "clamp_", 0, lambda a, v: np.clip(a, lo, hi, out=a),
                  lambda old, v: clip(old, lo, hi))


def _check_fits_region(t, index, region, value):
    shape = np.shape(array_of(value)) if isinstance(value, (TensorBase, np.ndarray)) else None
    try:
        fits = shape is None or np.broadcast_shapes(shape, region.shape) == region.shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(f"item assignment into a tensor of shape {t.shape}: a value of shape "
                         f"{shape} does not fit t[{index!r}], of shape {region.shape}")


def setitem(t, index, value):
    """`t[index] = value`: through a view for basic indexes, as one recorded op otherwise."""
    if is_basic(index):
        region = GetItem.apply(t, index=index)
        _check_fits_region(t, index, region, value)
        return change(region, "item assignment", value,
                      lambda a, v: a.__setitem__(Ellipsis, v), _replaced, reads_old=False)
    return change(t, "item assignment", value, lambda a, v: a.__setitem__(index, v),
                  lambda old, v: SetItem.apply(old, v, index=index), reads_old=False)
