"""Conv1d, Conv2d and ConvTranspose2d: Modules over nn.functional.conv with PyTorch's
arguments, parameter names and shapes (a PyTorch state dict loads one to one)."""

import math

import numpy as np

import autograd_core as ag

from .. import init
from ..functional.conv import (
    check_output_padding,
    conv_pads,
    convolve,
    positive_int,
    transpose_convolve,
)
from ..functional.im2col import as_tensor, ntuple
from ..module import Module, Parameter


class _Conv(Module):
    """What the convolutions share: argument checks, the parameters and their initialisation
    (PyTorch's: Kaiming uniform with a = sqrt(5) for the weight, which is
    U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and the same range for the bias; fan_in =
    weight.shape[1] times the kernel's cells), and the repr."""

    dims = 2
    transposed = False

    def __init__(self, in_channels, out_channels, kernel_size, stride, padding, dilation, groups,
                 bias, dtype, output_padding=0):
        super().__init__()
        name = type(self).__name__
        self.in_channels = positive_int(in_channels, "in_channels", name)
        self.out_channels = positive_int(out_channels, "out_channels", name)
        self.groups = positive_int(groups, "groups", name)
        for what, channels in (("in_channels", self.in_channels),
                               ("out_channels", self.out_channels)):
            if channels % self.groups:
                raise ValueError(f"{name}: groups={self.groups} does not divide "
                                 f"{what}={channels}")
        self.kernel_size = ntuple(kernel_size, self.dims, "kernel_size", name, 1)
        self.stride = ntuple(stride, self.dims, "stride", name, 1)
        self.dilation = ntuple(dilation, self.dims, "dilation", name, 1)
        if self.transposed:
            self.padding = ntuple(padding, self.dims, "padding", name, 0)
            self.output_padding = ntuple(output_padding, self.dims, "output_padding", name, 0)
            check_output_padding(self.output_padding, self.stride, self.dilation, name)
            shape = (self.in_channels, self.out_channels // self.groups)
        else:
            self._pads = conv_pads(padding, self.kernel_size, self.stride, self.dilation, name)
            self.padding = padding if isinstance(padding, str) else tuple(
                before for before, _ in self._pads)
            shape = (self.out_channels, self.in_channels // self.groups)
        dtype = dtype or ag.get_default_dtype()
        self.weight = Parameter(np.empty(shape + self.kernel_size, dtype=dtype))
        if bias:
            self.bias = Parameter(np.empty(self.out_channels, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        """Draw fresh weights from PyTorch's default distribution.  >>> conv.reset_parameters()"""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.weight.shape[1] * math.prod(self.kernel_size))
            init.uniform_(self.bias, -bound, bound)

    def _who(self):
        return f"{type(self).__name__}({self.extra_repr()})"

    def extra_repr(self):
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}"
        if self.stride != (1,) * self.dims:
            text += f", stride={self.stride}"
        if self.padding != (0,) * self.dims:
            text += f", padding={self.padding}"
        if self.dilation != (1,) * self.dims:
            text += f", dilation={self.dilation}"
        if self.transposed and self.output_padding != (0,) * self.dims:
            text += f", output_padding={self.output_padding}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        return text if self.bias is not None else text + ", bias=False"


class Conv1d(_Conv):
    """1-D convolution of (N, in_channels, L) signals with `out_channels` filters.

    >>> conv = nn.Conv1d(3, 8, kernel_size=5, padding="same")
    >>> conv(ag.randn(4, 3, 100)).shape              # (4, 8, 100)

    weight has shape (out_channels, in_channels / groups, k), bias (out_channels,), initialised
    as in PyTorch. `padding` is an int, a 1-tuple, "valid" or "same" (stride 1 only).
    """

    dims = 1

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, dtype)

    def forward(self, x):
        return convolve(as_tensor(x), self.weight, self.bias, self.stride, self._pads,
                        self.dilation, self.groups, self._who())


class Conv2d(_Conv):
    """2-D convolution with `out_channels` filters of shape (in_channels / groups, kh, kw),
    plus a bias.

    >>> conv = nn.Conv2d(1, 8, kernel_size=3, padding=1)
    >>> conv(ag.randn(64, 1, 28, 28)).shape        # (64, 8, 28, 28)

    weight has shape (out_channels, in_channels / groups, kh, kw). Weight and bias start from
    U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = in_channels / groups kh kw, as in PyTorch
    (Kaiming uniform with a = sqrt(5)). `stride`, `dilation` and `padding` (zeros) are ints or
    pairs; `padding` may also be "valid" or "same" (stride 1 only).
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, dtype)

    def forward(self, x):
        return convolve(as_tensor(x), self.weight, self.bias, self.stride, self._pads,
                        self.dilation, self.groups, self._who())


class ConvTranspose2d(_Conv):
    """Transposed 2-D convolution (the gradient of a Conv2d with respect to its input), as
    PyTorch's: it grows the image, e.g. to undo a strided convolution's downsampling.

    >>> up = nn.ConvTranspose2d(16, 8, kernel_size=4, stride=2, padding=1)
    >>> up(ag.randn(2, 16, 7, 7)).shape             # (2, 8, 14, 14)

    weight has shape (in_channels, out_channels / groups, kh, kw), bias (out_channels,). Output
    size per axis: (L - 1) stride - 2 padding + dilation (k - 1) + output_padding + 1.
    """

    transposed = True

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 output_padding=0, groups=1, bias=True, dilation=1, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, dtype, output_padding)

    def forward(self, x):
        return transpose_convolve(as_tensor(x), self.weight, self.bias, self.stride,
                                  self.padding, self.output_padding, self.dilation, self.groups,
                                  self._who())
