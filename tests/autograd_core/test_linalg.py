"""ag.linalg (autograd_core/ops/linalg_*.py): forward values against NumPy, gradients against
finite differences and hand derivations, the documented behaviour at singular and degenerate
matrices, NumPy's names on tensors, and the errors for bad input. The norms are in
test_linalg_norm.py; every primitive is also checked to second order over random shapes by
test_primitives.py (cases_linalg.py).
"""

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
from autograd_cli.inputs import (
    distinct_eigenvalues,
    distinct_singular_values,
    invertible,
    positive_definite,
)
from autograd_core.tensor_base import next_stamp
from autograd_core.testing import check_jacobian, gradcheck, gradgradcheck
from tests.autograd_core.cases import leaf

L = ag.linalg


def sym(x):
    return (x + x.swapaxes(-1, -2)) / 2


def assert_close(engine, expected, what, rtol=1e-10, atol=1e-12):
    engine = engine.data if isinstance(engine, ag.Tensor) else np.asarray(engine)
    assert np.allclose(engine, expected, rtol=rtol, atol=atol), (
        f"{what}:\nengine\n{engine}\nexpected\n{np.asarray(expected)}")


# -- forward values against NumPy ---------------------------------------------------------------
SQUARE = [(3, 3), (2, 4, 4), (2, 1, 3, 3)]
RECTANGULAR = [(4, 3), (3, 5), (2, 4, 2), (2, 2, 3)]

# name -> (ag function, NumPy function, how to draw the input)
FORWARDS = {
    "inv": (L.inv, np.linalg.inv, invertible, SQUARE),
    "det": (L.det, np.linalg.det, invertible, SQUARE),
    "slogdet": (L.slogdet, np.linalg.slogdet, invertible, SQUARE),
    "pinv": (L.pinv, np.linalg.pinv, distinct_singular_values, RECTANGULAR),
    "cholesky": (L.cholesky, np.linalg.cholesky, positive_definite, SQUARE),
    "cholesky upper": (lambda a: L.cholesky(a, upper=True),
                       lambda a: np.linalg.cholesky(a, upper=True), positive_definite, SQUARE),
    "qr": (L.qr, np.linalg.qr, distinct_singular_values, RECTANGULAR),
    "qr r": (lambda a: L.qr(a, mode="r"), lambda a: np.linalg.qr(a, mode="r"),
             distinct_singular_values, RECTANGULAR),
    "eigh": (L.eigh, np.linalg.eigh, distinct_eigenvalues, SQUARE),
    "eigh upper": (lambda a: L.eigh(a, UPLO="U"), lambda a: np.linalg.eigh(a, UPLO="U"),
                   lambda rng, s: np.triu(distinct_eigenvalues(rng, s)), SQUARE),
    "svd": (L.svd, lambda a: np.linalg.svd(a, full_matrices=False), distinct_singular_values,
            RECTANGULAR),
    "svd full": (lambda a: L.svd(a, full_matrices=True), np.linalg.svd,
                 distinct_singular_values, RECTANGULAR),
    "svd values": (lambda a: L.svd(a, compute_uv=False),
                   lambda a: np.linalg.svd(a, compute_uv=False), distinct_singular_values,
                   RECTANGULAR),
    "matrix_power 5": (lambda a: L.matrix_power(a, 5), lambda a: np.linalg.matrix_power(a, 5),
                       invertible, SQUARE),
    "matrix_power -3": (lambda a: L.matrix_power(a, -3),
                        lambda a: np.linalg.matrix_power(a, -3), invertible, SQUARE),
    "matrix_power 0": (lambda a: L.matrix_power(a, 0), lambda a: np.linalg.matrix_power(a, 0),
                       invertible, SQUARE),
    "matrix_power 1": (lambda a: L.matrix_power(a, 1), lambda a: np.linalg.matrix_power(a, 1),
                       invertible, SQUARE),
}


@pytest.mark.parametrize("name", sorted(FORWARDS))
def test_forward_matches_numpy(name, rng):
    op, reference, values, shapes = FORWARDS[name]
    for shape in shapes:
        a = values(rng, shape)
        engine, expected = op(leaf(a)), reference(a)
        if isinstance(expected, tuple):
            assert isinstance(engine, tuple) and type(engine)._fields == type(expected)._fields
            for field, e, x in zip(expected._fields, engine, expected):
                assert_close(e, x, f"{name} {shape}: {field}")
        else:
            assert_close(engine, expected, f"{name} {shape}")


