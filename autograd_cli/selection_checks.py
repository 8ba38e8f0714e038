"""Builders and hand-derived Jacobians for `verify`'s checks of the shape and selection ops
(ops/arrange.py, ops/matrices.py, ops/padding.py, ops/selection.py, ops/scatter.py,
ops/products.py); checks.py lists them in PRIMITIVE_CHECKS. Most of these ops are fixed linear
maps (a permutation, a mask, a sum), so their Jacobians are written down directly, shaped
out.shape + in.shape.
"""

import numpy as np

import autograd_core as ag

from .inputs import normal, spaced

INDEX = np.array([0, 0, 2, 2, 2])  # five src entries into three positions: groups of 2, 0 and 3


def _leaf(array):
    return ag.tensor(np.asarray(array, dtype=np.float64))


def _matrix(rng):
    return (_leaf(normal(rng, (3, 4))),)


def _permutation(source, shape_in):
    """The Jacobian of y.flat[i] = x.flat[source[i]]: one 1 per row."""
    size = int(np.prod(shape_in))
    return np.eye(size)[np.asarray(source).reshape(-1)]


# -- flip(x, 1): y[i, j] = x[i, 3 - j] -----------------------------------------------------------
def build_flip(rng):
    return (lambda x: ag.flip(x, 1)), _matrix(rng)


def jacobian_flip(x):
    return _permutation(np.arange(12).reshape(3, 4)[:, ::-1], (3, 4))


# -- roll(x, 1, axis=1): y[i, j] = x[i, (j - 1) mod 4] -------------------------------------------
def build_roll(rng):
    return (lambda x: ag.roll(x, 1, axis=1)), _matrix(rng)


def jacobian_roll(x):
    rows, columns = np.indices((3, 4))
    return _permutation(rows * 4 + (columns - 1) % 4, (3, 4))


# -- tril / triu: the diagonal matrix of the mask ---------------------------------------------
def build_tril(rng):
    return (lambda x: ag.tril(x)), _matrix(rng)


def jacobian_tril(x):
    return np.diag(np.tri(3, 4, dtype=bool).ravel().astype(float))


def build_triu(rng):
    return (lambda x: ag.triu(x, 1)), _matrix(rng)


def jacobian_triu(x):
    return np.diag((~np.tri(3, 4, 0, dtype=bool)).ravel().astype(float))


# -- trace: d sum_k x[k, k] / d x[p, q] = [p = q] -----------------------------------------------
def build_trace(rng):
    return (lambda x: ag.trace(x)), (_leaf(normal(rng, (3, 3))),)


def jacobian_trace(x):
    return np.eye(3)


# -- outer: d a[i] b[j] / d a[p] = [i = p] b[j];  / d b[q] = a[i] [j = q] -------------------------
def build_outer(rng):
    return (lambda a, b: ag.outer(a, b)), (_leaf(normal(rng, (3,))), _leaf(normal(rng, (4,))))


def jacobians_outer(a, b):
    return (np.einsum("ip,j->ijp", np.eye(a.size), b), np.einsum("i,jq->ijq", a, np.eye(b.size)))


# -- pad reflect by 2: every padded entry copies the element np.pad(arange(4)) names ------------
def build_pad_reflect(rng):
    return (lambda x: ag.pad(x, 2, mode="reflect")), (_leaf(normal(rng, (4,))),)


def jacobian_pad_reflect(x):
    return _permutation(np.pad(np.arange(4), 2, mode="reflect"), (4,))


# -- take_along_axis with a repeated index: rows of the identity, repeated -----------------------
CHOSEN = np.array([[3, 3], [0, 1], [2, 0]])


def build_take_along_axis(rng):
    return (lambda x: ag.take_along_axis(x, CHOSEN, 1)), _matrix(rng)


def jacobian_take_along_axis(x):
    return _permutation(np.arange(3)[:, None] * 4 + CHOSEN, (3, 4))


# -- put_along_axis: dy/dx = diag(not written); dy/dv puts v[k] at its position -----------------
WRITTEN = np.array([[1], [3], [0]])


def build_put_along_axis(rng):
    return ((lambda x, v: ag.put_along_axis(x, WRITTEN, v, 1)),
            (_leaf(normal(rng, (3, 4))), _leaf(normal(rng, (3, 1)))))


def jacobians_put_along_axis(x, v):
    positions = np.arange(3) * 4 + WRITTEN[:, 0]
    kept = np.ones(12)
    kept[positions] = 0.0
    into = np.zeros((12, 3))
    into[positions, np.arange(3)] = 1.0
    return np.diag(kept), into


# -- scatter_add: y = t + sum of the src entries sent to each position ---------------------------
def build_scatter_add(rng):
    return ((lambda t, s: ag.scatter_add(t, 0, INDEX, s)),
            (_leaf(normal(rng, (3,))), _leaf(normal(rng, (5,)))))


def jacobians_scatter_add(t, src):
    return np.eye(3), np.eye(3)[:, INDEX]


# -- scatter_reduce prod: y[o] = t[o] * prod of its group; d/d src[i] = t[o] * the others --------
def build_scatter_prod(rng):
    src = normal(rng, (5,))
    src[3] = 0.0  # a zero in the group of three
    return ((lambda t, s: ag.scatter_reduce(t, 0, INDEX, s, "prod")),
            (_leaf(normal(rng, (3,))), _leaf(src)))


def jacobians_scatter_prod(t, src):
    group = np.array([np.prod(src[INDEX == o]) for o in range(3)])
    d_src = np.zeros((3, 5))
    for i, o in enumerate(INDEX):
        d_src[o, i] = t[o] * np.prod(np.delete(src, i)[np.delete(INDEX, i) == o])
    return np.diag(group), d_src


# -- scatter_reduce amax: the gradient of each position goes to its largest entry ---------------
def build_scatter_amax(rng):
    values = spaced(rng, (8,))
    return ((lambda t, s: ag.scatter_reduce(t, 0, INDEX, s, "amax")),
            (_leaf(values[:3]), _leaf(values[3:])))


def jacobians_scatter_amax(t, src):
    d_t, d_src = np.zeros((3, 3)), np.zeros((3, 5))
    for o in range(3):
        members = np.flatnonzero(INDEX == o)
        if members.size and src[members].max() > t[o]:
            d_src[o, members[np.argmax(src[members])]] = 1.0
        else:
            d_t[o, o] = 1.0
    return d_t, d_src
