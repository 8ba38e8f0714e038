"""Tests for nn/functional/loss.py and nn/losses.py.

Every loss in every reduction gets gradcheck and gradgradcheck (the fused primitive
SoftmaxCrossEntropy also on its own); values are compared with NumPy references written from
PyTorch's documented formulas; the course's gradient rules are checked with check_jacobian.
"""

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import check_jacobian, gradcheck, gradgradcheck
from nn.datasets import load_digits
from nn.functional.loss import SoftmaxCrossEntropy

REDUCTIONS = ["mean", "sum", "none"]


def leaf(array):
    return ag.tensor(np.asarray(array, dtype=np.float64), requires_grad=True)


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def reduce(values, reduction, denominator=None):
    if reduction == "none":
        return values
    total = values.sum()
    if reduction == "sum":
        return total
    return total / (values.size if denominator is None else denominator)


def both_checks(f, inputs):
    assert gradcheck(f, inputs)
    assert gradgradcheck(f, inputs)


# -- the fused primitive ------------------------------------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_softmax_cross_entropy_primitive_gradcheck_gradgradcheck(rng, reduction):
    z = leaf(rng.standard_normal((4, 3)))
    q = leaf(rng.dirichlet(np.ones(3), size=4))

    def f(z, q):
        return SoftmaxCrossEntropy.apply(z, q, reduction=reduction, denominator=2.5)

    both_checks(f, (z, q))
    constant_q = q.data  # an array argument: a constant, as for class-index targets
    both_checks(lambda z: SoftmaxCrossEntropy.apply(z, constant_q, reduction=reduction,
                                                    denominator=4.0), z)


# -- every loss, every reduction: gradients and values ---------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("options", [
    {},
    {"weight": np.array([1.0, 2.0, 0.5])},
    {"label_smoothing": 0.2},
    {"weight": np.array([1.0, 2.0, 0.5]), "label_smoothing": 0.1},
])
def test_cross_entropy_with_class_indices(rng, reduction, options):
    z = leaf(rng.standard_normal((5, 3)))
    target = np.array([0, 2, 1, -100, 2])  # one ignored row
    loss = F.cross_entropy(z, target, reduction=reduction, **options)
    # Reference from PyTorch's formula: (1 - eps) w[k] (-log p_k) + (eps / C) sum_c w_c (-log p_c),
    # ignored rows 0, the mean divided by the summed weights of the kept targets.
    w, eps = options.get("weight", np.ones(3)), options.get("label_smoothing", 0.0)
    log_p = np.log(softmax(z.data))
    kept = target != -100
    k = np.where(kept, target, 0)
    rows = -(1 - eps) * w[k] * log_p[np.arange(5), k] - eps / 3 * (w * log_p).sum(axis=1)
    rows = rows * kept
    np.testing.assert_allclose(loss.data, reduce(rows, reduction, (w[k] * kept).sum()))
    both_checks(lambda z: F.cross_entropy(z, target, reduction=reduction, **options), z)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_with_probabilities_differentiates_both(rng, reduction):
    z = leaf(rng.standard_normal((4, 3)))
    t = leaf(rng.dirichlet(np.ones(3), size=4))
    loss = F.cross_entropy(z, t, reduction=reduction)
    rows = -(t.data * np.log(softmax(z.data))).sum(axis=1)
    np.testing.assert_allclose(loss.data, reduce(rows, reduction))
    both_checks(lambda z, t: F.cross_entropy(z, t, reduction=reduction), (z, t))
    both_checks(lambda z, t: F.cross_entropy(z, t, reduction=reduction, label_smoothing=0.3,
                                             weight=np.array([2.0, 1.0, 0.5])), (z, t))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_and_nll_with_spatial_axes(rng, reduction):
    z = leaf(rng.standard_normal((2, 3, 2, 2)))  # (N, C, d1, d2)
    target = rng.integers(0, 3, (2, 2, 2))
    loss = F.cross_entropy(z, target, reduction=reduction)
    log_p = np.log(softmax(np.moveaxis(z.data, 1, -1)))
    rows = -np.take_along_axis(log_p, target[..., None], axis=-1)[..., 0]
    np.testing.assert_allclose(loss.data, reduce(rows, reduction))
    both_checks(lambda z: F.cross_entropy(z, target, reduction=reduction), z)
    log_probs = leaf(np.moveaxis(log_p, -1, 1))
    np.testing.assert_allclose(F.nll_loss(log_probs, target, reduction=reduction).data,
                               loss.data)
    both_checks(lambda x: F.nll_loss(x, target, reduction=reduction), log_probs)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_loss_weights_and_ignore_index(rng, reduction):
    x = leaf(rng.standard_normal((5, 4)))
    target = np.array([3, 0, -100, 1, 3])
    w = np.array([0.5, 2.0, 1.0, 3.0])
    loss = F.nll_loss(x, target, weight=w, reduction=reduction)
    kept = target != -100
    k = np.where(kept, target, 0)
    rows = -w[k] * x.data[np.arange(5), k] * kept
    np.testing.assert_allclose(loss.data, reduce(rows, reduction, (w[k] * kept).sum()))
    both_checks(lambda x: F.nll_loss(x, target, weight=w, reduction=reduction), x)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_and_l1(rng, reduction):
    x, y = leaf(rng.standard_normal((3, 4))), leaf(rng.standard_normal((3, 4)))
    np.testing.assert_allclose(F.mse_loss(x, y, reduction).data,
                               reduce((x.data - y.data) ** 2, reduction))
    np.testing.assert_allclose(F.l1_loss(x, y, reduction).data,
                               reduce(np.abs(x.data - y.data), reduction))
    both_checks(lambda x, y: F.mse_loss(x, y, reduction), (x, y))
    both_checks(lambda x, y: F.l1_loss(x, y, reduction), (x, y))  # no x = y: away from the kink


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy(rng, reduction):
    p, y = leaf(rng.uniform(0.05, 0.95, (3, 4))), leaf(rng.uniform(0, 1, (3, 4)))
    w = rng.uniform(0.5, 2.0, (4,))
    rows = -w * (y.data * np.log(p.data) + (1 - y.data) * np.log(1 - p.data))
    loss = F.binary_cross_entropy(p, y, weight=w, reduction=reduction)
    np.testing.assert_allclose(loss.data, reduce(rows, reduction))
    both_checks(lambda p, y: F.binary_cross_entropy(p, y, weight=w, reduction=reduction), (p, y))