def test_solve_matches_numpy_for_vectors_matrices_and_broadcast_batches(rng):
    for shape_a, shape_b in [((3, 3), (3,)), ((3, 3), (3, 2)), ((2, 3, 3), (3,)),
                             ((2, 1, 3, 3), (4, 3, 2)), ((3, 3), (2, 3, 1))]:
        a, b = invertible(rng, shape_a), rng.standard_normal(shape_b)
        assert_close(L.solve(leaf(a), leaf(b)), np.linalg.solve(a, b), f"solve {shape_a} {shape_b}")


def test_results_keep_float32_and_ints_compute_in_the_default_float():
    a32 = ag.tensor(np.array([[2.0, 1.0], [1.0, 3.0]], dtype=np.float32), requires_grad=True)
    for op in (L.inv, L.det, L.cholesky, lambda a: L.svd(a).S, lambda a: L.eigh(a)[1], L.pinv):
        y = op(a32)
        (g,) = ag.grad(y.sum(), a32)
        assert y.dtype == np.float32 and g.dtype == np.float32, (op, y.dtype, g.dtype)
    assert L.det(ag.tensor([[1, 2], [3, 4]])).dtype == np.float64
    assert_close(L.inv(np.eye(2) * 2), np.eye(2) / 2, "inv of an array")


# -- NumPy's names record the same ops --------------------------------------------------------
NUMPY_NAMES = {
    np.linalg.inv: "Inv", np.linalg.det: "Det", np.linalg.pinv: "Pinv",
    np.linalg.cholesky: "Cholesky", np.linalg.norm: "VectorNorm",
    np.linalg.vector_norm: "VectorNorm", np.linalg.matrix_norm: "VectorNorm",
    np.linalg.matrix_power: "MatMul",
}


@pytest.mark.parametrize("function", list(NUMPY_NAMES), ids=lambda f: f.__name__)
def test_numpy_linalg_on_a_tensor_is_recorded(function):
    a = ag.tensor([[2.0, 1.0], [1.0, 3.0]], requires_grad=True)
    y = function(a, 3) if function is np.linalg.matrix_power else function(a)
    assert isinstance(y, ag.Tensor) and y.grad_fn.name == NUMPY_NAMES[function], y
    expected = function(a.data, 3) if function is np.linalg.matrix_power else function(a.data)
    assert_close(y, expected, function.__name__)


def test_numpy_linalg_with_several_results_and_two_operands():
    a = ag.tensor([[2.0, 1.0], [1.0, 3.0]], requires_grad=True)
    for function, name in [(np.linalg.slogdet, "SlogDet"), (np.linalg.qr, "QR"),
                           (np.linalg.eigh, "Eigh"), (np.linalg.svd, "SVD")]:
        results = function(a)
        assert all(y.grad_fn.name == name for y in results), results
        for y, expected in zip(results, function(a.data)):
            assert_close(y, expected, function.__name__)
    x = np.linalg.solve(a.data, ag.tensor([1.0, 2.0], requires_grad=True))  # a tensor on the right
    assert x.grad_fn.name == "Solve"
    assert_close(x, np.linalg.solve(a.data, [1.0, 2.0]), "np.linalg.solve")


# -- the cookbook's rules, and other gradients derived by hand ----------------------------------
def test_gradient_of_det_is_det_times_inverse_transpose(rng):
    """COURSE.md: d det(A) / dA = det(A) A^-T (Jacobi's formula)."""
    a = invertible(rng, (3, 3))
    assert check_jacobian(L.det, leaf(a), lambda a: np.linalg.det(a) * np.linalg.inv(a).T)


def test_gradient_of_frobenius_norm_squared_is_twice_the_matrix(rng):
    """COURSE.md: d ||X||_F^2 / dX = 2 X."""
    assert check_jacobian(lambda x: L.norm(x) ** 2, leaf(rng.standard_normal((3, 4))),
                          lambda x: 2 * x)
    assert check_jacobian(lambda x: L.matrix_norm(x, "fro") ** 2,
                          leaf(rng.standard_normal((2, 3))), lambda x: 2 * x)


def test_gradient_of_trace_of_a_product(rng):
    """COURSE.md: d tr(A X) / dX = A^T and d tr(A X^T) / dX = A."""
    a = rng.standard_normal((3, 3))
    assert check_jacobian(lambda x: ag.diagonal(a @ x).sum(), leaf(rng.standard_normal((3, 3))),
                          lambda x: a.T)
    assert check_jacobian(lambda x: ag.diagonal(a @ x.T).sum(),
                          leaf(rng.standard_normal((3, 3))), lambda x: a)


