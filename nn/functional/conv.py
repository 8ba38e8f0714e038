"""Convolutions on NCL and NCHW tensors with PyTorch's arguments: conv1d, conv2d and
conv_transpose2d, their argument checks, and the output-size rules.

conv1d and conv2d run one Convolution2d node (a 1-D signal is an image one row high).
conv_transpose2d is the adjoint of conv2d with respect to its input, composed from the same
pieces: the filters' transpose times the input gives one column per input pixel, and Col2Im adds
the columns into the output, so its derivatives of every order come from those of matmul and
Col2Im.
"""

from .convolution import Convolution2d
from .im2col import Col2Im, as_tensor, check_rank, is_int, ntuple, output_size, symmetric

_WEIGHT_LAYOUT = {1: "(out, in/groups, k)", 2: "(out, in/groups, kh, kw)"}
_TRANSPOSED_LAYOUT = {2: "(in, out/groups, kh, kw)"}


def positive_int(value, what, who):
    """An int >= 1 (channels, groups); ValueError naming `who` otherwise.

    >>> positive_int(2, "groups", "Conv2d")                     # 2
    """
    if not is_int(value) or value < 1:
        raise ValueError(f"{who}: {what} must be a positive int, got {value!r}")
    return int(value)


def conv_pads(padding, kernel, stride, dilation, who):
    """Per-side pads from an int, a tuple, "valid" or "same" (PyTorch's conv padding).

    "same" keeps the input size at stride 1: d (k - 1) cells in all, half before, the odd one
    after (bottom/right), as PyTorch does.

    >>> conv_pads("same", (4,), (1,), (1,), "conv1d")          # ((1, 2),)
    """
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * len(kernel)
        if padding == "same":
            if any(s != 1 for s in stride):
                raise ValueError(f"{who}: padding='same' needs stride 1 (as in PyTorch), got "
                                 f"stride {stride}")
            totals = [d * (k - 1) for k, d in zip(kernel, dilation)]
            return tuple((total // 2, total - total // 2) for total in totals)
        raise ValueError(f"{who}: padding must be an int, a tuple of ints, 'valid' or 'same', "
                         f"got {padding!r}")
    return symmetric(ntuple(padding, len(kernel), "padding", who, 0))


def check_conv_ranks(x_shape, weight_shape, dims, who, layout=_WEIGHT_LAYOUT):
    """ValueError naming `who` unless the input and the weight have 2 + dims dimensions.

    >>> check_conv_ranks((8, 3, 100), (16, 3, 5), 1, "conv1d")  # passes
    """
    if len(weight_shape) != dims + 2:
        raise ValueError(f"{who}: weight must be {dims + 2}-D {layout[dims]}, got shape "
                         f"{tuple(weight_shape)}")
    check_rank(x_shape, dims + 2, who)


def _check_bias(bias_shape, channels, weight_shape, who):
    if bias_shape is not None and tuple(bias_shape) != (channels,):
        raise ValueError(f"{who}: bias must have shape ({channels},) for weight "
                         f"{tuple(weight_shape)}, got {tuple(bias_shape)}")


def _check_channels(x_shape, channels, weight_shape, groups, who):
    if x_shape[1] != channels:
        extra = f" (weight {tuple(weight_shape)}, groups={groups})" if groups > 1 else ""
        raise ValueError(f"{who}: expected input with {channels} channels{extra}, got shape "
                         f"{tuple(x_shape)}")


def check_conv_input(x_shape, weight_shape, bias_shape, stride, pads, dilation, groups, who):
    """Raise a ValueError naming `who` and the shapes unless a convolution can run.

    >>> check_conv_input((1, 4, 5, 5), (6, 2, 3, 3), (6,), (1, 1), ((1, 1), (1, 1)), (1, 1), 2,
    ...                  "conv2d")                              # passes: 2 groups of 2 channels
    """
    check_conv_ranks(x_shape, weight_shape, len(stride), who)
    if weight_shape[0] % groups:
        raise ValueError(f"{who}: groups={groups} does not divide the {weight_shape[0]} output "
                         f"channels of weight {tuple(weight_shape)}")
    _check_channels(x_shape, weight_shape[1] * groups, weight_shape, groups, who)
    _check_bias(bias_shape, weight_shape[0], weight_shape, who)
    output_size(x_shape, tuple(weight_shape[2:]), stride, pads, dilation, who)


def convolve(x, weight, bias, stride, pads, dilation, groups, who):
    """conv1d or conv2d (after the length of `stride`) on arguments already read: n-tuples,
    per-side pads. Checks the shapes, then runs one Convolution2d node.

    >>> convolve(x, w, None, (1,), ((1, 1),), (1,), 1, "conv1d")
    """
    check_conv_input(x.shape, weight.shape, None if bias is None else bias.shape, stride, pads,
                     dilation, groups, who)
    if len(stride) == 2:
        return Convolution2d.apply(x, weight, bias, stride=stride, pads=pads, dilation=dilation,
                                   groups=groups)
    n, channels, length = x.shape
    rows = Convolution2d.apply(x.reshape(n, channels, 1, length),
                               weight.reshape(weight.shape[:2] + (1,) + weight.shape[2:]), bias,
                               stride=(1,) + stride, pads=((0, 0),) + pads,
                               dilation=(1,) + dilation, groups=groups)
    return rows.reshape(n, weight.shape[0], rows.shape[3])


def _convolution(x, weight, bias, stride, padding, dilation, groups, dims, who):
    x, weight = as_tensor(x), as_tensor(weight)
    bias = None if bias is None else as_tensor(bias)
    stride = ntuple(stride, dims, "stride", who, 1)
    dilation = ntuple(dilation, dims, "dilation", who, 1)
    groups = positive_int(groups, "groups", who)
    check_conv_ranks(x.shape, weight.shape, dims, who)
    pads = conv_pads(padding, tuple(weight.shape[2:]), stride, dilation, who)
    return convolve(x, weight, bias, stride, pads, dilation, groups, who)


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D convolution (PyTorch's cross-correlation) of (N, C, L) `x` with (out, in/groups, k)
    filters: y[n, o, l] = b[o] + sum over c, i of w[o, c, i] x[n, c, l stride + i dilation].

    >>> F.conv1d(ag.randn(8, 3, 100), ag.randn(16, 3, 5), padding="same").shape  # (8, 16, 100)

    `padding` is an int, a 1-tuple, "valid" or "same" (stride 1 only); `groups` splits the
    channels into that many independent convolutions.
    """
    return _convolution(x, weight, bias, stride, padding, dilation, groups, 1, "conv1d")


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution (PyTorch's cross-correlation) of NCHW `x` with (out, in/groups, kh, kw)
    filters.

    >>> y = F.conv2d(ag.randn(64, 1, 28, 28), ag.randn(8, 1, 3, 3), padding=1)
    >>> y.shape                                   # (64, 8, 28, 28)

    `stride`, `dilation` and `padding` (zeros) are ints or (rows, columns) pairs; `padding` may
    also be "valid" or "same" (stride 1 only). Output size per axis:
    floor((L + 2 padding - dilation (k - 1) - 1) / stride) + 1.
    """
    return _convolution(x, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


# -- transposed convolution -----------------------------------------------------------------------
def transposed_size(shape, kernel, stride, padding, output_padding, dilation):
    """PyTorch's output size of a transposed convolution, per axis:
    (L - 1) stride - 2 padding + dilation (k - 1) + output_padding + 1.

    >>> transposed_size((1, 1, 7, 7), (4, 4), (2, 2), (1, 1), (0, 0), (1, 1))   # (14, 14)
    """
    return tuple((n - 1) * s - 2 * p + d * (k - 1) + extra + 1 for n, k, s, p, extra, d in
                 zip(shape[2:], kernel, stride, padding, output_padding, dilation))


def check_transposed_input(x_shape, weight_shape, bias_shape, stride, padding, output_padding,
                           dilation, groups, who):
    """Raise a ValueError naming `who` and the shapes unless a transposed convolution can run.

    >>> check_transposed_input((1, 8, 7, 7), (8, 4, 4, 4), None, (2, 2), (1, 1), (0, 0), (1, 1),
    ...                        1, "conv_transpose2d")           # passes
    """
    check_conv_ranks(x_shape, weight_shape, len(stride), who, _TRANSPOSED_LAYOUT)
    if weight_shape[0] % groups:
        raise ValueError(f"{who}: groups={groups} does not divide the {weight_shape[0]} input "
                         f"channels of weight {tuple(weight_shape)}")
    _check_channels(x_shape, weight_shape[0], weight_shape, 1, who)
    _check_bias(bias_shape, weight_shape[1] * groups, weight_shape, who)
    size = transposed_size(x_shape, weight_shape[2:], stride, padding, output_padding, dilation)
    if min(size) < 1:
        raise ValueError(f"{who}: the output size {size} is not positive (input shape "
                         f"{tuple(x_shape)}, kernel {tuple(weight_shape[2:])}, stride {stride}, "
                         f"padding {padding}, dilation {dilation})")


def check_output_padding(output_padding, stride, dilation, who):
    """PyTorch's rule: output_padding < stride or output_padding < dilation, per axis.

    >>> check_output_padding((1, 1), (2, 2), (1, 1), "conv_transpose2d")   # passes
    """
    if any(extra >= max(s, d) for extra, s, d in zip(output_padding, stride, dilation)):
        raise ValueError(f"{who}: output_padding {output_padding} must be smaller than the "
                         f"stride {stride} or the dilation {dilation}")


def transpose_convolve(x, weight, bias, stride, padding, output_padding, dilation, groups, who):
    """conv_transpose2d on arguments already read (pairs), after the shape checks.

    >>> transpose_convolve(x, w, None, (2, 2), (1, 1), (0, 0), (1, 1), 1, "conv_transpose2d")
    """
    check_transposed_input(x.shape, weight.shape, None if bias is None else bias.shape, stride,
                           padding, output_padding, dilation, groups, who)
    n, in_channels, height, width = x.shape
    _, group_out, kh, kw = weight.shape
    filters = weight.reshape(groups, in_channels // groups, group_out * kh * kw)
    pixels = x.reshape(n, groups, in_channels // groups, height * width)
    cols = (filters.swapaxes(1, 2) @ pixels).reshape(n, groups * group_out, kh, kw, height,
                                                     width)
    size = transposed_size(x.shape, (kh, kw), stride, padding, output_padding, dilation)
    # The output is the image whose convolution has x's size: col2im into it, its `padding`
    # cropped on both sides and output_padding more cells kept at the bottom and right.
    pads = tuple((p, p - extra) for p, extra in zip(padding, output_padding))
    y = Col2Im.apply(cols, shape=(n, groups * group_out) + size, kernel=(kh, kw), stride=stride,
                     pads=pads, dilation=dilation)
    return y if bias is None else y + bias.reshape(1, -1, 1, 1)


def conv_transpose2d(x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """Transposed 2-D convolution (the gradient of conv2d with respect to its input) of NCHW
    `x` with (in, out/groups, kh, kw) filters, as PyTorch's.

    >>> F.conv_transpose2d(ag.randn(1, 8, 7, 7), ag.randn(8, 4, 4, 4), stride=2,
    ...                    padding=1).shape                       # (1, 4, 14, 14)

    Output size (L - 1) stride - 2 padding + dilation (k - 1) + output_padding + 1 per axis;
    output_padding (< stride or < dilation) picks among the sizes that convolve back to L.
    """
    who = "conv_transpose2d"
    x, weight = as_tensor(x), as_tensor(weight)
    bias = None if bias is None else as_tensor(bias)
    stride, padding, output_padding, dilation = transposed_args(
        stride, padding, output_padding, dilation, who)
    groups = positive_int(groups, "groups", who)
    return transpose_convolve(x, weight, bias, stride, padding, output_padding, dilation, groups,
                              who)


def transposed_args(stride, padding, output_padding, dilation, who):
    """(stride, padding, output_padding, dilation) of a transposed convolution as checked pairs.

    >>> transposed_args(2, 1, 1, 1, "conv_transpose2d")  # ((2, 2), (1, 1), (1, 1), (1, 1))
    """
    stride = ntuple(stride, 2, "stride", who, 1)
    padding = ntuple(padding, 2, "padding", who, 0)
    output_padding = ntuple(output_padding, 2, "output_padding", who, 0)
    dilation = ntuple(dilation, 2, "dilation", who, 1)
    check_output_padding(output_padding, stride, dilation, who)
    return stride, padding, output_padding, dilation

