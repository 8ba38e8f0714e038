"""Scaled dot-product attention, softmax(q k^T * scale + mask) v, with PyTorch's arguments and
mask conventions, as a composition of engine primitives (matmul, softmax, where, dropout).

A query row whose every key is masked out has no distribution to attend with; it gets zero
weights and a zero output (PyTorch's scaled_dot_product_attention does the same) instead of
the NaN a plain softmax over -inf would give.
"""

import math

import numpy as np

import autograd_core as ag

from .. import _checks
from .layers import dropout


def _tensor(x, name, where):
    return x if isinstance(x, ag.Tensor) else _checks.tensor(x, name, where)


def additive_mask(mask, allowed_when, dtype, where, name="attn_mask"):
    """A mask as something to add to the scores: a bool mask becomes 0 where a query may
    attend and -inf where it may not (`allowed_when` says which bool value allows); a float
    mask is added as it is (a Tensor keeps its history: a learned bias gets its gradient).

    >>> additive_mask(np.array([True, False]), True, np.float64, "sdpa")   # [0, -inf]
    """
    array = mask.data if isinstance(mask, ag.Tensor) else np.asarray(mask)
    if array.dtype == bool:
        return np.where(array == allowed_when, 0.0, -np.inf).astype(dtype)
    if not ag.dtypes.is_floating(array.dtype):
        raise TypeError(
            f"{where}: {name} must be bool or floating point, got dtype {array.dtype}"
        )
    return mask if isinstance(mask, ag.Tensor) else ag.tensor(array)


def attend(query, key, value, mask=None, dropout_p=0.0, scale=None):
    """(softmax(q k^T * scale + mask) v, the weights): the attention both the function and
    MultiheadAttention compute. `mask` is additive (see additive_mask) or None.

    >>> out, weights = attend(q, k, v)               # weights (..., L, S) sum to 1 over S
    """
    if scale is None:
        scale = 1.0 / math.sqrt(query.shape[-1]) if query.shape[-1] else 1.0
    scores = ag.matmul(query, key.swapaxes(-1, -2)) * scale
    if mask is not None:
        scores = scores + mask
    # Rows with every key masked: softmax over zeros instead of over -inf, then zero weights.
    dead = np.isneginf(scores.data).all(axis=-1, keepdims=True)
    if dead.any():
        scores = ag.where(dead, 0.0, scores)
    weights = ag.softmax(scores, axis=-1)
    if dead.any():
        weights = ag.where(dead, 0.0, weights)
    if dropout_p > 0:
        weights = dropout(weights, dropout_p, training=True)
    return ag.matmul(weights, value), weights


def _check_operands(query, key, value, where):
    for name, t in (("query", query), ("key", key), ("value", value)):
        if t.ndim < 2:
            raise ValueError(f"{where}: {name} must have at least 2 axes (..., length, features), "
                             f"got shape {t.shape}")
    if query.shape[-1] != key.shape[-1] or key.shape[-2] != value.shape[-2]:
        raise ValueError(
            f"{where}: query {query.shape}, key {key.shape} and value {value.shape} do not fit: "
            "expected (..., L, E), (..., S, E) and (..., S, Ev)"
        )
    try:
        batch = np.broadcast_shapes(query.shape[:-2], key.shape[:-2], value.shape[:-2])
    except ValueError:
        raise ValueError(f"{where}: the batch axes of query {query.shape}, key {key.shape} and "
                         f"value {value.shape} do not broadcast") from None
    return batch + (query.shape[-2], key.shape[-2])


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, scale=None):
    """softmax(query key^T * scale + mask) value, with scale = 1/sqrt(E) unless given.

    >>> q, k, v = ag.randn(2, 5, 8), ag.randn(2, 7, 8), ag.randn(2, 7, 3)
    >>> F.scaled_dot_product_attention(q, k, v).shape     # (2, 5, 3)

    query (..., L, E), key (..., S, E), value (..., S, Ev). attn_mask broadcasts to (..., L, S):
    a bool mask is True where a query may attend (PyTorch's convention here; MultiheadAttention
    uses the opposite), a float mask is added to the scores. is_causal=True lets query i see
    keys 0..i only (the lower triangle, aligned at the top left, as PyTorch's). Dropout with
    probability dropout_p acts on the weights whenever dropout_p > 0, drawing from ag.manual_seed's
    stream; pass 0.0 in evaluation.
    """
    where = "scaled_dot_product_attention"
    query, key, value = (_tensor(t, name, where)
                         for t, name in ((query, "query"), (key, "key"), (value, "value")))
    scores_shape = _check_operands(query, key, value, where)
    _checks.probability(dropout_p, where, "dropout_p")
    if is_causal:
        if attn_mask is not None:
            raise ValueError(f"{where}: give attn_mask or is_causal=True, not both")
        attn_mask = np.tri(*scores_shape[-2:], dtype=bool)
    mask = None
    if attn_mask is not None:
        shape = tuple(np.shape(attn_mask.data if isinstance(attn_mask, ag.Tensor) else attn_mask))
        try:
            fits = np.broadcast_shapes(shape, scores_shape) == scores_shape
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(f"{where}: attn_mask of shape {shape} does not broadcast to the "
                             f"scores' shape {scores_shape} = (..., L, S)")
        dtype = np.result_type(query.dtype, key.dtype)
        mask = additive_mask(attn_mask, True, dtype, where)
    return attend(query, key, value, mask, dropout_p, scale)[0]