def test_least_squares_gradient_and_closed_form(rng):
    """COURSE.md: f = ||A x - y||^2 has gradient 2 A^T (A x - y), zero at the closed form
    x = (A^T A)^-1 A^T y, which is pinv(A) y."""
    a, y = rng.standard_normal((5, 3)), rng.standard_normal(5)
    assert check_jacobian(lambda x: L.norm(a @ x - y) ** 2, leaf(rng.standard_normal(3)),
                          lambda x: 2 * a.T @ (a @ x - y))
    closed = L.solve(a.T @ a, a.T @ y)
    assert_close(L.pinv(a) @ y, closed.data, "pinv(A) y vs (A^T A)^-1 A^T y")
    x = leaf(closed.data)
    (g,) = ag.grad(L.norm(a @ x - y) ** 2, x)
    assert_close(g, np.zeros(3), "gradient at the least-squares solution", atol=1e-10)


def test_gradient_of_inverse_and_solve_by_hand(rng):
    """d(A^-1) = -A^-1 dA A^-1; x = A^-1 b: dx/db = A^-1, dx[i]/dA[p, q] = -A^-1[i, p] x[q]."""
    a, b = invertible(rng, (3, 3)), rng.standard_normal(3)
    y = np.linalg.inv(a)
    assert check_jacobian(L.inv, leaf(a), -np.einsum("ip,qj->ijpq", y, y))
    x = y @ b
    assert check_jacobian(L.solve, (leaf(a), leaf(b)), (-np.einsum("ip,q->ipq", y, x), y))


def test_gradients_of_eigenvalues_and_singular_values_by_hand(rng):
    """dw[k] / dA = v_k v_k^T for a symmetric A; ds[k] / dA = u_k v_k^T."""
    x = distinct_eigenvalues(rng, (4, 4))
    _, v = np.linalg.eigh(x)
    assert check_jacobian(lambda x: L.eigh(sym(x))[0], leaf(x), np.einsum("pk,qk->kpq", v, v))
    a = distinct_singular_values(rng, (4, 3))
    u, _, vh = np.linalg.svd(a, full_matrices=False)
    assert check_jacobian(lambda a: L.svd(a).S, leaf(a), np.einsum("pk,kq->kpq", u, vh))


@given(seed=st.integers(0, 2**32 - 1), shape=st.sampled_from([(2, 3, 3), (3, 1, 2, 2)]))
def test_a_batch_has_the_gradients_of_its_matrices(seed, shape):
    rng = np.random.default_rng(seed)
    a = invertible(rng, shape)
    for op in (L.det, lambda a: L.inv(a).sum(), lambda a: L.slogdet(a)[1],
               lambda a: L.eigh(sym(a))[0].sum(), lambda a: L.svd(a)[1].sum()):
        batch = leaf(a)
        (g,) = ag.grad(op(batch).sum(), batch)
        for index in np.ndindex(shape[:-2]):
            single = leaf(a[index])
            (expected,) = ag.grad(op(single).sum(), single)
            assert_close(g.data[index], expected.data, f"batch element {index}")


def test_factor_products_and_second_derivatives_of_the_decompositions(rng):
    """Q R = A, L L^T = A, V diag(w) V^T = A, U diag(s) Vh = A: the identity map (or sym), to
    second order, through every term of each backward."""
    eye = np.eye(12).reshape(3, 4, 3, 4)
    assert check_jacobian(lambda a: (lambda q, r: q @ r)(*L.qr(a)),
                          leaf(distinct_singular_values(rng, (3, 4))), eye)
    assert check_jacobian(lambda a: (lambda u, s, vh: (u * s[..., None, :]) @ vh)(*L.svd(a)),
                          leaf(distinct_singular_values(rng, (3, 4))), eye)
    a = leaf(positive_definite(rng, (2, 3, 3)))
    for f in (lambda a: (lambda lo: lo @ lo.swapaxes(-1, -2))(L.cholesky(sym(a))),
              lambda a: (lambda w, v: (v * w[..., None, :]) @ v.swapaxes(-1, -2))(
                  *L.eigh(sym(a)))):
        assert_close(f(a), a.data, "factors multiplied back")
        assert gradcheck(f, a) and gradgradcheck(f, a)


# -- singular and degenerate matrices (the docstrings' promises) --------------------------------
def cofactors(a):
    n = a.shape[-1]
    return np.array([[(-1) ** (i + j) * np.linalg.det(np.delete(np.delete(a, i, 0), j, 1))
                      for j in range(n)] for i in range(n)])


