"""Checks of the linear-algebra primitives (ag.linalg) for test_primitives.py's table.

Inputs are drawn a known distance from each op's singularities (autograd_cli.inputs): invertible
matrices for inv/det/solve, positive-definite ones for cholesky, distinct eigenvalues and
singular values for eigh and svd. Cholesky and eigh read one triangle and have the symmetric
gradient, so their checks perturb a symmetric matrix, sym(X) = (X + X^T) / 2. Losses of
eigenvectors and singular vectors do not depend on their signs (v * v, U diag(f(s)) Vh), where
the gradient is defined.
"""

import numpy as np
from hypothesis import strategies as st

import autograd_core as ag
from autograd_cli.inputs import (
    distinct_eigenvalues,
    distinct_singular_values,
    invertible,
    normal,
    positive_definite,
)
from tests.autograd_core.cases import Case, checks, leaf

SQUARE_SHAPES = [(1, 1), (3, 3), (2, 3, 3), (2, 1, 2, 2)]
RECTANGULAR_SHAPES = [(3, 3), (4, 2), (2, 4), (2, 3, 2), (2, 2, 3)]


def sym(x):
    return (x + x.swapaxes(-1, -2)) / 2


@checks("Inv")
def inv_case(draw, rng):
    shape = draw(st.sampled_from(SQUARE_SHAPES))
    form = draw(st.sampled_from(["ag.linalg", "np.linalg", "array"]))
    if form == "np.linalg":
        return Case(np.linalg.inv, (leaf(invertible(rng, shape)),))
    if form == "array":  # a constant matrix times the inverse of a tensor
        c = normal(rng, shape)
        return Case(lambda a: c @ ag.linalg.inv(a), (leaf(invertible(rng, shape)),))
    return Case(ag.linalg.inv, (leaf(invertible(rng, shape)),))


@checks("Det")
def det_case(draw, rng):
    shape = draw(st.sampled_from(SQUARE_SHAPES))
    if draw(st.booleans()):  # at a singular matrix the gradient is the cofactor matrix
        a = invertible(rng, shape)
        a[..., 0] = a[..., 1] * 2.0 if shape[-1] > 1 else 0.0
        return Case(ag.linalg.det, (leaf(a),))
    return Case(ag.linalg.det, (leaf(invertible(rng, shape)),))


@checks("SlogDet")
def slogdet_case(draw, rng):
    shape = draw(st.sampled_from(SQUARE_SHAPES))
    a = leaf(invertible(rng, shape))
    if draw(st.booleans()):  # both outputs; the sign has a zero derivative
        return Case(ag.linalg.slogdet, (a,))
    return Case(lambda a: ag.linalg.slogdet(a).logabsdet, (a,))


SOLVE_SHAPES = [  # (a, b): b one vector, a matrix, batches broadcast
    ((3, 3), (3,)),
    ((3, 3), (3, 2)),
    ((2, 3, 3), (3,)),
    ((2, 3, 3), (2, 3, 1)),
    ((2, 1, 3, 3), (4, 3, 2)),
    ((3, 3), (2, 3, 2)),
]


@checks("Solve")
def solve_case(draw, rng):
    shape_a, shape_b = draw(st.sampled_from(SOLVE_SHAPES))
    a, b = leaf(invertible(rng, shape_a)), leaf(normal(rng, shape_b))
    form = draw(st.sampled_from(["both", "a", "b"]))
    if form == "a":
        return Case(lambda a: ag.linalg.solve(a, b.data), (a,))
    if form == "b":
        return Case(lambda b: ag.linalg.solve(a.data, b), (b,))
    return Case(ag.linalg.solve, (a, b))


@checks("Pinv")
def pinv_case(draw, rng):
    shape = draw(st.sampled_from(RECTANGULAR_SHAPES))
    return Case(ag.linalg.pinv, (leaf(distinct_singular_values(rng, shape)),))


