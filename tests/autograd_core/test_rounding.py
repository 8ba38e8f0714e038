"""Tests of autograd_core/ops/rounding.py: rounding against NumPy and Python, exact zero
gradients, ints kept as they are, the remainders' sign conventions and gradients, the rounded
divisions against Python's and C's integer division, the % and // operators, and copysign."""

import math

import numpy as np
import pytest

import autograd_core as ag

ROUNDING = {"floor": np.floor, "ceil": np.ceil, "trunc": np.trunc, "round": np.round,
            "sign": np.sign}


def gradient(f, *values, grad_output=None):
    xs = [ag.tensor(np.asarray(v, dtype=np.float64), requires_grad=True) for v in values]
    y = f(*xs)
    grad_output = np.ones(y.shape) if grad_output is None else grad_output
    return [g.data for g in ag.grad(y, xs, grad_outputs=ag.tensor(grad_output))]


@pytest.mark.parametrize("name", sorted(ROUNDING))
def test_rounding_matches_numpy_as_function_method_and_ufunc(name, rng):
    x = rng.uniform(-5, 5, (3, 4))
    x[0, :3] = [-2.5, 0.5, 1.5]  # halves round to even
    expected = ROUNDING[name](x)
    np.testing.assert_array_equal(getattr(ag, name)(x).data, expected)
    np.testing.assert_array_equal(getattr(ag.tensor(x), name)().data, expected)
    via_numpy = ROUNDING[name](ag.tensor(x, requires_grad=True))
    assert isinstance(via_numpy, ag.Tensor) and via_numpy.grad_fn.name == name.capitalize()


def test_round_halves_to_even_and_takes_decimals():
    np.testing.assert_array_equal(ag.round(ag.tensor([0.5, 1.5, 2.5, -0.5, -1.5])).data,
                                  [0.0, 2.0, 2.0, -0.0, -2.0])
    np.testing.assert_allclose(ag.tensor([2.567, -1.234]).round(decimals=2).data, [2.57, -1.23])
    np.testing.assert_array_equal(ag.round(ag.tensor([1234, -1250]), -2).data, [1200, -1200])
    np.testing.assert_array_equal(np.round(ag.tensor([1.26]), 1).data, [1.3])
    with pytest.raises(TypeError, match="round: decimals must be an int, got 1.5"):
        ag.round(ag.tensor([1.0]), 1.5)


@pytest.mark.parametrize("name", sorted(ROUNDING))
def test_rounding_has_exact_zero_gradients_even_under_an_infinite_one(name):
    (g,) = gradient(getattr(ag, name), [0.3, -1.7, 2.5], grad_output=[math.inf, math.nan, 1.0])
    np.testing.assert_array_equal(g, [0.0, 0.0, 0.0])


@pytest.mark.parametrize("name", ["floor", "ceil", "trunc", "round"])
@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.bool_], ids=str)
def test_rounding_keeps_ints_and_bools_as_they_are(name, dtype):
    x = ag.tensor(np.array([0, 1, 1, 0, 1], dtype=dtype))
    y = getattr(ag, name)(x)
    assert y.dtype == dtype and np.array_equal(y.data, x.data)
    y.data[0] = 1  # a copy, not the input's memory
    assert x.data[0] == 0


def test_sign_of_ints_and_bools():
    assert ag.sign(ag.tensor([-3, 0, 5])).tolist() == [-1, 0, 1]
    assert ag.sign(ag.tensor([True, False])).tolist() == [True, False]
    assert np.isnan(ag.sign(math.nan).item())


# x, y, Python's x % y, C's fmod(x, y)
REMAINDERS = [(5.0, 3.0), (-5.0, 3.0), (5.0, -3.0), (-5.0, -3.0), (7.5, 2.0), (-0.5, 0.2)]


@pytest.mark.parametrize("x, y", REMAINDERS)
def test_mod_and_fmod_follow_python_and_c(x, y):
    assert ag.mod(x, y).item() == pytest.approx(x % y, rel=1e-15, abs=1e-15)
    assert ag.fmod(x, y).item() == pytest.approx(math.fmod(x, y), rel=1e-15, abs=1e-15)
    assert ag.floor_divide(x, y).item() == x // y


