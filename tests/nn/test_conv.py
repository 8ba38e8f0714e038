"""Tests for nn/functional/conv.py and nn/layers/conv.py: convolution lowered to im2col, pooling.

The primitives Im2Col, Col2Im, Convolution2d and MaxPool get gradcheck and gradgradcheck
here; the course's rules (conv = filters @ im2col matrix, average pooling divides equally, max
pooling routes to the arg-max) are checked against Jacobians written out by hand with explicit
loops.
"""

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import check_jacobian, gradcheck, gradgradcheck
from nn.functional.conv import Col2Im, Convolution2d, Im2Col, MaxPool, col2im, im2col

# (input shape, weight shape, stride, padding)
CONV_CASES = [
    ((2, 3, 6, 5), (4, 3, 3, 3), 1, 0),
    ((1, 2, 7, 7), (3, 2, 3, 3), 2, 1),
    ((2, 1, 5, 8), (2, 1, 2, 3), (1, 2), (2, 0)),
    ((1, 2, 4, 4), (1, 2, 4, 4), 1, 0),  # kernel as large as the input: one output pixel
    ((1, 1, 3, 3), (2, 1, 5, 5), 1, 1),  # kernel larger than the input, fits once padded
]


def leaf(array):
    return ag.tensor(np.asarray(array, dtype=np.float64), requires_grad=True)


def as_pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def naive_conv(x, w, b, stride, padding):
    """Cross-correlation with six explicit loops, the definition the lectures start from."""
    (sh, sw), (ph, pw) = as_pair(stride), as_pair(padding)
    n_images, channels, height, width = x.shape
    out_channels, _, kh, kw = w.shape
    padded = np.zeros((n_images, channels, height + 2 * ph, width + 2 * pw))
    padded[:, :, ph : ph + height, pw : pw + width] = x
    ho, wo = (height + 2 * ph - kh) // sh + 1, (width + 2 * pw - kw) // sw + 1
    y = np.zeros((n_images, out_channels, ho, wo))
    for n in range(n_images):
        for o in range(out_channels):
            for r in range(ho):
                for s in range(wo):
                    total = b[o]
                    for c in range(channels):
                        for i in range(kh):
                            for j in range(kw):
                                total += w[o, c, i, j] * padded[n, c, r * sh + i, s * sw + j]
                    y[n, o, r, s] = total
    return y


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


def im2col_matrix(x, kh, kw, stride, padding):
    """The im2col matrix of one image (C kh kw, Ho Wo), built with loops."""
    (sh, sw), (ph, pw) = as_pair(stride), as_pair(padding)
    channels, height, width = x.shape
    padded = np.zeros((channels, height + 2 * ph, width + 2 * pw))
    padded[:, ph : ph + height, pw : pw + width] = x
    ho, wo = (height + 2 * ph - kh) // sh + 1, (width + 2 * pw - kw) // sw + 1
    m = np.zeros((channels * kh * kw, ho * wo))
    for c in range(channels):
        for i in range(kh):
            for j in range(kw):
                for r in range(ho):
                    for s in range(wo):
                        m[(c * kh + i) * kw + j, r * wo + s] = padded[c, r * sh + i, s * sw + j]
    return m


# -- forward values -----------------------------------------------------------------------------
@pytest.mark.parametrize("x_shape, w_shape, stride, padding", CONV_CASES)
def test_conv_forward_equals_six_loop_convolution(rng, x_shape, w_shape, stride, padding):
    x, w, b = rng.standard_normal(x_shape), rng.standard_normal(w_shape), rng.standard_normal(
        w_shape[0])
    y = F.conv2d(ag.tensor(x), ag.tensor(w), ag.tensor(b), stride=stride, padding=padding)
    expected = naive_conv(x, w, b, stride, padding)
    assert y.shape == expected.shape
    np.testing.assert_allclose(y.data, expected, atol=1e-12)


