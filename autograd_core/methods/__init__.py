"""Tensor's methods with NumPy's names, each a one-line call into its op, grouped by family.
Tensor (tensor.py) inherits them all; a family of new ops adds its methods to its module here."""

from .elementwise import ElementwiseMethods
from .reductions import ReductionMethods
from .shapes import ShapeMethods


class Methods(ElementwiseMethods, ReductionMethods, ShapeMethods):
    __slots__ = ()
