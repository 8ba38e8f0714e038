"""How `verify` calls each primitive, and the Jacobians of the cookbook derived by hand.

`PRIMITIVE_CHECKS` maps a registered primitive's name to a `Check`: `build(rng)` returns the
function to differentiate and its float64 inputs, drawn away from kinks and singularities (log
and sqrt of positive values, relu/abs/max/clip away from ties and 0), where finite differences
mean nothing (see `inputs`). `hand(*arrays)` is the Jacobian derived on paper, shaped
out.shape + in.shape or (out.size, in.size), one per input; None where nobody wrote one down.
A registered primitive with no entry is reported as a failure: no op ships unchecked.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

import autograd_core as ag
from autograd_core.ops import index as index_ops
from autograd_core.ops import shape as shape_ops
from autograd_core.ops import special as special_ops

from . import scan_checks, selection_checks
from .inputs import away_from_half_integers, interleaved, nonzero, normal, positive, spaced


class Check(NamedTuple):
    build: Callable  # rng -> (f, inputs)
    hand: Callable | None = None  # input arrays -> expected Jacobian(s)
    second_order: bool = True
    options: dict = {}  # tolerances for gradcheck (a float32 step needs a larger eps)


def leaf(array):
    """A float64 input tensor of a check (the values come from `inputs`)."""
    return ag.tensor(np.asarray(array, dtype=np.float64))


# -- hand-derived Jacobians ---------------------------------------------------------------------
def diagonal(derivative):
    """An elementwise op's Jacobian: diag(f'(x))."""
    return lambda *xs: np.diag(derivative(*xs).ravel())


def sigmoid(v):
    return 0.5 * (1 + np.tanh(v / 2))


def softmax(v, axis=-1):
    e = np.exp(v - v.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def matmul_jacobians(a, b):
    """C = A B: dC[i,j]/dA[p,q] = [i = p] B[q,j];  dC[i,j]/dB[p,q] = A[i,p] [j = q]."""
    m, n = a.shape[0], b.shape[1]
    return (np.einsum("ip,qj->ijpq", np.eye(m), b), np.einsum("ip,jq->ijpq", a, np.eye(n)))


def broadcast_row(rows, columns):
    """d(x broadcast from (columns,) to (rows, columns)) / dx."""
    return np.tile(np.eye(columns), (rows, 1))


def selection(index, shape):
    """d x[index] / dx for an integer index array along axis 0: [index[k] = p] [j = q]."""
    rows, columns = shape
    return np.einsum("kp,jq->kjpq", np.eye(rows)[index], np.eye(columns))


def unary(op, values, derivative=None, shape=(3, 4), hand=None):
    """A one-input check; `derivative` gives an elementwise op's diagonal Jacobian."""
    if derivative is not None:
        hand = diagonal(derivative)
    return Check(lambda rng: (op, (leaf(values(rng, shape)),)), hand)


# -- the table ----------------------------------------------------------------------------------
ROWS = np.array([0, 2, 0])  # a repeated row: its gradient must accumulate
MASK = np.array([[True, False, False, True],
                 [False, False, True, False],
                 [True, True, False, False]])


def _binary(op, left=normal, right=normal, hand=None, shapes=((3, 4), (3, 4))):
    def build(rng):
        return op, (leaf(left(rng, shapes[0])), leaf(right(rng, shapes[1])))

    return Check(build, hand)


def _extremum_pair(op):
    def build(rng):
        a, b = interleaved(rng, (3, 4))
        return op, (leaf(a), leaf(b))

    return build


def _where(rng):
    return ((lambda a, b: ag.where(MASK, a, b)),
            (leaf(normal(rng, (3, 4))), leaf(normal(rng, (4,)))))


def _setitem(rng):
    def assign(x, v):
        y = x * 1.0  # a non-leaf: the assignment is recorded as SetItem
        y[MASK] = v
        return y

    return assign, (leaf(normal(rng, (3, 4))), leaf(normal(rng, (int(MASK.sum()),))))


