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
