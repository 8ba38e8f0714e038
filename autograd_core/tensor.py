"""The Tensor: an array, its gradient, and the node that made it."""

import weakref

import numpy as np

from . import dtypes, function
from .ops import dual
from .ops import elementwise as ew
from .ops.elementwise import Add, Div, Mul, Neg, Pow, Sub
from .ops.index import GetItem, SetItem
from .ops.linalg import MatMul

_add, _sub, _mul, _div = Add.apply, Sub.apply, Mul.apply, Div.apply
_neg, _pow = Neg.apply, Pow.apply
_matmul, _getitem = MatMul.apply, GetItem.apply
# Elementwise methods apply their primitive directly: no trip through functions.py per op.
_exp, _log, _sqrt, _abs = ew.Exp.apply, ew.Log.apply, ew.Sqrt.apply, ew.Abs.apply
_sin, _cos, _tanh = ew.Sin.apply, ew.Cos.apply, ew.Tanh.apply
_sigmoid, _relu, _softplus = ew.Sigmoid.apply, ew.Relu.apply, ew.Softplus.apply
_new = object.__new__


class Tensor:
    """An n-dimensional array that records the operations applied to it.

    >>> w = ag.Tensor([1.0, 2.0], requires_grad=True)
    >>> (w * w).sum().backward(); w.grad          # tensor([2., 4.])
    """

    __slots__ = (
        "data",
        "grad",
        "requires_grad",
        "grad_fn",
        "name",
        "_output_nr",  # which output of grad_fn this is
        "_version",  # bumped by every in-place change (function.mark_changed)
        "_changed_at",  # creation number of the last in-place change: see function.mark_changed
        "_hooks",  # gradient hooks of a leaf
        "__weakref__",
    )
    __array_ufunc__ = None  # NumPy defers to our reflected operators: array * tensor -> Tensor
    __hash__ = object.__hash__  # == is elementwise; identity keys the engine's dictionaries

    def __init__(self, data, requires_grad=False, dtype=None, name=None):
        self.data = dtypes.as_array(data, dtype)
        self.grad = None
        self.grad_fn = None
        self.name = name
        self._output_nr = 0
        self._version = 0
        self._changed_at = -1
        self._hooks = None
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    # -- attributes ---------------------------------------------------------------------------
    shape = property(lambda self: self.data.shape)
    ndim = property(lambda self: self.data.ndim)
    size = property(lambda self: self.data.size, doc="The number of elements.")
    dtype = property(lambda self: self.data.dtype)
    is_leaf = property(lambda self: self.grad_fn is None)
    T = property(lambda self: self.transpose())

    def __array__(self, dtype=None, copy=None):
        return self.data if dtype is None else self.data.astype(dtype, copy=False)

    def numpy(self):
        return self.data

    def item(self):
        if self.data.size != 1:
            raise ValueError(f"item(): the tensor has {self.data.size} elements, not one")
        return self.data.item()

    def tolist(self):
        return self.data.tolist()

    def __len__(self):
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __bool__(self):
        return bool(self.data)

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __repr__(self):
        prefix = "tensor("
        body = np.array2string(self.data, separator=", ", prefix=prefix)
        extras = []
        if self.data.dtype != dtypes.get_default_dtype():
            extras.append(f"dtype={self.data.dtype}")
        if self.grad_fn is not None:
            extras.append(f"grad_fn=<{self.grad_fn.name}>")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        if self.name:
            extras.append(f"name={self.name!r}")
        return prefix + body + "".join(", " + e for e in extras) + ")"

    # -- graph ----------------------------------------------------------------------------------
    def backward(self, grad=None, retain_graph=False, create_graph=False):
        """Accumulate the gradient of this tensor into `.grad` of every leaf that requires grad.

        >>> loss = ((w * x).sum() - y) ** 2
        >>> loss.backward(); w.grad
        """
        engine.backward(self, grad, retain_graph=retain_graph, create_graph=create_graph)

    def detach(self):
        """The same data with no history (shares memory, as in PyTorch)."""
        return _wrap(self.data, None, False)

    def requires_grad_(self, flag=True):
        if flag and self.data.dtype.kind not in "fc":
            raise TypeError(
                f"only floating-point tensors can require gradients; this one is {self.dtype} "
                "(labels, masks and indices are integer or bool)"
            )
        if not flag and self.grad_fn is not None:
            raise RuntimeError("requires_grad_(False) on a non-leaf tensor; use detach() instead")
        self.requires_grad = bool(flag)
        return self

    def retain_grad(self):
        """Keep `.grad` on this non-leaf tensor after backward (leaves keep it anyway)."""
        if not self.requires_grad:
            raise RuntimeError("retain_grad() on a tensor that does not require grad")
        if self.grad_fn is not None:
            node = self.grad_fn
            node._retained = {**(node._retained or {}), self._output_nr: weakref.ref(self)}
            if node._hooks is None:
                node._hooks = {}  # the engine looks at _hooks only; retained grads ride along
        return self

    def register_hook(self, hook):
        """Call `hook(grad)` when this tensor's gradient is computed; it may return a replacement.

        >>> handle = h.register_hook(lambda g: g * 0.5)
        >>> handle.remove()
        """
        if not self.requires_grad:
            raise RuntimeError("register_hook() on a tensor that does not require grad")
        if self.grad_fn is None:
            if self._hooks is None:
                self._hooks = []
            hooks = self._hooks
        else:
            node = self.grad_fn
            if node._hooks is None:
                node._hooks = {}
            hooks = node._hooks.setdefault(self._output_nr, [])
        hooks.append(hook)
        return _HookHandle(hooks, hook)

    # -- operators ------------------------------------------------------------------------------
    def __add__(self, other):
        return _add(self, other)

    def __radd__(self, other):
        return _add(other, self)

    def __sub__(self, other):
        return _sub(self, other)

    def __rsub__(self, other):
        return _sub(other, self)

    def __mul__(self, other):
        return _mul(self, other)

    def __rmul__(self, other):
        return _mul(other, self)

    def __truediv__(self, other):
        return _div(self, other)

    def __rtruediv__(self, other):
        return _div(other, self)

    def __pow__(self, other):
        return _pow(self, other)

    def __rpow__(self, other):
        return _pow(other, self)

    def __matmul__(self, other):
        return _matmul(self, other)

    def __rmatmul__(self, other):
        return _matmul(other, self)

    def __neg__(self):
        return _neg(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return functions.abs(self)

    def __getitem__(self, index):
        return _getitem(self, index=_normalize_index(index))

    def _compare(self, other, op):
        try:
            result = op(self.data, other.data if isinstance(other, Tensor) else other)
        except OverflowError as error:
            raise ValueError(f"{op.__name__}: {error}") from None
        if result.dtype.kind not in "biuf":
            raise TypeError(f"{op.__name__}: unsupported operand {type(other).__name__}")
        return _wrap(result, None, False)

    def __lt__(self, other):
        return self._compare(other, np.less)

    def __le__(self, other):
        return self._compare(other, np.less_equal)

    def __gt__(self, other):
        return self._compare(other, np.greater)

    def __ge__(self, other):
        return self._compare(other, np.greater_equal)

    def __eq__(self, other):
        return self._compare(other, np.equal)

    def __ne__(self, other):
        return self._compare(other, np.not_equal)

    def __invert__(self):
        return _wrap(~self.data, None, False)

    def __and__(self, other):
        return self._compare(other, np.logical_and)

    def __or__(self, other):
        return self._compare(other, np.logical_or)

    # -- in-place changes (each bumps the version counter) ------------------------------------
    def __setitem__(self, index, value):
        index = _normalize_index(index)
        inplace.change(self,
            "item assignment", value, lambda d, v: d.__setitem__(index, v),
            lambda old, v: SetItem.apply(old, v, index=index),
        )

    def add_(self, other):
        return inplace.change(self, "add_", other, np.add, lambda old, v: old + v)

    def sub_(self, other):
        return inplace.change(self, "sub_", other, np.subtract, lambda old, v: old - v)

    def mul_(self, other):
        return inplace.change(self, "mul_", other, np.multiply, lambda old, v: old * v)

    def div_(self, other):
        return inplace.change(self, "div_", other, np.true_divide, lambda old, v: old / v)

    # `w -= lr * w.grad` updates w itself (under no_grad), as in PyTorch and NumPy.
    __iadd__ = add_
    __isub__ = sub_
    __imul__ = mul_
    __itruediv__ = div_

    def copy_(self, other):
        return inplace.change(self,
            "copy_", other, lambda d, v: np.copyto(d, v, casting="same_kind"),
            lambda old, v: inplace.replaced(old, functions.broadcast_to(v, old.shape)),
        )

    def zero_(self):
        return inplace.change(self,
            "zero_", 0, lambda d, v: d.fill(0), lambda old, v: inplace.replaced(old, 0.0)
        )

    # -- methods: one-line calls into their primitive or into functions.py ---------------------
    def exp(self):
        return _exp(self)

    def log(self):
        return _log(self)

    def sqrt(self):
        return _sqrt(self)

    def abs(self):
        return _abs(self)

    def sin(self):
        return _sin(self)

    def cos(self):
        return _cos(self)

    def tanh(self):
        return _tanh(self)

    def sigmoid(self):
        return _sigmoid(self)

    def relu(self):
        return _relu(self)

    def softplus(self):
        return _softplus(self)

    def sum(self, axis=None, keepdims=False):
        return functions.sum(self, axis, keepdims)

    def mean(self, axis=None, keepdims=False):
        return functions.mean(self, axis, keepdims)

    def max(self, axis=None, keepdims=False):
        return functions.max(self, axis, keepdims)

    def min(self, axis=None, keepdims=False):
        return functions.min(self, axis, keepdims)

    def var(self, axis=None, keepdims=False, ddof=0):
        return functions.var(self, axis, keepdims, ddof)

    def reshape(self, *shape):
        return functions.reshape(self, _shape_arg(shape))

    def transpose(self, *axes):
        return functions.transpose(self, _shape_arg(axes) if axes else None)

    def swapaxes(self, axis1, axis2):
        return functions.swapaxes(self, axis1, axis2)

    def flatten(self):
        return functions.reshape(self, (-1,))

    def squeeze(self, axis=None):
        return functions.squeeze(self, axis)

    def expand_dims(self, axis):
        return functions.expand_dims(self, axis)

    def broadcast_to(self, *shape):
        return functions.broadcast_to(self, _shape_arg(shape))

    def matmul(self, other):
        return _matmul(self, other)

    def clip(self, lo=None, hi=None):
        return functions.clip(self, lo, hi)

    def softmax(self, axis=-1):
        return functions.softmax(self, axis)

    def log_softmax(self, axis=-1):
        return functions.log_softmax(self, axis)

    def logsumexp(self, axis=None, keepdims=False):
        return functions.logsumexp(self, axis, keepdims)

    def astype(self, dtype):
        return functions.astype(self, dtype)


class _HookHandle:
    __slots__ = ("hooks", "hook")

    def __init__(self, hooks, hook):
        self.hooks, self.hook = hooks, hook

    def remove(self):
        if self.hook in self.hooks:
            self.hooks.remove(self.hook)


def _wrap(data, grad_fn, requires_grad, output_nr=0):
    """Make a Tensor around an ndarray without copying or checking (the per-op fast path)."""
    t = _new(Tensor)
    t.data = data
    t.grad = None
    t.requires_grad = requires_grad
    t.grad_fn = grad_fn
    t.name = None
    t._output_nr = output_nr
    t._version = 0
    t._changed_at = -1
    t._hooks = None
    return t


def _shape_arg(args):
    """reshape(2, 3) and reshape((2, 3)) mean the same, as in NumPy's methods."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    return tuple(args)


def _normalize_index(index):
    if type(index) is tuple:
        return tuple(_index_part(p) for p in index)
    return _index_part(index)


def _index_part(part):
    if isinstance(part, Tensor):
        return part.data
    if isinstance(part, (list, range)):
        return np.asarray(part)
    return part


dual.Tensor = Tensor
function.Tensor, function._wrap = Tensor, _wrap

from . import engine, functions, inplace  # noqa: E402  (they use Tensor, defined above)
