"""How `verify` checks the linear-algebra primitives (ag.linalg), with the Jacobians derived by
hand: the table `LINALG_CHECKS`, in the form of checks.py's `PRIMITIVE_CHECKS`.

Inputs are drawn away from singular matrices and repeated eigenvalues or singular values
(`inputs`). Cholesky and eigh read one triangle of their input and have the symmetric gradient,
so their checks differentiate a function of sym(X) = (X + X^T) / 2. Where a factorisation has
no short Jacobian, the check multiplies the factors back (Q R = A, L L^T = sym(X)): a function
whose Jacobian is known and that runs every term of the factorisation's backward.
"""

import numpy as np

import autograd_core as ag

from .checks import Check, leaf
from .inputs import (
    distinct_eigenvalues,
    distinct_singular_values,
    invertible,
    normal,
    positive_definite,
)


def _symmetric(x):
    return (x + x.swapaxes(-1, -2)) / 2


def _square(values, n=3):
    return lambda rng: (values(rng, (n, n)),)


def _check(op, values, hand=None):
    """A check of `op` on the arrays that `values(rng)` draws."""
    return Check(lambda rng: (op, tuple(leaf(v) for v in values(rng))), hand)


# -- hand-derived Jacobians ---------------------------------------------------------------------
def inverse_jacobian(a):
    """Y = A^-1: dY[i, j] / dA[p, q] = -Y[i, p] Y[q, j]."""
    y = np.linalg.inv(a)
    return -np.einsum("ip,qj->ijpq", y, y)


def cofactor_matrix(a):
    """d det(A) / dA = C, C[i, j] = (-1)^(i + j) det(A without row i and column j)."""
    n = a.shape[0]
    return np.array([[(-1) ** (i + j) * np.linalg.det(np.delete(np.delete(a, i, 0), j, 1))
                      for j in range(n)] for i in range(n)])


def solve_jacobians(a, b):
    """x = A^-1 b: dx[i] / dA[p, q] = -(A^-1)[i, p] x[q] and dx / db = A^-1."""
    y = np.linalg.inv(a)
    return -np.einsum("ip,q->ipq", y, y @ b), y


def pinv_jacobian(a):
    """For A of full column rank P = C A^T with C = (A^T A)^-1, so
    dP = -C dA^T A P - P dA P + C dA^T, and
    dP[i, j] / dA[p, q] = -C[i, q] (A P)[p, j] - P[i, p] P[q, j] + C[i, q] [j = p]."""
    c = np.linalg.inv(a.T @ a)
    p = c @ a.T
    return (-np.einsum("iq,pj->ijpq", c, a @ p) - np.einsum("ip,qj->ijpq", p, p)
            + np.einsum("iq,jp->ijpq", c, np.eye(a.shape[0])))


def symmetric_part_jacobian(x):
    """S = (X + X^T) / 2: dS[i, j] / dX[p, q] = ([i = p][j = q] + [i = q][j = p]) / 2."""
    eye = np.eye(x.shape[0])
    return 0.5 * (np.einsum("ip,jq->ijpq", eye, eye) + np.einsum("iq,jp->ijpq", eye, eye))


def eigenvalue_jacobian(x):
    """w: the eigenvalues of sym(X), v its eigenvectors: dw[k] / dX[p, q] = v[p, k] v[q, k]."""
    _, v = np.linalg.eigh(_symmetric(x))
    return np.einsum("pk,qk->kpq", v, v)


def singular_value_jacobian(a):
    """ds[k] / dA[p, q] = U[p, k] V[q, k]."""
    u, _, vh = np.linalg.svd(a, full_matrices=False)
    return np.einsum("pk,kq->kpq", u, vh)


def identity_jacobian(a):
    return np.eye(a.size)


# -- the functions checked ----------------------------------------------------------------------
def _singular(rng):
    a = invertible(rng, (3, 3))
    a[:, 0] = a[:, 1] + a[:, 2]  # rank 2: det(A) = 0 and A^-1 does not exist
    return (a,)


def _cholesky_product(x):
    lower = ag.linalg.cholesky(_symmetric(x))
    return lower @ lower.T


def _qr_product(a):
    q, r = ag.linalg.qr(a)
    return q @ r


def _eigh_product(x):
    w, v = ag.linalg.eigh(_symmetric(x))
    return (v * w) @ v.T


def _svd_product(a):
    u, s, vh = ag.linalg.svd(a)
    return (u * s) @ vh


def _tall(rng):
    return (distinct_singular_values(rng, (4, 3)),)


LINALG_CHECKS = {
    "Inv": _check(ag.linalg.inv, _square(invertible), inverse_jacobian),
    # Jacobi's formula d det(A) / dA = det(A) A^-T; at a singular A, the cofactor matrix
    "Det": _check(ag.linalg.det, _square(invertible),
                  lambda a: np.linalg.det(a) * np.linalg.inv(a).T),
    "Det (singular)": _check(ag.linalg.det, _singular, cofactor_matrix),
    "SlogDet": _check(lambda a: ag.linalg.slogdet(a).logabsdet, _square(invertible),
                      lambda a: np.linalg.inv(a).T),
    "Solve": _check(ag.linalg.solve, lambda rng: (invertible(rng, (3, 3)), normal(rng, (3,))),
                    solve_jacobians),
    "Pinv": _check(ag.linalg.pinv, _tall, pinv_jacobian),
    "Cholesky (L L^T)": _check(_cholesky_product, _square(positive_definite),
                               symmetric_part_jacobian),
    "QR (Q R)": _check(_qr_product, _tall, identity_jacobian),
    "Eigh (eigenvalues)": _check(lambda x: ag.linalg.eigh(_symmetric(x)).eigenvalues,
                                 _square(distinct_eigenvalues), eigenvalue_jacobian),
    "Eigh (V diag(w) V^T)": _check(_eigh_product, _square(distinct_eigenvalues),
                                   symmetric_part_jacobian),
    "SVD (singular values)": _check(lambda a: ag.linalg.svd(a, compute_uv=False), _tall,
                                    singular_value_jacobian),
    "SVD (U S Vh)": _check(_svd_product, lambda rng: (distinct_singular_values(rng, (3, 4)),),
                           identity_jacobian),
    # d ||x|| / dx = x / ||x||, and the cookbook's d ||X||_F^2 / dX = 2 X
    "VectorNorm": _check(ag.linalg.norm, lambda rng: (normal(rng, (5,)),),
                         lambda x: x / np.linalg.norm(x)),
    "VectorNorm (Frobenius squared)": _check(lambda x: ag.linalg.norm(x) ** 2,
                                             lambda rng: (normal(rng, (3, 4)),),
                                             lambda x: 2 * x),
}
