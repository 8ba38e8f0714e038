"""ag.linalg: NumPy's linear algebra on tensors, differentiable to any order where the function
is (see each function for where it is not: singular or rank-deficient matrices, repeated
eigenvalues or singular values).

>>> a = ag.tensor([[2.0, 1.0], [1.0, 3.0]], requires_grad=True)
>>> ag.linalg.det(a).backward(); a.grad          # det(a) a^-T = [[3, -1], [-1, 2]]

Each function takes a matrix or a stack of them (the last two axes), as NumPy's linalg does,
and its data arguments may be arrays (they become tensors, as for every ag function). The
functions with several results return NumPy's named tuples (sign/logabsdet, Q/R,
eigenvalues/eigenvectors, U/S/Vh). Bad shapes raise ValueError; a matrix that cannot be
factored raises `LinAlgError` (NumPy's, a ValueError), both naming the op, argument and shape.
The norms take PyTorch's `dim=`/`keepdim=` too, as every ag function with an axis does.
`np.linalg.inv(t)` and the other NumPy names run these functions (numpy_api.py).
"""

from .functions import with_tensor_arguments
from .ops import linalg_decompose, linalg_det, linalg_inverse, linalg_norm
from .ops.common import accepts_dim
from .ops.linalg_common import LinAlgError


def _public(function, data=(0,)):
    """As every ag function: data arguments made Tensors, and dim=/keepdim= for the norms."""
    return with_tensor_arguments(accepts_dim(function), data)


inv = _public(linalg_inverse.inv)
solve = _public(linalg_inverse.solve, (0, 1))
pinv = _public(linalg_inverse.pinv)
matrix_power = _public(linalg_inverse.matrix_power)
det = _public(linalg_det.det)
slogdet = _public(linalg_det.slogdet)
cholesky = _public(linalg_decompose.cholesky)
qr = _public(linalg_decompose.qr)
eigh = _public(linalg_decompose.eigh)
svd = _public(linalg_decompose.svd)
norm = _public(linalg_norm.norm)
vector_norm = _public(linalg_norm.vector_norm)
matrix_norm = _public(linalg_norm.matrix_norm)

__all__ = ["LinAlgError", "cholesky", "det", "eigh", "inv", "matrix_norm", "matrix_power",
           "norm", "pinv", "qr", "slogdet", "solve", "svd", "vector_norm"]
