"""Pooling on NCL and NCHW tensors with PyTorch's arguments and output sizes: max and average
pooling (padding, ceil_mode, dilation for max), and adaptive average pooling.

A 1-D pooling is the 2-D one on an image one row high. Max pooling is one primitive (MaxPool);
average pooling is the mean of the im2col columns (its gradient divides equally over each
window, and col2im adds where windows overlap); adaptive average pooling is a product with two
averaging matrices, one per axis.
"""

import numpy as np

import autograd_core as ag

from .im2col import (
    Im2Col,
    as_tensor,
    check_rank,
    col2im_any,
    frame,
    is_int,
    negated,
    ntuple,
    output_size,
    span,
    symmetric,
)


def _lowest(dtype):
    """The padding of max pooling: a value no input beats (-inf for floats)."""
    if ag.dtypes.is_floating(dtype):
        return -np.inf
    if ag.dtypes.is_integer(dtype):
        return np.iinfo(dtype).min
    return False


class MaxPool(ag.Function):
    """Max over each window; the gradient goes to the first arg-max of each window only.

    Padding cells hold -inf, so they never win against a real value. The arg-max is kept as a
    compact window offset k = i kw + j (uint8 for windows of up to 256 cells), a constant for
    higher orders since it is piecewise constant in x.

    >>> MaxPool.apply(x, kernel=(2, 2), stride=(2, 2))
    """

    __slots__ = ("in_shape", "kernel", "stride", "pads", "dilation")
    array_backward = True

    @staticmethod
    def forward(ctx, x, kernel, stride, pads=((0, 0), (0, 0)), dilation=(1, 1)):
        (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
        ho, wo = output_size(x.shape, kernel, stride, pads, dilation, "max_pool2d")
        padded = frame(x, pads, _lowest(x.dtype))
        # One strided view per window offset (no window copy): the max is kh kw - 1 calls to
        # np.maximum, which propagates NaN.
        views = [padded[:, :, i * dh : i * dh + sh * ho : sh, j * dw : j * dw + sw * wo : sw]
                 for i in range(kh) for j in range(kw)]
        best = views[0].copy() if len(views) == 1 else np.maximum(views[0], views[1])
        for view in views[2:]:
            np.maximum(best, view, out=best)
        # The first arg-max is the number of leading offsets that do not hold the max: count
        # them with cheap boolean and integer passes (ties go to the first, as in PyTorch).
        index = np.zeros(best.shape, dtype=np.uint8 if len(views) <= 256 else np.intp)
        nan = ag.dtypes.is_floating(best.dtype) and np.isnan(best).any()
        pending = None
        for view in views[:-1]:
            differs = view != best
            if nan:  # a window holding NaN has max NaN: its first NaN is the arg-max
                differs &= ~(np.isnan(view) & np.isnan(best))
            pending = differs if pending is None else np.logical_and(pending, differs, out=pending)
            index += pending
        ctx.in_shape, ctx.kernel, ctx.stride = x.shape, kernel, stride
        ctx.pads, ctx.dilation = pads, dilation
        ctx.save_for_backward(index)  # piecewise constant in x: a constant for higher orders
        return best

    @staticmethod
    def backward(ctx, gy):
        (index,) = ctx.saved_tensors
        (kh, kw), (sh, sw), (dh, dw) = ctx.kernel, ctx.stride, ctx.dilation
        n, c, ho, wo = index.shape
        if isinstance(gy, ag.Tensor):  # recorded: a product with constant routes, then Col2Im
            offsets = np.arange(kh * kw).reshape(kh, kw, 1, 1)
            routes = (index[:, :, None, None] == offsets).astype(gy.dtype)
            gcols = gy.reshape(n, c, 1, 1, ho, wo) * routes  # (N, C, kh, kw, Ho, Wo)
            return col2im_any(gcols, ctx.in_shape, ctx.kernel, ctx.stride, ctx.pads,
                              ctx.dilation)
        # Raw arrays: each window offset sends gy where it won, by one strided write per offset
        # (an add where windows overlap); no (N, C, kh, kw, Ho, Wo) columns are built.
        padded = tuple(size + before + after
                       for size, (before, after) in zip(ctx.in_shape[2:], ctx.pads))
        disjoint = sh >= kh and sw >= kw and (dh, dw) == (1, 1)
        tiled = disjoint and (sh, sw) == (kh, kw) and (ho * kh, wo * kw) == padded
        gx = (np.empty if tiled else np.zeros)((n, c) + padded, dtype=gy.dtype)
        for k in range(kh * kw):
            i, j = divmod(k, kw)
            view = gx[:, :, i * dh : i * dh + sh * ho : sh, j * dw : j * dw + sw * wo : sw]
            if disjoint:
                np.multiply(gy, index == k, out=view)
            else:
                view += gy * (index == k)
        return frame(gx, negated(ctx.pads))


# -- arguments and output sizes -------------------------------------------------------------------
def flag(value, what, who):
    """A bool option (ceil_mode, count_include_pad); TypeError naming `who` otherwise.

    >>> flag(True, "ceil_mode", "MaxPool2d")                    # True
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{who}: {what} must be True or False, got {value!r}")
    return bool(value)


def pool_args(kernel_size, stride, padding, dilation, dims, who):
    """(kernel, stride, padding, dilation) of a pooling as checked `dims`-tuples; stride None
    means the kernel size, and padding may be at most half the kernel (PyTorch's rule).

    >>> pool_args(3, None, 1, 1, 2, "max_pool2d")       # ((3, 3), (3, 3), (1, 1), (1, 1))
    """
    kernel = ntuple(kernel_size, dims, "kernel_size", who, 1)
    stride = kernel if stride is None else ntuple(stride, dims, "stride", who, 1)
    padding = ntuple(padding, dims, "padding", who, 0)
    dilation = ntuple(dilation, dims, "dilation", who, 1)
    if any(p > k // 2 for p, k in zip(padding, kernel)):
        raise ValueError(f"{who}: padding {padding} must be at most half of kernel_size "
                         f"{kernel} (as in PyTorch)")
    return kernel, stride, padding, dilation


def pool_pads(shape, kernel, stride, padding, dilation, ceil_mode, who):
    """Per-side pads of a pooling: `padding` on both sides and, with ceil_mode, the cells that
    the last, partial window reaches past them. PyTorch's output size per axis:
    floor or ceil((L + 2 padding - dilation (k - 1) - 1) / stride) + 1, less one if that last
    window would start in the bottom/right padding.

    >>> pool_pads((1, 1, 5, 5), (2, 2), (2, 2), (0, 0), (1, 1), True, "f")   # ((0, 1), (0, 1))
    """
    output_size(shape, kernel, stride, symmetric(padding), dilation, who)  # the kernel fits
    if not ceil_mode:
        return symmetric(padding)
    pads = []
    for n, reach, s, p in zip(shape[2:], span(kernel, dilation), stride, padding):
        out = -(-(n + 2 * p - reach) // s) + 1
        if (out - 1) * s >= n + p:
            out -= 1
        pads.append((p, max(p, (out - 1) * s + reach - n - p)))
    return tuple(pads)


def _rows(x, *args):
    """A 1-D pooling's input (N, C, L) and arguments as those of a 2-D one, one row high."""
    n, c, length = x.shape
    return (x.reshape(n, c, 1, length),) + tuple(
        ((0, 0),) + a if isinstance(a[0], tuple) else (1,) + a for a in args)


def max_pool(x, kernel, stride, padding, dilation, ceil_mode, who):
    """max_pool1d/2d (after the length of `kernel`) on arguments already read by pool_args.

    >>> max_pool(x, (2, 2), (2, 2), (0, 0), (1, 1), False, "MaxPool2d(...)")
    """
    x = as_tensor(x)
    check_rank(x.shape, len(kernel) + 2, who)
    pads = pool_pads(x.shape, kernel, stride, padding, dilation, ceil_mode, who)
    if len(kernel) == 2:
        return MaxPool.apply(x, kernel=kernel, stride=stride, pads=pads, dilation=dilation)
    rows, kernel, stride, pads, dilation = _rows(x, kernel, stride, pads, dilation)
    y = MaxPool.apply(rows, kernel=kernel, stride=stride, pads=pads, dilation=dilation)
    return y.reshape(x.shape[:2] + y.shape[3:])


def _window_counts(size, out, kernel, stride, padding, count_include_pad):
    """How many cells each window of one axis averages, as PyTorch counts them: the padding
    cells too with count_include_pad, never the cells past it that ceil_mode adds."""
    starts = [r * stride - padding for r in range(out)]  # Python ints: any stride is exact
    ends = [min(start + kernel, size + padding) for start in starts]
    if not count_include_pad:
        starts, ends = [max(s, 0) for s in starts], [min(e, size) for e in ends]
    return np.array([end - start for start, end in zip(starts, ends)])


def avg_pool(x, kernel, stride, padding, ceil_mode, count_include_pad, who):
    """avg_pool1d/2d (after the length of `kernel`) on arguments already read by pool_args.

    >>> avg_pool(x, (2, 2), (2, 2), (0, 0), False, True, "AvgPool2d(...)")
    """
    x = as_tensor(x)
    check_rank(x.shape, len(kernel) + 2, who)
    dilation = (1,) * len(kernel)
    pads = pool_pads(x.shape, kernel, stride, padding, dilation, ceil_mode, who)
    sizes = output_size(x.shape, kernel, stride, pads, dilation, who)
    counts = [_window_counts(*args, count_include_pad)
              for args in zip(x.shape[2:], sizes, kernel, stride, padding)]
    rows = x
    if len(kernel) == 1:
        rows, kernel, stride, pads, dilation = _rows(x, kernel, stride, pads, dilation)
        counts = [np.ones(1, dtype=int)] + counts
    cols = Im2Col.apply(rows, kernel=kernel, stride=stride, pads=pads, dilation=dilation)
    divisor = np.outer(*counts)
    if np.all(divisor == kernel[0] * kernel[1]):
        y = cols.mean(axis=(2, 3))
    else:  # windows that overlap the padding or the end count fewer cells
        dtype = ag.dtypes.computing(x.dtype)
        y = cols.sum(axis=(2, 3)) / ag.tensor(divisor.astype(dtype))
    return y if len(x.shape) == 4 else y.reshape(x.shape[:2] + y.shape[3:])


def max_pool1d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    """Max over windows of an (N, C, L) tensor, padded with -inf; stride defaults to the kernel.

    >>> F.max_pool1d(ag.randn(8, 3, 100), 4).shape                         # (8, 3, 25)
    >>> F.max_pool1d(ag.randn(8, 3, 100), 3, 2, padding=1, ceil_mode=True).shape  # (8, 3, 51)
    """
    args = pool_args(kernel_size, stride, padding, dilation, 1, "max_pool1d")
    return max_pool(x, *args, flag(ceil_mode, "ceil_mode", "max_pool1d"), "max_pool1d")


def max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    """Max over kernel_size windows of an NCHW tensor, padded with -inf (stride defaults to the
    kernel); the gradient goes to each window's first arg-max.

    >>> F.max_pool2d(ag.randn(8, 3, 28, 28), 2).shape           # (8, 3, 14, 14)
    >>> F.max_pool2d(ag.randn(8, 3, 28, 28), 3, stride=2).shape # overlapping windows
    """
    args = pool_args(kernel_size, stride, padding, dilation, 2, "max_pool2d")
    return max_pool(x, *args, flag(ceil_mode, "ceil_mode", "max_pool2d"), "max_pool2d")


def _avg_pool_function(x, kernel_size, stride, padding, ceil_mode, count_include_pad, dims):
    who = f"avg_pool{dims}d"
    kernel, stride, padding, _ = pool_args(kernel_size, stride, padding, 1, dims, who)
    return avg_pool(x, kernel, stride, padding, flag(ceil_mode, "ceil_mode", who),
                    flag(count_include_pad, "count_include_pad", who), who)


def avg_pool1d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """Mean over windows of an (N, C, L) tensor (zero padding; stride defaults to the kernel).

    >>> F.avg_pool1d(ag.randn(8, 3, 100), 4).shape               # (8, 3, 25)
    """
    return _avg_pool_function(x, kernel_size, stride, padding, ceil_mode, count_include_pad, 1)


def avg_pool2d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """Mean over kernel_size windows of an NCHW tensor (zero padding; stride defaults to the
    kernel). With count_include_pad=False a window's mean is over its cells inside the input.

    >>> F.avg_pool2d(ag.randn(8, 3, 28, 28), 2).shape           # (8, 3, 14, 14)
    >>> F.avg_pool2d(ag.randn(8, 3, 28, 28), 3, stride=1).shape # overlapping windows
    """
    return _avg_pool_function(x, kernel_size, stride, padding, ceil_mode, count_include_pad, 2)


# -- adaptive average pooling ---------------------------------------------------------------------
def adaptive_size(output_size, who):
    """An int or a pair of ints or Nones (None keeps that input size) as a pair.

    >>> adaptive_size((3, None), "AdaptiveAvgPool2d")          # (3, None)
    """
    values = (output_size,) * 2 if not isinstance(output_size, (tuple, list)) else output_size
    values = tuple(values)
    ok = len(values) == 2 and all(v is None or (is_int(v) and v >= 1) for v in values)
    if not ok:
        raise ValueError(f"{who}: output_size must be a positive int or a pair of positive "
                         f"ints or None, got {output_size!r}")
    return tuple(None if v is None else int(v) for v in values)


def averaging_matrix(size, out, dtype):
    """The (out, size) matrix whose row i averages cells floor(i size / out) up to
    ceil((i + 1) size / out) - 1: PyTorch's adaptive pooling windows.

    >>> averaging_matrix(5, 3, np.float64)[1]          # [0, 1/3, 1/3, 1/3, 0]: cells 1 to 3
    """
    matrix = np.zeros((out, size), dtype=dtype)
    for i in range(out):
        start, end = (i * size) // out, -(-((i + 1) * size) // out)
        matrix[i, start:end] = 1.0 / (end - start)
    return matrix


def adaptive_avg_pool(x, size, who):
    """adaptive_avg_pool2d on a size already read by adaptive_size.

    >>> adaptive_avg_pool(x, (1, None), "AdaptiveAvgPool2d(...)")
    """
    x = as_tensor(x)
    check_rank(x.shape, 4, who)
    if min(x.shape[2:]) < 1:
        raise ValueError(f"{who}: the input's spatial size must be non-empty, got shape "
                         f"{tuple(x.shape)}")
    height, width = x.shape[2:]
    out_h, out_w = (n if s is None else s for s, n in zip(size, (height, width)))
    dtype = ag.dtypes.computing(x.dtype)
    rows = ag.tensor(averaging_matrix(height, out_h, dtype))
    cols = ag.tensor(averaging_matrix(width, out_w, dtype).T)
    return rows @ x @ cols


def adaptive_avg_pool2d(x, output_size):
    """Average pooling to a given output size: output cell (i, j) is the mean of rows
    floor(i H / out_h) .. ceil((i + 1) H / out_h) - 1 and the columns likewise (PyTorch's rule).

    >>> F.adaptive_avg_pool2d(ag.randn(8, 64, 7, 9), 1).shape          # (8, 64, 1, 1)
    >>> F.adaptive_avg_pool2d(ag.randn(8, 64, 7, 9), (3, None)).shape  # (8, 64, 3, 9)
    """
    who = "adaptive_avg_pool2d"
    return adaptive_avg_pool(x, adaptive_size(output_size, who), who)
