"""Exponentials, logarithms and powers beyond exp, log and sqrt: log1p, expm1, log2, log10,
exp2, logaddexp, square, reciprocal, rsqrt. All but square are floating: ints and bools compute
in the default float dtype (reciprocal too: NumPy's integer reciprocal truncates 1/3 to 0).

At -0 every derivative is the one at +0 (log2'(-0) = log10'(-0) = +inf, rsqrt'(-0) = -inf):
-0 is the same point, though x itself would put the sign of the zero into 1/x.

>>> ag.log1p(ag.tensor([1e-20]))                  # tensor([1.e-20]), where log(1 + x) gives 0
"""

import math

import numpy as np

from .. import dtypes
from ..function import Function
from .common import _FloatingBinary, _FloatingUnary
from .select import where
from .unary import sigmoid

LOG2_E = 1.0 / math.log(2.0)
LOG10_E = 1.0 / math.log(10.0)
LN_2 = math.log(2.0)


class Log1p(_FloatingUnary):
    """log(1 + x), exact for small x;  d/dx = 1 / (1 + x)."""

    __slots__ = ()
    function = np.log1p

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy / (1 + x)


def log1p(x):
    """log(1 + x) elementwise, accurate where x is tiny.

    >>> ag.log1p(ag.tensor([0.0, 1e-20]))          # tensor([0., 1e-20])
    """
    return Log1p.apply(x)


class Expm1(_FloatingUnary):
    """e^x - 1, exact for small x;  d/dx = e^x (from x: y + 1 would lose it for x << 0)."""

    __slots__ = ()
    function = np.expm1

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy * np.exp(x)


def expm1(x):
    """e^x - 1 elementwise, accurate where x is tiny.

    >>> ag.expm1(ag.tensor([0.0, 1e-20]))          # tensor([0., 1e-20])
    """
    return Expm1.apply(x)


class Log2(_FloatingUnary):
    """log2 x;  d/dx = 1 / (x ln 2)."""

    __slots__ = ()
    function = np.log2

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        # x + 0.0 is x but for -0, which becomes +0. Dividing before scaling keeps 1/x for the
        # largest x, whose product with ln 2 would overflow.
        return gy / (x + 0.0) * LOG2_E


def log2(x):
    """Base-2 logarithm, elementwise.

    >>> ag.log2(ag.tensor([1.0, 8.0]))              # tensor([0., 3.])
    """
    return Log2.apply(x)


class Log10(_FloatingUnary):
    """log10 x;  d/dx = 1 / (x ln 10)."""

    __slots__ = ()
    function = np.log10

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy / (x + 0.0) * LOG10_E  # as Log2


def log10(x):
    """Base-10 logarithm, elementwise.

    >>> ag.log10(ag.tensor([1.0, 1000.0]))          # tensor([0., 3.])
    """
    return Log10.apply(x)


class Exp2(_FloatingUnary):
    """2^x;  d/dx = 2^x ln 2."""

    __slots__ = ()
    function = np.exp2
    saves_output = True

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        return gy * y * LN_2


def exp2(x):
    """2 ** x, elementwise.

    >>> ag.exp2(ag.tensor([0.0, 3.0]))              # tensor([1., 8.])
    """
    return Exp2.apply(x)


class Reciprocal(_FloatingUnary):
    """1 / x;  d/dx = -1 / x^2 = -y^2."""

    __slots__ = ()
    function = np.reciprocal
    saves_output = True

    @staticmethod
    def forward(ctx, x):  # np.reciprocal keeps ints as ints: convert first
        y = np.reciprocal(dtypes.floating(x))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        return -gy * y * y


def reciprocal(x):
    """1 / x elementwise, in floating point also for int tensors (as PyTorch's reciprocal).

    >>> ag.reciprocal(ag.tensor([2, 4]))            # tensor([0.5, 0.25])
    """
    return Reciprocal.apply(x)


class Rsqrt(Function):
    """1 / sqrt(x);  d/dx = -x^(-3/2) / 2 = -y / (2 x), which is -inf at -0 as at +0
    (-y^3 / 2 would give +inf there: rsqrt(-0) = -inf)."""

    __slots__ = ()
    array_backward = True

    @staticmethod
    def forward(ctx, x):
        x = dtypes.floating(x)
        y = 1 / np.sqrt(x)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, gy):
        x, y = ctx.saved_tensors
        return gy * y / x * -0.5


def rsqrt(x):
    """1 / sqrt(x) elementwise (PyTorch's rsqrt).

    >>> ag.rsqrt(ag.tensor([4.0]))                  # tensor([0.5])
    """
    return Rsqrt.apply(x)


class Square(Function):
    """x^2, in x's own dtype (ints stay ints, as x * x);  d/dx = 2 x."""

    __slots__ = ()
    array_backward = True

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.square(x)

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy * (x + x)


def square(x):
    """x ** 2 elementwise.

    >>> ag.square(ag.tensor([-3.0, 2.0]))           # tensor([9., 4.])
    """
    return Square.apply(x)


class LogAddExp(_FloatingBinary):
    """log(e^x + e^y), computed stably (np.logaddexp: no overflow at |x| = 1000).
    d/dx = sigmoid(x - y), d/dy = sigmoid(y - x); where x == y, infinities included, 1/2 each
    (the limit along x = y, where x - y would be inf - inf)."""

    __slots__ = ()
    function = np.logaddexp

    @staticmethod
    def backward(ctx, gz):
        x, y = ctx.saved_tensors
        with np.errstate(invalid="ignore"):  # inf - inf, replaced here
            difference = where(x == y, 0.0, x - y)
        edges = ctx.edges
        gx = gz * sigmoid(difference) if edges[0] is not None else None
        return gx, (gz * sigmoid(-difference) if edges[1] is not None else None)


def logaddexp(x, y):
    """log(exp(x) + exp(y)) elementwise and broadcast, without overflow.

    >>> ag.logaddexp(ag.tensor([1000.0, 0.0]), 0.0)  # tensor([1000., 0.6931])
    """
    return LogAddExp.apply(x, y)
