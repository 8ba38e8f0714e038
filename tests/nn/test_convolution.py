"""Tests for nn/functional/convolution.py: the fused Convolution2d primitive (grouped filters
times im2col columns, the flat stride-1 layout), its Jacobians written out by hand (Toeplitz
and im2col matrices), gradcheck and gradgradcheck of every path, and its first-order fast
backward against the same formula composed from Im2Col and matmul."""

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import check_jacobian, gradcheck, gradgradcheck
from nn.functional.convolution import Convolution2d
from nn.functional.im2col import Im2Col, im2col


def leaf(array):
    return ag.tensor(np.asarray(array, dtype=np.float64), requires_grad=True)


def as_pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _check_both(f, inputs):
    assert gradcheck(f, inputs)
    assert gradgradcheck(f, inputs)


def test_conv_is_filters_times_im2col_matrix(rng):
    x, w = rng.standard_normal((2, 3, 6, 5)), rng.standard_normal((4, 3, 3, 2))
    y = F.conv2d(ag.tensor(x), ag.tensor(w), stride=(2, 1), padding=1, dilation=(1, 2))
    cols = im2col(ag.tensor(x), (3, 2), (2, 1), 1, (1, 2)).data
    n, _, _, _, ho, wo = cols.shape
    product = w.reshape(4, -1) @ cols.reshape(n, -1, ho * wo)
    np.testing.assert_allclose(y.data.reshape(n, 4, -1), product, atol=1e-12)


def toeplitz(x_shape, w, stride, padding):
    """The matrix T with conv(x).ravel() = T @ x.ravel() for one image (zero padding dropped)."""
    (sh, sw), (ph, pw) = as_pair(stride), as_pair(padding)
    _, channels, height, width = x_shape
    out_channels, _, kh, kw = w.shape
    ho, wo = (height + 2 * ph - kh) // sh + 1, (width + 2 * pw - kw) // sw + 1
    t = np.zeros((out_channels, ho, wo, channels, height, width))
    for o in range(out_channels):
        for r in range(ho):
            for s in range(wo):
                for c in range(channels):
                    for i in range(kh):
                        for j in range(kw):
                            h, v = r * sh + i - ph, s * sw + j - pw
                            if 0 <= h < height and 0 <= v < width:
                                t[o, r, s, c, h, v] = w[o, c, i, j]
    return t.reshape(out_channels * ho * wo, channels * height * width)


# (input shape, weight shape, stride, padding)
JACOBIAN_CASES = [
    ((1, 3, 6, 5), (4, 3, 3, 3), 1, 0),
    ((1, 2, 7, 7), (3, 2, 3, 3), 2, 1),
    ((1, 1, 5, 8), (2, 1, 2, 3), (1, 2), (2, 0)),
]


@pytest.mark.parametrize("x_shape, w_shape, stride, padding", JACOBIAN_CASES)
def test_conv_jacobians_are_toeplitz_and_im2col(rng, x_shape, w_shape, stride, padding):
    x = leaf(rng.standard_normal((1,) + x_shape[1:]))
    w = leaf(rng.standard_normal(w_shape))
    # d y / d x is the Toeplitz matrix of the filters.
    expected = toeplitz(x.shape, w.data, stride, padding)
    check_jacobian(lambda x: F.conv2d(x, w, stride=stride, padding=padding), x, expected)
    # d y[o, l] / d w[o', k] = [o = o'] im2col(x)[k, l]: the matmul rule, Y = W M gives dW = G M^T.
    cols = im2col(ag.tensor(x.data), w_shape[2:], stride, padding).data
    m = cols.reshape(-1, cols.shape[4] * cols.shape[5])
    jac = np.einsum("ap,kl->alpk", np.eye(w_shape[0]), m).reshape(w_shape[0] * m.shape[1], -1)
    check_jacobian(lambda w: F.conv2d(x, w, stride=stride, padding=padding), w, jac)





# (input shape, weight shape, stride, pads, dilation, groups): stride 1 runs the flat column
# layout when dx is wanted and the (kh, kw, Ho, Wo) layout when it is not.
PRIMITIVE_CASES = [
    ((2, 2, 5, 4), (3, 2, 2, 3), (1, 1), ((1, 1), (0, 0)), (1, 1), 1),
    ((1, 3, 4, 5), (2, 3, 3, 3), (1, 1), ((0, 0), (0, 0)), (1, 1), 1),
    ((1, 2, 5, 5), (2, 2, 3, 2), (2, 1), ((1, 1), (1, 1)), (1, 1), 1),
    ((1, 4, 5, 5), (2, 2, 2, 2), (1, 1), ((0, 1), (1, 0)), (2, 1), 2),
]


@pytest.mark.parametrize("x_shape, w_shape, stride, pads, dilation, groups", PRIMITIVE_CASES)
@pytest.mark.parametrize("wanted", ["all", "no dx", "no bias"])
def test_convolution2d_primitive_gradcheck_gradgradcheck(rng, x_shape, w_shape, stride, pads,
                                                         dilation, groups, wanted):
    x, w, b = (leaf(rng.standard_normal(s)) for s in (x_shape, w_shape, w_shape[:1]))
    options = {"stride": stride, "pads": pads, "dilation": dilation, "groups": groups}
    if wanted == "no dx":
        constant = ag.tensor(x.data)
        _check_both(lambda w, b: Convolution2d.apply(constant, w, b, **options), (w, b))
    elif wanted == "no bias":
        _check_both(lambda x, w: Convolution2d.apply(x, w, None, **options), (x, w))
    else:
        _check_both(lambda x, w, b: Convolution2d.apply(x, w, b, **options), (x, w, b))


@pytest.mark.parametrize("x_shape, w_shape, stride, pads, dilation, groups", PRIMITIVE_CASES)
def test_convolution2d_first_order_gradients_match_the_composed_im2col_formula(
        rng, x_shape, w_shape, stride, pads, dilation, groups):
    x, w, b = (leaf(rng.standard_normal(s)) for s in (x_shape, w_shape, w_shape[:1]))
    options = {"stride": stride, "pads": pads, "dilation": dilation, "groups": groups}
    y = Convolution2d.apply(x, w, b, **options)
    g = rng.standard_normal(y.shape)
    y.backward(ag.tensor(g))
    fused = [t.grad.data.copy() for t in (x, w, b)]
    for t in (x, w, b):
        t.grad = None
    cols = Im2Col.apply(  # the same map from Im2Col and matmul
        x, kernel=w_shape[2:], stride=stride, pads=pads, dilation=dilation)
    n, _, _, _, ho, wo = cols.shape
    filters = w.reshape(groups, w_shape[0] // groups, -1)
    y = filters @ cols.reshape(n, groups, -1, ho * wo)
    y = y.reshape(n, w_shape[0], ho, wo) + b.reshape(1, -1, 1, 1)
    y.backward(ag.tensor(g))
    for found, t in zip(fused, (x, w, b)):
        np.testing.assert_allclose(found, t.grad.data, rtol=1e-10, atol=1e-12)


def test_float32_stays_float32(rng):
    x = ag.tensor(rng.standard_normal((2, 3, 6, 6)).astype(np.float32), requires_grad=True)
    for conv in (nn.Conv2d(3, 4, 3, dtype=np.float32), nn.Conv2d(3, 4, 3, dilation=2, groups=1,
                                                                  dtype=np.float32),
                 nn.ConvTranspose2d(3, 4, 3, stride=2, dtype=np.float32)):
        y = conv(x)
        y.sum().backward()
        assert y.dtype == np.float32
        assert x.grad.dtype == np.float32 and conv.weight.grad.dtype == np.float32
        x.grad = None
