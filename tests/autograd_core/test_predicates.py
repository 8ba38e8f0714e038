"""Tests of autograd_core/ops/predicates.py and the bitwise operators: tests and logic against
NumPy, results with no history, nonzero's tuple of index tensors, the shifts, & | ^ ~ bitwise
on integers and logical on bools, and errors that name the op."""

import math

import numpy as np
import pytest

import autograd_core as ag

NAN, INF = math.nan, math.inf
VALUES = np.array([[1.0, NAN, -INF], [0.0, INF, -2.5]])


@pytest.mark.parametrize("name", ["isnan", "isinf", "isfinite"])
def test_tests_match_numpy_and_carry_no_history(name):
    x = ag.tensor(VALUES, requires_grad=True)
    for result in (getattr(ag, name)(x), getattr(x, name)(), getattr(np, name)(x)):
        assert isinstance(result, ag.Tensor) and result.dtype == np.bool_
        assert not result.requires_grad and result.grad_fn is None
        np.testing.assert_array_equal(result.data, getattr(np, name)(VALUES))
    assert getattr(ag, name)(ag.tensor([1, 2])).tolist() == getattr(np, name)([1, 2]).tolist()


def test_isclose_and_allclose():
    a = ag.tensor([1.0, 1.0 + 1e-9, 1.1, NAN])
    np.testing.assert_array_equal(ag.isclose(a, 1.0).data, [True, True, False, False])
    np.testing.assert_array_equal(a.isclose(a, equal_nan=True).data, [True] * 4)
    np.testing.assert_array_equal(np.isclose(a, 1.05, rtol=0.1).data, [True, True, True, False])
    assert ag.allclose(a[:2], [1.0, 1.0]) is True
    assert ag.allclose(a, a) is False and a.allclose(a, equal_nan=True) is True
    assert np.allclose(a[:3], 1.0, atol=0.2) is True
    with pytest.raises(ValueError, match=r"isclose.*\(4,\).*\(3,\)"):
        ag.isclose(a, ag.ones(3))


@pytest.mark.parametrize("name", ["logical_and", "logical_or", "logical_xor"])
def test_logical_ops_match_numpy_and_broadcast(name):
    x = np.array([[True, False, True, False]])
    y = np.array([[True], [False]])
    expected = getattr(np, name)(x, y)
    for result in (getattr(ag, name)(x, y), getattr(ag.tensor(x), name)(y),
                   getattr(np, name)(ag.tensor(x), y)):
        assert result.dtype == np.bool_ and result.grad_fn is None
        np.testing.assert_array_equal(result.data, expected)
    # nonzero numbers count as true
    np.testing.assert_array_equal(getattr(ag, name)(ag.tensor([0, 2, -1]), 1).data,
                                  getattr(np, name)([0, 2, -1], 1))
    with pytest.raises(ValueError, match=rf"{name}.*\(3,\).*\(2,\)"):
        getattr(ag, name)(ag.ones(3), ag.ones(2))


def test_logical_not():
    np.testing.assert_array_equal(ag.logical_not(ag.tensor([0.0, 2.0])).data, [True, False])
    assert ag.tensor([True]).logical_not().tolist() == [False]


def test_nonzero_returns_numpy_s_tuple_of_int64_index_tensors():
    x = ag.tensor([[0.0, 1.5, 0.0], [2.0, 0.0, -1.0]], requires_grad=True)
    indices = ag.nonzero(x)
    assert isinstance(indices, tuple) and len(indices) == 2
    expected = np.nonzero(x.data)
    for index, numpy_index in zip(indices, expected):
        assert isinstance(index, ag.Tensor) and index.dtype == np.int64
        np.testing.assert_array_equal(index.data, numpy_index)
    picked = x[indices]  # the nonzero values, with their gradient path
    np.testing.assert_array_equal(picked.data, [1.5, 2.0, -1.0])
    picked.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[0, 1, 0], [1, 0, 1]])
    assert [i.tolist() for i in x.nonzero()] == [i.tolist() for i in np.nonzero(x)]
    assert [i.tolist() for i in ag.nonzero(ag.tensor([0, 3, 0, 4]))] == [[1, 3]]


def test_nonzero_of_a_scalar_raises_naming_the_op():
    with pytest.raises(ValueError, match="nonzero: the tensor is 0-d"):
        ag.nonzero(ag.tensor(1.0))


def test_bit_shifts_on_integers():
    x = ag.tensor([1, 3, -16])
    assert (x << 2).tolist() == [4, 12, -64] == ag.left_shift(x, 2).tolist()
    assert (x >> 1).tolist() == [0, 1, -8] == ag.right_shift(x, 1).tolist()
    assert (1 << ag.tensor([0, 3])).tolist() == [1, 8]
    assert (256 >> ag.tensor([4, 8])).tolist() == [16, 1]
    assert np.left_shift(x, ag.tensor([1, 1, 1])).tolist() == [2, 6, -32]
    u = ag.tensor(np.array([1, 128], dtype=np.uint8))
    assert (u << 1).dtype == np.uint8 and (u << 1).tolist() == [2, 0]  # NumPy wraps around


def test_bit_shifts_refuse_floats_naming_the_op():
    with pytest.raises(TypeError, match="left_shift: bit shifts need integer operands, got "
                                        "Tensor float64"):
        ag.ones(2) << 1
    with pytest.raises(TypeError, match="right_shift: .* got float"):
        ag.tensor([4]) >> 1.5


def test_and_or_xor_invert_are_bitwise_on_integers():
    x, y = ag.tensor([12, 5, -1]), ag.tensor([10, 3, 7])
    assert (x & y).tolist() == [8, 1, 7]
    assert (x | y).tolist() == [14, 7, -1]
    assert (x ^ y).tolist() == [6, 6, -8]
    assert (~x).tolist() == [-13, -6, 0]
    assert (x & 4).tolist() == [4, 4, 4] and (4 & x).tolist() == [4, 4, 4]
    assert (1 | x).tolist() == [13, 5, -1] and (1 ^ x).tolist() == [13, 4, -2]
    assert (x & y).dtype == np.int64


def test_and_or_xor_invert_are_logical_on_bools():
    p, q = ag.tensor([True, True, False, False]), ag.tensor([True, False, True, False])
    assert (p & q).tolist() == [True, False, False, False]
    assert (p | q).tolist() == [True, True, True, False]
    assert (p ^ q).tolist() == [False, True, True, False]
    assert (~p).tolist() == [False, False, True, True]  # not the integer -2
    assert (True & q).tolist() == q.tolist() and (False | q).tolist() == q.tolist()
    assert (np.array([True, False, True, False]) ^ q).tolist() == [False, False, False, False]
    assert all(r.dtype == np.bool_ for r in (p & q, p | q, p ^ q, ~p))


def test_bitwise_operators_refuse_floats_naming_the_op():
    with pytest.raises(TypeError, match="bitwise_and: unsupported operands Tensor float64"):
        ag.ones(2) & ag.tensor([True, False])
    with pytest.raises(TypeError, match="invert"):
        ~ag.ones(2)
