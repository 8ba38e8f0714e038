"""Tests of nn/functional/attention.py and nn/layers/attention.py: attention against NumPy written
out by hand (no mask, causal, bool and float masks, fully masked rows, scale, dropout), PyTorch's
MultiheadAttention names, shapes, initialisation, masks and layouts, derivatives, state dicts,
and errors that name the layer, the argument and the shapes."""

import math

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck
from tests.nn.module_checks import check_module, leaf


def softmax_rows(scores):
    """Softmax over the last axis; a row with no finite score gets zero weights."""
    top = scores.max(axis=-1, keepdims=True)
    dead = np.isneginf(top)
    e = np.exp(scores - np.where(dead, 0.0, top))
    return np.where(dead, 0.0, e / np.where(dead, 1.0, e.sum(axis=-1, keepdims=True)))


def attention(q, k, v, allowed=None, added=None, scale=None):
    scale = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = q @ np.swapaxes(k, -1, -2) * scale
    if added is not None:
        scores = scores + added
    if allowed is not None:
        scores = np.where(allowed, scores, -np.inf)
    weights = softmax_rows(scores)
    return weights @ v, weights


def sdpa(q, k, v, **options):
    return F.scaled_dot_product_attention(ag.tensor(q), ag.tensor(k), ag.tensor(v), **options).data


@pytest.fixture
def qkv(rng):
    return (rng.standard_normal((2, 3, 5, 4)), rng.standard_normal((2, 3, 6, 4)),
            rng.standard_normal((2, 3, 6, 2)))


# -- scaled_dot_product_attention -----------------------------------------------------------------
def test_plain_attention_and_scale(qkv):
    q, k, v = qkv
    np.testing.assert_allclose(sdpa(q, k, v), attention(q, k, v)[0], rtol=1e-12)
    np.testing.assert_allclose(sdpa(q, k, v, scale=0.3), attention(q, k, v, scale=0.3)[0],
                               rtol=1e-12)


def test_causal_lets_query_i_see_keys_up_to_i(qkv):
    q, k, v = qkv
    out = sdpa(q, k, v, is_causal=True)
    for i in range(q.shape[-2]):  # one query row at a time, over its visible keys only
        row, _ = attention(q[..., i:i + 1, :], k[..., :i + 1, :], v[..., :i + 1, :])
        np.testing.assert_allclose(out[..., i, :], row[..., 0, :], rtol=1e-12)


def test_bool_mask_true_takes_part_and_float_mask_is_added(qkv, rng):
    q, k, v = qkv
    allowed = rng.random((5, 6)) > 0.4
    allowed[:, 0] = True
    np.testing.assert_allclose(sdpa(q, k, v, attn_mask=allowed),
                               attention(q, k, v, allowed=allowed)[0], rtol=1e-12)
    added = rng.standard_normal((3, 1, 6))  # broadcasts over the batch and the queries
    np.testing.assert_allclose(sdpa(q, k, v, attn_mask=added),
                               attention(q, k, v, added=added)[0], rtol=1e-12)
    minus_inf = np.where(allowed, 0.0, -np.inf)  # a float mask of -inf is a bool mask
    np.testing.assert_allclose(sdpa(q, k, v, attn_mask=minus_inf),
                               sdpa(q, k, v, attn_mask=allowed), rtol=1e-15)


def test_a_fully_masked_query_gets_zeros_not_nan(qkv):
    q, k, v = (leaf(a) for a in qkv)
    allowed = np.ones((5, 6), dtype=bool)
    allowed[2] = False
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
    np.testing.assert_array_equal(out.data[..., 2, :], 0.0)
    out.sum().backward()
    for t in (q, k, v):
        assert np.isfinite(t.grad.data).all()
    np.testing.assert_array_equal(q.grad.data[..., 2, :], 0.0)


