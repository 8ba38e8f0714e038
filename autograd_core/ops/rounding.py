"""Rounding, signs and remainders: sign, floor, ceil, round, trunc, floor_divide, div with a
rounding mode, mod, fmod, copysign.

The rounding functions and the integer part of a division are piecewise constant: their
gradient is zero (exact zeros, as in PyTorch). They keep int and bool tensors as they are (the
values are already whole; the sign of a bool is itself, as in PyTorch, where NumPy raises).
A remainder r = x - y q, with q the integer quotient, has dr/dx = 1 and dr/dy = -q.

>>> ag.mod(ag.tensor([5.0, -5.0]), 3.0)           # tensor([2., 1.]): the sign of the divisor
>>> ag.fmod(ag.tensor([5.0, -5.0]), 3.0)          # tensor([2., -2.]): the sign of the dividend
"""

import numpy as np

from .. import dtypes
from ..function import Function
from .arithmetic import divide
from .common import broadcasting, zero_gradient


class _Rounding(Function):
    """y = function(x) for a rounding function (zero derivative); tensors of the dtype kinds in
    `unchanged` (bool, int, unsigned) are already rounded, and come back as they are."""

    __slots__ = ()
    array_backward = True
    function = None
    unchanged = "biu"

    @staticmethod
    def forward(ctx, x, **params):
        x = np.asarray(x)
        if x.dtype.kind in ctx.unchanged and params.get("decimals", 0) >= 0:
            return x.copy()
        return ctx.function(x, **params)

    @staticmethod
    def backward(ctx, gy):
        return zero_gradient(gy)


class Sign(_Rounding):
    """-1, 0 or 1 with the sign of x (NaN for NaN); a bool is its own sign."""

    __slots__ = ()
    function = np.sign
    unchanged = "b"


def sign(x):
    """The sign of each element: -1, 0 or 1 (NaN stays NaN); zero gradient.

    >>> ag.sign(ag.tensor([-2.0, 0.0, 3.0]))        # tensor([-1., 0., 1.])
    """
    return Sign.apply(x)


class Floor(_Rounding):
    """The largest integer <= x."""

    __slots__ = ()
    function = np.floor


def floor(x):
    """The largest integer <= x, elementwise; zero gradient.

    >>> ag.floor(ag.tensor([-1.5, 1.5]))            # tensor([-2., 1.])
    """
    return Floor.apply(x)


class Ceil(_Rounding):
    """The smallest integer >= x."""

    __slots__ = ()
    function = np.ceil


def ceil(x):
    """The smallest integer >= x, elementwise; zero gradient.

    >>> ag.ceil(ag.tensor([-1.5, 1.5]))             # tensor([-1., 2.])
    """
    return Ceil.apply(x)


class Trunc(_Rounding):
    """x rounded towards zero."""

    __slots__ = ()
    function = np.trunc


def trunc(x):
    """x rounded towards zero, elementwise; zero gradient.

    >>> ag.trunc(ag.tensor([-1.5, 1.5]))            # tensor([-1., 1.])
    """
    return Trunc.apply(x)


class Round(_Rounding):
    """x rounded to `decimals` decimal places, halves to even (NumPy's and PyTorch's rule)."""

    __slots__ = ()
    function = staticmethod(np.round)  # a Python function: it would bind as a method


def round(x, decimals=0):  # noqa: A001  (NumPy's name)
    """x rounded to `decimals` places (negative: to tens, hundreds, ...), halves to even;
    zero gradient.

    >>> ag.round(ag.tensor([0.5, 1.5, 2.567]))     # tensor([0., 2., 3.])
    >>> ag.round(ag.tensor([2.567]), decimals=2)   # tensor([2.57])
    """
    if isinstance(decimals, bool) or not isinstance(decimals, (int, np.integer)):
        raise TypeError(f"round: decimals must be an int, got {decimals!r}")
    return Round.apply(x, decimals=int(decimals))


class _IntegerQuotient(Function):
    """The integer part of x / y (zero gradient for both); ints stay ints."""

    __slots__ = ()
    array_backward = True

    @staticmethod
    def backward(ctx, gz):
        edges = ctx.edges
        gx = zero_gradient(gz) if edges[0] is not None else None
        return gx, (zero_gradient(gz) if edges[1] is not None else None)


