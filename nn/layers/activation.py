"""Activation modules: thin wrappers around nn.functional, so they can sit in a Sequential."""

import autograd_core as ag

from .. import _checks
from .. import functional as F
from ..module import Module


class ReLU(Module):
    """max(x, 0), with relu'(0) = 0.

    >>> nn.ReLU()(ag.tensor([-1.0, 2.0]))         # tensor([0., 2.])
    """

    def forward(self, x):
        return F.relu(x)


class LeakyReLU(Module):
    """x for x > 0, negative_slope * x otherwise.

    >>> nn.LeakyReLU(0.1)(ag.tensor([-1.0, 2.0]))  # tensor([-0.1, 2.])
    """

    def __init__(self, negative_slope=0.01):
        super().__init__()
        self.negative_slope = _checks.real(negative_slope, "negative_slope", "LeakyReLU",
                                           finite=False)

    def forward(self, x):
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}"


class Sigmoid(Module):
    """1 / (1 + e^-x).

    >>> nn.Sigmoid()(ag.tensor([0.0]))            # tensor([0.5])
    """

    def forward(self, x):
        return F.sigmoid(x)


class Tanh(Module):
    """Hyperbolic tangent.

    >>> nn.Tanh()(ag.tensor([0.0]))               # tensor([0.])
    """

    def forward(self, x):
        return F.tanh(x)


class Softplus(Module):
    """log(1 + e^(beta x)) / beta, a smooth ReLU.

    >>> nn.Softplus()(ag.tensor([0.0]))           # tensor([0.6931])
    """

    def __init__(self, beta=1.0):
        super().__init__()
        self.beta = _checks.real(beta, "beta", "Softplus", finite=False)

    def forward(self, x):
        return F.softplus(x, self.beta)

    def extra_repr(self):
        return f"beta={self.beta}"


class Softmax(Module):
    """exp(x) / sum(exp(x)) along `axis`.

    >>> nn.Softmax(axis=-1)(ag.zeros(2, 4))       # every entry 0.25
    """

    @ag.accepts_dim
    def __init__(self, axis=-1):
        super().__init__()
        self.axis = axis

    def forward(self, x):
        return F.softmax(x, self.axis)

    def extra_repr(self):
        return f"axis={self.axis}"


class LogSoftmax(Module):
    """x - logsumexp(x) along `axis`.

    >>> nn.LogSoftmax()(ag.zeros(2, 2))           # every entry log(0.5)
    """

    @ag.accepts_dim
    def __init__(self, axis=-1):
        super().__init__()
        self.axis = axis

    def forward(self, x):
        return F.log_softmax(x, self.axis)

    def extra_repr(self):
        return f"axis={self.axis}"


class Step(Module):
    """Heaviside step 1[x > 0]: a threshold unit, whose gradient is zero everywhere.

    >>> nn.Step()(ag.tensor([-1.0, 2.0]))         # tensor([0., 1.])
    """

    def forward(self, x):
        return F.step(x)


class GELU(Module):
    """x * Phi(x) with the normal CDF Phi; approximate="tanh" uses PyTorch's tanh formula.

    >>> nn.GELU()(ag.tensor([1.0]))               # tensor([0.8413])
    """

    def __init__(self, approximate="none"):
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, x):
        return F.gelu(x, self.approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


class SiLU(Module):
    """x * sigmoid(x).

    >>> nn.SiLU()(ag.tensor([1.0]))               # tensor([0.7311])
    """

    def forward(self, x):
        return F.silu(x)


class ELU(Module):
    """x for x > 0, alpha (e^x - 1) otherwise.

    >>> nn.ELU(alpha=1.0)(ag.tensor([-1.0]))      # tensor([-0.6321])
    """

    def __init__(self, alpha=1.0):
        super().__init__()
        self.alpha = _checks.real(alpha, "alpha", "ELU")

    def forward(self, x):
        return F.elu(x, self.alpha)

    def extra_repr(self):
        return f"alpha={self.alpha}"


class Hardtanh(Module):
    """x clipped to [min_val, max_val].

    >>> nn.Hardtanh()(ag.tensor([-2.0, 0.5]))     # tensor([-1., 0.5])
    """

    def __init__(self, min_val=-1.0, max_val=1.0):
        super().__init__()
        _checks.bounds(min_val, max_val, "Hardtanh")
        self.min_val, self.max_val = min_val, max_val

    def forward(self, x):
        return F.hardtanh(x, self.min_val, self.max_val)

    def extra_repr(self):
        return f"min_val={self.min_val}, max_val={self.max_val}"


class LogSigmoid(Module):
    """log(sigmoid(x)), finite for every x.

    >>> nn.LogSigmoid()(ag.tensor([0.0]))         # tensor([-0.6931])
    """

    def forward(self, x):
        return F.logsigmoid(x)


class Mish(Module):
    """x * tanh(softplus(x)).

    >>> nn.Mish()(ag.tensor([1.0]))               # tensor([0.8651])
    """

    def forward(self, x):
        return F.mish(x)