def test_det_gradient_at_singular_matrices_is_the_cofactor_matrix(rng):
    rank_two = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
    rank_one = np.outer([1.0, 2.0, 3.0], [1.0, -1.0, 2.0])
    for a in (rank_two, rank_one, np.zeros((2, 2)), np.zeros((1, 1))):
        x = leaf(a)
        (g,) = ag.grad(L.det(x), x)
        expected = np.ones((1, 1)) if a.shape == (1, 1) else cofactors(a)
        assert_close(g, expected, f"d det / dA at a singular {a.shape}", atol=1e-10)
    # a batch holding one singular matrix: every matrix still gets its own cofactors
    batch = np.stack([invertible(rng, (3, 3)), rank_two])
    x = leaf(batch)
    (g,) = ag.grad(L.det(x).sum(), x)
    assert_close(g, np.stack([cofactors(m) for m in batch]), "a mixed batch", atol=1e-10)
    # to second order at a matrix of rank n - 1 (distinct singular values)
    assert gradcheck(L.det, leaf(rank_two)) and gradgradcheck(L.det, leaf(rank_two))


def test_det_derivatives_near_a_singular_matrix(rng):
    """Jacobi's formula det(A) A^-T is inaccurate this close to a singular matrix (one column
    within 1e-13 of dependence); the cofactors from an SVD are right to second order."""
    a = invertible(rng, (2, 3, 3))
    a[..., 0] = a[..., 1] * 2.0 + 1e-13 * rng.standard_normal((2, 3))
    x = leaf(a)
    (g,) = ag.grad(L.det(x).sum(), x)
    assert_close(g, np.stack([cofactors(m) for m in a]), "cofactors near singular", atol=1e-9)
    assert gradcheck(L.det, x) and gradgradcheck(L.det, x)


def test_slogdet_of_a_singular_matrix_is_minus_infinity_without_a_gradient():
    a = leaf(np.ones((2, 2)))
    sign, logabsdet = L.slogdet(a)
    assert sign.item() == 0.0 and logabsdet.item() == -np.inf
    with pytest.raises(ag.linalg.LinAlgError, match=r"slogdet.*'a'.*\(2, 2\).*singular"):
        ag.grad(logabsdet, a)


def test_the_sign_of_slogdet_carries_a_zero_gradient(rng):
    a = leaf(invertible(rng, (3, 3)))
    (g,) = ag.grad(L.slogdet(a).sign * 1.0, a)
    assert_close(g, np.zeros((3, 3)), "d sign / dA")


def test_repeated_eigenvalues_leave_eigenvalue_losses_defined_and_eigenvectors_not():
    a = leaf(np.diag([2.0, 2.0, 5.0]))
    (g,) = ag.grad((L.eigh(a).eigenvalues ** 2).sum(), a)
    assert_close(g, np.diag([4.0, 4.0, 10.0]), "d sum(w^2) / dA = V diag(2w) V^T")
    with np.errstate(divide="ignore", invalid="ignore"):
        (g,) = ag.grad((L.eigh(a).eigenvectors ** 3).sum(), a)
    assert not np.all(np.isfinite(g.data)), "a loss of eigenvectors at a repeated eigenvalue"


def test_repeated_singular_values_leave_singular_value_losses_defined(rng):
    q = np.linalg.qr(rng.standard_normal((3, 3)))[0]  # orthogonal: every singular value is 1
    a = leaf(q)
    (g,) = ag.grad(L.svd(a).S.sum(), a)
    assert_close(g, q, "d sum(s) / dA = U Vh = A for an orthogonal A")
    (g,) = ag.grad(L.matrix_norm(a, "nuc"), a)
    assert_close(g, q, "the nuclear norm's gradient at an orthogonal matrix")


def test_full_matrices_ignore_the_extra_singular_vectors(rng):
    a = distinct_singular_values(rng, (4, 2))
    x = leaf(a)
    u, s, vh = L.svd(x, full_matrices=True)
    assert u.shape == (4, 4) and vh.shape == (2, 2)
    (g_full,) = ag.grad((u ** 2).sum() + s.sum(), x)  # columns 2 and 3 of U get no gradient
    x2 = leaf(a)
    u2, s2, _ = L.svd(x2)
    (g_reduced,) = ag.grad((u2 ** 2).sum() + s2.sum(), x2)
    assert_close(g_full, g_reduced.data, "full_matrices=True vs the reduced factors")


def test_matrix_power_zero_is_the_identity_with_a_zero_gradient(rng):
    a = leaf(rng.standard_normal((2, 3, 3)))
    y = L.matrix_power(a, 0)
    assert y.grad_fn is not None
    (g,) = ag.grad(y.sum(), a)
    assert_close(y, np.broadcast_to(np.eye(3), (2, 3, 3)), "A^0")
    assert_close(g, np.zeros((2, 3, 3)), "d A^0 / dA")
    assert L.matrix_power(a, 1) is not a


