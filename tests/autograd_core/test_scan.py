"""ops/scan.py: cumsum, cumprod, logcumsumexp, cummax, cummin, diff and the linear recurrence:
values against NumPy or the formula, gradients against finite differences and by hand."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.ops import scan as scan_ops
from autograd_core.tensor_base import next_stamp
from autograd_core.testing import gradcheck, gradgradcheck
from tests.autograd_core.cases import REDUCTION_SHAPES, leaf
from tests.autograd_core.cases_reduce import scan_axes, with_zeros

SHAPE_AXIS = [(shape, axis) for shape in REDUCTION_SHAPES for axis in scan_axes(len(shape))]


def check_both(f, *inputs):
    assert gradcheck(f, inputs)
    assert gradgradcheck(f, inputs)


def assert_close(engine, expected, what, rtol=1e-12):
    assert np.shape(engine) == np.shape(expected), f"{what}: {np.shape(engine)} != " \
                                                   f"{np.shape(expected)}"
    assert np.allclose(engine, expected, rtol=rtol, atol=1e-12), \
        f"{what}:\nengine   {engine}\nexpected {expected}"


@pytest.mark.parametrize("shape, axis", SHAPE_AXIS, ids=str)
def test_cumsum_and_cumprod_match_numpy(shape, axis, rng):
    x = leaf(with_zeros(rng, shape, 2 if np.prod(shape) > 2 else 0))
    assert_close(ag.cumsum(x, axis).data, np.cumsum(x.data, axis), "cumsum")
    assert_close(ag.cumprod(x, axis).data, np.cumprod(x.data, axis), "cumprod")
    assert_close(x.cumsum(axis).data, np.cumsum(x.data, axis), "t.cumsum")
    assert_close(np.cumprod(x, axis).data, np.cumprod(x.data, axis), "np.cumprod(t)")


@pytest.mark.parametrize("shape, axis", [(s, a) for s, a in SHAPE_AXIS if a is not None], ids=str)
def test_scans_against_finite_differences(shape, axis, rng):
    x = leaf(with_zeros(rng, shape, 1))
    check_both(lambda x: ag.cumsum(x, axis), x)
    check_both(lambda x: ag.cumprod(x, axis), x)
    check_both(lambda x: ag.logcumsumexp(x, axis), x)
    check_both(lambda x: ag.cummax(x, axis)[0] + ag.cummin(x, axis)[0], leaf(
        rng.permutation(x.size).reshape(shape) * 0.5 + rng.uniform(-0.1, 0.1, shape)))


def _cumprod_jacobian(x):
    n = x.size
    return np.array([[np.prod(np.delete(x[:i + 1], k)) if k <= i else 0.0 for k in range(n)]
                     for i in range(n)])


@pytest.mark.parametrize("values", [[2.0, 3.0, 0.5, 4.0], [2.0, 0.0, 3.0, 4.0],
                                    [0.0, 3.0, 0.0, 2.0], [0.0, 0.0, 0.0, 1.0]], ids=str)
def test_cumprod_jacobian_is_exact_at_zeros(values):
    x = leaf(values)
    engine = ag.functional.jacobian(ag.cumprod, x).data
    assert np.array_equal(engine, _cumprod_jacobian(np.array(values))), engine


def test_cumprod_second_derivative_is_exact_with_two_zeros():
    # d2 y[3] / dx[0] dx[2] = x[1] x[3] with x[0] = x[2] = 0: both zeros must be differentiated
    x = leaf([0.0, 3.0, 0.0, 2.0])
    hessian = ag.functional.hessian(lambda x: ag.cumprod(x)[3], x).data
    assert hessian[0, 2] == hessian[2, 0] == 6.0, hessian
    assert hessian[1, 3] == 0.0 and hessian[0, 0] == 0.0


def test_logcumsumexp_matches_the_formula_and_is_stable(rng):
    x = leaf(rng.standard_normal((3, 5)))
    assert_close(ag.logcumsumexp(x, 1).data, np.log(np.cumsum(np.exp(x.data), 1)), "values")
    big = leaf([1000.0, 1000.0, -1000.0, 1001.0])
    y = ag.logcumsumexp(big, 0)
    expected = [1000.0, 1000.0 + np.log(2), 1000.0 + np.log(2), 1000.0 + np.log(2 + np.e)]
    assert_close(y.data, expected, "at 1000")
    (g,) = ag.grad(y[-1], big)
    softmax = np.exp(big.data - expected[-1])
    assert np.isfinite(g.data).all() and np.allclose(g.data, softmax), g.data


def test_logcumsumexp_of_a_minus_infinity_prefix_has_zero_gradient_there():
    x = leaf([-np.inf, -np.inf, 0.0, 1.0])
    y = ag.logcumsumexp(x, 0)
    (g,) = ag.grad(y[2] + y[3], x)  # the finite outputs
    expected = [0.0, 0.0, 1 + 1 / (1 + np.e), np.e / (1 + np.e)]
    assert np.allclose(g.data, expected), g.data


def test_cummax_and_cummin_values_indices_and_gradient():
    x = leaf([1.0, 3.0, 2.0, 3.0, 0.0])
    values, indices = ag.cummax(x, 0)
    assert np.array_equal(values.data, [1, 3, 3, 3, 3])
    assert np.array_equal(indices.data, [0, 1, 1, 3, 3])  # ties: the latest, as PyTorch
    assert indices.grad_fn is None and indices.dtype.kind == "i"
    (g,) = ag.grad(values.sum(), x)
    assert np.array_equal(g.data, [1.0, 2.0, 0.0, 2.0, 0.0])  # one per output it fills
    values, indices = x.cummin(0)
    assert np.array_equal(values.data, [1, 1, 1, 1, 0]) and np.array_equal(indices.data,
                                                                           [0, 0, 0, 0, 4])


def test_cummax_along_an_axis_with_nan():
    x = leaf([[1.0, np.nan, 2.0], [0.0, -1.0, 5.0]])
    values, indices = ag.cummax(x, 1)
    assert np.array_equal(values.data, [[1, np.nan, np.nan], [0, 0, 5]], equal_nan=True)
    assert np.array_equal(indices.data, [[0, 1, 1], [0, 0, 2]])


@pytest.mark.parametrize("n", [0, 1, 2, 3])
@pytest.mark.parametrize("shape, axis", [((5,), 0), ((3, 4), 0), ((3, 4), -1), ((2, 3, 4), 1)],
                         ids=str)
def test_diff_matches_numpy(n, shape, axis, rng):
    x = leaf(rng.standard_normal(shape))
    y = ag.diff(x, n=n, axis=axis)
    assert_close(y.data, np.diff(x.data, n=n, axis=axis), "diff")
    if y.size:
        check_both(lambda x: ag.diff(x, n, axis), x)


def test_diff_with_prepend_append_and_bools(rng):
    x = leaf(rng.standard_normal((2, 3)))
    y = ag.diff(x, prepend=0.0, append=x[:, :1])
    assert_close(y.data, np.diff(x.data, prepend=0.0, append=x.data[:, :1]), "prepend/append")
    check_both(lambda x: ag.diff(x, axis=0, prepend=np.ones((1, 3))), x)
    flags = ag.tensor([True, True, False])
    assert np.array_equal(ag.diff(flags).data, np.diff(flags.data))


def test_linear_recurrence_forward_and_reverse(rng):
    b, a = rng.standard_normal((2, 5)), rng.standard_normal((2, 5))
    s = np.zeros_like(b)
    r = np.zeros_like(b)
    for k in range(5):
        s[:, k] = b[:, k] + a[:, k] * (s[:, k - 1] if k else 0)
    for k in reversed(range(5)):
        r[:, k] = b[:, k] + a[:, k] * (r[:, k + 1] if k < 4 else 0)
    assert_close(scan_ops.linear_recurrence(leaf(b), leaf(a), 1).data, s, "forward")
    assert_close(scan_ops.linear_recurrence(b, a, -1, reverse=True), r, "reverse (arrays)")
    check_both(lambda b, a: scan_ops.linear_recurrence(b, a, 0, reverse=True), leaf(b), leaf(a))


@pytest.mark.parametrize("call, error, pattern", [
    (lambda x, s: ag.cumsum(x, 2), ValueError, r"cumsum: axis 2 is out of range.*\(3, 4\)"),
    (lambda x, s: ag.cumprod(x, axis=(0, 1)), TypeError, r"cumprod: axis must be an int"),
    (lambda x, s: ag.logcumsumexp(x, -3), ValueError, r"logcumsumexp: axis -3.*\(3, 4\)"),
    (lambda x, s: ag.cummax(x, 2), ValueError, r"cummax: axis 2"),
    (lambda x, s: ag.diff(x, n=-1), ValueError, r"diff: the order n"),
    (lambda x, s: ag.diff(x, axis=3), ValueError, r"diff: axis 3 .*\(3, 4\)"),
    (lambda x, s: ag.diff(s), ValueError, r"diff: needs a tensor with at least one axis"),
    (lambda x, s: scan_ops.linear_recurrence(x, s, 0), ValueError,
     r"linear_recurrence: b of shape \(3, 4\) and a of shape \(\)"),
])
def test_bad_input_names_the_op_and_records_nothing(call, error, pattern):
    x, scalar = ag.ones(3, 4, requires_grad=True), ag.ones((), requires_grad=True)
    before = next_stamp()
    with pytest.raises(error, match=pattern):
        call(x, scalar)
    assert next_stamp() == before + 1, "a node was recorded before the error"
