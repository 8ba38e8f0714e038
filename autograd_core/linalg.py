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
`np.linalg.inv(t)` and the other NumPy names run these functions (numpy_api.py).
"""

from .functions import with_tensor_arguments
from .ops import linalg_decompose, linalg_det, linalg_inverse, linalg_norm
from .ops.linalg_common import LinAlgError

inv = with_tensor_arguments(linalg_inverse.inv)
solve = with_tensor_arguments(linalg_inverse.solve, (0, 1))
pinv = with_tensor_arguments(linalg_inverse.pinv)
matrix_power = with_tensor_arguments(linalg_inverse.matrix_power)
det = with_tensor_arguments(linalg_det.det)
slogdet = with_tensor_arguments(linalg_det.slogdet)
cholesky = with_tensor_arguments(linalg_decompose.cholesky)
qr = with_tensor_arguments(linalg_decompose.qr)
eigh = with_tensor_arguments(linalg_decompose.eigh)
svd = with_tensor_arguments(linalg_decompose.svd)
norm = with_tensor_arguments(linalg_norm.norm)
vector_norm = with_tensor_arguments(linalg_norm.vector_norm)
matrix_norm = with_tensor_arguments(linalg_norm.matrix_norm)

__all__ = ["LinAlgError", "cholesky", "det", "eigh", "inv", "matrix_norm", "matrix_power",
           "norm", "pinv", "qr", "slogdet", "solve", "svd", "vector_norm"]
