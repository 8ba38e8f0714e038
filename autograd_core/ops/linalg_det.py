"""Determinants: det and slogdet, of a square matrix or of each in a stack."""

import numpy as np

from ..function import Function
from ..tensor_base import array_of
from .join import stack
from .linalg_common import LinAlgError, SlogdetResult, check_matrix, mT
from .linalg_decompose import svd
from .linalg_inverse import inv

# Jacobi's formula det(A) A^-T loses its accuracy near a singular matrix, where A^-1 grows like
# 1 / s_min while det(A) shrinks like s_min (measured: on 3 x 3 matrices with one column within
# 1e-13 of dependence its first derivative already fails gradcheck). Below this ratio
# |det A| / prod_j ||A e_j|| (at most 1 by Hadamard's inequality, unchanged by scaling a column)
# the cofactors come from an SVD instead, which passes to second order down to exact
# singularity (tests/autograd_core/test_linalg.py).
NEARLY_SINGULAR = 1e-6


class Det(Function):
    """det(A). Its gradient is the cofactor matrix adj(A)^T, which is det(A) A^-T where A is
    invertible (Jacobi's formula). At a singular matrix A^-T does not exist but the cofactors
    do: a batch holding a singular (or nearly singular, NEARLY_SINGULAR) matrix takes them from
    an SVD, as PyTorch does at singular matrices: A = U S Vh gives
    adj(A)^T = det(U) det(Vh) U diag(prod_{j != i} s_j) Vh.
    Through that path the second derivative needs distinct singular values (rank n - 1 with
    distinct nonzero ones, say); at rank n - 2 or less the cofactors are 0."""

    __slots__ = ()
    array_backward = True

    @staticmethod
    def forward(ctx, a):
        a = check_matrix("det", "a", a, square=True)
        d = np.linalg.det(a)
        ctx.save_for_backward(a, d)
        return d

    @staticmethod
    def backward(ctx, g):
        a, d = ctx.saved_tensors
        columns = np.prod(np.linalg.norm(array_of(a), axis=-2), axis=-1)
        if np.all(np.abs(array_of(d)) > NEARLY_SINGULAR * columns):
            return (g * d)[..., None, None] * mT(inv(a))
        return g[..., None, None] * cofactors(a)


def cofactors(a):
    """adj(a)^T, the matrix of cofactors, from an SVD (defined for singular matrices too)."""
    n = a.shape[-1]
    if n == 1:
        return np.ones(a.shape, dtype=a.dtype)  # the cofactor of a 1 x 1 matrix is 1
    u, s, vh = svd(a)
    signs = np.linalg.det(array_of(u)) * np.linalg.det(array_of(vh))  # +-1: no gradient
    products = []
    for i in range(n):  # prod_{j != i} s_j without dividing by s_i, which may be 0
        others = [s[..., j] for j in range(n) if j != i]
        product = others[0]
        for factor in others[1:]:
            product = product * factor
        products.append(product)
    return (u * stack(products, axis=-1)[..., None, :]) @ vh * signs[..., None, None]


def det(a):
    """The determinant of a square matrix (or of each in a stack).

    >>> ag.linalg.det(ag.tensor([[2.0, 1.0], [1.0, 3.0]]))            # 5.0

    Its gradient is det(a) a^-T, and the cofactor matrix at a singular `a` (Det's docstring).
    """
    return Det.apply(a)


class SlogDet(Function):
    """(sign, log |det A|). d log|det A| / dA = A^-T; the sign is piecewise constant and gets no
    gradient. At a singular A, log|det A| = -inf has no gradient: backward raises."""

    __slots__ = ()
    array_backward = True

    @staticmethod
    def forward(ctx, a):
        a = check_matrix("slogdet", "a", a, square=True)
        sign, logabsdet = np.linalg.slogdet(a)
        ctx.save_for_backward(a)
        return sign, logabsdet

    @staticmethod
    def backward(ctx, g_sign, g_logabsdet):
        (a,) = ctx.saved_tensors
        try:
            a_inv = inv(a)
        except LinAlgError:
            raise LinAlgError(f"slogdet: argument 'a' of shape {a.shape} is singular, where "
                              "logabsdet is -inf and has no gradient") from None
        return g_logabsdet[..., None, None] * mT(a_inv)


def slogdet(a):
    """The sign and the log of the absolute value of the determinant, (sign, logabsdet), which
    keeps its precision where det would overflow or underflow.

    >>> sign, logabsdet = ag.linalg.slogdet(ag.tensor([[-2.0, 0.0], [0.0, 3.0]]))  # -1, log 6
    """
    sign, logabsdet = SlogDet.apply(a)
    return SlogdetResult(sign, logabsdet)
