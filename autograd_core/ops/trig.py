"""Trigonometric and hyperbolic functions, their inverses, arctan2 and hypot, and the angle
conversions. Each is floating: ints and bools compute in the default float dtype.

Derivatives are written so that they stay accurate at the ends of the float range, where the
textbook form overflows: arcsinh' = 1 / hypot(1, x) rather than 1 / sqrt(1 + x^2) (which is 0,
not 1e-300, at x = 1e300), arcsin' from (1 - x)(1 + x) rather than 1 - x^2 (which loses the
digits near |x| = 1), and arctan2's and hypot's from x / hypot(x, y) rather than x^2 + y^2.

At the singular points: arctan2's gradient at the origin is 0 and hypot's is NaN, as in
PyTorch; where hypot(x, y) is infinite, both take their limits instead of inf / inf (arctan2's
gradient is 0 there, hypot's is the sign of the infinite operand for it and 0 for a finite one).
Outside an inverse function's domain the value is NaN (NumPy's, with its warning) and the
derivative is whatever its formula gives there, as in PyTorch.

>>> ag.arctan2(ag.tensor([1.0]), ag.tensor([-1.0]))      # tensor([2.3562])
"""

import math

import numpy as np

from .common import _FloatingBinary, _FloatingUnary
from .select import where

DEGREES_PER_RADIAN = 180.0 / math.pi
RADIANS_PER_DEGREE = math.pi / 180.0


class Tan(_FloatingUnary):
    """tan x;  d/dx = 1 + tan^2 x."""

    __slots__ = ()
    function = np.tan
    saves_output = True

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        return gy + gy * y * y


def tan(x):
    """Elementwise tangent.

    >>> ag.tan(ag.tensor([0.0, 1.0]))    # tensor([0., 1.5574])
    """
    return Tan.apply(x)


class Arcsin(_FloatingUnary):
    """arcsin x;  d/dx = 1 / sqrt((1 - x)(1 + x)), inf at x = +-1."""

    __slots__ = ()
    function = np.arcsin

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy / np.sqrt((1 - x) * (1 + x))


def arcsin(x):
    """Elementwise inverse sine, in [-pi/2, pi/2].

    >>> ag.arcsin(ag.tensor([0.0, 1.0]))    # tensor([0., 1.5708])
    """
    return Arcsin.apply(x)


class Arccos(_FloatingUnary):
    """arccos x;  d/dx = -1 / sqrt((1 - x)(1 + x)), -inf at x = +-1."""

    __slots__ = ()
    function = np.arccos

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return -gy / np.sqrt((1 - x) * (1 + x))


def arccos(x):
    """Elementwise inverse cosine, in [0, pi].

    >>> ag.arccos(ag.tensor([1.0, 0.0]))    # tensor([0., 1.5708])
    """
    return Arccos.apply(x)


class Arctan(_FloatingUnary):
    """arctan x;  d/dx = 1 / (1 + x^2)."""

    __slots__ = ()
    function = np.arctan

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy / (1 + x * x)


def arctan(x):
    """Elementwise inverse tangent, in (-pi/2, pi/2).

    >>> ag.arctan(ag.tensor([1.0]))    # tensor([0.7854])
    """
    return Arctan.apply(x)


class Sinh(_FloatingUnary):
    """sinh x;  d/dx = cosh x."""

    __slots__ = ()
    function = np.sinh

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy * np.cosh(x)


def sinh(x):
    """Elementwise hyperbolic sine.

    >>> ag.sinh(ag.tensor([1.0]))    # tensor([1.1752])
    """
    return Sinh.apply(x)


class Cosh(_FloatingUnary):
    """cosh x;  d/dx = sinh x."""

    __slots__ = ()
    function = np.cosh

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy * np.sinh(x)


def cosh(x):
    """Elementwise hyperbolic cosine.

    >>> ag.cosh(ag.tensor([1.0]))    # tensor([1.5431])
    """
    return Cosh.apply(x)


class Arcsinh(_FloatingUnary):
    """arcsinh x;  d/dx = 1 / sqrt(1 + x^2) = 1 / hypot(1, x)."""

    __slots__ = ()
    function = np.arcsinh

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy / np.hypot(1, x)


def arcsinh(x):
    """Elementwise inverse hyperbolic sine.

    >>> ag.arcsinh(ag.tensor([1.0]))    # tensor([0.8814])
    """
    return Arcsinh.apply(x)