@pytest.mark.parametrize("x_shape, w_shape, stride, padding", CONV_CASES)
def test_conv_is_filters_times_im2col_matrix(rng, x_shape, w_shape, stride, padding):
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    out_channels, _, kh, kw = w_shape
    y = F.conv2d(ag.tensor(x), ag.tensor(w), stride=stride, padding=padding)
    for n in range(x_shape[0]):
        m = im2col_matrix(x[n], kh, kw, stride, padding)
        product = w.reshape(out_channels, -1) @ m
        np.testing.assert_allclose(y.data[n].reshape(out_channels, -1), product, atol=1e-12)
        cols = im2col(ag.tensor(x), (kh, kw), stride, padding).data[n]
        np.testing.assert_allclose(cols.reshape(m.shape), m)


@pytest.mark.parametrize("x_shape, w_shape, stride, padding", CONV_CASES[:3])
def test_conv_jacobians_are_toeplitz_and_im2col(rng, x_shape, w_shape, stride, padding):
    x = leaf(rng.standard_normal((1,) + x_shape[1:]))
    w = leaf(rng.standard_normal(w_shape))
    # d y / d x is the Toeplitz matrix of the filters.
    expected = toeplitz(x.shape, w.data, stride, padding)
    check_jacobian(lambda x: F.conv2d(x, w, stride=stride, padding=padding), x, expected)
    # d y[o, l] / d w[o', k] = [o = o'] im2col(x)[k, l]: the matmul rule, Y = W M gives dW = G M^T.
    m = im2col_matrix(x.data[0], w_shape[2], w_shape[3], stride, padding)
    out_channels = w_shape[0]
    jac = np.einsum("ap,kl->alpk", np.eye(out_channels), m).reshape(
        out_channels * m.shape[1], -1)
    check_jacobian(lambda w: F.conv2d(x, w, stride=stride, padding=padding), w, jac)


# -- gradients of the primitives and of conv2d ----------------------------------------------------
@pytest.mark.parametrize("kernel, stride, padding", [
    ((2, 2), (1, 1), (0, 0)),
    ((3, 2), (2, 1), (1, 0)),
    ((2, 3), (2, 2), (1, 2)),
    ((3, 3), (3, 3), (0, 0)),  # stride = kernel: no overlap
])
def test_im2col_and_col2im_gradcheck_gradgradcheck(rng, kernel, stride, padding):
    x = leaf(rng.standard_normal((2, 2, 5, 4)))

    def f(x):
        return Im2Col.apply(x, kernel=kernel, stride=stride, padding=padding)

    assert gradcheck(f, x) and gradgradcheck(f, x)
    cols = leaf(rng.standard_normal(f(x).shape))

    def g(cols):
        return Col2Im.apply(cols, shape=x.shape, kernel=kernel, stride=stride, padding=padding)

    assert gradcheck(g, cols) and gradgradcheck(g, cols)


def test_im2col_and_col2im_are_adjoint(rng):
    x = rng.standard_normal((2, 3, 7, 6))
    cols = im2col(ag.tensor(x), (3, 2), stride=(2, 1), padding=(1, 2))
    c = rng.standard_normal(cols.shape)
    back = col2im(ag.tensor(c), x.shape, (3, 2), stride=(2, 1), padding=(1, 2))
    assert np.isclose((cols.data * c).sum(), (x * back.data).sum())


def test_col2im_counts_overlapping_patches():
    counts = col2im(im2col(ag.ones(1, 1, 4, 4), 3), (1, 1, 4, 4), 3).data[0, 0]
    np.testing.assert_array_equal(counts, [[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]])


@pytest.mark.parametrize("x_shape, w_shape, stride, padding", CONV_CASES[:3])
def test_conv2d_gradcheck_gradgradcheck(rng, x_shape, w_shape, stride, padding):
    x_shape = (1,) + x_shape[1:]
    inputs = (leaf(rng.standard_normal(x_shape)), leaf(rng.standard_normal(w_shape)),
              leaf(rng.standard_normal(w_shape[0])))

    def f(x, w, b):
        return F.conv2d(x, w, b, stride=stride, padding=padding)

    assert gradcheck(f, inputs)
    assert gradgradcheck(f, inputs)


