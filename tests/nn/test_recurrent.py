"""Tests of nn/functional/recurrent.py and nn/layers/recurrent.py: every cell's gates step by
step in NumPy, whole sequences (stacked, bidirectional, batch first, unbatched) unrolled in
NumPy, PyTorch's parameter names, shapes and initialisation, h_n's ordering, dropout between
layers, derivatives through time, state dicts, and errors that name the layer and the shapes."""

import math

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck
from tests.nn.module_checks import check_module, leaf


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


# -- the equations, in NumPy --------------------------------------------------------------------
def rnn_step(x, state, w_ih, w_hh, b_ih, b_hh, relu=False):
    (h,) = state
    pre = x @ w_ih.T + b_ih + h @ w_hh.T + b_hh
    return (np.maximum(pre, 0) if relu else np.tanh(pre),)


def lstm_step(x, state, w_ih, w_hh, b_ih, b_hh):
    h, c = state
    gates = x @ w_ih.T + b_ih + h @ w_hh.T + b_hh
    i, f, g, o = np.split(gates, 4, axis=-1)  # PyTorch's order: input, forget, cell, output
    c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c), c


def gru_step(x, state, w_ih, w_hh, b_ih, b_hh):
    (h,) = state
    x_r, x_z, x_n = np.split(x @ w_ih.T + b_ih, 3, axis=-1)
    h_r, h_z, h_n = np.split(h @ w_hh.T + b_hh, 3, axis=-1)
    r = sigmoid(x_r + h_r)
    z = sigmoid(x_z + h_z)
    n = np.tanh(x_n + r * h_n)  # the reset gate scales W_hn h + b_hn, bias included
    return ((1 - z) * n + z * h,)


STEPS = {"RNN": rnn_step, "LSTM": lstm_step, "GRU": gru_step}
GATES = {"RNN": 1, "LSTM": 4, "GRU": 3}


def weights(module, suffix=""):
    """The four arrays of one layer and direction (zeros for the biases when bias=False)."""
    arrays = [getattr(module, name + suffix) for name in ("weight_ih", "weight_hh",
                                                          "bias_ih", "bias_hh")]
    rows = arrays[0].shape[0]
    return [np.zeros(rows) if a is None else a.data for a in arrays]


def unrolled(module, x, states):
    """A stacked, maybe bidirectional layer over x (L, N, H_in), time first; states: per layer
    and direction, a tuple (h,) or (h, c). Returns the output and the final states."""
    kind = type(module).__name__
    step = STEPS[kind]
    if getattr(module, "nonlinearity", "tanh") == "relu":
        step = lambda *a: rnn_step(*a, relu=True)
    directions = 2 if module.bidirectional else 1
    finals = []
    for layer in range(module.num_layers):
        outputs = []
        for d in range(directions):
            state = states[layer * directions + d]
            params = weights(module, f"_l{layer}" + ("_reverse" if d else ""))
            out = [None] * len(x)
            for t in (reversed(range(len(x))) if d else range(len(x))):
                state = step(x[t], state, *params)
                out[t] = state[0]
            outputs.append(np.stack(out))
            finals.append(state)
        x = np.concatenate(outputs, axis=-1)
    return x, finals


