"""Embedding: a learned table of vectors, looked up by integer index."""

import numpy as np

import autograd_core as ag

from .. import _checks, init
from .. import functional as F
from ..module import Module, Parameter


class Embedding(Module):
    """Row i of `weight` (num_embeddings, embedding_dim) for each integer index i; starts N(0, 1).

    >>> emb = nn.Embedding(10, 3)
    >>> emb(np.array([[1, 2], [4, 9]])).shape     # (2, 2, 3)
    """

    def __init__(self, num_embeddings, embedding_dim, dtype=None):
        super().__init__()
        self.num_embeddings = _checks.size(num_embeddings, "num_embeddings", "Embedding")
        self.embedding_dim = _checks.size(embedding_dim, "embedding_dim", "Embedding")
        dtype = ag.get_default_dtype() if dtype is None else np.dtype(dtype)
        self.weight = Parameter(np.empty((self.num_embeddings, self.embedding_dim), dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self):
        """Draw the table from N(0, 1) again.  >>> emb.reset_parameters()"""
        init.normal_(self.weight)

    def forward(self, indices):
        where = f"Embedding({self.extra_repr()})"
        array = _checks.indices(indices, where)
        n = self.num_embeddings
        if array.size and (array.min() < 0 or array.max() >= n):
            bad = array[(array < 0) | (array >= n)].reshape(-1)[0]
            raise IndexError(
                f"{where}: index {bad} is out of range; indices must lie in [0, {n}) "
                f"(indices of shape {array.shape})"
            )
        return F.embedding(array, self.weight)

    def extra_repr(self):
        return f"{self.num_embeddings}, {self.embedding_dim}"