def test_binary_cross_entropy_clamps_log_at_minus_100():
    p = leaf([0.0, 1.0, 1e-50])
    loss = F.binary_cross_entropy(p, ag.tensor([1.0, 0.0, 1.0]), reduction="none")
    np.testing.assert_allclose(loss.data, [100.0, 100.0, 100.0])
    loss.sum().backward()
    assert np.all(np.isfinite(p.grad.data))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy_with_logits(rng, reduction):
    x, y = leaf(rng.standard_normal((3, 4)) * 3), leaf(rng.uniform(0, 1, (3, 4)))
    w, pos_weight = rng.uniform(0.5, 2.0, (4,)), np.array([1.0, 2.0, 3.0, 0.5])
    s = 1 / (1 + np.exp(-x.data))
    rows = -w * (pos_weight * y.data * np.log(s) + (1 - y.data) * np.log(1 - s))
    loss = F.binary_cross_entropy_with_logits(x, y, w, reduction, pos_weight=pos_weight)
    np.testing.assert_allclose(loss.data, reduce(rows, reduction))
    np.testing.assert_allclose(
        F.binary_cross_entropy_with_logits(x, y, reduction=reduction).data,
        F.binary_cross_entropy(ag.sigmoid(x), y, reduction=reduction).data)
    both_checks(lambda x, y: F.binary_cross_entropy_with_logits(x, y, reduction=reduction), (x, y))
    both_checks(lambda x, y: F.binary_cross_entropy_with_logits(
        x, y, w, reduction, pos_weight=pos_weight), (x, y))


