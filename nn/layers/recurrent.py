"""Recurrent layers: the cells RNNCell, LSTMCell, GRUCell (one time step) and the sequence layers
RNN, LSTM, GRU (stacked, optionally bidirectional), with PyTorch's arguments, parameter names,
shapes and equations (nn/functional/recurrent.py), so a PyTorch state dict loads one to one.

A sequence is unrolled as a Python loop over time steps of ordinary differentiable ops, so the
graph of an LSTM over 30 steps is 30 copies of one step, and backward through it is
backpropagation through time. Each step's input comes from a list of per-step tensors, never by
slicing one stacked tensor: T slices would cost T full-size gradient arrays in backward
(measured on a 2-layer LSTM, 200 steps, batch 32, hidden 128, forward and backward, one thread:
0.5 s CPU from per-step inputs, 1.5 s from slicing one projection of the whole sequence).
"""

import math
import warnings

import numpy as np

import autograd_core as ag

from .. import _checks, init
from .. import functional as F
from ..functional import recurrent as R
from ..module import Module, Parameter

GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def _step(mode, projected, state, weight_hh, bias_hh):
    """One time step; the state is a tuple, (h,) or (h, c) for an LSTM."""
    if mode == "LSTM":
        return R.lstm_step(projected, state, weight_hh, bias_hh)
    if mode == "GRU":
        return (R.gru_step(projected, state[0], weight_hh, bias_hh),)
    nonlinearity = "tanh" if mode == "RNN_TANH" else "relu"
    return (R.rnn_step(projected, state[0], weight_hh, bias_hh, nonlinearity),)


def _reset_uniform(module):
    """Every parameter from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), as PyTorch starts."""
    bound = 1.0 / math.sqrt(module.hidden_size) if module.hidden_size else 0.0
    for parameter in module.parameters():
        init.uniform_(parameter, -bound, bound)


def _state_names(mode):
    return ("h_0", "c_0") if mode == "LSTM" else ("h_0",)


def _states_from(hx, mode, where):
    """hx as a tuple of Tensors: (h_0,) or, for an LSTM, the pair (h_0, c_0)."""
    if mode != "LSTM":
        return (_checks.tensor(hx, "hx", where),)
    if not isinstance(hx, (tuple, list)) or len(hx) != 2:
        raise TypeError(f"{where}: hx must be a pair (h_0, c_0), got {type(hx).__name__}")
    return tuple(_checks.tensor(t, name, where) for t, name in zip(hx, _state_names(mode)))


