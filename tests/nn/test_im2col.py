"""Tests for nn/functional/im2col.py: the im2col lowering, its adjoint col2im, per-side padding
and the output-size rule, against loops written from the definitions."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck
from nn.functional.im2col import Col2Im, Im2Col, col2im, frame, im2col, negated, output_size


def leaf(array):
    return ag.tensor(np.asarray(array, dtype=np.float64), requires_grad=True)


def loop_columns(x, kernel, stride, pads, dilation):
    """cols[n, c, i, j, r, s] = padded[n, c, r sh + i dh, s sw + j dw], with explicit loops."""
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    ((top, bottom), (left, right)) = pads
    n_images, channels, height, width = x.shape
    padded = np.zeros((n_images, channels, height + top + bottom, width + left + right))
    padded[:, :, top : top + height, left : left + width] = x
    ho = (padded.shape[2] - dh * (kh - 1) - 1) // sh + 1
    wo = (padded.shape[3] - dw * (kw - 1) - 1) // sw + 1
    cols = np.zeros((n_images, channels, kh, kw, ho, wo))
    for i in range(kh):
        for j in range(kw):
            for r in range(ho):
                for s in range(wo):
                    cols[:, :, i, j, r, s] = padded[:, :, r * sh + i * dh, s * sw + j * dw]
    return cols


# (kernel, stride, pads, dilation)
CASES = [
    ((2, 2), (1, 1), ((0, 0), (0, 0)), (1, 1)),
    ((3, 2), (2, 1), ((1, 1), (0, 0)), (1, 1)),
    ((2, 3), (2, 2), ((1, 1), (2, 2)), (1, 1)),
    ((3, 3), (3, 3), ((0, 0), (0, 0)), (1, 1)),  # stride = kernel: no overlap
    ((2, 2), (1, 2), ((0, 1), (1, 0)), (2, 1)),  # asymmetric pads, dilation
    ((2, 2), (2, 1), ((1, 0), (0, 0)), (2, 2)),
]


@pytest.mark.parametrize("kernel, stride, pads, dilation", CASES)
def test_im2col_equals_the_loop_definition(rng, kernel, stride, pads, dilation):
    x = rng.standard_normal((2, 2, 5, 4))
    cols = Im2Col.apply(ag.tensor(x), kernel=kernel, stride=stride, pads=pads, dilation=dilation)
    expected = loop_columns(x, kernel, stride, pads, dilation)
    assert cols.shape == expected.shape
    np.testing.assert_array_equal(cols.data, expected)


@pytest.mark.parametrize("kernel, stride, pads, dilation", CASES)
def test_im2col_and_col2im_gradcheck_gradgradcheck(rng, kernel, stride, pads, dilation):
    x = leaf(rng.standard_normal((1, 2, 5, 4)))
    options = {"kernel": kernel, "stride": stride, "pads": pads, "dilation": dilation}

    def f(x):
        return Im2Col.apply(x, **options)

    assert gradcheck(f, x) and gradgradcheck(f, x)
    cols = leaf(rng.standard_normal(f(x).shape))

    def g(cols):
        return Col2Im.apply(cols, shape=x.shape, **options)

    assert gradcheck(g, cols) and gradgradcheck(g, cols)


@pytest.mark.parametrize("pads", [((1, 2), (0, 1)), ((2, -1), (1, -2))])
def test_im2col_and_col2im_are_adjoint(rng, pads):
    """<im2col(x), c> = <x, col2im(c)>, also where a pad is negative (the image reaches past
    the windows: what a transposed convolution's output_padding makes)."""
    x = rng.standard_normal((2, 3, 7, 6))
    options = {"kernel": (3, 2), "stride": (2, 1), "pads": pads, "dilation": (1, 2)}
    cols = Im2Col.apply(ag.tensor(x), **options)
    c = rng.standard_normal(cols.shape)
    back = Col2Im.apply(ag.tensor(c), shape=x.shape, **options)
    assert np.isclose((cols.data * c).sum(), (x * back.data).sum())


def test_public_im2col_and_col2im_take_ints_and_pairs(rng):
    x = rng.standard_normal((1, 2, 6, 5))
    cols = im2col(ag.tensor(x), (3, 2), stride=(2, 1), padding=(1, 2), dilation=(1, 2))
    np.testing.assert_array_equal(
        cols.data, loop_columns(x, (3, 2), (2, 1), ((1, 1), (2, 2)), (1, 2)))
    back = col2im(cols, x.shape, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(1, 2))
    assert back.shape == x.shape


def test_col2im_counts_overlapping_patches():
    counts = col2im(im2col(ag.ones(1, 1, 4, 4), 3), (1, 1, 4, 4), 3).data[0, 0]
    np.testing.assert_array_equal(counts, [[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]])
    # dilation 2 on 7 pixels: windows at 0, 1, 2 take pixels {0, 2, 4}, {1, 3, 5}, {2, 4, 6}
    counts = col2im(im2col(ag.ones(1, 1, 7, 7), 3, dilation=2), (1, 1, 7, 7), 3, dilation=2)
    np.testing.assert_array_equal(counts.data[0, 0, 0], [1, 1, 2, 1, 2, 1, 1])


@given(before=st.integers(-2, 2), after=st.integers(-2, 2), seed=st.integers(0, 99))
def test_frame_and_its_negation_are_adjoint(before, after, seed):
    rng = np.random.default_rng(seed)
    pads = ((before, after), (after, before))
    x = rng.standard_normal((1, 2, 4, 5))
    framed = frame(x, pads)
    assert framed.shape == (1, 2, 4 + before + after, 5 + before + after)
    y = rng.standard_normal(framed.shape)
    assert np.isclose((framed * y).sum(), (x * frame(y, negated(pads))).sum())


@given(length=st.integers(1, 12), kernel=st.integers(1, 4), stride=st.integers(1, 3),
       before=st.integers(0, 2), after=st.integers(0, 2), dilation=st.integers(1, 3))
def test_output_size_counts_the_windows_that_fit(length, kernel, stride, before, after,
                                                 dilation):
    reach = dilation * (kernel - 1) + 1
    starts = [r for r in range(0, length + before + after, stride)
              if r + reach <= length + before + after]
    shape = (1, 1, length)
    if not starts:
        with pytest.raises(ValueError, match="larger than the padded input"):
            output_size(shape, (kernel,), (stride,), ((before, after),), (dilation,), "f")
        return
    found = output_size(shape, (kernel,), (stride,), ((before, after),), (dilation,), "f")
    assert found == (len(starts),), (found, starts)


def test_bad_arguments():
    with pytest.raises(ValueError, match=r"col2im: columns of shape \(1, 1, 2, 2, 3, 3\)"):
        col2im(ag.zeros(1, 1, 2, 2, 3, 3), (1, 1, 5, 5), 2)
    with pytest.raises(ValueError, match=r"im2col: expected a 4-D input.*\(5, 5\)"):
        im2col(ag.zeros(5, 5), 2)
    with pytest.raises(ValueError, match=r"im2col: kernel \(3, 3\) with dilation \(2, 2\) spans "
                                         r"\(5, 5\), which is larger than the padded input "
                                         r"\(4, 4\)"):
        im2col(ag.zeros(1, 1, 4, 4), 3, dilation=2)
    with pytest.raises(ValueError, match=r"im2col: dilation must be >= 1, got 0"):
        im2col(ag.zeros(1, 1, 4, 4), 3, dilation=0)