@pytest.mark.parametrize("reduction", ["batchmean"] + REDUCTIONS)
def test_kl_div(rng, reduction):
    log_q = leaf(np.log(rng.dirichlet(np.ones(4), size=3)))
    p = leaf(rng.dirichlet(np.ones(4), size=3))
    rows = p.data * (np.log(p.data) - log_q.data)
    expected = rows.sum() / 3 if reduction == "batchmean" else reduce(rows, reduction)
    np.testing.assert_allclose(F.kl_div(log_q, p, reduction).data, expected)
    log_p = leaf(np.log(p.data))
    np.testing.assert_allclose(F.kl_div(log_q, log_p, reduction, log_target=True).data, expected)
    both_checks(lambda a, b: F.kl_div(a, b, reduction), (log_q, p))
    both_checks(lambda a, b: F.kl_div(a, b, reduction, log_target=True), (log_q, log_p))
    # A zero target probability contributes 0 (t log t -> 0), not NaN.
    loss = F.kl_div(leaf(np.log([[0.5, 0.5]])), ag.tensor([[1.0, 0.0]]), reduction="none")
    np.testing.assert_allclose(loss.data, [[np.log(2.0), 0.0]])


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_hinge_loss(rng, reduction):
    y = np.where(rng.uniform(size=8) > 0.5, 1.0, -1.0)
    margins = rng.choice([-1.0, 1.0], 8) * rng.uniform(0.2, 1.5, 8)  # 1 - y s away from 0
    s = leaf(y * (1.0 - margins))
    np.testing.assert_allclose(F.hinge_loss(s, y, reduction).data,
                               reduce(np.maximum(0.0, margins), reduction))
    both_checks(lambda s: F.hinge_loss(s, y, reduction), s)


# -- the course's gradient rules ----------------------------------------------------------------
def test_softmax_plus_cross_entropy_gradient_is_p_minus_onehot(rng):
    z = leaf(rng.standard_normal((4, 5)))
    target = np.array([1, 4, 0, 4])
    onehot = np.eye(5)[target]
    # The mean over N rows: d loss / d z = (p - onehot) / N.
    check_jacobian(lambda z: F.cross_entropy(z, target), z,
                   lambda z: (softmax(z) - onehot) / 4)
    check_jacobian(lambda z: F.cross_entropy(z, target, reduction="sum"), z,
                   lambda z: softmax(z) - onehot)


def test_cross_entropy_gradient_wrt_probabilities_is_minus_one_over_p(rng):
    p = leaf(rng.dirichlet(np.ones(4)))
    k = 2  # -log p(k*) has gradient -1/p(k*) at k* and 0 elsewhere
    expected = np.zeros(4)
    expected[k] = -1 / p.data[k]
    check_jacobian(lambda p: F.nll_loss(ag.log(p), np.array(k)), p, expected)


def test_softmax_jacobian_composed_with_cross_entropy(rng):
    z = leaf(rng.standard_normal(4))
    k = 1
    p = softmax(z.data)
    jacobian = np.diag(p) - np.outer(p, p)  # d softmax / d z
    check_jacobian(lambda z: ag.softmax(z), z, jacobian)
    # Chain rule: the softmax Jacobian (symmetric) times d(-log p_k)/dp = -e_k / p_k gives
    # p - onehot(k), which the fused primitive computes directly.
    upstream = np.zeros(4)
    upstream[k] = -1 / p[k]
    composed = jacobian.T @ upstream
    np.testing.assert_allclose(composed, p - np.eye(4)[k])
    check_jacobian(lambda z: F.cross_entropy(z, np.array(k)), z, composed)


def test_mse_gradients(rng):
    x, target = leaf(rng.standard_normal(6)), rng.standard_normal(6)
    # (1/K) ||x - x*||^2 -> (2/K)(x - x*); the 0.5-MSE -> (1/K)(x - x*).
    check_jacobian(lambda x: F.mse_loss(x, target), x, 2 / 6 * (x.data - target))
    check_jacobian(lambda x: 0.5 * F.mse_loss(x, target), x, (x.data - target) / 6)


def test_softmax_classifier_gradient_is_softmax_minus_y_times_x(rng):
    theta, x, k = leaf(rng.standard_normal((3, 5))), rng.standard_normal(5), 2
    y = np.eye(3)[k]
    # loss = -log softmax(theta x)_k: row i of the gradient is (softmax_i - y_i) x.
    check_jacobian(lambda theta: F.cross_entropy((theta @ x).reshape(1, 3), np.array([k])), theta,
                   lambda theta: np.outer(softmax(theta @ x) - y, x))


def test_logistic_regression_gradient(rng):
    theta, x, y = leaf(rng.standard_normal(5)), rng.standard_normal((7, 5)), rng.integers(0, 2, 7)
    y = y.astype(np.float64)
    sigmoid = lambda s: 1 / (1 + np.exp(-s))
    check_jacobian(lambda theta: F.binary_cross_entropy_with_logits(x @ theta, y), theta,
                   lambda theta: (sigmoid(x @ theta) - y) @ x / 7)