def _nonlinearity_mode(nonlinearity, where):
    if nonlinearity not in R.NONLINEARITIES:
        raise ValueError(f"{where}: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
    return "RNN_" + nonlinearity.upper()


def _float_dtype(x, weight):
    return np.result_type(ag.dtypes.computing(x.dtype), weight.dtype)


# -- cells: one time step ------------------------------------------------------------------------
class _Cell(Module):
    def __init__(self, mode, input_size, hidden_size, bias=True, dtype=None):
        super().__init__()
        where = type(self).__name__
        self.mode = mode
        self.input_size = _checks.size(input_size, "input_size", where)
        self.hidden_size = _checks.size(hidden_size, "hidden_size", where)
        self.bias = bool(bias)
        dtype = ag.get_default_dtype() if dtype is None else np.dtype(dtype)
        rows = GATES[mode] * hidden_size
        self.weight_ih = Parameter(np.empty((rows, input_size), dtype=dtype))
        self.weight_hh = Parameter(np.empty((rows, hidden_size), dtype=dtype))
        for name in ("bias_ih", "bias_hh"):
            self.register_parameter(name, Parameter(np.empty(rows, dtype=dtype)) if bias else None)
        self.reset_parameters()

    def reset_parameters(self):
        """Fresh U(-1/sqrt(hidden), 1/sqrt(hidden)) weights.  >>> cell.reset_parameters()"""
        _reset_uniform(self)

    def _label(self):
        return f"{type(self).__name__}({self.extra_repr()})"

    def forward(self, input, hx=None):
        x = input if isinstance(input, ag.Tensor) else _checks.tensor(input, "input", self._label())
        if x.ndim not in (1, 2) or x.shape[-1] != self.input_size:
            raise ValueError(
                f"{self._label()}: input has shape {x.shape}, expected (N, {self.input_size}) "
                f"or ({self.input_size},) unbatched"
            )
        expected = x.shape[:-1] + (self.hidden_size,)
        if hx is None:
            dtype = _float_dtype(x, self.weight_ih)
            state = tuple(ag.zeros(expected, dtype=dtype) for _ in _state_names(self.mode))
        else:
            state = _states_from(hx, self.mode, self._label())
            for name, t in zip(_state_names(self.mode), state):
                if t.shape != expected:
                    raise ValueError(
                        f"{self._label()}: {name} has shape {t.shape}, expected {expected} for "
                        f"input of shape {x.shape}"
                    )
        projected = F.linear(x, self.weight_ih, self.bias_ih)
        state = _step(self.mode, projected, state, self.weight_hh, self.bias_hh)
        return state if self.mode == "LSTM" else state[0]

    def extra_repr(self):
        text = f"{self.input_size}, {self.hidden_size}"
        if not self.bias:
            text += ", bias=False"
        if self.mode == "RNN_RELU":
            text += ", nonlinearity='relu'"
        return text


class RNNCell(_Cell):
    """One Elman step h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu).

    >>> cell = nn.RNNCell(3, 4)
    >>> h = cell(ag.randn(5, 3)); h = cell(ag.randn(5, 3), h); h.shape   # (5, 4)

    weight_ih (hidden, input), weight_hh (hidden, hidden), bias_ih and bias_hh (hidden,).
    """

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", dtype=None):
        mode = _nonlinearity_mode(nonlinearity, "RNNCell")
        super().__init__(mode, input_size, hidden_size, bias, dtype)
        self.nonlinearity = nonlinearity


class LSTMCell(_Cell):
    """One LSTM step; forward(x, (h, c)) returns (h', c'). Gates i, f, g, o stacked in that
    order in weight_ih (4 hidden, input) and weight_hh (4 hidden, hidden).

    >>> cell = nn.LSTMCell(3, 4)
    >>> h, c = cell(ag.randn(5, 3)); h, c = cell(ag.randn(5, 3), (h, c))
    """

    def __init__(self, input_size, hidden_size, bias=True, dtype=None):
        super().__init__("LSTM", input_size, hidden_size, bias, dtype)


class GRUCell(_Cell):
    """One GRU step; gates r, z, n stacked in weight_ih (3 hidden, input) and weight_hh.

    >>> cell = nn.GRUCell(3, 4)
    >>> h = cell(ag.randn(5, 3)); h = cell(ag.randn(5, 3), h)
    """

    def __init__(self, input_size, hidden_size, bias=True, dtype=None):
        super().__init__("GRU", input_size, hidden_size, bias, dtype)


# -- sequence layers ------------------------------------------------------------------------------
class _RNNBase(Module):
    """What RNN, LSTM and GRU share: the stack of layers and directions and the unrolled loop.

    Parameters per layer k and direction (suffix "" forward, "_reverse" backward), registered
    in PyTorch's order: weight_ih_l{k} (G*hidden, input of layer k), weight_hh_l{k}
    (G*hidden, hidden), bias_ih_l{k}, bias_hh_l{k} (G*hidden,); the input of layer k > 0 is
    the previous layer's output, num_directions * hidden wide.
    """

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, dtype=None):
        super().__init__()
        where = type(self).__name__
        self.mode = mode
        self.input_size = _checks.size(input_size, "input_size", where)
        self.hidden_size = _checks.size(hidden_size, "hidden_size", where)
        self.num_layers = _checks.size(num_layers, "num_layers", where)
        if self.hidden_size < 1 or self.num_layers < 1:
            raise ValueError(f"{where}: hidden_size and num_layers must be at least 1, got "
                             f"{hidden_size} and {num_layers}")
        _checks.probability(dropout, where, "dropout")
        if dropout > 0 and num_layers == 1:
            warnings.warn(f"{where}: dropout={dropout} acts between layers only; with "
                          "num_layers=1 it does nothing", UserWarning, stacklevel=3)
        self.bias, self.batch_first = bool(bias), bool(batch_first)
        self.dropout, self.bidirectional = float(dropout), bool(bidirectional)
        dtype = ag.get_default_dtype() if dtype is None else np.dtype(dtype)
        rows, directions = GATES[mode] * hidden_size, self._directions()
        for layer in range(num_layers):
            width = input_size if layer == 0 else hidden_size * directions
            for direction in range(directions):
                suffix = self._suffix(layer, direction)
                bias_shape = (rows,) if bias else None
                shapes = {"weight_ih": (rows, width), "weight_hh": (rows, hidden_size),
                          "bias_ih": bias_shape, "bias_hh": bias_shape}
                for name, shape in shapes.items():
                    value = None if shape is None else Parameter(np.empty(shape, dtype=dtype))
                    self.register_parameter(name + suffix, value)
        self.reset_parameters()

    def reset_parameters(self):
        """Fresh U(-1/sqrt(hidden), 1/sqrt(hidden)) weights.  >>> lstm.reset_parameters()"""
        _reset_uniform(self)

    def _directions(self):
        return 2 if self.bidirectional else 1

    @staticmethod
    def _suffix(layer, direction):
        return f"_l{layer}" + ("_reverse" if direction else "")

    def _label(self):
        return f"{type(self).__name__}({self.extra_repr()})"

    def _check_input(self, x):
        """True for batched (3-D) input; a clear error for anything else."""
        layout = "(N, L, H_in)" if self.batch_first else "(L, N, H_in)"
        if x.ndim not in (2, 3):
            raise ValueError(f"{self._label()}: input must be 3-D {layout} or 2-D (L, H_in) "
                             f"unbatched, got shape {x.shape}")
        if x.shape[-1] != self.input_size:
            raise ValueError(f"{self._label()}: input of shape {x.shape} has {x.shape[-1]} "
                             f"features, expected input_size={self.input_size}")
        length = x.shape[1 if self.batch_first and x.ndim == 3 else 0]
        if length == 0:
            raise ValueError(f"{self._label()}: the sequence is empty (input shape {x.shape})")
        return x.ndim == 3

    def _initial_states(self, hx, batch, batched, dtype):
        """Per layer and direction, in h_n's order: a tuple (h,) or (h, c) of shape (N, H)."""
        count = self.num_layers * self._directions()
        shape = (count, batch, self.hidden_size) if batched else (count, self.hidden_size)
        if hx is None:
            zeros = ag.zeros(batch, self.hidden_size, dtype=dtype)
            return [(zeros,) * len(_state_names(self.mode))] * count
        states = _states_from(hx, self.mode, self._label())
        for name, t in zip(_state_names(self.mode), states):
            if t.shape != shape:
                layout = "" if batched else " for unbatched input"
                raise ValueError(
                    f"{self._label()}: {name} has shape {t.shape}, expected {shape} = "
                    f"(num_layers * num_directions, {'batch, ' if batched else ''}hidden_size)"
                    f"{layout}"
                )
        if not batched:
            states = tuple(t.expand_dims(1) for t in states)
        return [tuple(t[k] for t in states) for k in range(count)]

    def _run(self, steps, state, layer, direction):
        """One direction of one layer over the list of per-step inputs: (outputs, final state)."""
        suffix = self._suffix(layer, direction)
        names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
        weight_ih, weight_hh, bias_ih, bias_hh = (getattr(self, name + suffix) for name in names)
        outputs = [None] * len(steps)
        order = range(len(steps) - 1, -1, -1) if direction else range(len(steps))
        for t in order:
            projected = F.linear(steps[t], weight_ih, bias_ih)
            state = _step(self.mode, projected, state, weight_hh, bias_hh)
            outputs[t] = state[0]
        return outputs, state

    def forward(self, input, hx=None):
        x = input if isinstance(input, ag.Tensor) else _checks.tensor(input, "input", self._label())
        batched = self._check_input(x)
        if not batched:
            x = x.expand_dims(1)
        elif self.batch_first:
            x = x.swapaxes(0, 1)  # time first inside: (L, N, H_in)
        states = self._initial_states(hx, x.shape[1], batched, _float_dtype(x, self.weight_ih_l0))
        steps = [x[t] for t in range(x.shape[0])]
        finals, directions = [], self._directions()
        for layer in range(self.num_layers):
            runs = [self._run(steps, states[layer * directions + d], layer, d)
                    for d in range(directions)]
            finals += [final for _, final in runs]
            steps = runs[0][0] if directions == 1 else [
                ag.concatenate(pair, axis=-1) for pair in zip(runs[0][0], runs[1][0])]
            if self.dropout and self.training and layer < self.num_layers - 1:
                steps = [F.dropout(step, self.dropout) for step in steps]
        output = ag.stack(steps, axis=0)
        last = [ag.stack([final[i] for final in finals], axis=0) for i in range(len(finals[0]))]
        if not batched:
            output, last = output[:, 0], [t[:, 0] for t in last]
        elif self.batch_first:
            output = output.swapaxes(0, 1)
        return output, (tuple(last) if self.mode == "LSTM" else last[0])

    def extra_repr(self):
        text = f"{self.input_size}, {self.hidden_size}"
        defaults = dict(num_layers=1, bias=True, batch_first=False, dropout=0.0,
                        bidirectional=False)
        for name, default in defaults.items():
            if getattr(self, name) != default:
                text += f", {name}={getattr(self, name)}"
        if self.mode == "RNN_RELU":
            text += ", nonlinearity='relu'"
        return text


