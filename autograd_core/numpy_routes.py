"""Which ag op runs each NumPy function on Tensors: the tables numpy_api.py dispatches with.

Adding an op: add `np.name: ops.name` to `UFUNCS` (a ufunc) or `FUNCTIONS` (any other NumPy
function) in its group, and, when one of NumPy's argument names differs from the op's beyond
the leading data argument, an entry in `ARGUMENT_NAMES`. tests/autograd_core/test_numpy_api.py
checks every entry (it records, and its gradient is the ag op's) and fails when an ag op has a
NumPy namesake that is not routed here.
"""

import numpy as np

from . import ops
from .inplace import copy_
from .ops import linalg_decompose, linalg_det, linalg_inverse, linalg_norm
from .tensor_base import TensorBase, array_of


def _positive(x):
    return x


def _where(condition, x=None, y=None):
    """np.where(cond, x, y) is ag.where; np.where(cond) alone is np.nonzero (indices, no
    gradient)."""
    if x is None and y is None:
        return np.nonzero(np.asarray(array_of(condition)))
    return ops.where(condition, x, y)


def _put_along_axis(arr, indices, values, axis):
    """np.put_along_axis writes into `arr` and returns None: into a Tensor as a recorded
    in-place change (copy_ of ag.put_along_axis's result), into an array as plain values."""
    if isinstance(arr, TensorBase):
        copy_(arr, ops.put_along_axis(arr, indices, values, axis))
    else:
        np.put_along_axis(arr, array_of(indices), array_of(values), axis)


def _copyto(dst, src, casting="same_kind", where=True):
    """np.copyto(dst, src): into a Tensor, an in-place change (copy_); into an array, the
    values."""
    if isinstance(dst, TensorBase):
        if casting != "same_kind" or where is not True:
            raise TypeError("np.copyto into a Tensor takes no casting= or where=; use "
                            "t.copy_(ag.where(mask, src, t))")
        return copy_(dst, src)
    np.copyto(dst, array_of(src), casting=casting, where=array_of(where))
    return None


# ufunc -> the ag op that records it (np.add(a, b), a + b with an array on the left, ...)
UFUNCS = {
    # arithmetic
    np.add: ops.add,
    np.subtract: ops.subtract,
    np.multiply: ops.multiply,
    np.true_divide: ops.divide,
    np.negative: ops.negative,
    np.positive: _positive,
    np.power: ops.power,
    np.maximum: ops.maximum,
    np.minimum: ops.minimum,
    np.matmul: ops.matmul,
    # elementwise functions
    np.absolute: ops.abs,
    np.fabs: ops.abs,
    np.exp: ops.exp,
    np.log: ops.log,
    np.sqrt: ops.sqrt,
    np.sin: ops.sin,
    np.cos: ops.cos,
    np.tanh: ops.tanh,
    np.tan: ops.tan, np.arcsin: ops.arcsin, np.arccos: ops.arccos, np.arctan: ops.arctan,
    np.arctan2: ops.arctan2, np.hypot: ops.hypot, np.sinh: ops.sinh, np.cosh: ops.cosh,
    np.arcsinh: ops.arcsinh, np.arccosh: ops.arccosh, np.arctanh: ops.arctanh,
    np.degrees: ops.degrees, np.rad2deg: ops.degrees, np.radians: ops.radians,
    np.deg2rad: ops.radians, np.log1p: ops.log1p, np.expm1: ops.expm1, np.log2: ops.log2,
    np.log10: ops.log10, np.exp2: ops.exp2, np.logaddexp: ops.logaddexp,
    np.square: ops.square, np.reciprocal: ops.reciprocal, np.copysign: ops.copysign,
    np.fmax: ops.fmax, np.fmin: ops.fmin,
    # zero gradient where they are differentiable
    np.sign: ops.sign, np.floor: ops.floor, np.ceil: ops.ceil, np.trunc: ops.trunc,
    np.rint: ops.round,
    # remainders and quotients
    np.mod: ops.mod, np.fmod: ops.fmod, np.floor_divide: ops.floor_divide,
}

# ufuncs whose results carry no gradient: computed on the arrays, Tensors without history.
NO_GRADIENT_UFUNCS = {
    np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal,
    np.logical_and, np.logical_or, np.logical_xor, np.logical_not,
    np.isnan, np.isinf, np.isfinite, np.signbit,
    np.bitwise_and, np.bitwise_or, np.bitwise_xor, np.invert, np.left_shift, np.right_shift,
}

# ufunc.reduce and ufunc.accumulate -> the name of the ag op (by name, so that each works as
# soon as its op exists; until then it raises TypeError naming it)
UFUNC_REDUCTIONS = {
    np.add: "sum",
    np.multiply: "prod",
    np.maximum: "max",
    np.minimum: "min",
}
UFUNC_ACCUMULATIONS = {
    np.add: "cumsum",
    np.multiply: "cumprod",
}

