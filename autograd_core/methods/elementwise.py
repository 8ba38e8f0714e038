"""Tensor's elementwise methods (`t.exp()`, `t.clip(0, 1)`, ...): each a call into its op."""

import numpy as np

from .. import ops as op
from ..ops.arithmetic import Pow
from ..ops.unary import Abs, Cos, Exp, Log, Relu, Sigmoid, Sin, Softplus, Sqrt, Tanh

# These apply their primitive directly: one call per op.
_pow = Pow.apply
_exp, _log, _sqrt, _abs = Exp.apply, Log.apply, Sqrt.apply, Abs.apply
_sin, _cos, _tanh = Sin.apply, Cos.apply, Tanh.apply
_sigmoid, _relu, _softplus = Sigmoid.apply, Relu.apply, Softplus.apply


class ElementwiseMethods:
    __slots__ = ()

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

    def erf(self):
        return op.erf(self)

    def erfc(self):
        return op.erfc(self)

    def clip(self, lo=None, hi=None):
        return op.clip(self, lo, hi)

    def astype(self, dtype):
        return op.astype(self, dtype)

    def float(self):
        return op.astype(self, np.float32)

    def double(self):
        return op.astype(self, np.float64)

    def clone(self):
        return op.clone(self)

    def pow(self, exponent):
        return _pow(self, exponent)

    # -- more of NumPy's and PyTorch's elementwise surface (ops/trig.py, exponential.py,
    # rounding.py, arithmetic.py, predicates.py)

    def tan(self):
        return op.tan(self)

    def arcsin(self):
        return op.arcsin(self)

    def arccos(self):
        return op.arccos(self)

    def arctan(self):
        return op.arctan(self)

    def sinh(self):
        return op.sinh(self)

    def cosh(self):
        return op.cosh(self)

    def arcsinh(self):
        return op.arcsinh(self)

    def arccosh(self):
        return op.arccosh(self)

    def arctanh(self):
        return op.arctanh(self)

    def log1p(self):
        return op.log1p(self)

    def expm1(self):
        return op.expm1(self)

    def log2(self):
        return op.log2(self)

    def log10(self):
        return op.log10(self)

    def exp2(self):
        return op.exp2(self)

    def square(self):
        return op.square(self)

    def reciprocal(self):
        return op.reciprocal(self)

    def rsqrt(self):
        return op.rsqrt(self)

    def sign(self):
        return op.sign(self)

    def floor(self):
        return op.floor(self)

    def ceil(self):
        return op.ceil(self)

    def trunc(self):
        return op.trunc(self)

    def isnan(self):
        return op.isnan(self)

    def isinf(self):
        return op.isinf(self)

    def isfinite(self):
        return op.isfinite(self)

    def logical_not(self):
        return op.logical_not(self)

    def nonzero(self):
        return op.nonzero(self)

    def round(self, decimals=0):
        return op.round(self, decimals)

    def deg2rad(self):  # PyTorch's names for degrees and radians
        return op.radians(self)

    def rad2deg(self):
        return op.degrees(self)

    def arctan2(self, other):
        return op.arctan2(self, other)

    def hypot(self, other):
        return op.hypot(self, other)

    def logaddexp(self, other):
        return op.logaddexp(self, other)

    def fmod(self, other):
        return op.fmod(self, other)

    def floor_divide(self, other):
        return op.floor_divide(self, other)

    def fmax(self, other):
        return op.fmax(self, other)

    def fmin(self, other):
        return op.fmin(self, other)

    def copysign(self, other):
        return op.copysign(self, other)

    def logical_and(self, other):
        return op.logical_and(self, other)

    def logical_or(self, other):
        return op.logical_or(self, other)

    def logical_xor(self, other):
        return op.logical_xor(self, other)

    def remainder(self, other):  # PyTorch's name for mod (Python's %)
        return op.mod(self, other)

    def div(self, other, rounding_mode=None):
        return op.div(self, other, rounding_mode)

    def lerp(self, end, weight):
        return op.lerp(self, end, weight)

    def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        return op.isclose(self, other, rtol, atol, equal_nan)

    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        return op.allclose(self, other, rtol, atol, equal_nan)
