"""Tests of autograd_core/ops/exponential.py: values against NumPy and formulas, derivatives by
hand, the accuracy promises (log1p and expm1 for tiny x, logaddexp at |x| = 1000, derivatives
that keep their digits at the ends of the range), dtypes, and the NumPy and method spellings."""

import math

import numpy as np
import pytest

import autograd_core as ag

# name -> (ag function, NumPy's, values, the derivative by hand)
UNARY = {
    "log1p": (ag.log1p, np.log1p, (-0.9, 5), lambda x: 1 / (1 + x)),
    "expm1": (ag.expm1, np.expm1, (-5, 5), np.exp),
    "log2": (ag.log2, np.log2, (0.1, 50), lambda x: 1 / (x * math.log(2))),
    "log10": (ag.log10, np.log10, (0.1, 50), lambda x: 1 / (x * math.log(10))),
    "exp2": (ag.exp2, np.exp2, (-5, 5), lambda x: 2**x * math.log(2)),
    "square": (ag.square, np.square, (-5, 5), lambda x: 2 * x),
    "reciprocal": (ag.reciprocal, np.reciprocal, (0.1, 5), lambda x: -1 / x**2),
    "rsqrt": (ag.rsqrt, lambda x: 1 / np.sqrt(x), (0.1, 5), lambda x: -0.5 * x**-1.5),
}


def gradient(f, *values):
    xs = [ag.tensor(np.asarray(v, dtype=np.float64), requires_grad=True) for v in values]
    return [g.data for g in ag.grad(f(*xs).sum(), xs)]


@pytest.mark.parametrize("name", sorted(UNARY))
def test_values_and_derivatives(name, rng):
    function, numpy_function, (low, high), derivative = UNARY[name]
    x = rng.uniform(low, high, (3, 5))
    np.testing.assert_allclose(function(x).data, numpy_function(x), rtol=1e-15, atol=0,
                               err_msg="engine (actual) vs NumPy (desired)")
    np.testing.assert_allclose(getattr(ag.tensor(x), name)().data, numpy_function(x), rtol=1e-15)
    (g,) = gradient(function, x)
    np.testing.assert_allclose(g, derivative(x), rtol=1e-12, err_msg="engine vs by hand")


@pytest.mark.parametrize("name", sorted(set(UNARY) - {"rsqrt"}))
def test_the_numpy_ufunc_records_the_op(name):
    x = ag.tensor([0.5, 2.0], requires_grad=True)
    y = getattr(np, name)(x)
    assert isinstance(y, ag.Tensor) and y.grad_fn is not None
    np.testing.assert_array_equal(y.data, UNARY[name][0](x).data)


def test_log1p_and_expm1_keep_tiny_values_where_log_and_exp_lose_them():
    for x in (1e-20, -1e-17, 3e-300):
        assert ag.log1p(x).item() == pytest.approx(math.log1p(x), rel=1e-15)
        assert ag.expm1(x).item() == pytest.approx(math.expm1(x), rel=1e-15)
    # d expm1/dx = e^x, from x: from the value, e^x = expm1(x) + 1 would be 0 at x = -40
    (g,) = gradient(ag.expm1, [-40.0, -700.0])
    np.testing.assert_allclose(g, np.exp([-40.0, -700.0]), rtol=1e-15)


def test_logaddexp_is_stable_at_a_thousand():
    x = np.array([1000.0, -1000.0, 1000.0, 0.0])
    y = np.array([1000.0, -1000.0, -1000.0, 1000.0])
    z = ag.logaddexp(x, y).data
    np.testing.assert_allclose(z, [1000 + math.log(2), -1000 + math.log(2), 1000.0, 1000.0],
                               rtol=1e-15)
    gx, gy = gradient(ag.logaddexp, x, y)
    np.testing.assert_array_equal(gx, [0.5, 0.5, 1.0, 0.0])
    np.testing.assert_array_equal(gy, [0.5, 0.5, 0.0, 1.0])


def test_logaddexp_gradient_is_the_softmax_of_the_pair(rng):
    x, y = rng.normal(0, 3, (2, 4, 3))
    gx, gy = gradient(ag.logaddexp, x, y)
    np.testing.assert_allclose(gx, np.exp(x) / (np.exp(x) + np.exp(y)), rtol=1e-13)
    np.testing.assert_allclose(gx + gy, 1.0, rtol=1e-15)


def test_logaddexp_of_equal_infinities_splits_the_gradient():
    inf = math.inf
    with np.errstate(invalid="ignore"):  # the values add up to inf - inf in gradient's sum
        gx, gy = gradient(ag.logaddexp, [inf, -inf, inf], [inf, -inf, -inf])
    np.testing.assert_array_equal(gx, [0.5, 0.5, 1.0])
    np.testing.assert_array_equal(gy, [0.5, 0.5, 0.0])


def test_logaddexp_broadcasts_and_takes_numbers(rng):
    x = rng.standard_normal((3, 1))
    np.testing.assert_allclose(ag.logaddexp(x, [0.0, 1.0]).data, np.logaddexp(x, [0.0, 1.0]))
    np.testing.assert_allclose(ag.tensor(x).logaddexp(2.0).data, np.logaddexp(x, 2.0))
    with pytest.raises(ValueError, match=r"logaddexp.*\(3, 1\).*\(2, 2\)"):
        ag.logaddexp(x, np.ones((2, 2)))


def test_derivatives_at_the_ends_of_the_range():
    """log2'(x) and log10'(x) at 1e308 are subnormal, not 0: dividing by x before scaling
    keeps them; rsqrt' at 1e-300 overflows, as the true -0.5e450 does."""
    (g2,) = gradient(ag.log2, [1e308])
    (g10,) = gradient(ag.log10, [1e308])
    assert g2[0] == pytest.approx(1 / 1e308 / math.log(2), rel=1e-13)
    assert g10[0] == pytest.approx(1 / 1e308 / math.log(10), rel=1e-13)
    with np.errstate(over="ignore"):
        (g,) = gradient(ag.rsqrt, [1e-300, 4.0])
    assert g[0] == -math.inf and g[1] == pytest.approx(-0.5 / 8)


def test_reciprocal_and_rsqrt_of_ints_are_floats_and_square_keeps_ints():
    np.testing.assert_array_equal(ag.reciprocal(ag.tensor([1, 2, 4])).data, [1.0, 0.5, 0.25])
    np.testing.assert_array_equal(ag.rsqrt(ag.tensor([1, 4])).data, [1.0, 0.5])
    squared = ag.square(ag.tensor([-3, 2]))
    assert squared.dtype == np.int64 and squared.tolist() == [9, 4]


def test_square_and_reciprocal_at_zero():
    (g,) = gradient(ag.square, [0.0, -0.0])
    np.testing.assert_array_equal(g, [0.0, 0.0])
    with np.errstate(divide="ignore", invalid="ignore"):
        assert ag.reciprocal(ag.tensor([0.0, -0.0])).tolist() == [math.inf, -math.inf]
        (g,) = gradient(ag.reciprocal, [0.0, -0.0])
    np.testing.assert_array_equal(g, [-math.inf, -math.inf])


def test_domain_errors_give_numpy_s_nan_with_its_warning():
    with pytest.warns(RuntimeWarning):
        assert np.isnan(ag.log2(-1.0).item())
    with pytest.warns(RuntimeWarning):
        assert np.isnan(ag.rsqrt(-4.0).item())
    with pytest.warns(RuntimeWarning):
        assert ag.log1p(-1.0).item() == -math.inf
