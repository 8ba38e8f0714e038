"""The arithmetic primitives: + - * / ** and unary minus, elementwise maximum and minimum and
their NaN-ignoring forms fmax and fmin, and linear interpolation (lerp).

Binary ones broadcast as NumPy does; the engine sums each gradient back to its input's shape,
so no backward here un-broadcasts. Each lowercase function is what the operator calls.
"""

import operator

import numpy as np

from .. import dtypes
from ..function import Function
from ..tensor_base import array_of
from .common import broadcasting, check_broadcast
from .select import where


class _Elementwise(Function):
    __slots__ = ()
    array_backward = True


class Add(_Elementwise):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x, y):
        return _combine(operator.add, "add", x, y)

    @staticmethod
    def backward(ctx, gy):
        return gy, gy


class Sub(_Elementwise):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x, y):
        return _combine(operator.sub, "subtract", x, y)

    @staticmethod
    def backward(ctx, gy):
        return gy, (-gy if ctx.edges[1] is not None else None)


class Mul(_Elementwise):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x, y):
        # Each input's gradient needs only the other input: save no more than that.
        edges = ctx.edges  # save_for_backward, inlined: this is W2's hottest op
        ctx._saved = (x if edges[1] is not None else None, y if edges[0] is not None else None)
        return _combine(operator.mul, "multiply", x, y)

    @staticmethod
    def backward(ctx, gy):
        x, y = ctx.saved_tensors
        edges = ctx.edges
        gx = gy * y if edges[0] is not None else None
        return gx, (gy * x if edges[1] is not None else None)


class Div(_Elementwise):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x if ctx.edges[1] is not None else None, y)
        return _combine(operator.truediv, "divide", x, y, floating=True)

    @staticmethod
    def backward(ctx, gy):
        x, y = ctx.saved_tensors
        gx = gy / y if ctx.edges[0] is not None else None
        return gx, (-gy * x / (y * y) if ctx.edges[1] is not None else None)


def _combine(operation, name, x, y, floating=False):
    """operation(x, y) in the dtype of the promotion rule. NumPy's result stands unless it widened
    past both operands: int32 with float32 is float64 in NumPy, float32 here (and an int with a
    Python float is the default float dtype); only that rare case computes again."""
    try:
        z = operation(x, y)  # the operator module's form: NumPy's ufunc call parses more
    except ValueError:
        check_broadcast(name, x, y)
        raise
    try:
        if z.dtype is x.dtype or z.dtype is y.dtype:
            return z
    except AttributeError:  # a Python number among the operands (2.0 * t)
        pass
    a, b = dtypes.operands(x, y, floating=floating)
    return z if a is x and b is y else operation(a, b)


class Neg(_Elementwise):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x):
        try:
            return -x
        except TypeError as error:  # -bool: NumPy points to ~ (costs nothing until it raises)
            raise TypeError(f"negative: {error}") from None

    @staticmethod
    def backward(ctx, gy):
        return -gy


