"""Tests for nn/functional/pooling.py and nn/layers/pooling.py: max and average pooling (1-D and
2-D, padding, ceil_mode, dilation, count_include_pad) and adaptive average pooling.

Forward values are checked against loops over PyTorch's windows written out (its output-size
formula, its divisor, its adaptive start/end indices); the course's rules (average pooling divides
the gradient equally, max pooling routes it to the first arg-max) against Jacobians built by hand.
"""

import math

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import check_jacobian, gradcheck, gradgradcheck
from nn.functional.im2col import col2im, im2col
from nn.functional.pooling import MaxPool


def leaf(array):
    return ag.tensor(np.asarray(array, dtype=np.float64), requires_grad=True)


def as_pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def distinct(rng, shape):
    """Values 0.1 apart in random order: no ties, so finite differences never cross an arg-max."""
    return 0.1 * rng.permutation(int(np.prod(shape))).reshape(shape)


def pytorch_size(length, k, s, p, d, ceil_mode):
    """PyTorch's pooling output size: floor or ceil((L + 2p - d(k-1) - 1) / s) + 1, less one
    when ceil_mode would start the last window in the right padding."""
    numerator = length + 2 * p - d * (k - 1) - 1
    out = (math.ceil(numerator / s) if ceil_mode else numerator // s) + 1
    if ceil_mode and (out - 1) * s >= length + p:
        out -= 1
    return out


def windows(shape, kernel, stride, padding=0, dilation=1, ceil_mode=False):
    """(r, s, cells inside the input, PyTorch's avg divisor with and without padding)."""
    (kh, kw), (sh, sw) = as_pair(kernel), as_pair(stride)
    (ph, pw), (dh, dw) = as_pair(padding), as_pair(dilation)
    height, width = shape
    ho = pytorch_size(height, kh, sh, ph, dh, ceil_mode)
    wo = pytorch_size(width, kw, sw, pw, dw, ceil_mode)
    for r in range(ho):
        for s in range(wo):
            cells = [(r * sh - ph + i * dh, s * sw - pw + j * dw)
                     for i in range(kh) for j in range(kw)]
            inside = [(h, v) for h, v in cells if 0 <= h < height and 0 <= v < width]
            # PyTorch's avg_pool2d: the window clipped to the padded input, then to the input
            top, left = r * sh - ph, s * sw - pw
            bottom, right = min(top + kh, height + ph), min(left + kw, width + pw)
            with_pad = (bottom - top) * (right - left)
            without = (min(bottom, height) - max(top, 0)) * (min(right, width) - max(left, 0))
            yield r, s, inside, with_pad, without


def loop_pool(x, kernel, stride, padding=0, dilation=1, ceil_mode=False, kind="max",
              count_include_pad=True):
    cells = list(windows(x.shape[2:], kernel, stride, padding, dilation, ceil_mode))
    ho, wo = cells[-1][0] + 1, cells[-1][1] + 1
    y = np.zeros(x.shape[:2] + (ho, wo))
    for r, s, inside, with_pad, without in cells:
        values = np.stack([x[:, :, h, v] for h, v in inside], axis=-1)
        if kind == "max":
            y[:, :, r, s] = values.max(axis=-1)
        else:
            y[:, :, r, s] = values.sum(axis=-1) / (with_pad if count_include_pad else without)
    return y


# (input size, kernel, stride, padding, dilation, ceil_mode)
POOL_CASES = [
    ((6, 6), 2, None, 0, 1, False),
    ((5, 7), 3, 2, 1, 1, False),
    ((5, 7), 3, 2, 1, 1, True),  # ceil_mode: a last, partial window
    ((7, 7), 2, 3, 1, 1, True),  # ceil_mode whose last window would start in the padding
    ((6, 5), (3, 2), (2, 1), (1, 0), 1, True),
    ((7, 8), 2, 2, 0, (2, 3), False),  # dilation (max only)
    ((8, 7), 3, 2, 1, 2, True),
]


@pytest.mark.parametrize("size, kernel, stride, padding, dilation, ceil_mode", POOL_CASES)
def test_max_pool2d_equals_pytorchs_windows(rng, size, kernel, stride, padding, dilation,
                                            ceil_mode):
    x = rng.standard_normal((2, 3) + size)
    y = F.max_pool2d(ag.tensor(x), kernel, stride, padding, dilation, ceil_mode)
    expected = loop_pool(x, kernel, stride or kernel, padding, dilation, ceil_mode)
    assert y.shape == expected.shape
    np.testing.assert_array_equal(y.data, expected)


@pytest.mark.parametrize("size, kernel, stride, padding, _, ceil_mode",
                         [c for c in POOL_CASES if c[4] == 1])
@pytest.mark.parametrize("count_include_pad", [True, False])
def test_avg_pool2d_equals_pytorchs_windows_and_divisor(rng, size, kernel, stride, padding, _,
                                                        ceil_mode, count_include_pad):
    x = rng.standard_normal((2, 3) + size)
    y = F.avg_pool2d(ag.tensor(x), kernel, stride, padding, ceil_mode, count_include_pad)
    expected = loop_pool(x, kernel, stride or kernel, padding, 1, ceil_mode, "avg",
                         count_include_pad)
    assert y.shape == expected.shape
    np.testing.assert_allclose(y.data, expected, atol=1e-12)


def test_ceil_mode_output_sizes():
    # 5 cells, kernel 2, stride 2: floor gives 2 windows, ceil a third over the last cell only
    assert F.max_pool2d(ag.zeros(1, 1, 5, 5), 2).shape == (1, 1, 2, 2)
    assert F.max_pool2d(ag.zeros(1, 1, 5, 5), 2, ceil_mode=True).shape == (1, 1, 3, 3)
    # 7 cells, kernel 2, stride 3, padding 1: ceil((7 + 2 - 2) / 3) + 1 = 4, but the 4th window
    # would start at 9 - 1 = 8 > 7: dropped, 3 as PyTorch
    assert F.max_pool2d(ag.zeros(1, 1, 7, 7), 2, 3, 1, ceil_mode=True).shape == (1, 1, 3, 3)
    assert F.avg_pool1d(ag.zeros(1, 1, 10), 3, 2, ceil_mode=True).shape == (1, 1, 5)
    # the partial window averages the cells it has (its divisor stops at the padded input)
    y = F.avg_pool1d(ag.tensor([[[1.0, 2.0, 3.0, 4.0, 5.0]]]), 2, ceil_mode=True)
    np.testing.assert_allclose(y.data[0, 0], [1.5, 3.5, 5.0])


@pytest.mark.parametrize("length, kernel, stride, padding, dilation, ceil_mode", [
    (9, 3, None, 0, 1, False), (10, 3, 2, 1, 1, True), (11, 2, 3, 1, 2, True)])
def test_pool1d_equals_pytorchs_windows(rng, length, kernel, stride, padding, dilation,
                                        ceil_mode):
    x = rng.standard_normal((2, 3, length))
    y = F.max_pool1d(ag.tensor(x), kernel, stride, padding, dilation, ceil_mode)
    rows = x[:, :, None]
    expected = loop_pool(rows, (1, kernel), (1, stride or kernel), (0, padding), (1, dilation),
                         ceil_mode)[:, :, 0]
    np.testing.assert_array_equal(y.data, expected)
    if dilation == 1:
        for include in (True, False):
            y = F.avg_pool1d(ag.tensor(x), kernel, stride, padding, ceil_mode, include)
            expected = loop_pool(rows, (1, kernel), (1, stride or kernel), (0, padding), 1,
                                 ceil_mode, "avg", include)[:, :, 0]
            np.testing.assert_allclose(y.data, expected, atol=1e-12)


# -- gradients ------------------------------------------------------------------------------------
@pytest.mark.parametrize("kernel, stride, pads, dilation", [
    ((2, 2), (2, 2), ((0, 0), (0, 0)), (1, 1)),
    ((3, 3), (1, 1), ((0, 0), (0, 0)), (1, 1)),
    ((3, 2), (2, 1), ((1, 2), (1, 1)), (1, 1)),  # padding with a ceil_mode cell
    ((2, 2), (1, 2), ((1, 1), (0, 1)), (2, 2)),
])
def test_max_pool_primitive_gradcheck_gradgradcheck(rng, kernel, stride, pads, dilation):
    x = leaf(distinct(rng, (1, 2, 5, 6)))

    def f(x):
        return MaxPool.apply(x, kernel=kernel, stride=stride, pads=pads, dilation=dilation)

    assert gradcheck(f, x) and gradgradcheck(f, x)


@pytest.mark.parametrize("kernel, stride, padding, ceil_mode", [
    (2, None, 0, False), (3, 1, 1, False), ((2, 3), (2, 1), 1, True)])
def test_pooling_gradcheck_gradgradcheck(rng, kernel, stride, padding, ceil_mode):
    x = leaf(distinct(rng, (1, 2, 5, 6)))
    checks = [lambda x: F.max_pool2d(x, kernel, stride, padding, 1, ceil_mode),
              lambda x: F.avg_pool2d(x, kernel, stride, padding, ceil_mode, True),
              lambda x: F.avg_pool2d(x, kernel, stride, padding, ceil_mode, False)]
    for f in checks:
        assert gradcheck(f, x) and gradgradcheck(f, x)
    x = leaf(distinct(rng, (1, 2, 7)))
    k, s = as_pair(kernel)[1], None if stride is None else as_pair(stride)[1]
    for f in (lambda x: F.max_pool1d(x, k, s, padding, 2 if k == 2 else 1, ceil_mode),
              lambda x: F.avg_pool1d(x, k, s, padding, ceil_mode, False)):
        assert gradcheck(f, x) and gradgradcheck(f, x)


@pytest.mark.parametrize("kernel, stride, padding", [(2, 2, 0), (3, 1, 1), ((2, 3), (1, 2), 0)])
def test_average_pooling_divides_the_gradient_equally(rng, kernel, stride, padding):
    x = leaf(rng.standard_normal((1, 1, 5, 6)))
    y = F.avg_pool2d(x, kernel, stride, padding)
    expected = np.zeros(y.shape[2:] + (5, 6))
    for r, s, inside, with_pad, _ in windows((5, 6), kernel, stride, padding):
        for h, v in inside:
            expected[r, s, h, v] = 1.0 / with_pad  # padding cells count, take no gradient
    check_jacobian(lambda x: F.avg_pool2d(x, kernel, stride, padding), x, expected)


@pytest.mark.parametrize("kernel, stride, padding, ceil_mode", [
    (2, 2, 0, False), (3, 1, 1, False), ((2, 3), (1, 2), 0, True), (3, 2, 1, True)])
def test_max_pooling_routes_the_gradient_to_the_arg_max(rng, kernel, stride, padding, ceil_mode):
    x = leaf(distinct(rng, (1, 1, 5, 6)))
    y = F.max_pool2d(x, kernel, stride, padding, ceil_mode=ceil_mode)
    image = x.data[0, 0]
    expected = np.zeros(y.shape[2:] + (5, 6))
    for r, s, inside, _, _ in windows((5, 6), kernel, stride, padding, 1, ceil_mode):
        h, v = max(inside, key=lambda cell: image[cell])
        assert y.data[0, 0, r, s] == image[h, v]
        expected[r, s, h, v] = 1.0  # 1 for the largest input, 0 for the rest
    check_jacobian(lambda x: F.max_pool2d(x, kernel, stride, padding, ceil_mode=ceil_mode), x,
                   expected)


def test_max_pooling_ties_go_to_the_first_arg_max_and_overlaps_accumulate():
    x = leaf(np.ones((1, 1, 4, 4)))
    F.max_pool2d(x, 2, stride=1).sum().backward()
    # Each 2x2 window's first (top-left) cell wins; windows share those cells.
    np.testing.assert_array_equal(x.grad.data[0, 0], [[1, 1, 1, 0], [1, 1, 1, 0],
                                                      [1, 1, 1, 0], [0, 0, 0, 0]])
    x = leaf(np.array([[[[1.0, 5.0, 2.0], [0.0, 3.0, 4.0], [1.0, 2.0, 0.5]]]]))
    F.max_pool2d(x, 2, stride=1).sum().backward()
    np.testing.assert_array_equal(x.grad.data[0, 0], [[0, 2, 0], [0, 1, 1], [0, 0, 0]])
    # with padding the -inf cells never win: the first real cell of a tied window does
    x = leaf(np.zeros((1, 1, 3, 3)))
    F.max_pool2d(x, 2, padding=1).sum().backward()
    np.testing.assert_array_equal(x.grad.data[0, 0], [[1, 1, 0], [1, 1, 0], [0, 0, 0]])


def test_max_pool_first_order_matches_the_columns_rule(rng):
    """Disjoint, gapped and overlapping windows, with ties: the gradient of each window goes
    to its first arg-max, added up where windows overlap (the rule written with im2col)."""
    for kernel, stride, size in [(2, 2, (5, 7)), (2, 3, (7, 8)), (3, 2, (7, 7))]:
        x = leaf(rng.integers(0, 3, (2, 3) + size).astype(np.float64))
        g = rng.standard_normal(F.max_pool2d(x, kernel, stride).shape)
        F.max_pool2d(x, kernel, stride).backward(ag.tensor(g))
        cols = im2col(ag.tensor(x.data), kernel, stride).data  # (N, C, k, k, Ho, Wo)
        n, c, kh, kw, ho, wo = cols.shape
        first = cols.reshape(n, c, kh * kw, ho, wo).argmax(axis=2)  # argmax takes the first
        routes = (first[:, :, None] == np.arange(kh * kw)[:, None, None]).reshape(cols.shape)
        expected = col2im(ag.tensor(routes * g[:, :, None, None]), x.shape, kernel, stride).data
        np.testing.assert_array_equal(x.grad.data, expected)


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


def test_max_pool_with_padding_on_integers():
    y = F.max_pool2d(ag.tensor(-np.arange(9).reshape(1, 1, 3, 3)), 2, padding=1)
    np.testing.assert_array_equal(y.data[0, 0], [[0, -1], [-3, -4]])


# -- adaptive average pooling -------------------------------------------------------------------
def loop_adaptive(x, out_h, out_w):
    """PyTorch's adaptive windows: rows floor(i H / out) up to ceil((i + 1) H / out)."""
    height, width = x.shape[2:]
    y = np.zeros(x.shape[:2] + (out_h, out_w))
    for i in range(out_h):
        top, bottom = math.floor(i * height / out_h), math.ceil((i + 1) * height / out_h)
        for j in range(out_w):
            left, right = math.floor(j * width / out_w), math.ceil((j + 1) * width / out_w)
            y[:, :, i, j] = x[:, :, top:bottom, left:right].mean(axis=(2, 3))
    return y


@pytest.mark.parametrize("size, output_size, expected_size", [
    ((7, 9), 3, (3, 3)), ((5, 5), (2, 4), (2, 4)), ((6, 4), (None, 3), (6, 3)),
    ((4, 4), 1, (1, 1)), ((3, 5), (5, 7), (5, 7))])  # larger than the input: windows repeat
def test_adaptive_avg_pool2d_equals_pytorchs_windows(rng, size, output_size, expected_size):
    x = rng.standard_normal((2, 3) + size)
    y = F.adaptive_avg_pool2d(ag.tensor(x), output_size)
    assert y.shape == (2, 3) + expected_size
    np.testing.assert_allclose(y.data, loop_adaptive(x, *expected_size), atol=1e-12)
    layer = nn.AdaptiveAvgPool2d(output_size)
    np.testing.assert_array_equal(layer(ag.tensor(x)).data, y.data)


def test_adaptive_avg_pool2d_gradcheck_gradgradcheck(rng):
    x = leaf(rng.standard_normal((1, 2, 5, 4)))
    for size in (3, (2, None)):
        f = lambda x, size=size: F.adaptive_avg_pool2d(x, size)  # noqa: E731
        assert gradcheck(f, x) and gradgradcheck(f, x)


# -- the layers ---------------------------------------------------------------------------------
def test_pool_layers_match_functional_and_have_no_parameters(rng):
    x = ag.tensor(distinct(rng, (2, 3, 7, 7)))
    signal = ag.tensor(distinct(rng, (2, 3, 11)))
    pairs = [
        (nn.MaxPool2d(2), F.max_pool2d(x, 2, 2), x),
        (nn.AvgPool2d(3, 1), F.avg_pool2d(x, 3, 1), x),
        (nn.MaxPool2d(3, 2, 1, 2, ceil_mode=True), F.max_pool2d(x, 3, 2, 1, 2, True), x),
        (nn.AvgPool2d(3, 2, 1, True, False), F.avg_pool2d(x, 3, 2, 1, True, False), x),
        (nn.MaxPool1d(3, 2, 1, ceil_mode=True), F.max_pool1d(signal, 3, 2, 1, 1, True), signal),
        (nn.AvgPool1d(4, 2, 2), F.avg_pool1d(signal, 4, 2, 2), signal),
    ]
    for layer, expected, inputs in pairs:
        np.testing.assert_array_equal(layer(inputs).data, expected.data)
        assert layer.state_dict() == {} and list(layer.parameters()) == []
    assert nn.MaxPool2d(3, stride=2)(x).shape == (2, 3, 3, 3)


def test_reprs():
    assert repr(nn.MaxPool2d(2)) == "MaxPool2d(kernel_size=(2, 2), stride=(2, 2))"
    assert repr(nn.AvgPool2d(3, 1)) == "AvgPool2d(kernel_size=(3, 3), stride=(1, 1))"
    assert repr(nn.MaxPool2d(3, 2, 1, 2, ceil_mode=True)) == (
        "MaxPool2d(kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), dilation=(2, 2), "
        "ceil_mode=True)")
    assert repr(nn.AvgPool1d(3, padding=1, count_include_pad=False)) == (
        "AvgPool1d(kernel_size=(3,), stride=(3,), padding=(1,), count_include_pad=False)")
    assert repr(nn.MaxPool1d(4)) == "MaxPool1d(kernel_size=(4,), stride=(4,))"
    assert repr(nn.AdaptiveAvgPool2d((3, None))) == "AdaptiveAvgPool2d(output_size=(3, None))"


# -- bad input ----------------------------------------------------------------------------------
def test_kernel_larger_than_padded_input():
    with pytest.raises(ValueError, match=r"MaxPool2d\(kernel_size=\(5, 5\).*larger"):
        nn.MaxPool2d(5)(ag.zeros(1, 1, 4, 4))
    with pytest.raises(ValueError, match=r"avg_pool2d: kernel \(3, 3\).*larger"):
        F.avg_pool2d(ag.zeros(1, 1, 2, 5), 3)
    with pytest.raises(ValueError, match=r"max_pool1d: kernel \(3,\) with dilation \(3,\) spans "
                                         r"\(7,\), which is larger than the padded input \(6,\)"):
        F.max_pool1d(ag.zeros(1, 1, 4), 3, padding=1, dilation=3)


@pytest.mark.parametrize("stride", [0, -1, (1, 0)])
def test_non_positive_stride(stride):
    with pytest.raises(ValueError, match=r"MaxPool2d: stride must be >= 1"):
        nn.MaxPool2d(2, stride=stride)
    with pytest.raises(ValueError, match=r"avg_pool2d: stride must be >= 1"):
        F.avg_pool2d(ag.zeros(1, 1, 5, 5), 2, stride=stride)


def test_other_bad_arguments():
    with pytest.raises(ValueError, match=r"max_pool2d: expected a 4-D input.*\(5, 5\)"):
        F.max_pool2d(ag.zeros(5, 5), 2)
    with pytest.raises(ValueError, match=r"MaxPool1d\(kernel_size=\(2,\).*3-D input \(N, C, L\)"):
        nn.MaxPool1d(2)(ag.zeros(1, 1, 4, 4))
    with pytest.raises(ValueError, match=r"MaxPool2d: padding \(2, 2\) must be at most half of "
                                         r"kernel_size \(3, 3\)"):
        nn.MaxPool2d(3, padding=2)
    with pytest.raises(ValueError, match=r"avg_pool1d: padding must be >= 0, got -1"):
        F.avg_pool1d(ag.zeros(1, 1, 5), 3, padding=-1)
    with pytest.raises(TypeError, match=r"AvgPool2d: ceil_mode must be True or False, got 1"):
        nn.AvgPool2d(2, ceil_mode=1)
    with pytest.raises(TypeError):  # PyTorch's 5th positional argument is return_indices
        nn.MaxPool2d(2, 2, 0, 1, True)
    with pytest.raises(ValueError, match=r"AdaptiveAvgPool2d: output_size must be a positive "
                                         r"int or a pair"):
        nn.AdaptiveAvgPool2d((0, 2))
    with pytest.raises(ValueError, match=r"adaptive_avg_pool2d: expected a 4-D input"):
        F.adaptive_avg_pool2d(ag.zeros(3, 4), 2)
    with pytest.raises(ValueError, match=r"adaptive_avg_pool2d: the input's spatial size must "
                                         r"be non-empty"):
        F.adaptive_avg_pool2d(ag.zeros(1, 1, 0, 4), 2)
