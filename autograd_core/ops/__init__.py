"""The primitives, grouped by kind. Each module holds its Function classes and, beside each,
the lowercase function that applies it; `ag.exp`, `ag.sum`, ... are these functions."""

from .arithmetic import (
    add,
    divide,
    fmax,
    fmin,
    lerp,
    maximum,
    minimum,
    multiply,
    negative,
    power,
    subtract,
)
from .exponential import (
    exp2,
    expm1,
    log1p,
    log2,
    log10,
    logaddexp,
    reciprocal,
    rsqrt,
    square,
)
from .index import getitem
from .join import concatenate, split, stack
from .linalg import einsum, matmul
from .predicates import (
    allclose,
    isclose,
    isfinite,
    isinf,
    isnan,
    left_shift,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    nonzero,
    right_shift,
)
from .reduce import log_softmax, logsumexp, max, mean, min, softmax, sum, var
from .rounding import (
    ceil,
    copysign,
    div,
    floor,
    floor_divide,
    fmod,
    mod,
    round,
    sign,
    trunc,
)
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
from .trig import (
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctan2,
    arctanh,
    cosh,
    degrees,
    hypot,
    radians,
    sinh,
    tan,
)
from .unary import abs, cos, exp, log, relu, sigmoid, sin, softplus, sqrt, tanh
