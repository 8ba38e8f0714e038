"""The error function and its complement as primitives, accurate to about 1e-16 without SciPy.

    erf(x) = 2/sqrt(pi) * integral from 0 to x of exp(-t^2) dt,    erfc(x) = 1 - erf(x)

The values come from W. J. Cody's near-minimax rational approximations ("Rational Chebyshev
approximations for the error function", Math. Comp. 23, 1969, pp. 631-638; the coefficients are
those of his SPECFUN routine CALERF), one for each of three ranges of y = |x|:

    y <= 0.46875         erf(y)  = y P(y^2) / Q(y^2)
    0.46875 < y <= 4     erfc(y) = exp(-y^2) P(y) / Q(y)
    y > 4                erfc(y) = exp(-y^2) / y * (1/sqrt(pi) - z P(z) / Q(z)),   z = 1/y^2

and erf(-x) = -erf(x), erfc(-x) = 2 - erfc(x). Where erfc is small it is never formed as
1 - erf, so it keeps its relative precision down to the subnormal numbers (erfc(27) ~ 5e-319).

>>> ag.erf(ag.tensor([0.0, 1.0]))                 # tensor([0., 0.8427])
"""

import math

import numpy as np

from .. import dtypes
from ..function import Function

TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
ONE_OVER_SQRT_PI = 1.0 / math.sqrt(math.pi)
SMALL, LARGE = 0.46875, 4.0  # where the three approximations meet

# Coefficients, highest power first (Horner's order): Cody's A, B; C, D; P, Q.
ERF_SMALL_P = (1.85777706184603153e-1, 3.16112374387056560e00, 1.13864154151050156e02,
               3.77485237685302021e02, 3.20937758913846947e03)
ERF_SMALL_Q = (1.0, 2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
               2.84423683343917062e03)
ERFC_MIDDLE_P = (2.15311535474403846e-8, 5.64188496988670089e-1, 8.88314979438837594e00,
                 6.61191906371416295e01, 2.98635138197400131e02, 8.81952221241769090e02,
                 1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03)
ERFC_MIDDLE_Q = (1.0, 1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
                 1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
                 3.43936767414372164e03, 1.23033935480374942e03)
ERFC_LARGE_P = (1.63153871373020978e-2, 3.05326634961232344e-1, 3.60344899949804439e-1,
                1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4)
ERFC_LARGE_Q = (1.0, 2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
                6.05183413124413191e-2, 2.33520497626869185e-3)

# exp(-y^2) is 0 in float64 well before y = 30; clipping there keeps inf out of y - h below.
UNDERFLOW = 30.0


def _horner(coefficients, z):
    value = np.full_like(z, coefficients[0])
    for c in coefficients[1:]:
        value = value * z + c
    return value


def _erf_small(x):
    """erf on |x| <= 0.46875 (keeps the sign of x, -0 included)."""
    z = x * x
    return x * _horner(ERF_SMALL_P, z) / _horner(ERF_SMALL_Q, z)


def _exp_minus_square(y):
    """exp(-y^2) without the rounding error of y*y, which exp would multiply by y^2 (~700 near
    the underflow): y = h + d with h a multiple of 1/16, so h*h is exact, and
    y^2 = h^2 + (y - h)(y + h)."""
    h = np.trunc(16.0 * y) / 16.0
    return np.exp(-h * h) * np.exp(-(y - h) * (y + h))


def _erfc_positive(y):
    """erfc on y > 0.46875."""
    y = np.minimum(y, UNDERFLOW)
    value = np.empty_like(y)
    middle = y <= LARGE
    ym = y[middle]
    value[middle] = _horner(ERFC_MIDDLE_P, ym) / _horner(ERFC_MIDDLE_Q, ym)
    yl = y[~middle]
    z = 1.0 / (yl * yl)
    value[~middle] = (ONE_OVER_SQRT_PI - z * _horner(ERFC_LARGE_P, z)
                      / _horner(ERFC_LARGE_Q, z)) / yl
    return _exp_minus_square(y) * value


def _as_float64(x):
    x = np.asarray(x)
    dtype = dtypes.computing(x.dtype)
    return x.astype(np.float64, copy=False), dtype


def erf_array(x):
    """erf of a NumPy array, in its float dtype (the default float dtype for ints and bools).

    >>> erf_array(np.array([0.5]))                    # array([0.52049988])
    """
    x, dtype = _as_float64(x)
    y = np.abs(x)
    out = np.full_like(x, np.nan)  # NaN stays NaN: it falls in neither range below
    small = y <= SMALL
    out[small] = _erf_small(x[small])
    large = y > SMALL
    # erfc <= 0.51 here, so 1 - erfc rounds once and loses nothing that erf could show.
    out[large] = np.copysign(1.0 - _erfc_positive(y[large]), x[large])
    return out.astype(dtype, copy=False)


def erfc_array(x):
    """erfc = 1 - erf of a NumPy array, in its float dtype, with full relative precision for
    large x.

    >>> erfc_array(np.array([10.0]))                  # array([2.08848758e-45])
    """
    x, dtype = _as_float64(x)
    y = np.abs(x)
    out = np.full_like(x, np.nan)
    small = y <= SMALL
    out[small] = 1.0 - _erf_small(x[small])  # in [0.49, 1.51]: no relative precision to lose
    large = y > SMALL
    tail = _erfc_positive(y[large])
    out[large] = np.where(x[large] < 0, 2.0 - tail, tail)
    return out.astype(dtype, copy=False)


class _Special(Function):
    __slots__ = ()
    array_backward = True


class Erf(_Special):
    """erf(x); d erf / dx = 2/sqrt(pi) exp(-x^2)."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return erf_array(x)

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy * (TWO_OVER_SQRT_PI * np.exp(-(x * x)))


class Erfc(_Special):
    """erfc(x) = 1 - erf(x); d erfc / dx = -2/sqrt(pi) exp(-x^2)."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return erfc_array(x)

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy * (-TWO_OVER_SQRT_PI * np.exp(-(x * x)))


def erf(x):
    """The error function 2/sqrt(pi) * integral_0^x exp(-t^2) dt, elementwise.

    >>> ag.erf(ag.tensor([0.0, 1.0, -2.0]))          # tensor([0., 0.8427, -0.9953])
    """
    return Erf.apply(x)


def erfc(x):
    """The complementary error function 1 - erf(x), elementwise, accurate where it is tiny.

    >>> ag.erfc(ag.tensor([0.0, 10.0]))              # tensor([1., 2.0885e-45])
    """
    return Erfc.apply(x)
