"""Normalisation layers: BatchNorm1d and BatchNorm2d (each channel over the batch), LayerNorm and
RMSNorm (each sample over its last axes), GroupNorm (each sample over groups of channels)."""

import numpy as np

import autograd_core as ag

from .. import _checks
from .. import functional as F
from ..module import Module, Parameter


def _dtype(dtype):
    return ag.get_default_dtype() if dtype is None else np.dtype(dtype)


def _affine(module, shape, dtype, with_bias=True):
    """Register weight = 1 (and bias = 0) of `shape`: PyTorch's starting values."""
    module.weight = Parameter(np.ones(shape, dtype=dtype))
    if with_bias:
        module.bias = Parameter(np.zeros(shape, dtype=dtype))


class _BatchNorm(Module):
    """What BatchNorm1d and BatchNorm2d share; they differ only in the input shapes they take.

    Training uses the batch mean and biased variance, and updates the buffers running_mean and
    running_var (the latter with the unbiased variance) by r <- (1 - momentum) r + momentum b;
    momentum=None averages all batches equally. Evaluation uses the running statistics.
    """

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True,
                 track_running_stats=True, dtype=None):
        super().__init__()
        name = type(self).__name__
        self.num_features = _checks.size(num_features, "num_features", name)
        self.eps = _checks.real(eps, "eps", name)
        if momentum is not None:
            _checks.real(momentum, "momentum", name)
        self.momentum = momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        dtype = _dtype(dtype)
        if affine:
            _affine(self, num_features, dtype)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", np.zeros(num_features, dtype=dtype))
            self.register_buffer("running_var", np.ones(num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", np.array(0, dtype=np.int64))
        else:
            for buffer in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(buffer, None)

    def reset_running_stats(self):
        """Running mean 0, variance 1, no batches seen.  >>> bn.reset_running_stats()"""
        if self.track_running_stats:
            with ag.no_grad():
                self.running_mean.zero_()
                self.running_var.copy_(np.ones(self.num_features))
                self.num_batches_tracked.zero_()

    # The input ranks a subclass takes, and how its error message writes them (C filled in).
    _ranks = ()
    _layouts = ""

    def forward(self, x):
        shape = np.shape(x)
        c = self.num_features
        if len(shape) not in self._ranks or shape[1] != c:
            raise ValueError(
                f"{type(self).__name__}({self.extra_repr()}): expected input of shape "
                f"{self._layouts.format(C=c)}, got {shape}"
            )
        use_batch = self.training or not self.track_running_stats
        if self.training and int(np.prod(shape)) // max(c, 1) < 2:
            raise ValueError(
                f"{type(self).__name__}({self.extra_repr()}): need more than 1 value per channel "
                f"when training, got input of shape {shape}"
            )
        momentum = self.momentum
        tracking = self.training and self.track_running_stats
        if tracking and momentum is None:  # cumulative average of every batch so far
            momentum = 1.0 / (int(self.num_batches_tracked.item()) + 1)
        track = not self.training or self.track_running_stats
        y = F.batch_norm(
            x, self.running_mean if track else None, self.running_var if track else None,
            self.weight, self.bias, training=use_batch, momentum=momentum, eps=self.eps,
        )
        if tracking:
            self.num_batches_tracked.add_(1)
        return y

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Normalise each of `num_features` channels over the batch (and length), then scale and
    shift.

    >>> bn = nn.BatchNorm1d(3)
    >>> bn(ag.randn(16, 3)).shape                 # (16, 3); inputs (N, C) or (N, C, L)
    """

    _ranks = (2, 3)
    _layouts = "(N, {C}) or (N, {C}, L)"


class BatchNorm2d(_BatchNorm):
    """Normalise each of `num_features` channels of NCHW images over N, H and W, then scale and
    shift per channel; running statistics as BatchNorm1d's.

    >>> bn = nn.BatchNorm2d(3)
    >>> bn(ag.randn(4, 3, 5, 5)).mean(axis=(0, 2, 3))   # about 0 per channel
    """

    _ranks = (4,)
    _layouts = "(N, {C}, H, W)"


class LayerNorm(Module):
    """Normalise each sample over its last axes (`normalized_shape`), then scale and shift.

    >>> ln = nn.LayerNorm(6)
    >>> ln(ag.randn(4, 6)).mean(axis=-1)          # about 0 for every row
    """

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, dtype=None):
        super().__init__()
        self.normalized_shape = _checks.shape(normalized_shape, "normalized_shape", "LayerNorm")
        self.eps = _checks.real(eps, "eps", "LayerNorm")
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            _affine(self, self.normalized_shape, _dtype(dtype))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, x):
        shape = np.shape(x)
        k = len(self.normalized_shape)
        if len(shape) < k or tuple(shape[len(shape) - k:]) != self.normalized_shape:
            raise ValueError(
                f"LayerNorm({self.extra_repr()}): the input shape {shape} does not end in "
                f"the normalized shape {self.normalized_shape}"
            )
        return F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")


class RMSNorm(Module):
    """y = x / sqrt(mean(x^2) + eps) * weight over the last axes (`normalized_shape`); no mean
    is subtracted and there is no bias (PyTorch 2.4's RMSNorm).

    >>> norm = nn.RMSNorm(6)
    >>> norm(ag.randn(4, 6)).shape                 # (4, 6)

    eps=None uses the machine epsilon of the input's dtype.
    """

    def __init__(self, normalized_shape, eps=None, elementwise_affine=True, dtype=None):
        super().__init__()
        self.normalized_shape = _checks.shape(normalized_shape, "normalized_shape", "RMSNorm")
        self.eps = None if eps is None else _checks.real(eps, "eps", "RMSNorm")
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            _affine(self, self.normalized_shape, _dtype(dtype), with_bias=False)
        else:
            self.register_parameter("weight", None)

    def forward(self, x):
        shape = np.shape(x)
        k = len(self.normalized_shape)
        if len(shape) < k or tuple(shape[len(shape) - k:]) != self.normalized_shape:
            raise ValueError(
                f"RMSNorm({self.extra_repr()}): the input shape {shape} does not end in "
                f"the normalized shape {self.normalized_shape}"
            )
        return F.rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")


class GroupNorm(Module):
    """Normalise each sample over groups of num_channels / num_groups channels (and all
    positions), then scale and shift per channel. Inputs (N, C, *).

    >>> gn = nn.GroupNorm(2, 6)
    >>> gn(ag.randn(4, 6, 8, 8)).shape              # (4, 6, 8, 8)
    """

    def __init__(self, num_groups, num_channels, eps=1e-5, affine=True, dtype=None):
        super().__init__()
        self.num_groups = _checks.size(num_groups, "num_groups", "GroupNorm")
        self.num_channels = _checks.size(num_channels, "num_channels", "GroupNorm")
        if num_groups == 0 or num_channels % num_groups:
            raise ValueError(
                f"GroupNorm: num_channels={num_channels} must be divisible by "
                f"num_groups={num_groups}"
            )
        self.eps = _checks.real(eps, "eps", "GroupNorm")
        self.affine = affine
        if affine:
            _affine(self, num_channels, _dtype(dtype))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, x):
        shape = np.shape(x)
        if len(shape) < 2 or shape[1] != self.num_channels:
            raise ValueError(
                f"GroupNorm({self.extra_repr()}): expected input of shape "
                f"(N, {self.num_channels}, *), got {shape}"
            )
        return F.group_norm(x, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}"