def test_dropout_keeps_the_expectation_and_uses_the_projects_stream(rng):
    q, k, v = rng.standard_normal((1, 4)), rng.standard_normal((4, 4)), rng.standard_normal((4, 3))
    ag.manual_seed(5)
    first = sdpa(q, k, v, dropout_p=0.5)
    ag.manual_seed(5)
    np.testing.assert_array_equal(sdpa(q, k, v, dropout_p=0.5), first)
    np.testing.assert_array_equal(sdpa(q, k, v, dropout_p=1.0), 0.0)
    draws = np.mean([sdpa(q, k, v, dropout_p=0.5) for _ in range(4000)], axis=0)
    np.testing.assert_allclose(draws, attention(q, k, v)[0], atol=0.1)


@pytest.mark.parametrize("options", [{}, {"is_causal": True}, {"scale": 0.7},
                                     {"attn_mask": np.tri(3, 4, 1, dtype=bool)}])
def test_gradcheck_and_gradgradcheck(options, rng):
    q, k, v = (leaf(rng.standard_normal(s)) for s in ((2, 3, 2), (2, 4, 2), (2, 4, 3)))
    f = lambda q, k, v: F.scaled_dot_product_attention(q, k, v, **options)
    assert gradcheck(f, (q, k, v))
    assert gradgradcheck(f, (q, k, v))


def test_a_float_mask_is_differentiable_too(rng):
    q, k, v = (leaf(rng.standard_normal(s)) for s in ((3, 2), (4, 2), (4, 2)))
    bias = leaf(rng.standard_normal((3, 4)))  # a learned positional bias, say
    f = lambda q, k, v, b: F.scaled_dot_product_attention(q, k, v, attn_mask=b)
    assert gradcheck(f, (q, k, v, bias))
    assert gradgradcheck(f, (q, k, v, bias))


@pytest.mark.parametrize("options, shapes, error, message", [
    (dict(attn_mask=np.ones((5, 7), bool)), None, ValueError,
     r"attn_mask of shape \(5, 7\) does not broadcast to the scores' shape \(2, 3, 5, 6\)"),
    (dict(attn_mask=np.ones((2, 2, 5, 6), bool)), None, ValueError, r"\(2, 2, 5, 6\) does not"),
    (dict(attn_mask=np.ones((5, 6), bool), is_causal=True), None, ValueError,
     r"give attn_mask or is_causal=True, not both"),
    (dict(attn_mask=np.ones((5, 6), np.int64)), None, TypeError,
     r"attn_mask must be bool or floating point, got dtype int64"),
    (dict(dropout_p=1.5), None, ValueError, r"dropout_p must be a probability"),
    ({}, ((5, 4), (6, 3), (6, 2)), ValueError, r"query \(5, 4\), key \(6, 3\) and value \(6, 2\)"),
    ({}, ((5, 4), (6, 4), (7, 2)), ValueError, r"do not fit"),
    ({}, ((4,), (6, 4), (6, 2)), ValueError, r"query must have at least 2 axes"),
])
def test_sdpa_errors(options, shapes, error, message, qkv, rng):
    operands = qkv if shapes is None else [rng.standard_normal(s) for s in shapes]
    with pytest.raises(error, match=message):
        sdpa(*operands, **options)


