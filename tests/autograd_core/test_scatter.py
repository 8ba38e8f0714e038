"""ops/scatter.py: scatter_add and scatter_reduce against a loop written from PyTorch's
definition, their gradients against finite differences, the tie rule of amax/amin, and prod's
exact derivatives at zeros."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.tensor_base import next_stamp
from autograd_core.testing import gradcheck, gradgradcheck
from tests.autograd_core.cases import leaf
from tests.autograd_core.cases_shape import SCATTER_SHAPES, spaced_pair

COMBINE = {"sum": np.sum, "prod": np.prod, "amax": np.max, "amin": np.min, "mean": np.mean}


def reference(t, axis, index, src, reduce, include_self=True):
    """PyTorch's scatter_reduce, one element at a time: src[i][j] goes to (index[i][j], j) for
    axis 0; every position combines what it received (and t's own value if include_self)."""
    out = t.astype(float)
    received = {}
    for where in np.ndindex(index.shape):
        position = list(where)
        position[axis] = index[where]
        received.setdefault(tuple(position), []).append(src[where])
    for position, values in received.items():
        values = ([t[position]] if include_self else []) + values
        out[position] = COMBINE[reduce](values)
        if t.dtype.kind != "f" and reduce == "mean":
            out[position] = np.sum(values) // len(values)
    return out.astype(t.dtype)


def draw(rng, shapes, axis, repeats=True):
    shape_t, shape_index, shape_src = shapes
    t, src = spaced_pair(rng, shape_t, shape_src)
    high = min(2, shape_t[axis]) if repeats else shape_t[axis]
    return t, rng.integers(0, high, shape_index), src


@pytest.mark.parametrize("reduce", sorted(COMBINE))
@pytest.mark.parametrize("include_self", [True, False])
@pytest.mark.parametrize("shapes", SCATTER_SHAPES, ids=str)
def test_scatter_reduce_matches_the_definition(reduce, include_self, shapes, rng):
    for axis in range(len(shapes[0])):
        t, index, src = draw(rng, shapes, axis)
        y = ag.scatter_reduce(leaf(t), axis, index, leaf(src), reduce, include_self=include_self)
        expected = reference(t, axis, index, src, reduce, include_self)
        assert np.allclose(y.data, expected, rtol=1e-13), (axis, y.data, expected)
        negative = ag.scatter_reduce(ag.tensor(t), axis - len(shapes[0]),
                                     index - t.shape[axis], ag.tensor(src), reduce,
                                     include_self=include_self)
        assert np.allclose(negative.data, expected), "negative axis and indices"


@pytest.mark.parametrize("reduce", sorted(COMBINE))
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce_derivatives(reduce, include_self, rng):
    t, index, src = draw(rng, SCATTER_SHAPES[1], 1)
    assert gradcheck(lambda t, s: ag.scatter_reduce(t, 1, index, s, reduce, include_self),
                     (leaf(t), leaf(src)))
    assert gradgradcheck(lambda t, s: ag.scatter_reduce(t, 1, index, s, reduce, include_self),
                         (leaf(t), leaf(src)))


def test_scatter_reduce_of_integers_and_integer_mean_rounds_down():
    t = ag.tensor([10, 20, 30])
    index, src = np.array([0, 0, 2]), ag.tensor([1, 4, 5])
    for reduce in COMBINE:
        y = ag.scatter_reduce(t, 0, index, src, reduce)
        assert y.dtype.kind == "i"
        assert np.array_equal(y.data, reference(t.data, 0, index, src.data, reduce)), reduce
    assert np.array_equal(ag.scatter_reduce(t, 0, index, src, "mean").data, [5, 20, 17])


@pytest.mark.parametrize("shapes", SCATTER_SHAPES, ids=str)
def test_scatter_add_matches_the_definition_and_its_gradients(shapes, rng):
    t, index, src = draw(rng, shapes, 0)
    y = ag.scatter_add(leaf(t), 0, index, leaf(src))
    assert np.allclose(y.data, reference(t, 0, index, src, "sum"))
    assert np.allclose(leaf(t).scatter_add(0, index, src).data, y.data)
    g = rng.standard_normal(t.shape)
    tt, ss = leaf(t), leaf(src)
    gt, gs = ag.grad(ag.scatter_add(tt, 0, index, ss), (tt, ss), ag.tensor(g))
    assert np.array_equal(gt.data, g)  # t passes through
    expected = np.zeros(src.shape)  # src[i, j] receives g at (index[i, j], j); the rest none
    for where in np.ndindex(index.shape):
        expected[where] = g[(index[where],) + where[1:]]
    assert np.array_equal(gs.data, expected)
    assert gradgradcheck(lambda t, s: ag.scatter_add(t, 0, index, s) ** 2, (tt, ss))


def _gradients(reduce, t, src, index, include_self=True):
    t, src = leaf(t), leaf(src)
    return [g.data for g in ag.grad(
        ag.scatter_reduce(t, 0, np.asarray(index), src, reduce, include_self).sum(), (t, src))]


def test_amax_splits_the_gradient_evenly_among_tied_winners():
    # position 0: t = 3 ties with src 3 and 3 (a third each); position 1: t alone
    gt, gs = _gradients("amax", [3.0, 1.0], [3.0, 2.0, 3.0], [0, 0, 0])
    assert np.allclose(gt, [1 / 3, 1.0]) and np.allclose(gs, [1 / 3, 0.0, 1 / 3]), (gt, gs)
    gt, gs = _gradients("amin", [3.0, 1.0], [2.0, 2.0, 5.0], [0, 0, 1])
    assert np.allclose(gt, [0.0, 1.0]) and np.allclose(gs, [0.5, 0.5, 0.0]), (gt, gs)


def test_an_excluded_self_never_shares_the_gradient():
    # include_self=False: t[0] = 3 equals the result but does not take part (PyTorch would
    # still count it and give src[0] only half)
    gt, gs = _gradients("amax", [3.0, 5.0], [3.0, 1.0], [0, 0], include_self=False)
    assert np.array_equal(gt, [0.0, 1.0]) and np.array_equal(gs, [1.0, 0.0]), (gt, gs)


def test_prod_derivatives_are_exact_with_zeros_in_a_group():
    t, src, index = leaf([2.0]), leaf([0.0, 0.0, 3.0]), np.zeros(3, int)
    gt, gs = _gradients("prod", t.data, src.data, index)
    assert np.array_equal(gt, [0.0]) and np.array_equal(gs, [0.0, 0.0, 0.0])
    hessian = ag.functional.hessian(
        lambda s: ag.scatter_reduce(t, 0, index, s, "prod").sum(), src).data
    expected = np.array([[0.0, 6.0, 0.0], [6.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    assert np.array_equal(hessian, expected), hessian
    gt, gs = _gradients("prod", [2.0, 5.0], [0.0, 4.0, 3.0], [0, 0, 1])
    assert np.array_equal(gt, [0.0, 3.0]) and np.array_equal(gs, [8.0, 0.0, 5.0])


def test_mean_counts_self_when_included(rng):
    gt, gs = _gradients("mean", [1.0, 2.0], [4.0, 6.0, 8.0], [0, 0, 0])
    assert np.allclose(gt, [1 / 4, 1.0]) and np.allclose(gs, [1 / 4] * 3)
    gt, gs = _gradients("mean", [1.0, 2.0], [4.0, 6.0, 8.0], [0, 0, 0], include_self=False)
    assert np.allclose(gt, [0.0, 1.0]) and np.allclose(gs, [1 / 3] * 3)


@pytest.mark.parametrize("call, error, pattern", [
    (lambda t, s: ag.scatter_add(t, 2, np.zeros((2, 2), int), s), ValueError,
     r"scatter_add: axis 2 is out of range.*\(3, 4\)"),
    (lambda t, s: ag.scatter_add(t, 0, np.zeros(2, int), s), ValueError,
     r"scatter_add: index \(2,\), self \(3, 4\) and src \(2, 3\) must have the same number"),
    (lambda t, s: ag.scatter_add(t, 0, np.zeros((3, 3), int), s), ValueError,
     r"scatter_add: index of shape \(3, 3\) is longer than src \(2, 3\)"),
    (lambda t, s: ag.scatter_add(t, 1, np.full((2, 3), 4), s), IndexError,
     r"scatter_add: index 4 is out of bounds for axis 1 of length 4"),
    (lambda t, s: ag.scatter_reduce(t, 0, np.zeros((2, 3), int), s, "max"), ValueError,
     r"scatter_reduce: reduce must be one of"),
    (lambda t, s: ag.scatter_reduce(t, 0, np.zeros((2, 3)), s, "sum"), TypeError,
     r"scatter_reduce: index must be integers"),
])
def test_bad_input_names_the_op_and_records_nothing(call, error, pattern):
    t, src = ag.ones(3, 4, requires_grad=True), ag.ones(2, 3, requires_grad=True)
    before = next_stamp()
    with pytest.raises(error, match=pattern):
        call(t, src)
    assert next_stamp() == before + 1, "a node was recorded before the error"
