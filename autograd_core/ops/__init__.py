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
from .arrange import flip, repeat, roll, rot90, tile
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
from .join import array_split, cat, concatenate, hstack, split, stack, vstack
from .linalg import einsum, matmul
from .matrices import diag, meshgrid, trace, tril, triu
from .padding import pad
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
from .products import cross, dot, inner, kron, outer, tensordot
from .reduce import (
    all,
    any,
    log_softmax,
    logsumexp,
    max,
    mean,
    min,
    prod,
    softmax,
    std,
    sum,
    var,
)
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
from .scan import cummax, cummin, cumprod, cumsum, diff, logcumsumexp
from .scatter import scatter_add, scatter_reduce
from .select import astype, clip, clone, where
from .selection import put_along_axis, take, take_along_axis
from .shape import (
    atleast_1d,
    atleast_2d,
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
from .sorting import argmax, argmin, argsort, median, sort, topk
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
