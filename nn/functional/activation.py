"""Activation functions, elementwise or along one axis (softmax). Each is an engine primitive
or a composition of them, so first and higher derivatives come from the engine."""

import math

import numpy as np

import autograd_core as ag

from .. import _checks


def _tensor(x):
    return x if isinstance(x, ag.Tensor) else ag.tensor(x)


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


@ag.accepts_dim
def softmax(x, axis=-1):
    """exp(x) / sum(exp(x)) along `axis`; its Jacobian is diag(p) - p p^T.

    >>> F.softmax(ag.tensor([0.0, 0.0]))          # tensor([0.5, 0.5])
    """
    return ag.softmax(_tensor(x), axis)


@ag.accepts_dim
def log_softmax(x, axis=-1):
    """x - logsumexp(x) along `axis`, stable for large |x|.

    >>> F.log_softmax(ag.tensor([0.0, 0.0]))      # tensor([-0.6931, -0.6931])
    """
    return ag.log_softmax(_tensor(x), axis)


class Step(ag.Function):
    """Heaviside step: 1 where x > 0, else 0. Its derivative is 0 wherever it exists (and taken
    as 0 at the jump), which is why threshold units cannot learn by gradient descent.

    >>> x = ag.tensor([-1.0, 2.0], requires_grad=True)
    >>> Step.apply(x).sum().backward(); x.grad     # tensor([0., 0.])
    """

    __slots__ = ()
    array_backward = True

    @staticmethod
    def forward(ctx, x):
        return (x > 0).astype(ag.dtypes.computing(x.dtype))

    @staticmethod
    def backward(ctx, gy):
        # A zero gradient (not None) so that .grad is filled with zeros, as the math says.
        return gy * 0


def step(x):
    """Heaviside step 1[x > 0]; its gradient is zero everywhere.

    >>> F.step(ag.tensor([-1.0, 0.0, 2.0]))       # tensor([0., 0., 1.])
    """
    return Step.apply(_tensor(x))


# -- smooth and clipped activations (PyTorch's equations) ---------------------------------------
SQRT_HALF = math.sqrt(0.5)
SQRT_TWO_OVER_PI = math.sqrt(2.0 / math.pi)


def gelu(x, approximate="none"):
    """Gaussian error linear unit x * Phi(x), Phi the standard normal CDF.

    >>> F.gelu(ag.tensor([-1.0, 0.0, 1.0]))         # tensor([-0.1587, 0., 0.8413])
    >>> F.gelu(ag.tensor([1.0]), approximate="tanh")  # tensor([0.8412])

    "none": 0.5 x (1 + erf(x / sqrt 2)), computed as 0.5 x ag.erfc(-x / sqrt 2), which is the
    same number without the cancellation of 1 + erf for x << 0.
    "tanh": 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
    """
    x = _tensor(x)
    if approximate == "none":
        return 0.5 * x * ag.erfc(x * -SQRT_HALF)
    if approximate == "tanh":
        inner = SQRT_TWO_OVER_PI * (x + 0.044715 * (x * x * x))
        return 0.5 * x * (1.0 + ag.tanh(inner))
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


def silu(x):
    """x * sigmoid(x) (also called swish).

    >>> F.silu(ag.tensor([0.0, 1.0]))              # tensor([0., 0.7311])
    """
    x = _tensor(x)
    return x * ag.sigmoid(x)


def elu(x, alpha=1.0):
    """x for x > 0, alpha (e^x - 1) otherwise; the derivative at 0 is alpha, as PyTorch's.

    >>> F.elu(ag.tensor([-1.0, 2.0]))              # tensor([-0.6321, 2.])
    """
    x = _tensor(x)
    _checks.real(alpha, "alpha", "elu")
    # e^x of the clipped x: the branch not taken must not overflow (e^1000 * 0 would be NaN
    # in the gradient); clip passes the gradient at 0 itself, so elu'(0) = alpha.
    negative = alpha * (ag.exp(x.clip(None, 0.0)) - 1.0)
    return ag.where(x > 0, x, negative)


def hardtanh(x, min_val=-1.0, max_val=1.0):
    """x clipped to [min_val, max_val]; the gradient is 1 strictly inside, 0 elsewhere
    (at the bounds too, as PyTorch's).

    >>> F.hardtanh(ag.tensor([-2.0, 0.5, 3.0]))    # tensor([-1., 0.5, 1.])
    """
    x = _tensor(x)
    _checks.bounds(min_val, max_val, "hardtanh")
    inside = (x.data > min_val) & (x.data < max_val)
    return ag.where(inside, x, np.clip(x.data, min_val, max_val))


def logsigmoid(x):
    """log(sigmoid(x)) = -softplus(-x): finite for every x (about x for x << 0, about 0 above).

    >>> F.logsigmoid(ag.tensor([-1000.0, 0.0]))    # tensor([-1000., -0.6931])
    """
    return -ag.softplus(-_tensor(x))


def mish(x):
    """x * tanh(softplus(x)).

    >>> F.mish(ag.tensor([0.0, 1.0]))              # tensor([0., 0.8651])
    """
    x = _tensor(x)
    return x * ag.tanh(ag.softplus(x))
