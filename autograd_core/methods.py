"""Tensor's methods with NumPy's names (`t.exp()`, `t.sum(axis=0)`, `t.reshape(2, 3)`, ...):
each a one-line call into its op. Tensor (tensor.py) inherits them."""

import numpy as np

from . import ops as op
from .ops.arithmetic import Pow
from .ops.linalg import MatMul
from .ops.unary import Abs, Cos, Exp, Log, Relu, Sigmoid, Sin, Softplus, Sqrt, Tanh

# The elementwise methods apply their primitive directly: one call per op.
_pow, _matmul = Pow.apply, MatMul.apply
_exp, _log, _sqrt, _abs = Exp.apply, Log.apply, Sqrt.apply, Abs.apply
_sin, _cos, _tanh = Sin.apply, Cos.apply, Tanh.apply
_sigmoid, _relu, _softplus = Sigmoid.apply, Relu.apply, Softplus.apply


class Methods:
    """The methods of Tensor that apply an op to it."""

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

    def sum(self, axis=None, keepdims=False):
        return op.sum(self, axis, keepdims)

    def mean(self, axis=None, keepdims=False):
        return op.mean(self, axis, keepdims)

    def max(self, axis=None, keepdims=False):
        return op.max(self, axis, keepdims)

    def min(self, axis=None, keepdims=False):
        return op.min(self, axis, keepdims)

    def var(self, axis=None, keepdims=False, ddof=0):
        return op.var(self, axis, keepdims, ddof)

    def reshape(self, *shape):
        return op.reshape(self, _shape_arg(shape))

    def view(self, *shape):
        return op.view(self, _shape_arg(shape))

    def transpose(self, *axes):
        return op.transpose(self, _shape_arg(axes) if axes else None)

    def permute(self, *axes):
        return op.transpose(self, _shape_arg(axes))

    def swapaxes(self, axis1, axis2):
        return op.swapaxes(self, axis1, axis2)

    def moveaxis(self, source, destination):
        return op.moveaxis(self, source, destination)

    def flatten(self):
        return op.flatten(self)

    def squeeze(self, axis=None):
        return op.squeeze(self, axis)

    def expand_dims(self, axis):
        return op.expand_dims(self, axis)

    unsqueeze = expand_dims

    def broadcast_to(self, *shape):
        return op.broadcast_to(self, _shape_arg(shape))

    def diagonal(self, offset=0, axis1=0, axis2=1):
        return op.diagonal(self, offset, axis1, axis2)

    def matmul(self, other):
        return _matmul(self, other)

    def clip(self, lo=None, hi=None):
        return op.clip(self, lo, hi)

    def softmax(self, axis=-1):
        return op.softmax(self, axis)

    def log_softmax(self, axis=-1):
        return op.log_softmax(self, axis)

    def logsumexp(self, axis=None, keepdims=False):
        return op.logsumexp(self, axis, keepdims)

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


def _shape_arg(args):
    """reshape(2, 3) and reshape((2, 3)) mean the same, as in NumPy's methods."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    return tuple(args)
