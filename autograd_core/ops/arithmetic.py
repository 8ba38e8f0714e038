"""The arithmetic primitives: + - * / ** and unary minus, elementwise maximum and minimum.

Binary ones broadcast as NumPy does; the engine sums each gradient back to its input's shape,
so no backward here un-broadcasts. Each lowercase function is what the operator calls.
"""

import numpy as np

from ..function import Function
from ..tensor_base import array_of
from .common import check_broadcast
from .select import where


class _Elementwise(Function):
    __slots__ = ()
    array_backward = True


class Add(_Elementwise):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x, y):
        try:
            return x + y
        except ValueError:
            check_broadcast("add", x, y)
            raise

    @staticmethod
    def backward(ctx, gy):
        return gy, gy


class Sub(_Elementwise):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x, y):
        try:
            return x - y
        except ValueError:
            check_broadcast("subtract", x, y)
            raise

    @staticmethod
    def backward(ctx, gy):
        return gy, (-gy if ctx.edges[1] is not None else None)


class Mul(_Elementwise):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x, y):
        # Each input's gradient needs only the other input: save no more than that.
        edges = ctx.edges
        ctx.save_for_backward(x if edges[1] is not None else None,
                              y if edges[0] is not None else None)
        try:
            return x * y
        except ValueError:
            check_broadcast("multiply", x, y)
            raise

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
        try:
            return x / y
        except ValueError:
            check_broadcast("divide", x, y)
            raise

    @staticmethod
    def backward(ctx, gy):
        x, y = ctx.saved_tensors
        gx = gy / y if ctx.edges[0] is not None else None
        return gx, (-gy * x / (y * y) if ctx.edges[1] is not None else None)


class Neg(_Elementwise):
    __slots__ = ()

    @staticmethod
    def forward(ctx, x):
        return -x

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
        except ValueError:
            check_broadcast("power", x, p)
            raise
        ctx.save_for_backward(x, p, y)
        return y

    @staticmethod
    def backward(ctx, gy):
        x, p, y = ctx.saved_tensors
        gx = gp = None
        if ctx.edges[0] is not None:
            gx = gy * p * x ** (p - 1)
            exponent_zero = np.asarray(array_of(p) == 0)
            if exponent_zero.any():
                gx = where(exponent_zero, 0.0, gx)
        if ctx.edges[1] is not None:  # d(x^p)/dp = x^p log x; NaN for x < 0, as in PyTorch
            with np.errstate(divide="ignore", invalid="ignore"):
                gp = gy * y * np.log(x)
            gp = where(np.asarray((array_of(x) == 0) & (array_of(p) >= 0)), 0.0, gp)
        return gx, gp


class Maximum(_Elementwise):
    """Elementwise max; on ties each input gets half the gradient."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, x, y):
        try:
            out = np.maximum(x, y)
        except ValueError:
            check_broadcast("maximum", x, y)
            raise
        ctx.save_for_backward(_tie_weights(x > y, x == y, out.dtype))
        return out

    @staticmethod
    def backward(ctx, gy):
        (weight,) = ctx.saved_tensors
        return gy * weight, gy * (1 - weight)


class Minimum(_Elementwise):
    """Elementwise min; on ties each input gets half the gradient."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, x, y):
        try:
            out = np.minimum(x, y)
        except ValueError:
            check_broadcast("minimum", x, y)
            raise
        ctx.save_for_backward(_tie_weights(x < y, x == y, out.dtype))
        return out

    @staticmethod
    def backward(ctx, gy):
        (weight,) = ctx.saved_tensors
        return gy * weight, gy * (1 - weight)


def _tie_weights(wins, ties, dtype):
    weight = np.array(wins, dtype=dtype)  # an array even for 0-d operands (NumPy gives a scalar)
    weight[ties] = 0.5
    return weight


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