# -- cells ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("make, kind", [
    (lambda: nn.RNNCell(3, 4), "RNN"), (lambda: nn.RNNCell(3, 4, nonlinearity="relu"), "relu"),
    (lambda: nn.LSTMCell(3, 4), "LSTM"), (lambda: nn.GRUCell(3, 4), "GRU"),
    (lambda: nn.GRUCell(3, 4, bias=False), "GRU"), (lambda: nn.LSTMCell(3, 4, bias=False), "LSTM"),
])
@pytest.mark.parametrize("batch", [(5,), ()])
def test_cells_follow_the_gate_equations(make, kind, batch, rng):
    cell = make()
    step = (lambda *a: rnn_step(*a, relu=True)) if kind == "relu" else STEPS[kind]
    x = rng.standard_normal(batch + (3,))
    count = 2 if kind == "LSTM" else 1
    state = tuple(rng.standard_normal(batch + (4,)) for _ in range(count))
    expected = step(x, state, *weights(cell))
    hx = tuple(ag.tensor(s) for s in state) if kind == "LSTM" else ag.tensor(state[0])
    got = cell(ag.tensor(x), hx)
    got = got if kind == "LSTM" else (got,)
    for g, e in zip(got, expected):
        assert g.shape == batch + (4,)
        np.testing.assert_allclose(g.data, e, rtol=1e-12, atol=1e-14)
    zero_state = tuple(np.zeros(batch + (4,)) for _ in range(count))
    first = cell(ag.tensor(x))  # hx=None starts from zeros
    first = first if kind == "LSTM" else (first,)
    for g, e in zip(first, step(x, zero_state, *weights(cell))):
        np.testing.assert_allclose(g.data, e, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("cell, gates", [(F.rnn_cell, 1), (F.lstm_cell, 4), (F.gru_cell, 3)])
def test_cell_functions_gradcheck_and_gradgradcheck(cell, gates, rng):
    x, h, c = (leaf(rng.standard_normal((2, n))) for n in (3, 2, 2))
    w_ih, w_hh = (leaf(rng.standard_normal((2 * gates, n))) for n in (3, 2))
    b_ih, b_hh = (leaf(rng.standard_normal(2 * gates)) for _ in range(2))
    if cell is F.lstm_cell:
        f = lambda x, h, c, *w: cell(x, (h, c), *w)
        inputs = (x, h, c, w_ih, w_hh, b_ih, b_hh)
    else:
        f, inputs = cell, (x, h, w_ih, w_hh, b_ih, b_hh)
    assert gradcheck(f, inputs)
    assert gradgradcheck(f, inputs)


# -- sequence layers ------------------------------------------------------------------------------
CONFIGS = [dict(), dict(num_layers=2, bidirectional=True), dict(num_layers=3, bias=False),
           dict(bidirectional=True, batch_first=True)]


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: ",".join(c) or "default")
def test_sequences_match_the_unrolled_equations(kind, config, rng):
    layer = getattr(nn, kind)(3, 4, **config)
    directions = 2 if layer.bidirectional else 1
    count, length, batch = layer.num_layers * directions, 5, 2
    x = rng.standard_normal((length, batch, 3))
    states = [tuple(rng.standard_normal((batch, 4)) for _ in range(2 if kind == "LSTM" else 1))
              for _ in range(count)]
    expected, finals = unrolled(layer, x, states)
    h0 = ag.tensor(np.stack([s[0] for s in states]))
    hx = (h0, ag.tensor(np.stack([s[1] for s in states]))) if kind == "LSTM" else h0
    given = x.swapaxes(0, 1) if layer.batch_first else x
    output, last = layer(ag.tensor(given), hx)
    output = output.data.swapaxes(0, 1) if layer.batch_first else output.data
    assert output.shape == (length, batch, directions * 4)
    np.testing.assert_allclose(output, expected, rtol=1e-12, atol=1e-14)
    last = last if kind == "LSTM" else (last,)
    for i, t in enumerate(last):  # h_n (and c_n): (num_layers * directions, N, H), layer-major
        assert t.shape == (count, batch, 4)
        np.testing.assert_allclose(t.data, np.stack([f[i] for f in finals]), rtol=1e-12,
                                   atol=1e-14)
    top = last[0].data[count - directions]  # the last layer's forward direction ends at t = L-1
    np.testing.assert_allclose(top, output[-1, :, :4], rtol=1e-12)
    if directions == 2:  # ... and its reverse direction at t = 0
        np.testing.assert_allclose(last[0].data[-1], output[0, :, 4:], rtol=1e-12)


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_unbatched_input_is_one_batch_of_one(kind, rng):
    layer = getattr(nn, kind)(3, 2, num_layers=2, bidirectional=True)
    x = rng.standard_normal((4, 3))
    h0 = rng.standard_normal((4, 2))
    hx = (ag.tensor(h0), ag.tensor(h0)) if kind == "LSTM" else ag.tensor(h0)
    output, last = layer(ag.tensor(x), hx)
    batched_hx = (ag.tensor(h0[:, None]),) * 2 if kind == "LSTM" else ag.tensor(h0[:, None])
    reference, reference_last = layer(ag.tensor(x[:, None]), batched_hx)
    assert output.shape == (4, 4)
    np.testing.assert_array_equal(output.data, reference.data[:, 0])
    last = last if kind == "LSTM" else (last,)
    reference_last = reference_last if kind == "LSTM" else (reference_last,)
    for t, r in zip(last, reference_last):
        assert t.shape == (4, 2)
        np.testing.assert_array_equal(t.data, r.data[:, 0])


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_pytorch_names_shapes_and_initialisation(kind):
    layer = getattr(nn, kind)(5, 6, num_layers=2, bidirectional=True)
    g = GATES[kind] * 6
    expected = []
    for suffix, width in (("_l0", 5), ("_l0_reverse", 5), ("_l1", 12), ("_l1_reverse", 12)):
        expected += [(f"weight_ih{suffix}", (g, width)), (f"weight_hh{suffix}", (g, 6)),
                     (f"bias_ih{suffix}", (g,)), (f"bias_hh{suffix}", (g,))]
    assert [(n, p.shape) for n, p in layer.named_parameters()] == expected
    assert list(layer.state_dict()) == [n for n, _ in expected]
    bound = 1 / math.sqrt(6)
    values = np.concatenate([p.data.ravel() for p in layer.parameters()])
    assert np.abs(values).max() <= bound and np.abs(values).max() > 0.95 * bound
    ag.manual_seed(7)
    first = getattr(nn, kind)(5, 6).state_dict()
    ag.manual_seed(7)
    again = getattr(nn, kind)(5, 6).state_dict()
    assert all(np.array_equal(first[k], again[k]) for k in first)
    no_bias = getattr(nn, kind)(5, 6, bias=False)
    assert [n for n, _ in no_bias.named_parameters()] == ["weight_ih_l0", "weight_hh_l0"]