# NumPy function -> the ag function that records it
FUNCTIONS = {
    # reductions
    np.sum: ops.sum,
    np.mean: ops.mean,
    np.var: ops.var,
    np.max: ops.max,
    np.amax: ops.max,
    np.min: ops.min,
    np.amin: ops.min,
    # shapes and views
    np.reshape: ops.reshape,
    np.ravel: ops.flatten,
    np.transpose: ops.transpose,
    np.swapaxes: ops.swapaxes,
    np.moveaxis: ops.moveaxis,
    np.squeeze: ops.squeeze,
    np.expand_dims: ops.expand_dims,
    np.broadcast_to: ops.broadcast_to,
    np.diagonal: ops.diagonal,
    # joining and cutting
    np.concatenate: ops.concatenate,
    np.stack: ops.stack,
    np.split: ops.split,
    # choosing and copying
    np.where: _where,
    np.clip: ops.clip,
    np.copy: ops.clone,
    np.copyto: _copyto,
    # rounding (ufuncs above; np.round is a function)
    np.round: ops.round, np.around: ops.round,
    # reductions, scans and sorting
    np.std: ops.std, np.prod: ops.prod, np.cumsum: ops.cumsum, np.cumprod: ops.cumprod,
    np.sort: ops.sort, np.median: ops.median, np.diff: ops.diff,
    # arranging and selecting
    np.flip: ops.flip, np.fliplr: lambda m: ops.flip(m, 1), np.flipud: lambda m: ops.flip(m, 0),
    np.roll: ops.roll, np.rot90: ops.rot90, np.tile: ops.tile, np.repeat: ops.repeat,
    np.pad: ops.pad, np.tril: ops.tril, np.triu: ops.triu, np.diag: ops.diag,
    np.trace: ops.trace, np.atleast_1d: ops.atleast_1d, np.atleast_2d: ops.atleast_2d,
    np.vstack: ops.vstack, np.hstack: ops.hstack, np.array_split: ops.array_split,
    np.take: ops.take, np.take_along_axis: ops.take_along_axis,
    np.put_along_axis: _put_along_axis, np.meshgrid: ops.meshgrid,
    # products
    np.einsum: ops.einsum, np.dot: ops.dot, np.outer: ops.outer, np.inner: ops.inner,
    np.tensordot: ops.tensordot, np.kron: ops.kron, np.cross: ops.cross,
    # np.linalg -> ag.linalg
    np.linalg.inv: linalg_inverse.inv, np.linalg.solve: linalg_inverse.solve,
    np.linalg.pinv: linalg_inverse.pinv, np.linalg.matrix_power: linalg_inverse.matrix_power,
    np.linalg.det: linalg_det.det, np.linalg.slogdet: linalg_det.slogdet,
    np.linalg.cholesky: linalg_decompose.cholesky, np.linalg.qr: linalg_decompose.qr,
    np.linalg.eigh: linalg_decompose.eigh, np.linalg.svd: linalg_decompose.svd,
    np.linalg.norm: linalg_norm.norm, np.linalg.matrix_norm: linalg_norm.matrix_norm,
}
if hasattr(np.linalg, "vector_norm"):  # NumPy >= 2
    FUNCTIONS[np.linalg.vector_norm] = linalg_norm.vector_norm
if hasattr(np, "astype"):  # NumPy >= 2.1
    FUNCTIONS[np.astype] = ops.astype

# NumPy functions whose results carry no gradient (shapes, dtypes, indices, predicates,
# constants): run on the arrays; array results come back as Tensors without history.
NO_GRADIENT_FUNCTIONS = {
    # what NumPy asks of array-likes
    np.shape, np.ndim, np.size, np.result_type, np.iscomplexobj, np.isrealobj, np.iscomplex,
    np.isreal, np.may_share_memory, np.shares_memory,
    # constants of a tensor's shape and dtype
    np.zeros_like, np.ones_like, np.empty_like, np.full_like,
    # indices and counts
    np.argmax, np.argmin, np.argsort, np.argwhere, np.nonzero, np.flatnonzero,
    np.count_nonzero, np.searchsorted,
    # predicates
    np.all, np.any, np.isclose, np.allclose, np.array_equal, np.array_equiv,
}

# NumPy argument name -> the ag function's, where they differ beyond the leading data argument
ARGUMENT_NAMES = {
    np.clip: {"a_min": "lo", "a_max": "hi", "min": "lo", "max": "hi"},
    np.var: {"correction": "ddof"},
    np.std: {"correction": "ddof"},
}

# Arguments that change only how NumPy computes, not the result: accepted and not passed on.
IGNORED_ARGUMENTS = {
    np.einsum: {"optimize"},
}

# What to write instead, for NumPy functions with no differentiable version (by NumPy name).
ALTERNATIVES = {
    "add.at": "ag.scatter_add, or an out-of-place sum",
    "append": "ag.concatenate",
    "average": "ag.mean, or ag.sum(w * x) / ag.sum(w)",
    "delete": "indexing with a boolean mask, t[mask]",
    "heaviside": "ag.where(x > 0, 1.0, 0.0) (its gradient is zero)",
    "insert": "ag.concatenate of slices",
    "nanmean": "ag.mean(t[~np.isnan(t)])",
    "nansum": "ag.sum(t[~np.isnan(t)])",
    "ptp": "ag.max(t) - ag.min(t)",
    "resize": "ag.reshape (and ag.tile)",
}
