"""Tensor's shape and view methods (`t.reshape(2, 3)`, `t.T`, `t.diagonal()`, ...) and the
matrix product: each a call into its op."""

from .. import ops as op
from ..ops.linalg import MatMul

_matmul = MatMul.apply


class ShapeMethods:
    __slots__ = ()

    def reshape(self, *shape):
        return op.reshape(self, _shape_arg(shape))

    def view(self, *shape):
        return op.view(self, _shape_arg(shape))

    def transpose(self, *axes):
        return op.transpose(self, _shape_arg(axes) if axes else None)

    def permute(self, *axes):
        return op.transpose(self, _shape_arg(axes))

    def swapaxes(self, axis1, axis2):
        return op.swapaxes(self, axis1, axis2)

    def moveaxis(self, source, destination):
        return op.moveaxis(self, source, destination)

    def flatten(self):
        return op.flatten(self)

    def squeeze(self, axis=None):
        return op.squeeze(self, axis)

    def expand_dims(self, axis):
        return op.expand_dims(self, axis)

    def unsqueeze(self, axis):  # PyTorch's name: t.unsqueeze(dim)
        return op.expand_dims(self, axis)

    def broadcast_to(self, *shape):
        return op.broadcast_to(self, _shape_arg(shape))

    def diagonal(self, offset=0, axis1=0, axis2=1):
        return op.diagonal(self, offset, axis1, axis2)

    def matmul(self, other):
        return _matmul(self, other)


def _shape_arg(args):
    """reshape(2, 3) and reshape((2, 3)) mean the same, as in NumPy's methods."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    return tuple(args)
