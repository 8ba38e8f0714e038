"""Factorisations: cholesky, qr, eigh, svd (the last three return several outputs).

Each backward is the standard one for real matrices (as PyTorch's), written with matmuls and
this package's own ops, so that it is differentiable again. Where a factorisation reads only one
triangle of its input (cholesky, eigh), the gradient is the symmetric one: it is right for a
function of a symmetric matrix, and a gradient check perturbs a symmetric input, (X + X^T) / 2
or X X^T, rather than single entries of A.
"""

import numpy as np

from ..function import Function
from ..tensor_base import array_of
from .join import concatenate
from .linalg_common import (
    EighResult,
    QRResult,
    SVDResult,
    absent,
    check_matrix,
    diag_embed,
    eye_like,
    factor,
    lower_mask,
    mT,
)
from .linalg_inverse import inv, solve


class Cholesky(Function):
    """A = L L^T with L lower triangular. For upstream G on L (Murray 2016, as PyTorch):
    P = tril(L^T G), dA = L^-T Phi L^-1 with Phi = (P + tril(P, -1)^T) / 2, the symmetric
    matrix whose lower half is P with its diagonal halved."""

    __slots__ = ("upper",)
    array_backward = True

    @staticmethod
    def forward(ctx, a, upper=False):
        a = check_matrix("cholesky", "a", a, square=True)
        y = factor("cholesky", "a", a, "not positive definite", np.linalg.cholesky, upper=upper)
        ctx.upper = upper
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        lower, g_lower = (mT(y), mT(g)) if ctx.upper else (y, g)
        p = (mT(lower) @ g_lower) * lower_mask(lower)
        phi = 0.5 * (p + mT(p * lower_mask(lower, -1)))
        lower_inv = inv(lower)
        return mT(lower_inv) @ phi @ lower_inv


def cholesky(a, upper=False):
    """The lower-triangular L with L L^T = a (upper=True: the upper U = L^T, with U^T U = a),
    for a symmetric positive-definite `a`; only its lower triangle is read, as NumPy does.

    >>> ag.linalg.cholesky(ag.tensor([[4.0, 2.0], [2.0, 2.0]]))      # [[2, 0], [1, 1]]

    Raises ValueError for a non-square `a`, LinAlgError (a ValueError) when it is not positive
    definite. The gradient is the symmetric one (module docstring).
    """
    return Cholesky.apply(a, upper=bool(upper))


class QR(Function):
    """A = Q R, reduced (Q: m x k orthonormal columns, R: k x n upper triangular, k = min(m, n)).
    For m >= n and upstream gQ, gR (Liao et al. 2019, as PyTorch):
        M = R gR^T - gQ^T Q,   dA = (gQ + Q copyltu(M)) R^-T,
    copyltu(M) being the symmetric matrix with M's lower triangle. For m < n, A = [X | Y] with X
    square: Q R_X = X and R = [R_X | Q^T Y], so gY = Q gR_Y and X takes the square case's
    gradient with gQ + Y gR_Y^T. It needs the first k columns of A independent (R invertible)."""

    __slots__ = ()
    array_backward = True

    @staticmethod
    def forward(ctx, a):
        a = check_matrix("qr", "a", a)
        q, r = factor("qr", "a", a, "not decomposable", np.linalg.qr, mode="reduced")
        ctx.save_for_backward(a, q, r)
        return q, r

    @staticmethod
    def backward(ctx, gq, gr):
        a, q, r = ctx.saved_tensors
        m, n = a.shape[-2:]
        if m >= n:
            return _qr_backward(q, r, gq, gr)
        y, gr_y = a[..., m:], gr[..., m:]
        gx = _qr_backward(q, r[..., :m], gq + y @ mT(gr_y), gr[..., :m])
        return concatenate([gx, q @ gr_y], axis=-1)


def _qr_backward(q, r, gq, gr):
    """The tall or square case of QR.backward."""
    m = r @ mT(gr) - mT(gq) @ q
    strictly_lower = m * lower_mask(m, -1)
    copyltu = strictly_lower + mT(strictly_lower) + m * eye_like(m)
    x = gq + q @ copyltu
    return mT(solve(r, mT(x)))  # x R^-T


def qr(a, mode="reduced"):
    """The QR decomposition a = Q R: Q with orthonormal columns, R upper triangular, as NumPy's
    (R's diagonal may be negative). mode="reduced" (NumPy's default) gives Q (..., m, k) and R
    (..., k, n), k = min(m, n); mode="r" gives only R; mode="complete" is accepted where it is the
    same (m <= n): for m > n its extra columns of Q are not unique, so not differentiable.

    >>> q, r = ag.linalg.qr(ag.tensor([[3.0, 1.0], [4.0, 2.0]]))     # q @ r == a

    The gradient needs R invertible (the first min(m, n) columns of a independent).
    """
    if mode not in ("reduced", "complete", "r"):
        raise ValueError(f"qr: mode must be 'reduced', 'complete' or 'r', got {mode!r}")
    shape = np.shape(array_of(a))
    if mode == "complete" and len(shape) >= 2 and shape[-2] > shape[-1]:
        raise ValueError(f"qr: mode='complete' for argument 'a' of shape {shape} (more rows "
                         "than columns) has extra columns of Q that are not unique, so it is "
                         "not differentiable; use mode='reduced'")
    q, r = QR.apply(a)
    return r if mode == "r" else QRResult(q, r)


