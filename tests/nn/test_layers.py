"""Tests of nn/layers: shapes, default initialisation, gradchecks with respect to inputs and
parameters, BatchNorm's running statistics, Dropout's statistics, errors, and the course's
hand-derived gradients (the linear layer's rule, ridge units, threshold units, a 2-2-1 net)."""

import math

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core.testing import check_jacobian, gradcheck, gradgradcheck
from tests.nn.module_checks import as_function, check_module, leaf


# -- Linear ---------------------------------------------------------------------------------------
def test_linear_shapes_and_default_init():
    layer = nn.Linear(50, 40)
    assert layer.weight.shape == (40, 50) and layer.bias.shape == (40,)
    bound = 1 / math.sqrt(50)
    for p in (layer.weight, layer.bias):
        assert np.abs(p.data).max() <= bound
        assert np.abs(p.data).max() > 0.9 * bound  # spread over the whole interval
    assert layer(ag.randn(8, 50)).shape == (8, 40)
    assert layer(ag.randn(2, 3, 50)).shape == (2, 3, 40)
    assert layer(ag.randn(50)).shape == (40,)


def test_linear_without_bias():
    layer = nn.Linear(3, 2, bias=False)
    assert layer.bias is None
    assert [name for name, _ in layer.named_parameters()] == ["weight"]
    x = ag.randn(4, 3)
    np.testing.assert_allclose(layer(x).data, x.data @ layer.weight.data.T)


def test_linear_float32():
    layer = nn.Linear(3, 2, dtype=np.float32)
    assert layer.weight.dtype == np.float32 and layer.bias.dtype == np.float32
    assert layer(ag.ones(4, 3, dtype=np.float32)).dtype == np.float32


@pytest.mark.parametrize("bias", [True, False])
def test_linear_gradcheck(bias):
    check_module(nn.Linear(3, 2, bias=bias), leaf(ag.randn(4, 3).data))


def test_linear_feature_mismatch_error():
    message = r"Linear\(in_features=4, out_features=2, bias=True\): input has 3 features " \
              r"\(shape \(8, 3\)\)"
    with pytest.raises(ValueError, match=message):
        nn.Linear(4, 2)(ag.ones(8, 3))


def test_linear_layer_rule_of_the_course(rng):
    """z = W y + b with upstream delta: dE/dW = delta y^T, dE/db = delta, dE/dy = W^T delta."""
    layer = nn.Linear(3, 2)
    W, b = layer.weight, layer.bias
    y = leaf(rng.standard_normal(3))
    delta = rng.standard_normal(2)
    z = layer(y)
    gW, gb, gy = ag.grad(z, (W, b, y), delta)
    np.testing.assert_allclose(gW.data, np.outer(delta, y.data), rtol=1e-12)
    np.testing.assert_allclose(gb.data, delta, rtol=1e-12)
    np.testing.assert_allclose(gy.data, W.data.T @ delta, rtol=1e-12)

    # The Jacobians behind the rule: dz/dy = W, dz_i/dW_jk = [i = j] y_k, dz/db = I.
    f, _ = as_function(layer)
    dz_dW = np.einsum("ij,k->ijk", np.eye(2), y.data)
    check_jacobian(f, (y, W, b), (W.data, dz_dW, np.eye(2)))


def test_ridge_unit_gradient_points_along_the_input(rng):
    """phi(x . theta): d/dtheta = phi'(x . theta) x, parallel to x for every phi."""
    x = rng.standard_normal(5)
    layer = nn.Linear(5, 1, bias=False)
    for phi in (nn.Sigmoid(), nn.Tanh(), nn.Softplus(), nn.LeakyReLU(0.1)):
        layer.zero_grad()
        phi(layer(ag.tensor(x))).sum().backward()
        g = layer.weight.grad.data.reshape(-1)
        cosine = g @ x / (np.linalg.norm(g) * np.linalg.norm(x))
        assert abs(abs(cosine) - 1) < 1e-12, f"{phi}: cosine {cosine}"