# (input shape, weight shape, stride, padding): stride 1 runs the flat column layout when dx is
# wanted and the (kh, kw, Ho, Wo) layout when it is not; other strides always the latter.
CONVOLUTION_PRIMITIVE_CASES = [
    ((2, 2, 5, 4), (3, 2, 2, 3), (1, 1), (1, 0)),
    ((1, 3, 4, 5), (2, 3, 3, 3), (1, 1), (0, 0)),
    ((1, 2, 5, 5), (2, 2, 3, 2), (2, 1), (1, 1)),
]


@pytest.mark.parametrize("x_shape, w_shape, stride, padding", CONVOLUTION_PRIMITIVE_CASES)
@pytest.mark.parametrize("wanted", ["all", "no dx", "no bias"])
def test_convolution2d_primitive_gradcheck_gradgradcheck(rng, x_shape, w_shape, stride, padding,
                                                         wanted):
    x = leaf(rng.standard_normal(x_shape))
    w = leaf(rng.standard_normal(w_shape))
    b = leaf(rng.standard_normal(w_shape[0]))
    if wanted == "no dx":
        constant = ag.tensor(x.data)

        def f(w, b):
            return Convolution2d.apply(constant, w, b, stride=stride, padding=padding)

        inputs = (w, b)
    elif wanted == "no bias":
        def f(x, w):
            return Convolution2d.apply(x, w, None, stride=stride, padding=padding)

        inputs = (x, w)
    else:
        def f(x, w, b):
            return Convolution2d.apply(x, w, b, stride=stride, padding=padding)

        inputs = (x, w, b)
    assert gradcheck(f, inputs) and gradgradcheck(f, inputs)


@pytest.mark.parametrize("x_shape, w_shape, stride, padding", CONVOLUTION_PRIMITIVE_CASES)
def test_convolution2d_first_order_gradients_match_the_composed_im2col_formula(
        rng, x_shape, w_shape, stride, padding):
    x, w, b = (leaf(rng.standard_normal(shape)) for shape in (x_shape, w_shape, w_shape[:1]))
    g = rng.standard_normal(F.conv2d(x, w, b, stride=stride, padding=padding).shape)
    Convolution2d.apply(x, w, b, stride=stride, padding=padding).backward(ag.tensor(g))
    fused = [t.grad.data.copy() for t in (x, w, b)]
    for t in (x, w, b):
        t.grad = None
    cols = im2col(x, w_shape[2:], stride, padding)  # the same map from Im2Col and matmul
    n, _, _, _, ho, wo = cols.shape
    y = w.reshape(w_shape[0], -1) @ cols.reshape(n, -1, ho * wo)
    y = y.reshape(n, w_shape[0], ho, wo) + b.reshape(1, -1, 1, 1)
    y.backward(ag.tensor(g))
    for found, t in zip(fused, (x, w, b)):
        np.testing.assert_allclose(found, t.grad.data, rtol=1e-10, atol=1e-12)


def distinct(rng, shape):
    """Values 0.1 apart in random order: no ties, so finite differences never cross an arg-max."""
    return 0.1 * rng.permutation(int(np.prod(shape))).reshape(shape)


@pytest.mark.parametrize("kernel, stride", [(2, None), (3, 1), (2, 1), ((2, 3), (2, 1))])
def test_pooling_gradcheck_gradgradcheck(rng, kernel, stride):
    x = leaf(distinct(rng, (2, 2, 5, 6)))
    kh, kw = as_pair(kernel)
    stride_pair = (kh, kw) if stride is None else as_pair(stride)

    def f(x):
        return MaxPool.apply(x, kernel=(kh, kw), stride=stride_pair)

    assert gradcheck(f, x) and gradgradcheck(f, x)
    for pool in (F.max_pool2d, F.avg_pool2d):
        assert gradcheck(lambda x, pool=pool: pool(x, kernel, stride), x)
        assert gradgradcheck(lambda x, pool=pool: pool(x, kernel, stride), x)


