"""ops/sorting.py: sort, argsort, topk, median, argmax, argmin: values against NumPy, the
gradient rule at ties (the element that sorted into a position gets its gradient, ties in
index order), and index results without history."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
from autograd_cli.inputs import spaced
from autograd_core.tensor_base import next_stamp
from autograd_core.testing import gradcheck, gradgradcheck
from tests.autograd_core.cases import REDUCTION_SHAPES, axis_options, leaf
from tests.autograd_core.cases_reduce import scan_axes

SORT_CASES = [(shape, axis) for shape in REDUCTION_SHAPES[1:] for axis in scan_axes(len(shape))]


def check_both(f, *inputs):
    assert gradcheck(f, inputs)
    assert gradgradcheck(f, inputs)


def _gradient(f, values):
    x = leaf(values)
    (g,) = ag.grad(f(x), x)
    return g.data


@pytest.mark.parametrize("shape, axis", SORT_CASES, ids=str)
def test_sort_and_argsort_match_numpy(shape, axis, rng):
    x = leaf(rng.integers(-2, 3, shape).astype(float))  # many ties
    assert np.array_equal(ag.sort(x, axis).data, np.sort(x.data, axis))
    assert np.array_equal(np.sort(x, axis).data, np.sort(x.data, axis))
    indices = ag.argsort(x, axis, kind="stable")
    assert np.array_equal(indices.data, np.argsort(x.data, axis, kind="stable"))
    assert indices.grad_fn is None and not indices.requires_grad
    check_both(lambda x: ag.sort(x, axis), leaf(spaced(rng, shape)))


def test_sort_gradient_follows_each_element_ties_in_index_order():
    # sorted: 1 (index 1), 2 (index 0), 2 (index 3), 5 (index 2); weights 1..4 by position
    weights = np.array([1.0, 2.0, 3.0, 4.0])
    g = _gradient(lambda x: (ag.sort(x) * weights).sum(), [2.0, 1.0, 5.0, 2.0])
    assert np.array_equal(g, [2.0, 1.0, 4.0, 3.0]), g


def test_sort_with_nan_puts_it_last_as_numpy():
    x = ag.tensor([3.0, np.nan, 1.0])
    assert np.array_equal(x.sort().data, np.sort(x.data), equal_nan=True)


@pytest.mark.parametrize("largest", [True, False])
@pytest.mark.parametrize("shape, axis", [((5,), 0), ((3, 4), 1), ((3, 4), 0), ((2, 3, 4), -1)],
                         ids=str)
def test_topk_matches_a_sort_and_its_derivatives(largest, shape, axis, rng):
    x = leaf(spaced(rng, shape))
    k = 2
    values, indices = ag.topk(x, k, axis=axis, largest=largest)
    order = np.argsort(-x.data if largest else x.data, axis=axis)
    expected = np.take(order, range(k), axis=axis)
    assert np.array_equal(indices.data, expected)
    assert np.array_equal(values.data, np.take_along_axis(x.data, expected, axis))
    assert indices.grad_fn is None
    check_both(lambda x: ag.topk(x, k, axis, largest)[0], x)


def test_topk_ties_come_in_index_order_and_the_gradient_follows_them():
    x = leaf([1.0, 3.0, 3.0, 2.0])
    values, indices = x.topk(3)
    assert np.array_equal(values.data, [3, 3, 2]) and np.array_equal(indices.data, [1, 2, 3])
    g = _gradient(lambda x: (ag.topk(x, 2)[0] * np.array([10.0, 1.0])).sum(), x.data)
    assert np.array_equal(g, [0.0, 10.0, 1.0, 0.0]), g
    _, smallest = ag.topk(ag.tensor([2.0, 1.0, 1.0]), 2, largest=False)
    assert np.array_equal(smallest.data, [1, 2])


@given(shape=st.sampled_from(REDUCTION_SHAPES), data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_median_matches_numpy(shape, data, seed):
    axis = data.draw(st.sampled_from(axis_options(len(shape))))
    keepdims = data.draw(st.booleans())
    x = ag.tensor(np.random.default_rng(seed).integers(-3, 4, shape).astype(float))
    y = ag.median(x, axis=axis, keepdims=keepdims)
    expected = np.median(x.data, axis=axis, keepdims=keepdims)
    assert y.shape == np.shape(expected) and np.allclose(y.data, expected), (y.data, expected)


@pytest.mark.parametrize("shape, axis", [(s, a) for s in REDUCTION_SHAPES
                                         for a in axis_options(len(s))], ids=str)
def test_median_derivatives(shape, axis, rng):
    check_both(lambda x: ag.median(x, axis=axis), leaf(spaced(rng, shape)))


def test_median_of_an_even_count_splits_the_gradient_between_the_middle_two():
    assert np.array_equal(_gradient(ag.median, [4.0, 1.0, 3.0, 2.0]), [0.0, 0.0, 0.5, 0.5])
    assert np.array_equal(_gradient(ag.median, [4.0, 1.0, 3.0]), [0.0, 0.0, 1.0])
    # tied middle values: the two elements that sort into the middle, in index order
    assert np.array_equal(_gradient(ag.median, [2.0, 2.0, 2.0, 1.0]), [0.5, 0.5, 0.0, 0.0])


def test_median_of_integers_is_float_and_with_nan_is_nan():
    assert ag.median(ag.tensor([1, 2])).item() == 1.5
    y = ag.median(ag.tensor([[1.0, np.nan], [1.0, 2.0]]), axis=1)
    assert np.array_equal(y.data, [np.nan, 1.5], equal_nan=True)


@pytest.mark.parametrize("shape", REDUCTION_SHAPES, ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_argmax_and_argmin_match_numpy_without_history(shape, keepdims, rng):
    x = leaf(rng.integers(0, 3, shape).astype(float))  # ties: the first, as NumPy
    for axis in [None] + list(range(-len(shape), len(shape))):
        for op, reference in ((ag.argmax, np.argmax), (ag.argmin, np.argmin)):
            y = op(x, axis=axis, keepdims=keepdims)
            assert np.array_equal(y.data, reference(x.data, axis=axis, keepdims=keepdims))
            assert y.grad_fn is None and y.dtype.kind == "i"
    if len(shape) == 2:
        assert np.array_equal(x.argmax(1).data, np.argmax(x.data, 1))
        assert np.array_equal(np.argmin(x, axis=0).data, np.argmin(x.data, axis=0))


@pytest.mark.parametrize("call, pattern", [
    (lambda x, e: ag.topk(x, 5), r"topk: k=5 is larger than axis 1 of length 4.*\(3, 4\)"),
    (lambda x, e: ag.topk(x, -1), r"topk: k must be a non-negative int"),
    (lambda x, e: ag.topk(x, 2, axis=2), r"topk: axis 2 is out of range.*\(3, 4\)"),
    (lambda x, e: ag.sort(x, axis=-3), r"sort: axis -3 is out of range.*\(3, 4\)"),
    (lambda x, e: ag.argsort(x, axis=2), r"argsort: axis 2"),
    (lambda x, e: ag.median(x, axis=(1, 1)), r"median: repeated axis"),
    (lambda x, e: ag.median(e, axis=1), r"median: cannot take the median over an empty"),
    (lambda x, e: ag.argmax(x, axis=2), r"argmax: axis 2 is out of range.*\(3, 4\)"),
    (lambda x, e: ag.argmin(e), r"argmin: cannot search an empty"),
])
def test_bad_input_names_the_op_and_records_nothing(call, pattern):
    x, empty = ag.ones(3, 4, requires_grad=True), ag.ones(3, 0, requires_grad=True)
    before = next_stamp()
    with pytest.raises(ValueError, match=pattern):
        call(x, empty)
    assert next_stamp() == before + 1, "a node was recorded before the error"


@given(shape=st.sampled_from([(6,), (3, 5), (2, 3, 4)]), data=st.data(),
       seed=st.integers(0, 2**32 - 1))
def test_stable_order_is_numpys_stable_argsort(shape, data, seed):
    from autograd_core.ops.sorting import stable_order

    rng = np.random.default_rng(seed)
    kind = data.draw(st.sampled_from(["ties", "distinct", "nan", "int"]))
    values = {"ties": rng.integers(0, 3, shape).astype(float), "distinct": rng.random(shape),
              "int": rng.integers(0, 4, shape),
              "nan": np.where(rng.random(shape) < 0.4, np.nan, rng.integers(0, 2, shape))}[kind]
    axis = data.draw(st.integers(0, len(shape) - 1))
    assert np.array_equal(stable_order(values, axis), np.argsort(values, axis, kind="stable"))
