"""Tests of nn/init.py: bounds and spreads of every initialiser, PyTorch's fans and gains,
in-place filling without history, reproducibility, and errors."""

import math

import numpy as np
import pytest

import autograd_core as ag
import nn
from nn import init


def weight(*shape, dtype=np.float64):
    return nn.Parameter(np.zeros(shape, dtype=dtype))


def test_uniform_normal_constant_zeros_ones():
    w = weight(300, 200)
    assert init.uniform_(w, -2, 3) is w
    assert w.data.min() >= -2 and w.data.max() < 3 and abs(w.data.mean() - 0.5) < 0.05
    init.normal_(w, mean=1.0, std=0.5)
    assert abs(w.data.mean() - 1) < 0.01 and abs(w.data.std() - 0.5) < 0.01
    np.testing.assert_array_equal(init.constant_(w, 0.25).data, 0.25)
    np.testing.assert_array_equal(init.zeros_(w).data, 0)
    np.testing.assert_array_equal(init.ones_(w).data, 1)


def test_lecun_uniform_bound_is_sqrt_three_over_fan_in():
    w = init.lecun_uniform_(weight(400, 300))
    c = math.sqrt(3 / 300)
    assert np.abs(w.data).max() <= c and np.abs(w.data).max() > 0.99 * c
    assert abs(w.data.var() - 1 / 300) < 0.02 / 300  # U[-c, c] has variance c^2 / 3 = 1 / fan_in
    w = init.lecun_normal_(weight(400, 300))
    assert abs(w.data.std() - math.sqrt(1 / 300)) < 0.01 * math.sqrt(1 / 300)


def test_kaiming_spreads_for_relu():
    w = init.kaiming_normal_(weight(500, 250), nonlinearity="relu")
    assert abs(w.data.std() - math.sqrt(2 / 250)) < 0.01 * math.sqrt(2 / 250)
    w = init.kaiming_uniform_(weight(500, 250), nonlinearity="relu")
    bound = math.sqrt(2) * math.sqrt(3 / 250)
    assert np.abs(w.data).max() <= bound and np.abs(w.data).max() > 0.99 * bound
    assert abs(w.data.std() - math.sqrt(2 / 250)) < 0.01 * math.sqrt(2 / 250)
    w = init.kaiming_normal_(weight(500, 250), mode="fan_out", nonlinearity="relu")
    assert abs(w.data.std() - math.sqrt(2 / 500)) < 0.01 * math.sqrt(2 / 500)


def test_kaiming_uniform_with_a_sqrt5_is_pytorchs_linear_default():
    w = init.kaiming_uniform_(weight(400, 100), a=math.sqrt(5))
    assert np.abs(w.data).max() <= 1 / math.sqrt(100)
    assert np.abs(w.data).max() > 0.99 / math.sqrt(100)


def test_xavier_bound_and_spread():
    w = init.xavier_uniform_(weight(300, 200))
    bound = math.sqrt(6 / 500)
    assert np.abs(w.data).max() <= bound and np.abs(w.data).max() > 0.99 * bound
    w = init.xavier_uniform_(weight(300, 200), gain=2.0)
    assert np.abs(w.data).max() <= 2 * bound and np.abs(w.data).max() > 1.98 * bound
    w = init.xavier_normal_(weight(300, 200))
    assert abs(w.data.std() - math.sqrt(2 / 500)) < 0.01 * math.sqrt(2 / 500)


def test_fans_of_convolution_weights():
    # (out, in, kh, kw) = (16, 8, 3, 3): fan_in = 8 * 9 = 72, fan_out = 16 * 9 = 144.
    w = init.lecun_uniform_(weight(16, 8, 3, 3))
    assert np.abs(w.data).max() <= math.sqrt(3 / 72)
    assert init._fans(w, "test") == (72, 144)
    w = init.xavier_uniform_(weight(16, 8, 3, 3))
    assert np.abs(w.data).max() <= math.sqrt(6 / (72 + 144))
    w = init.kaiming_normal_(weight(64, 32, 5, 5), nonlinearity="relu")
    assert abs(w.data.std() - math.sqrt(2 / 800)) < 0.02 * math.sqrt(2 / 800)