class Eigh(Function):
    """A = V diag(w) V^T for a symmetric A. With F[i, j] = 1 / (w[j] - w[i]) off the diagonal,
    dA = V (diag(gw) + F o skew(V^T gV)) V^T, skew(X) = (X - X^T) / 2 (the symmetric gradient).
    F is infinite at repeated eigenvalues: there the eigenvectors are not unique and a loss
    that uses them has no gradient (inf/nan, as PyTorch); a loss of the eigenvalues alone
    skips F (its gV is absent) and is right there too."""

    __slots__ = ()
    array_backward = True

    @staticmethod
    def forward(ctx, a, UPLO="L"):  # noqa: N803  (NumPy's name)
        a = check_matrix("eigh", "a", a, square=True)
        w, v = factor("eigh", "a", a, "not decomposable", np.linalg.eigh, UPLO=UPLO)
        ctx.save_for_backward(w, v)
        return w, v

    @staticmethod
    def backward(ctx, gw, gv):
        w, v = ctx.saved_tensors
        inner = diag_embed(gw)
        if not absent(gv):
            vt_gv = mT(v) @ gv
            gaps = w[..., None, :] - w[..., :, None] + eye_like(w)  # w[j] - w[i]; 1 on diagonal
            inner = inner + 0.5 * (vt_gv - mT(vt_gv)) / gaps
        return v @ inner @ mT(v)


def eigh(a, UPLO="L"):  # noqa: N803  (NumPy's name)
    """Eigenvalues (ascending) and eigenvectors (columns) of a symmetric matrix, reading only
    its lower (UPLO="L") or upper ("U") triangle, as NumPy.

    >>> w, v = ag.linalg.eigh(ag.tensor([[2.0, 1.0], [1.0, 2.0]]))   # w == [1, 3]

    Gradients: of the eigenvalues everywhere; of the eigenvectors only for distinct eigenvalues
    and a loss that does not depend on each eigenvector's sign (Eigh's docstring).
    """
    if UPLO not in ("L", "U"):
        raise ValueError(f"eigh: UPLO must be 'L' or 'U', got {UPLO!r}")
    w, v = Eigh.apply(a, UPLO=UPLO)
    return EighResult(w, v)


class SVD(Function):
    """A = U diag(s) Vh, reduced (k = min(m, n) singular values, descending). With
    E[i, j] = s[j]^2 - s[i]^2 (1 on the diagonal), J = U^T gU and K = Vh gVh^T:
        dA = U [(J - J^T) / E S + S (K - K^T) / E + diag(gs)] Vh
             + (I - U U^T) gU S^-1 Vh + U S^-1 gVh (I - Vh^T Vh),
    the last two terms only for tall (m > k) and wide (n > k) matrices. Repeated (or, for the
    last two terms, zero) singular values make the terms of gU and gVh infinite, as PyTorch;
    a loss of s alone skips them and is right everywhere (U diag(gs) Vh)."""

    __slots__ = ("full",)
    array_backward = True

    @staticmethod
    def forward(ctx, a, full_matrices=False):
        a = check_matrix("svd", "a", a)
        u, s, vh = factor("svd", "a", a, "not decomposable", np.linalg.svd,
                          full_matrices=full_matrices)
        ctx.full = full_matrices
        ctx.save_for_backward(u, s, vh)
        return u, s, vh

    @staticmethod
    def backward(ctx, gu, gs, gvh):
        u, s, vh = ctx.saved_tensors
        k = s.shape[-1]
        if ctx.full:  # the columns past k are any basis of a complement: they get no gradient
            u, gu, vh, gvh = u[..., :k], gu[..., :k], vh[..., :k, :], gvh[..., :k, :]
        s_row, s_column = s[..., :, None], s[..., None, :]
        inner = diag_embed(gs)
        use_u, use_vh = not absent(gu), not absent(gvh)
        if use_u or use_vh:
            gaps = s_column * s_column - s_row * s_row + eye_like(s)
        if use_u:
            j = mT(u) @ gu
            inner = inner + (j - mT(j)) / gaps * s_column
        if use_vh:
            kk = vh @ mT(gvh)
            inner = inner + s_row * ((kk - mT(kk)) / gaps)
        ga = u @ inner @ vh
        if use_u and u.shape[-2] > k:
            ga = ga + (gu - u @ (mT(u) @ gu)) / s_column @ vh
        if use_vh and vh.shape[-1] > k:
            ga = ga + u @ ((gvh - (gvh @ mT(vh)) @ vh) / s_row)
        return ga


def svd(a, full_matrices=False, compute_uv=True, hermitian=False):
    """The singular value decomposition a = U diag(S) Vh (S descending), of a matrix or of each
    in a stack; compute_uv=False returns S alone.

    >>> u, s, vh = ag.linalg.svd(ag.tensor([[3.0, 0.0], [0.0, -2.0]]))   # s == [3, 2]

    Unlike NumPy, full_matrices defaults to False: for m != n the extra columns of the full U
    (or rows of Vh) are any basis of a complement, so nothing about them is differentiable;
    with full_matrices=True they get no gradient (as PyTorch). Gradients: of S everywhere
    (U diag(gS) Vh); through U and Vh only for distinct, nonzero singular values and a loss
    that ignores the signs of the singular vectors (SVD's docstring).
    """
    if hermitian:
        raise ValueError("svd: hermitian=True reads only one triangle of 'a', so it is not "
                         "differentiable in every entry; call svd(a) on the full matrix")
    u, s, vh = SVD.apply(a, full_matrices=bool(full_matrices))
    return SVDResult(u, s, vh) if compute_uv else s
