"""Inverting: inv, solve, pinv, and matrix_power (a product of matmuls and inverses).

Every function works on a stack of matrices as NumPy's linalg does: the last two axes are the
matrix, the leading ones a batch (broadcast between the operands of solve).
"""

import numbers

import numpy as np

from .. import dtypes
from ..function import Function
from ..tensor_base import array_of
from .linalg_common import check_matrix, factor, mT
from .select import clone, where


class Inv(Function):
    """inv(A). With Y = A^-1, dY = -Y dA Y, so for upstream G: dA = -Y^T G Y^T."""

    __slots__ = ()
    array_backward = True

    @staticmethod
    def forward(ctx, a):
        a = check_matrix("inv", "a", a, square=True)
        y = factor("inv", "a", a, "singular", np.linalg.inv)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        y_t = mT(y)
        return -(y_t @ g @ y_t)


def inv(a):
    """The inverse of a square matrix (or of each in a stack).

    >>> ag.linalg.inv(ag.tensor([[2.0, 0.0], [0.0, 4.0]]))   # [[0.5, 0], [0, 0.25]]

    Raises ValueError for a non-square `a`, LinAlgError (a ValueError) for a singular one.
    """
    return Inv.apply(a)


class Solve(Function):
    """solve(A, B) = A^-1 B. With X = A^-1 B and upstream G: dB = A^-T G and dA = -dB X^T."""

    __slots__ = ("vector",)
    array_backward = True

    @staticmethod
    def forward(ctx, a, b):
        a = check_matrix("solve", "a", a, square=True)
        b = _check_right_side(a, b)
        x = factor("solve", "a", a, "singular", np.linalg.solve, b)
        ctx.vector = np.ndim(b) == 1
        ctx.save_for_backward(a, x)
        return x

    @staticmethod
    def backward(ctx, g):
        a, x = ctx.saved_tensors
        if ctx.vector:  # b of shape (M,): its columns are one column
            g, x = g[..., None], x[..., None]
        gb = solve(mT(a), g)
        ga = -(gb @ mT(x)) if ctx.edges[0] is not None else None
        if ctx.vector:
            gb = gb[..., 0]
        return ga, (gb if ctx.edges[1] is not None else None)


def _check_right_side(a, b):
    """NumPy 2's rule: b is one vector only when it is 1-D, else a stack of (M, K) matrices."""
    a_shape, b_shape = np.shape(a), np.shape(b)
    if len(b_shape) == 0:
        raise ValueError(f"solve: argument 'b' must be a vector (M,) or matrices (..., M, K), "
                         f"got shape {b_shape}")
    rows = b_shape[0] if len(b_shape) == 1 else b_shape[-2]
    if rows != a_shape[-1]:
        raise ValueError(f"solve: argument 'b' of shape {b_shape} does not match argument 'a' "
                         f"of shape {a_shape}: b needs {a_shape[-1]} rows, has {rows}")
    if len(b_shape) > 1:
        try:
            np.broadcast_shapes(a_shape[:-2], b_shape[:-2])
        except ValueError:
            raise ValueError(f"solve: the batch axes of argument 'a' of shape {a_shape} and "
                             f"argument 'b' of shape {b_shape} cannot be broadcast together"
                             ) from None
    return dtypes.floating(b)


def solve(a, b):
    """The solution x of a x = b; `b` is one vector when 1-D, else a stack of matrices (as
    NumPy 2), and batch axes broadcast.

    >>> ag.linalg.solve(ag.tensor([[2.0, 0.0], [0.0, 4.0]]), ag.tensor([1.0, 1.0]))  # [0.5, 0.25]

    Raises ValueError for mismatched shapes, LinAlgError (a ValueError) for a singular `a`.
    """
    return Solve.apply(a, b)


class Pinv(Function):
    """The Moore-Penrose pseudo-inverse P = A^+. Its derivative where the rank of A is locally
    constant (full rank, say; Golub and Pereyra 1973):
        dP = -P dA P + P P^T dA^T (I - A P) + (I - P A) dA^T P^T P,
    so for upstream G: dA = -P^T G P^T + (I - A P) G^T P P^T + P^T P G^T (I - P A)."""

    __slots__ = ()
    array_backward = True

    @staticmethod
    def forward(ctx, a, rcond=None, rtol=None):
        a = check_matrix("pinv", "a", a)
        options = {} if rtol is None else {"rtol": rtol}
        if rcond is not None:
            options["rcond"] = rcond
        p = factor("pinv", "a", a, "not decomposable", np.linalg.pinv, **options)
        ctx.save_for_backward(a, p)
        return p

    @staticmethod
    def backward(ctx, g):
        a, p = ctx.saved_tensors
        p_t, g_t = mT(p), mT(g)
        rows = (g_t - a @ (p @ g_t)) @ (p @ p_t)  # (I - A P) G^T P P^T
        columns = (p_t @ p) @ (g_t - (g_t @ p) @ a)  # P^T P G^T (I - P A)
        return rows + columns - p_t @ g @ p_t


def pinv(a, rcond=None, hermitian=False, *, rtol=None):
    """The pseudo-inverse of a matrix (or of each in a stack), with NumPy's cut-off for small
    singular values (`rcond` or `rtol`). Differentiable where the rank is locally constant
    (full-rank matrices): at a rank-deficient matrix the pseudo-inverse is not continuous.

    >>> ag.linalg.pinv(ag.tensor([[1.0], [1.0]]))             # [[0.5, 0.5]]
    """
    if hermitian:
        raise ValueError("pinv: hermitian=True reads only one triangle of 'a', so it is not "
                         "differentiable in every entry; call pinv(a) on the full matrix")
    return Pinv.apply(a, rcond=rcond, rtol=rtol)


def matrix_power(a, n):
    """A^n for an integer n, by repeated squaring (matmuls); a negative n inverts first, and
    A^0 is the identity, as where(True, I, A): it keeps A's history with a zero gradient
    (PyTorch's result for n = 0 has a history too).

    >>> ag.linalg.matrix_power(ag.tensor([[1.0, 1.0], [0.0, 1.0]]), 3)   # [[1, 3], [0, 1]]
    """
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral):
        raise TypeError(f"matrix_power: the exponent n must be an integer, got {n!r}")
    data = check_matrix("matrix_power", "a", array_of(a), square=True)
    if n == 0:
        identity = np.broadcast_to(np.eye(data.shape[-1], dtype=data.dtype), data.shape)
        return where(np.ones(data.shape, dtype=bool), identity, a)
    base = inv(a) if n < 0 else a
    bits = bin(abs(int(n)))[:1:-1]  # binary digits, lowest first: A^n = prod A^(2^k)
    result = None
    for k, bit in enumerate(bits):
        if bit == "1":
            result = base if result is None else result @ base
        if k + 1 < len(bits):
            base = base @ base
    return clone(result) if result is a else result  # a new tensor, never the input itself
