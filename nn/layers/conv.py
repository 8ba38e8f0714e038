"""Conv2d, MaxPool2d and AvgPool2d: Modules over nn.functional.conv, on NCHW tensors."""

import math

import numpy as np

import autograd_core as ag

from .. import init
from ..functional.conv import (
    avg_pool_checked,
    check_conv_input,
    conv2d_unchecked,
    max_pool_checked,
    pair,
)
from ..module import Module, Parameter


class Conv2d(Module):
    """2-D convolution with `out_channels` filters of shape (in_channels, kh, kw), plus a bias.

    >>> conv = nn.Conv2d(1, 8, kernel_size=3, padding=1)
    >>> conv(ag.randn(64, 1, 28, 28)).shape        # (64, 8, 28, 28)

    weight has shape (out_channels, in_channels, kh, kw). Weight and bias start from
    U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = in_channels kh kw, as in PyTorch
    (Kaiming uniform with a = sqrt(5)). `stride` and `padding` (zeros) are ints or pairs.
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=True,
                 dtype=None):
        super().__init__()
        for name, value in (("in_channels", in_channels), ("out_channels", out_channels)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"Conv2d: {name} must be a positive int, got {value!r}")
        self.in_channels, self.out_channels = int(in_channels), int(out_channels)
        self.kernel_size = pair(kernel_size, "kernel_size", "Conv2d", 1)
        self.stride = pair(stride, "stride", "Conv2d", 1)
        self.padding = pair(padding, "padding", "Conv2d", 0)
        dtype = dtype or ag.get_default_dtype()
        shape = (self.out_channels, self.in_channels) + self.kernel_size
        self.weight = Parameter(np.empty(shape, dtype=dtype))
        if bias:
            self.bias = Parameter(np.empty(self.out_channels, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        """Draw fresh weights from PyTorch's default distribution.  >>> conv.reset_parameters()"""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_channels * self.kernel_size[0] * self.kernel_size[1])
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        x = x if isinstance(x, ag.Tensor) else ag.tensor(x)
        bias_shape = None if self.bias is None else self.bias.shape
        check_conv_input(x.shape, self.weight.shape, bias_shape, self.stride, self.padding,
                         f"Conv2d({self.extra_repr()})")
        return conv2d_unchecked(x, self.weight, self.bias, self.stride, self.padding)

    def extra_repr(self):
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}"
        if self.stride != (1, 1):
            text += f", stride={self.stride}"
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        return text if self.bias is not None else text + ", bias=False"


class _Pool2d(Module):
    def __init__(self, kernel_size, stride=None):
        super().__init__()
        name = type(self).__name__
        self.kernel_size = pair(kernel_size, "kernel_size", name, 1)
        self.stride = self.kernel_size if stride is None else pair(stride, "stride", name, 1)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}"


class MaxPool2d(_Pool2d):
    """Max over kernel_size windows (no padding); the gradient goes to each window's arg-max.

    >>> pool = nn.MaxPool2d(2)                     # stride defaults to the kernel size
    >>> pool(ag.randn(8, 3, 28, 28)).shape          # (8, 3, 14, 14)
    """

    def forward(self, x):
        return max_pool_checked(x, self.kernel_size, self.stride, f"MaxPool2d({self.extra_repr()})")


class AvgPool2d(_Pool2d):
    """Mean over kernel_size windows (no padding); the gradient divides equally over each window.

    >>> pool = nn.AvgPool2d(2)                     # stride defaults to the kernel size
    >>> pool(ag.randn(8, 3, 28, 28)).shape          # (8, 3, 14, 14)
    """

    def forward(self, x):
        return avg_pool_checked(x, self.kernel_size, self.stride, f"AvgPool2d({self.extra_repr()})")
