"""How `verify` checks nn: its primitives, every layer (with its parameters) and every loss.

A layer is checked as a function of its input and all its parameters: `verify` passes fresh
tensors for the parameters and the layer reads them in place of its own (see `_substituted`),
so the same gradcheck covers d output / d weight as well as d output / d input.
Losses are checked with respect to their input, targets held fixed; the hand-derived gradients
are the cookbook's: MSE 2(x - t)/N, softmax cross entropy (p - onehot)/N, and so on.
"""

import math
from contextlib import contextmanager

import numpy as np

import autograd_core as ag
import nn
import nn.functional as F
from nn.functional import conv, im2col

from .checks import Check, diagonal, leaf, sigmoid, softmax
from .inputs import away_from_half_integers, nonzero, normal, spaced

N, C = 4, 3  # batch and classes of the loss checks
LABELS = np.array([0, 2, 1, 2])
ONEHOT = np.eye(C)[LABELS]


# -- layers as functions of (input, *parameters) ----------------------------------------------
@contextmanager
def _substituted(module, names, values):
    """Let `module` read `values` instead of its parameters `names` (dotted, as named_parameters
    gives them): an instance attribute shadows the registered parameter while it is set."""
    owners = []
    for name, value in zip(names, values):
        *path, attribute = name.split(".")
        owner = module
        for part in path:
            owner = getattr(owner, part)
        vars(owner)[attribute] = value
        owners.append((owner, attribute))
    try:
        yield
    finally:
        for owner, attribute in owners:
            del vars(owner)[attribute]


def layer_check(make, shape, values=normal, hand=None, second_order=True, index_input=None):
    """Check `make()`'s output with respect to its input (shape `shape`) and its parameters.

    `index_input`: an integer input (Embedding), held fixed; then only parameters vary."""

    def build(rng):
        module = make()
        names = [name for name, _ in module.named_parameters()]
        parameters = tuple(leaf(p.data) for _, p in module.named_parameters())

        def f(*inputs):
            if index_input is None:
                x, inputs = inputs[0], inputs[1:]
            else:
                x = index_input
            with _substituted(module, names, inputs):
                return module(x)

        if index_input is not None:
            return f, parameters
        return f, (leaf(values(rng, shape)),) + parameters

    return Check(build, hand, second_order)


def _linear_jacobians(x, weight, bias):
    """z = x W^T + b: dz[n,o] / dx[m,i] = [n = m] W[o,i],  dz[n,o] / dW[p,i] = [o = p] x[n,i],
    dz[n,o] / db[p] = [o = p]."""
    batch, out = x.shape[0], weight.shape[0]
    return (np.einsum("nm,oi->nomi", np.eye(batch), weight),
            np.einsum("op,ni->nopi", np.eye(out), x),
            np.einsum("op,n->nop", np.eye(out), np.ones(batch)))


# Dropout in training mode draws a mask per call; finite differences need the same mask every
# time, so the generator is put in this state before each draw.
_DROPOUT_STATE = np.random.default_rng(2024).bit_generator.state


def _fixed_dropout(p):
    """nn.Dropout(p) in training mode, with the same mask on every call."""
    layer = nn.Dropout(p)
    state = _DROPOUT_STATE

    def f(x):
        ag.get_generator().bit_generator.state = state
        return layer(x)

    return f


def _dropout(rng):
    return _fixed_dropout(0.4), (leaf(normal(rng, (3, 4))),)


def _dropout_jacobian(x):
    """diag(mask / (1 - p)): the mask read off by dropping a tensor of ones."""
    return np.diag(_fixed_dropout(0.4)(ag.ones(x.shape)).data.ravel())


