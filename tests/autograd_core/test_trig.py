"""Tests of autograd_core/ops/trig.py: values against NumPy, derivatives by hand and at high
precision where the textbook formula loses digits, the singular points of arctan2 and hypot,
and the method and NumPy spellings of each op."""

import math
from decimal import Decimal, getcontext

import numpy as np
import pytest

import autograd_core as ag

# name -> (ag function, NumPy function, values inside the domain, the derivative by hand)
UNARY = {
    "tan": (ag.tan, np.tan, (-1.2, 1.2), lambda x: 1 / np.cos(x) ** 2),
    "arcsin": (ag.arcsin, np.arcsin, (-0.99, 0.99), lambda x: 1 / np.sqrt(1 - x * x)),
    "arccos": (ag.arccos, np.arccos, (-0.99, 0.99), lambda x: -1 / np.sqrt(1 - x * x)),
    "arctan": (ag.arctan, np.arctan, (-30, 30), lambda x: 1 / (1 + x * x)),
    "sinh": (ag.sinh, np.sinh, (-5, 5), np.cosh),
    "cosh": (ag.cosh, np.cosh, (-5, 5), np.sinh),
    "arcsinh": (ag.arcsinh, np.arcsinh, (-30, 30), lambda x: 1 / np.sqrt(1 + x * x)),
    "arccosh": (ag.arccosh, np.arccosh, (1.01, 30), lambda x: 1 / np.sqrt(x * x - 1)),
    "arctanh": (ag.arctanh, np.arctanh, (-0.99, 0.99), lambda x: 1 / (1 - x * x)),
    "degrees": (ag.degrees, np.degrees, (-7, 7), lambda x: np.full_like(x, 180 / np.pi)),
    "radians": (ag.radians, np.radians, (-400, 400), lambda x: np.full_like(x, np.pi / 180)),
}


def gradient(f, *values):
    xs = [ag.tensor(np.asarray(v, dtype=np.float64), requires_grad=True) for v in values]
    return [g.data for g in ag.grad(f(*xs).sum(), xs)]


@pytest.mark.parametrize("name", sorted(UNARY))
def test_values_and_derivatives(name, rng):
    function, numpy_function, (low, high), derivative = UNARY[name]
    x = rng.uniform(low, high, (4, 5))
    y = function(ag.tensor(x))
    np.testing.assert_allclose(y.data, numpy_function(x), rtol=1e-15, atol=0,
                               err_msg="engine (actual) vs NumPy (desired)")
    (g,) = gradient(function, x)
    np.testing.assert_allclose(g, derivative(x), rtol=1e-12, err_msg="engine vs by hand")


@pytest.mark.parametrize("name", sorted(UNARY))
def test_numpy_ufunc_and_method_record_the_same_op(name):
    function, numpy_function, (low, high) = UNARY[name][:3]
    x = ag.tensor([low + 0.5 * (high - low), low + 0.25 * (high - low)], requires_grad=True)
    via_numpy = numpy_function(x)
    assert isinstance(via_numpy, ag.Tensor) and via_numpy.grad_fn.name == name.capitalize()
    np.testing.assert_array_equal(via_numpy.data, function(x).data)
    method = getattr(ag.Tensor, name, None)
    if method is not None:
        np.testing.assert_array_equal(method(x).data, function(x).data)
    assert x.deg2rad().grad_fn.name == "Radians" and x.rad2deg().grad_fn.name == "Degrees"


def _exact_derivative(formula, x):
    """formula(Decimal x) to 40 digits, as a float: the reference for near-singular points."""
    getcontext().prec = 40
    return float(formula(Decimal(x)))


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning")  # 1 + x^2 at 1e200: the true 0
@pytest.mark.parametrize("name, x, formula", [
    ("arcsin", 1 - 2**-40, lambda x: 1 / (1 - x * x).sqrt()),
    ("arccos", -1 + 2**-40, lambda x: -1 / (1 - x * x).sqrt()),
    ("arctanh", 1 - 2**-45, lambda x: 1 / (1 - x * x)),
    ("arccosh", 1 + 2**-40, lambda x: 1 / (x * x - 1).sqrt()),
    ("arcsinh", 1e300, lambda x: 1 / (1 + x * x).sqrt()),
    ("arccosh", 1e300, lambda x: 1 / (x * x - 1).sqrt()),
    ("arctan", 1e200, lambda x: 1 / (1 + x * x)),
])
def test_derivatives_keep_their_digits_near_singularities_and_at_the_ends(name, x, formula):
    """1 - x^2 loses the digits of x near 1, and 1 + x^2 overflows at 1e300; the engine's forms
    (1 - x)(1 + x) and hypot(1, x) do not."""
    (g,) = gradient(UNARY[name][0], [x])
    expected = _exact_derivative(formula, x)
    assert g[0] == pytest.approx(expected, rel=1e-14, abs=0), (g[0], expected)


