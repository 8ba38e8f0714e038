"""ag.linalg's norms (autograd_core/ops/linalg_norm.py): values against NumPy for every order,
axis and keepdims; gradients against finite differences (to second order) and hand
derivations; the convention at the zero vector; errors for orders NumPy refuses."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_cli.inputs import distinct_singular_values, nonzero
from autograd_core.testing import check_jacobian, gradcheck, gradgradcheck
from tests.autograd_core.cases import leaf

L = ag.linalg
INF = np.inf
VECTOR_ORDERS = [None, 2, 1, -1, 3, 0.5, -2.5, INF, -INF, 0]
MATRIX_ORDERS = [None, "fro", "nuc", 1, -1, 2, -2, INF, -INF]


def assert_close(engine, expected, what):
    assert np.allclose(engine.data, expected, rtol=1e-10, atol=1e-12), (
        f"{what}:\nengine   {engine.data}\nexpected {expected}")


# -- values ---------------------------------------------------------------------------------
@pytest.mark.parametrize("order", VECTOR_ORDERS, ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_vector_norms_match_numpy(order, keepdims, rng):
    x = nonzero(rng, (2, 3, 4))
    for axis in (0, -1, 1):
        assert_close(L.norm(leaf(x), order, axis, keepdims), np.linalg.norm(x, order, axis,
                     keepdims), f"norm ord={order} axis={axis}")
    assert_close(L.norm(leaf(x[0, 0]), order, keepdims=keepdims),
                 np.linalg.norm(x[0, 0], order, keepdims=keepdims), f"norm ord={order} of a vector")
    vector_order = 2 if order is None else order
    for axis in (None, (0, 2), 1):
        assert_close(L.vector_norm(leaf(x), vector_order, axis, keepdims),
                     np.linalg.vector_norm(x, ord=vector_order, axis=axis, keepdims=keepdims),
                     f"vector_norm ord={vector_order} axis={axis}")


@pytest.mark.parametrize("order", MATRIX_ORDERS, ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_matrix_norms_match_numpy(order, keepdims, rng):
    x = nonzero(rng, (2, 3, 4))
    for axis in ((1, 2), (2, 0), (-1, -2)):
        assert_close(L.norm(leaf(x), order, axis, keepdims),
                     np.linalg.norm(x, order, axis, keepdims), f"norm ord={order} axis={axis}")
    assert_close(L.norm(leaf(x[0]), order, keepdims=keepdims),
                 np.linalg.norm(x[0], order, keepdims=keepdims), f"norm ord={order} of a matrix")
    if order is not None:
        assert_close(L.matrix_norm(leaf(x), order, keepdims),
                     np.linalg.matrix_norm(x, ord=order, keepdims=keepdims),
                     f"matrix_norm ord={order}")


def test_norm_of_all_entries_for_any_dims_and_of_integers(rng):
    x = rng.standard_normal((2, 3, 4))
    assert_close(L.norm(leaf(x)), np.linalg.norm(x), "norm of a 3-D tensor")
    assert_close(L.norm(leaf(x), keepdims=True), np.linalg.norm(x, keepdims=True), "keepdims")
    assert_close(L.norm(leaf(np.array(-3.0))), 3.0, "norm of a scalar")
    y = L.norm(ag.tensor([3, 4]))
    assert y.dtype == np.float64 and y.item() == 5.0
    assert L.norm(ag.tensor([3, 4]), 1).item() == 7.0


def test_numpy_names_record_the_norms(rng):
    x = leaf(rng.standard_normal((3, 4)))
    for y, expected in [(np.linalg.norm(x, axis=1), np.linalg.norm(x.data, axis=1)),
                        (np.linalg.vector_norm(x, ord=3), np.linalg.vector_norm(x.data, ord=3)),
                        (np.linalg.matrix_norm(x, ord="nuc"),
                         np.linalg.matrix_norm(x.data, ord="nuc"))]:
        assert isinstance(y, ag.Tensor) and y.requires_grad
        assert_close(y, expected, "np.linalg on a tensor")


# -- gradients ------------------------------------------------------------------------------
@pytest.mark.parametrize("order", [o for o in VECTOR_ORDERS if o != 0], ids=str)
def test_vector_norm_gradients_to_second_order(order, rng):
    x = leaf(nonzero(rng, (3, 4)))
    for f in (lambda x: L.norm(x, order, -1), lambda x: L.norm(x, order, 0, keepdims=True),
              lambda x: L.vector_norm(x, 2 if order is None else order)):
        assert gradcheck(f, x) and gradgradcheck(f, x)


@pytest.mark.parametrize("order", MATRIX_ORDERS, ids=str)
def test_matrix_norm_gradients_to_second_order(order, rng):
    x = leaf(distinct_singular_values(rng, (2, 3, 4)) + 0.1 * nonzero(rng, (2, 3, 4)))
    for f in (lambda x: L.norm(x, order, (1, 2)), lambda x: L.norm(x, order, (2, 0), True)):
        assert gradcheck(f, x) and gradgradcheck(f, x)


def test_gradients_by_hand(rng):
    """d||x||_2 = x / ||x||; d||x||_1 = sign(x); d||x||_inf = sign(x_k) at k = argmax |x|;
    d||x||_p = sign(x) |x|^(p-1) / ||x||_p^(p-1); d||X||_nuc = U Vh; d||X||_2 = u_1 v_1^T;
    d||X||_1 = sign(X) in the column with the largest sum of |X|."""
    x = nonzero(rng, (5,))
    assert check_jacobian(L.norm, leaf(x), x / np.linalg.norm(x))
    assert check_jacobian(lambda x: L.norm(x, 1), leaf(x), np.sign(x))
    k = np.argmax(np.abs(x))
    assert check_jacobian(lambda x: L.norm(x, INF), leaf(x), np.sign(x) * (np.arange(5) == k))
    p = 3.0
    expected = np.sign(x) * np.abs(x) ** (p - 1) / np.linalg.norm(x, p) ** (p - 1)
    assert check_jacobian(lambda x: L.vector_norm(x, p), leaf(x), expected)
    a = distinct_singular_values(rng, (4, 3))
    u, _, vh = np.linalg.svd(a, full_matrices=False)
    assert check_jacobian(lambda a: L.norm(a, "nuc"), leaf(a), u @ vh)
    assert check_jacobian(lambda a: L.norm(a, 2), leaf(a), np.outer(u[:, 0], vh[0]))
    assert check_jacobian(lambda a: L.norm(a, -2), leaf(a), np.outer(u[:, -1], vh[-1]))
    column = np.argmax(np.abs(a).sum(axis=0))
    assert check_jacobian(lambda a: L.norm(a, 1), leaf(a), np.sign(a) * (np.arange(3) == column))


def test_the_two_norm_of_the_zero_vector_has_zero_gradient_and_zero_slope():
    for f in (L.norm, L.vector_norm, lambda x: L.norm(x, 3), lambda x: L.norm(x, axis=-1).sum(),
              lambda x: L.matrix_norm(x.reshape(2, 2))):
        x = ag.zeros(4, requires_grad=True)
        (g,) = ag.grad(f(x), x, create_graph=True)
        (h,) = ag.grad(g.sum(), x)
        assert np.array_equal(g.data, np.zeros(4)) and np.array_equal(h.data, np.zeros(4)), (g, h)


def test_the_one_norm_has_zero_gradient_at_a_zero_entry():
    x = ag.tensor([0.0, -2.0, 3.0], requires_grad=True)
    (g,) = ag.grad(L.norm(x, 1), x)
    assert np.array_equal(g.data, [0.0, -1.0, 1.0])


def test_ties_of_the_infinity_norm_split_the_gradient():
    x = ag.tensor([3.0, -3.0, 1.0], requires_grad=True)
    (g,) = ag.grad(L.norm(x, INF), x)
    assert np.array_equal(g.data, [0.5, -0.5, 0.0])


def test_the_zero_order_counts_nonzero_entries_without_history():
    x = ag.tensor([[0.0, 2.0], [-1.0, 0.0]], requires_grad=True)
    y = L.norm(x, 0, axis=1)
    assert np.array_equal(y.data, [1.0, 1.0]) and not y.requires_grad


# -- errors ---------------------------------------------------------------------------------
@pytest.mark.parametrize("call, pattern", [
    (lambda x: L.norm(x[0, 0], "fro"), r"vector_norm: invalid norm order 'fro' for vectors"),
    (lambda x: L.norm(x, "nuc", axis=0), r"invalid norm order 'nuc' for vectors"),
    (lambda x: L.norm(x[0], 3), r"matrix_norm: invalid norm order 3 for matrices"),
    (lambda x: L.norm(x, 2), r"norm: ord=2 without axis needs a 1-D or 2-D tensor, got 3 dims"),
    (lambda x: L.norm(x, axis=(0, 1, 2)), r"norm: axis must name one axis .* or two"),
    (lambda x: L.matrix_norm(x[0, 0]), r"matrix_norm: argument 'x' .* shape \(4,\)"),
    (lambda x: L.norm(x, 2, axis=(1, 1)), r"repeated axis"),
    (lambda x: L.vector_norm(x, axis=3), r"axis 3 is out of range"),
])
def test_bad_orders_and_axes(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call(ag.ones(2, 3, 4, requires_grad=True))