def test_hinge_loss_for_a_linear_svm(rng):
    # Two separable clouds; subgradient descent on mean hinge + small L2 separates them.
    x = np.concatenate([rng.normal(2.0, 0.5, (10, 2)), rng.normal(-2.0, 0.5, (10, 2))])
    y = np.concatenate([np.ones(10), -np.ones(10)])
    w, b = leaf(rng.standard_normal(2) * 0.1), leaf(0.0)
    active = 1 - y * (x @ w.data + b.data) > 0
    # The subgradient wrt w is -(1/N) sum over margin violators of y_i x_i.
    check_jacobian(lambda w: F.hinge_loss(x @ w + b, y), w, -(y[active] @ x[active]) / 20)
    for _ in range(100):
        loss = F.hinge_loss(x @ w + b, y) + 0.01 * (w * w).sum()
        w.grad = b.grad = None
        loss.backward()
        with ag.no_grad():
            w.sub_(0.1 * w.grad)
            b.sub_(0.1 * b.grad)
    assert np.all(np.sign(x @ w.data + b.data) == y)
    assert F.hinge_loss(x @ w + b, y).item() < 0.05


def test_two_or_not_two_with_one_sigmoid_output():
    images, labels = load_digits()
    x = images[:40].reshape(40, -1) / 16.0
    y = (labels[:40] == 2).astype(np.float64)
    w = leaf(np.zeros(64))

    def loss(w):
        return F.binary_cross_entropy(ag.sigmoid(x @ w), y)

    # One sigmoid output with binary cross entropy: d loss / d w = (1/N) sum (sigmoid(x.w) - y) x.
    check_jacobian(loss, w, lambda w: (1 / (1 + np.exp(-x @ w)) - y) @ x / 40)
    for _ in range(200):
        w.grad = None
        loss(w).backward()
        with ag.no_grad():
            w.sub_(2.0 * w.grad)
    predictions = (x @ w.data) > 0
    assert loss(w).item() < 0.1 and np.all(predictions == (y == 1))


def test_stability_at_large_logits():
    z = leaf([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 999.0]])
    loss = F.cross_entropy(z, np.array([1, 1]), reduction="none")
    np.testing.assert_allclose(loss.data, [2000.0, np.log1p(np.exp(-1.0))])
    loss.sum().backward()
    assert np.all(np.isfinite(z.grad.data))
    x = leaf([1000.0, -1000.0, 1000.0, -1000.0])
    loss = F.binary_cross_entropy_with_logits(x, ag.tensor([0.0, 1.0, 1.0, 0.0]), reduction="none")
    np.testing.assert_allclose(loss.data, [1000.0, 1000.0, 0.0, 0.0])
    loss.sum().backward()
    np.testing.assert_allclose(x.grad.data, [1.0, -1.0, 0.0, 0.0])


# -- the Module classes -------------------------------------------------------------------------
def test_modules_match_functions(rng):
    z, labels = ag.tensor(rng.standard_normal((4, 3))), np.array([0, 2, 1, 1])
    x, y = ag.tensor(rng.uniform(0.1, 0.9, (4, 3))), ag.tensor(rng.uniform(0, 1, (4, 3)))
    signs = np.array([1.0, -1.0, 1.0, -1.0])
    pairs = [
        (nn.MSELoss(reduction="sum")(x, y), F.mse_loss(x, y, "sum")),
        (nn.L1Loss()(x, y), F.l1_loss(x, y)),
        (nn.CrossEntropyLoss(label_smoothing=0.1)(z, labels),
         F.cross_entropy(z, labels, label_smoothing=0.1)),
        (nn.CrossEntropyLoss(weight=np.array([1.0, 2.0, 3.0]))(z, labels),
         F.cross_entropy(z, labels, weight=np.array([1.0, 2.0, 3.0]))),
        (nn.NLLLoss(reduction="none")(z, labels), F.nll_loss(z, labels, reduction="none")),
        (nn.BCELoss()(x, y), F.binary_cross_entropy(x, y)),
        (nn.BCEWithLogitsLoss(pos_weight=ag.tensor([2.0]))(z, y),
         F.binary_cross_entropy_with_logits(z, y, pos_weight=2.0)),
        (nn.KLDivLoss()(ag.log(x), y), F.kl_div(ag.log(x), y)),
        (nn.HingeLoss()(z[:, 0], signs), F.hinge_loss(z[:, 0], signs)),
    ]
    for module_value, function_value in pairs:
        np.testing.assert_allclose(module_value.data, function_value.data)