def test_threshold_units_cannot_learn(rng):
    """A perceptron with a step output: the loss gradient is zero, so gradient descent never
    moves the weights, whatever the error."""
    layer = nn.Linear(3, 1)
    x = ag.tensor(rng.standard_normal((10, 3)))
    target = ag.tensor(rng.integers(0, 2, (10, 1)).astype(float))
    before = layer.weight.data.copy()
    for _ in range(5):
        layer.zero_grad()
        loss = ((nn.Step()(layer(x)) - target) ** 2).mean()
        loss.backward()
        assert loss.item() > 0
        np.testing.assert_array_equal(layer.weight.grad.data, 0)
        np.testing.assert_array_equal(layer.bias.grad.data, 0)
        with ag.no_grad():
            layer.weight.sub_(0.5 * layer.weight.grad)
    np.testing.assert_array_equal(layer.weight.data, before)


def test_two_two_one_sigmoid_network_by_hand():
    """x -> h = sigmoid(W1 x + b1) -> yhat = sigmoid(w2 . h + b2), E = 0.5 (y - yhat)^2: all six
    weight gradients written out by the chain rule, against the engine."""
    x1, x2, y = 0.05, 0.10, 0.01
    w1, w2, w3, w4, w5, w6 = 0.15, 0.20, 0.25, 0.30, 0.40, 0.45
    b1, b2 = 0.35, 0.60
    net = nn.Sequential(nn.Linear(2, 2), nn.Sigmoid(), nn.Linear(2, 1), nn.Sigmoid())
    with ag.no_grad():
        net[0].weight.copy_(np.array([[w1, w2], [w3, w4]]))  # w1: x1 -> h1, w2: x2 -> h1, ...
        net[0].bias.copy_(np.array([b1, b1]))
        net[2].weight.copy_(np.array([[w5, w6]]))
        net[2].bias.copy_(np.array([b2]))
    yhat = net(ag.tensor([x1, x2]))
    (0.5 * (y - yhat) ** 2).sum().backward()

    sigmoid = lambda z: 1 / (1 + math.exp(-z))
    h1, h2 = sigmoid(w1 * x1 + w2 * x2 + b1), sigmoid(w3 * x1 + w4 * x2 + b1)
    o = sigmoid(w5 * h1 + w6 * h2 + b2)
    delta_o = (o - y) * o * (1 - o)  # dE/d(output pre-activation)
    delta_h1 = delta_o * w5 * h1 * (1 - h1)
    delta_h2 = delta_o * w6 * h2 * (1 - h2)
    by_hand = {
        "w1": delta_h1 * x1, "w2": delta_h1 * x2, "w3": delta_h2 * x1, "w4": delta_h2 * x2,
        "w5": delta_o * h1, "w6": delta_o * h2,
    }
    engine = {
        "w1": net[0].weight.grad.data[0, 0], "w2": net[0].weight.grad.data[0, 1],
        "w3": net[0].weight.grad.data[1, 0], "w4": net[0].weight.grad.data[1, 1],
        "w5": net[2].weight.grad.data[0, 0], "w6": net[2].weight.grad.data[0, 1],
    }
    for name in by_hand:
        assert engine[name] == pytest.approx(by_hand[name], rel=1e-12), (
            f"{name}: engine {engine[name]!r}, by hand {by_hand[name]!r}")
    assert yhat.item() == pytest.approx(o, rel=1e-12)


# -- Flatten, activations -------------------------------------------------------------------------
def test_flatten_module():
    assert nn.Flatten()(ag.ones(8, 3, 4, 4)).shape == (8, 48)
    assert nn.Flatten(0)(ag.ones(8, 3)).shape == (24,)
    assert "start_axis=1" in repr(nn.Flatten())


