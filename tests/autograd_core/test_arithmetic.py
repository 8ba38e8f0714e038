"""Tests of what autograd_core/ops/arithmetic.py adds to + - * / **: fmax and fmin (NaN-ignoring,
ties split), where maximum and minimum send the gradient of a NaN, lerp (exact at its ends,
gradients by hand), the ag functions' handling of Python numbers, and errors naming the op."""

import math

import numpy as np
import pytest

import autograd_core as ag

NAN = math.nan


def gradient(f, *values):
    xs = [ag.tensor(np.asarray(v, dtype=np.float64), requires_grad=True) for v in values]
    return [g.data for g in ag.grad(f(*xs).sum(), xs)]


@pytest.mark.parametrize("name", ["fmax", "fmin"])
def test_fmax_and_fmin_ignore_nan_and_match_numpy(name):
    x = np.array([1.0, NAN, 3.0, NAN, 2.0])
    y = np.array([2.0, 1.0, NAN, NAN, 2.0])
    expected = getattr(np, name)(x, y)
    for result in (getattr(ag, name)(x, y), getattr(ag.tensor(x), name)(y),
                   getattr(np, name)(ag.tensor(x), y)):
        np.testing.assert_array_equal(result.data, expected)


def test_fmax_sends_the_gradient_to_the_operand_it_returns():
    x, y = [1.0, NAN, 3.0, NAN, 2.0], [2.0, 1.0, NAN, NAN, 2.0]
    gx, gy = gradient(ag.fmax, x, y)
    np.testing.assert_array_equal(gx, [0.0, 0.0, 1.0, 1.0, 0.5])  # a tie splits evenly
    np.testing.assert_array_equal(gy, [1.0, 1.0, 0.0, 0.0, 0.5])
    gx, gy = gradient(ag.fmin, x, y)
    np.testing.assert_array_equal(gx, [1.0, 0.0, 1.0, 1.0, 0.5])
    np.testing.assert_array_equal(gy, [0.0, 1.0, 0.0, 0.0, 0.5])


def test_maximum_and_minimum_send_the_gradient_to_a_nan_operand():
    x, y = [NAN, 1.0, NAN], [1.0, NAN, NAN]
    for function in (ag.maximum, ag.minimum):
        z = function(ag.tensor(x), ag.tensor(y)).data
        assert np.isnan(z).all()
        gx, gy = gradient(function, x, y)
        np.testing.assert_array_equal(gx, [1.0, 0.0, 1.0])
        np.testing.assert_array_equal(gy, [0.0, 1.0, 0.0])


def test_lerp_values_and_gradients_by_hand(rng):
    start, end = rng.standard_normal((2, 3, 4))
    weight = rng.uniform(-0.5, 1.5, (3, 1))
    z = ag.lerp(start, end, weight).data
    np.testing.assert_allclose(z, start + weight * (end - start), rtol=1e-13, atol=1e-15)
    gs, ge, gw = gradient(ag.lerp, start, end, weight)
    np.testing.assert_allclose(gs, np.broadcast_to(1 - weight, (3, 4)), rtol=1e-15)
    np.testing.assert_allclose(ge, np.broadcast_to(weight, (3, 4)), rtol=1e-15)
    np.testing.assert_allclose(gw, (end - start).sum(axis=1, keepdims=True), rtol=1e-13)
    np.testing.assert_array_equal(ag.tensor(start).lerp(end, 0.3).data,
                                  ag.lerp(start, end, 0.3).data)


def test_lerp_is_exact_at_both_ends():
    """start + w (end - start) misses end at w = 1 (3.3 + (0.7 - 3.3) is not 0.7); evaluated
    from the nearer end, as PyTorch does, it is exact."""
    start, end = 3.3, 0.7
    assert start + 1.0 * (end - start) != end
    assert ag.lerp(start, end, 1.0).item() == end and ag.lerp(start, end, 0.0).item() == start
    assert ag.lerp(ag.tensor([1.0, 2.0]), 10.0, 0.5).tolist() == [5.5, 6.0]


def test_lerp_errors_name_the_op_and_shapes():
    with pytest.raises(ValueError, match=r"lerp.*\(2,\).*\(3,\)"):
        ag.lerp(ag.ones(2), ag.ones(3), 0.5)


def test_ag_functions_keep_python_numbers_from_widening_a_tensor():
    x = ag.tensor(np.float32([1.0, 3.0]))
    for result in (ag.maximum(x, 1.5), ag.minimum(2.5, x), ag.where(x > 2, x, 0.0),
                   ag.fmax(x, 2.0), ag.hypot(x, 4.0), ag.mod(x, 2.5)):
        assert result.dtype == np.float32, result
    assert ag.maximum(2, 3.5).dtype == np.float64  # numbers only: made tensors as ag.tensor


def test_errors_name_the_op():
    with pytest.raises(ValueError, match="power: Integers to negative integer powers"):
        ag.tensor([2, 3]) ** -1
    with pytest.raises(TypeError, match="negative: The numpy boolean negative"):
        -ag.tensor([True])
    with pytest.raises(TypeError, match="fmax: cannot make a tensor from a str"):
        ag.fmax(ag.ones(2), "1")
    with pytest.raises(ValueError, match=r"maximum.*\(2,\).*\(3,\)"):
        ag.maximum(ag.ones(2), ag.ones(3))
    t = ag.ones(2)  # methods pass their arguments to the op as they are
    with pytest.raises(TypeError, match="lerp: unsupported operand"):
        t.lerp(None, 0.5)
    with pytest.raises(TypeError, match="hypot: ufunc 'hypot' not supported"):
        t.hypot("a")
    with pytest.raises(TypeError, match="^fmod: "):
        t.fmod(None)
