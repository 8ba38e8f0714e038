"""Linear (the affine layer z = W y + b, applied to rows) and Flatten."""

import math

import numpy as np

import autograd_core as ag

from .. import _checks, init
from .. import functional as F
from ..module import Module, Parameter


class Linear(Module):
    """y = x @ weight.T + bias, with weight (out_features, in_features) and bias (out_features,).

    >>> layer = nn.Linear(3, 2)
    >>> layer(ag.randn(8, 3)).shape               # (8, 2)

    Both start from U(-1/sqrt(in_features), 1/sqrt(in_features)), as in PyTorch (Kaiming
    uniform with a = sqrt(5)). Inputs may have any number of leading axes.
    """

    def __init__(self, in_features, out_features, bias=True, dtype=None):
        super().__init__()
        self.in_features = _checks.size(in_features, "in_features", "Linear")
        self.out_features = _checks.size(out_features, "out_features", "Linear")
        dtype = ag.get_default_dtype() if dtype is None else np.dtype(dtype)
        self.weight = Parameter(np.empty((out_features, in_features), dtype=dtype))
        if bias:
            self.bias = Parameter(np.empty(out_features, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        """Draw fresh weights from PyTorch's default distribution.  >>> layer.reset_parameters()"""
        if self.weight.size:  # fans are undefined for an empty weight: nothing to draw
            init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features) if self.in_features else 0.0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        shape = np.shape(x)
        if len(shape) == 0 or shape[-1] != self.in_features:
            features = shape[-1] if shape else 0
            raise ValueError(
                f"Linear({self.extra_repr()}): input has {features} features (shape "
                f"{shape}); expected the last axis to have {self.in_features}"
            )
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Flatten(Module):
    """Merge the axes from start_axis to end_axis (by default all but the batch axis).

    >>> nn.Flatten()(ag.ones(8, 3, 4, 4)).shape    # (8, 48)
    """

    @ag.accepts_dim
    def __init__(self, start_axis=1, end_axis=-1):
        super().__init__()
        self.start_axis, self.end_axis = start_axis, end_axis

    def forward(self, x):
        return F.flatten(x, self.start_axis, self.end_axis)

    def extra_repr(self):
        return f"start_axis={self.start_axis}, end_axis={self.end_axis}"

