"""Layers: each a Module whose forward calls nn.functional."""

from .activation import LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Softplus, Step, Tanh
from .containers import Identity, ModuleList, Sequential
from .dropout import Dropout
from .embedding import Embedding
from .linear import Flatten, Linear
from .normalization import BatchNorm1d, LayerNorm

__all__ = [
    "BatchNorm1d",
    "Dropout",
    "Embedding",
    "Flatten",
    "Identity",
    "LayerNorm",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "ModuleList",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "Step",
    "Tanh",
]