def _lecture_network():
    """x5 = H3 ReLU(H0 x0 + h1) + h4, with softmax cross entropy on top."""
    model = nn.Sequential(nn.Linear(5, 4), nn.ReLU(), nn.Linear(4, C))

    class WithLoss(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = model

        def forward(self, x):
            return F.cross_entropy(self.net(x), LABELS)

    return WithLoss()


def _lecture_backprop(x, w0, b0, w3, b3):
    """The lectures' backward pass written out: e = d loss / d x5 = (p - onehot) / N, then back
    through H3, the ReLU mask and H0. Returns d loss / d (x0, H0, h1, H3, h4)."""
    a = x @ w0.T + b0
    h = np.maximum(a, 0)
    e = (softmax(h @ w3.T + b3) - ONEHOT) / N
    da = (e @ w3) * (a > 0)
    return da @ w0, da.T @ x, da.sum(axis=0), e.T @ h, e.sum(axis=0)


EMBEDDED = np.array([1, 0, 3, 1])  # a repeated row: its gradient must accumulate


class _Flattened(nn.Module):
    """A layer that returns several tensors (an LSTM's (output, (h_n, c_n)), attention's
    (output, weights)) seen as one vector of all of them: verify checks functions with one
    output. `call(layer, x)` runs the layer (self-attention passes x as query, key and value)."""

    def __init__(self, layer, call=None):
        super().__init__()
        self.layer = layer
        self.call = call or (lambda layer, x: layer(x))

    def forward(self, x):
        pending, parts = [self.call(self.layer, x)], []
        while pending:
            item = pending.pop()
            if isinstance(item, tuple):
                pending.extend(reversed(item))
            else:
                parts.append(item.reshape(-1))
        return ag.concatenate(parts)


def _self_attention(layer, x):
    return layer(x, x, x)


def _normal_cdf(x):
    return 0.5 * np.vectorize(math.erfc)(-x / math.sqrt(2))


def _gelu_derivative(x):
    """d x Phi(x) / dx = Phi(x) + x phi(x)."""
    return _normal_cdf(x) + x * np.exp(-x * x / 2) / math.sqrt(2 * math.pi)


def _mish_derivative(x):
    """d x tanh(sp(x)) / dx = tanh(sp) + x (1 - tanh(sp)^2) sigmoid(x), sp = softplus."""
    t = np.tanh(np.logaddexp(0, x))
    return t + x * (1 - t * t) * sigmoid(x)

LAYER_CHECKS = {
    "Linear": layer_check(lambda: nn.Linear(3, 2), (4, 3), hand=_linear_jacobians),
    "Conv1d": layer_check(lambda: nn.Conv1d(2, 2, 3, padding="same", groups=2), (1, 2, 5)),
    "Conv2d": layer_check(lambda: nn.Conv2d(2, 2, 2, stride=1, padding=1), (1, 2, 3, 3)),
    "ConvTranspose2d": layer_check(lambda: nn.ConvTranspose2d(2, 2, 2, stride=2), (1, 2, 2, 2)),
    "MaxPool1d": layer_check(lambda: nn.MaxPool1d(3, 2, 1, ceil_mode=True), (1, 2, 6), spaced),
    "MaxPool2d": layer_check(lambda: nn.MaxPool2d(2), (1, 2, 4, 4), spaced),
    "AvgPool1d": layer_check(lambda: nn.AvgPool1d(3, 2, 1), (1, 2, 6)),
    "AvgPool2d": layer_check(lambda: nn.AvgPool2d(2), (1, 2, 4, 4)),
    "AdaptiveAvgPool2d": layer_check(lambda: nn.AdaptiveAvgPool2d((2, 3)), (1, 2, 3, 4)),
    "Upsample": layer_check(lambda: nn.Upsample(scale_factor=1.5, mode="bilinear"), (1, 1, 2, 3)),
    "Flatten": layer_check(nn.Flatten, (2, 2, 3), hand=lambda x: np.eye(12)),
    "Identity": layer_check(nn.Identity, (3, 4), hand=lambda x: np.eye(12)),
    "Dropout": Check(_dropout, _dropout_jacobian),
    "BatchNorm1d": layer_check(lambda: nn.BatchNorm1d(3), (6, 3)),
    "LayerNorm": layer_check(lambda: nn.LayerNorm(4), (3, 4)),
    "Embedding": layer_check(lambda: nn.Embedding(5, 3), None, index_input=EMBEDDED,
                             hand=lambda w: np.einsum("kp,jq->kjpq", np.eye(5)[EMBEDDED],
                                                      np.eye(3))),
    "Sequential": layer_check(_lecture_network, (N, 5), hand=_lecture_backprop),
    "ReLU": layer_check(nn.ReLU, (3, 4), nonzero,
                        hand=diagonal(lambda x: (x > 0).astype(float))),
    "LeakyReLU": layer_check(lambda: nn.LeakyReLU(0.1), (3, 4), nonzero,
                             hand=diagonal(lambda x: np.where(x > 0, 1.0, 0.1))),
    "Sigmoid": layer_check(nn.Sigmoid, (3, 4),
                           hand=diagonal(lambda x: sigmoid(x) * (1 - sigmoid(x)))),
    "Tanh": layer_check(nn.Tanh, (3, 4), hand=diagonal(lambda x: 1 - np.tanh(x) ** 2)),
    "Softplus": layer_check(nn.Softplus, (3, 4), hand=diagonal(sigmoid)),
    "Softmax": layer_check(nn.Softmax, (5,), hand=lambda x: np.diag(softmax(x))
                           - np.outer(softmax(x), softmax(x))),
    "LogSoftmax": layer_check(nn.LogSoftmax, (5,),
                              hand=lambda x: np.eye(5) - np.outer(np.ones(5), softmax(x))),
    "Step": layer_check(nn.Step, (3, 4), nonzero, hand=lambda x: np.zeros((12, 12))),
    "GELU": layer_check(nn.GELU, (3, 4), hand=diagonal(_gelu_derivative)),
    "SiLU": layer_check(nn.SiLU, (3, 4),
                        hand=diagonal(lambda x: sigmoid(x) * (1 + x * (1 - sigmoid(x))))),
    "ELU": layer_check(lambda: nn.ELU(0.5), (3, 4), nonzero,
                       hand=diagonal(lambda x: np.where(x > 0, 1.0, 0.5 * np.exp(x)))),
    "Hardtanh": layer_check(lambda: nn.Hardtanh(-0.5, 0.5), (3, 4), away_from_half_integers,
                            hand=diagonal(lambda x: (np.abs(x) < 0.5).astype(float))),
    "LogSigmoid": layer_check(nn.LogSigmoid, (3, 4), hand=diagonal(lambda x: 1 - sigmoid(x))),
    "Mish": layer_check(nn.Mish, (3, 4), hand=diagonal(_mish_derivative)),
    "BatchNorm2d": layer_check(lambda: nn.BatchNorm2d(2), (3, 2, 2, 2)),
    "GroupNorm": layer_check(lambda: nn.GroupNorm(2, 4), (2, 4, 3)),
    "RMSNorm": layer_check(lambda: nn.RMSNorm(4), (3, 4)),
    "RNNCell": layer_check(lambda: nn.RNNCell(3, 2), (2, 3)),
    "LSTMCell": layer_check(lambda: _Flattened(nn.LSTMCell(3, 2)), (2, 3)),
    "GRUCell": layer_check(lambda: nn.GRUCell(3, 2), (2, 3)),
    "RNN": layer_check(lambda: _Flattened(nn.RNN(2, 2, num_layers=2)), (3, 1, 2)),
    "LSTM": layer_check(lambda: _Flattened(nn.LSTM(2, 2, bidirectional=True)), (3, 1, 2)),
    "GRU": layer_check(lambda: _Flattened(nn.GRU(2, 2, batch_first=True)), (1, 3, 2)),
    "MultiheadAttention": layer_check(
        lambda: _Flattened(nn.MultiheadAttention(4, 2), _self_attention), (3, 1, 4)),
}


# -- losses -----------------------------------------------------------------------------------
def loss_check(make, values, target, hand):
    def build(rng):
        return (lambda x: make()(x, target)), (leaf(values(rng, (N, C))),)

    return Check(build, hand)


def _probabilities(rng, shape):
    return rng.uniform(0.1, 0.9, shape)


def _log_probabilities(rng, shape):
    return np.log(softmax(rng.standard_normal(shape)))


TARGET = np.random.default_rng(7).uniform(0.1, 0.9, (N, C))  # regression / probability targets
SIGNS = np.where(ONEHOT > 0, 1.0, -1.0)  # hinge targets in {-1, +1}


def _hinge_scores(rng, shape):
    """Scores whose margins y s lie away from the kink at 1, about half on each side."""
    margins = np.where(rng.random(shape) < 0.5, rng.uniform(-0.5, 0.8, shape),
                       rng.uniform(1.2, 2.0, shape))
    return SIGNS * margins


LOSS_CHECKS = {
    "MSELoss": loss_check(nn.MSELoss, normal, TARGET, lambda x: 2 * (x - TARGET) / x.size),
    "L1Loss": loss_check(nn.L1Loss, lambda rng, s: TARGET + nonzero(rng, s), TARGET,
                         lambda x: np.sign(x - TARGET) / x.size),
    # the fused softmax cross entropy: d loss / dz = (p - onehot) / N
    "CrossEntropyLoss": loss_check(nn.CrossEntropyLoss, normal, LABELS,
                                   lambda z: (softmax(z) - ONEHOT) / N),
    "NLLLoss": loss_check(nn.NLLLoss, _log_probabilities, LABELS, lambda x: -ONEHOT / N),
    "BCELoss": loss_check(nn.BCELoss, _probabilities, TARGET,
                          lambda p: (p - TARGET) / (p * (1 - p)) / p.size),
    "BCEWithLogitsLoss": loss_check(nn.BCEWithLogitsLoss, normal, TARGET,
                                    lambda z: (sigmoid(z) - TARGET) / z.size),
    # input log-probabilities x, target probabilities q: sum q (log q - x) / N
    "KLDivLoss": loss_check(nn.KLDivLoss, _log_probabilities, TARGET, lambda x: -TARGET / N),
    "HingeLoss": loss_check(nn.HingeLoss, _hinge_scores, SIGNS,
                            lambda s: -SIGNS * (1 - SIGNS * s > 0) / s.size),
}


# -- nn's primitives --------------------------------------------------------------------------
def _cross_entropy(rng):
    return (lambda z: F.cross_entropy(z, LABELS)), (leaf(normal(rng, (N, C))),)


def _cross_entropy_soft(rng):
    """Probability targets are differentiable too: d loss / dq = -log softmax(z) / N."""
    return F.cross_entropy, (leaf(normal(rng, (N, C))), leaf(softmax(normal(rng, (N, C)))))


def _col2im(rng):
    shape = (1, 2, 3, 3)
    columns = im2col.im2col(ag.zeros(shape), 2, padding=1).shape
    return (lambda c: im2col.col2im(c, shape, 2, padding=1)), (leaf(normal(rng, columns)),)


NN_PRIMITIVE_CHECKS = {
    "Affine": Check(lambda rng: (F.linear, (leaf(normal(rng, (4, 3))), leaf(normal(rng, (2, 3))),
                                            leaf(normal(rng, (2,))))), _linear_jacobians),
    "Im2Col": Check(lambda rng: ((lambda x: im2col.im2col(x, 2, padding=1)),
                                 (leaf(normal(rng, (1, 2, 3, 3))),))),
    "Col2Im": Check(_col2im),
    "Convolution2d": Check(lambda rng: (
        (lambda x, w, b: conv.conv2d(x, w, b, padding=1)),
        (leaf(normal(rng, (1, 2, 4, 3))), leaf(normal(rng, (3, 2, 2, 2))),
         leaf(normal(rng, (3,)))))),
    "MaxPool": Check(lambda rng: ((lambda x: F.max_pool2d(x, 2)),
                                  (leaf(spaced(rng, (1, 2, 4, 4))),))),
    "Step": Check(lambda rng: (F.step, (leaf(nonzero(rng, (3, 4))),)),
                  lambda x: np.zeros((12, 12))),
    "SoftmaxCrossEntropy": Check(_cross_entropy, lambda z: (softmax(z) - ONEHOT) / N),
    "SoftmaxCrossEntropy (probability targets)": Check(_cross_entropy_soft, lambda z, q: (
        (softmax(z) * q.sum(axis=1, keepdims=True) - q) / N, -np.log(softmax(z)) / N)),
}