# -- the course's pooling rules -----------------------------------------------------------------
def windows(height, width, kernel, stride):
    (kh, kw), (sh, sw) = as_pair(kernel), as_pair(stride)
    ho, wo = (height - kh) // sh + 1, (width - kw) // sw + 1
    for r in range(ho):
        for s in range(wo):
            yield r, s, [(r * sh + i, s * sw + j) for i in range(kh) for j in range(kw)]


@pytest.mark.parametrize("kernel, stride", [(2, 2), (3, 1), ((2, 3), (1, 2))])
def test_average_pooling_divides_the_gradient_equally(rng, kernel, stride):
    x = leaf(rng.standard_normal((1, 1, 5, 6)))
    y = F.avg_pool2d(x, kernel, stride)
    expected = np.zeros(y.shape[2:] + (5, 6))
    for r, s, cells in windows(5, 6, kernel, stride):
        for h, v in cells:
            expected[r, s, h, v] = 1.0 / len(cells)
    check_jacobian(lambda x: F.avg_pool2d(x, kernel, stride), x, expected)


@pytest.mark.parametrize("kernel, stride", [(2, 2), (3, 1), ((2, 3), (1, 2))])
def test_max_pooling_routes_the_gradient_to_the_arg_max(rng, kernel, stride):
    x = leaf(distinct(rng, (1, 1, 5, 6)))
    y = F.max_pool2d(x, kernel, stride)
    image = x.data[0, 0]
    expected = np.zeros(y.shape[2:] + (5, 6))
    for r, s, cells in windows(5, 6, kernel, stride):
        h, v = max(cells, key=lambda cell: image[cell])
        assert y.data[0, 0, r, s] == image[h, v]
        expected[r, s, h, v] = 1.0  # 1 for the largest input, 0 for the rest
    check_jacobian(lambda x: F.max_pool2d(x, kernel, stride), x, expected)


def test_max_pooling_ties_go_to_the_first_arg_max_and_overlaps_accumulate():
    x = leaf(np.ones((1, 1, 4, 4)))
    F.max_pool2d(x, 2, stride=1).sum().backward()
    # Each 2x2 window's first (top-left) cell wins; windows share those cells.
    np.testing.assert_array_equal(x.grad.data[0, 0], [[1, 1, 1, 0], [1, 1, 1, 0],
                                                      [1, 1, 1, 0], [0, 0, 0, 0]])
    x = leaf(np.array([[[[1.0, 5.0, 2.0], [0.0, 3.0, 4.0], [1.0, 2.0, 0.5]]]]))
    F.max_pool2d(x, 2, stride=1).sum().backward()
    np.testing.assert_array_equal(x.grad.data[0, 0], [[0, 2, 0], [0, 1, 1], [0, 0, 0]])


def test_max_pool_propagates_nan():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    x[0, 0, 0, 0] = np.nan
    y = F.max_pool2d(ag.tensor(x), 2).data[0, 0]
    assert np.isnan(y[0, 0]) and y[1, 1] == 15.0


def test_max_pool_sends_the_gradient_of_a_nan_window_to_its_first_nan():
    x = leaf(np.arange(16.0).reshape(1, 1, 4, 4))
    x.data[0, 0, 0, 1] = x.data[0, 0, 1, 0] = np.nan
    F.max_pool2d(x, 2).sum().backward()
    expected = np.zeros((4, 4))
    expected[0, 1] = expected[1, 3] = expected[3, 1] = expected[3, 3] = 1.0
    np.testing.assert_array_equal(x.grad.data[0, 0], expected)


@pytest.mark.parametrize("kernel, stride, size", [(2, 2, (5, 7)), (2, 3, (7, 8)), (3, 2, (7, 7))])
def test_max_pool_first_order_matches_the_columns_rule(rng, kernel, stride, size):
    """Disjoint, gapped and overlapping windows, with ties: the gradient of each window goes
    to its first arg-max, added up where windows overlap (the rule written with im2col)."""
    x = leaf(rng.integers(0, 3, (2, 3) + size).astype(np.float64))
    g = rng.standard_normal(F.max_pool2d(x, kernel, stride).shape)
    F.max_pool2d(x, kernel, stride).backward(ag.tensor(g))
    cols = im2col(ag.tensor(x.data), kernel, stride).data  # (N, C, k, k, Ho, Wo)
    n, c, kh, kw, ho, wo = cols.shape
    first = cols.reshape(n, c, kh * kw, ho, wo).argmax(axis=2)  # argmax takes the first
    routes = (first[:, :, None] == np.arange(kh * kw)[:, None, None]).reshape(cols.shape)
    expected = col2im(ag.tensor(routes * g[:, :, None, None]), x.shape, kernel, stride).data
    np.testing.assert_array_equal(x.grad.data, expected)


