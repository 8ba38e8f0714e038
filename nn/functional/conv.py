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
    return Convolution2d.apply(x, weight, bias, stride=stride, padding=padding)


# Stride 1 uses a "flat" column layout. Read each padded image as one row of Hp Wp pixels:
# output position p = r Wp + s (r < Ho, s < Wp) sees pixel p + i Wp + j under filter offset
# (i, j), so each offset's columns are ONE contiguous run of L = (Ho - 1) Wp + Wo pixels, and
# col2im is kh kw additions of such runs. The positions with s >= Wo wrap around a row's end:
# their outputs are dropped and their gradients set to zero. Against the (kh, kw, Ho, Wo)
# layout, whose copies and additions run over rows of only Wo pixels, this took 0.4x the time
# for the columns and col2im of a 13x13 input, for at most Wp / Wo (here 13/11) more matmul.

def _flat_cols(padded, kh, kw):
    """(N, C, Hp, Wp) -> (N, C kh kw, L) columns in the flat layout (a new array)."""
    n, c, hp, wp = padded.shape
    length = (hp - kh) * wp + wp - kw + 1
    pixels = padded.reshape(n, c, hp * wp)
    cols = np.empty((n, c, kh * kw, length), dtype=padded.dtype)
    for k in range(kh * kw):
        offset = (k // kw) * wp + k % kw
        cols[:, :, k] = pixels[:, :, offset : offset + length]
    return cols.reshape(n, c * kh * kw, length)


def _flat_col2im(gcols, padded_shape, kh, kw):
    """Columns (N, C kh kw, L) in the flat layout summed back into a padded image (N, C, Hp, Wp)."""
    n, c, hp, wp = padded_shape
    length = gcols.shape[2]
    gcols = gcols.reshape(n, c, kh * kw, length)
    out = np.zeros((n, c, hp * wp), dtype=gcols.dtype)
    for k in range(kh * kw):
        offset = (k // kw) * wp + k % kw
        out[:, :, offset : offset + length] += gcols[:, :, k]
    return out.reshape(padded_shape)


class Convolution2d(ag.Function):
    """y = conv2d(x, weight) + bias in one node: im2col, one (out, patch) @ (patch, positions)
    product per image (batched by matmul's broadcasting), then the bias.

    Backward is the matmul rule followed by the split rule, with G the upstream gradient as
    (N, out, positions) and X the im2col matrices: dW = sum over images of G X^T, db = G summed
    over images and positions, dx = col2im(W^T G). A first-order sweep reuses the forward's
    columns (at stride 1 with dx wanted, in the flat layout above); under create_graph they
    are rebuilt from x by Im2Col (recorded), and the same formula, written with operators,
    Im2Col and Col2Im, gives derivatives of every order.

    >>> y = Convolution2d.apply(x, weight, bias, stride=(1, 1), padding=(0, 0))
    """

    __slots__ = ("stride", "padding", "flat")
    array_backward = True

    @staticmethod
    def forward(ctx, x, weight, bias, stride, padding):
        out_channels, in_channels, kh, kw = weight.shape
        n, patch = x.shape[0], in_channels * kh * kw
        filters = weight.reshape(out_channels, patch)
        column = None if bias is None else bias.reshape(out_channels, 1, 1)
        # The flat layout pays off through col2im, so it is used only when dx is wanted: it
        # costs one more output-sized array (the wrapped positions) each way.
        flat = stride == (1, 1) and ctx.edges[0] is not None
        ctx.stride, ctx.padding, ctx.flat = stride, padding, flat
        if flat:
            padded = x if padding == (0, 0) else np.pad(
                x, ((0, 0), (0, 0), (padding[0],) * 2, (padding[1],) * 2))
            hp, wp = padded.shape[2:]
            ho, wo = hp - kh + 1, wp - kw + 1
            cols = _flat_cols(padded, kh, kw)
            length = cols.shape[2]
            rows = np.empty((n, out_channels, ho * wp), dtype=np.result_type(filters, cols))
            np.matmul(filters, cols, out=rows[:, :, :length])
            y = rows.reshape(n, out_channels, ho, wp)[:, :, :, :wo]  # drop the wrapped ones
            y = np.ascontiguousarray(y) if column is None else y + column
        else:
            cols = _im2col_array(x, (kh, kw), stride, padding)
            ho, wo = cols.shape[4:]
            cols = cols.reshape(n, patch, ho * wo)
            y = np.matmul(filters, cols).reshape(n, out_channels, ho, wo)
            if column is not None:
                if np.result_type(y, column) == y.dtype:
                    y += column  # in place: no second (N, out, Ho, Wo) array
                else:
                    y = y + column
        # x and the weight for create_graph; the columns (only if dW is wanted) for a fast
        # first-order sweep.
        ctx.save_for_backward(x, weight, cols if ctx.edges[1] is not None else None)
        return y

    @staticmethod
    def backward(ctx, gy):
        x, weight, cols = ctx.saved_tensors
        edges = ctx.edges
        out_channels, in_channels, kh, kw = weight.shape
        n, _, ho, wo = gy.shape
        patch = in_channels * kh * kw
        if isinstance(gy, ag.Tensor):
            return _convolution_backward(ctx, x, weight, gy)
        gx = gw = gb = None
        if edges[2] is not None:
            gb = gy.sum(axis=(0, 2, 3))
        if edges[0] is None and edges[1] is None:
            return gx, gw, gb
        (ph, pw), in_shape = ctx.padding, x.shape
        flat = ctx.flat
        if flat:  # G on the flat layout's positions, zero at the wrapped ones
            wp = in_shape[3] + 2 * pw
            length = (ho - 1) * wp + wo
            rows = np.zeros((n, out_channels, ho, wp), dtype=gy.dtype)
            rows[:, :, :, :wo] = gy
            g = rows.reshape(n, out_channels, ho * wp)[:, :, :length]
        else:
            g = gy.reshape(n, out_channels, ho * wo)
        if edges[1] is not None:
            gw = np.matmul(g, cols.swapaxes(1, 2)).sum(axis=0).reshape(weight.shape)
        if edges[0] is not None:
            gcols = np.matmul(weight.reshape(out_channels, patch).T, g)
            if flat:
                padded_shape = (n, in_channels, in_shape[2] + 2 * ph, in_shape[3] + 2 * pw)
                gx = _flat_col2im(gcols, padded_shape, kh, kw)
                gx = gx[:, :, ph : ph + in_shape[2], pw : pw + in_shape[3]]
            else:
                gx = _col2im_array(gcols.reshape(n, in_channels, kh, kw, ho, wo), in_shape,
                                   (kh, kw), ctx.stride, ctx.padding)
        return gx, gw, gb


def _convolution_backward(ctx, x, weight, gy):
    """Convolution2d's backward on Tensors (create_graph): recorded, so differentiable again."""
    edges = ctx.edges
    out_channels, in_channels, kh, kw = weight.shape
    n, _, ho, wo = gy.shape
    patch = in_channels * kh * kw
    g = gy.reshape(n, out_channels, ho * wo)
    gx = gw = gb = None
    if edges[1] is not None:  # dW must see the columns depend on x: rebuilt by Im2Col
        cols = Im2Col.apply(x, kernel=(kh, kw), stride=ctx.stride, padding=ctx.padding)
        gw = (g @ cols.reshape(n, patch, ho * wo).swapaxes(1, 2)).sum(axis=0)
        gw = gw.reshape(weight.shape)
    if edges[2] is not None:
        gb = g.sum(axis=(0, 2))
    if edges[0] is not None:
        gcols = weight.reshape(out_channels, patch).swapaxes(0, 1) @ g
        gx = Col2Im.apply(gcols.reshape(n, in_channels, kh, kw, ho, wo), shape=tuple(x.shape),
                          kernel=(kh, kw), stride=ctx.stride, padding=ctx.padding)
    return gx, gw, gb


# -- pooling ------------------------------------------------------------------------------------
class MaxPool(ag.Function):
    """Max over each window; the gradient goes to the first arg-max of each window only.

    The arg-max is kept as a compact window offset k = i kw + j (uint8 for windows of up to
    256 cells), a constant for higher orders since it is piecewise constant in x.
    """

    __slots__ = ("in_shape", "kernel", "stride")
    array_backward = True

    @staticmethod
    def forward(ctx, x, kernel, stride):
        (kh, kw), (sh, sw) = kernel, stride
        ho, wo = _output_size(x.shape, kernel, stride, (0, 0), "max_pool2d")
        # One strided view per window offset (no window copy): the max is kh kw - 1 calls to
        # np.maximum, which propagates NaN.
        views = [x[:, :, i : i + sh * ho : sh, j : j + sw * wo : sw]
                 for i in range(kh) for j in range(kw)]
        best = views[0].copy() if len(views) == 1 else np.maximum(views[0], views[1])
        for view in views[2:]:
            np.maximum(best, view, out=best)
        # The first arg-max is the number of leading offsets that do not hold the max: count
        # them with cheap boolean and integer passes (ties go to the first, as in PyTorch).
        index = np.zeros(best.shape, dtype=np.uint8 if len(views) <= 256 else np.intp)
        nan = best.dtype.kind in "fc" and np.isnan(best).any()
        pending = None
        for view in views[:-1]:
            differs = view != best
            if nan:  # a window holding NaN has max NaN: its first NaN is the arg-max
                differs &= ~(np.isnan(view) & np.isnan(best))
            pending = differs if pending is None else np.logical_and(pending, differs, out=pending)
            index += pending
        ctx.in_shape, ctx.kernel, ctx.stride = x.shape, kernel, stride
        ctx.save_for_backward(index)  # piecewise constant in x: a constant for higher orders
        return best

    @staticmethod
    def backward(ctx, gy):
        (index,) = ctx.saved_tensors
        (kh, kw), (sh, sw) = ctx.kernel, ctx.stride
        n, c, ho, wo = index.shape
        if isinstance(gy, ag.Tensor):  # recorded: a product with constant routes, then Col2Im
            offsets = np.arange(kh * kw).reshape(kh, kw, 1, 1)
            routes = (index[:, :, None, None] == offsets).astype(gy.dtype)
            gcols = gy.reshape(n, c, 1, 1, ho, wo) * routes  # (N, C, kh, kw, Ho, Wo)
            return _col2im(gcols, ctx.in_shape, ctx.kernel, ctx.stride, (0, 0))
        # Raw arrays: each window offset sends gy where it won, by one strided write per offset
        # (an add where windows overlap); no (N, C, kh, kw, Ho, Wo) columns are built.
        height, width = ctx.in_shape[2], ctx.in_shape[3]
        disjoint = sh >= kh and sw >= kw
        tiled = disjoint and (sh, sw) == (kh, kw) and (ho * kh, wo * kw) == (height, width)
        gx = (np.empty if tiled else np.zeros)(ctx.in_shape, dtype=gy.dtype)
        for k in range(kh * kw):
            i, j = divmod(k, kw)
            view = gx[:, :, i : i + sh * ho : sh, j : j + sw * wo : sw]
            if disjoint:
                np.multiply(gy, index == k, out=view)
            else:
                view += gy * (index == k)
        return gx


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