@pytest.mark.parametrize("module", [nn.ReLU(), nn.LeakyReLU(), nn.LeakyReLU(0.2), nn.Sigmoid(),
                                    nn.Tanh(), nn.Softplus(), nn.Softmax(), nn.Softmax(axis=0),
                                    nn.LogSoftmax(), nn.LogSoftmax(axis=0), nn.Step()])
def test_activation_modules_gradcheck(rng, module):
    x = leaf(rng.uniform(0.2, 2.0, (3, 4)) * rng.choice([-1, 1], (3, 4)))
    check_module(module, x)


def test_activation_module_values():
    x = ag.tensor([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(nn.ReLU()(x).data, [0, 0, 3])
    np.testing.assert_allclose(nn.LeakyReLU()(x).data, [-0.02, 0, 3])
    np.testing.assert_allclose(nn.Step()(x).data, [0, 0, 1])
    np.testing.assert_allclose(nn.Softmax()(ag.zeros(2, 4)).data, 0.25)
    np.testing.assert_allclose(nn.Softmax(axis=0)(ag.zeros(2, 4)).data, 0.5)
    assert repr(nn.LeakyReLU(0.2)) == "LeakyReLU(negative_slope=0.2)"
    assert repr(nn.Softmax(axis=0)) == "Softmax(axis=0)"


# -- Dropout --------------------------------------------------------------------------------------
@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_dropout_statistics(p):
    n = 200_000
    x = ag.ones(n)
    y = nn.Dropout(p)(x).data
    zeroed = np.mean(y == 0)
    assert abs(zeroed - p) < 5 * math.sqrt(p * (1 - p) / n)  # five binomial standard deviations
    np.testing.assert_allclose(y[y != 0], 1 / (1 - p))  # the kept values are scaled
    assert abs(y.mean() - 1) < 5 * math.sqrt(p / (1 - p) / n)  # the expectation is preserved


def test_dropout_eval_is_identity_and_train_is_reproducible():
    drop = nn.Dropout(0.5)
    x = ag.randn(10, 10)
    assert drop.eval()(x) is x
    drop.train()
    ag.manual_seed(3)
    first = drop(x).data
    ag.manual_seed(3)
    np.testing.assert_array_equal(drop(x).data, first)
    assert not np.array_equal(drop(x).data, first)  # a fresh mask on the next call


def test_dropout_bad_p_and_p_one():
    for p in (-0.5, 1.01):
        with pytest.raises(ValueError, match=r"Dropout: p must be a probability in \[0, 1\]"):
            nn.Dropout(p)
    np.testing.assert_array_equal(nn.Dropout(1.0)(ag.ones(5)).data, 0)
    assert repr(nn.Dropout(0.3)) == "Dropout(p=0.3)"


def test_dropout_gradcheck_with_a_fixed_seed(rng):
    drop = nn.Dropout(0.3)

    def f(x):
        ag.manual_seed(11)
        return drop(x)

    x = leaf(rng.standard_normal((4, 6)))
    assert gradcheck(f, x)
    assert gradgradcheck(f, x)


# -- BatchNorm1d ----------------------------------------------------------------------------------
def test_batch_norm_defaults():
    bn = nn.BatchNorm1d(3)
    np.testing.assert_array_equal(bn.weight.data, 1)
    np.testing.assert_array_equal(bn.bias.data, 0)
    np.testing.assert_array_equal(bn.running_mean.data, 0)
    np.testing.assert_array_equal(bn.running_var.data, 1)
    assert bn.num_batches_tracked.item() == 0 and bn.num_batches_tracked.dtype == np.int64
    assert bn.momentum == 0.1 and bn.eps == 1e-5
    assert list(bn.state_dict()) == ["weight", "bias", "running_mean", "running_var",
                                     "num_batches_tracked"]
    assert [name for name, _ in bn.named_parameters()] == ["weight", "bias"]


@pytest.mark.parametrize("shape", [(16, 3), (8, 3, 5)])
def test_batch_norm_running_statistics_follow_the_formula(rng, shape):
    bn = nn.BatchNorm1d(3, momentum=0.2)
    axes = (0,) if len(shape) == 2 else (0, 2)
    mean, var = np.zeros(3), np.ones(3)
    for _ in range(4):
        x = rng.normal(2.0, 3.0, shape)
        y = bn(ag.tensor(x)).data
        mean = 0.8 * mean + 0.2 * x.mean(axis=axes)
        var = 0.8 * var + 0.2 * x.var(axis=axes, ddof=1)  # unbiased in the running estimate
        # ... but biased in the normalisation itself:
        centred = x - x.mean(axis=axes, keepdims=True)
        expected = centred / np.sqrt(x.var(axis=axes, keepdims=True) + 1e-5)
        np.testing.assert_allclose(y, expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(bn.running_mean.data, mean, rtol=1e-12)
    np.testing.assert_allclose(bn.running_var.data, var, rtol=1e-12)
    assert bn.num_batches_tracked.item() == 4


def test_batch_norm_eval_uses_running_statistics(rng):
    bn = nn.BatchNorm1d(2)
    with ag.no_grad():
        bn.running_mean.copy_(np.array([1.0, -2.0]))
        bn.running_var.copy_(np.array([4.0, 0.25]))
        bn.weight.copy_(np.array([2.0, 3.0]))
        bn.bias.copy_(np.array([0.5, -0.5]))
    bn.eval()
    x = rng.standard_normal((5, 2))
    expected = (x - [1.0, -2.0]) / np.sqrt(np.array([4.0, 0.25]) + 1e-5) * [2, 3] + [0.5, -0.5]
    np.testing.assert_allclose(bn(ag.tensor(x)).data, expected, rtol=1e-12)
    assert bn.num_batches_tracked.item() == 0  # evaluation changes no statistics
    np.testing.assert_array_equal(bn.running_mean.data, [1.0, -2.0])
    bn(ag.ones(1, 2))  # one sample is fine in evaluation


def test_batch_norm_cumulative_average_and_no_tracking(rng):
    bn = nn.BatchNorm1d(2, momentum=None)
    batches = [rng.standard_normal((6, 2)) for _ in range(3)]
    for x in batches:
        bn(ag.tensor(x))
    np.testing.assert_allclose(bn.running_mean.data, np.mean([x.mean(0) for x in batches], 0))
    free = nn.BatchNorm1d(2, track_running_stats=False, affine=False)
    assert free.running_mean is None and list(free.state_dict()) == []
    x = rng.normal(5, 2, (6, 2))
    y = free.eval()(ag.tensor(x)).data  # batch statistics even in evaluation
    np.testing.assert_allclose(y.mean(0), 0, atol=1e-12)


@pytest.mark.parametrize("shape", [(5, 3), (4, 3, 2)])
def test_batch_norm_gradcheck_train_and_eval(rng, shape):
    bn = nn.BatchNorm1d(3)
    with ag.no_grad():
        bn.weight.copy_(rng.standard_normal(3))
        bn.bias.copy_(rng.standard_normal(3))
    check_module(bn, leaf(rng.standard_normal(shape)))
    bn.eval()
    check_module(bn, leaf(rng.standard_normal(shape)))


def test_batch_norm_errors():
    bn = nn.BatchNorm1d(3)
    with pytest.raises(ValueError, match=r"BatchNorm1d\(3, .*expected input of shape \(N, 3\) or "
                                         r"\(N, 3, L\), got \(3,\)"):
        bn(ag.ones(3))
    with pytest.raises(ValueError, match=r"got \(2, 4\)"):
        bn(ag.ones(2, 4))
    with pytest.raises(ValueError, match=r"got \(1, 2, 3, 4\)"):
        bn(ag.ones(1, 2, 3, 4))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        bn(ag.ones(1, 3))
    assert bn.num_batches_tracked.item() == 0  # a rejected batch changes nothing


# -- LayerNorm ------------------------------------------------------------------------------------
def test_layer_norm_values_defaults_and_gradcheck(rng):
    ln = nn.LayerNorm((2, 3))
    assert ln.weight.shape == (2, 3) and ln.eps == 1e-5
    x = leaf(rng.normal(3, 4, (4, 2, 3)))
    y = ln(x).data
    np.testing.assert_allclose(y.mean(axis=(1, 2)), 0, atol=1e-12)
    with ag.no_grad():
        ln.weight.copy_(rng.standard_normal((2, 3)))
        ln.bias.copy_(rng.standard_normal((2, 3)))
    check_module(ln, x)
    plain = nn.LayerNorm(3, elementwise_affine=False)
    assert list(plain.parameters()) == []
    check_module(plain, leaf(rng.standard_normal((2, 3))))


def test_layer_norm_shape_error():
    with pytest.raises(ValueError, match=r"LayerNorm\(\(4,\), .*input shape \(8, 3\) does not "
                                         r"end in the normalized shape \(4,\)"):
        nn.LayerNorm(4)(ag.ones(8, 3))


# -- Embedding ------------------------------------------------------------------------------------
def test_embedding_init_lookup_and_gradient(rng):
    emb = nn.Embedding(1000, 50)
    assert emb.weight.shape == (1000, 50)
    assert abs(emb.weight.data.mean()) < 0.01 and abs(emb.weight.data.std() - 1) < 0.01
    small = nn.Embedding(6, 3)
    indices = np.array([[1, 2], [5, 1]])
    np.testing.assert_array_equal(small(indices).data, small.weight.data[indices])
    np.testing.assert_array_equal(small(ag.tensor(indices)).data, small.weight.data[indices])
    f, (weight,) = as_function(small)
    assert gradcheck(lambda w: f(indices, w), weight)
    assert gradgradcheck(lambda w: f(indices, w), weight)


def test_embedding_errors():
    emb = nn.Embedding(10, 3)
    with pytest.raises(IndexError, match=r"Embedding\(10, 3\): index 12 is out of range; "
                                         r"indices must lie in \[0, 10\)"):
        emb(np.array([1, 12]))
    with pytest.raises(IndexError, match="index -1 is out of range"):
        emb(np.array([-1]))
    with pytest.raises(TypeError, match=r"Embedding\(10, 3\): indices must be integers"):
        emb(ag.tensor([1.0, 2.0]))


@pytest.mark.parametrize("make, error, message", [
    (lambda: nn.Linear(2.5, 3), TypeError, "Linear: in_features must be an int"),
    (lambda: nn.Linear(3, -1), ValueError, "Linear: out_features must be non-negative"),
    (lambda: nn.BatchNorm1d(float("inf")), TypeError, "BatchNorm1d: num_features must be an int"),
    (lambda: nn.BatchNorm1d(3, eps=float("nan")), ValueError, "BatchNorm1d: eps must be finite"),
    (lambda: nn.BatchNorm1d(3, momentum="0.1"), TypeError, "momentum must be a number"),
    (lambda: nn.LayerNorm("4"), TypeError, "LayerNorm: normalized_shape must be an int or"),
    (lambda: nn.Embedding(True, 3), TypeError, "Embedding: num_embeddings must be an int"),
    (lambda: nn.LeakyReLU(1j), TypeError, "LeakyReLU: negative_slope must be a number"),
    (lambda: nn.Softplus("2"), TypeError, "Softplus: beta must be a number"),
])
def test_constructors_reject_bad_arguments(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_empty_linear_layers():
    layer = nn.Linear(0, 3)  # the bias is U(-0, 0): PyTorch's bound at fan_in 0
    np.testing.assert_array_equal(layer(ag.ones(2, 0)).data, 0)
    assert nn.Linear(3, 0)(ag.ones(2, 3)).shape == (2, 0)