class Arccosh(_FloatingUnary):
    """arccosh x (x >= 1);  d/dx = 1 / (sqrt(x - 1) sqrt(x + 1)), inf at x = 1."""

    __slots__ = ()
    function = np.arccosh

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy / (np.sqrt(x - 1) * np.sqrt(x + 1))


def arccosh(x):
    """Elementwise inverse hyperbolic cosine (x >= 1).

    >>> ag.arccosh(ag.tensor([2.0]))    # tensor([1.3170])
    """
    return Arccosh.apply(x)


class Arctanh(_FloatingUnary):
    """arctanh x (|x| < 1);  d/dx = 1 / ((1 - x)(1 + x)), inf at x = +-1."""

    __slots__ = ()
    function = np.arctanh

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy / ((1 - x) * (1 + x))


def arctanh(x):
    """Elementwise inverse hyperbolic tangent (|x| < 1).

    >>> ag.arctanh(ag.tensor([0.5]))    # tensor([0.5493])
    """
    return Arctanh.apply(x)


class Degrees(_FloatingUnary):
    """x in degrees, for x in radians;  d/dx = 180 / pi."""

    __slots__ = ()
    function = np.degrees

    @staticmethod
    def backward(ctx, gy):
        return gy * DEGREES_PER_RADIAN


def degrees(x):
    """Elementwise radians to degrees.

    >>> ag.degrees(ag.tensor([np.pi]))    # tensor([180.])
    """
    return Degrees.apply(x)


class Radians(_FloatingUnary):
    """x in radians, for x in degrees;  d/dx = pi / 180."""

    __slots__ = ()
    function = np.radians

    @staticmethod
    def backward(ctx, gy):
        return gy * RADIANS_PER_DEGREE


def radians(x):
    """Elementwise degrees to radians.

    >>> ag.radians(ag.tensor([180.0]))    # tensor([3.1416])
    """
    return Radians.apply(x)


class Arctan2(_FloatingBinary):
    """arctan2(x1, x2): the angle of the point (x2, x1), in (-pi, pi].
    d/dx1 = x2 / r^2 and d/dx2 = -x1 / r^2 with r = hypot(x1, x2); 0 at the origin (PyTorch's
    value) and where r is infinite (the limit)."""

    __slots__ = ()
    function = np.arctan2

    @staticmethod
    def backward(ctx, gz):
        x1, x2 = ctx.saved_tensors
        r = np.hypot(x1, x2)
        # r = 0 or inf, with no NaN operand (x == x is False for NaN): the gradient is 0 there
        singular = ((r == 0) | np.isinf(r)) & (x1 == x1) & (x2 == x2)
        r = where(singular, 1.0, r)  # any finite r: the gradient there is 0 below
        edges = ctx.edges
        gx1 = where(singular, 0.0, gz * (x2 / r) / r) if edges[0] is not None else None
        return gx1, (where(singular, 0.0, -gz * (x1 / r) / r) if edges[1] is not None else None)


def arctan2(x1, x2):
    """The angle of the point (x2, x1) in (-pi, pi], elementwise and broadcast (NumPy's
    argument order: arctan2(y, x)).

    >>> ag.arctan2(ag.tensor([1.0, 1.0]), ag.tensor([1.0, -1.0]))    # tensor([0.7854, 2.3562])
    """
    return Arctan2.apply(x1, x2)


class Hypot(_FloatingBinary):
    """hypot(x, y) = sqrt(x^2 + y^2) without overflow or underflow.
    d/dx = x / hypot, d/dy = y / hypot; NaN at the origin (PyTorch's value), and where hypot is
    infinite the limits: the sign of an infinite operand for it, 0 for a finite one."""

    __slots__ = ()
    function = np.hypot

    @staticmethod
    def backward(ctx, gz):
        x, y = ctx.saved_tensors
        r = np.hypot(x, y)
        edges = ctx.edges
        gx = gz * _ratio(x, r) if edges[0] is not None else None
        return gx, (gz * _ratio(y, r) if edges[1] is not None else None)


def hypot(x, y):
    """sqrt(x^2 + y^2) elementwise and broadcast, without overflow or underflow.

    >>> ag.hypot(ag.tensor([3.0, 1e300]), 4.0)             # tensor([5., 1e300])
    """
    return Hypot.apply(x, y)


def _ratio(x, r):
    """x / r for r = hypot(x, other), with its limit where r is infinite (not inf / inf)."""
    infinite = np.isinf(r)
    limit = np.sign(x) * np.isinf(x)
    return where(infinite, limit, x / where(infinite, 1.0, r))