# -- MultiheadAttention ---------------------------------------------------------------------------
def multihead(mha, query, key, value, masked=None, padding=None):
    """PyTorch's equations in NumPy on batch-first inputs; bool masks are True where a query
    may NOT attend (MultiheadAttention's convention). Returns the output and the weights."""
    E, h = mha.embed_dim, mha.num_heads
    w, b = mha.in_proj_weight.data, mha.in_proj_bias.data
    q, k, v = (x @ w[i * E:(i + 1) * E].T + b[i * E:(i + 1) * E]
               for i, x in enumerate((query, key, value)))

    def heads(x):  # (N, L, E) -> (N, h, L, d)
        return x.reshape(x.shape[0], x.shape[1], h, E // h).transpose(0, 2, 1, 3)

    allowed = np.ones((query.shape[0], 1, query.shape[1], key.shape[1]), dtype=bool)
    if masked is not None:
        allowed &= ~masked
    if padding is not None:
        allowed &= ~padding[:, None, None, :]
    out, weights = attention(heads(q), heads(k), heads(v), allowed=allowed)
    merged = out.transpose(0, 2, 1, 3).reshape(query.shape[0], query.shape[1], E)
    return merged @ mha.out_proj.weight.data.T + mha.out_proj.bias.data, weights


def test_names_shapes_and_initialisation():
    mha = nn.MultiheadAttention(8, 2)
    assert [(n, p.shape) for n, p in mha.named_parameters()] == [
        ("in_proj_weight", (24, 8)), ("in_proj_bias", (24,)), ("out_proj.weight", (8, 8)),
        ("out_proj.bias", (8,))]
    assert list(mha.state_dict()) == ["in_proj_weight", "in_proj_bias", "out_proj.weight",
                                      "out_proj.bias"]
    xavier = math.sqrt(6 / (8 + 24))  # Xavier-uniform on (3E, E)
    assert 0.9 * xavier < np.abs(mha.in_proj_weight.data).max() <= xavier
    np.testing.assert_array_equal(mha.in_proj_bias.data, 0)
    np.testing.assert_array_equal(mha.out_proj.bias.data, 0)
    assert np.abs(mha.out_proj.weight.data).max() <= 1 / math.sqrt(8)  # Linear's own start
    other = nn.MultiheadAttention(8, 2, kdim=3, vdim=5, add_bias_kv=True, bias=False)
    assert [(n, p.shape) for n, p in other.named_parameters()] == [
        ("q_proj_weight", (8, 8)), ("k_proj_weight", (8, 3)), ("v_proj_weight", (8, 5)),
        ("bias_k", (1, 1, 8)), ("bias_v", (1, 1, 8)), ("out_proj.weight", (8, 8))]


def test_forward_follows_the_equations_with_both_masks(rng):
    mha = nn.MultiheadAttention(6, 3, batch_first=True)
    with ag.no_grad():
        mha.in_proj_bias.copy_(rng.standard_normal(18))
        mha.out_proj.bias.copy_(rng.standard_normal(6))
    query, key = rng.standard_normal((2, 4, 6)), rng.standard_normal((2, 5, 6))
    value = rng.standard_normal((2, 5, 6))
    masked = np.triu(np.ones((4, 5), dtype=bool), 2)
    padding = np.array([[False] * 4 + [True], [False] * 5])
    expected, weights = multihead(mha, query, key, value, masked, padding)
    out, averaged = mha(ag.tensor(query), ag.tensor(key), ag.tensor(value),
                        key_padding_mask=padding, attn_mask=masked)
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(averaged.data, weights.mean(axis=1), rtol=1e-12, atol=1e-15)
    _, every = mha(ag.tensor(query), ag.tensor(key), ag.tensor(value), key_padding_mask=padding,
                   attn_mask=masked, average_attn_weights=False)
    assert every.shape == (2, 3, 4, 5)
    np.testing.assert_allclose(every.data, weights, rtol=1e-12, atol=1e-15)
    float_masks = dict(key_padding_mask=np.where(padding, -np.inf, 0.0),
                       attn_mask=np.where(masked, -np.inf, 0.0))
    again, _ = mha(ag.tensor(query), ag.tensor(key), ag.tensor(value), **float_masks)
    np.testing.assert_allclose(again.data, out.data, rtol=1e-14)


def test_layouts_need_weights_and_causal_hint(rng):
    first = nn.MultiheadAttention(4, 2)
    batch = nn.MultiheadAttention(4, 2, batch_first=True)
    batch.load_state_dict(first.state_dict())
    x = rng.standard_normal((3, 2, 4))  # (L, N, E)
    out, weights = first(*(ag.tensor(x),) * 3)
    out_b, weights_b = batch(*(ag.tensor(x.swapaxes(0, 1)),) * 3)
    np.testing.assert_allclose(out_b.data, out.data.swapaxes(0, 1), rtol=1e-14)
    np.testing.assert_allclose(weights_b.data, weights.data, rtol=1e-14)
    single, single_weights = first(*(ag.tensor(x[:, 0]),) * 3)  # unbatched (L, E)
    np.testing.assert_allclose(single.data, out.data[:, 0], rtol=1e-14)
    assert single_weights.shape == (3, 3)
    assert first(*(ag.tensor(x),) * 3, need_weights=False)[1] is None
    causal = np.triu(np.ones((3, 3), dtype=bool), 1)
    hinted = first(*(ag.tensor(x),) * 3, attn_mask=causal, is_causal=True)[0]
    plain = first(*(ag.tensor(x),) * 3, attn_mask=causal)[0]
    np.testing.assert_array_equal(hinted.data, plain.data)
    with pytest.raises(ValueError, match="is_causal=True is a hint .* pass attn_mask too"):
        first(*(ag.tensor(x),) * 3, is_causal=True)


def test_dropout_only_in_training(rng):
    mha = nn.MultiheadAttention(4, 2, dropout=0.5)
    x = ag.tensor(rng.standard_normal((3, 2, 4)))
    train = mha(x, x, x)[0].data
    evaluated = mha.eval()(x, x, x)[0].data
    np.testing.assert_array_equal(mha(x, x, x)[0].data, evaluated)
    assert not np.allclose(train, evaluated)


def test_gradcheck_self_and_cross_attention(rng):
    mha = nn.MultiheadAttention(4, 2, add_bias_kv=True, add_zero_attn=True)
    check_module(mha, leaf(rng.standard_normal((3, 1, 4))), call=lambda m, x: m(x, x, x))
    cross = nn.MultiheadAttention(4, 2, kdim=3, vdim=2, batch_first=True)
    key, value = (ag.tensor(rng.standard_normal((2, 3, n))) for n in (3, 2))
    padding = np.array([[False, False, True], [False, False, False]])
    check_module(cross, leaf(rng.standard_normal((2, 2, 4))), second_order=False,
                 call=lambda m, x: m(x, key, value, key_padding_mask=padding))


def test_state_dict_round_trip(rng):
    source, target = nn.MultiheadAttention(4, 2), nn.MultiheadAttention(4, 2)
    with ag.no_grad():
        source.in_proj_bias.copy_(rng.standard_normal(12))
    target.load_state_dict(source.state_dict())
    x = ag.tensor(rng.standard_normal((3, 1, 4)))
    np.testing.assert_array_equal(target(x, x, x)[0].data, source(x, x, x)[0].data)
    with pytest.raises(ValueError, match=r"'in_proj_weight': shape \(12, 4\) in the state dict, "
                                         r"\(18, 6\) in the model"):
        nn.MultiheadAttention(6, 2).load_state_dict(source.state_dict())


@pytest.mark.parametrize("call, message", [
    (lambda m, x: m(x, x, x, attn_mask=np.ones((3, 4), bool)),
     r"MultiheadAttention\(embed_dim=4, num_heads=2\): attn_mask has shape \(3, 4\), expected "
     r"\(3, 3\) or \(4, 3, 3\)"),
    (lambda m, x: m(x, x, x, key_padding_mask=np.ones((3, 2), bool)),
     r"key_padding_mask has shape \(3, 2\), expected \(2, 3\)"),
    (lambda m, x: m(x, x, x[0]), r"all be 3-D \(batched\) or all 2-D"),
    (lambda m, x: m(ag.ones(3, 2, 5), x, x), r"have 5, 4 and 4 features, expected \(4, 4, 4\)"),
    (lambda m, x: m(x, x, ag.ones(4, 2, 4)), r"key \(3, 2, 4\) and value \(4, 2, 4\) must have"),
])
def test_forward_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call(nn.MultiheadAttention(4, 2), ag.ones(3, 2, 4))


def test_embed_dim_must_split_into_heads():
    with pytest.raises(ValueError, match="MultiheadAttention: embed_dim=10 must be divisible by "
                                         "num_heads=3"):
        nn.MultiheadAttention(10, 3)
    with pytest.raises(ValueError, match="MultiheadAttention: dropout must be a probability"):
        nn.MultiheadAttention(4, 2, dropout=1.5)