@pytest.mark.parametrize("x, y", REMAINDERS)
def test_remainder_gradients_by_hand(x, y):
    """r = x - y q: dr/dx = 1 and dr/dy = -q, q = x // y for mod and trunc(x / y) for fmod."""
    assert gradient(ag.mod, [x], [y]) == [[1.0], [-(x // y)]]
    assert gradient(ag.fmod, [x], [y]) == [[1.0], [-math.trunc(x / y)]]


def test_the_quotient_of_a_remainder_gradient_is_the_one_the_value_used():
    """1 / 0.1 rounds to 10, yet 1 = 9 * 0.1 + 0.0999...: the gradient uses q = 9, as mod."""
    assert ag.mod(1.0, 0.1).item() == pytest.approx(1.0 % 0.1)
    assert gradient(ag.mod, [1.0], [0.1])[1] == [-9.0]
    assert gradient(ag.fmod, [1.0], [0.1])[1] == [-9.0]


def test_mod_floor_divide_and_operators_on_integers():
    x = ag.tensor([7, -7, 7, -7])
    y = ag.tensor([2, 2, -2, -2])
    assert ag.mod(x, y).tolist() == [1, 1, -1, -1] == (x % y).tolist()
    assert ag.fmod(x, y).tolist() == [1, -1, 1, -1]
    assert ag.floor_divide(x, y).tolist() == [3, -4, -4, 3] == (x // y).tolist()
    assert (x % y).dtype == np.int64 and (x // 2).dtype == np.int64
    assert (10 % ag.tensor([3, 4])).tolist() == [1, 2]
    assert (10 // ag.tensor([3, 4])).tolist() == [3, 2]
    assert (x.remainder(3)).tolist() == [1, 2, 1, 2]


def test_the_operators_record_mod_and_floor_divide():
    x = ag.tensor([5.5, -2.5], requires_grad=True)
    assert (x % 2).grad_fn.name == "Mod" and (x // 2).grad_fn.name == "FloorDivide"
    (g,) = ag.grad((x % 2 + x // 2).sum(), x)
    np.testing.assert_array_equal(g.data, [1.0, 1.0])  # mod's 1, floor_divide's 0


@pytest.mark.parametrize("x, y", [(7, 2), (-7, 2), (7, -2), (-7, -2), (6, 3), (-6, 4), (0, 5)])
def test_div_rounding_modes_against_python(x, y):
    assert ag.div(x, y).item() == x / y
    assert ag.div(x, y, rounding_mode="floor").item() == x // y
    assert ag.div(x, y, rounding_mode="trunc").item() == int(x / y)  # C: towards zero
    assert ag.div(float(x), y, rounding_mode="trunc").item() == math.trunc(x / y)
    assert ag.tensor([x]).div(y, rounding_mode="trunc").dtype == np.int64


@pytest.mark.parametrize("mode", ["trunc", "floor"])
def test_rounded_divisions_have_zero_gradients(mode):
    gx, gy = gradient(lambda a, b: ag.div(a, b, rounding_mode=mode), [7.5, -1.0], [2.0, 0.3])
    np.testing.assert_array_equal(gx, [0.0, 0.0])
    np.testing.assert_array_equal(gy, [0.0, 0.0])


def test_division_by_zero_keeps_numpy_s_values_with_its_warning():
    with pytest.warns(RuntimeWarning):
        assert np.isnan(ag.mod(1.0, 0.0).item())
    with pytest.warns(RuntimeWarning):
        assert ag.floor_divide(ag.tensor([1]), 0).tolist() == [0]
    with pytest.warns(RuntimeWarning):
        assert ag.div(1.0, 0.0, rounding_mode="trunc").item() == math.inf


def test_bad_arguments_name_the_op():
    with pytest.raises(ValueError, match="div: rounding_mode must be None, 'trunc' or 'floor'"):
        ag.div(ag.ones(2), 2, rounding_mode="round")
    with pytest.raises(ValueError, match=r"mod.*\(2,\).*\(3,\)"):
        ag.mod(ag.ones(2), ag.ones(3))
    with pytest.raises(ValueError, match=r"div.*\(2,\).*\(3,\)"):
        ag.div(ag.ones(2), ag.ones(3), rounding_mode="trunc")
    with pytest.raises(ValueError, match=r"fmod.*\(2, 2\).*\(3,\)"):
        ag.fmod(np.ones((2, 2)), ag.ones(3))


def test_copysign_values_and_gradients():
    x = [2.0, -3.0, 0.0, -0.0, 4.0]
    y = [-1.0, 5.0, -2.0, 1.0, -0.0]
    z = ag.copysign(x, y).data
    np.testing.assert_array_equal(z, np.copysign(x, y))
    assert np.signbit(z[2]) and not np.signbit(z[3]) and np.signbit(z[4])
    gx, gy = gradient(ag.copysign, x, y)
    np.testing.assert_array_equal(gx, [-1.0, -1.0, 0.0, 0.0, -1.0])  # sign(x) sign(y); 0 at 0
    np.testing.assert_array_equal(gy, [0.0] * 5)
    assert ag.copysign(ag.tensor([3]), -1).dtype == np.float64  # a floating op
    assert ag.tensor([1.0]).copysign(-2.0).tolist() == [-1.0]