def _setitem_jacobians(x, v):
    """y = x with y[MASK] = v: dy/dx = diag(not MASK); dy/dv puts v's k-th entry at the k-th
    True of MASK."""
    into = np.zeros((MASK.size, v.size))
    into[np.flatnonzero(MASK), np.arange(v.size)] = 1.0
    return np.diag((~MASK).ravel().astype(float)), into


def _embed_diagonal(rng):
    return ((lambda g: shape_ops.EmbedDiagonal.apply(g, shape=(3, 3), where=(0, 0, 1))),
            (leaf(normal(rng, (3,))),))


# d diag(x)[k] / dx[p, q] = [k = p] [k = q]; EmbedDiagonal is its transpose
DIAGONAL_JACOBIAN = np.einsum("kp,kq->kpq", np.eye(3), np.eye(3))


def _write_region(rng):
    """y = x with y[1:3] = v, as a change through the view x[1:3] records it."""
    from autograd_core.inplace import WriteRegion

    chain = ((index_ops.GetItem, {"index": slice(1, 3)}),)
    return ((lambda x, v: WriteRegion.apply(x * 1.0, v, chain=chain)),
            (leaf(normal(rng, (4,))), leaf(normal(rng, (2,)))))


def _write_region_jacobians(x, v):
    into = np.zeros((4, 2))
    into[1, 0] = into[2, 1] = 1.0
    return np.diag([1.0, 0.0, 0.0, 1.0]), into


def _concatenate(rng):
    return ((lambda a, b: ag.concatenate([a, b], axis=1)),
            (leaf(normal(rng, (3, 2))), leaf(normal(rng, (3, 3)))))


def _scatter_add(rng):
    return ((lambda g: index_ops.ScatterAdd.apply(g, index=ROWS, shape=(3, 4))),
            (leaf(normal(rng, (3, 4))),))


def _float32_cast(rng):
    return (lambda x: x.astype(np.float32) * 2.0), (leaf(normal(rng, (4,))),)


