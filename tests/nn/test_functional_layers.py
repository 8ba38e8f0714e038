"""Tests of nn/functional/layers.py and nn/functional/activation.py: the primitives Affine and
Step (gradcheck and gradgradcheck), and the functional layers' values, shapes and errors."""

import numpy as np
import pytest

import autograd_core as ag
import nn.functional as F
from autograd_core.testing import check_jacobian, gradcheck, gradgradcheck
from nn.functional.activation import Step
from nn.functional.layers import Affine


def leaf(array):
    return ag.tensor(np.asarray(array, dtype=np.float64), requires_grad=True)


# -- Affine: the fused primitive behind linear ----------------------------------------------------
@pytest.mark.parametrize("x_shape", [(3,), (5, 3), (2, 4, 3)])
@pytest.mark.parametrize("with_bias", [True, False])
def test_affine_gradcheck_and_gradgradcheck(rng, x_shape, with_bias):
    x, w = leaf(rng.standard_normal(x_shape)), leaf(rng.standard_normal((2, 3)))
    if with_bias:
        b = leaf(rng.standard_normal(2))
        inputs, f = (x, w, b), lambda x, w, b: Affine.apply(x, w, b)
    else:
        inputs, f = (x, w), lambda x, w: Affine.apply(x, w, None)
    assert gradcheck(f, inputs)
    assert gradgradcheck(f, inputs)


def test_affine_matches_the_composition(rng):
    x, w, b = leaf(rng.standard_normal((4, 3))), leaf(rng.standard_normal((2, 3))), leaf(
        rng.standard_normal(2))
    fused = F.linear(x, w, b)
    composed = x @ w.T + b
    np.testing.assert_allclose(fused.data, composed.data, rtol=1e-12)
    upstream = rng.standard_normal((4, 2))
    got = ag.grad(fused, (x, w, b), upstream)
    want = ag.grad(composed, (x, w, b), upstream)
    for g, h in zip(got, want):
        np.testing.assert_allclose(g.data, h.data, rtol=1e-12)
    assert fused.grad_fn.name == "Affine"


def test_affine_only_computes_wanted_gradients(rng):
    x = ag.tensor(rng.standard_normal((4, 3)))  # no grad wanted for the data
    w = leaf(rng.standard_normal((2, 3)))
    (gw,) = ag.grad(F.linear(x, w).sum(), w)
    np.testing.assert_allclose(gw.data, np.ones((4, 2)).T @ x.data)


def test_linear_accepts_float32_and_keeps_it(rng):
    x = ag.tensor(rng.standard_normal((4, 3)).astype(np.float32))
    w = ag.tensor(rng.standard_normal((2, 3)).astype(np.float32), requires_grad=True)
    y = F.linear(x, w)
    assert y.dtype == np.float32
    y.sum().backward()
    assert w.grad.dtype == np.float32


def test_linear_errors_name_the_shapes():
    with pytest.raises(ValueError, match=r"input of shape \(8, 3\) has 3 features.*expects 4"):
        F.linear(ag.ones(8, 3), ag.ones(2, 4))
    with pytest.raises(ValueError, match=r"weight must be 2-D"):
        F.linear(ag.ones(8, 3), ag.ones(3))
    with pytest.raises(ValueError, match=r"bias of shape \(3,\)"):
        F.linear(ag.ones(8, 3), ag.ones(2, 3), ag.ones(3))


# -- Step: the Heaviside primitive ----------------------------------------------------------------
def test_step_values_and_zero_gradient():
    x = leaf([-2.0, -0.0, 0.0, 1e-9, 3.0])
    y = F.step(x)
    np.testing.assert_array_equal(y.data, [0, 0, 0, 1, 1])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.zeros(5))  # zeros, not None


def test_step_gradcheck_and_gradgradcheck(rng):
    # Away from 0 the finite difference of a step is exactly 0, as is the engine's gradient.
    x = leaf(rng.uniform(0.1, 2, 6) * rng.choice([-1, 1], 6))
    assert gradcheck(lambda x: Step.apply(x), x)
    assert gradgradcheck(lambda x: Step.apply(x), x)
    assert gradcheck(F.step, x)


def test_step_of_integers_is_float():
    assert F.step(ag.tensor(np.array([-1, 2]))).dtype == np.float64


# -- dropout --------------------------------------------------------------------------------------
def test_dropout_identity_when_not_training_or_p_zero(rng):
    x = leaf(rng.standard_normal((3, 4)))
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.0) is x


