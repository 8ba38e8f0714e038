"""Tests for nn/functional/conv.py and nn/layers/conv.py: conv1d, conv2d and conv_transpose2d
(stride, padding, dilation, groups) and their layers.

Forward values are checked against convolutions written as nested loops from the definitions
(the primitive underneath, its Jacobians and its fast paths are in test_convolution.py);
gradients with gradcheck and gradgradcheck in float64.
"""

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck


def leaf(array):
    return ag.tensor(np.asarray(array, dtype=np.float64), requires_grad=True)


def as_pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def naive_conv2d(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    """Cross-correlation with explicit loops, the definition the lectures start from: output
    channel o of group g = o // (out/groups) sees input channels g in/groups ... (g+1) in/groups."""
    (sh, sw), (ph, pw), (dh, dw) = as_pair(stride), as_pair(padding), as_pair(dilation)
    n_images, channels, height, width = x.shape
    out_channels, group_in, kh, kw = w.shape
    padded = np.zeros((n_images, channels, height + 2 * ph, width + 2 * pw))
    padded[:, :, ph : ph + height, pw : pw + width] = x
    ho = (height + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    wo = (width + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    y = np.zeros((n_images, out_channels, ho, wo))
    for n in range(n_images):
        for o in range(out_channels):
            first = (o // (out_channels // groups)) * group_in
            for r in range(ho):
                for s in range(wo):
                    total = 0.0 if b is None else b[o]
                    for c in range(group_in):
                        for i in range(kh):
                            for j in range(kw):
                                total += (w[o, c, i, j]
                                          * padded[n, first + c, r * sh + i * dh, s * sw + j * dw])
                    y[n, o, r, s] = total
    return y


def naive_conv1d(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    """y[n, o, l] = b[o] + sum over c, i of w[o, c, i] padded[n, group(o) + c, l s + i d]."""
    n_images, channels, length = x.shape
    out_channels, group_in, k = w.shape
    padded = np.zeros((n_images, channels, length + 2 * padding))
    padded[:, :, padding : padding + length] = x
    lo = (length + 2 * padding - dilation * (k - 1) - 1) // stride + 1
    y = np.zeros((n_images, out_channels, lo))
    for n in range(n_images):
        for o in range(out_channels):
            first = (o // (out_channels // groups)) * group_in
            for pos in range(lo):
                y[n, o, pos] = (0.0 if b is None else b[o]) + sum(
                    w[o, c, i] * padded[n, first + c, pos * stride + i * dilation]
                    for c in range(group_in) for i in range(k))
    return y


def naive_conv_transpose2d(x, w, b=None, stride=1, padding=0, output_padding=0, dilation=1,
                           groups=1):
    """PyTorch's definition written out: each input pixel adds itself times the kernel at
    (h stride + i dilation, v stride + j dilation); then `padding` is cropped on each side and
    the output is (H - 1) stride - 2 padding + dilation (k - 1) + output_padding + 1 long."""
    (sh, sw), (ph, pw), (oh, ow), (dh, dw) = map(as_pair, (stride, padding, output_padding,
                                                         dilation))
    n_images, in_channels, height, width = x.shape
    _, group_out, kh, kw = w.shape
    group_in = in_channels // groups
    ho = (height - 1) * sh - 2 * ph + dh * (kh - 1) + oh + 1
    wo = (width - 1) * sw - 2 * pw + dw * (kw - 1) + ow + 1
    full = np.zeros((n_images, groups * group_out, (height - 1) * sh + dh * (kh - 1) + 1 + oh,
                     (width - 1) * sw + dw * (kw - 1) + 1 + ow))  # all the kernels reach
    for n in range(n_images):
        for c in range(in_channels):
            g = c // group_in
            for h in range(height):
                for v in range(width):
                    for oc in range(group_out):
                        for i in range(kh):
                            for j in range(kw):
                                full[n, g * group_out + oc, h * sh + i * dh, v * sw + j * dw] += (
                                    x[n, c, h, v] * w[c, oc, i, j])
    y = full[:, :, ph : ph + ho, pw : pw + wo]
    return y if b is None else y + b.reshape(1, -1, 1, 1)


# (input shape, weight shape, stride, padding, dilation, groups)
CONV_CASES = [
    ((2, 3, 6, 5), (4, 3, 3, 3), 1, 0, 1, 1),
    ((1, 2, 7, 7), (3, 2, 3, 3), 2, 1, 1, 1),
    ((2, 1, 5, 8), (2, 1, 2, 3), (1, 2), (2, 0), 1, 1),
    ((1, 2, 4, 4), (1, 2, 4, 4), 1, 0, 1, 1),  # kernel as large as the input: one output pixel
    ((1, 1, 3, 3), (2, 1, 5, 5), 1, 1, 1, 1),  # kernel larger than the input, fits once padded
    ((1, 2, 7, 6), (3, 2, 3, 2), 1, 1, (2, 3), 1),  # dilation
    ((2, 4, 5, 5), (6, 2, 3, 3), 1, 1, 1, 2),  # groups
    ((1, 6, 6, 7), (3, 2, 2, 3), (2, 1), (1, 0), (1, 2), 3),  # all at once
    ((1, 4, 4, 4), (4, 1, 3, 3), 1, 1, 1, 4),  # depthwise
]


# -- forward values -----------------------------------------------------------------------------
@pytest.mark.parametrize("x_shape, w_shape, stride, padding, dilation, groups", CONV_CASES)
def test_conv2d_equals_the_loop_convolution(rng, x_shape, w_shape, stride, padding, dilation,
                                            groups):
    x, w, b = (rng.standard_normal(s) for s in (x_shape, w_shape, w_shape[:1]))
    options = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
    expected = naive_conv2d(x, w, b, **options)
    for wants_dx in (False, True):  # the flat layout (dx wanted, stride 1) and the other
        y = F.conv2d(ag.tensor(x, requires_grad=wants_dx), ag.tensor(w, requires_grad=True),
                     ag.tensor(b), **options)
        assert y.shape == expected.shape
        np.testing.assert_allclose(y.data, expected, atol=1e-12)


def test_groups_are_independent_convolutions_concatenated(rng):
    x, w, b = rng.standard_normal((2, 6, 5, 5)), rng.standard_normal((4, 3, 3, 3)), np.zeros(4)
    y = F.conv2d(ag.tensor(x), ag.tensor(w), ag.tensor(b), padding=1, groups=2).data
    halves = [F.conv2d(ag.tensor(x[:, 3 * g : 3 * g + 3]), ag.tensor(w[2 * g : 2 * g + 2]),
                       padding=1).data for g in range(2)]
    np.testing.assert_allclose(y, np.concatenate(halves, axis=1), atol=1e-12)


@pytest.mark.parametrize("length, k, stride, padding, dilation, groups", [
    (9, 3, 1, 0, 1, 1), (10, 4, 2, 1, 1, 1), (11, 3, 1, 2, 3, 1), (8, 2, 3, 1, 2, 2)])
def test_conv1d_equals_the_loop_convolution(rng, length, k, stride, padding, dilation, groups):
    x, w, b = (rng.standard_normal(s) for s in ((2, 4, length), (6, 4 // groups, k), (6,)))
    options = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
    y = F.conv1d(ag.tensor(x, requires_grad=True), ag.tensor(w), ag.tensor(b), **options)
    expected = naive_conv1d(x, w, b, **options)
    assert y.shape == expected.shape
    np.testing.assert_allclose(y.data, expected, atol=1e-12)


@pytest.mark.parametrize("kernel, dilation", [((3, 3), (1, 1)), ((4, 2), (1, 1)),
                                              ((2, 3), (3, 2))])
def test_same_padding_keeps_the_size_and_puts_the_odd_cell_after(rng, kernel, dilation):
    x, w = rng.standard_normal((1, 2, 6, 7)), rng.standard_normal((3, 2) + kernel)
    y = F.conv2d(ag.tensor(x), ag.tensor(w), padding="same", dilation=dilation)
    assert y.shape == (1, 3, 6, 7)
    totals = [d * (k - 1) for k, d in zip(kernel, dilation)]
    padded = np.pad(x, ((0, 0), (0, 0)) + tuple((t // 2, t - t // 2) for t in totals))
    np.testing.assert_allclose(y.data, naive_conv2d(padded, w, dilation=dilation), atol=1e-12)
    valid = F.conv2d(ag.tensor(x), ag.tensor(w), padding="valid", dilation=dilation)
    np.testing.assert_array_equal(valid.data, F.conv2d(ag.tensor(x), ag.tensor(w),
                                                       dilation=dilation).data)
    same_1d = F.conv1d(ag.tensor(x[:, :, 0]), ag.tensor(w[:, :, 0]), padding="same",
                       dilation=dilation[1])
    assert same_1d.shape == (1, 3, 7)


# (input shape, weight shape, stride, padding, output_padding, dilation, groups)
TRANSPOSED_CASES = [
    ((1, 2, 3, 3), (2, 3, 3, 3), 1, 0, 0, 1, 1),
    ((2, 2, 3, 4), (2, 2, 4, 4), 2, 1, 0, 1, 1),
    ((1, 2, 3, 3), (2, 1, 3, 2), (2, 3), (1, 0), (1, 2), 1, 1),  # output_padding < stride
    ((1, 4, 3, 3), (4, 1, 2, 3), 2, 0, 0, (2, 1), 2),  # dilation, groups
    ((1, 1, 2, 2), (1, 1, 2, 2), 1, 0, 1, 2, 1),  # output_padding < dilation
    ((1, 1, 1, 1), (1, 2, 3, 3), 3, 2, 2, 1, 1),  # more cropped than the kernel covers
]


@pytest.mark.parametrize("x_shape, w_shape, stride, padding, output_padding, dilation, groups",
                         TRANSPOSED_CASES)
def test_conv_transpose2d_equals_the_loop_definition(rng, x_shape, w_shape, stride, padding,
                                                     output_padding, dilation, groups):
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    b = rng.standard_normal(w_shape[1] * groups)
    options = {"stride": stride, "padding": padding, "output_padding": output_padding,
               "dilation": dilation, "groups": groups}
    y = F.conv_transpose2d(ag.tensor(x), ag.tensor(w), ag.tensor(b), **options)
    expected = naive_conv_transpose2d(x, w, b, **options)
    assert y.shape == expected.shape
    np.testing.assert_allclose(y.data, expected, atol=1e-12)


def test_conv_transpose2d_is_the_adjoint_of_conv2d(rng):
    """<conv_transpose2d(x, w), z> = <x, conv2d(z, w)>: it is conv2d's gradient in the input."""
    x, w = rng.standard_normal((2, 4, 3, 4)), rng.standard_normal((4, 3, 3, 3))
    options = {"stride": 2, "padding": 1, "dilation": 1, "groups": 1}
    y = F.conv_transpose2d(ag.tensor(x), ag.tensor(w), output_padding=1, **options).data
    assert y.shape == (2, 3, 6, 8)  # (L - 1) 2 - 2 + 2 + 1 + 1: both sizes that conv back to L
    z = rng.standard_normal(y.shape)
    back = F.conv2d(ag.tensor(z), ag.tensor(w), **options).data
    assert back.shape == x.shape
    assert np.isclose((y * z).sum(), (x * back).sum())


# -- gradients ----------------------------------------------------------------------------------
def _check_both(f, inputs):
    assert gradcheck(f, inputs) and gradgradcheck(f, inputs)


@pytest.mark.parametrize("case", [CONV_CASES[1], CONV_CASES[2], CONV_CASES[5], CONV_CASES[7]])
def test_conv2d_gradcheck_gradgradcheck(rng, case):
    x_shape, w_shape, stride, padding, dilation, groups = case
    x_shape = (1,) + x_shape[1:]
    inputs = (leaf(rng.standard_normal(x_shape)), leaf(rng.standard_normal(w_shape)),
              leaf(rng.standard_normal(w_shape[0])))
    _check_both(lambda x, w, b: F.conv2d(x, w, b, stride, padding, dilation, groups), inputs)


@pytest.mark.parametrize("stride, padding, dilation, groups", [
    (1, 1, 1, 1), (2, 0, 2, 1), (1, "same", 2, 2)])
def test_conv1d_gradcheck_gradgradcheck(rng, stride, padding, dilation, groups):
    inputs = (leaf(rng.standard_normal((1, 2, 7))), leaf(rng.standard_normal((2, 2 // groups, 3))),
              leaf(rng.standard_normal(2)))
    _check_both(lambda x, w, b: F.conv1d(x, w, b, stride, padding, dilation, groups), inputs)


@pytest.mark.parametrize("case", [TRANSPOSED_CASES[2], TRANSPOSED_CASES[3]])
def test_conv_transpose2d_gradcheck_gradgradcheck(rng, case):
    x_shape, w_shape, stride, padding, output_padding, dilation, groups = case
    inputs = (leaf(rng.standard_normal(x_shape)), leaf(rng.standard_normal(w_shape)),
              leaf(rng.standard_normal(w_shape[1] * groups)))
    _check_both(lambda x, w, b: F.conv_transpose2d(x, w, b, stride, padding, output_padding,
                                                   groups, dilation), inputs)

# -- the layers ---------------------------------------------------------------------------------
@pytest.mark.parametrize("make, x_shape, weight_shape, fan_in", [
    (lambda: nn.Conv2d(3, 8, kernel_size=3, stride=2, padding=1), (2, 3, 9, 9), (8, 3, 3, 3), 27),
    (lambda: nn.Conv2d(4, 6, 3, groups=2, dilation=2), (2, 4, 9, 9), (6, 2, 3, 3), 18),
    (lambda: nn.Conv1d(4, 8, 5, padding=2, groups=4), (2, 4, 11), (8, 1, 5), 5),
    (lambda: nn.ConvTranspose2d(4, 6, (3, 2), stride=2, groups=2), (2, 4, 5, 5), (4, 3, 3, 2), 18),
])
def test_layer_shapes_init_and_forward(rng, make, x_shape, weight_shape, fan_in):
    conv = make()
    assert conv.weight.shape == weight_shape and conv.bias.shape == (conv.out_channels,)
    assert [name for name, _ in conv.named_parameters()] == ["weight", "bias"]
    bound = 1 / np.sqrt(fan_in)  # U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = shape[1] prod(k)
    for p in (conv.weight, conv.bias):
        assert np.all(np.abs(p.data) <= bound) and p.requires_grad
    assert np.abs(conv.weight.data).max() > 0.8 * bound  # spread over the range, not a constant
    x = ag.tensor(rng.standard_normal(x_shape))
    functional = {nn.Conv1d: F.conv1d, nn.Conv2d: F.conv2d}.get(type(conv))
    if functional is None:
        expected = F.conv_transpose2d(x, conv.weight, conv.bias, conv.stride, conv.padding,
                                      conv.output_padding, conv.groups, conv.dilation)
    else:
        expected = functional(x, conv.weight, conv.bias, conv.stride, conv.padding,
                              conv.dilation, conv.groups)
    np.testing.assert_array_equal(conv(x).data, expected.data)


@pytest.mark.parametrize("make", [lambda: nn.Conv1d(2, 4, 3), lambda: nn.Conv2d(2, 4, 3),
                                  lambda: nn.ConvTranspose2d(2, 4, 3)])
def test_layers_are_seeded_by_manual_seed_and_round_trip_their_state_dict(rng, make):
    ag.manual_seed(3)
    first = make()
    ag.manual_seed(3)
    np.testing.assert_array_equal(make().weight.data, first.weight.data)
    other = make()  # drawn after: other numbers
    assert not np.array_equal(other.weight.data, first.weight.data)
    state = first.state_dict()
    assert sorted(state) == ["bias", "weight"]
    other.load_state_dict(state)
    x = ag.tensor(rng.standard_normal((1, 2) + (5,) * (first.weight.ndim - 2)))
    np.testing.assert_array_equal(other(x).data, first(x).data)


def test_reprs():
    conv = nn.Conv2d(1, 2, (3, 5), stride=(2, 1), padding=1, bias=False)
    assert conv.bias is None and [n for n, _ in conv.named_parameters()] == ["weight"]
    assert repr(conv).startswith(
        "Conv2d(1, 2, kernel_size=(3, 5), stride=(2, 1), padding=(1, 1), bias=False)")
    assert repr(nn.Conv2d(3, 8, 3)).startswith("Conv2d(3, 8, kernel_size=(3, 3))")
    assert repr(nn.Conv2d(4, 8, 3, dilation=2, groups=2)).startswith(
        "Conv2d(4, 8, kernel_size=(3, 3), dilation=(2, 2), groups=2)")
    assert repr(nn.Conv1d(3, 8, 5)).startswith("Conv1d(3, 8, kernel_size=(5,))")
    assert repr(nn.Conv1d(3, 8, 5, padding="same")).startswith(
        "Conv1d(3, 8, kernel_size=(5,), padding=same)")
    assert repr(nn.ConvTranspose2d(3, 8, 4, stride=2, padding=1, output_padding=1)).startswith(
        "ConvTranspose2d(3, 8, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1), "
        "output_padding=(1, 1))")


def test_small_cnn_backward_reaches_every_parameter(rng):
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(4, 6, 3, groups=2, padding="same"), nn.AvgPool2d(2),
                          nn.ConvTranspose2d(6, 3, 2, stride=2), nn.Flatten(), nn.Linear(48, 3))
    x = ag.tensor(rng.standard_normal((5, 1, 8, 8)))
    F.cross_entropy(model(x), np.array([0, 1, 2, 1, 0])).backward()
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
    with pytest.raises(ValueError, match=r"Conv1d\(4, 2, kernel_size=\(3,\), groups=2\): "
                                         r"expected input with 4 channels"):
        nn.Conv1d(4, 2, 3, groups=2)(ag.zeros(1, 2, 9))
    with pytest.raises(ValueError, match=r"ConvTranspose2d\(3, 2.*expected input with 3 "
                                         r"channels, got shape \(1, 2, 4, 4\)"):
        nn.ConvTranspose2d(3, 2, 3)(ag.zeros(1, 2, 4, 4))


def test_wrong_rank():
    with pytest.raises(ValueError, match=r"Conv2d\(3, 8.*4-D input.*\(3, 28, 28\)"):
        nn.Conv2d(3, 8, 3)(ag.zeros(3, 28, 28))
    with pytest.raises(ValueError, match=r"Conv1d\(3, 8.*3-D input \(N, C, L\).*\(2, 3, 9, 9\)"):
        nn.Conv1d(3, 8, 3)(ag.zeros(2, 3, 9, 9))
    with pytest.raises(ValueError, match=r"conv1d: weight must be 3-D \(out, in/groups, k\), "
                                         r"got shape \(2, 3, 3, 3\)"):
        F.conv1d(ag.zeros(1, 3, 9), ag.zeros(2, 3, 3, 3))
    with pytest.raises(ValueError, match=r"conv_transpose2d: weight must be 4-D \(in, "
                                         r"out/groups, kh, kw\)"):
        F.conv_transpose2d(ag.zeros(1, 3, 9, 9), ag.zeros(3, 3, 3))


def test_groups_must_divide_the_channels():
    with pytest.raises(ValueError, match=r"^Conv1d: groups=3 does not divide in_channels=4$"):
        nn.Conv1d(4, 6, 3, groups=3)
    with pytest.raises(ValueError, match=r"^Conv2d: groups=2 does not divide out_channels=3$"):
        nn.Conv2d(4, 3, 3, groups=2)
    with pytest.raises(ValueError, match=r"ConvTranspose2d: groups=4 does not divide "
                                         r"in_channels=6"):
        nn.ConvTranspose2d(6, 8, 3, groups=4)
    with pytest.raises(ValueError, match=r"conv2d: groups=2 does not divide the 3 output "
                                         r"channels of weight \(3, 2, 3, 3\)"):
        F.conv2d(ag.zeros(1, 4, 5, 5), ag.zeros(3, 2, 3, 3), groups=2)
    with pytest.raises(ValueError, match=r"conv2d: expected input with 4 channels \(weight "
                                         r"\(4, 2, 3, 3\), groups=2\), got shape \(1, 6, 5, 5\)"):
        F.conv2d(ag.zeros(1, 6, 5, 5), ag.zeros(4, 2, 3, 3), groups=2)
    with pytest.raises(ValueError, match=r"Conv2d: groups must be a positive int, got 0"):
        nn.Conv2d(4, 4, 3, groups=0)


def test_kernel_larger_than_padded_input():
    with pytest.raises(ValueError, match=r"Conv2d\(1, 2, kernel_size=\(5, 5\), padding=\(1, 1\)\)"
                                         r": kernel \(5, 5\) is larger than the padded input "
                                         r"\(4, 4\)"):
        nn.Conv2d(1, 2, 5, padding=1)(ag.zeros(1, 1, 2, 2))
    with pytest.raises(ValueError, match=r"conv2d: kernel \(3, 3\).*\(2, 2\)"):
        F.conv2d(ag.zeros(1, 1, 2, 2), ag.zeros(1, 1, 3, 3))
    with pytest.raises(ValueError, match=r"conv1d: kernel \(3,\) with dilation \(2,\) spans "
                                         r"\(5,\), which is larger than the padded input \(4,\)"):
        F.conv1d(ag.zeros(1, 1, 4), ag.zeros(1, 1, 3), dilation=2)


@pytest.mark.parametrize("stride", [0, -1, (1, 0)])
def test_non_positive_stride(stride):
    with pytest.raises(ValueError, match=r"Conv2d: stride must be >= 1"):
        nn.Conv2d(1, 1, 3, stride=stride)
    with pytest.raises(ValueError, match=r"conv2d: stride must be >= 1"):
        F.conv2d(ag.zeros(1, 1, 5, 5), ag.zeros(1, 1, 3, 3), stride=stride)


def test_padding_arguments():
    with pytest.raises(ValueError, match=r"conv2d: padding must be >= 0"):
        F.conv2d(ag.zeros(1, 1, 5, 5), ag.zeros(1, 1, 3, 3), padding=-1)
    with pytest.raises(ValueError, match=r"Conv1d: padding must be >= 0, got -2"):
        nn.Conv1d(1, 1, 3, padding=-2)
    with pytest.raises(ValueError, match=r"Conv2d: padding='same' needs stride 1 \(as in "
                                         r"PyTorch\), got stride \(2, 2\)"):
        nn.Conv2d(1, 1, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match=r"conv1d: padding must be an int, a tuple of ints, "
                                         r"'valid' or 'same', got 'full'"):
        F.conv1d(ag.zeros(1, 1, 5), ag.zeros(1, 1, 3), padding="full")
    with pytest.raises(TypeError, match=r"Conv1d: padding must be an int or a tuple of 1 int"):
        nn.Conv1d(1, 1, 3, padding=(1, 1))
    with pytest.raises(ValueError, match=r"ConvTranspose2d: output_padding \(2, 2\) must be "
                                         r"smaller than the stride \(2, 2\) or the dilation"):
        nn.ConvTranspose2d(1, 1, 3, stride=2, output_padding=2)
    with pytest.raises(ValueError, match=r"conv_transpose2d: output_padding \(0, 1\) must be"):
        F.conv_transpose2d(ag.zeros(1, 1, 3, 3), ag.zeros(1, 1, 3, 3), output_padding=(0, 1))
    with pytest.raises(ValueError, match=r"conv_transpose2d: the output size \(-1, -1\) is not "
                                         r"positive"):
        F.conv_transpose2d(ag.zeros(1, 1, 1, 1), ag.zeros(1, 1, 1, 1), padding=1)


def test_other_bad_arguments():
    with pytest.raises(TypeError, match=r"Conv2d: kernel_size must be an int or a pair"):
        nn.Conv2d(1, 1, 2.5)
    with pytest.raises(ValueError, match=r"Conv2d: in_channels must be a positive int"):
        nn.Conv2d(0, 1, 3)
    with pytest.raises(ValueError, match=r"conv2d: weight must be 4-D.*\(3, 3\)"):
        F.conv2d(ag.zeros(1, 1, 5, 5), ag.zeros(3, 3))
    with pytest.raises(ValueError, match=r"conv2d: bias must have shape \(2,\).*got \(3,\)"):
        F.conv2d(ag.zeros(1, 1, 5, 5), ag.zeros(2, 1, 3, 3), ag.zeros(3))
    with pytest.raises(ValueError, match=r"conv_transpose2d: bias must have shape \(4,\)"):
        F.conv_transpose2d(ag.zeros(1, 2, 3, 3), ag.zeros(2, 2, 3, 3), ag.zeros(2), groups=2)
    with pytest.raises(ValueError, match=r"Conv1d: dilation must be >= 1, got 0"):
        nn.Conv1d(1, 1, 3, dilation=0)