PRIMITIVE_CHECKS = {
    "Neg": unary(lambda x: -x, normal, lambda x: -np.ones_like(x)),
    "Exp": unary(ag.exp, normal, np.exp),
    "Log": unary(ag.log, positive, lambda x: 1 / x),
    "Sqrt": unary(ag.sqrt, positive, lambda x: 0.5 / np.sqrt(x)),
    "Abs": unary(ag.abs, nonzero, np.sign),
    "Sin": unary(ag.sin, normal, np.cos),
    "Cos": unary(ag.cos, normal, lambda x: -np.sin(x)),
    "Tanh": unary(ag.tanh, normal, lambda x: 1 - np.tanh(x) ** 2),
    "Sigmoid": unary(ag.sigmoid, normal, lambda x: sigmoid(x) * (1 - sigmoid(x))),
    "Relu": unary(ag.relu, nonzero, lambda x: (x > 0).astype(float)),
    "Softplus": unary(ag.softplus, normal, sigmoid),
    # d erf / dx = 2/sqrt(pi) exp(-x^2), and erfc = 1 - erf
    "Erf": unary(special_ops.erf, normal, lambda x: 2 / np.sqrt(np.pi) * np.exp(-x * x)),
    "Erfc": unary(special_ops.erfc, normal, lambda x: -2 / np.sqrt(np.pi) * np.exp(-x * x)),
    "Add": _binary(lambda a, b: a + b, shapes=((3, 4), (4,)),
                   hand=lambda a, b: (np.eye(12), broadcast_row(3, 4))),
    "Sub": _binary(lambda a, b: a - b, shapes=((3, 4), (4,)),
                   hand=lambda a, b: (np.eye(12), -broadcast_row(3, 4))),
    "Mul": _binary(lambda a, b: a * b, hand=lambda a, b: (np.diag(b.ravel()), np.diag(a.ravel()))),
    "Div": _binary(lambda a, b: a / b, right=nonzero,
                   hand=lambda a, b: (np.diag(1 / b.ravel()), np.diag((-a / b**2).ravel()))),
    "Pow": _binary(lambda a, b: a**b, left=positive, hand=lambda a, b: (
        np.diag((b * a ** (b - 1)).ravel()), np.diag((a**b * np.log(a)).ravel()))),
    "Maximum": Check(_extremum_pair(ag.maximum), lambda a, b: (
        np.diag((a > b).ravel().astype(float)), np.diag((a < b).ravel().astype(float)))),
    "Minimum": Check(_extremum_pair(ag.minimum), lambda a, b: (
        np.diag((a < b).ravel().astype(float)), np.diag((a > b).ravel().astype(float)))),
    "Where": Check(_where, lambda a, b: (
        np.diag(MASK.ravel().astype(float)), broadcast_row(3, 4) * (~MASK).reshape(12, 1))),
    "Clip": unary(lambda x: x.clip(-0.5, 0.5), away_from_half_integers,
                  lambda x: (np.abs(x) <= 0.5).astype(float)),
    # A float32 result is good to ~1e-7 relative only: the differences need a larger step.
    "Cast": Check(_float32_cast, options=dict(eps=1e-3, atol=1e-4)),
    # d sum_j x[i, j] / dx[p, q] = [i = p]
    "Sum": unary(lambda x: x.sum(axis=1), normal,
                 hand=lambda x: np.einsum("ip,q->ipq", np.eye(3), np.ones(4))),
    # the gradient goes to the largest (smallest) entry of each row (column)
    "Max": unary(lambda x: x.max(axis=1), spaced,
                 hand=lambda x: np.einsum("ip,iq->ipq", np.eye(3), np.eye(4)[x.argmax(1)])),
    "Min": unary(lambda x: x.min(axis=0, keepdims=True), spaced,
                 hand=lambda x: np.einsum("jq,jp->jpq", np.eye(4), np.eye(3)[x.argmin(0)])[None]),
    # d logsumexp(x[i]) / dx[p, q] = [i = p] softmax(x)[p, q]
    "LogSumExp": unary(lambda x: x.logsumexp(axis=1), normal,
                       hand=lambda x: np.einsum("ip,pq->ipq", np.eye(3), softmax(x, axis=1))),
    # the cookbook's softmax Jacobian diag(p) - p p^T, and log-softmax's I - 1 p^T
    "Softmax": unary(lambda x: x.softmax(), normal, shape=(5,),
                     hand=lambda x: np.diag(softmax(x)) - np.outer(softmax(x), softmax(x))),
    "LogSoftmax": unary(lambda x: x.log_softmax(), normal, shape=(5,),
                        hand=lambda x: np.eye(x.size) - np.outer(np.ones(x.size), softmax(x))),
    "Reshape": unary(lambda x: x.reshape(4, 3), normal, hand=lambda x: np.eye(12)),
    # y = x^T: dy[i, j] / dx[p, q] = [j = p] [i = q]
    "Transpose": unary(lambda x: x.T, normal,
                       hand=lambda x: np.einsum("jp,iq->ijpq", np.eye(3), np.eye(4))),
    "BroadcastTo": unary(lambda x: x.broadcast_to((3, 4)), normal, shape=(3, 1),
                         hand=lambda x: np.einsum("ip,j->ijp", np.eye(3), np.ones(4))[..., None]),
    "SumTo": unary(lambda x: shape_ops.SumTo.apply(x, shape=(3, 1)), normal,
                   hand=lambda x: np.einsum("ip,q->ipq", np.eye(3), np.ones(4))[:, None]),
    "Concatenate": Check(_concatenate, lambda a, b: (
        np.einsum("ip,jq->ijpq", np.eye(3), np.eye(5)[:, :2]),
        np.einsum("ip,jq->ijpq", np.eye(3), np.eye(5)[:, 2:]))),
    # rows picked twice: d x[ROWS] / dx = [ROWS[k] = p] [j = q]; ScatterAdd is its transpose
    "GetItem": unary(lambda x: x[ROWS], normal, hand=lambda x: selection(ROWS, (3, 4))),
    "ScatterAdd": Check(_scatter_add,
                        lambda g: selection(ROWS, (3, 4)).transpose(2, 3, 0, 1)),
    "SetItem": Check(_setitem, _setitem_jacobians),
    "WriteRegion": Check(_write_region, _write_region_jacobians),
    "Clone": unary(lambda x: x.clone(), normal, hand=lambda x: np.eye(12)),
    "Diagonal": unary(lambda x: x.diagonal(), normal, shape=(3, 3),
                      hand=lambda x: DIAGONAL_JACOBIAN),
    "EmbedDiagonal": Check(_embed_diagonal, lambda g: DIAGONAL_JACOBIAN.transpose(1, 2, 0)),
    # reductions, scans and sorts (hand Jacobians in scan_checks.py); composites are checked
    # as "Primitive (composite)": the primitive that carries their gradient
    "Prod": Check(scan_checks.build_prod, scan_checks.jacobian_prod),
    "Prod (two zeros)": Check(lambda rng: scan_checks.build_prod(rng, zeros=2),
                              scan_checks.jacobian_prod),
    "Cumsum": Check(scan_checks.build_cumsum, scan_checks.jacobian_cumsum),
    "Cumprod": Check(scan_checks.build_cumprod, scan_checks.jacobian_cumprod),
    "LogCumSumExp": Check(scan_checks.build_logcumsumexp, scan_checks.jacobian_logcumsumexp),
    "LinearRecurrence": Check(scan_checks.build_linear_recurrence,
                              scan_checks.jacobians_linear_recurrence),
    "GetItem (sort)": Check(scan_checks.build_sort, scan_checks.jacobian_sort),
    "GetItem (median)": Check(scan_checks.build_median, scan_checks.jacobian_median),
    "Sub (diff)": Check(scan_checks.build_diff, scan_checks.jacobian_diff),
    # shape and selection (hand Jacobians in selection_checks.py)
    "GetItem (flip)": Check(selection_checks.build_flip, selection_checks.jacobian_flip),
    "Concatenate (roll)": Check(selection_checks.build_roll, selection_checks.jacobian_roll),
    "Where (tril)": Check(selection_checks.build_tril, selection_checks.jacobian_tril),
    "Where (triu)": Check(selection_checks.build_triu, selection_checks.jacobian_triu),
    "Sum (trace)": Check(selection_checks.build_trace, selection_checks.jacobian_trace),
    "Mul (outer)": Check(selection_checks.build_outer, selection_checks.jacobians_outer),
    "GetItem (pad reflect)": Check(selection_checks.build_pad_reflect,
                                   selection_checks.jacobian_pad_reflect),
    "GetItem (take_along_axis)": Check(selection_checks.build_take_along_axis,
                                       selection_checks.jacobian_take_along_axis),
    "SetItem (put_along_axis)": Check(selection_checks.build_put_along_axis,
                                      selection_checks.jacobians_put_along_axis),
    "ScatterAdd (scatter_add)": Check(selection_checks.build_scatter_add,
                                      selection_checks.jacobians_scatter_add),
    "ScatterReduce": Check(selection_checks.build_scatter_prod,
                           selection_checks.jacobians_scatter_prod),
    "ScatterReduce (amax)": Check(selection_checks.build_scatter_amax,
                                  selection_checks.jacobians_scatter_amax),
    "MatMul": _binary(lambda a, b: a @ b, shapes=((3, 4), (4, 2)), hand=matmul_jacobians),
    "Einsum": _binary(lambda a, b: ag.einsum("ij,jk->ik", a, b), shapes=((3, 4), (4, 2)),
                      hand=matmul_jacobians),
}
