"""Tests of the smooth and clipped activations of nn/functional/activation.py and
nn/layers/activation.py (GELU, SiLU, ELU, Hardtanh, LogSigmoid, Mish): values against the
equations written out with Python's math module, derivatives (first and second order), the
subgradients PyTorch picks at the kinks, stability at |x| = 1000, and bad arguments."""

import math

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck
from tests.nn.module_checks import check_module, leaf


def sigmoid(v):
    if v < 0:
        return math.exp(v) / (1 + math.exp(v))
    return 1 / (1 + math.exp(-v))


def softplus(v):
    return max(v, 0.0) + math.log1p(math.exp(-abs(v)))


# Each activation written out one number at a time, independently of the library.
EQUATIONS = {
    "gelu": lambda v: 0.5 * v * (1 + math.erf(v / math.sqrt(2))),
    "gelu_tanh": lambda v: 0.5 * v * (1 + math.tanh(math.sqrt(2 / math.pi)
                                                     * (v + 0.044715 * v**3))),
    "silu": lambda v: v * sigmoid(v),
    "elu": lambda v: v if v > 0 else 1.0 * math.expm1(v),
    "hardtanh": lambda v: min(max(v, -1.0), 1.0),
    "logsigmoid": lambda v: -softplus(-v),
    "mish": lambda v: v * math.tanh(softplus(v)),
}
FUNCTIONS = {
    "gelu": F.gelu,
    "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "silu": F.silu,
    "elu": F.elu,
    "hardtanh": F.hardtanh,
    "logsigmoid": F.logsigmoid,
    "mish": F.mish,
}
MODULES = {
    "gelu": nn.GELU(),
    "gelu_tanh": nn.GELU(approximate="tanh"),
    "silu": nn.SiLU(),
    "elu": nn.ELU(),
    "hardtanh": nn.Hardtanh(),
    "logsigmoid": nn.LogSigmoid(),
    "mish": nn.Mish(),
}
VALUES = np.concatenate([np.linspace(-6, 6, 121), [-30.0, -1e-8, 1e-8, 30.0]])


@pytest.mark.parametrize("name", sorted(EQUATIONS))
def test_values_follow_the_equations(name):
    expected = np.array([EQUATIONS[name](v) for v in VALUES])
    for y in (FUNCTIONS[name](ag.tensor(VALUES)), MODULES[name](ag.tensor(VALUES))):
        np.testing.assert_allclose(y.data, expected, rtol=1e-14, atol=1e-15)


def test_exact_gelu_is_x_times_the_normal_cdf_even_far_left():
    # 1 + erf(x / sqrt 2) would cancel to 0 here; x * Phi(x) is still a normal number. Its
    # relative condition number is about x^2 (400 at x = -20): rounding x / sqrt 2 alone moves
    # it by ~4e-14.
    x = np.array([-20.0, -10.0, -5.0])
    expected = [0.5 * v * math.erfc(-v / math.sqrt(2)) for v in x]
    np.testing.assert_allclose(F.gelu(ag.tensor(x)).data, expected, rtol=1e-12)
    assert F.gelu(ag.tensor(-20.0)).item() < 0


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_gradcheck_and_gradgradcheck(name, rng):
    # Away from hardtanh's kinks at +-1 and elu's at 0.
    sign, shift = rng.choice([-1, 1], (3, 4)), rng.choice([0, 1.5], (3, 4))
    x = leaf(sign * (rng.uniform(0.2, 0.8, (3, 4)) + shift))
    assert gradcheck(FUNCTIONS[name], x)
    assert gradgradcheck(FUNCTIONS[name], x)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_gradcheck(name, rng):
    check_module(MODULES[name], leaf(rng.uniform(-0.9, 0.9, (2, 3))))


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_finite_values_and_derivatives_at_plus_minus_1000(name):
    x = leaf([-1000.0, 1000.0])
    y = FUNCTIONS[name](x)
    (g,) = ag.grad(y.sum(), x, create_graph=True)
    # hardtanh's gradient out there is a constant 0: it has no second derivative to take.
    (h,) = ag.grad(g.sum(), x) if g.requires_grad else (g,)
    for what, t in (("value", y), ("gradient", g), ("second derivative", h)):
        assert np.isfinite(t.data).all(), f"{name}: {what} {t.data} at {x.data}"
    expected = [EQUATIONS[name](v) for v in x.data]
    np.testing.assert_allclose(y.data, expected, rtol=1e-14, atol=1e-300)
    # The slopes of the two linear tails: 0 on the left, 1 on the right (0 for hardtanh and
    # logsigmoid's right, 1 for logsigmoid's left).
    left, right = {"hardtanh": (0, 0), "logsigmoid": (1, 0)}.get(name, (0, 1))
    np.testing.assert_allclose(g.data, [left, right], atol=1e-300)


