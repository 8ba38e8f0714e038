"""ops/join.py and the shape helpers it uses: vstack, hstack, array_split, atleast_1d,
atleast_2d against NumPy, with their gradients."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.tensor_base import next_stamp
from autograd_core.testing import gradcheck, gradgradcheck
from tests.autograd_core.cases import leaf

PIECES = [[(3,), (3,)], [(), ()], [(2, 3), (3,), (1, 3)], [(2, 3, 2), (1, 3, 2)]]
ROWS = [[(3,), (2,)], [(), (), ()], [(2, 3), (2, 1)], [(2, 3, 2), (2, 1, 2)]]


@pytest.mark.parametrize("shapes", PIECES, ids=str)
def test_vstack_matches_numpy_and_its_gradients(shapes, rng):
    xs = [leaf(rng.standard_normal(s)) for s in shapes]
    y = ag.vstack(xs)
    assert np.array_equal(y.data, np.vstack([x.data for x in xs]))
    assert np.array_equal(np.vstack(xs).data, y.data)
    assert gradcheck(lambda *xs: ag.vstack(xs), xs)
    assert gradgradcheck(lambda *xs: ag.vstack(list(xs)) * 2.0, xs)


@pytest.mark.parametrize("shapes", ROWS, ids=str)
def test_hstack_matches_numpy_and_its_gradients(shapes, rng):
    xs = [leaf(rng.standard_normal(s)) for s in shapes]
    y = ag.hstack(xs)
    assert np.array_equal(y.data, np.hstack([x.data for x in xs]))
    assert np.array_equal(np.hstack(xs).data, y.data)
    assert gradcheck(lambda *xs: ag.hstack(xs), xs)


def test_hstack_and_vstack_of_a_tensor_iterate_over_it_as_numpy():
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert np.array_equal(ag.hstack(x).data, np.hstack(x.data))
    assert np.array_equal(ag.vstack(x).data, np.vstack(x.data))


@given(length=st.integers(0, 9), sections=st.integers(1, 5), seed=st.integers(0, 99))
def test_array_split_matches_numpy(length, sections, seed):
    x = ag.tensor(np.random.default_rng(seed).standard_normal((2, length)))
    pieces = ag.array_split(x, sections, axis=1)
    expected = np.array_split(x.data, sections, axis=1)
    assert len(pieces) == len(expected)
    assert all(np.array_equal(p.data, e) for p, e in zip(pieces, expected))
    by_index = ag.array_split(x, [1, 4, 20], axis=-1)
    assert all(np.array_equal(p.data, e)
               for p, e in zip(by_index, np.array_split(x.data, [1, 4, 20], axis=-1)))


def test_array_split_pieces_are_views_with_gradients(rng):
    x = leaf(rng.standard_normal(7))
    pieces = ag.array_split(x, 3)
    assert all(np.shares_memory(p.data, x.data) for p in pieces)
    assert gradgradcheck(lambda x: ag.array_split(x, 3)[1] * ag.array_split(x, 3)[2][:2], x)


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 1, 3)], ids=str)
def test_atleast_matches_numpy(shape, rng):
    x = leaf(rng.standard_normal(shape))
    assert ag.atleast_1d(x).shape == np.atleast_1d(x.data).shape
    assert ag.atleast_2d(x).shape == np.atleast_2d(x.data).shape
    one, two = ag.atleast_2d(x, x[None])
    assert one.shape == np.atleast_2d(x.data).shape and two.ndim >= 2
    assert np.atleast_1d(x).requires_grad
    assert gradcheck(lambda x: ag.atleast_2d(x) * 3.0, x)


@pytest.mark.parametrize("call, error, pattern", [
    (lambda x, m: ag.vstack([]), ValueError, r"vstack: need at least one tensor"),
    (lambda x, m: ag.hstack([x, m]), ValueError, r"hstack: shapes \(4,\), \(1, 4\)"),
    (lambda x, m: ag.vstack([x, np.ones(5)]), ValueError,
     r"vstack: shapes \(4,\), \(5,\) do not match along every axis but axis 0"),
    (lambda x, m: ag.array_split(x, 0), ValueError,
     r"array_split: the number of sections must be positive, got 0 \(tensor of shape \(4,\)"),
    (lambda x, m: ag.array_split(x, 2, axis=1), ValueError, r"array_split: axis 1 .*\(4,\)"),
])
def test_bad_input_names_the_op_and_records_nothing(call, error, pattern):
    x, matrix = ag.ones(4, requires_grad=True), ag.ones(1, 4, requires_grad=True)
    before = next_stamp()
    with pytest.raises(error, match=pattern):
        call(x, matrix)
    assert next_stamp() == before + 1, "a node was recorded before the error"
