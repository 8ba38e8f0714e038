"""Tests for nn/functional/interpolate.py and nn/layers/upsample.py: nearest, linear and bilinear
resizing, against per-pixel loops over PyTorch's source-index formulas, and known values."""

import math

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck


def leaf(array):
    return ag.tensor(np.asarray(array, dtype=np.float64), requires_grad=True)


def nearest_source(dst, size, out, scale):
    """PyTorch's nearest: floor(dst in/out), or floor(dst / scale_factor), at most in - 1."""
    ratio = size / out if scale is None else 1 / scale
    return min(math.floor(dst * ratio), size - 1)


def linear_source(dst, size, out, scale, align_corners):
    """PyTorch's linear source position: dst (in-1)/(out-1) with align_corners, else
    (dst + 0.5) in/out - 0.5 clamped at 0; returns the two cells and the second's weight."""
    if align_corners:
        position = dst * (size - 1) / (out - 1) if out > 1 else 0.0
    else:
        ratio = size / out if scale is None else 1 / scale
        position = max((dst + 0.5) * ratio - 0.5, 0.0)
    first = min(math.floor(position), size - 1)
    return first, min(first + 1, size - 1), min(max(position - first, 0.0), 1.0)


def loop_bilinear(x, out_h, out_w, scales, align_corners):
    height, width = x.shape[2:]
    y = np.zeros(x.shape[:2] + (out_h, out_w))
    for r in range(out_h):
        top, bottom, a = linear_source(r, height, out_h, scales[0], align_corners)
        for s in range(out_w):
            left, right, b = linear_source(s, width, out_w, scales[1], align_corners)
            y[:, :, r, s] = ((1 - a) * ((1 - b) * x[:, :, top, left] + b * x[:, :, top, right])
                             + a * ((1 - b) * x[:, :, bottom, left] + b * x[:, :, bottom, right]))
    return y


def loop_nearest(x, sizes, scales):
    y = x
    for axis, (out, scale) in enumerate(zip(sizes, scales), start=2):
        index = [nearest_source(d, x.shape[axis], out, scale) for d in range(out)]
        y = np.take(y, index, axis=axis)
    return y


def test_known_values_of_each_mode():
    # the numbers PyTorch prints for these calls
    x = ag.tensor([[[1.0, 2.0]]])
    np.testing.assert_allclose(F.interpolate(x, size=4, mode="linear").data[0, 0],
                               [1.0, 1.25, 1.75, 2.0])
    np.testing.assert_allclose(
        F.interpolate(x, size=4, mode="linear", align_corners=True).data[0, 0],
        [1.0, 4 / 3, 5 / 3, 2.0])
    np.testing.assert_array_equal(
        F.interpolate(ag.tensor([[[1.0, 2.0, 3.0]]]), size=5).data[0, 0], [1, 1, 2, 2, 3])
    np.testing.assert_array_equal(
        F.interpolate(ag.tensor([[[1.0, 2.0, 3.0, 4.0]]]), scale_factor=0.5).data[0, 0], [1, 3])
    image = ag.tensor(np.arange(4.0).reshape(1, 1, 2, 2))
    np.testing.assert_array_equal(F.interpolate(image, scale_factor=2).data[0, 0],
                                  [[0, 0, 1, 1], [0, 0, 1, 1], [2, 2, 3, 3], [2, 2, 3, 3]])
    np.testing.assert_allclose(
        F.interpolate(image, size=3, mode="bilinear", align_corners=True).data[0, 0],
        [[0, 0.5, 1], [1, 1.5, 2], [2, 2.5, 3]])


@pytest.mark.parametrize("size, scale_factor", [
    ((5, 7), None), (None, 2), (None, (1.5, 0.7)), ((3, 2), None), ((4, 4), None)])
@pytest.mark.parametrize("align_corners", [False, True])
def test_bilinear_equals_pytorchs_formula(rng, size, scale_factor, align_corners):
    x = rng.standard_normal((2, 3, 4, 4))
    y = F.interpolate(ag.tensor(x), size=size, scale_factor=scale_factor, mode="bilinear",
                      align_corners=align_corners)
    scales = (None, None) if scale_factor is None else (
        scale_factor if isinstance(scale_factor, tuple) else (scale_factor,) * 2)
    sizes = size or tuple(math.floor(4 * s) for s in scales)
    assert y.shape == (2, 3) + sizes
    np.testing.assert_allclose(y.data, loop_bilinear(x, *sizes, scales, align_corners),
                               atol=1e-12)


@pytest.mark.parametrize("align_corners", [None, True])
def test_linear_is_bilinear_on_one_row(rng, align_corners):
    x = rng.standard_normal((2, 3, 5))
    y = F.interpolate(ag.tensor(x), size=8, mode="linear", align_corners=align_corners)
    expected = loop_bilinear(x[:, :, None], 1, 8, (None, None), bool(align_corners))[:, :, 0]
    np.testing.assert_allclose(y.data, expected, atol=1e-12)


