"""One time step of the recurrent cells, with PyTorch's equations and gate order.

With x the input, h (and c) the state, W_ih of shape (G*H, input) and W_hh of shape (G*H, H):

    RNN   h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)          (or relu)
    LSTM  i, f, g, o = the four H-wide blocks of x W_ih^T + b_ih + h W_hh^T + b_hh
          c' = sigmoid(f) * c + sigmoid(i) * tanh(g),   h' = sigmoid(o) * tanh(c')
    GRU   r = sigmoid(x W_ir^T + b_ir + h W_hr^T + b_hr),  z likewise with the second blocks
          n = tanh(x W_in^T + b_in + r * (h W_hn^T + b_hn)),  h' = (1 - z) * n + z * h

Each step is a composition of engine primitives (linear, split, sigmoid, tanh, arithmetic), so
the engine differentiates a whole unrolled sequence, to any order. The `*_step` functions take
the input's projection x W_ih^T + b_ih already made, so a layer can reuse one per time step.
"""

import autograd_core as ag

from .. import _checks
from .layers import linear

NONLINEARITIES = ("tanh", "relu")


def _tensor(x):
    return x if isinstance(x, ag.Tensor) else ag.tensor(x)


def _check_state(name, state, projected, hidden, where):
    """The state must have the batch shape of the input and `hidden` features."""
    expected = tuple(projected.shape[:-1]) + (hidden,)
    if tuple(state.shape) != expected:
        raise ValueError(
            f"{where}: {name} has shape {tuple(state.shape)}, expected {expected} "
            f"(the input's batch shape {tuple(projected.shape[:-1])} and hidden size {hidden})"
        )


def _hidden_size(weight_hh, gates, where):
    weight_hh = _checks.tensor(weight_hh, "weight_hh", where)
    hidden = weight_hh.shape[-1]
    if weight_hh.ndim != 2 or weight_hh.shape[0] != gates * hidden:
        raise ValueError(
            f"{where}: weight_hh must have shape ({gates} * hidden_size, hidden_size), got "
            f"{tuple(weight_hh.shape)}"
        )
    return hidden


def rnn_step(projected, h, weight_hh, bias_hh=None, nonlinearity="tanh"):
    """The Elman step h' = act(projected + h W_hh^T + b_hh), projected = x W_ih^T + b_ih.

    >>> h = F.recurrent.rnn_step(F.linear(x, w_ih, b_ih), h, w_hh, b_hh)
    """
    pre = projected + linear(h, weight_hh, bias_hh)
    return ag.tanh(pre) if nonlinearity == "tanh" else ag.relu(pre)


def lstm_step(projected, state, weight_hh, bias_hh=None):
    """One LSTM step from projected = x W_ih^T + b_ih and state (h, c); returns (h', c').

    >>> h, c = F.recurrent.lstm_step(F.linear(x, w_ih, b_ih), (h, c), w_hh, b_hh)
    """
    h, c = state
    gates = projected + linear(h, weight_hh, bias_hh)
    i, f, g, o = ag.split(gates, 4, axis=-1)
    c = ag.sigmoid(f) * c + ag.sigmoid(i) * ag.tanh(g)
    return ag.sigmoid(o) * ag.tanh(c), c


def gru_step(projected, h, weight_hh, bias_hh=None):
    """One GRU step from projected = x W_ih^T + b_ih (blocks r, z, n) and the state h.

    >>> h = F.recurrent.gru_step(F.linear(x, w_ih, b_ih), h, w_hh, b_hh)
    """
    x_r, x_z, x_n = ag.split(projected, 3, axis=-1)
    h_r, h_z, h_n = ag.split(linear(h, weight_hh, bias_hh), 3, axis=-1)
    r = ag.sigmoid(x_r + h_r)
    z = ag.sigmoid(x_z + h_z)
    n = ag.tanh(x_n + r * h_n)
    return n + z * (h - n)  # (1 - z) n + z h, with one multiplication


def rnn_cell(x, h, weight_ih, weight_hh, bias_ih=None, bias_hh=None, nonlinearity="tanh"):
    """One step of an Elman RNN: h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu).

    >>> F.rnn_cell(ag.randn(5, 3), ag.zeros(5, 4), ag.randn(4, 3), ag.randn(4, 4)).shape  # (5, 4)
    """
    if nonlinearity not in NONLINEARITIES:
        raise ValueError(f"rnn_cell: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
    h = _tensor(h)
    hidden = _hidden_size(weight_hh, 1, "rnn_cell")
    projected = linear(x, weight_ih, bias_ih)
    _check_state("h", h, projected, hidden, "rnn_cell")
    return rnn_step(projected, h, weight_hh, bias_hh, nonlinearity)


def lstm_cell(x, state, weight_ih, weight_hh, bias_ih=None, bias_hh=None):
    """One LSTM step with PyTorch's gate order i, f, g, o; state = (h, c); returns (h', c').

    >>> h, c = F.lstm_cell(ag.randn(5, 3), (ag.zeros(5, 4), ag.zeros(5, 4)),
    ...                    ag.randn(16, 3), ag.randn(16, 4))
    """
    if not isinstance(state, (tuple, list)) or len(state) != 2:
        raise TypeError(f"lstm_cell: state must be a pair (h, c), got {type(state).__name__}")
    h, c = (_tensor(s) for s in state)
    hidden = _hidden_size(weight_hh, 4, "lstm_cell")
    projected = linear(x, weight_ih, bias_ih)
    _check_state("h", h, projected, hidden, "lstm_cell")
    _check_state("c", c, projected, hidden, "lstm_cell")
    return lstm_step(projected, (h, c), weight_hh, bias_hh)


def gru_cell(x, h, weight_ih, weight_hh, bias_ih=None, bias_hh=None):
    """One GRU step, gates r, z, n in PyTorch's order; n = tanh(W_in x + b_in + r (W_hn h + b_hn)).

    >>> F.gru_cell(ag.randn(5, 3), ag.zeros(5, 4), ag.randn(12, 3), ag.randn(12, 4)).shape
    """
    h = _tensor(h)
    hidden = _hidden_size(weight_hh, 3, "gru_cell")
    projected = linear(x, weight_ih, bias_ih)
    _check_state("h", h, projected, hidden, "gru_cell")
    return gru_step(projected, h, weight_hh, bias_hh)
