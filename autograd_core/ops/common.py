"""What several op modules share: axis arguments, the shape errors they raise, PyTorch's
names for the axis arguments (`dim=`, `keepdim=`), and the bases of the elementwise floating
functions."""


import functools
import inspect

import numpy as np

from .. import dtypes
from ..function import Function
from ..tensor_base import TensorBase, make


def normalize_axis(axis, ndim, op):
    """`axis` (None, an int or a tuple) as a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    result = []
    for a in axes:
        if isinstance(a, (bool, np.bool_)) or not isinstance(a, (int, np.integer)):
            raise TypeError(f"{op}: axis must be None, an int or a tuple of ints, got {axis!r}")
        if not -ndim <= a < ndim:
            raise ValueError(f"{op}: axis {a!r} is out of range for a tensor with {ndim} dims")
        result.append(int(a) % ndim)
    if len(set(result)) != len(result):
        raise ValueError(f"{op}: repeated axis in {axis!r}")
    return tuple(sorted(result))


def keepdims_shape(shape, axes):
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def check_broadcast(op, *operands):
    """On a failed forward: raise an error naming the op and the shapes if they do not broadcast."""
    shapes = [np.shape(x) for x in operands]
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        listed = " and ".join(str(shape) for shape in shapes)
        raise ValueError(f"{op}: shapes {listed} cannot be broadcast together") from None


class _FloatingUnary(Function):
    """y = function(x) elementwise, for a floating function: ints and bools compute in the
    default float dtype. A subclass declares `function` (a NumPy ufunc), whether backward needs
    the output (`saves_output`) or the input, and writes its backward beside it."""

    __slots__ = ()
    array_backward = True
    function = None
    saves_output = False

    @staticmethod
    def forward(ctx, x):
        y = ctx.function(x)
        # A float x gives y of its dtype; an int, a bool or a Python number does not, and
        # computes in the default float dtype. (Checking y, not x, spares a call: ~400
        # instructions a tanh. A function that keeps ints as ints converts first instead.)
        if y.dtype is not getattr(x, "dtype", None):
            x = dtypes.floating(x)
            y = ctx.function(x)
        ctx._saved = (y,) if ctx.saves_output else (x,)  # save_for_backward, inlined (W2)
        return y


class _FloatingBinary(Function):
    """z = function(x, y) elementwise and broadcast, for a floating function of two tensors, in
    the dtype `dtypes.operands` gives them; saves both inputs. A subclass declares `function`
    (a NumPy ufunc, whose name the shape errors carry) and writes its backward."""

    __slots__ = ()
    array_backward = True
    function = None

    @staticmethod
    def forward(ctx, x, y):
        x, y = dtypes.operands(x, y, floating=True)
        z = broadcasting(ctx.function, x, y)
        ctx.save_for_backward(x, y)
        return z


def broadcasting(ufunc, *operands, name=None):
    """ufunc(*operands), with NumPy's errors for shapes that do not broadcast and for operands
    it cannot take replaced by ones that name the op (and the shapes)."""
    name = name or ufunc.__name__
    try:
        return ufunc(*operands)
    except ValueError:
        check_broadcast(name, *operands)
        raise
    except (TypeError, AttributeError) as error:  # None or a str: NumPy tries object loops
        raise TypeError(f"{name}: {error}") from None


def zero_gradient(gy):
    """The gradient of an input whose derivative is zero everywhere it exists (floor, sign, the
    integer part of a division): zeros of gy's shape and dtype, as PyTorch gives, exact even
    where gy is inf or NaN (0 * inf is NaN), and a Tensor under create_graph."""
    return np.where(False, gy, 0)
def one_axis(axis, shape, op, argument="axis"):
    """A single axis (an int, either sign) of a tensor of `shape`, made non-negative."""
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{op}: {argument} must be an int, got {axis!r}")
    if not -len(shape) <= axis < len(shape):
        raise ValueError(f"{op}: {argument} {axis} is out of range for a tensor of shape "
                         f"{tuple(shape)}")
    return int(axis) % len(shape)


def axes_of(axis, shape, op):
    """`normalize_axis` for a tensor of `shape`, whose errors also name the shape."""
    try:
        return normalize_axis(axis, len(shape), op)
    except ValueError as error:
        raise ValueError(f"{error} (shape {tuple(shape)})") from None


def without_history(like, array):
    """A result that carries no gradient (indices, truth values): a Tensor with no history
    when `like` is a Tensor, the plain array otherwise (an op applied to arrays)."""
    if isinstance(like, TensorBase):
        return make(like._result_class, np.asarray(array))
    return array


# -- PyTorch's argument names ---------------------------------------------------------------------
def _torch_name(name):
    """The PyTorch spelling of a NumPy argument name: axis -> dim, axes -> dims, axis1 -> dim1,
    start_axis -> start_dim, keepdims -> keepdim."""
    if name == "keepdims":
        return "keepdim"
    return name.replace("axes", "dims").replace("axis", "dim")


def accepts_dim(function):
    """`function`, also accepting PyTorch's `dim=`, `keepdim=` (and `dims=`, `dim1=`,
    `start_dim=`, ...) for its `axis=`, `keepdims=` (`axes=`, `axis1=`, `start_axis=`, ...)
    keyword arguments. Positional calls are untouched; a function without such a parameter is
    returned as it is.

    ag.* functions and Tensor methods get this automatically (functions.py, methods/);
    decorate other public functions that take an axis with it.

    >>> @ag.accepts_dim
    ... def total(x, axis=None, keepdims=False): return ag.sum(x, axis, keepdims)
    >>> total(ag.ones(2, 3), dim=1, keepdim=True).shape     # (2, 1)
    """
    parameters = inspect.signature(function).parameters
    by_keyword = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    renames = {_torch_name(name): name for name, parameter in parameters.items()
               if parameter.kind in by_keyword and _torch_name(name) != name
               and _torch_name(name) not in parameters}
    if not renames:
        return function

    @functools.wraps(function)
    def with_numpy_names(*args, **kwargs):
        if kwargs and not renames.keys().isdisjoint(kwargs):
            kwargs = _renamed(kwargs, renames, function.__name__)
        return function(*args, **kwargs)

    return with_numpy_names


def _renamed(kwargs, renames, op):
    result = {}
    for name, value in kwargs.items():
        numpy_name = renames.get(name, name)
        if numpy_name in result or (numpy_name != name and numpy_name in kwargs):
            raise TypeError(f"{op}: got both {numpy_name}= and {name}= (the same argument)")
        result[numpy_name] = value
    return result
