"""ag.testing: the checkers themselves must pass correct derivatives and catch wrong ones."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import (
    GradcheckError,
    check_jacobian,
    gradcheck,
    gradgradcheck,
    numerical_jacobian,
)
from tests.cubes import DetachedCube


class ScaledProduct(ag.Function):
    """x * y with a deliberately wrong gradient for y (1.5 x instead of x)."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x * y

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        return g * y, g * x * 1.5


# -- gradcheck ----------------------------------------------------------------------------------
def test_gradcheck_passes_correct_ops(rng):
    x = ag.tensor(rng.standard_normal((2, 3)), requires_grad=True)
    y = ag.tensor(rng.standard_normal(3), requires_grad=True)
    assert gradcheck(lambda x: (x.sin() * x).sum(), x) is True
    assert gradcheck(lambda x, y: (x * y).tanh(), (x, y)) is True
    assert gradcheck(lambda x, y: (x @ y, x.exp()), [x, y]) is True


def test_gradcheck_ignores_integer_inputs(rng):
    x = ag.tensor(rng.standard_normal(4))
    index = ag.tensor(np.array([3, 0, 0]))
    assert gradcheck(lambda x, index: x[index] * 2.0, (x, index))


def test_gradcheck_works_in_float64_for_float32_inputs(rng):
    x = ag.tensor(rng.standard_normal(3).astype(np.float32))
    assert gradcheck(lambda x: (x**3).sum(), x)


def test_gradcheck_failure_names_input_element_and_both_values():
    x = ag.tensor([1.0, 2.0, 3.0])
    y = ag.tensor([0.5, -4.0, 1.0])
    with pytest.raises(GradcheckError) as info:
        gradcheck(ScaledProduct.apply, (x, y))
    message = str(info.value)
    print(message)
    assert "input 1" in message  # y, the input with the wrong gradient
    # The worst element is d out[2] / d y[2]: analytic 1.5 * 3 = 4.5, numeric 3.
    assert "out[2]" in message and "in[2]" in message
    assert "analytic 4.5" in message and "numeric 3" in message
    assert "engine" in message and "finite diff" in message  # the side-by-side table
    assert isinstance(info.value, AssertionError)


def test_gradcheck_tolerances_are_respected():
    # 1.5 vs 1.0 per unit of x: a 50% error passes only a tolerance that allows it.
    x, y = ag.tensor([1.0]), ag.tensor([2.0])
    assert gradcheck(ScaledProduct.apply, (x, y), atol=0.6)
    with pytest.raises(GradcheckError):
        gradcheck(ScaledProduct.apply, (x, y), atol=0.4)


def test_gradcheck_rejects_non_tensor_inputs():
    with pytest.raises(TypeError, match=r"inputs\[0\].*ndarray"):
        gradcheck(lambda x: x, np.ones(3))


# -- gradgradcheck ------------------------------------------------------------------------------
def test_gradgradcheck_passes_correct_second_derivatives(rng):
    x = ag.tensor(rng.standard_normal(3))
    y = ag.tensor(rng.standard_normal(3))
    assert gradgradcheck(lambda x: (x**3).sum(), x) is True
    assert gradgradcheck(lambda x, y: (x * y).sin(), (x, y)) is True
    assert (
        gradgradcheck(lambda x: x.tanh(), x, grad_outputs=ag.tensor(rng.standard_normal(3))) is True
    )


def test_gradgradcheck_detects_a_wrong_double_backward():
    x = ag.tensor([0.5, -1.0, 2.0])
    assert gradcheck(DetachedCube.apply, x)  # first derivatives are right
    with pytest.raises(GradcheckError) as info:
        gradgradcheck(DetachedCube.apply, x)
    message = str(info.value)
    print(message)
    assert "input 0" in message and "analytic" in message and "numeric" in message


