"""The functional form of every layer, activation and loss: plain functions of Tensors.

>>> import nn.functional as F
>>> F.relu(F.linear(x, weight, bias))
"""

from .activation import (
    elu,
    gelu,
    hardtanh,
    leaky_relu,
    log_softmax,
    logsigmoid,
    mish,
    relu,
    sigmoid,
    silu,
    softmax,
    softplus,
    step,
    tanh,
)
from .attention import scaled_dot_product_attention
from .conv import conv1d, conv2d, conv_transpose2d
from .interpolate import interpolate
from .layers import dropout, embedding, flatten, linear, one_hot
from .loss import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge_loss,
    kl_div,
    l1_loss,
    mse_loss,
    nll_loss,
)
from .normalization import batch_norm, group_norm, layer_norm, rms_norm
from .pooling import (
    adaptive_avg_pool2d,
    avg_pool1d,
    avg_pool2d,
    max_pool1d,
    max_pool2d,
)
from .recurrent import gru_cell, lstm_cell, rnn_cell

__all__ = [
    "adaptive_avg_pool2d",
    "avg_pool1d",
    "avg_pool2d",
    "batch_norm",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "conv1d",
    "conv2d",
    "conv_transpose2d",
    "cross_entropy",
    "dropout",
    "elu",
    "embedding",
    "flatten",
    "gelu",
    "group_norm",
    "gru_cell",
    "hardtanh",
    "hinge_loss",
    "interpolate",
    "kl_div",
    "l1_loss",
    "layer_norm",
    "leaky_relu",
    "linear",
    "log_softmax",
    "max_pool1d",
    "logsigmoid",
    "lstm_cell",
    "max_pool2d",
    "mish",
    "mse_loss",
    "nll_loss",
    "one_hot",
    "relu",
    "rms_norm",
    "rnn_cell",
    "scaled_dot_product_attention",
    "sigmoid",
    "silu",
    "softmax",
    "softplus",
    "step",
    "tanh",
]
