"""MaxPool1d/2d, AvgPool1d/2d and AdaptiveAvgPool2d: Modules over nn.functional.pooling with
PyTorch's arguments and output sizes."""

from ..functional.pooling import (
    adaptive_avg_pool,
    adaptive_size,
    avg_pool,
    flag,
    max_pool,
    pool_args,
)
from ..module import Module


class _Pool(Module):
    dims = 2

    def __init__(self, kernel_size, stride, padding, dilation, ceil_mode):
        super().__init__()
        name = type(self).__name__
        self.kernel_size, self.stride, self.padding, self.dilation = pool_args(
            kernel_size, stride, padding, dilation, self.dims, name)
        self.ceil_mode = flag(ceil_mode, "ceil_mode", name)

    def _who(self):
        return f"{type(self).__name__}({self.extra_repr()})"

    def extra_repr(self):
        text = f"kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,) * self.dims:
            text += f", padding={self.padding}"
        if self.dilation != (1,) * self.dims:
            text += f", dilation={self.dilation}"
        return text + (", ceil_mode=True" if self.ceil_mode else "")


class _MaxPool(_Pool):
    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, *, ceil_mode=False):
        # ceil_mode is keyword-only: PyTorch's fifth positional argument is return_indices.
        super().__init__(kernel_size, stride, padding, dilation, ceil_mode)

    def forward(self, x):
        return max_pool(x, self.kernel_size, self.stride, self.padding, self.dilation,
                        self.ceil_mode, self._who())


class MaxPool1d(_MaxPool):
    """Max over windows of (N, C, L) signals, padded with -inf; stride defaults to the kernel.

    >>> nn.MaxPool1d(3, stride=2, padding=1)(ag.randn(4, 8, 100)).shape     # (4, 8, 50)

    The gradient goes to each window's first arg-max.
    """

    dims = 1


class MaxPool2d(_MaxPool):
    """Max over kernel_size windows, padded with -inf; the gradient goes to each window's
    first arg-max.

    >>> pool = nn.MaxPool2d(2)                     # stride defaults to the kernel size
    >>> pool(ag.randn(8, 3, 28, 28)).shape          # (8, 3, 14, 14)
    >>> nn.MaxPool2d(2, ceil_mode=True)(ag.randn(8, 3, 7, 7)).shape        # (8, 3, 4, 4)
    """


class _AvgPool(_Pool):
    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True):
        super().__init__(kernel_size, stride, padding, 1, ceil_mode)
        self.count_include_pad = flag(count_include_pad, "count_include_pad",
                                       type(self).__name__)

    def forward(self, x):
        return avg_pool(x, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                        self.count_include_pad, self._who())

    def extra_repr(self):
        text = super().extra_repr()
        return text if self.count_include_pad else text + ", count_include_pad=False"


class AvgPool1d(_AvgPool):
    """Mean over windows of (N, C, L) signals (zero padding; stride defaults to the kernel).

    >>> nn.AvgPool1d(4)(ag.randn(4, 8, 100)).shape   # (4, 8, 25)
    """

    dims = 1


class AvgPool2d(_AvgPool):
    """Mean over kernel_size windows; the gradient divides equally over each window.

    >>> pool = nn.AvgPool2d(2)                     # stride defaults to the kernel size
    >>> pool(ag.randn(8, 3, 28, 28)).shape          # (8, 3, 14, 14)

    With padding, a window's divisor counts its padding cells (count_include_pad=True, as
    PyTorch) or only its cells inside the input (False).
    """


class AdaptiveAvgPool2d(Module):
    """Average pooling to a fixed output size, whatever the input size (PyTorch's windows:
    rows floor(i H / out) to ceil((i + 1) H / out) - 1 for output row i, columns likewise).

    >>> nn.AdaptiveAvgPool2d(1)(ag.randn(8, 64, 7, 7)).shape           # (8, 64, 1, 1)
    >>> nn.AdaptiveAvgPool2d((3, None))(ag.randn(8, 64, 7, 9)).shape   # (8, 64, 3, 9)
    """

    def __init__(self, output_size):
        super().__init__()
        self._size = adaptive_size(output_size, "AdaptiveAvgPool2d")
        self.output_size = output_size

    def forward(self, x):
        return adaptive_avg_pool(x, self._size, f"AdaptiveAvgPool2d({self.extra_repr()})")

    def extra_repr(self):
        return f"output_size={self.output_size!r}"
