"""The Tensor: an array, its gradient, and the node that made it, with operators and methods
that are one-line calls into the ops (the state itself is TensorBase's, in tensor_base.py)."""

import weakref

import numpy as np

from . import dtypes, engine, inplace
from .function import Select
from .gradients import AccumulateGrad
from .methods import Methods
from .numpy_api import array_function, array_ufunc
from .ops.arithmetic import Add, Div, Mul, Neg, Pow, Sub
from .ops.index import GetItem, normalize_index
from .ops.linalg import MatMul
from .ops.predicates import invert, left_shift, right_shift
from .ops.rounding import FloorDivide, Mod
from .ops.unary import Abs
from .tensor_base import TensorBase, make

# The operators apply their primitive directly: one call per op.
_add, _sub, _mul, _div, _neg, _pow = Add.apply, Sub.apply, Mul.apply, Div.apply, Neg.apply, \
    Pow.apply
_matmul, _getitem = MatMul.apply, GetItem.apply
_abs = Abs.apply
_mod, _floordiv = Mod.apply, FloorDivide.apply


class Tensor(Methods, TensorBase):
    """An n-dimensional array that records the operations applied to it.

    >>> w = ag.Tensor([1.0, 2.0], requires_grad=True)
    >>> (w * w).sum().backward(); w.grad          # tensor([2., 4.])
    """

    __slots__ = ()
    __hash__ = TensorBase.__hash__  # == is elementwise: tensors hash by identity
    __array_ufunc__ = array_ufunc  # np.exp(t), array * t, ...: the ag op, with its graph
    __array_function__ = array_function  # np.sum(t), np.concatenate([t, u]), ...

    def __init__(self, data, requires_grad=False, dtype=None, name=None):
        if isinstance(data, TensorBase):
            data = data.data
        elif isinstance(data, (list, tuple)):
            _refuse_tensors_that_require_grad(data)
            if requires_grad and dtype is None:  # ag.tensor(2, requires_grad=True) is a float
                dtype = dtypes.get_default_dtype()
        elif requires_grad and dtype is None and isinstance(data, (int, float)):
            dtype = dtypes.get_default_dtype()
        self.data = dtypes.as_array(data, dtype)
        self.name = name
        self._grad = self._edge = self._counter = self._view = None
        self._requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    # -- attributes ---------------------------------------------------------------------------
    @property
    def grad(self):
        """The gradient accumulated by backward (a Tensor of this shape and dtype), or None."""
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None and (not isinstance(value, TensorBase) or value.shape != self.shape):
            kind = ValueError if isinstance(value, TensorBase) else TypeError
            raise kind(f"grad must be None or a Tensor of shape {self.shape}, got "
                       f"{type(value).__name__} {getattr(value, 'shape', '')}")
        self._grad = value

    @property
    def requires_grad(self):
        return self._with_current_history()._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        self.requires_grad_(flag)

    @property
    def grad_fn(self):
        """The node that made this tensor; None for leaves."""
        node = self._with_current_history()._edge
        if type(node) is Select:  # one output of several: the op itself, as in PyTorch
            return node.edges[0]
        return None if type(node) is AccumulateGrad else node

    is_leaf = property(lambda self: self.grad_fn is None)
    T = property(lambda self: self.transpose())

    def __array__(self, dtype=None, copy=None):
        """np.asarray(t): the tensor's array (out of the graph); np.array(t): a copy of it."""
        array = self.data if dtype is None else self.data.astype(dtype, copy=False)
        if copy is False and array is not self.data:
            raise ValueError(f"np.asarray(t, copy=False): a tensor of dtype {self.dtype} "
                             f"cannot be viewed as {np.dtype(dtype)} without a copy")
        return array.copy() if copy and array is self.data else array

    def numpy(self):
        return self.data

    def item(self):
        if self.data.size != 1:
            raise ValueError(f"item(): the tensor has {self.data.size} elements, not one")
        return self.data.item()

    def tolist(self):
        return self.data.tolist()

    def numel(self):
        return self.data.size

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
        elif self._requires_grad:
            extras.append("requires_grad=True")
        if self.name:
            extras.append(f"name={self.name!r}")
        return prefix + body + "".join(", " + e for e in extras) + ")"

    def __reduce_ex__(self, protocol):
        """Pickling and copy.deepcopy keep a leaf's values, flags, name and gradient; a tensor
        with history refuses (its graph is not data: detach() it first)."""
        if not self.is_leaf:
            raise RuntimeError(
                "only leaf tensors can be pickled or deep-copied (this one was made by "
                f"{self.grad_fn.name}); use t.detach() to keep its values without the graph"
            )
        return _rebuild, (type(self), self.data, self._requires_grad, self.name, self._grad)

    # -- graph ----------------------------------------------------------------------------------
    def backward(self, grad=None, retain_graph=False, create_graph=False):
        """Accumulate the gradient of this tensor into `.grad` of every leaf that requires grad.

        >>> loss = ((w * x).sum() - y) ** 2
        >>> loss.backward(); w.grad
        """
        engine.backward(self, grad, retain_graph=retain_graph, create_graph=create_graph)

    def detach(self):
        """The same memory (and version counter) with no history, as in PyTorch."""
        return make(self._result_class, self.data, counter=self._shared_counter())

    def requires_grad_(self, flag=True):
        """Make this leaf record (or stop recording) the operations that use it."""
        if flag:
            dtypes.check_differentiable(self.data.dtype)
            if self._edge is None:
                self._view = None  # a leaf now: its history no longer follows a base
                self._edge = AccumulateGrad(self)
        elif not self.is_leaf:
            raise RuntimeError("requires_grad_(False) on a non-leaf tensor; use detach() instead")
        else:
            self._edge = None
        self._requires_grad = bool(flag)
        return self

    def retain_grad(self):
        """Keep `.grad` on this non-leaf tensor after backward (leaves keep it anyway)."""
        if not self.requires_grad:
            raise RuntimeError("retain_grad() on a tensor that does not require grad")
        if not self.is_leaf:
            node = self._edge
            node._retained = weakref.ref(self)
            if node._hooks is None:
                node._hooks = []  # the engine looks at _hooks only; retained grads ride along
        return self

    def register_hook(self, hook):
        """Call `hook(grad)` when this tensor's gradient is computed; it may return a replacement.

        >>> handle = h.register_hook(lambda g: g * 0.5)
        >>> handle.remove()
        """
        if not self.requires_grad:
            raise RuntimeError("register_hook() on a tensor that does not require grad")
        node = self._edge
        if node._hooks is None:
            node._hooks = []
        node._hooks.append(hook)
        return _HookHandle(node._hooks, hook)

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
        return _abs(self)

    def __getitem__(self, index):
        return _getitem(self, index=normalize_index(index))

    def _compare(self, other, ufunc):
        """A comparison or bitwise/logical op: a bool (or int) tensor with no history."""
        try:
            result = ufunc(self.data, other.data if isinstance(other, TensorBase) else other)
        except OverflowError as error:
            raise ValueError(f"{ufunc.__name__}: {error}") from None
        except TypeError:
            raise TypeError(f"{ufunc.__name__}: unsupported operands Tensor {self.dtype} and "
                            f"{getattr(other, 'dtype', type(other).__name__)}") from None
        if not isinstance(result, np.ndarray):
            result = np.asarray(result)
        dtypes.check(result.dtype, f"{ufunc.__name__} results")
        return make(self._result_class, result)

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

    # & | ^ ~ are bitwise on integers and logical on bools, as in NumPy and PyTorch.
    def __and__(self, other):
        return self._compare(other, np.bitwise_and)

    def __or__(self, other):
        return self._compare(other, np.bitwise_or)

    def __xor__(self, other):
        return self._compare(other, np.bitwise_xor)

    def __invert__(self):
        return invert(self)

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__  # the same on either side

    # << and >> on integers; % and // as NumPy's mod and floor_divide (ops/rounding.py)
    def __lshift__(self, other):
        return left_shift(self, other)

    def __rlshift__(self, other):
        return left_shift(other, self)

    def __rshift__(self, other):
        return right_shift(self, other)

    def __rrshift__(self, other):
        return right_shift(other, self)

    def __mod__(self, other):
        return _mod(self, other)

    def __rmod__(self, other):
        return _mod(other, self)

    def __floordiv__(self, other):
        return _floordiv(self, other)

    def __rfloordiv__(self, other):
        return _floordiv(other, self)

    # -- in-place changes (inplace.py: write through views, bump the version, record) ---------
    def __setitem__(self, index, value):
        inplace.setitem(self, normalize_index(index), value)

    def add_(self, other):
        return inplace.add_(self, other)

    def sub_(self, other):
        return inplace.sub_(self, other)

    def mul_(self, other):
        return inplace.mul_(self, other)

    def div_(self, other):
        return inplace.div_(self, other)

    # `w -= lr * w.grad` updates w itself (under no_grad), as in PyTorch and NumPy.
    __iadd__ = add_
    __isub__ = sub_
    __imul__ = mul_
    __itruediv__ = div_

    def copy_(self, source):
        return inplace.copy_(self, source)

    def fill_(self, value):
        return inplace.fill_(self, value)

    def zero_(self):
        return inplace.zero_(self)

    def clamp_(self, min=None, max=None):  # noqa: A002  (PyTorch's names)
        return inplace.clamp_(self, min, max)


Tensor._result_class = Tensor  # ops on Tensors (and on nn.Parameter, a subclass) make Tensors


def _rebuild(cls, data, requires_grad, name, grad):
    t = make(cls, data.copy())
    t.name = name
    t._grad = grad
    return t.requires_grad_(True) if requires_grad else t


class _HookHandle:
    __slots__ = ("hooks", "hook")

    def __init__(self, hooks, hook):
        self.hooks, self.hook = hooks, hook

    def remove(self):
        if self.hook in self.hooks:
            self.hooks.remove(self.hook)


def _refuse_tensors_that_require_grad(data):
    """ag.tensor([...]) makes a new leaf; Tensors with history inside would silently lose it."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, TensorBase) and item._requires_grad:
            raise TypeError("ag.tensor() makes a new leaf, so the Tensors that require grad in "
                            "this list would lose their history; use ag.stack([...]) to keep it")
        if isinstance(item, (list, tuple)):
            stack.extend(item)