@pytest.mark.parametrize("shape, size, scale_factor", [
    ((1, 2, 5), 8, None), ((1, 2, 5), None, 1.7), ((1, 2, 4, 6), (7, 3), None),
    ((1, 2, 4, 6), None, (0.5, 2.5)), ((1, 1, 2, 3, 2), (3, 3, 5), None)])
def test_nearest_equals_pytorchs_formula(rng, shape, size, scale_factor):
    x = rng.standard_normal(shape)
    y = F.interpolate(ag.tensor(x), size=size, scale_factor=scale_factor)
    dims = len(shape) - 2
    scales = (None,) * dims if scale_factor is None else (
        scale_factor if isinstance(scale_factor, tuple) else (scale_factor,) * dims)
    sizes = (size if isinstance(size, tuple) else (size,) * dims) if size else tuple(
        math.floor(n * s) for n, s in zip(shape[2:], scales))
    np.testing.assert_array_equal(y.data, loop_nearest(x, sizes, scales))


@pytest.mark.parametrize("mode, shape, options", [
    ("nearest", (1, 2, 3, 3), {"scale_factor": 2}),
    ("linear", (1, 2, 4), {"size": 7, "align_corners": True}),
    ("bilinear", (1, 1, 3, 3), {"size": (4, 5)}),
    ("bilinear", (1, 1, 4, 3), {"scale_factor": 0.6, "align_corners": True}),
])
def test_gradcheck_gradgradcheck(rng, mode, shape, options):
    x = leaf(rng.standard_normal(shape))
    f = lambda x: F.interpolate(x, mode=mode, **options)  # noqa: E731
    assert gradcheck(f, x) and gradgradcheck(f, x)


def test_nearest_upsampling_gradient_sums_over_the_copies():
    x = leaf(np.ones((1, 1, 2, 2)))
    F.interpolate(x, scale_factor=3).sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.full((1, 1, 2, 2), 9.0))


def test_float32_stays_float32(rng):
    x = ag.tensor(rng.standard_normal((1, 2, 3, 3)).astype(np.float32), requires_grad=True)
    y = F.interpolate(x, scale_factor=2, mode="bilinear")
    y.sum().backward()
    assert y.dtype == np.float32 and x.grad.dtype == np.float32


# -- the layer ----------------------------------------------------------------------------------
def test_upsample_matches_interpolate_and_prints_like_pytorch(rng):
    x = ag.tensor(rng.standard_normal((1, 2, 3, 4)))
    layer = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
    expected = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=True)
    np.testing.assert_array_equal(layer(x).data, expected.data)
    assert layer.state_dict() == {} and list(layer.parameters()) == []
    assert repr(nn.Upsample(scale_factor=2)) == "Upsample(scale_factor=2.0, mode='nearest')"
    assert repr(nn.Upsample(size=(4, 5), mode="bilinear")) == (
        "Upsample(size=(4, 5), mode='bilinear')")
    assert repr(layer) == "Upsample(scale_factor=2.0, mode='bilinear', align_corners=True)"


# -- bad input ----------------------------------------------------------------------------------
def test_bad_arguments():
    x = ag.zeros(1, 2, 4, 4)
    with pytest.raises(ValueError, match=r"interpolate: exactly one of size and scale_factor "
                                         r"must be given, got neither"):
        F.interpolate(x)
    with pytest.raises(ValueError, match=r"Upsample: exactly one of size and scale_factor must "
                                         r"be given, got both"):
        nn.Upsample(size=4, scale_factor=2)
    with pytest.raises(ValueError, match=r"interpolate: mode must be one of 'nearest', "
                                         r"'linear', 'bilinear', got 'bicubic'"):
        F.interpolate(x, size=3, mode="bicubic")
    with pytest.raises(ValueError, match=r"interpolate: mode 'linear' needs a 3-D \(N, C, L\) "
                                         r"input, got shape \(1, 2, 4, 4\)"):
        F.interpolate(x, size=3, mode="linear")
    with pytest.raises(ValueError, match=r"Upsample\(size=3, mode='bilinear'\): mode "
                                         r"'bilinear' needs a 4-D"):
        nn.Upsample(size=3, mode="bilinear")(ag.zeros(1, 2, 4))
    with pytest.raises(ValueError, match=r"interpolate: align_corners can only be set with "
                                         r"the interpolating modes"):
        F.interpolate(x, size=3, align_corners=False)
    with pytest.raises(ValueError, match=r"interpolate: size \(3, 3, 3\) has 3 entries for the "
                                         r"2 spatial dims of an input of shape \(1, 2, 4, 4\)"):
        F.interpolate(x, size=(3, 3, 3))
    with pytest.raises(ValueError, match=r"interpolate: size must be a positive int"):
        F.interpolate(x, size=0)
    with pytest.raises(ValueError, match=r"interpolate: scale_factor must be a positive finite"):
        F.interpolate(x, scale_factor=-2)
    with pytest.raises(ValueError, match=r"interpolate: scale_factor 0.2 makes the output size "
                                         r"\(0, 0\)"):
        F.interpolate(x, scale_factor=0.2)
    with pytest.raises(TypeError, match=r"Upsample: align_corners must be None, True or False"):
        nn.Upsample(size=3, mode="bilinear", align_corners="yes")
