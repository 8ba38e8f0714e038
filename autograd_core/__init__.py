"""autograd-core: reverse-mode automatic differentiation over NumPy.

>>> import autograd_core as ag
>>> w = ag.tensor([1.0, 2.0], requires_grad=True); (w * w).sum().backward(); w.grad
"""

from . import anomaly, engine, functional, ops, testing, viz
from .anomaly import detect_anomaly
from .creation import (
    arange,
    eye,
    full,
    linspace,
    ones,
    ones_like,
    rand,
    randn,
    tensor,
    zeros,
    zeros_like,
)
from .dtypes import get_default_dtype, set_default_dtype
from .engine import grad
from .function import Function
from .functions import (
    abs,
    astype,
    broadcast_to,
    cat,
    clip,
    clone,
    concatenate,
    cos,
    diagonal,
    einsum,
    erf,
    erfc,
    exp,
    expand_dims,
    flatten,
    log,
    log_softmax,
    logsumexp,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    moveaxis,
    relu,
    reshape,
    sigmoid,
    sin,
    softmax,
    softplus,
    split,
    sqrt,
    squeeze,
    stack,
    sum,
    swapaxes,
    tanh,
    transpose,
    var,
    where,
)
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .ops.common import accepts_dim
from .random import get_generator, manual_seed
from .sampling import multinomial, normal, randint, uniform
from .tensor import Tensor

__version__ = "0.1.0"
