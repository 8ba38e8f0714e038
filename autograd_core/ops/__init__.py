"""The primitives, grouped by kind. Each module holds its Function classes and, beside each,
the lowercase function that applies it; `ag.exp`, `ag.sum`, ... are these functions."""

from .arithmetic import add, divide, maximum, minimum, multiply, negative, power, subtract
from .index import getitem
from .join import cat, concatenate, split, stack
from .linalg import einsum, matmul
from .reduce import log_softmax, logsumexp, max, mean, min, softmax, sum, var
from .select import astype, clip, clone, where
from .shape import (
    broadcast_to,
    diagonal,
    expand_dims,
    flatten,
    moveaxis,
    reshape,
    squeeze,
    sum_to,
    swapaxes,
    transpose,
    view,
)
from .special import erf, erfc
from .unary import abs, cos, exp, log, relu, sigmoid, sin, softplus, sqrt, tanh
