"""2-D convolution and pooling on NCHW tensors, lowered to im2col as the lectures derive them.

A convolution of No x Ni x Fr x Fc filters with an Ni x Lr x Lc input is a matrix product: the
filters reshaped to No x (Ni Fr Fc), times the im2col (Toeplitz) matrix whose column for each
output position holds the input patch under the filter. Its backward is the matmul rule followed
by the split rule: col2im adds each patch's gradient back onto the pixels the patch was copied
from, overlapping patches adding up. Im2Col and Col2Im are each other's adjoints, so each one's
backward is the other, and derivatives of every order follow with no extra code.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

import autograd_core as ag


def _tensor(x):
    return x if isinstance(x, ag.Tensor) else ag.tensor(x)


def pair(value, what, who, minimum):
    """An int or a pair of ints as a pair, each at least `minimum`."""
    if isinstance(value, (int, np.integer)):
        values = (value, value)
    else:
        values = tuple(value) if isinstance(value, (tuple, list)) else ()
    if len(values) != 2 or not all(
        isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values
    ):
        raise TypeError(f"{who}: {what} must be an int or a pair of ints, got {value!r}")
    if min(values) < minimum:
        raise ValueError(f"{who}: {what} must be >= {minimum}, got {value!r}")
    return int(values[0]), int(values[1])


def _output_size(shape, kernel, stride, padding, who):
    """(Ho, Wo) of a kernel sliding over an (N, C, H, W) input; raises if it does not fit."""
    height, width = shape[2] + 2 * padding[0], shape[3] + 2 * padding[1]
    if kernel[0] > height or kernel[1] > width:
        raise ValueError(
            f"{who}: kernel {kernel} is larger than the padded input ({height}, {width}) "
            f"(input shape {tuple(shape)}, padding {padding})"
        )
    return (height - kernel[0]) // stride[0] + 1, (width - kernel[1]) // stride[1] + 1


# -- the two adjoint primitives -----------------------------------------------------------------
# Column layout (N, C, kh, kw, Ho, Wo): reshaped to (N, C kh kw, Ho Wo) it is each image's im2col
# matrix with no copy, the batched filter product then yields NCHW directly, and pooling reduces
# over axes (2, 3). Timed against the classic (C kh kw, N Ho Wo) layout with one large GEMM, the
# forward + backward took the same time within noise on MNIST-sized layers, without transposes.

def _im2col_array(x, kernel, stride, padding):
    if padding != (0, 0):
        x = np.pad(x, ((0, 0), (0, 0), (padding[0],) * 2, (padding[1],) * 2))
    windows = sliding_window_view(x, kernel, axis=(2, 3))[:, :, :: stride[0], :: stride[1]]
    return np.ascontiguousarray(windows.transpose(0, 1, 4, 5, 2, 3))


def _col2im_array(cols, shape, kernel, stride, padding):
    n, c, kh, kw, ho, wo = cols.shape
    (sh, sw), (ph, pw) = stride, padding
    out = np.zeros((n, c, shape[2] + 2 * ph, shape[3] + 2 * pw), dtype=cols.dtype)
    # kh * kw strided adds, each over the whole batch: overlapping patches accumulate.
    for i in range(kh):
        for j in range(kw):
            out[:, :, i : i + sh * ho : sh, j : j + sw * wo : sw] += cols[:, :, i, j]
    return out[:, :, ph : ph + shape[2], pw : pw + shape[3]]


class Im2Col(ag.Function):
    """Patches of a zero-padded NCHW image (its backward is Col2Im):

    cols[n, c, i, j, r, s] = padded[n, c, r sh + i, s sw + j]
    """

    __slots__ = ("in_shape", "kernel", "stride", "padding")
    array_backward = True

    @staticmethod
    def forward(ctx, x, kernel, stride, padding):
        ctx.in_shape, ctx.kernel, ctx.stride, ctx.padding = x.shape, kernel, stride, padding
        return _im2col_array(x, kernel, stride, padding)

    @staticmethod
    def backward(ctx, gcols):
        return _col2im(gcols, ctx.in_shape, ctx.kernel, ctx.stride, ctx.padding)


class Col2Im(ag.Function):
    """Adds each patch back where Im2Col took it from, then crops the padding (Im2Col's adjoint)."""

    __slots__ = ("kernel", "stride", "padding")
    array_backward = True

    @staticmethod
    def forward(ctx, cols, shape, kernel, stride, padding):
        expected = (shape[0], shape[1]) + kernel + _output_size(shape, kernel, stride, padding,
                                                                "col2im")
        if cols.shape != expected:
            raise ValueError(
                f"col2im: columns of shape {cols.shape} do not fit an image of shape "
                f"{tuple(shape)} with kernel {kernel}, stride {stride}, padding {padding} "
                f"(expected {expected})"
            )
        ctx.kernel, ctx.stride, ctx.padding = kernel, stride, padding
        return _col2im_array(cols, shape, kernel, stride, padding)

    @staticmethod
    def backward(ctx, gx):
        return _im2col(gx, ctx.kernel, ctx.stride, ctx.padding)


# The backward formulas call these: raw arrays in a first-order sweep (fast, nothing recorded),
# Tensors under create_graph (recorded, so the result can be differentiated again).
def _im2col(x, kernel, stride, padding):
    if isinstance(x, ag.Tensor):
        return Im2Col.apply(x, kernel=kernel, stride=stride, padding=padding)
    return _im2col_array(x, kernel, stride, padding)


def _col2im(cols, shape, kernel, stride, padding):
    if isinstance(cols, ag.Tensor):
        return Col2Im.apply(cols, shape=shape, kernel=kernel, stride=stride, padding=padding)
    return _col2im_array(cols, shape, kernel, stride, padding)


def im2col(x, kernel_size, stride=1, padding=0):
    """The im2col columns of an NCHW tensor, shape (N, C, kh, kw, Ho, Wo).

    >>> cols = im2col(ag.randn(2, 3, 5, 5), 3)                    # (2, 3, 3, 3, 3, 3)
    >>> cols.reshape(2, 27, 9)                                    # each image's Toeplitz matrix
    """
    x = _tensor(x)
    _check_rank(x.shape, "im2col")
    kernel = pair(kernel_size, "kernel_size", "im2col", 1)
    stride, padding = pair(stride, "stride", "im2col", 1), pair(padding, "padding", "im2col", 0)
    _output_size(x.shape, kernel, stride, padding, "im2col")
    return Im2Col.apply(x, kernel=kernel, stride=stride, padding=padding)


def col2im(cols, input_shape, kernel_size, stride=1, padding=0):
    """Sum im2col columns back into an image of `input_shape` (the adjoint of im2col).

    >>> counts = col2im(im2col(ag.ones(1, 1, 4, 4), 3), (1, 1, 4, 4), 3)
    >>> counts[0, 0]                              # how many 3x3 patches cover each pixel
    """
    kernel = pair(kernel_size, "kernel_size", "col2im", 1)
    stride, padding = pair(stride, "stride", "col2im", 1), pair(padding, "padding", "col2im", 0)
    _check_rank(tuple(input_shape), "col2im")
    return Col2Im.apply(_tensor(cols), shape=tuple(input_shape), kernel=kernel, stride=stride,
                        padding=padding)


# -- convolution --------------------------------------------------------------------------------
def _check_rank(shape, who):
    if len(shape) != 4:
        raise ValueError(f"{who}: expected a 4-D input (N, C, H, W), got shape {tuple(shape)}")


def check_conv_input(x_shape, weight_shape, bias_shape, stride, padding, who):
    """Raise a ValueError naming `who` and the shapes unless a convolution can run."""
    if len(weight_shape) != 4:
        raise ValueError(f"{who}: weight must be 4-D (out, in, kh, kw), got shape {weight_shape}")
    _check_rank(x_shape, who)
    if x_shape[1] != weight_shape[1]:
        raise ValueError(
            f"{who}: expected input with {weight_shape[1]} channels, got shape {tuple(x_shape)}"
        )
    if bias_shape is not None and tuple(bias_shape) != (weight_shape[0],):
        raise ValueError(
            f"{who}: bias must have shape ({weight_shape[0]},) for weight {weight_shape}, "
            f"got {tuple(bias_shape)}"
        )
    _output_size(x_shape, tuple(weight_shape[2:]), stride, padding, who)


def conv2d(x, weight, bias=None, stride=1, padding=0):
    """2-D convolution (PyTorch's cross-correlation) of NCHW `x` with (out, in, kh, kw) filters.

    >>> y = F.conv2d(ag.randn(64, 1, 28, 28), ag.randn(8, 1, 3, 3), padding=1)
    >>> y.shape                                   # (64, 8, 28, 28)

    `stride` and `padding` (zeros) are ints or (rows, columns) pairs.
    """
    x, weight = _tensor(x), _tensor(weight)
    bias = None if bias is None else _tensor(bias)
    stride = pair(stride, "stride", "conv2d", 1)
    padding = pair(padding, "padding", "conv2d", 0)
    check_conv_input(x.shape, weight.shape, None if bias is None else bias.shape, stride, padding,
                     "conv2d")
    return conv2d_unchecked(x, weight, bias, stride, padding)


def conv2d_unchecked(x, weight, bias, stride, padding):
    """conv2d on Tensors whose shapes were checked, stride and padding given as pairs."""
    out_channels, in_channels, kh, kw = weight.shape
    cols = Im2Col.apply(x, kernel=(kh, kw), stride=stride, padding=padding)
    n, _, _, _, ho, wo = cols.shape
    patch = in_channels * kh * kw
    # One (out, patch) @ (patch, Ho Wo) product per image, batched by matmul's broadcasting.
    y = weight.reshape(out_channels, patch) @ cols.reshape(n, patch, ho * wo)
    y = y.reshape(n, out_channels, ho, wo)
    return y if bias is None else y + bias.reshape(1, out_channels, 1, 1)


# -- pooling ------------------------------------------------------------------------------------
class MaxPool(ag.Function):
    """Max over each window; the gradient goes to the first arg-max of each window only."""

    __slots__ = ("in_shape", "kernel", "stride")
    array_backward = True

    @staticmethod
    def forward(ctx, x, kernel, stride):
        (kh, kw), (sh, sw) = kernel, stride
        ho, wo = _output_size(x.shape, kernel, stride, (0, 0), "max_pool2d")
        # A running max over the kh * kw window offsets: no window copy, and a strict `>` keeps
        # the first arg-max on ties, as PyTorch does. NaN wins, so it propagates.
        best = x[:, :, : sh * ho : sh, : sw * wo : sw].copy()
        index = np.zeros(best.shape, dtype=np.int32)
        for offset in range(1, kh * kw):
            i, j = divmod(offset, kw)
            candidate = x[:, :, i : i + sh * ho : sh, j : j + sw * wo : sw]
            better = (candidate > best) | (np.isnan(candidate) & ~np.isnan(best))
            np.copyto(best, candidate, where=better)
            index[better] = offset
        ctx.in_shape, ctx.kernel, ctx.stride = x.shape, kernel, stride
        ctx.save_for_backward(index)  # piecewise constant in x: a constant for higher orders
        return best

    @staticmethod
    def backward(ctx, gy):
        (index,) = ctx.saved_tensors
        kh, kw = ctx.kernel
        n, c, ho, wo = index.shape
        offsets = np.arange(kh * kw).reshape(kh, kw, 1, 1)
        routes = (index[:, :, None, None] == offsets).astype(gy.dtype)  # (N, C, kh, kw, Ho, Wo)
        gcols = gy.reshape(n, c, 1, 1, ho, wo) * routes
        return _col2im(gcols, ctx.in_shape, ctx.kernel, ctx.stride, (0, 0))


def _pool_args(x, kernel_size, stride, who):
    x = _tensor(x)
    _check_rank(x.shape, who)
    kernel = pair(kernel_size, "kernel_size", who, 1)
    stride = kernel if stride is None else pair(stride, "stride", who, 1)
    _output_size(x.shape, kernel, stride, (0, 0), who)
    return x, kernel, stride


def max_pool2d(x, kernel_size, stride=None):
    """Max over kernel_size windows of an NCHW tensor (no padding; stride defaults to the kernel).

    >>> F.max_pool2d(ag.randn(8, 3, 28, 28), 2).shape           # (8, 3, 14, 14)
    >>> F.max_pool2d(ag.randn(8, 3, 28, 28), 3, stride=2).shape # overlapping windows
    """
    return max_pool_checked(x, kernel_size, stride, "max_pool2d")


def max_pool_checked(x, kernel_size, stride, who):
    """max_pool2d whose input errors name `who` (the MaxPool2d layer passes its repr)."""
    x, kernel, stride = _pool_args(x, kernel_size, stride, who)
    return MaxPool.apply(x, kernel=kernel, stride=stride)


def avg_pool2d(x, kernel_size, stride=None):
    """Mean over kernel_size windows of an NCHW tensor (no padding; stride defaults to the kernel).

    >>> F.avg_pool2d(ag.randn(8, 3, 28, 28), 2).shape           # (8, 3, 14, 14)
    >>> F.avg_pool2d(ag.randn(8, 3, 28, 28), 3, stride=1).shape # overlapping windows

    The mean of the im2col columns: its gradient divides equally over each window, and col2im
    adds where windows overlap.
    """
    return avg_pool_checked(x, kernel_size, stride, "avg_pool2d")


def avg_pool_checked(x, kernel_size, stride, who):
    """avg_pool2d whose input errors name `who` (the AvgPool2d layer passes its repr)."""
    x, kernel, stride = _pool_args(x, kernel_size, stride, who)
    return Im2Col.apply(x, kernel=kernel, stride=stride, padding=(0, 0)).mean(axis=(2, 3))
