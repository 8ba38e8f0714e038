"""The im2col lowering that convolution and pooling are built on, and the window arithmetic
(argument checks, output sizes, padding) they share.

A convolution of No x Ni x Fr x Fc filters with an Ni x Lr x Lc input is a matrix product: the
filters reshaped to No x (Ni Fr Fc), times the im2col (Toeplitz) matrix whose column for each
output position holds the input patch under the filter. Its backward is the matmul rule followed
by the split rule: col2im adds each patch's gradient back onto the pixels the patch was copied
from, overlapping patches adding up. Im2Col and Col2Im are each other's adjoints, so each one's
backward is the other, and derivatives of every order follow with no extra code.

Padding is kept per side, `pads = ((top, bottom), (left, right))`: PyTorch's symmetric padding,
the extra bottom/right cells of `padding="same"` with an even kernel and of pooling's
`ceil_mode`, and the output_padding of a transposed convolution (a negative `bottom`: the image
is longer than the padded windows reach) are all one case.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

import autograd_core as ag


def as_tensor(x):
    """x as a Tensor (an array is wrapped, a Tensor passes through).  >>> as_tensor(np.ones(3))"""
    return x if isinstance(x, ag.Tensor) else ag.tensor(x)


def is_int(value):
    """An int or NumPy integer, not a bool.  >>> is_int(3), is_int(True)    # True, False"""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def ntuple(value, n, what, who, minimum):
    """An int or a tuple of `n` ints as an n-tuple of ints, each at least `minimum`.

    >>> ntuple(3, 2, "kernel_size", "Conv2d", 1)              # (3, 3)
    """
    values = (value,) * n if is_int(value) else value
    values = tuple(values) if isinstance(values, (tuple, list)) else ()
    if len(values) != n or not all(is_int(v) for v in values):
        kind = "a pair of ints" if n == 2 else f"a tuple of {n} int" + ("s" if n > 1 else "")
        raise TypeError(f"{who}: {what} must be an int or {kind}, got {value!r}")
    if min(values) < minimum:
        raise ValueError(f"{who}: {what} must be >= {minimum}, got {value!r}")
    return tuple(int(v) for v in values)


def pair(value, what, who, minimum):
    """ntuple(value, 2, ...): an int or a pair of ints as a pair.  >>> pair(2, "stride", "f", 1)"""
    return ntuple(value, 2, what, who, minimum)


def symmetric(padding):
    """Per-side pads from PyTorch's per-axis padding.  >>> symmetric((1, 2))  # ((1, 1), (2, 2))"""
    return tuple((p, p) for p in padding)


def span(kernel, dilation):
    """How many input cells a dilated kernel reaches across, per axis: d (k - 1) + 1.

    >>> span((3, 3), (2, 1))                                    # (5, 3)
    """
    return tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))