class RNN(_RNNBase):
    """A stack of Elman layers h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) (or relu).

    >>> rnn = nn.RNN(10, 20, num_layers=2)
    >>> output, h_n = rnn(ag.randn(5, 3, 10))     # output (5, 3, 20), h_n (2, 3, 20)

    Input (L, N, H_in), (N, L, H_in) with batch_first=True, or (L, H_in) unbatched; h_0 and
    h_n are (num_layers * num_directions, N, H) (no N when unbatched); the output is
    (L, N, num_directions * H). `dropout` acts on every layer's output but the last's, in
    training. bidirectional=True adds a layer reading the sequence backwards (`_reverse`).
    """

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, dtype=None):
        mode = _nonlinearity_mode(nonlinearity, "RNN")
        super().__init__(mode, input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, dtype)
        self.nonlinearity = nonlinearity


class LSTM(_RNNBase):
    """A stack of LSTM layers; forward(input, (h_0, c_0)) returns (output, (h_n, c_n)).

    >>> lstm = nn.LSTM(10, 20, batch_first=True, bidirectional=True)
    >>> output, (h_n, c_n) = lstm(ag.randn(3, 5, 10))   # output (3, 5, 40), h_n (2, 3, 20)

    Shapes and arguments as RNN's; the gates i, f, g, o are stacked in that order in each
    weight (4 hidden rows).
    """

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, dtype=None):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, dtype)


class GRU(_RNNBase):
    """A stack of GRU layers; forward(input, h_0) returns (output, h_n).

    >>> gru = nn.GRU(10, 20, num_layers=2, dropout=0.1)
    >>> output, h_n = gru(ag.randn(5, 3, 10))     # output (5, 3, 20), h_n (2, 3, 20)

    Shapes and arguments as RNN's; the gates r, z, n are stacked in that order in each weight.
    """

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, dtype=None):
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, dtype)
