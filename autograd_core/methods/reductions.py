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