def test_cell_names_shapes_and_repr():
    cell = nn.LSTMCell(3, 4)
    assert [(n, p.shape) for n, p in cell.named_parameters()] == [
        ("weight_ih", (16, 3)), ("weight_hh", (16, 4)), ("bias_ih", (16,)), ("bias_hh", (16,))]
    assert np.abs(cell.weight_ih.data).max() <= 0.5
    assert repr(nn.RNNCell(3, 4, bias=False, nonlinearity="relu")).startswith(
        "RNNCell(3, 4, bias=False, nonlinearity='relu')")
    assert repr(nn.GRU(3, 4, num_layers=2, batch_first=True)).startswith(
        "GRU(3, 4, num_layers=2, batch_first=True)")


def test_dropout_acts_between_layers_in_training_only(rng):
    gru = nn.GRU(3, 4, num_layers=2, dropout=0.5)
    x = ag.tensor(rng.standard_normal((6, 2, 3)))
    out_eval, h_eval = gru.eval()(x)
    gru.train()
    ag.manual_seed(1)
    out_train, h_train = gru(x)
    ag.manual_seed(1)
    np.testing.assert_array_equal(gru(x)[0].data, out_train.data)  # the project's stream
    np.testing.assert_array_equal(h_train.data[0], h_eval.data[0])  # layer 0: before dropout
    assert not np.allclose(h_train.data[1], h_eval.data[1])  # layer 1 reads dropped inputs
    assert np.abs(out_train.data).min() > 0  # nothing dropped after the last layer
    with pytest.warns(UserWarning, match="dropout=0.5 acts between layers only"):
        nn.LSTM(3, 4, dropout=0.5)


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_sequence_layers_gradcheck_through_time(kind, rng):
    layer = getattr(nn, kind)(2, 2, bidirectional=True, batch_first=True)
    check_module(layer, leaf(rng.standard_normal((1, 3, 2))))
    deep = getattr(nn, kind)(2, 2, num_layers=2)
    h0 = ag.tensor(rng.standard_normal((2, 1, 2)))
    hx = (h0, h0) if kind == "LSTM" else h0
    check_module(deep, leaf(rng.standard_normal((3, 1, 2))), second_order=False,
                 call=lambda m, x: m(x, hx))


