"""Tensor's methods with NumPy's names, each a one-line call into its op, grouped by family.
Tensor (tensor.py) inherits them all; a family of new ops adds its methods to its module here.
Every method with an `axis` (`keepdims`, `axes`, `axis1`, ...) argument also takes PyTorch's
`dim=` (`keepdim=`, `dims=`, `dim1=`, ...): `_with_torch_names` below wraps them, so a new
method gets that by being here.

>>> ag.ones(2, 3).sum(dim=1, keepdim=True).shape        # (2, 1)
"""

import inspect

from ..ops.common import accepts_dim
from .elementwise import ElementwiseMethods
from .reductions import ReductionMethods
from .shapes import ShapeMethods


def _with_torch_names(cls):
    """The class, with each method that takes an axis argument wrapped by `accepts_dim`."""
    for name in dir(cls):
        method = inspect.getattr_static(cls, name)  # a staticmethod stays one (not a function)
        if inspect.isfunction(method) and not name.startswith("_"):
            setattr(cls, name, accepts_dim(method))
    return cls


@_with_torch_names
class Methods(ElementwiseMethods, ReductionMethods, ShapeMethods):
    __slots__ = ()
