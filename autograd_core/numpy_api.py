"""NumPy functions on Tensors: `np.exp(t)`, `array * t`, `np.sum(t, axis=0)`,
`np.concatenate([t, u])`, ... run the `ag` op of the same name, recorded in the graph.

Tensor implements NumPy's two dispatch protocols with the functions below, so code written for
NumPy (or for HIPS autograd's `autograd.numpy`) runs on Tensors as it is, and the engine's own
backward formulas, written with NumPy functions, are differentiable again under create_graph.
A NumPy function with no differentiable version raises TypeError naming it: nothing ever
returns a plain array with the history dropped. `np.asarray(t)` and `t.numpy()` are the
explicit ways out of the graph.
"""

import numpy as np

from . import ops
from .inplace import copy_
from .ops import linalg_decompose, linalg_det, linalg_inverse, linalg_norm
from .tensor_base import TensorBase, array_of, make

# ufunc -> the ag op that records it
_UFUNCS = {
    np.add: ops.add, np.subtract: ops.subtract, np.multiply: ops.multiply,
    np.true_divide: ops.divide, np.negative: ops.negative, np.power: ops.power,
    np.maximum: ops.maximum, np.minimum: ops.minimum, np.matmul: ops.matmul,
    np.exp: ops.exp, np.log: ops.log, np.sqrt: ops.sqrt, np.absolute: ops.abs,
    np.sin: ops.sin, np.cos: ops.cos, np.tanh: ops.tanh,
    np.positive: lambda x: x,
}
# ufuncs whose result carries no gradient: computed on the arrays, returned without history
_PREDICATES = {
    np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal,
    np.logical_and, np.logical_or, np.logical_xor, np.logical_not,
    np.isnan, np.isinf, np.isfinite, np.signbit,
    np.bitwise_and, np.bitwise_or, np.bitwise_xor, np.invert,
    np.floor, np.ceil, np.trunc, np.rint, np.sign,
}


def array_ufunc(tensor, ufunc, method, *inputs, out=None, **kwargs):
    """Tensor.__array_ufunc__: route a NumPy ufunc to its ag op (see the module docstring)."""
    if method != "__call__":
        raise TypeError(f"np.{ufunc.__name__}.{method} on a Tensor has no differentiable "
                        f"version; use the ag functions (ag.sum, ag.max, ...)")
    if ufunc in _PREDICATES:
        result = make(tensor._result_class,
                      np.asarray(ufunc(*[array_of(x) for x in inputs], **kwargs)))
    elif ufunc in _UFUNCS and not kwargs:
        result = _UFUNCS[ufunc](*inputs)
    else:
        raise TypeError(f"np.{ufunc.__name__} has no differentiable version for Tensors"
                        + (f" with arguments {sorted(kwargs)}" if kwargs else ""))
    return result if out is None else _store(result, out[0] if len(out) == 1 else out)


def _store(result, out):
    """An `out=` argument: a plain array gets the values (no history); a Tensor is changed in
    place (recorded, as `copy_`). `p.data += -lr * p.grad` is the first case."""
    if isinstance(out, TensorBase):
        return copy_(out, result)
    if isinstance(out, np.ndarray):
        np.copyto(out, array_of(result), casting="same_kind")
        return out
    raise TypeError(f"out= must be one array or Tensor, got {type(out).__name__}")


def _shape_only(function):
    return lambda x, *args, **kwargs: function(array_of(x), *args, **kwargs)


# NumPy function -> the ag function that records it (same arguments)
_FUNCTIONS = {
    np.sum: ops.sum, np.mean: ops.mean, np.var: ops.var, np.max: ops.max, np.min: ops.min,
    np.amax: ops.max, np.amin: ops.min, np.reshape: ops.reshape, np.transpose: ops.transpose,
    np.swapaxes: ops.swapaxes, np.moveaxis: ops.moveaxis, np.squeeze: ops.squeeze,
    np.expand_dims: ops.expand_dims, np.broadcast_to: ops.broadcast_to,
    np.diagonal: ops.diagonal, np.concatenate: ops.concatenate, np.stack: ops.stack,
    np.split: ops.split, np.where: ops.where, np.clip: ops.clip, np.einsum: ops.einsum,
    np.shape: _shape_only(np.shape), np.ndim: _shape_only(np.ndim),
    np.size: _shape_only(np.size), np.result_type: lambda *xs: np.result_type(
        *[array_of(x) for x in xs]),
    # np.linalg -> ag.linalg
    np.linalg.inv: linalg_inverse.inv, np.linalg.solve: linalg_inverse.solve,
    np.linalg.pinv: linalg_inverse.pinv, np.linalg.matrix_power: linalg_inverse.matrix_power,
    np.linalg.det: linalg_det.det, np.linalg.slogdet: linalg_det.slogdet,
    np.linalg.cholesky: linalg_decompose.cholesky, np.linalg.qr: linalg_decompose.qr,
    np.linalg.eigh: linalg_decompose.eigh, np.linalg.svd: linalg_decompose.svd,
    np.linalg.norm: linalg_norm.norm, np.linalg.vector_norm: linalg_norm.vector_norm,
    np.linalg.matrix_norm: linalg_norm.matrix_norm,
}


def array_function(tensor, function, types, args, kwargs):
    """Tensor.__array_function__: route a NumPy function to its ag function."""
    implementation = _FUNCTIONS.get(function)
    if implementation is None:
        raise TypeError(f"np.{function.__name__} has no differentiable version for Tensors; "
                        "use the ag function of that name if there is one, or np.asarray(t) "
                        "to leave the graph on purpose")
    return implementation(*args, **kwargs)