def test_state_dict_round_trip(rng):
    source = nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    target = nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    target.load_state_dict(source.state_dict())
    x = ag.tensor(rng.standard_normal((5, 2, 3)))
    np.testing.assert_array_equal(target(x)[0].data, source(x)[0].data)
    with pytest.raises(ValueError, match=r"LSTM failed; nothing was changed:\n  'weight_ih_l0': "
                                         r"shape \(16, 3\) in the state dict, \(20, 3\) in the "
                                         r"model"):
        nn.LSTM(3, 5).load_state_dict(nn.LSTM(3, 4).state_dict(), strict=False)


@pytest.mark.parametrize("call, error, message", [
    (lambda m: m(ag.ones(5)), ValueError,
     r"LSTM\(3, 4, num_layers=2\): input must be 3-D \(L, N, H_in\) or 2-D \(L, H_in\) "
     r"unbatched, got shape \(5,\)"),
    (lambda m: m(ag.ones(1, 2, 3, 4)), ValueError, r"got shape \(1, 2, 3, 4\)"),
    (lambda m: m(ag.ones(5, 2, 7)), ValueError,
     r"input of shape \(5, 2, 7\) has 7 features, expected input_size=3"),
    (lambda m: m(ag.ones(0, 2, 3)), ValueError, r"the sequence is empty \(input shape"),
    (lambda m: m(ag.ones(5, 2, 3), (ag.zeros(1, 2, 4), ag.zeros(2, 2, 4))), ValueError,
     r"LSTM\(3, 4, num_layers=2\): h_0 has shape \(1, 2, 4\), expected \(2, 2, 4\) = "
     r"\(num_layers \* num_directions, batch, hidden_size\)"),
    (lambda m: m(ag.ones(5, 2, 3), (ag.zeros(2, 2, 4), ag.zeros(2, 3, 4))), ValueError,
     r"c_0 has shape \(2, 3, 4\), expected \(2, 2, 4\)"),
    (lambda m: m(ag.ones(5, 3), (ag.zeros(2, 1, 4), ag.zeros(2, 1, 4))), ValueError,
     r"h_0 has shape \(2, 1, 4\), expected \(2, 4\) .* for unbatched input"),
    (lambda m: m(ag.ones(5, 2, 3), ag.zeros(2, 2, 4)), TypeError,
     r"hx must be a pair \(h_0, c_0\), got Tensor"),
])
def test_sequence_input_errors(call, error, message):
    with pytest.raises(error, match=message):
        call(nn.LSTM(3, 4, num_layers=2))


@pytest.mark.parametrize("call, error, message", [
    (lambda: nn.GRUCell(3, 4)(ag.ones(2, 5)), ValueError,
     r"GRUCell\(3, 4\): input has shape \(2, 5\), expected \(N, 3\) or \(3,\) unbatched"),
    (lambda: nn.RNNCell(3, 4)(ag.ones(2, 3), ag.zeros(3, 4)), ValueError,
     r"RNNCell\(3, 4\): h_0 has shape \(3, 4\), expected \(2, 4\) for input of shape \(2, 3\)"),
    (lambda: nn.LSTMCell(3, 4)(ag.ones(3), ag.zeros(4)), TypeError, r"hx must be a pair"),
    (lambda: F.gru_cell(ag.ones(2, 3), ag.zeros(2, 5), ag.ones(12, 3), ag.ones(12, 4)),
     ValueError, r"gru_cell: h has shape \(2, 5\), expected \(2, 4\)"),
    (lambda: F.lstm_cell(ag.ones(2, 3), (ag.zeros(2, 4),) * 2, ag.ones(12, 3), ag.ones(12, 4)),
     ValueError, r"lstm_cell: weight_hh must have shape \(4 \* hidden_size, hidden_size\)"),
    (lambda: nn.RNN(3, 4, nonlinearity="sigmoid"), ValueError,
     r"RNN: nonlinearity must be 'tanh' or 'relu'"),
    (lambda: nn.GRU(3, 4, dropout=1.5), ValueError, r"GRU: dropout must be a probability"),
    (lambda: nn.LSTM(3, 0), ValueError, r"LSTM: hidden_size and num_layers must be at least 1"),
    (lambda: nn.LSTM(3, 4, num_layers=2.0), TypeError, r"LSTM: num_layers must be an int"),
])
def test_cell_and_constructor_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()
