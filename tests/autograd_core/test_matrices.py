"""ops/matrices.py: tril, triu, diag, trace, meshgrid against NumPy, with their gradients."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.tensor_base import next_stamp
from autograd_core.testing import gradcheck, gradgradcheck
from tests.autograd_core.cases import leaf


def check_both(f, *inputs):
    assert gradcheck(f, inputs)
    assert gradgradcheck(f, inputs)


@pytest.mark.parametrize("k", [-2, -1, 0, 1, 3])
@pytest.mark.parametrize("shape", [(4,), (3, 4), (4, 3), (2, 3, 3)], ids=str)
def test_tril_and_triu_match_numpy(k, shape, rng):
    x = leaf(rng.standard_normal(shape))
    assert np.array_equal(ag.tril(x, k).data, np.tril(x.data, k))
    assert np.array_equal(x.triu(k).data, np.triu(x.data, k))
    assert np.array_equal(np.tril(x, k).data, np.tril(x.data, k))
    check_both(lambda x: ag.tril(x, k) + 2.0 * ag.triu(x, k), x)


def test_tril_keeps_infinities_above_out_and_the_dtype():
    x = ag.tensor([[1.0, np.inf], [np.inf, 2.0]])
    assert np.array_equal(ag.tril(x).data, [[1.0, 0.0], [np.inf, 2.0]])  # no inf * 0 = nan
    assert ag.triu(ag.tensor([[1, 2], [3, 4]])).dtype == np.int64
    assert ag.tril(ag.tensor([[True, True], [True, True]])).dtype == bool


@pytest.mark.parametrize("k", [-1, 0, 2])
def test_diag_both_ways(k, rng):
    v = leaf(rng.standard_normal(3))
    assert np.array_equal(ag.diag(v, k).data, np.diag(v.data, k))
    m = leaf(rng.standard_normal((3, 4)))
    assert np.array_equal(ag.diag(m, k).data, np.diag(m.data, k))
    assert np.shares_memory(ag.diag(m, k).data, m.data)  # the diagonal is a view
    check_both(lambda v: ag.diag(v, k), v)
    check_both(lambda m: m.diag(k), m)


@pytest.mark.parametrize("shape, offset, axis1, axis2", [
    ((3, 3), 0, 0, 1), ((3, 4), 1, 0, 1), ((4, 3), -2, 0, 1), ((2, 3, 3), 0, 1, 2),
    ((3, 2, 3), 1, 0, 2)], ids=str)
def test_trace_matches_numpy(shape, offset, axis1, axis2, rng):
    x = leaf(rng.standard_normal(shape))
    assert np.allclose(ag.trace(x, offset, axis1, axis2).data,
                       np.trace(x.data, offset, axis1, axis2))
    assert np.allclose(x.trace(offset, axis1, axis2).data, np.trace(x.data, offset, axis1, axis2))
    check_both(lambda x: ag.trace(x, offset, axis1, axis2), x)


def test_trace_gradient_is_the_identity_on_the_diagonal():
    x = leaf(np.ones((3, 3)))
    (g,) = ag.grad(ag.trace(x), x)
    assert np.array_equal(g.data, np.eye(3))


@pytest.mark.parametrize("indexing", ["xy", "ij"])
@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("sizes", [(3,), (3, 2), (2, 3, 4)], ids=str)
def test_meshgrid_matches_numpy(indexing, sparse, sizes, rng):
    xs = [leaf(rng.standard_normal(n)) for n in sizes]
    grids = ag.meshgrid(*xs, indexing=indexing, sparse=sparse)
    expected = np.meshgrid(*[x.data for x in xs], indexing=indexing, sparse=sparse)
    assert isinstance(grids, tuple) and len(grids) == len(expected)
    assert all(np.array_equal(g.data, e) for g, e in zip(grids, expected))
    assert all(g.data.flags.writeable for g in grids)  # copies, as NumPy's default
    assert gradcheck(lambda *xs: sum(g * (i + 1.0) for i, g in
                                     enumerate(ag.meshgrid(*xs, indexing=indexing))), xs)
    assert all(g.requires_grad for g in np.meshgrid(*xs, indexing=indexing))


def test_meshgrid_gradient_counts_the_copies():
    x, y = leaf([1.0, 2.0, 3.0]), leaf([1.0, 2.0])
    gx, gy = ag.grad(sum(g.sum() for g in ag.meshgrid(x, y)), (x, y))
    assert np.array_equal(gx.data, [2.0, 2.0, 2.0]) and np.array_equal(gy.data, [3.0, 3.0])


@pytest.mark.parametrize("call, error, pattern", [
    (lambda s, v, m: ag.tril(s), ValueError, r"tril: needs a tensor with at least one axis"),
    (lambda s, v, m: ag.triu(m, 0.5), TypeError, r"triu: k must be an int"),
    (lambda s, v, m: ag.diag(m[None]), ValueError, r"diag: needs a 1-D or 2-D tensor, got shape"),
    (lambda s, v, m: ag.trace(v), ValueError, r"trace: needs a tensor with at least two axes, "
                                              r"got shape \(3,\)"),
    (lambda s, v, m: ag.trace(m, 0, 0, 0), ValueError, r"diagonal"),
    (lambda s, v, m: ag.meshgrid(v, indexing="yx"), ValueError, r"meshgrid: indexing must be"),
])
def test_bad_input_names_the_op(call, error, pattern):
    scalar, vector = ag.ones((), requires_grad=True), ag.ones(3, requires_grad=True)
    matrix = ag.ones(3, 3)
    before = next_stamp()
    with pytest.raises(error, match=pattern):
        call(scalar, vector, matrix)
    assert next_stamp() == before + 1, "a node was recorded before the error"