def test_float32_stays_float32(rng):
    x = ag.tensor(rng.standard_normal((2, 3, 6, 6)).astype(np.float32), requires_grad=True)
    conv = nn.Conv2d(3, 4, 3, dtype=np.float32)
    y = F.max_pool2d(conv(x), 2) + F.avg_pool2d(conv(x), 2)
    y.sum().backward()
    assert y.dtype == np.float32
    assert x.grad.dtype == np.float32 and conv.weight.grad.dtype == np.float32


# -- the layers ---------------------------------------------------------------------------------
def test_conv2d_layer_shapes_init_and_forward(rng):
    conv = nn.Conv2d(3, 8, kernel_size=3, stride=2, padding=1)
    assert conv.weight.shape == (8, 3, 3, 3) and conv.bias.shape == (8,)
    assert [name for name, _ in conv.named_parameters()] == ["weight", "bias"]
    bound = 1 / np.sqrt(3 * 3 * 3)  # U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = in kh kw
    for p in (conv.weight, conv.bias):
        assert np.all(np.abs(p.data) <= bound) and p.requires_grad
    assert np.abs(conv.weight.data).max() > 0.8 * bound  # spread over the range, not a constant
    x = ag.tensor(rng.standard_normal((2, 3, 9, 9)))
    expected = F.conv2d(x, conv.weight, conv.bias, stride=2, padding=1)
    np.testing.assert_array_equal(conv(x).data, expected.data)
    assert conv(x).shape == (2, 8, 5, 5)


def test_conv2d_layer_is_seeded_by_manual_seed():
    ag.manual_seed(3)
    first = nn.Conv2d(2, 4, 3).weight.data
    ag.manual_seed(3)
    np.testing.assert_array_equal(nn.Conv2d(2, 4, 3).weight.data, first)


def test_conv2d_without_bias_and_repr():
    conv = nn.Conv2d(1, 2, (3, 5), stride=(2, 1), padding=1, bias=False)
    assert conv.bias is None and [n for n, _ in conv.named_parameters()] == ["weight"]
    assert repr(conv).startswith(
        "Conv2d(1, 2, kernel_size=(3, 5), stride=(2, 1), padding=(1, 1), bias=False)")
    assert repr(nn.Conv2d(3, 8, 3)).startswith("Conv2d(3, 8, kernel_size=(3, 3))")
    assert repr(nn.MaxPool2d(2)) == "MaxPool2d(kernel_size=(2, 2), stride=(2, 2))"
    assert repr(nn.AvgPool2d(3, 1)) == "AvgPool2d(kernel_size=(3, 3), stride=(1, 1))"


def test_pool_layers_match_functional(rng):
    x = ag.tensor(distinct(rng, (2, 3, 6, 6)))
    np.testing.assert_array_equal(nn.MaxPool2d(2)(x).data, F.max_pool2d(x, 2, 2).data)
    np.testing.assert_array_equal(nn.AvgPool2d(3, 1)(x).data, F.avg_pool2d(x, 3, 1).data)
    assert nn.MaxPool2d(3, stride=2)(x).shape == (2, 3, 2, 2)


def test_small_cnn_backward_reaches_every_parameter(rng):
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(4, 6, 3), nn.AvgPool2d(2), nn.Flatten(), nn.Linear(6, 3))
    x = ag.tensor(rng.standard_normal((5, 1, 8, 8)))
    loss = F.cross_entropy(model(x), np.array([0, 1, 2, 1, 0]))
    loss.backward()
    for name, p in model.named_parameters():
        assert p.grad is not None and p.grad.shape == p.shape, name
        assert np.any(p.grad.data != 0), name


