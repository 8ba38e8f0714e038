"""Activation modules: thin wrappers around nn.functional, so they can sit in a Sequential."""

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
