"""Normalisation layers: BatchNorm1d (over the batch) and LayerNorm (over each sample)."""

import numpy as np

import autograd_core as ag

from .. import _checks
from .. import functional as F
from ..module import Module, Parameter


class BatchNorm1d(Module):
    """Normalise each of `num_features` channels over the batch, then scale and shift.

    >>> bn = nn.BatchNorm1d(3)
    >>> bn(ag.randn(16, 3)).shape                 # (16, 3); inputs (N, C) or (N, C, L)

    Training uses the batch mean and biased variance, and updates the buffers running_mean and
    running_var (the latter with the unbiased variance) by r <- (1 - momentum) r + momentum b;
    momentum=None averages all batches equally. Evaluation uses the running statistics.
    """

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True,
                 track_running_stats=True, dtype=None):
        super().__init__()
        self.num_features = _checks.size(num_features, "num_features", "BatchNorm1d")
        self.eps = _checks.real(eps, "eps", "BatchNorm1d")
        if momentum is not None:
            _checks.real(momentum, "momentum", "BatchNorm1d")
        self.momentum = momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        dtype = ag.get_default_dtype() if dtype is None else np.dtype(dtype)
        if affine:
            self.weight = Parameter(np.ones(num_features, dtype=dtype))
            self.bias = Parameter(np.zeros(num_features, dtype=dtype))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", np.zeros(num_features, dtype=dtype))
            self.register_buffer("running_var", np.ones(num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", np.array(0, dtype=np.int64))
        else:
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(name, None)

    def reset_running_stats(self):
        """Running mean 0, variance 1, no batches seen.  >>> bn.reset_running_stats()"""
        if self.track_running_stats:
            with ag.no_grad():
                self.running_mean.zero_()
                self.running_var.copy_(np.ones(self.num_features))
                self.num_batches_tracked.zero_()

    def forward(self, x):
        shape = np.shape(x)
        c = self.num_features
        if len(shape) not in (2, 3) or shape[1] != c:
            raise ValueError(
                f"BatchNorm1d({self.extra_repr()}): expected input of shape (N, {c}) or "
                f"(N, {c}, L), got {shape}"
            )
        use_batch = self.training or not self.track_running_stats
        if self.training and int(np.prod(shape)) // max(c, 1) < 2:
            raise ValueError(
                f"BatchNorm1d({self.extra_repr()}): need more than 1 value per channel when "
                f"training, got input of shape {shape}"
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
        dtype = ag.get_default_dtype() if dtype is None else np.dtype(dtype)
        if elementwise_affine:
            self.weight = Parameter(np.ones(self.normalized_shape, dtype=dtype))
            self.bias = Parameter(np.zeros(self.normalized_shape, dtype=dtype))
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
