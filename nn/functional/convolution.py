"""Convolution2d: the fused primitive behind conv1d and conv2d (im2col, a grouped filter
product and the bias in one node), with a fast first-order backward on arrays and a recorded
one, built from Im2Col and Col2Im, for higher orders."""

import numpy as np

import autograd_core as ag

from .im2col import Col2Im, Im2Col, col2im_array, frame, im2col_array, negated, span

# Stride 1 uses a "flat" column layout. Read each padded image as one row of Hp Wp pixels:
# output position p = r Wp + s (r < Ho, s < Wp) sees pixel p + i dh Wp + j dw under filter
# offset (i, j), so each offset's columns are ONE contiguous run of L = (Ho - 1) Wp + Wo pixels,
# and col2im is kh kw additions of such runs. The positions with s >= Wo wrap around a row's
# end: their outputs are dropped and their gradients set to zero. Against the (kh, kw, Ho, Wo)
# layout, whose copies and additions run over rows of only Wo pixels, this took 0.4x the time
# for the columns and col2im of a 13x13 input, for at most Wp / Wo (here 13/11) more matmul.

def _flat_offsets(kernel, dilation, wp):
    (kh, kw), (dh, dw) = kernel, dilation
    return [i * dh * wp + j * dw for i in range(kh) for j in range(kw)]


def _flat_cols(padded, kernel, dilation):
    """(N, C, Hp, Wp) -> (N, C kh kw, L) columns in the flat layout (a new array)."""
    n, c, hp, wp = padded.shape
    reach_h, reach_w = span(kernel, dilation)
    length = (hp - reach_h) * wp + wp - reach_w + 1
    pixels = padded.reshape(n, c, hp * wp)
    offsets = _flat_offsets(kernel, dilation, wp)
    cols = np.empty((n, c, len(offsets), length), dtype=padded.dtype)
    for k, offset in enumerate(offsets):
        cols[:, :, k] = pixels[:, :, offset : offset + length]
    return cols.reshape(n, c * len(offsets), length)


def _flat_col2im(gcols, padded_shape, kernel, dilation):
    """Columns (N, C kh kw, L) in the flat layout summed back into a padded image (N, C, Hp, Wp)."""
    n, c, hp, wp = padded_shape
    offsets = _flat_offsets(kernel, dilation, wp)
    length = gcols.shape[2]
    gcols = gcols.reshape(n, c, len(offsets), length)
    out = np.zeros((n, c, hp * wp), dtype=gcols.dtype)
    for k, offset in enumerate(offsets):
        out[:, :, offset : offset + length] += gcols[:, :, k]
    return out.reshape(padded_shape)


