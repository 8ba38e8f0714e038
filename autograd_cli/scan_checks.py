"""Builders and hand-derived Jacobians for `verify`'s checks of the reductions, scans and sorts
(ops/reduce.py, ops/scan.py, ops/sorting.py); checks.py lists them in PRIMITIVE_CHECKS.

Each `build_*` takes the random generator and returns (f, inputs); each `jacobian_*` takes the
input arrays and returns the Jacobian derived on paper, shaped out.shape + in.shape.
"""

import numpy as np

import autograd_core as ag
from autograd_core.ops import scan as scan_ops

from .inputs import normal, spaced


def _leaf(array):
    return ag.tensor(np.asarray(array, dtype=np.float64))


def _with_zero(rng, shape, count=1):
    x = rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)
    x.reshape(-1)[rng.permutation(x.size)[:count]] = 0.0
    return x


# -- prod: d prod_j x[i, j] / d x[p, q] = [i = p] * prod_{j != q} x[p, j] -------------------------
def build_prod(rng, zeros=1):
    return (lambda x: x.prod(axis=1)), (_leaf(_with_zero(rng, (3, 4), zeros)),)


def jacobian_prod(x):
    others = np.array([[np.prod(np.delete(row, q)) for q in range(row.size)] for row in x])
    return np.einsum("ip,pq->ipq", np.eye(x.shape[0]), others)


# -- cumsum along axis 1: d y[i, j] / d x[p, q] = [i = p] [q <= j] ------------------------------
def build_cumsum(rng):
    return (lambda x: x.cumsum(axis=1)), (_leaf(normal(rng, (3, 4))),)


def jacobian_cumsum(x):
    return np.einsum("ip,jq->ijpq", np.eye(x.shape[0]), np.tril(np.ones((x.shape[1],) * 2)))


# -- cumprod: d y[i] / d x[k] = [k <= i] prod_{j <= i, j != k} x[j] ----------------------------
def build_cumprod(rng):
    return (lambda x: x.cumprod()), (_leaf(_with_zero(rng, (5,), 2)),)


def jacobian_cumprod(x):
    n = x.size
    return np.array([[np.prod(np.delete(x[:i + 1], k)) if k <= i else 0.0 for k in range(n)]
                     for i in range(n)])


# -- logcumsumexp: d y[i] / d x[k] = [k <= i] exp(x[k] - y[i]) --------------------------------
def build_logcumsumexp(rng):
    return (lambda x: x.logcumsumexp(0)), (_leaf(3.0 * normal(rng, (5,)) + 500.0),)


def jacobian_logcumsumexp(x):
    y = np.logaddexp.accumulate(x)
    return np.tril(np.exp(x[None, :] - y[:, None]))


# -- s[i] = b[i] + a[i] s[i-1]: ds[i]/db[k] = [k <= i] a[k+1] ... a[i]; ds[i]/da[k] = that * s[k-1]
def build_linear_recurrence(rng):
    return ((lambda b, a: scan_ops.linear_recurrence(b, a, 0)),
            (_leaf(normal(rng, (5,))), _leaf(rng.uniform(-1.5, 1.5, (5,)))))


def jacobians_linear_recurrence(b, a):
    n = b.size
    s = np.zeros(n)
    for i in range(n):
        s[i] = b[i] + a[i] * (s[i - 1] if i else 0.0)
    carry = np.array([[np.prod(a[k + 1:i + 1]) if k <= i else 0.0 for k in range(n)]
                      for i in range(n)])
    before = np.concatenate([[0.0], s[:-1]])
    return carry, carry * before[None, :]


# -- sort: a permutation, d y[i] / d x[k] = [order[i] = k] -------------------------------------
def build_sort(rng):
    return (lambda x: ag.sort(x)), (_leaf(spaced(rng, (6,))),)


def jacobian_sort(x):
    return np.eye(x.size)[np.argsort(x)]


# -- diff: y[i] = x[i + 1] - x[i] ---------------------------------------------------------------
def build_diff(rng):
    return (lambda x: ag.diff(x)), (_leaf(normal(rng, (5,))),)


def jacobian_diff(x):
    n = x.size
    return np.eye(n)[1:] - np.eye(n)[:-1]


# -- median of an even count: half to each of the two middle entries ---------------------------
def build_median(rng):
    return (lambda x: ag.median(x)), (_leaf(spaced(rng, (6,))),)


def jacobian_median(x):
    order = np.argsort(x)
    return 0.5 * (np.eye(x.size)[order[2]] + np.eye(x.size)[order[3]])