def output_size(shape, kernel, stride, pads, dilation, who):
    """The output's spatial size, floor((L + before + after - d (k - 1) - 1) / s) + 1 per axis,
    for an input of `shape` (N, C, *spatial); ValueError naming `who` where the kernel does not
    fit into the padded input.

    >>> output_size((1, 1, 28, 28), (3, 3), (1, 1), ((1, 1), (1, 1)), (1, 1), "conv2d")  # (28, 28)
    """
    spatial = tuple(shape[2:])
    padded = tuple(n + before + after for n, (before, after) in zip(spatial, pads))
    reach = span(kernel, dilation)
    if any(r > p for r, p in zip(reach, padded)):
        kernel_text = f"kernel {kernel}"
        if any(d != 1 for d in dilation):
            kernel_text += f" with dilation {dilation} spans {reach}, which"
        padding = tuple(before for before, _ in pads) if all(b == a for b, a in pads) else pads
        raise ValueError(
            f"{who}: {kernel_text} is larger than the padded input {padded} "
            f"(input shape {tuple(shape)}, padding {padding})"
        )
    return tuple((p - r) // s + 1 for p, r, s in zip(padded, reach, stride))


def frame(x, pads, value=0):
    """The spatial axes of an array grown by `pads` cells of `value` on each side, or cut
    where a pad is negative; `frame(frame(x, pads), -pads)` gives x back (the adjoint crop).

    >>> frame(np.ones((1, 1, 2, 2)), ((1, 0), (0, -1))).shape    # (1, 1, 3, 1)
    """
    if all(before == 0 and after == 0 for before, after in pads):
        return x
    grow = [(0, 0)] * (x.ndim - len(pads)) + [(max(b, 0), max(a, 0)) for b, a in pads]
    if any(b > 0 or a > 0 for b, a in grow):
        x = np.pad(x, grow, constant_values=value)
    cut = [slice(None)] * (x.ndim - len(pads)) + [
        slice(max(-b, 0), n - max(-a, 0)) for (b, a), n in zip(pads, x.shape[-len(pads):])]
    return x[tuple(cut)]


def negated(pads):
    """The pads that undo `pads` in frame.  >>> negated(((1, 2), (0, 0)))  # ((-1, -2), (0, 0))"""
    return tuple((-before, -after) for before, after in pads)


# -- the two adjoint primitives -----------------------------------------------------------------
# Column layout (N, C, kh, kw, Ho, Wo): reshaped to (N, C kh kw, Ho Wo) it is each image's im2col
# matrix with no copy, the batched filter product then yields NCHW directly, and pooling reduces
# over axes (2, 3). Timed against the classic (C kh kw, N Ho Wo) layout with one large GEMM, the
# forward + backward took the same time within noise on MNIST-sized layers, without transposes.

def im2col_array(x, kernel, stride, pads, dilation):
    """Im2Col's forward on arrays: (N, C, H, W) -> (N, C, kh, kw, Ho, Wo).

    >>> im2col_array(np.ones((1, 1, 4, 4)), (3, 3), (1, 1), ((0, 0), (0, 0)), (1, 1)).shape
    """
    x = frame(x, pads)
    windows = sliding_window_view(x, span(kernel, dilation), axis=(2, 3))
    windows = windows[:, :, :: stride[0], :: stride[1], :: dilation[0], :: dilation[1]]
    return np.ascontiguousarray(windows.transpose(0, 1, 4, 5, 2, 3))


def col2im_array(cols, shape, kernel, stride, pads, dilation):
    """Col2Im's forward on arrays: columns added back into an image of `shape`.

    >>> col2im_array(cols, (1, 1, 4, 4), (3, 3), (1, 1), ((0, 0), (0, 0)), (1, 1))
    """
    n, c, kh, kw, ho, wo = cols.shape
    (sh, sw), (dh, dw) = stride, dilation
    padded = tuple(size + before + after for size, (before, after) in zip(shape[2:], pads))
    out = np.zeros((n, c) + padded, dtype=cols.dtype)
    # kh * kw strided adds, each over the whole batch: overlapping patches accumulate.
    for i in range(kh):
        for j in range(kw):
            out[:, :, i * dh : i * dh + sh * ho : sh, j * dw : j * dw + sw * wo : sw] += (
                cols[:, :, i, j])
    return frame(out, negated(pads))


class Im2Col(ag.Function):
    """Patches of a zero-padded NCHW image (its backward is Col2Im):

    cols[n, c, i, j, r, s] = padded[n, c, r sh + i dh, s sw + j dw]

    >>> Im2Col.apply(x, kernel=(3, 3), stride=(1, 1), pads=((1, 1), (1, 1)), dilation=(1, 1))
    """

    __slots__ = ("in_shape", "kernel", "stride", "pads", "dilation")
    array_backward = True

    @staticmethod
    def forward(ctx, x, kernel, stride, pads, dilation=(1, 1)):
        ctx.in_shape, ctx.kernel, ctx.stride = x.shape, kernel, stride
        ctx.pads, ctx.dilation = pads, dilation
        return im2col_array(x, kernel, stride, pads, dilation)

    @staticmethod
    def backward(ctx, gcols):
        return col2im_any(gcols, ctx.in_shape, ctx.kernel, ctx.stride, ctx.pads, ctx.dilation)


class Col2Im(ag.Function):
    """Adds each patch back where Im2Col took it from, then crops the padding (Im2Col's adjoint).

    >>> Col2Im.apply(cols, shape=(1, 2, 5, 5), kernel=(3, 3), stride=(1, 1),
    ...              pads=((0, 0), (0, 0)), dilation=(1, 1))
    """

    __slots__ = ("kernel", "stride", "pads", "dilation")
    array_backward = True

    @staticmethod
    def forward(ctx, cols, shape, kernel, stride, pads, dilation=(1, 1)):
        expected = (shape[0], shape[1]) + kernel + output_size(shape, kernel, stride, pads,
                                                               dilation, "col2im")
        if cols.shape != expected:
            raise ValueError(
                f"col2im: columns of shape {cols.shape} do not fit an image of shape "
                f"{tuple(shape)} with kernel {kernel}, stride {stride}, pads {pads}, "
                f"dilation {dilation} (expected {expected})"
            )
        ctx.kernel, ctx.stride, ctx.pads, ctx.dilation = kernel, stride, pads, dilation
        return col2im_array(cols, shape, kernel, stride, pads, dilation)

    @staticmethod
    def backward(ctx, gx):
        return im2col_any(gx, ctx.kernel, ctx.stride, ctx.pads, ctx.dilation)


# The backward formulas call these: raw arrays in a first-order sweep (fast, nothing recorded),
# Tensors under create_graph (recorded, so the result can be differentiated again).
def im2col_any(x, kernel, stride, pads, dilation):
    """Im2Col of a Tensor (recorded) or of an array (not).  >>> im2col_any(gx, *options)"""
    if isinstance(x, ag.Tensor):
        return Im2Col.apply(x, kernel=kernel, stride=stride, pads=pads, dilation=dilation)
    return im2col_array(x, kernel, stride, pads, dilation)


def col2im_any(cols, shape, kernel, stride, pads, dilation):
    """Col2Im of a Tensor (recorded) or of an array (not).  >>> col2im_any(g, shape, *options)"""
    if isinstance(cols, ag.Tensor):
        return Col2Im.apply(cols, shape=tuple(shape), kernel=kernel, stride=stride, pads=pads,
                            dilation=dilation)
    return col2im_array(cols, shape, kernel, stride, pads, dilation)


def check_rank(shape, rank, who):
    """ValueError naming `who` unless an input has `rank` dims: (N, C, L) or (N, C, H, W).

    >>> check_rank((2, 3, 28, 28), 4, "conv2d")                 # passes
    """
    if len(shape) != rank:
        layout = {3: "(N, C, L)", 4: "(N, C, H, W)"}[rank]
        raise ValueError(f"{who}: expected a {rank}-D input {layout}, got shape {tuple(shape)}")


def _lowering_args(kernel_size, stride, padding, dilation, who):
    kernel = pair(kernel_size, "kernel_size", who, 1)
    stride, dilation = pair(stride, "stride", who, 1), pair(dilation, "dilation", who, 1)
    return kernel, stride, symmetric(pair(padding, "padding", who, 0)), dilation


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    """The im2col columns of an NCHW tensor, shape (N, C, kh, kw, Ho, Wo).

    >>> cols = im2col(ag.randn(2, 3, 5, 5), 3)                    # (2, 3, 3, 3, 3, 3)
    >>> cols.reshape(2, 27, 9)                                    # each image's Toeplitz matrix
    """
    x = as_tensor(x)
    check_rank(x.shape, 4, "im2col")
    kernel, stride, pads, dilation = _lowering_args(kernel_size, stride, padding, dilation,
                                                    "im2col")
    output_size(x.shape, kernel, stride, pads, dilation, "im2col")
    return Im2Col.apply(x, kernel=kernel, stride=stride, pads=pads, dilation=dilation)


def col2im(cols, input_shape, kernel_size, stride=1, padding=0, dilation=1):
    """Sum im2col columns back into an image of `input_shape` (the adjoint of im2col).

    >>> counts = col2im(im2col(ag.ones(1, 1, 4, 4), 3), (1, 1, 4, 4), 3)
    >>> counts[0, 0]                              # how many 3x3 patches cover each pixel
    """
    kernel, stride, pads, dilation = _lowering_args(kernel_size, stride, padding, dilation,
                                                    "col2im")
    check_rank(tuple(input_shape), 4, "col2im")
    return Col2Im.apply(as_tensor(cols), shape=tuple(input_shape), kernel=kernel, stride=stride,
                        pads=pads, dilation=dilation)
