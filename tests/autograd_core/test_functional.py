"""ag.functional: jacobian, hessian, vjp, jvp, hvp against closed forms, with the shapes and
return structures of torch.autograd.functional."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.functional import hessian, hvp, jacobian, jvp, vjp


def assert_close(actual, expected, rtol=1e-10, atol=1e-12):
    actual = np.asarray(actual.data if isinstance(actual, ag.Tensor) else actual)
    assert actual.shape == np.shape(expected), f"shape {actual.shape} != {np.shape(expected)}"
    assert np.allclose(actual, expected, rtol=rtol, atol=atol), (
        f"\nengine:   {actual}\nexpected: {np.asarray(expected)}"
    )


# -- jacobian -----------------------------------------------------------------------------------
def test_jacobian_of_a_linear_map_is_the_matrix(rng):
    A = rng.standard_normal((3, 4))
    J = jacobian(lambda x: ag.tensor(A) @ x, ag.tensor(rng.standard_normal(4)))
    assert isinstance(J, ag.Tensor)
    assert_close(J, A)


def test_jacobian_shape_is_output_shape_then_input_shape(rng):
    x = ag.tensor(rng.standard_normal((2, 3)))
    J = jacobian(lambda x: x.sum(axis=0) * x[0], x)  # (3,) output, (2, 3) input
    assert J.shape == (3, 2, 3)
    expected = np.zeros((3, 2, 3))
    for k in range(3):
        expected[k, 0, k] = x.data[:, k].sum() + x.data[0, k]
        expected[k, 1, k] = x.data[0, k]
    assert_close(J, expected)


def test_jacobian_of_elementwise_square_is_diagonal(rng):
    x = ag.tensor(rng.standard_normal(4))
    assert_close(jacobian(lambda x: x**2, x), np.diag(2 * x.data))


def test_jacobian_of_a_scalar_function_has_the_input_shape(rng):
    x = ag.tensor(rng.standard_normal((2, 2)))
    J = jacobian(lambda x: (x**3).sum(), x)
    assert_close(J, 3 * x.data**2)


def test_jacobian_with_tuple_inputs_and_outputs(rng):
    a, b = ag.tensor(rng.standard_normal(3)), ag.tensor(rng.standard_normal(3))
    J = jacobian(lambda a, b: a * b, (a, b))
    assert isinstance(J, tuple) and len(J) == 2
    assert_close(J[0], np.diag(b.data))
    assert_close(J[1], np.diag(a.data))
    J = jacobian(lambda a, b: (a + b, (a * 2.0).sum()), (a, b))
    assert isinstance(J, tuple) and len(J) == 2 and all(len(row) == 2 for row in J)
    assert_close(J[0][0], np.eye(3))
    assert_close(J[0][1], np.eye(3))
    assert_close(J[1][0], np.full(3, 2.0))
    assert_close(J[1][1], np.zeros(3))  # the second output does not depend on b


def test_jacobian_single_input_tuple_output(rng):
    x = ag.tensor(rng.standard_normal(2))
    J = jacobian(lambda x: (x.sin(), x.cos()), x)
    assert isinstance(J, tuple) and len(J) == 2
    assert_close(J[0], np.diag(np.cos(x.data)))
    assert_close(J[1], np.diag(-np.sin(x.data)))


def test_jacobian_does_not_touch_the_inputs(rng):
    x = ag.tensor(rng.standard_normal(3), requires_grad=True)
    J = jacobian(lambda x: x.exp(), x)
    assert x.grad is None
    assert J.grad_fn is None and not J.requires_grad


def test_jacobian_with_create_graph_is_differentiable(rng):
    x = ag.tensor(rng.standard_normal(3), requires_grad=True)
    J = jacobian(lambda x: x**3, x, create_graph=True)
    assert J.requires_grad and J.grad_fn is not None
    assert_close(J, np.diag(3 * x.data**2))
    J.sum().backward()  # d/dx sum_i 3 x_i^2 = 6 x
    assert_close(x.grad, 6 * x.data)


# -- hessian ------------------------------------------------------------------------------------
def test_hessian_of_a_quadratic_form_is_a_plus_a_transpose(rng):
    A = rng.standard_normal((4, 4))
    x = ag.tensor(rng.standard_normal(4))
    H = hessian(lambda x: x @ (ag.tensor(A) @ x), x)
    assert_close(H, A + A.T)


def test_hessian_of_a_separable_function(rng):
    x = ag.tensor(rng.standard_normal((2, 3)))
    H = hessian(lambda x: (x.sin()).sum(), x)
    assert H.shape == (2, 3, 2, 3)
    assert_close(H.data.reshape(6, 6), np.diag(-np.sin(x.data).reshape(-1)))


def test_hessian_with_tuple_inputs(rng):
    x, y = ag.tensor(rng.standard_normal(2)), ag.tensor(rng.standard_normal(3))
    # f = (sum x)^2 * sum y: H_xx = 2 sum y, H_xy = 2 sum x, H_yy = 0
    H = hessian(lambda x, y: x.sum() ** 2 * y.sum(), (x, y))
    assert isinstance(H, tuple) and len(H) == 2 and len(H[0]) == 2
    sx, sy = x.data.sum(), y.data.sum()
    assert_close(H[0][0], np.full((2, 2), 2 * sy))
    assert_close(H[0][1], np.full((2, 3), 2 * sx))
    assert_close(H[1][0], np.full((3, 2), 2 * sx))
    assert_close(H[1][1], np.zeros((3, 3)))


# -- products -----------------------------------------------------------------------------------
def _f(x):
    return (x.sin() * x[::-1]) ** 2


def test_vjp_equals_v_times_the_jacobian(rng):
    x = ag.tensor(rng.standard_normal(4))
    v = ag.tensor(rng.standard_normal(4))
    out, product = vjp(_f, x, v)
    assert_close(out, _f(x).data)
    assert_close(product, v.data @ jacobian(_f, x).data)


def test_vjp_without_v_for_a_scalar_output(rng):
    x = ag.tensor(rng.standard_normal(3))
    out, g = vjp(lambda x: (x**2).sum(), x)
    assert_close(g, 2 * x.data)
    with pytest.raises(RuntimeError, match=r"single-element"):
        vjp(lambda x: x**2, x)


def test_vjp_with_tuple_inputs(rng):
    a, b = ag.tensor(rng.standard_normal(3)), ag.tensor(rng.standard_normal(3))
    v = ag.tensor(rng.standard_normal(3))
    out, (ga, gb) = vjp(lambda a, b: a * b, (a, b), v)
    assert_close(ga, v.data * b.data)
    assert_close(gb, v.data * a.data)


def test_jvp_equals_the_jacobian_times_v(rng):
    x = ag.tensor(rng.standard_normal(4))
    v = ag.tensor(rng.standard_normal(4))
    out, product = jvp(_f, x, v)
    assert_close(out, _f(x).data)
    assert_close(product, jacobian(_f, x).data @ v.data)


def test_jvp_of_a_map_between_different_shapes(rng):
    A = rng.standard_normal((3, 2))
    x = ag.tensor(rng.standard_normal(2))
    v = ag.tensor(rng.standard_normal(2))
    out, product = jvp(lambda x: (ag.tensor(A) @ x).tanh(), x, v)
    assert_close(product, (1 - np.tanh(A @ x.data) ** 2) * (A @ v.data))


def test_hvp_equals_the_hessian_times_v(rng):
    A = rng.standard_normal((4, 4))
    x = ag.tensor(rng.standard_normal(4))
    v = ag.tensor(rng.standard_normal(4))

    def f(x):
        return x @ (ag.tensor(A) @ x) + (x**4).sum()

    out, product = hvp(f, x, v)
    H = A + A.T + np.diag(12 * x.data**2)
    assert_close(out, f(x).data)
    assert_close(product, H @ v.data)
    assert_close(product, hessian(f, x).data @ v.data)


def test_shape_mismatch_of_v_is_reported(rng):
    x = ag.tensor(rng.standard_normal(3))
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        vjp(lambda x: x * 2.0, x, ag.tensor(np.ones(2)))
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        jvp(lambda x: x * 2.0, x, ag.tensor(np.ones(2)))


def test_derivatives_at_a_zero_dimensional_input():
    x = ag.tensor(0.5)
    assert_close(jacobian(lambda x: x.exp(), x), np.exp(0.5))
    assert_close(hessian(lambda x: x.exp(), x), np.exp(0.5))
    assert_close(hessian(lambda x: x**3, x), 3.0)
    assert_close(
        hvp(lambda x: x.tanh(), x, ag.tensor(2.0))[1],
        2.0 * -2 * np.tanh(0.5) * (1 - np.tanh(0.5) ** 2),
    )
