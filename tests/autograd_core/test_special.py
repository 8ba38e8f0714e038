"""Tests of autograd_core/ops/special.py: erf and erfc against Python's math.erf / math.erfc
(correctly rounded to about one ulp by the C library) on a dense grid and in the tails, their
special values, dtypes, and first and second derivatives."""

import math

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import erf, erfc
from autograd_core.ops.special import Erf, Erfc
from autograd_core.testing import gradcheck, gradgradcheck

# Dense where the approximations meet (0.46875 and 4), wide out to where erfc underflows.
GRID = np.unique(np.concatenate([
    np.linspace(-7.0, 7.0, 40001),
    np.linspace(-28.0, 28.0, 8001),
    np.geomspace(1e-300, 1.0, 600),
    -np.geomspace(1e-300, 1.0, 600),
    np.nextafter([0.46875, 0.46875, 4.0, 4.0], [0.0, 1.0, 0.0, 5.0]),
]))
SMALLEST_NORMAL = np.finfo(np.float64).tiny


def worst(ours, reference, xs, scale):
    error = np.abs(ours - reference) / scale
    i = int(np.argmax(error))
    return error[i], f"x = {xs[i]!r}: ours {ours[i]!r}, math {reference[i]!r}"


def test_erf_matches_math_erf_to_1e_15_absolute_and_relative():
    ours = erf(GRID).data
    reference = np.array([math.erf(x) for x in GRID])
    error, where = worst(ours, reference, GRID, 1.0)
    assert error <= 1e-15, where
    normal = np.abs(reference) >= SMALLEST_NORMAL
    error, where = worst(ours[normal], reference[normal], GRID[normal], np.abs(reference[normal]))
    assert error <= 1e-15, where


def test_erfc_keeps_its_relative_precision_in_the_tails():
    ours = erfc(GRID).data
    reference = np.array([math.erfc(x) for x in GRID])
    normal = reference >= SMALLEST_NORMAL
    error, where = worst(ours[normal], reference[normal], GRID[normal], reference[normal])
    assert error <= 1e-15, where
    # Below the normal range a float has fewer bits; there both sides agree to one unit.
    tiny = ~normal & (reference > 0)
    assert tiny.any()
    np.testing.assert_allclose(ours[tiny], reference[tiny], rtol=0, atol=5e-324)


@pytest.mark.parametrize("x, expected", [(10.0, math.erfc(10.0)), (26.0, math.erfc(26.0)),
                                         (-5.0, math.erfc(-5.0)), (0.3, math.erfc(0.3))])
def test_erfc_at_named_points(x, expected):
    assert erfc(x).item() == pytest.approx(expected, rel=1e-15, abs=0)


def test_erfc_at_27_is_a_subnormal_and_not_zero():
    value = erfc(27.0).item()
    assert 0 < value < SMALLEST_NORMAL
    assert abs(value - math.erfc(27.0)) <= 5e-324, (value, math.erfc(27.0))
    assert erfc(28.0).item() == 0.0 and erfc(1000.0).item() == 0.0


def test_special_values():
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan])
    y = erf(x).data
    np.testing.assert_array_equal(y[:4], [0.0, -0.0, 1.0, -1.0])
    assert not np.signbit(y[0]) and np.signbit(y[1])  # erf(-0) = -0, as math.erf
    assert np.isnan(y[4])
    z = erfc(x).data
    np.testing.assert_array_equal(z[:4], [1.0, 1.0, 0.0, 2.0])
    assert np.isnan(z[4])
    tiny = 5e-324  # the smallest subnormal: erf(x) ~ 2x/sqrt(pi) still has its sign
    assert erf(tiny).item() == math.erf(tiny) and erf(-tiny).item() == math.erf(-tiny)


def test_symmetries_hold_exactly_on_the_grid():
    np.testing.assert_array_equal(erf(-GRID).data, -erf(GRID).data)
    mid = np.abs(GRID) < 6
    np.testing.assert_allclose(erf(GRID[mid]).data + erfc(GRID[mid]).data, 1.0, rtol=0,
                               atol=2.3e-16)


def test_dtypes_and_shapes():
    assert erf(ag.tensor(np.float32([0.5]))).dtype == np.float32
    assert erfc(ag.tensor(np.float32(12.0))).item() == np.float32(math.erfc(12.0))
    assert erf(ag.tensor([1, 2])).dtype == ag.get_default_dtype()  # ints promote
    assert erf(ag.tensor(0.5)).shape == () and erfc(ag.zeros(2, 0, 3)).shape == (2, 0, 3)
    assert erf(0.5).item() == math.erf(0.5)  # a Python number is wrapped


def test_derivatives_are_the_gaussian(rng):
    x = ag.tensor(rng.uniform(-3, 3, (3, 4)), requires_grad=True)
    (erf(x) + 2.0 * erfc(x)).sum().backward()
    gauss = 2 / math.sqrt(math.pi) * np.exp(-x.data**2)
    np.testing.assert_allclose(x.grad.data, gauss - 2 * gauss, rtol=1e-14)
    assert erf(x).grad_fn.name == "Erf" and erfc(x).grad_fn.name == "Erfc"


@pytest.mark.parametrize("function", [erf, erfc], ids=["erf", "erfc"])
@pytest.mark.parametrize("shape", [(), (5,), (2, 3)])
def test_gradcheck_and_gradgradcheck(function, shape, rng):
    x = ag.tensor(rng.uniform(-2.5, 2.5, shape), requires_grad=True)
    assert gradcheck(function, x)
    assert gradgradcheck(function, x)


@pytest.mark.parametrize("function", [erf, erfc], ids=["erf", "erfc"])
def test_gradients_are_finite_far_out(function):
    x = ag.tensor([-1000.0, -30.0, 30.0, 1000.0], requires_grad=True)
    (g,) = ag.grad(function(x).sum(), x, create_graph=True)
    np.testing.assert_array_equal(g.data, 0.0)
    (h,) = ag.grad(g.sum(), x)
    assert np.isfinite(h.data).all()


def test_primitives_are_the_functions_classes():
    x = ag.tensor([0.25], requires_grad=True)
    np.testing.assert_array_equal(Erf.apply(x).data, erf(x).data)
    np.testing.assert_array_equal(Erfc.apply(x).data, erfc(x).data)