def test_dropout_p_one_gives_zeros_and_zero_gradient(rng):
    x = leaf(rng.standard_normal((3, 4)))
    y = F.dropout(x, 1.0)
    np.testing.assert_array_equal(y.data, np.zeros((3, 4)))
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.zeros((3, 4)))


@pytest.mark.parametrize("p", [-0.1, 1.5, "0.5", None, True])
def test_dropout_rejects_bad_p(p):
    with pytest.raises(ValueError, match="p must be a probability"):
        F.dropout(ag.ones(3), p)


def test_dropout_gradient_is_the_scaled_mask(rng):
    x = leaf(rng.uniform(1, 2, (20, 30)))
    y = F.dropout(x, 0.25)
    (gx,) = ag.grad(y.sum(), x)
    scaled_mask = y.data / x.data  # 0 or 1/(1-p) per element
    assert set(np.round(np.unique(scaled_mask), 12)) <= {0.0, round(1 / 0.75, 12)}
    np.testing.assert_allclose(gx.data, scaled_mask, rtol=1e-12)


def test_dropout_gradcheck_with_a_fixed_mask(rng):
    def f(x):
        ag.manual_seed(7)  # the same mask on every call of the checker
        return F.dropout(x, 0.4)

    x = leaf(rng.standard_normal((4, 5)))
    assert gradcheck(f, x)
    assert gradgradcheck(f, x)


# -- batch_norm / layer_norm ----------------------------------------------------------------------
def test_batch_norm_without_running_stats_uses_the_batch(rng):
    x = ag.tensor(rng.normal(3.0, 2.0, (50, 4)))
    y = F.batch_norm(x, training=False).data  # no running statistics: batch statistics
    np.testing.assert_allclose(y.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=0), 1, rtol=1e-4)


def test_batch_norm_updates_running_stats_in_place(rng):
    x = rng.normal(1.0, 3.0, (10, 2, 5))
    mean, var = ag.zeros(2), ag.ones(2)
    F.batch_norm(ag.tensor(x), mean, var, training=True, momentum=0.3)
    np.testing.assert_allclose(mean.data, 0.3 * x.mean(axis=(0, 2)))
    np.testing.assert_allclose(var.data, 0.7 + 0.3 * x.var(axis=(0, 2), ddof=1))


def test_batch_norm_shape_errors():
    with pytest.raises(ValueError, match=r"\(N, C\), \(N, C, L\) or \(N, C, H, W\), got \(3,\)"):
        F.batch_norm(ag.ones(3), training=True)
    with pytest.raises(ValueError, match=r"running_mean has shape \(3,\).*4 channels"):
        F.batch_norm(ag.ones(2, 4), ag.zeros(3), ag.ones(3))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        F.batch_norm(ag.ones(1, 4), training=True)


def test_batch_norm_gradcheck(rng):
    def f(x, w, b):
        return F.batch_norm(x, weight=w, bias=b, training=True)

    inputs = (leaf(rng.standard_normal((5, 3))), leaf(rng.standard_normal(3)),
              leaf(rng.standard_normal(3)))
    assert gradcheck(f, inputs)
    assert gradgradcheck(f, inputs)


def test_layer_norm_values_and_gradcheck(rng):
    x = leaf(rng.normal(2.0, 5.0, (3, 2, 4)))
    y = F.layer_norm(x, (2, 4)).data
    np.testing.assert_allclose(y.mean(axis=(1, 2)), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=(1, 2)), 1, rtol=1e-4)
    w, b = leaf(rng.standard_normal(4)), leaf(rng.standard_normal(4))
    f = lambda x, w, b: F.layer_norm(x, 4, w, b)
    assert gradcheck(f, (x, w, b))
    assert gradgradcheck(f, (x, w, b))


def test_layer_norm_shape_error():
    with pytest.raises(ValueError, match=r"input of shape \(3, 5\) does not end in .*\(4,\)"):
        F.layer_norm(ag.ones(3, 5), 4)
    with pytest.raises(ValueError, match="does not end in"):
        F.layer_norm(ag.ones(4), (2, 4))


# -- embedding, one_hot, flatten ------------------------------------------------------------------
def test_embedding_picks_rows_and_accumulates_repeats(rng):
    weight = leaf(rng.standard_normal((5, 3)))
    indices = np.array([[0, 2], [0, 4]])
    y = F.embedding(indices, weight)
    np.testing.assert_array_equal(y.data, weight.data[indices])
    y.sum().backward()
    np.testing.assert_array_equal(weight.grad.data[:, 0], [2, 0, 1, 0, 1])


