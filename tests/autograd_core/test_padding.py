"""ops/padding.py: pad against np.pad in every mode and width form, and gradients that fold
each padded copy back onto the element it copies."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.ops.padding import MODES
from autograd_core.tensor_base import next_stamp
from autograd_core.testing import gradcheck, gradgradcheck
from tests.autograd_core.cases import leaf

WIDTHS = [0, 1, 3, (2, 0), ((1, 2),), ((0, 1), (2, 1)), ((1, 1), (0, 0), (2, 3))]


def _fits(width, ndim):
    return np.ndim(width) < 2 or len(width) in (1, ndim)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shape", [(3,), (2, 3), (2, 1, 3)], ids=str)
def test_pad_matches_numpy(mode, shape, rng):
    x = leaf(rng.standard_normal(shape))
    for width in WIDTHS:
        if not _fits(width, len(shape)):
            continue
        y = ag.pad(x, width, mode=mode)
        expected = np.pad(x.data, width, mode=mode)
        assert np.array_equal(y.data, expected), (mode, width)
        assert np.array_equal(np.pad(x, width, mode=mode).data, expected)
        assert not np.shares_memory(y.data, x.data)


@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=3), data=st.data(),
       seed=st.integers(0, 99))
def test_pad_gradient_folds_every_copy_back(shape, data, seed):
    mode = data.draw(st.sampled_from(MODES))
    widths = [(data.draw(st.integers(0, 5)), data.draw(st.integers(0, 5))) for _ in shape]
    rng = np.random.default_rng(seed)
    x = leaf(rng.standard_normal(shape))
    g = rng.standard_normal(np.pad(x.data, widths).shape)
    (engine,) = ag.grad(ag.pad(x, widths, mode=mode), x, ag.tensor(g))
    # by hand: pad the positions themselves; each output adds its g to the element it copies
    source = np.pad(np.arange(x.size).reshape(shape), widths, mode=mode)
    if mode == "constant":
        source = np.pad(np.arange(x.size).reshape(shape), widths, constant_values=-1)
    expected = np.zeros(x.size)
    np.add.at(expected, source[source >= 0], g[source >= 0])
    assert np.allclose(engine.data.reshape(-1), expected), (mode, widths)


@pytest.mark.parametrize("mode", MODES)
def test_pad_derivatives(mode, rng):
    x = leaf(rng.standard_normal((2, 3)))
    assert gradcheck(lambda x: ag.pad(x, ((1, 2), (4, 1)), mode=mode), x)
    assert gradgradcheck(lambda x: x.pad(2, mode) ** 2, x)


def test_pad_constant_values_per_axis_and_dtype():
    x = ag.tensor([[1, 2], [3, 4]])
    y = ag.pad(x, 1, constant_values=((7, 8), (9, 10)))
    assert y.dtype == x.dtype
    assert np.array_equal(y.data, np.pad(x.data, 1, constant_values=((7, 8), (9, 10))))
    assert np.array_equal(ag.pad(ag.tensor(2.0), 3).data, np.pad(2.0, 3))


@pytest.mark.parametrize("call, error, pattern", [
    (lambda x, e: ag.pad(x, -1), ValueError, r"pad: pad widths must be non-negative, got -1"),
    (lambda x, e: ag.pad(x, ((1, 2), (3, 4), (5, 6))), ValueError,
     r"pad: pad_width .* does not fit a tensor of shape \(3, 4\)"),
    (lambda x, e: ag.pad(x, (1, 2, 3)), ValueError, r"pad: pad_width \(1, 2, 3\) does not fit"),
    (lambda x, e: ag.pad(x, 1.5), TypeError, r"pad: pad_width must hold ints"),
    (lambda x, e: ag.pad(x, 1, mode="mean"), ValueError, r"pad: mode must be one of"),
    (lambda x, e: ag.pad(e, 1, mode="wrap"), ValueError, r"pad: cannot pad axis 0 of length 0"),
    (lambda x, e: ag.pad(x, 1, constant_values=(1, 2, 3)), ValueError,
     r"pad: constant_values \(1, 2, 3\) do not fit a tensor of shape \(3, 4\)"),
])
def test_bad_input_names_the_op_and_records_nothing(call, error, pattern):
    x, empty = ag.ones(3, 4, requires_grad=True), ag.ones(0, 2, requires_grad=True)
    before = next_stamp()
    with pytest.raises(error, match=pattern):
        call(x, empty)
    assert next_stamp() == before + 1, "a node was recorded before the error"