def test_gradients_by_hand(rng):
    v = rng.uniform(-3, 3, 7)
    s = 1 / (1 + np.exp(-v))
    cdf = np.array([0.5 * math.erfc(-a / math.sqrt(2)) for a in v])
    derivatives = {
        "gelu": cdf + v * np.exp(-v * v / 2) / math.sqrt(2 * math.pi),
        "silu": s + v * s * (1 - s),
        "logsigmoid": 1 - s,
        "mish": np.tanh(np.logaddexp(0, v)) + v * (1 - np.tanh(np.logaddexp(0, v)) ** 2) * s,
    }
    for name, expected in derivatives.items():
        x = leaf(v)
        FUNCTIONS[name](x).sum().backward()
        np.testing.assert_allclose(x.grad.data, expected, rtol=1e-12, err_msg=name)


def test_subgradients_at_the_kinks_are_pytorchs():
    x = leaf([-1.0, 1.0, 0.0, 0.5])
    F.hardtanh(x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0, 0, 1, 1])  # 0 on the bounds themselves
    x = leaf([0.0, -2.0])
    F.elu(x, alpha=0.7).sum().backward()
    np.testing.assert_allclose(x.grad.data, [0.7, 0.7 * math.exp(-2)])  # elu'(0) = alpha


def test_parameters_and_reprs():
    x = ag.tensor([-3.0, -0.25, 0.0, 2.0, 5.0])
    np.testing.assert_array_equal(nn.Hardtanh(-0.5, 2.0)(x).data, [-0.5, -0.25, 0, 2, 2])
    np.testing.assert_allclose(nn.ELU(alpha=2.0)(x).data[:2], 2 * np.expm1([-3.0, -0.25]))
    assert repr(nn.GELU(approximate="tanh")) == "GELU(approximate='tanh')"
    assert repr(nn.ELU(0.5)) == "ELU(alpha=0.5)"
    assert repr(nn.Hardtanh()) == "Hardtanh(min_val=-1.0, max_val=1.0)"
    assert repr(nn.SiLU()) == "SiLU()" and repr(nn.Mish()) == "Mish()"


def test_float32_stays_float32():
    x = ag.tensor(np.float32([-1.0, 0.5]))
    for name, f in FUNCTIONS.items():
        assert f(x).dtype == np.float32, name


@pytest.mark.parametrize("make, error, message", [
    (lambda: nn.GELU("exact"), ValueError, r"GELU: approximate must be 'none' or 'tanh'"),
    (lambda: F.gelu(ag.ones(2), approximate="fast"), ValueError, "gelu: approximate"),
    (lambda: nn.Hardtanh(1.0, -1.0), ValueError, "Hardtanh: min_val must be less than max_val"),
    (lambda: F.hardtanh(ag.ones(2), 0.5, 0.5), ValueError, "hardtanh: min_val must be less"),
    (lambda: nn.Hardtanh("0", 1.0), TypeError, "Hardtanh: min_val must be a number"),
    (lambda: nn.ELU("1"), TypeError, "ELU: alpha must be a number"),
    (lambda: F.elu(ag.ones(2), alpha=float("nan")), ValueError, "elu: alpha must be finite"),
])
def test_bad_arguments(make, error, message):
    with pytest.raises(error, match=message):
        make()
