"""MultiheadAttention with PyTorch's arguments, parameter names, shapes, initialisation and mask
conventions, so a PyTorch state dict loads one to one.

    head_i = softmax(q_i k_i^T / sqrt(d) + mask) v_i,   q = query W_q^T + b_q (k, v likewise),
    output = concat(head_1, ..., head_h) W_o^T + b_o,   d = embed_dim / num_heads

W_q, W_k, W_v are the three (E, E) blocks of in_proj_weight (3E, E), or q_proj_weight,
k_proj_weight, v_proj_weight when the keys and values have other widths (kdim, vdim).
"""

import numpy as np

import autograd_core as ag

from .. import _checks, init
from .. import functional as F
from ..functional.attention import additive_mask, attend
from ..module import Module, Parameter
from .linear import Linear


class MultiheadAttention(Module):
    """Attention of num_heads heads, each embed_dim / num_heads wide.

    >>> mha = nn.MultiheadAttention(16, 4, batch_first=True)
    >>> x = ag.randn(2, 5, 16)
    >>> out, weights = mha(x, x, x)               # out (2, 5, 16), weights (2, 5, 5)

    Inputs are (L, N, E) (or (N, L, E) with batch_first=True, or (L, E) unbatched); key and
    value have S positions. Masks as PyTorch's: key_padding_mask (N, S) and attn_mask (L, S) or
    (N * num_heads, L, S); a bool True means "may NOT attend" (the opposite of
    F.scaled_dot_product_attention), a float mask is added to the scores. The weights returned
    are averaged over the heads unless average_attn_weights=False, and None when
    need_weights=False. Dropout acts on the weights in training.
    """

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False,
                 add_zero_attn=False, kdim=None, vdim=None, batch_first=False, dtype=None):
        super().__init__()
        where = "MultiheadAttention"
        self.embed_dim = _checks.size(embed_dim, "embed_dim", where)
        self.num_heads = _checks.size(num_heads, "num_heads", where)
        if num_heads == 0 or embed_dim % num_heads:
            raise ValueError(f"{where}: embed_dim={embed_dim} must be divisible by "
                             f"num_heads={num_heads}")
        _checks.probability(dropout, where, "dropout")
        self.kdim = embed_dim if kdim is None else _checks.size(kdim, "kdim", where)
        self.vdim = embed_dim if vdim is None else _checks.size(vdim, "vdim", where)
        self.head_dim = embed_dim // num_heads
        self.dropout, self.batch_first = dropout, bool(batch_first)
        self.add_zero_attn = bool(add_zero_attn)
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        dtype = ag.get_default_dtype() if dtype is None else np.dtype(dtype)
        E = embed_dim

        def parameter(*shape):
            return Parameter(np.empty(shape, dtype=dtype))

        if self._qkv_same_embed_dim:
            self.in_proj_weight = parameter(3 * E, E)
            for name in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
                self.register_parameter(name, None)
        else:
            self.q_proj_weight = parameter(E, E)
            self.k_proj_weight = parameter(E, self.kdim)
            self.v_proj_weight = parameter(E, self.vdim)
            self.register_parameter("in_proj_weight", None)
        self.register_parameter("in_proj_bias", parameter(3 * E) if bias else None)
        self.out_proj = Linear(E, E, bias=bias, dtype=dtype)
        for name in ("bias_k", "bias_v"):
            self.register_parameter(name, parameter(1, 1, E) if add_bias_kv else None)
        self._reset_parameters()

    def _reset_parameters(self):
        """PyTorch's start: Xavier-uniform projections, zero biases, Xavier-normal bias_k/v
        (out_proj.weight keeps Linear's own initialisation)."""
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            for weight in (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
                init.xavier_uniform_(weight)
        if self.in_proj_bias is not None:
            init.zeros_(self.in_proj_bias)
            init.zeros_(self.out_proj.bias)
        if self.bias_k is not None:
            init.xavier_normal_(self.bias_k)
            init.xavier_normal_(self.bias_v)

    def _label(self):
        return f"MultiheadAttention({self.extra_repr()})"

    # -- inputs --------------------------------------------------------------------------------
    def _batch_major(self, query, key, value):
        """The three inputs as (N, L, E), (N, S, kdim), (N, S, vdim) and whether they had N."""
        where = self._label()
        tensors = [t if isinstance(t, ag.Tensor) else _checks.tensor(t, name, where)
                   for t, name in ((query, "query"), (key, "key"), (value, "value"))]
        ndims = {t.ndim for t in tensors}
        if len(ndims) != 1 or ndims - {2, 3}:
            raise ValueError(
                f"{where}: query, key and value must all be 3-D (batched) or all 2-D "
                f"(unbatched), got shapes {[t.shape for t in tensors]}"
            )
        batched = ndims == {3}
        if not batched:
            tensors = [t.expand_dims(0) for t in tensors]
        elif not self.batch_first:
            tensors = [t.swapaxes(0, 1) for t in tensors]
        q, k, v = tensors
        widths = (self.embed_dim, self.kdim, self.vdim)
        if (q.shape[-1], k.shape[-1], v.shape[-1]) != widths:
            raise ValueError(f"{where}: query, key and value have {q.shape[-1]}, {k.shape[-1]} "
                             f"and {v.shape[-1]} features, expected {widths} "
                             "(embed_dim, kdim, vdim)")
        if k.shape[:2] != v.shape[:2] or q.shape[0] != k.shape[0]:
            raise ValueError(f"{where}: key {key.shape} and value {value.shape} must have one "
                             f"batch size and length, and the batch of query {query.shape}")
        return q, k, v, batched

    def _mask(self, attn_mask, key_padding_mask, batch, length, source, batched, dtype):
        """One additive mask of shape broadcasting to (N, heads, L, S), or None."""
        where, heads = self._label(), self.num_heads
        mask = None
        if attn_mask is not None:
            shape = np.shape(attn_mask.data if isinstance(attn_mask, ag.Tensor) else attn_mask)
            three = (batch * heads if batched else heads, length, source)
            if shape not in ((length, source), three):
                raise ValueError(f"{where}: attn_mask has shape {shape}, expected "
                                 f"{(length, source)} or {three}")
            mask = additive_mask(attn_mask, False, dtype, where)
            if len(shape) == 3:
                mask = mask.reshape(batch, heads, length, source)
        if key_padding_mask is not None:
            shape = np.shape(key_padding_mask.data if isinstance(key_padding_mask, ag.Tensor)
                             else key_padding_mask)
            expected = (batch, source) if batched else (source,)
            if shape != expected:
                raise ValueError(f"{where}: key_padding_mask has shape {shape}, expected "
                                 f"{expected} = ({'N, ' if batched else ''}S)")
            padding = additive_mask(key_padding_mask, False, dtype, where, "key_padding_mask")
            padding = padding.reshape(batch, 1, 1, source)
            mask = padding if mask is None else mask + padding
        return mask

    # -- forward -------------------------------------------------------------------------------
    def _project(self, q, k, v):
        E, bias = self.embed_dim, self.in_proj_bias
        b_q, b_k, b_v = (None,) * 3 if bias is None else (bias[:E], bias[E:2 * E], bias[2 * E:])
        if self._qkv_same_embed_dim:
            weight = self.in_proj_weight
            if q is k and k is v:  # self-attention: one product with the stacked weight
                return ag.split(F.linear(q, weight, bias), 3, axis=-1)
            w_q, w_k, w_v = weight[:E], weight[E:2 * E], weight[2 * E:]
        else:
            w_q, w_k, w_v = self.q_proj_weight, self.k_proj_weight, self.v_proj_weight
        return F.linear(q, w_q, b_q), F.linear(k, w_k, b_k), F.linear(v, w_v, b_v)

    def _heads(self, x):
        """(N, L, E) -> (N, heads, L, head_dim)."""
        n, length, _ = x.shape
        return x.reshape(n, length, self.num_heads, self.head_dim).swapaxes(1, 2)

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True,
                attn_mask=None, average_attn_weights=True, is_causal=False):
        if is_causal and attn_mask is None:
            raise ValueError(f"{self._label()}: is_causal=True is a hint that attn_mask is the "
                             "causal mask (as in PyTorch); pass attn_mask too")
        q, k, v, batched = self._batch_major(query, key, value)
        batch, length, source = q.shape[0], q.shape[1], k.shape[1]
        same = query is key and key is value
        q, k, v = self._project(q, q, q) if same else self._project(q, k, v)
        dtype = q.dtype
        mask = self._mask(attn_mask, key_padding_mask, batch, length, source, batched, dtype)
        if self.bias_k is not None:  # one more key and value, that every query may see
            k = ag.concatenate([k, self.bias_k.broadcast_to((batch, 1, self.embed_dim))], axis=1)
            v = ag.concatenate([v, self.bias_v.broadcast_to((batch, 1, self.embed_dim))], axis=1)
            mask = _pad_keys(mask)
        q, k, v = self._heads(q), self._heads(k), self._heads(v)
        if self.add_zero_attn:  # and a zero key and value
            zeros = ag.zeros(batch, self.num_heads, 1, self.head_dim, dtype=dtype)
            k, v = ag.concatenate([k, zeros], axis=2), ag.concatenate([v, zeros], axis=2)
            mask = _pad_keys(mask)
        p = self.dropout if self.training else 0.0
        heads, weights = attend(q, k, v, mask, p)
        merged = heads.swapaxes(1, 2).reshape(batch, length, self.embed_dim)
        output = self.out_proj(merged)
        if not batched:
            output, weights = output[0], weights[0]
        elif not self.batch_first:
            output = output.swapaxes(0, 1)
        if not need_weights:
            return output, None
        return output, (weights.mean(axis=-3) if average_attn_weights else weights)

    def extra_repr(self):
        text = f"embed_dim={self.embed_dim}, num_heads={self.num_heads}"
        if self.dropout:
            text += f", dropout={self.dropout}"
        if self.batch_first:
            text += ", batch_first=True"
        return text


def _pad_keys(mask):
    """The mask with one more key position that every query may attend (a zero column)."""
    if mask is None:
        return None
    if not isinstance(mask, ag.Tensor):
        return np.concatenate([mask, np.zeros(mask.shape[:-1] + (1,), mask.dtype)], axis=-1)
    column = ag.zeros(*mask.shape[:-1], 1, dtype=mask.dtype)
    return ag.concatenate([mask, column], axis=-1)
