"""Elementwise functions of one tensor: exp, log, sqrt, abs, sin, cos, tanh, sigmoid, relu,
softplus. A floating function of an int or bool tensor computes in the default float dtype."""

import numpy as np

from .. import dtypes
from ..function import Function
from .common import _FloatingUnary


class _Unary(Function):
    __slots__ = ()
    array_backward = True


class Exp(_FloatingUnary):
    """exp(x); d exp/dx = y."""

    __slots__ = ()
    function = np.exp
    saves_output = True

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        return gy * y


class Log(_FloatingUnary):
    """log(x); d log/dx = 1/x."""

    __slots__ = ()
    function = np.log
    saves_output = False

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy / (x + 0.0)  # x + 0.0 is x but for -0, which becomes +0: log'(-0) = +inf


class Sqrt(_FloatingUnary):
    """sqrt(x); d sqrt/dx = 1 / (2 y)."""

    __slots__ = ()
    function = np.sqrt
    saves_output = True

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        return gy / (2 * y + 0.0)  # + 0.0 turns sqrt(-0) = -0 into +0: sqrt'(-0) = +inf


class Abs(_Unary):
    """|x| with abs'(0) = 0 (the subgradient PyTorch uses)."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, x):
        # Only floats have gradients (and np.sign refuses bools)
        ctx.save_for_backward(np.sign(x) if ctx.edges[0] is not None else None)
        return np.abs(x)

    @staticmethod
    def backward(ctx, gy):
        (sign,) = ctx.saved_tensors
        return gy * sign


class Sin(_FloatingUnary):
    """sin(x); d sin/dx = cos(x)."""

    __slots__ = ()
    function = np.sin
    saves_output = False

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy * np.cos(x)


class Cos(_FloatingUnary):
    """cos(x); d cos/dx = -sin(x)."""

    __slots__ = ()
    function = np.cos
    saves_output = False

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return -gy * np.sin(x)


class Tanh(_FloatingUnary):
    """tanh(x); d tanh/dx = 1 - y^2."""

    __slots__ = ()
    function = np.tanh
    saves_output = True

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        # gy (1 - y^2) without a Python scalar: NumPy takes ~0.6 us longer for `1 - array` than
        # for an op on two small arrays, and this runs once per tanh node.
        return gy - gy * y * y


class Sigmoid(_Unary):
    """1 / (1 + e^-x), computed from e^-|x| so that neither tail overflows or loses digits
    (sigmoid(-50) = 1.93e-22, not 0)."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, x):
        x = dtypes.floating(x)
        e = np.exp(-np.abs(x))
        y = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        return gy * (y - y * y)  # y (1 - y), with no Python scalar (see Tanh)


class Relu(_Unary):
    """max(x, 0) with relu'(0) = 0."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, x):
        mask = x > 0
        ctx.save_for_backward(mask)
        return np.maximum(x, 0)

    @staticmethod
    def backward(ctx, gy):
        (mask,) = ctx.saved_tensors
        return gy * mask


class Softplus(_Unary):
    """log(1 + e^x), computed as logaddexp(0, x) so it neither overflows nor loses small values."""

    __slots__ = ()

    @staticmethod
    def forward(ctx, x):
        x = dtypes.floating(x)
        ctx.save_for_backward(x)
        return np.logaddexp(0, x).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        return gy * sigmoid(x)


def _elementwise(primitive, name, example):
    apply = primitive.apply

    def op(x):
        return apply(x)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Elementwise {name}.\n\n    >>> ag.{name}({example})\n    "
    return op


exp = _elementwise(Exp, "exp", "ag.tensor([0.0, 1.0])")
log = _elementwise(Log, "log", "ag.tensor([1.0, 2.0])")
sqrt = _elementwise(Sqrt, "sqrt", "ag.tensor([4.0])")
abs = _elementwise(Abs, "abs", "ag.tensor([-2.0])")  # noqa: A001  (NumPy's name)
sin = _elementwise(Sin, "sin", "ag.tensor([0.5])")
cos = _elementwise(Cos, "cos", "ag.tensor([0.5])")
tanh = _elementwise(Tanh, "tanh", "ag.tensor([0.5])")
sigmoid = _elementwise(Sigmoid, "sigmoid", "ag.tensor([0.0])")
relu = _elementwise(Relu, "relu", "ag.tensor([-1.0, 2.0])")
softplus = _elementwise(Softplus, "softplus", "ag.tensor([0.0])")