# -- numerical_jacobian -------------------------------------------------------------------------
def test_numerical_jacobian_of_a_linear_map(rng):
    A = rng.standard_normal((3, 4))
    J = numerical_jacobian(lambda x: ag.tensor(A) @ x, ag.tensor(rng.standard_normal(4)))
    assert isinstance(J, np.ndarray) and J.shape == (3, 4) and J.dtype == np.float64
    np.testing.assert_allclose(J, A, atol=1e-8)


def test_numerical_jacobian_shapes_and_tuples(rng):
    x = ag.tensor(rng.standard_normal((2, 3)))
    J = numerical_jacobian(lambda x: x.sum(axis=1), x)
    assert J.shape == (2, 2, 3)
    expected = np.zeros((2, 2, 3))
    expected[0, 0, :] = expected[1, 1, :] = 1.0
    np.testing.assert_allclose(J, expected, atol=1e-8)

    a, b = ag.tensor([1.0, 2.0]), ag.tensor([3.0, 4.0])
    Ja, Jb = numerical_jacobian(lambda a, b: a * b, (a, b))
    np.testing.assert_allclose(Ja, np.diag([3.0, 4.0]), atol=1e-8)
    np.testing.assert_allclose(Jb, np.diag([1.0, 2.0]), atol=1e-8)


def test_numerical_jacobian_leaves_the_input_unchanged(rng):
    data = rng.standard_normal(3)
    x = ag.tensor(data.copy())
    numerical_jacobian(lambda x: x.exp(), x)
    assert np.array_equal(x.data, data)


# -- check_jacobian -----------------------------------------------------------------------------
def test_check_jacobian_with_an_array(rng):
    A = rng.standard_normal((2, 3))
    x = ag.tensor(rng.standard_normal(3))
    assert check_jacobian(lambda x: ag.tensor(A) @ x, x, expected=A) is True


def test_check_jacobian_with_a_callable(rng):
    x = ag.tensor(rng.standard_normal(4))
    assert check_jacobian(lambda x: x.tanh(), x, expected=lambda v: np.diag(1 - np.tanh(v) ** 2))


def test_check_jacobian_with_tuple_inputs_and_flat_layout(rng):
    a = ag.tensor(rng.standard_normal((2, 2)))
    b = ag.tensor(rng.standard_normal((2, 2)))
    # d(a * b)/da as a (4, 4) matrix in flat layout: diag(b.ravel())
    assert check_jacobian(
        lambda a, b: a * b,
        (a, b),
        expected=lambda a, b: (np.diag(b.ravel()), np.diag(a.ravel())),
    )


def test_check_jacobian_reports_a_wrong_hand_derivation_side_by_side():
    A = np.array([[2.0, 1.0], [0.0, 3.0]])
    x = ag.tensor([0.3, -0.7])
    with pytest.raises(GradcheckError) as info:
        check_jacobian(lambda x: ag.tensor(A) @ x, x, expected=A.T)  # the transpose: wrong
    message = str(info.value)
    print(message)
    assert "input 0" in message and "hand-derived" in message
    for header in ("engine", "finite diff", "hand-derived"):
        assert header in message
    # The rows for the two off-diagonal entries show engine 1 or 0 against hand 0 or 1.
    lines = message.splitlines()
    row = next(line for line in lines if line.strip().startswith("[0, 1]"))
    assert row.split()[-3:] == ["1", "1", "0"]


def test_check_jacobian_catches_a_wrong_engine_derivative():
    x, y = ag.tensor([1.0, 2.0]), ag.tensor([3.0, 4.0])
    with pytest.raises(GradcheckError, match=r"input 1.*engine vs hand-derived.*finite"):
        check_jacobian(
            ScaledProduct.apply,
            (x, y),
            expected=(np.diag([3.0, 4.0]), np.diag([1.0, 2.0])),  # the true Jacobians
        )


def test_check_jacobian_rejects_a_wrongly_sized_expectation(rng):
    x = ag.tensor(rng.standard_normal(3))
    with pytest.raises(ValueError, match=r"\(2, 2\)"):
        check_jacobian(lambda x: x * 2.0, x, expected=np.eye(2))