# -- bad input: a ValueError (or LinAlgError, a ValueError) naming op, argument and shape -------
def shapes(*shapes):
    return ".*".join(re.escape(str(s)) for s in shapes)


# Inputs made once, so that a call makes no tensor (and takes no stamp) of its own.
NOT_SQUARE = ag.ones(2, 3, requires_grad=True)
VECTOR = ag.ones(3, requires_grad=True)
SINGULAR = ag.tensor([[1.0, 2.0], [2.0, 4.0]], requires_grad=True)
INDEFINITE = ag.tensor([[1.0, 2.0], [2.0, 1.0]], requires_grad=True)
EYE, TALL, BATCH = ag.eye(3), ag.ones(3, 2, requires_grad=True), ag.ones(2, 3, 3)
B2, B4, B22, B431 = (ag.ones(*s, requires_grad=True) for s in [(2,), (4,), (2, 2), (4, 3, 1)])
SCALAR = ag.tensor(1.0, requires_grad=True)
BAD_INPUTS = [
    (lambda: L.inv(NOT_SQUARE), ValueError, rf"inv: argument 'a'.*square.*{shapes((2, 3))}"),
    (lambda: L.inv(VECTOR), ValueError, r"inv: argument 'a'.*\(3,\)"),
    (lambda: L.det(NOT_SQUARE), ValueError, rf"det: argument 'a'.*{shapes((2, 3))}"),
    (lambda: L.slogdet(NOT_SQUARE), ValueError, rf"slogdet: argument 'a'.*{shapes((2, 3))}"),
    (lambda: L.cholesky(NOT_SQUARE), ValueError, rf"cholesky: argument 'a'.*{shapes((2, 3))}"),
    (lambda: L.eigh(NOT_SQUARE), ValueError, rf"eigh: argument 'a'.*{shapes((2, 3))}"),
    (lambda: L.matrix_power(NOT_SQUARE, 2), ValueError, r"matrix_power: argument 'a'"),
    (lambda: L.cholesky(INDEFINITE), L.LinAlgError,
     rf"cholesky: argument 'a' of shape {shapes((2, 2))} is not positive definite"),
    (lambda: L.inv(SINGULAR), L.LinAlgError,
     rf"inv: argument 'a' of shape {shapes((2, 2))} is singular"),
    (lambda: L.solve(SINGULAR, B2), L.LinAlgError, r"solve: argument 'a'.*singular"),
    (lambda: L.solve(EYE, B4), ValueError,
     rf"solve: argument 'b' of shape {shapes((4,))}.*'a' of shape {shapes((3, 3))}"),
    (lambda: L.solve(EYE, B22), ValueError, r"solve: argument 'b' of shape \(2, 2\)"),
    (lambda: L.solve(BATCH, B431), ValueError,
     rf"solve: the batch axes.*{shapes((2, 3, 3), (4, 3, 1))}"),
    (lambda: L.solve(EYE, SCALAR), ValueError, r"solve: argument 'b'.*\(\)"),
    (lambda: L.svd(VECTOR), ValueError, r"svd: argument 'a'.*\(3,\)"),
    (lambda: L.svd(NOT_SQUARE, hermitian=True), ValueError, r"svd: hermitian=True"),
    (lambda: L.pinv(NOT_SQUARE, hermitian=True), ValueError, r"pinv: hermitian=True"),
    (lambda: L.qr(TALL, mode="complete"), ValueError, rf"qr: mode='complete'.*{shapes((3, 2))}"),
    (lambda: L.qr(NOT_SQUARE, mode="raw"), ValueError, r"qr: mode must be"),
    (lambda: L.eigh(EYE, UPLO="X"), ValueError, r"eigh: UPLO"),
    (lambda: L.matrix_power(EYE, 1.5), TypeError, r"matrix_power: the exponent n"),
]


@pytest.mark.parametrize("call, error, pattern", BAD_INPUTS,
                         ids=[f"{i}-{p.split(':')[0]}" for i, (_, _, p) in enumerate(BAD_INPUTS)])
def test_bad_input_is_refused_before_anything_is_recorded(call, error, pattern):
    before = next_stamp()
    with pytest.raises(error, match=pattern):
        call()
    assert next_stamp() == before + 1, "a node was recorded before the error"


def test_numpy_errors_become_value_errors():
    assert issubclass(L.LinAlgError, ValueError) and L.LinAlgError is np.linalg.LinAlgError
