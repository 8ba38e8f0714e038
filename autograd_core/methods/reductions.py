"""Tensor's reductions (`t.sum(axis=0)`, `t.softmax()`, ...): each a call into its op."""

from .. import ops as op


class ReductionMethods:
    __slots__ = ()

    def sum(self, axis=None, keepdims=False):
        return op.sum(self, axis, keepdims)

    def mean(self, axis=None, keepdims=False):
        return op.mean(self, axis, keepdims)

    def max(self, axis=None, keepdims=False):
        return op.max(self, axis, keepdims)

    def min(self, axis=None, keepdims=False):
        return op.min(self, axis, keepdims)

    def var(self, axis=None, keepdims=False, ddof=0):
        return op.var(self, axis, keepdims, ddof)

    def softmax(self, axis=-1):
        return op.softmax(self, axis)

    def log_softmax(self, axis=-1):
        return op.log_softmax(self, axis)

    def logsumexp(self, axis=None, keepdims=False):
        return op.logsumexp(self, axis, keepdims)

    def std(self, axis=None, keepdims=False, ddof=0):
        return op.std(self, axis, keepdims, ddof)

    def prod(self, axis=None, keepdims=False):
        return op.prod(self, axis, keepdims)

    def all(self, axis=None, keepdims=False):
        return op.all(self, axis, keepdims)

    def any(self, axis=None, keepdims=False):
        return op.any(self, axis, keepdims)

    def argmax(self, axis=None, keepdims=False):
        return op.argmax(self, axis, keepdims)

    def argmin(self, axis=None, keepdims=False):
        return op.argmin(self, axis, keepdims)

    def median(self, axis=None, keepdims=False):
        return op.median(self, axis, keepdims)

    def sort(self, axis=-1):
        """The sorted values (a new tensor, as ag.sort; NumPy's ndarray.sort sorts in place)."""
        return op.sort(self, axis)

    def argsort(self, axis=-1, kind=None, stable=None):
        return op.argsort(self, axis, kind, stable)

    def topk(self, k, axis=-1, largest=True, sorted=True):  # noqa: A002  (PyTorch's name)
        return op.topk(self, k, axis, largest, sorted)

    def cumsum(self, axis=None):
        return op.cumsum(self, axis)

    def cumprod(self, axis=None):
        return op.cumprod(self, axis)

    def logcumsumexp(self, axis):
        return op.logcumsumexp(self, axis)

    def cummax(self, axis):
        return op.cummax(self, axis)

    def cummin(self, axis):
        return op.cummin(self, axis)

    def diff(self, n=1, axis=-1, prepend=None, append=None):
        return op.diff(self, n, axis, prepend, append)