def test_arctan2_values_follow_numpy_and_its_argument_order(rng):
    y, x = rng.standard_normal((2, 3, 4))
    np.testing.assert_array_equal(ag.arctan2(y, x).data, np.arctan2(y, x))
    np.testing.assert_array_equal(ag.tensor(y).arctan2(x).data, np.arctan2(y, x))
    assert ag.arctan2(1.0, -1.0).item() == pytest.approx(3 * math.pi / 4)


def test_arctan2_and_hypot_gradients_by_hand():
    gy, gx = gradient(ag.arctan2, [1.0, -3.0], [2.0, 4.0])
    np.testing.assert_allclose(gy, [2 / 5, 4 / 25], rtol=1e-15)  # x / (x^2 + y^2)
    np.testing.assert_allclose(gx, [-1 / 5, 3 / 25], rtol=1e-15)  # -y / (x^2 + y^2)
    ga, gb = gradient(ag.hypot, [3.0, -5.0], [4.0, 12.0])
    np.testing.assert_allclose(ga, [3 / 5, -5 / 13], rtol=1e-15)
    np.testing.assert_allclose(gb, [4 / 5, 12 / 13], rtol=1e-15)


def test_arctan2_gradient_at_the_origin_is_zero_and_tiny_points_keep_it():
    """PyTorch's value at the origin; 1e-300 from it the gradient is 1 / (2e-300), where
    x^2 + y^2 underflows (PyTorch's formula gives 0 there)."""
    gy, gx = gradient(ag.arctan2, [0.0, -0.0, 1e-300], [0.0, 0.0, 1e-300])
    np.testing.assert_array_equal(gy[:2], [0.0, 0.0])
    np.testing.assert_array_equal(gx[:2], [0.0, 0.0])
    assert gy[2] == pytest.approx(0.5e300, rel=1e-15) and gx[2] == pytest.approx(-0.5e300)


def test_arctan2_and_hypot_at_infinity_take_the_limits():
    inf = math.inf
    gy, gx = gradient(ag.arctan2, [inf, 1.0, inf], [1.0, -inf, inf])
    np.testing.assert_array_equal(gy, [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(gx, [0.0, 0.0, 0.0])
    ga, gb = gradient(ag.hypot, [inf, 2.0, -inf], [1.0, -inf, 3.0])
    np.testing.assert_array_equal(ga, [1.0, 0.0, -1.0])
    np.testing.assert_array_equal(gb, [0.0, -1.0, 0.0])


def test_hypot_gradient_at_the_origin_is_nan_and_nan_propagates():
    with np.errstate(invalid="ignore"):
        ga, gb = gradient(ag.hypot, [0.0, math.nan], [0.0, 1.0])
        gy, gx = gradient(ag.arctan2, [math.nan, math.nan], [1.0, math.inf])
    assert np.isnan(ga).all() and np.isnan(gb[0])
    assert np.isnan(gy).all() and np.isnan(gx).all()


def test_hypot_neither_overflows_nor_underflows():
    np.testing.assert_allclose(ag.hypot(3e300, 4e300).item(), 5e300, rtol=1e-15)
    np.testing.assert_allclose(ag.hypot(3e-300, 4e-300).item(), 5e-300, rtol=1e-15)
    ga, gb = gradient(ag.hypot, [3e300], [4e300])
    np.testing.assert_allclose([ga[0], gb[0]], [0.6, 0.8], rtol=1e-15)


def test_degrees_and_radians_are_inverse(rng):
    x = rng.uniform(-10, 10, 6)
    np.testing.assert_allclose(ag.radians(ag.degrees(x)).data, x, rtol=1e-15)
    assert ag.degrees(math.pi).item() == pytest.approx(180.0, rel=1e-15)


def test_domain_errors_give_numpy_s_nan_and_warning_not_an_exception():
    with pytest.warns(RuntimeWarning, match="invalid value"):
        y = ag.arcsin(ag.tensor([2.0, 0.5]))
    assert np.isnan(y.data[0]) and y.data[1] == pytest.approx(math.asin(0.5))
    with pytest.warns(RuntimeWarning):
        assert np.isnan(ag.arccosh(0.5).item())


def test_shape_and_type_errors_name_the_op():
    with pytest.raises(ValueError, match=r"arctan2.*\(3,\).*\(4,\)"):
        ag.arctan2(ag.ones(3), ag.ones(4))
    with pytest.raises(ValueError, match=r"hypot.*\(2, 3\).*\(2,\)"):
        ag.hypot(ag.ones(2, 3), np.ones(2))
    with pytest.raises(TypeError, match="tan: cannot make a tensor from a str"):
        ag.tan("0.5")
    with pytest.raises(TypeError, match="arctan2: cannot make a tensor from a NoneType"):
        ag.arctan2(ag.ones(2), None)