def test_embedding_errors():
    weight = ag.ones(5, 3)
    with pytest.raises(TypeError, match="indices must be integers, got dtype float64"):
        F.embedding(np.array([1.0]), weight)
    with pytest.raises(IndexError, match=r"index 5 is out of range \[0, 5\)"):
        F.embedding(np.array([1, 5]), weight)
    with pytest.raises(IndexError, match=r"index -1 is out of range"):
        F.embedding(np.array([-1]), weight)


def test_one_hot():
    out = F.one_hot(np.array([0, 2, 1]), 4)
    np.testing.assert_array_equal(out.data, np.eye(4, dtype=np.int64)[[0, 2, 1]])
    assert out.dtype == np.int64 and not out.requires_grad
    assert F.one_hot(ag.tensor(np.array([[1], [3]]))).shape == (2, 1, 4)  # num_classes = max + 1
    assert F.one_hot(np.array([1]), 2, dtype=np.float32).dtype == np.float32
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 3\)"):
        F.one_hot(np.array([0, 3]), 3)
    with pytest.raises(TypeError, match="must be integers"):
        F.one_hot(np.array([0.0, 1.0]), 2)


def test_flatten():
    x = ag.ones(2, 3, 4, 5)
    assert F.flatten(x).shape == (2, 60)
    assert F.flatten(x, 0).shape == (120,)
    assert F.flatten(x, 1, 2).shape == (2, 12, 5)
    assert F.flatten(x, -2).shape == (2, 3, 20)
    with pytest.raises(ValueError, match="axis 4 is out of range"):
        F.flatten(x, 4)
    with pytest.raises(ValueError, match="comes after"):
        F.flatten(x, 2, 1)


# -- activations: the derivative cookbook ---------------------------------------------------------
def test_cookbook_derivatives_by_check_jacobian(rng):
    x = leaf(rng.uniform(0.2, 2.0, 5) * rng.choice([-1, 1], 5))
    s = 1 / (1 + np.exp(-x.data))
    check_jacobian(F.sigmoid, x, np.diag(s * (1 - s)))
    check_jacobian(F.tanh, x, np.diag(1 - np.tanh(x.data) ** 2))
    check_jacobian(F.softplus, x, np.diag(s))
    check_jacobian(F.relu, x, np.diag((x.data > 0).astype(float)))
    check_jacobian(F.step, x, np.zeros((5, 5)))
    check_jacobian(lambda x: F.leaky_relu(x, 0.1), x, np.diag(np.where(x.data > 0, 1.0, 0.1)))
    p = np.exp(x.data) / np.exp(x.data).sum()
    check_jacobian(F.softmax, x, np.diag(p) - np.outer(p, p))
    check_jacobian(F.log_softmax, x, np.eye(5) - p)  # row i: e_i - p


def test_relu_and_leaky_relu_at_zero():
    x = leaf([0.0])
    F.relu(x).backward()
    assert x.grad.item() == 0.0
    x.grad = None
    F.leaky_relu(x, 0.2).backward()
    assert x.grad.item() == pytest.approx(0.2)


@pytest.mark.parametrize("name", ["relu", "leaky_relu", "sigmoid", "tanh", "softplus", "softmax",
                                  "log_softmax"])
def test_activation_gradcheck_and_gradgradcheck(rng, name):
    x = leaf(rng.uniform(0.2, 2.0, (3, 4)) * rng.choice([-1, 1], (3, 4)))
    f = getattr(F, name)
    assert gradcheck(f, x)
    assert gradgradcheck(f, x)


def test_softplus_beta_and_stability():
    x = leaf([-1000.0, 0.0, 1000.0])
    y = F.softplus(x, beta=2.0)
    np.testing.assert_allclose(y.data, [0.0, np.log(2) / 2, 1000.0])
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, [0.0, 0.5, 1.0])
    assert gradcheck(lambda x: F.softplus(x, beta=3.0), leaf([-0.5, 0.7]))


def test_activation_parameters_must_be_real_numbers():
    for bad in (1j, np.array([0.5]), "0.1", None):
        with pytest.raises(TypeError, match="negative_slope must be a number"):
            F.leaky_relu(ag.ones(2), bad)
        with pytest.raises(TypeError, match="beta must be a number"):
            F.softplus(ag.ones(2), bad)