class Convolution2d(ag.Function):
    """y = conv2d(x, weight) + bias in one node: im2col, one grouped (out, patch) @ (patch,
    positions) product per image (batched by matmul's broadcasting), then the bias.

    With g groups the channels split into g consecutive blocks and block k of the output sees
    only block k of the input: filters (g, out/g, patch) times columns (N, g, patch, positions).
    Backward is the matmul rule followed by the split rule, with G the upstream gradient as
    (N, g, out/g, positions) and X the im2col matrices: dW = sum over images of G X^T, db = G
    summed over images and positions, dx = col2im(W^T G). A first-order sweep reuses the
    forward's columns (at stride 1 with dx wanted, in the flat layout above); under create_graph
    they are rebuilt from x by Im2Col (recorded), and the same formula, written with operators,
    Im2Col and Col2Im, gives derivatives of every order.

    >>> y = Convolution2d.apply(x, weight, bias, stride=(1, 1), pads=((0, 0), (0, 0)),
    ...                         dilation=(1, 1), groups=1)
    """

    __slots__ = ("stride", "pads", "dilation", "groups", "flat")
    array_backward = True

    @staticmethod
    def forward(ctx, x, weight, bias, stride, pads, dilation=(1, 1), groups=1):
        out_channels, group_in, kh, kw = weight.shape
        n, patch = x.shape[0], group_in * kh * kw
        filters = weight.reshape(groups, out_channels // groups, patch)
        column = None if bias is None else bias.reshape(out_channels, 1, 1)
        wants = ctx.needs_input_grad
        # The flat layout pays off through col2im, so it is used only when dx is wanted: it
        # costs one more output-sized array (the wrapped positions) each way.
        flat = stride == (1, 1) and wants[0]
        ctx.stride, ctx.pads, ctx.dilation, ctx.groups, ctx.flat = (stride, pads, dilation,
                                                                    groups, flat)
        if flat:
            padded = frame(x, pads)
            hp, wp = padded.shape[2:]
            reach_h, reach_w = span((kh, kw), dilation)
            ho, wo = hp - reach_h + 1, wp - reach_w + 1
            cols = _flat_cols(padded, (kh, kw), dilation)
            length = cols.shape[2]
            rows = np.empty((n, out_channels, ho * wp), dtype=np.result_type(filters, cols))
            grouped = rows.reshape(n, groups, out_channels // groups, ho * wp)
            np.matmul(filters, cols.reshape(n, groups, patch, length),
                      out=grouped[:, :, :, :length])
            y = rows.reshape(n, out_channels, ho, wp)[:, :, :, :wo]  # drop the wrapped ones
            y = np.ascontiguousarray(y) if column is None else y + column
        else:
            cols = im2col_array(x, (kh, kw), stride, pads, dilation)
            ho, wo = cols.shape[4:]
            cols = cols.reshape(n, groups, patch, ho * wo)
            y = np.matmul(filters, cols).reshape(n, out_channels, ho, wo)
            if column is not None:
                if np.result_type(y, column) == y.dtype:
                    y += column  # in place: no second (N, out, Ho, Wo) array
                else:
                    y = y + column
        # x and the weight for create_graph; the columns (only if dW is wanted) for a fast
        # first-order sweep.
        ctx.save_for_backward(x, weight, cols if wants[1] else None)
        return y

    @staticmethod
    def backward(ctx, gy):
        x, weight, cols = ctx.saved_tensors
        if isinstance(gy, ag.Tensor):
            return _recorded_backward(ctx, x, weight, gy)
        wants = ctx.needs_input_grad
        gx = gw = gb = None
        if wants[2]:
            gb = gy.sum(axis=(0, 2, 3))
        if wants[0] or wants[1]:
            g = _grouped_gradient(ctx, gy, x.shape)
            if wants[1]:
                gw = np.matmul(g, cols.reshape(g.shape[:2] + (-1, g.shape[3])).swapaxes(2, 3))
                gw = gw.sum(axis=0).reshape(weight.shape)
            if wants[0]:
                gx = _input_gradient(ctx, weight, g, x.shape, gy.shape)
        return gx, gw, gb


def _grouped_gradient(ctx, gy, in_shape):
    """The upstream gradient as (N, g, out/g, positions), on the flat layout's positions (zero
    at the wrapped ones) when the forward used it."""
    n, out_channels, ho, wo = gy.shape
    grouped = (n, ctx.groups, out_channels // ctx.groups, -1)
    if not ctx.flat:
        return gy.reshape(grouped)
    (_, (left, right)) = ctx.pads
    wp = in_shape[3] + left + right
    rows = np.zeros((n, out_channels, ho, wp), dtype=gy.dtype)
    rows[:, :, :, :wo] = gy
    length = (ho - 1) * wp + wo
    return rows.reshape(n, out_channels, ho * wp)[:, :, :length].reshape(grouped)


def _input_gradient(ctx, weight, g, in_shape, out_shape):
    """dx = col2im(W^T G) on arrays, in the layout the forward used."""
    out_channels, group_in, kh, kw = weight.shape
    n, channels = in_shape[:2]
    filters = weight.reshape(ctx.groups, out_channels // ctx.groups, group_in * kh * kw)
    gcols = np.matmul(filters.swapaxes(1, 2), g)  # (N, g, patch, positions)
    if ctx.flat:
        ((top, bottom), (left, right)) = ctx.pads
        padded_shape = (n, channels, in_shape[2] + top + bottom, in_shape[3] + left + right)
        gx = _flat_col2im(gcols.reshape(n, channels * kh * kw, -1), padded_shape, (kh, kw),
                          ctx.dilation)
        return frame(gx, negated(ctx.pads))
    gcols = gcols.reshape((n, channels, kh, kw) + tuple(out_shape[2:]))
    return col2im_array(gcols, in_shape, (kh, kw), ctx.stride, ctx.pads, ctx.dilation)


def _recorded_backward(ctx, x, weight, gy):
    """Convolution2d's backward on Tensors (create_graph): recorded, so differentiable again."""
    wants, groups = ctx.needs_input_grad, ctx.groups
    out_channels, group_in, kh, kw = weight.shape
    n, _, ho, wo = gy.shape
    patch = group_in * kh * kw
    g = gy.reshape(n, groups, out_channels // groups, ho * wo)
    options = {"kernel": (kh, kw), "stride": ctx.stride, "pads": ctx.pads,
               "dilation": ctx.dilation}
    gx = gw = gb = None
    if wants[1]:  # dW must see the columns depend on x: rebuilt by Im2Col
        cols = Im2Col.apply(x, **options).reshape(n, groups, patch, ho * wo)
        gw = (g @ cols.swapaxes(2, 3)).sum(axis=0).reshape(weight.shape)
    if wants[2]:
        gb = gy.sum(axis=(0, 2, 3))
    if wants[0]:
        filters = weight.reshape(groups, out_channels // groups, patch)
        gcols = (filters.swapaxes(1, 2) @ g).reshape(n, x.shape[1], kh, kw, ho, wo)
        gx = Col2Im.apply(gcols, shape=tuple(x.shape), **options)
    return gx, gw, gb
