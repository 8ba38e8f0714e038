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

    def flip(self, axis=None):
        return op.flip(self, axis)

    def roll(self, shift, axis=None):
        return op.roll(self, shift, axis)

    def rot90(self, k=1, axes=(0, 1)):
        return op.rot90(self, k, axes)

    def tile(self, *reps):
        return op.tile(self, _shape_arg(reps))

    def repeat(self, repeats, axis=None):
        """NumPy's repeat (each element `repeats` times), not PyTorch's (which tiles)."""
        return op.repeat(self, repeats, axis)

    def pad(self, pad_width, mode="constant", constant_values=0):
        return op.pad(self, pad_width, mode, constant_values)

    def tril(self, k=0):
        return op.tril(self, k)

    def triu(self, k=0):
        return op.triu(self, k)

    def diag(self, k=0):
        return op.diag(self, k)

    def trace(self, offset=0, axis1=0, axis2=1):
        return op.trace(self, offset, axis1, axis2)

    def take(self, indices, axis=None, mode="raise"):
        return op.take(self, indices, axis, mode)

    def take_along_axis(self, indices, axis=-1):
        return op.take_along_axis(self, indices, axis)

    def scatter_add(self, axis, index, src):
        return op.scatter_add(self, axis, index, src)

    def scatter_reduce(self, axis, index, src, reduce, include_self=True):
        return op.scatter_reduce(self, axis, index, src, reduce, include_self)

    def outer(self, other):
        return op.outer(self, other)

    def inner(self, other):
        return op.inner(self, other)

    def dot(self, other):
        return op.dot(self, other)

    def kron(self, other):
        return op.kron(self, other)

    def cross(self, other, axis=-1):
        return op.cross(self, other, axis=axis)


def _shape_arg(args):
    """reshape(2, 3) and reshape((2, 3)) mean the same, as in NumPy's methods."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    return tuple(args)