@checks("Cholesky")
def cholesky_case(draw, rng):
    shape = draw(st.sampled_from(SQUARE_SHAPES))
    upper = draw(st.booleans())
    return Case(lambda x: ag.linalg.cholesky(sym(x), upper=upper),
                (leaf(positive_definite(rng, shape)),))


@checks("QR")
def qr_case(draw, rng):
    shape = draw(st.sampled_from(RECTANGULAR_SHAPES))
    output = draw(st.sampled_from(["both", "Q", "R"]))
    a = leaf(distinct_singular_values(rng, shape))
    if output == "Q":
        return Case(lambda a: ag.linalg.qr(a).Q, (a,))
    if output == "R":
        return Case(lambda a: ag.linalg.qr(a, mode="r"), (a,))
    return Case(ag.linalg.qr, (a,))


@checks("Eigh")
def eigh_case(draw, rng):
    shape = draw(st.sampled_from(SQUARE_SHAPES))
    output = draw(st.sampled_from(["w", "w and v * v", "V f(w) V^T", "upper"]))
    x = leaf(distinct_eigenvalues(rng, shape))
    if output == "w":
        return Case(lambda x: ag.linalg.eigh(sym(x)).eigenvalues, (x,))
    if output == "upper":
        return Case(lambda x: ag.linalg.eigh(sym(x), UPLO="U").eigenvectors ** 2, (x,))
    if output == "V f(w) V^T":
        def f(x):
            w, v = ag.linalg.eigh(sym(x))
            return (v * w.sin()[..., None, :]) @ v.swapaxes(-1, -2)
        return Case(f, (x,))
    return Case(lambda x: (lambda w, v: (w, v * v))(*ag.linalg.eigh(sym(x))), (x,))


@checks("SVD")
def svd_case(draw, rng):
    shape = draw(st.sampled_from(RECTANGULAR_SHAPES))
    output = draw(st.sampled_from(["s", "U f(s) Vh", "U*U, s, Vh*Vh", "U Vh", "full"]))
    a = leaf(distinct_singular_values(rng, shape))
    if output == "s":
        return Case(lambda a: ag.linalg.svd(a, compute_uv=False), (a,))
    if output == "U f(s) Vh":
        def f(a):
            u, s, vh = ag.linalg.svd(a)
            return (u * (s * s)[..., None, :]) @ vh
        return Case(f, (a,))
    if output == "U Vh":
        return Case(lambda a: (lambda u, s, vh: u @ vh)(*ag.linalg.svd(a)), (a,))
    if output == "full":  # the columns past min(m, n) get no gradient: use only the first k
        k = min(shape[-2:])

        def f(a):
            u, s, vh = ag.linalg.svd(a, full_matrices=True)
            return u[..., :k] ** 2, s, vh[..., :k, :] ** 2
        return Case(f, (a,))
    return Case(lambda a: (lambda u, s, vh: (u * u, s, vh * vh))(*ag.linalg.svd(a)), (a,))


VECTOR_NORMS = [  # (shape, ord, axis)
    ((4,), 2, None),
    ((3, 4), 2, -1),
    ((3, 4), 1, 0),
    ((3, 4), 3, (0, 1)),
    ((2, 3, 4), 2.5, (0, 2)),
    ((3, 4), -1.5, 1),
    ((3, 4), 0.5, None),
    ((), 2, None),
]


@checks("VectorNorm")
def vector_norm_case(draw, rng):
    shape, order, axis = draw(st.sampled_from(VECTOR_NORMS))
    keepdims = draw(st.booleans())
    x = leaf(normal(rng, shape) + np.sign(normal(rng, shape)) * 0.3)  # no entry near 0
    form = draw(st.sampled_from(["vector_norm", "norm", "Frobenius"]))
    if form == "Frobenius" and len(shape) >= 2:
        return Case(lambda x: ag.linalg.matrix_norm(x, keepdims=keepdims), (x,))
    if form == "norm" and axis is not None and not isinstance(axis, tuple):
        return Case(lambda x: np.linalg.norm(x, order, axis, keepdims), (x,))
    return Case(lambda x: ag.linalg.vector_norm(x, order, axis, keepdims), (x,))
