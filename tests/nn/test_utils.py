"""Tests of nn/utils.py: gradient clipping by norm and by value, and the flat parameter vector."""

import math

import numpy as np
import pytest

import autograd_core as ag
import nn
from nn.utils import (
    clip_grad_norm_,
    clip_grad_value_,
    parameters_to_vector,
    vector_to_parameters,
)


def with_grads(*grads):
    parameters = []
    for g in grads:
        p = nn.Parameter(np.zeros(np.shape(g)))
        p.grad = ag.tensor(np.asarray(g, dtype=np.float64))
        parameters.append(p)
    return parameters


def test_clip_grad_norm_scales_when_above_and_returns_the_norm_before():
    parameters = with_grads([3.0, 0.0], [[4.0]])
    total = clip_grad_norm_(parameters, max_norm=1.0)
    assert isinstance(total, ag.Tensor) and total.ndim == 0 and total.item() == pytest.approx(5)
    coefficient = 1.0 / (5 + 1e-6)
    np.testing.assert_allclose(parameters[0].grad.data, [3 * coefficient, 0])
    np.testing.assert_allclose(parameters[1].grad.data, [[4 * coefficient]])
    joint = math.hypot(parameters[0].grad.data[0], parameters[1].grad.data[0, 0])
    assert joint <= 1.0


def test_clip_grad_norm_leaves_small_gradients_alone():
    parameters = with_grads([0.3, 0.4])
    grad = parameters[0].grad
    assert clip_grad_norm_(parameters, max_norm=1.0).item() == pytest.approx(0.5)
    assert parameters[0].grad is grad  # modified in place (here: not at all)
    np.testing.assert_array_equal(grad.data, [0.3, 0.4])


def test_clip_grad_norm_other_norms_and_no_grads():
    parameters = with_grads([1.0, -3.0], [2.0])
    assert clip_grad_norm_(parameters, 10.0, norm_type=1).item() == pytest.approx(6)
    assert clip_grad_norm_(parameters, 10.0, norm_type=float("inf")).item() == pytest.approx(3)
    bare = nn.Parameter(np.ones(2))
    assert clip_grad_norm_([bare], 1.0).item() == 0.0
    assert clip_grad_norm_(bare, 1.0).item() == 0.0  # one tensor works too
    nan = with_grads([float("nan")])
    with pytest.raises(RuntimeError, match="total gradient norm is nan"):
        clip_grad_norm_(nan, 1.0, error_if_nonfinite=True)


def test_clip_grad_norm_on_a_model():
    model = nn.Linear(3, 2)
    (model(ag.randn(4, 3)) * 100).sum().backward()
    before = math.sqrt(sum(float((p.grad.data ** 2).sum()) for p in model.parameters()))
    assert clip_grad_norm_(model.parameters(), 0.5).item() == pytest.approx(before)
    after = math.sqrt(sum(float((p.grad.data ** 2).sum()) for p in model.parameters()))
    assert after == pytest.approx(0.5, rel=1e-5)


def test_clip_grad_value():
    parameters = with_grads([-2.0, 0.1, 5.0])
    clip_grad_value_(parameters, 1.0)
    np.testing.assert_array_equal(parameters[0].grad.data, [-1.0, 0.1, 1.0])


def test_parameters_to_vector_and_back():
    model = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
    vector = parameters_to_vector(model.parameters())
    assert vector.shape == (13,)
    np.testing.assert_array_equal(vector.data[:6], model[0].weight.data.reshape(-1))
    vector.sum().backward()  # differentiable: every parameter gets a gradient of ones
    np.testing.assert_array_equal(model[1].bias.grad.data, [1.0])
    vector_to_parameters(np.arange(13.0), model.parameters())
    np.testing.assert_array_equal(model[0].weight.data, np.arange(6.0).reshape(3, 2))
    np.testing.assert_array_equal(model[1].bias.data, [12.0])
    assert model[0].weight.is_leaf
    with pytest.raises(ValueError, match="expected a 1-D vector of 13 values, got shape"):
        vector_to_parameters(np.zeros(12), model.parameters())


def test_bad_arguments_are_rejected_before_anything_changes():
    parameters = with_grads([3.0, 4.0])
    with pytest.raises(TypeError, match=r"clip_grad_norm_: item 1 is a int, not a Tensor"):
        clip_grad_norm_([parameters[0], 1], 1.0)
    with pytest.raises(ValueError, match="need max_norm >= 0 and norm_type > 0"):
        clip_grad_norm_(parameters, 1.0, norm_type=0)
    with pytest.raises(ValueError, match="max_norm must be finite"):
        clip_grad_norm_(parameters, float("nan"))
    with pytest.raises(TypeError, match="expected a Tensor or an iterable of Tensors"):
        parameters_to_vector(3)
    with pytest.raises(TypeError, match="vector must be a Tensor or an array"):
        vector_to_parameters([1.0, 2.0], parameters)
    np.testing.assert_array_equal(parameters[0].grad.data, [3.0, 4.0])