def test_calculate_gain_table():
    assert init.calculate_gain("linear") == 1 and init.calculate_gain("sigmoid") == 1
    assert init.calculate_gain("conv2d") == 1
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("leaky_relu") == pytest.approx(math.sqrt(2 / (1 + 0.01**2)))
    assert init.calculate_gain("leaky_relu", 0.2) == pytest.approx(math.sqrt(2 / 1.04))
    assert init.calculate_gain("selu") == 0.75
    with pytest.raises(ValueError, match="unsupported nonlinearity 'swish'"):
        init.calculate_gain("swish")
    with pytest.raises(TypeError, match="calculate_gain: negative_slope must be a number"):
        init.calculate_gain("leaky_relu", "0.1")


def test_init_is_in_place_without_history_and_keeps_dtype():
    w = weight(4, 3, dtype=np.float32)
    data, version = w.data, w._version
    init.kaiming_uniform_(w)
    assert w.data is data and w.dtype == np.float32 and w._version > version
    assert w.is_leaf and w.requires_grad and w.grad_fn is None
    assert ag.is_grad_enabled()


def test_init_is_reproducible_with_manual_seed():
    ag.manual_seed(5)
    first = init.normal_(weight(3, 3)).data.copy()
    ag.manual_seed(5)
    np.testing.assert_array_equal(init.normal_(weight(3, 3)).data, first)
    ag.manual_seed(5)
    a = nn.Linear(3, 2).weight.data.copy()
    ag.manual_seed(5)
    np.testing.assert_array_equal(nn.Linear(3, 2).weight.data, a)


def test_init_errors():
    with pytest.raises(ValueError, match=r"at least 2 dims, got shape \(5,\)"):
        init.xavier_uniform_(weight(5))
    with pytest.raises(ValueError, match="mode must be 'fan_in' or 'fan_out'"):
        init.kaiming_normal_(weight(2, 2), mode="fan_avg")
    with pytest.raises(TypeError, match="nn.init.zeros_: the tensor must be a Tensor, got ndarray"):
        init.zeros_(np.zeros(3))


def test_init_rejects_bad_numbers_and_integer_tensors():
    with pytest.raises(ValueError, match="nn.init.uniform_: b must be finite"):
        init.uniform_(weight(2, 2), 0, float("inf"))
    with pytest.raises(TypeError, match="nn.init.normal_: std must be a number"):
        init.normal_(weight(2, 2), std="1")
    with pytest.raises(ValueError, match="std must be non-negative"):
        init.normal_(weight(2, 2), std=-1.0)
    with pytest.raises(ValueError, match="negative_slope must be finite"):
        init.kaiming_uniform_(weight(2, 2), a=float("nan"))
    with pytest.raises(TypeError, match="must be floating point, got dtype int64"):
        init.zeros_(ag.tensor(np.array([1, 2])))
    with pytest.raises(TypeError, match="nn.init.xavier_uniform_: the tensor must be a Tensor"):
        init.xavier_uniform_(None)
    assert np.isnan(init.constant_(weight(2), float("nan")).data).all()  # a value, not a bound


def test_init_of_empty_tensors_is_a_no_op():
    for fill in (init.xavier_uniform_, init.kaiming_normal_, init.lecun_uniform_):
        assert fill(weight(0, 3)).shape == (0, 3)


def test_kaiming_with_a_huge_slope():
    # gain sqrt(2 / (1 + a^2)) underflows towards 0 instead of overflowing
    assert np.abs(init.kaiming_uniform_(weight(3, 2), a=1e200).data).max() == 0
    assert np.abs(init.kaiming_normal_(weight(3, 2), a=10**30).data).max() < 1e-29
    with pytest.raises(ValueError, match="negative_slope is too large for a float"):
        init.kaiming_uniform_(weight(3, 2), a=10**400)