# -- bad input ----------------------------------------------------------------------------------
def test_conv2d_layer_wrong_channels_names_layer_and_shape():
    with pytest.raises(ValueError) as error:
        nn.Conv2d(3, 8, kernel_size=3)(ag.zeros(2, 4, 28, 28))
    assert str(error.value) == (
        "Conv2d(3, 8, kernel_size=(3, 3)): expected input with 3 channels, got shape (2, 4, 28, 28)"
    )


def test_conv2d_layer_wrong_rank():
    with pytest.raises(ValueError, match=r"Conv2d\(3, 8.*4-D input.*\(3, 28, 28\)"):
        nn.Conv2d(3, 8, 3)(ag.zeros(3, 28, 28))


def test_kernel_larger_than_padded_input():
    with pytest.raises(ValueError, match=r"Conv2d\(1, 2, kernel_size=\(5, 5\), padding=\(1, 1\)\)"
                                         r": kernel \(5, 5\) is larger than the padded input "
                                         r"\(4, 4\)"):
        nn.Conv2d(1, 2, 5, padding=1)(ag.zeros(1, 1, 2, 2))
    with pytest.raises(ValueError, match=r"conv2d: kernel \(3, 3\).*\(2, 2\)"):
        F.conv2d(ag.zeros(1, 1, 2, 2), ag.zeros(1, 1, 3, 3))
    with pytest.raises(ValueError, match=r"MaxPool2d\(kernel_size=\(5, 5\).*larger"):
        nn.MaxPool2d(5)(ag.zeros(1, 1, 4, 4))
    with pytest.raises(ValueError, match=r"avg_pool2d: kernel \(3, 3\).*larger"):
        F.avg_pool2d(ag.zeros(1, 1, 2, 5), 3)


@pytest.mark.parametrize("stride", [0, -1, (1, 0)])
def test_non_positive_stride(stride):
    with pytest.raises(ValueError, match=r"Conv2d: stride must be >= 1"):
        nn.Conv2d(1, 1, 3, stride=stride)
    with pytest.raises(ValueError, match=r"conv2d: stride must be >= 1"):
        F.conv2d(ag.zeros(1, 1, 5, 5), ag.zeros(1, 1, 3, 3), stride=stride)
    with pytest.raises(ValueError, match=r"MaxPool2d: stride must be >= 1"):
        nn.MaxPool2d(2, stride=stride)
    with pytest.raises(ValueError, match=r"avg_pool2d: stride must be >= 1"):
        F.avg_pool2d(ag.zeros(1, 1, 5, 5), 2, stride=stride)


def test_other_bad_arguments():
    with pytest.raises(ValueError, match=r"conv2d: padding must be >= 0"):
        F.conv2d(ag.zeros(1, 1, 5, 5), ag.zeros(1, 1, 3, 3), padding=-1)
    with pytest.raises(TypeError, match=r"Conv2d: kernel_size must be an int or a pair"):
        nn.Conv2d(1, 1, 2.5)
    with pytest.raises(ValueError, match=r"Conv2d: in_channels must be a positive int"):
        nn.Conv2d(0, 1, 3)
    with pytest.raises(ValueError, match=r"conv2d: weight must be 4-D.*\(3, 3\)"):
        F.conv2d(ag.zeros(1, 1, 5, 5), ag.zeros(3, 3))
    with pytest.raises(ValueError, match=r"conv2d: bias must have shape \(2,\).*got \(3,\)"):
        F.conv2d(ag.zeros(1, 1, 5, 5), ag.zeros(2, 1, 3, 3), ag.zeros(3))
    with pytest.raises(ValueError, match=r"max_pool2d: expected a 4-D input.*\(5, 5\)"):
        F.max_pool2d(ag.zeros(5, 5), 2)
    with pytest.raises(ValueError, match=r"col2im: columns of shape \(1, 1, 2, 2, 3, 3\)"):
        col2im(ag.zeros(1, 1, 2, 2, 3, 3), (1, 1, 5, 5), 2)