class FloorDivide(_IntegerQuotient):
    """floor(x / y) as Python's // computes it (consistent with mod: x = y (x // y) + mod)."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, x, y):
        return broadcasting(np.floor_divide, *dtypes.operands(x, y))


def floor_divide(x, y):
    """x // y elementwise (rounded down, as Python and NumPy); zero gradient.

    >>> ag.floor_divide(ag.tensor([7, -7]), 2)      # tensor([3, -4])
    """
    return FloorDivide.apply(x, y)


class TruncDivide(_IntegerQuotient):
    """x / y rounded towards zero (C's integer division; trunc(x / y) for floats, as PyTorch)."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, x, y):
        x, y = dtypes.operands(x, y)
        if np.result_type(x, y).kind == "f":
            return np.trunc(broadcasting(np.true_divide, x, y, name="div"))
        quotient = broadcasting(np.floor_divide, x, y, name="div")
        # The floor is one below the truncation where the quotient is negative and inexact.
        with np.errstate(divide="ignore"):  # x / 0 has warned already
            inexact = np.fmod(x, y) != 0
        return quotient + (inexact & ((x < 0) != (y < 0)))


ROUNDING_MODES = {None: divide, "trunc": TruncDivide.apply, "floor": FloorDivide.apply}


def div(x, y, rounding_mode=None):
    """x / y (PyTorch's div): true division, or rounded towards zero (`rounding_mode="trunc"`)
    or down (`"floor"`); the rounded quotients have zero gradient and keep ints as ints.

    >>> ag.div(ag.tensor([7, -7]), 2, rounding_mode="trunc")   # tensor([3, -3])
    """
    if rounding_mode not in ROUNDING_MODES:
        raise ValueError(f"div: rounding_mode must be None, 'trunc' or 'floor', got "
                         f"{rounding_mode!r}")
    return ROUNDING_MODES[rounding_mode](x, y)


class Mod(Function):
    """x mod y = x - y floor(x / y), with the sign of y (Python's %);
    d/dx = 1, d/dy = -floor(x / y)."""

    __slots__ = ()
    array_backward = True

    @staticmethod
    def forward(ctx, x, y):
        x, y = dtypes.operands(x, y)
        z = broadcasting(np.mod, x, y, name="mod")  # np.mod is np.remainder
        if ctx.edges[1] is not None:  # the quotient NumPy's mod used (a constant: its slope is 0)
            with np.errstate(divide="ignore", invalid="ignore"):  # mod has warned already
                ctx.save_for_backward(np.floor_divide(x, y))
        return z

    @staticmethod
    def backward(ctx, gz):
        return _remainder_gradients(ctx, gz)


def mod(x, y):
    """The remainder of x / y with the sign of y (Python's x % y, NumPy's mod).

    >>> ag.mod(ag.tensor([5.0, -5.0]), 3.0)         # tensor([2., 1.])
    """
    return Mod.apply(x, y)


class Fmod(Function):
    """fmod(x, y) = x - y trunc(x / y), with the sign of x (C's fmod);
    d/dx = 1, d/dy = -trunc(x / y)."""

    __slots__ = ()
    array_backward = True

    @staticmethod
    def forward(ctx, x, y):
        x, y = dtypes.operands(x, y)
        z = broadcasting(np.fmod, x, y)
        if ctx.edges[1] is not None:
            # The quotient fmod used: (x - z) / y is a whole number up to rounding (trunc(x / y)
            # can round the other way when x / y is within an ulp of one).
            with np.errstate(divide="ignore", invalid="ignore"):
                ctx.save_for_backward(np.rint((x - z) / y))
        return z

    @staticmethod
    def backward(ctx, gz):
        return _remainder_gradients(ctx, gz)


def fmod(x, y):
    """The remainder of x / y with the sign of x (C's fmod).

    >>> ag.fmod(ag.tensor([5.0, -5.0]), 3.0)        # tensor([2., -2.])
    """
    return Fmod.apply(x, y)


def _remainder_gradients(ctx, gz):
    """r = x - y q: gz for x, -gz q for y (q saved by forward)."""
    edges = ctx.edges
    gy = None
    if edges[1] is not None:
        (quotient,) = ctx.saved_tensors
        gy = -gz * quotient
    return (gz if edges[0] is not None else None), gy


class Copysign(Function):
    """|x| with the sign of y;  d/dx = sign(x) sign(y) (0 at x = 0, as abs'(0)), d/dy = 0."""

    __slots__ = ()
    array_backward = True

    @staticmethod
    def forward(ctx, x, y):
        x, y = dtypes.operands(x, y, floating=True)
        z = broadcasting(np.copysign, x, y)
        if ctx.edges[0] is not None:
            ctx.save_for_backward(np.sign(z) * np.sign(x))  # +-1, or 0 at x = 0: a constant
        return z

    @staticmethod
    def backward(ctx, gz):
        edges = ctx.edges
        gx = None
        if edges[0] is not None:
            (slope,) = ctx.saved_tensors
            gx = gz * slope
        return gx, (zero_gradient(gz) if edges[1] is not None else None)


def copysign(x, y):
    """The magnitude of x with the sign of y, elementwise and broadcast (a float result).

    >>> ag.copysign(ag.tensor([1.0, -2.0]), -1.0)   # tensor([-1., -2.])
    """
    return Copysign.apply(x, y)
