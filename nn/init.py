"""Weight initialisation, in place: each function fills a Tensor from `ag.get_generator()`
(so `ag.manual_seed` makes it reproducible) under no_grad, and returns the Tensor.

Fans follow PyTorch: for a weight of shape (out, in, *kernel), fan_in = in * prod(kernel) and
fan_out = out * prod(kernel).
"""

import math

import numpy as np

import autograd_core as ag

from . import _checks


def _tensor(t, where):
    return _checks.float_tensor(t, "the tensor", f"nn.init.{where}")


def _number(value, name, where):
    return _checks.real(value, name, f"nn.init.{where}")


def _fill(t, values, where):
    _tensor(t, where)
    with ag.no_grad():
        t.copy_(np.broadcast_to(np.asarray(values), t.shape))
    return t


def _fans(t, where):
    shape = tuple(_tensor(t, where).shape)
    if len(shape) < 2:
        raise ValueError(
            f"nn.init.{where}: fan in and fan out need a tensor with at least 2 dims, got shape "
            f"{shape}"
        )
    receptive = int(np.prod(shape[2:])) if len(shape) > 2 else 1
    # An empty tensor has nothing to fill; a fan of 1 keeps the bounds finite all the same.
    return max(shape[1] * receptive, 1), max(shape[0] * receptive, 1)


def _fan(t, mode, where):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"nn.init.{where}: mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = _fans(t, where)
    return fan_in if mode == "fan_in" else fan_out


def calculate_gain(nonlinearity, param=None):
    """The factor that keeps activations' variance steady through a layer followed by
    `nonlinearity` (PyTorch's table): relu sqrt(2), tanh 5/3, leaky_relu sqrt(2/(1+a^2)), ...

    >>> nn.init.calculate_gain("relu")             # 1.4142...
    >>> nn.init.calculate_gain("leaky_relu", 0.2)  # sqrt(2 / 1.04)
    """
    linear = ("linear", "identity", "conv1d", "conv2d", "conv3d", "sigmoid",
              "conv_transpose1d", "conv_transpose2d", "conv_transpose3d")
    if nonlinearity in linear:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else _checks.real(param, "negative_slope", "calculate_gain")
        slope = float(slope)
        return math.sqrt(2.0 / (1 + slope * slope))  # float * float saturates to inf; ** raises
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"calculate_gain: unsupported nonlinearity {nonlinearity!r}")


def uniform_(t, a=0.0, b=1.0):
    """Fill with draws from U(a, b).

    >>> w = nn.Parameter(np.empty((3, 2)))
    >>> nn.init.uniform_(w, -0.1, 0.1)           # every entry in [-0.1, 0.1)
    """
    _tensor(t, "uniform_")
    a, b = _number(a, "a", "uniform_"), _number(b, "b", "uniform_")
    return _fill(t, ag.get_generator().uniform(a, b, t.shape), "uniform_")


def normal_(t, mean=0.0, std=1.0):
    """Fill with draws from N(mean, std^2).

    >>> w = nn.Parameter(np.empty((3, 2)))
    >>> nn.init.normal_(w, std=0.01)             # small Gaussian weights
    """
    _tensor(t, "normal_")
    mean, std = _number(mean, "mean", "normal_"), _number(std, "std", "normal_")
    if std < 0:
        raise ValueError(f"nn.init.normal_: std must be non-negative, got {std}")
    return _fill(t, ag.get_generator().normal(mean, std, t.shape), "normal_")


def constant_(t, val):
    """Fill with one value.

    >>> b = nn.Parameter(np.empty(4))
    >>> nn.init.constant_(b, 0.1)                # every entry 0.1
    """
    return _fill(t, _checks.real(val, "val", "nn.init.constant_", finite=False), "constant_")


def zeros_(t):
    """Fill with zeros.

    >>> layer = nn.Linear(3, 2)
    >>> nn.init.zeros_(layer.bias)
    """
    return _fill(t, 0, "zeros_")


def ones_(t):
    """Fill with ones.

    >>> norm = nn.LayerNorm(4)
    >>> nn.init.ones_(norm.weight)
    """
    return _fill(t, 1, "ones_")


def xavier_uniform_(t, gain=1.0):
    """Glorot: U(-c, c) with c = gain sqrt(6 / (fan_in + fan_out)).

    >>> layer = nn.Linear(300, 200)
    >>> nn.init.xavier_uniform_(layer.weight)     # bound sqrt(6 / 500)
    """
    fan_in, fan_out = _fans(t, "xavier_uniform_")
    bound = _number(gain, "gain", "xavier_uniform_") * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(t, -bound, bound)


def xavier_normal_(t, gain=1.0):
    """Glorot: N(0, std^2) with std = gain sqrt(2 / (fan_in + fan_out)).

    >>> layer = nn.Linear(300, 200)
    >>> nn.init.xavier_normal_(layer.weight)      # std sqrt(2 / 500)
    """
    fan_in, fan_out = _fans(t, "xavier_normal_")
    gain = _number(gain, "gain", "xavier_normal_")
    return normal_(t, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)))


def kaiming_uniform_(t, a=0.0, mode="fan_in", nonlinearity="leaky_relu"):
    """He: U(-c, c) with c = gain sqrt(3 / fan); for ReLU, gain = sqrt(2).

    >>> layer = nn.Linear(250, 100)
    >>> nn.init.kaiming_uniform_(layer.weight, nonlinearity="relu")   # std sqrt(2 / 250)

    `a` is the negative slope of the leaky ReLU that follows (0: plain ReLU). PyTorch's Linear
    and Conv2d use a = sqrt(5), which gives c = 1 / sqrt(fan_in).
    """
    fan = _fan(t, mode, "kaiming_uniform_")
    bound = calculate_gain(nonlinearity, a) * math.sqrt(3.0 / fan)
    return uniform_(t, -bound, bound)


def kaiming_normal_(t, a=0.0, mode="fan_in", nonlinearity="leaky_relu"):
    """He: N(0, std^2) with std = gain / sqrt(fan); for ReLU, std = sqrt(2 / fan_in).

    >>> layer = nn.Linear(250, 100)
    >>> nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")    # He initialisation
    """
    fan = _fan(t, mode, "kaiming_normal_")
    return normal_(t, 0.0, calculate_gain(nonlinearity, a) / math.sqrt(fan))


def lecun_uniform_(t):
    """U(-c, c) with c = sqrt(3 / fan_in): unit-variance pre-activations for unit-variance inputs.

    >>> layer = nn.Linear(300, 10)
    >>> nn.init.lecun_uniform_(layer.weight)      # bound sqrt(3 / 300) = 0.1
    """
    bound = math.sqrt(3.0 / _fans(t, "lecun_uniform_")[0])
    return uniform_(t, -bound, bound)


def lecun_normal_(t):
    """N(0, 1 / fan_in).

    >>> layer = nn.Linear(300, 10)
    >>> nn.init.lecun_normal_(layer.weight)       # std sqrt(1 / 300)
    """
    return normal_(t, 0.0, 1.0 / math.sqrt(_fans(t, "lecun_normal_")[0]))
