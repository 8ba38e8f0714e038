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
    # the rest of the elementwise family (ops/trig.py, exponential.py, rounding.py, arithmetic.py)
    np.tan: ops.tan, np.arcsin: ops.arcsin, np.arccos: ops.arccos, np.arctan: ops.arctan,
    np.arctan2: ops.arctan2, np.hypot: ops.hypot, np.sinh: ops.sinh, np.cosh: ops.cosh,
    np.arcsinh: ops.arcsinh, np.arccosh: ops.arccosh, np.arctanh: ops.arctanh,
    np.degrees: ops.degrees, np.rad2deg: ops.degrees, np.radians: ops.radians,
    np.deg2rad: ops.radians, np.log1p: ops.log1p, np.expm1: ops.expm1, np.log2: ops.log2,
    np.log10: ops.log10, np.exp2: ops.exp2, np.logaddexp: ops.logaddexp, np.square: ops.square,
    np.reciprocal: ops.reciprocal, np.sign: ops.sign, np.floor: ops.floor, np.ceil: ops.ceil,
    np.trunc: ops.trunc, np.rint: ops.round, np.mod: ops.mod, np.fmod: ops.fmod,
    np.floor_divide: ops.floor_divide, np.fmax: ops.fmax, np.fmin: ops.fmin,
    np.copysign: ops.copysign,
}
# ufuncs whose result carries no gradient: computed on the arrays, returned without history
_PREDICATES = {
    np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal,
    np.logical_and, np.logical_or, np.logical_xor, np.logical_not,
    np.isnan, np.isinf, np.isfinite, np.signbit,
    np.bitwise_and, np.bitwise_or, np.bitwise_xor, np.invert,
    np.left_shift, np.right_shift,
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


def _put_along_axis(arr, indices, values, axis):
    """np.put_along_axis writes into `arr` and returns None: into a Tensor as a recorded
    in-place change (copy_ of ag.put_along_axis's result), into an array as plain values."""
    if isinstance(arr, TensorBase):
        copy_(arr, ops.put_along_axis(arr, indices, values, axis))
    else:
        np.put_along_axis(arr, array_of(indices), array_of(values), axis)


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
    np.round: ops.round, np.around: ops.round, np.isclose: ops.isclose,
    np.allclose: ops.allclose, np.nonzero: ops.nonzero,
    np.std: ops.std, np.prod: ops.prod, np.cumsum: ops.cumsum, np.cumprod: ops.cumprod,
    np.argmax: ops.argmax, np.argmin: ops.argmin, np.all: ops.all, np.any: ops.any,
    np.sort: ops.sort, np.argsort: ops.argsort, np.median: ops.median, np.diff: ops.diff,
    np.flip: ops.flip, np.fliplr: lambda m: ops.flip(m, 1), np.flipud: lambda m: ops.flip(m, 0),
    np.roll: ops.roll, np.rot90: ops.rot90, np.tile: ops.tile, np.repeat: ops.repeat,
    np.pad: ops.pad, np.tril: ops.tril, np.triu: ops.triu, np.diag: ops.diag,
    np.trace: ops.trace, np.atleast_1d: ops.atleast_1d, np.atleast_2d: ops.atleast_2d,
    np.vstack: ops.vstack, np.hstack: ops.hstack, np.array_split: ops.array_split,
    np.take: ops.take, np.take_along_axis: ops.take_along_axis,
    np.put_along_axis: _put_along_axis,
    np.meshgrid: ops.meshgrid, np.outer: ops.outer, np.inner: ops.inner, np.dot: ops.dot,
    np.tensordot: ops.tensordot, np.kron: ops.kron, np.cross: ops.cross,
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