def test_loss_module_repr_and_state():
    assert repr(nn.MSELoss()) == "MSELoss()"
    assert repr(nn.KLDivLoss()) == "KLDivLoss()"
    assert repr(nn.CrossEntropyLoss(reduction="sum", label_smoothing=0.1)) == (
        "CrossEntropyLoss(reduction='sum', label_smoothing=0.1)")
    assert nn.KLDivLoss().reduction == "batchmean"
    state = nn.CrossEntropyLoss(weight=np.array([1.0, 2.0])).state_dict()
    np.testing.assert_array_equal(state["weight"], [1.0, 2.0])
    assert list(nn.CrossEntropyLoss().parameters()) == []


# -- bad input ----------------------------------------------------------------------------------
def test_cross_entropy_class_out_of_range_names_value_and_classes():
    with pytest.raises(ValueError, match=r"CrossEntropyLoss: target class 7 is out of range "
                                         r"for 3 classes"):
        nn.CrossEntropyLoss()(ag.zeros(2, 3), np.array([0, 7]))
    with pytest.raises(ValueError, match=r"nll_loss: target class -2 is out of range for 3"):
        F.nll_loss(ag.zeros(2, 3), np.array([-2, 0]))


def test_cross_entropy_float_label_vector_is_a_type_error():
    with pytest.raises(TypeError, match=r"CrossEntropyLoss: targets must be int class indices "
                                        r"of shape \(2,\) or class probabilities.*\(2, 3\)"):
        nn.CrossEntropyLoss()(ag.zeros(2, 3), np.array([0.0, 1.0]))
    with pytest.raises(TypeError, match=r"cross_entropy: targets of the input's shape \(2, 3\) "
                                        r"are class probabilities and must be floating point"):
        F.cross_entropy(ag.zeros(2, 3), np.zeros((2, 3), dtype=np.int64))


def test_cross_entropy_batch_size_mismatch():
    with pytest.raises(ValueError, match=r"CrossEntropyLoss: batch sizes differ: input of shape "
                                         r"\(4, 3\).*targets of shape \(3,\)"):
        nn.CrossEntropyLoss()(ag.zeros(4, 3), np.array([0, 1, 2]))


def test_hinge_targets_must_be_plus_or_minus_one():
    with pytest.raises(ValueError, match=r"HingeLoss: targets must be -1 or \+1, found 0"):
        nn.HingeLoss()(ag.zeros(3), np.array([1.0, 0.0, -1.0]))


def test_bce_probabilities_outside_unit_interval():
    with pytest.raises(ValueError, match=r"BCELoss: input must hold probabilities in \[0, 1\].*"
                                         r"1\.5.*shape \(2,\)"):
        nn.BCELoss()(ag.tensor([0.5, 1.5]), ag.tensor([1.0, 0.0]))


@pytest.mark.parametrize("module, function", [
    (nn.MSELoss, F.mse_loss), (nn.L1Loss, F.l1_loss), (nn.BCELoss, F.binary_cross_entropy),
    (nn.BCEWithLogitsLoss, F.binary_cross_entropy_with_logits), (nn.KLDivLoss, F.kl_div),
    (nn.HingeLoss, F.hinge_loss),
])
def test_shape_mismatch_names_both_shapes(module, function):
    x, y = ag.full((4, 1), 0.5), ag.ones(4)
    name = module.__name__
    with pytest.raises(ValueError, match=rf"{name}: input shape \(4, 1\) and target shape \(4,\)"):
        module()(x, y)
    with pytest.raises(ValueError, match=rf"{function.__name__}: input shape \(4, 1\)"):
        function(x, y)


def test_unknown_reduction_and_bad_options():
    with pytest.raises(ValueError, match=r"MSELoss: unknown reduction 'avg'; expected one of "
                                         r"'mean', 'sum', 'none'"):
        nn.MSELoss(reduction="avg")
    with pytest.raises(ValueError, match=r"cross_entropy: unknown reduction 'batchmean'"):
        F.cross_entropy(ag.zeros(2, 3), np.array([0, 1]), reduction="batchmean")
    with pytest.raises(ValueError, match=r"KLDivLoss: unknown reduction 'avg'.*'batchmean'"):
        nn.KLDivLoss(reduction="avg")
    with pytest.raises(ValueError, match=r"CrossEntropyLoss: label_smoothing must be in \[0, 1\]"):
        nn.CrossEntropyLoss(label_smoothing=1.5)
    with pytest.raises(ValueError, match=r"cross_entropy: weight must have shape \(3,\)"):
        F.cross_entropy(ag.zeros(2, 3), np.array([0, 1]), weight=np.ones(2))