class Pow(_Elementwise):
    """x ** p. At the points where the calculus gives 0 but the formulas give 0 * inf (the
    exponent 0, and a base 0 with a positive exponent) the gradient is 0, as in PyTorch."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, x, p):
        try:
            y = x**p
        except ValueError as error:  # shapes, or NumPy's "Integers to negative integer powers"
            check_broadcast("power", x, p)
            raise ValueError(f"power: {error}") from None
        ctx.save_for_backward(x, p, y)
        return y

    @staticmethod
    def backward(ctx, gy):
        x, p, y = ctx.saved_tensors
        gx = gp = None
        if ctx.edges[0] is not None:
            exponent_zero = np.asarray(array_of(p) == 0)
            if exponent_zero.any():  # 0 ** -1 there is inf, replaced: no warning about it
                with np.errstate(divide="ignore", invalid="ignore"):
                    gx = where(exponent_zero, 0.0, gy * p * x ** (p - 1))
            else:
                gx = gy * p * x ** (p - 1)
        if ctx.edges[1] is not None:  # d(x^p)/dp = x^p log x; NaN for x < 0, as in PyTorch
            with np.errstate(divide="ignore", invalid="ignore"):
                gp = gy * y * np.log(x)
            gp = where(np.asarray((array_of(x) == 0) & (array_of(p) >= 0)), 0.0, gp)
        return gx, gp


class _Extremum(_Elementwise):
    """z = function(x, y), one of the two (maximum, minimum, fmax, fmin). The gradient goes to
    the operand chosen, x where `x_chosen(x, y)`, y elsewhere; on ties each gets half."""

    __slots__ = ()
    function = None

    @staticmethod
    def forward(ctx, x, y):
        x, y = dtypes.operands(x, y)
        z = broadcasting(ctx.function, x, y)
        if ctx.edges[0] is not None or ctx.edges[1] is not None:
            ctx.save_for_backward(_tie_weights(ctx.x_chosen(x, y), x == y, z.dtype))
        return z

    @staticmethod
    def backward(ctx, gz):
        (weight,) = ctx.saved_tensors
        return gz * weight, gz * (1 - weight)


# Where x is chosen (x != x holds only for NaN): maximum and minimum propagate a NaN, so a NaN
# operand is the one chosen; fmax and fmin ignore a NaN, so the other operand is.
def _x_larger_or_nan(x, y):
    return (x > y) | (x != x)


def _x_smaller_or_nan(x, y):
    return (x < y) | (x != x)


def _x_larger_or_y_nan(x, y):
    return (x > y) | (y != y)


def _x_smaller_or_y_nan(x, y):
    return (x < y) | (y != y)


class Maximum(_Extremum):
    """Elementwise max (NaN if either is NaN); on ties each input gets half the gradient."""

    __slots__ = ()
    function = np.maximum
    x_chosen = staticmethod(_x_larger_or_nan)


class Minimum(_Extremum):
    """Elementwise min (NaN if either is NaN); on ties each input gets half the gradient."""

    __slots__ = ()
    function = np.minimum
    x_chosen = staticmethod(_x_smaller_or_nan)


class Fmax(_Extremum):
    """Elementwise max ignoring NaN (NaN only if both are); ties split as in maximum."""

    __slots__ = ()
    function = np.fmax
    x_chosen = staticmethod(_x_larger_or_y_nan)


class Fmin(_Extremum):
    """Elementwise min ignoring NaN (NaN only if both are); ties split as in minimum."""

    __slots__ = ()
    function = np.fmin
    x_chosen = staticmethod(_x_smaller_or_y_nan)


def _tie_weights(wins, ties, dtype):
    weight = np.array(wins, dtype=dtype)  # an array even for 0-d operands (NumPy gives a scalar)
    weight[ties] = 0.5
    return weight


class Lerp(_Elementwise):
    """start + weight (end - start), evaluated from the nearer end (as PyTorch), so weight 0
    gives start and weight 1 gives end exactly;
    d/dstart = 1 - weight, d/dend = weight, d/dweight = end - start."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, start, end, weight):
        start, end, weight = dtypes.operands(start, end, weight, floating=True)
        try:
            step = end - start
            z = np.where(np.abs(weight) < 0.5, start + weight * step, end - (1 - weight) * step)
        except ValueError:
            check_broadcast("lerp", start, end, weight)
            raise
        except TypeError as error:
            raise TypeError(f"lerp: {error}") from None
        ctx.save_for_backward(start, end, weight)
        return z

    @staticmethod
    def backward(ctx, gz):
        start, end, weight = ctx.saved_tensors
        edges = ctx.edges
        return (gz * (1 - weight) if edges[0] is not None else None,
                gz * weight if edges[1] is not None else None,
                gz * (end - start) if edges[2] is not None else None)


add, subtract, multiply, divide = Add.apply, Sub.apply, Mul.apply, Div.apply
negative, power = Neg.apply, Pow.apply


def maximum(a, b):
    """Elementwise maximum; ties split the gradient evenly.

    >>> ag.maximum(ag.tensor([1.0, 3.0]), 2.0)     # tensor([2., 3.])
    """
    return Maximum.apply(a, b)


def minimum(a, b):
    """Elementwise minimum; ties split the gradient evenly.

    >>> ag.minimum(ag.tensor([1.0, 3.0]), 2.0)     # tensor([1., 2.])
    """
    return Minimum.apply(a, b)


def fmax(a, b):
    """Elementwise maximum that ignores NaN (NaN only where both are); ties split the gradient.

    >>> ag.fmax(ag.tensor([1.0, np.nan]), 2.0)     # tensor([2., 2.])
    """
    return Fmax.apply(a, b)


def fmin(a, b):
    """Elementwise minimum that ignores NaN (NaN only where both are); ties split the gradient.

    >>> ag.fmin(ag.tensor([1.0, np.nan]), 2.0)     # tensor([1., 2.])
    """
    return Fmin.apply(a, b)


def lerp(start, end, weight):
    """Linear interpolation start + weight * (end - start), broadcast (PyTorch's lerp).

    >>> ag.lerp(ag.tensor([0.0, 10.0]), 20.0, 0.25)   # tensor([5., 12.5])
    """
    return Lerp.apply(start, end, weight)
