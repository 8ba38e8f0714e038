"""Neural-network building blocks on top of autograd_core: modules, layers, losses,
initialisation, saving and loading, and data sets.

>>> import nn
>>> model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
"""

from . import data, datasets, functional, init, utils
from .layers import (
    BatchNorm1d,
    Dropout,
    Embedding,
    Flatten,
    Identity,
    LayerNorm,
    LeakyReLU,
    Linear,
    LogSoftmax,
    ModuleList,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Softplus,
    Step,
    Tanh,
)
from .layers.conv import AvgPool2d, Conv2d, MaxPool2d
from .losses import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HingeLoss,
    KLDivLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
)
from .module import Module, Parameter
from .serialization import load, save

__all__ = [
    "AvgPool2d",
    "BCELoss",
    "BCEWithLogitsLoss",
    "BatchNorm1d",
    "Conv2d",
    "CrossEntropyLoss",
    "Dropout",
    "Embedding",
    "Flatten",
    "HingeLoss",
    "Identity",
    "KLDivLoss",
    "L1Loss",
    "LayerNorm",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "MSELoss",
    "MaxPool2d",
    "Module",
    "ModuleList",
    "NLLLoss",
    "Parameter",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "Step",
    "Tanh",
    "data",
    "datasets",
    "functional",
    "init",
    "load",
    "save",
    "utils",
]
