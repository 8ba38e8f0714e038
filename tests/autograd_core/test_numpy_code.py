"""Code written for HIPS autograd's `autograd.numpy`, with `import numpy as np` instead, runs
unchanged on Tensors (numpy_api.py): the same loss functions give NumPy's values on arrays and
a differentiable Tensor on Tensors, whose gradient matches finite differences of the array
version."""

import numpy as np

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck


# -- two losses as they would be written for HIPS autograd: NumPy functions only ----------------
def sigmoid(z):
    return 0.5 * (np.tanh(z / 2.0) + 1.0)


def logistic_loss(weights, inputs, targets):
    """Negative log-likelihood of logistic regression."""
    p = sigmoid(np.dot(inputs, weights))
    return -np.sum(np.log(p * targets + (1 - p) * (1 - targets)))


def mlp_loss(w1, b1, w2, b2, inputs, onehot):
    """Mean cross-entropy of a one-hidden-layer tanh network."""
    hidden = np.tanh(np.dot(inputs, w1) + b1)
    logits = np.dot(hidden, w2) + b2
    log_probs = logits - np.log(np.sum(np.exp(logits), axis=1, keepdims=True))
    return -np.mean(np.sum(log_probs * onehot, axis=1))


def central_differences(f, arrays, eps=1e-6):
    """d f / d arrays[k], entry by entry, evaluating f on plain NumPy arrays only."""
    grads = []
    for k, array in enumerate(arrays):
        g = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            shifted = [a.copy() for a in arrays]
            shifted[k][index] += eps
            up = f(*shifted)
            shifted[k][index] -= 2 * eps
            g[index] = (up - f(*shifted)) / (2 * eps)
        grads.append(g)
    return grads


def data(rng):
    inputs = rng.standard_normal((6, 3))
    targets = (rng.random(6) > 0.5).astype(float)
    onehot = np.eye(4)[rng.integers(0, 4, 6)]
    return inputs, targets, onehot


def test_logistic_regression_loss_runs_on_tensors_and_its_gradient_matches(rng):
    inputs, targets, _ = data(rng)
    w = rng.standard_normal(3)
    loss = logistic_loss(ag.tensor(w, requires_grad=True), inputs, targets)
    assert isinstance(loss, ag.Tensor) and loss.grad_fn is not None
    assert np.isclose(loss.item(), logistic_loss(w, inputs, targets), rtol=1e-12)
    weights = ag.tensor(w, requires_grad=True)
    logistic_loss(weights, inputs, targets).backward()
    (expected,) = central_differences(lambda w: logistic_loss(w, inputs, targets), [w])
    assert np.allclose(weights.grad.data, expected, rtol=1e-6, atol=1e-8), (
        f"\nengine:      {weights.grad.data}\ndifferences: {expected}")


def test_tanh_mlp_loss_runs_on_tensors_and_its_gradient_matches(rng):
    inputs, _, onehot = data(rng)
    arrays = [rng.standard_normal((3, 5)), rng.standard_normal(5),
              rng.standard_normal((5, 4)), rng.standard_normal(4)]
    params = [ag.tensor(a, requires_grad=True) for a in arrays]
    loss = mlp_loss(*params, inputs, onehot)
    assert np.isclose(loss.item(), mlp_loss(*arrays, inputs, onehot), rtol=1e-12)
    loss.backward()
    expected = central_differences(lambda *ps: mlp_loss(*ps, inputs, onehot), arrays)
    for name, p, e in zip(("w1", "b1", "w2", "b2"), params, expected):
        assert np.allclose(p.grad.data, e, rtol=1e-6, atol=1e-8), (
            f"{name}\nengine:      {p.grad.data}\ndifferences: {e}")


def test_the_numpy_written_loss_is_twice_differentiable(rng):
    """Second derivatives go through the same NumPy calls (the backward formulas route them)."""
    inputs, targets, _ = data(rng)
    w = ag.tensor(rng.standard_normal(3), requires_grad=True)
    assert gradcheck(lambda w: logistic_loss(w, inputs, targets), w)
    assert gradgradcheck(lambda w: logistic_loss(w, inputs, targets), w)
