"""Activation functions, elementwise or along one axis (softmax). Each is an engine primitive
or a composition of them, so first and higher derivatives come from the engine."""

import numpy as np

import autograd_core as ag
from autograd_core.function import Function
from autograd_core.tensor import Tensor

from .. import _checks


def _tensor(x):
    return x if isinstance(x, Tensor) else ag.tensor(x)


def relu(x):
    """max(x, 0), with relu'(0) = 0.

    >>> F.relu(ag.tensor([-1.0, 2.0]))            # tensor([0., 2.])
    """
    return ag.relu(_tensor(x))


def leaky_relu(x, negative_slope=0.01):
    """x for x > 0, negative_slope * x otherwise (the derivative at 0 is the slope).

    >>> F.leaky_relu(ag.tensor([-1.0, 2.0]), 0.1)  # tensor([-0.1, 2.])
    """
    x = _tensor(x)
    _checks.real(negative_slope, "negative_slope", "leaky_relu", finite=False)
    return ag.where(x > 0, x, x * negative_slope)


def sigmoid(x):
    """1 / (1 + e^-x), stable for large |x|; sigmoid' = sigmoid (1 - sigmoid).

    >>> F.sigmoid(ag.tensor([0.0]))               # tensor([0.5])
    """
    return ag.sigmoid(_tensor(x))


def tanh(x):
    """Hyperbolic tangent; tanh' = 1 - tanh^2.

    >>> F.tanh(ag.tensor([0.0]))                  # tensor([0.])
    """
    return ag.tanh(_tensor(x))


def softplus(x, beta=1.0):
    """log(1 + e^(beta x)) / beta, stable for large |x|; its derivative is sigmoid(beta x).

    >>> F.softplus(ag.tensor([0.0]))              # tensor([0.6931])
    """
    x = _tensor(x)
    _checks.real(beta, "beta", "softplus", finite=False)
    if beta == 1:
        return ag.softplus(x)
    return ag.softplus(x * beta) / beta


def softmax(x, axis=-1):
    """exp(x) / sum(exp(x)) along `axis`; its Jacobian is diag(p) - p p^T.

    >>> F.softmax(ag.tensor([0.0, 0.0]))          # tensor([0.5, 0.5])
    """
    return ag.softmax(_tensor(x), axis)


def log_softmax(x, axis=-1):
    """x - logsumexp(x) along `axis`, stable for large |x|.

    >>> F.log_softmax(ag.tensor([0.0, 0.0]))      # tensor([-0.6931, -0.6931])
    """
    return ag.log_softmax(_tensor(x), axis)


class Step(Function):
    """Heaviside step: 1 where x > 0, else 0. Its derivative is 0 wherever it exists (and taken
    as 0 at the jump), which is why threshold units cannot learn by gradient descent.

    >>> x = ag.tensor([-1.0, 2.0], requires_grad=True)
    >>> Step.apply(x).sum().backward(); x.grad     # tensor([0., 0.])
    """

    __slots__ = ()
    array_backward = True

    @staticmethod
    def forward(ctx, x):
        return (x > 0).astype(x.dtype if x.dtype.kind == "f" else np.float64)

    @staticmethod
    def backward(ctx, gy):
        # A zero gradient (not None) so that .grad is filled with zeros, as the math says.
        return gy * 0


def step(x):
    """Heaviside step 1[x > 0]; its gradient is zero everywhere.

    >>> F.step(ag.tensor([-1.0, 0.0, 2.0]))       # tensor([0., 0., 1.])
    """
    return Step.apply(_tensor(x))
