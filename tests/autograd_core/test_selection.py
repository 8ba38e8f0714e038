"""ops/selection.py: take, take_along_axis, put_along_axis against NumPy; repeated indices
accumulate their gradients; put_along_axis sends each position's gradient to the value that
NumPy left there."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.tensor_base import next_stamp
from autograd_core.testing import gradcheck, gradgradcheck
from tests.autograd_core.cases import leaf


def check_both(f, *inputs):
    assert gradcheck(f, inputs)
    assert gradgradcheck(f, inputs)


TAKES = [((5,), [4, 0, 4, -1], None), ((3, 4), [[0, 3], [3, 3]], 1), ((3, 4), [2, 2, 0], 0),
         ((3, 4), 2, -1), ((2, 3, 4), [1, 1], 1), ((3, 4), [11, 0, 11], None)]


@pytest.mark.parametrize("shape, indices, axis", TAKES, ids=str)
def test_take_matches_numpy_and_repeats_accumulate(shape, indices, axis, rng):
    x = leaf(rng.standard_normal(shape))
    y = ag.take(x, indices, axis=axis)
    assert np.array_equal(y.data, np.take(x.data, indices, axis=axis))
    assert np.array_equal(np.take(x, indices, axis=axis).data, y.data)
    assert np.array_equal(x.take(ag.tensor(np.asarray(indices)), axis).data, y.data)
    g = rng.standard_normal(y.shape)
    (engine,) = ag.grad(y, x, ag.tensor(g))
    expected = np.zeros(x.size)  # by hand: each taken element adds the gradient it received
    np.add.at(expected, np.take(np.arange(x.size).reshape(shape), indices, axis=axis), g)
    assert np.allclose(engine.data.reshape(-1), expected)
    check_both(lambda x: ag.take(x, indices, axis) ** 2, x)


@pytest.mark.parametrize("mode", ["wrap", "clip"])
def test_take_modes_match_numpy(mode):
    x = ag.tensor([1.0, 2.0, 3.0])
    assert np.array_equal(ag.take(x, [-5, 4, 7], mode=mode).data,
                          np.take(x.data, [-5, 4, 7], mode=mode))


ALONG = [((3, 4), [[0, 3, 3], [1, 1, 1], [2, 0, 0]], 1), ((3, 4), [[2, 0, 1, 2]], 0),
         ((3, 4), [[1], [0], [3]], -1), ((2, 3, 4), np.zeros((2, 1, 4), int), 1),
         ((3, 1), [[0, 0, 0]], 1), ((3, 4), [5, 0, 11], None)]


@pytest.mark.parametrize("shape, indices, axis", ALONG, ids=str)
def test_take_along_axis_matches_numpy(shape, indices, axis, rng):
    x = leaf(rng.standard_normal(shape))
    indices = np.asarray(indices)
    y = ag.take_along_axis(x, indices, axis)
    expected = np.take_along_axis(x.data, indices, axis)
    assert np.array_equal(y.data, expected)
    assert np.array_equal(np.take_along_axis(x, indices, axis=axis).data, expected)
    g = rng.standard_normal(y.shape)
    (engine,) = ag.grad(y, x, ag.tensor(g))
    positions = np.take_along_axis(np.arange(x.size).reshape(shape), indices, axis)
    by_hand = np.zeros(x.size)
    np.add.at(by_hand, positions, g)
    assert np.allclose(engine.data.reshape(-1), by_hand)
    check_both(lambda x: ag.take_along_axis(x, indices, axis) ** 2, x)


def test_take_along_axis_with_argsort_sorts(rng):
    x = ag.tensor(rng.standard_normal((3, 5)))
    assert np.array_equal(ag.take_along_axis(x, ag.argsort(x, 1), 1).data, np.sort(x.data, 1))
    assert np.array_equal(x.take_along_axis(ag.argmax(x, 1, keepdims=True), 1).data,
                          x.data.max(1, keepdims=True))


@pytest.mark.parametrize("shape, indices, values_shape, axis", [
    ((3, 4), [[1], [3], [0]], (3, 1), 1), ((3, 4), [[1, 2, 0, 1]], (1, 4), 0),
    ((3, 4), [[0, 2], [1, 1], [3, 0]], (), 1), ((2, 3, 4), np.ones((2, 1, 4), int), (1, 1, 4), 1),
    ((3, 4), [0, 5, 11], (3,), None)], ids=str)
def test_put_along_axis_matches_numpy_and_its_gradients(shape, indices, values_shape, axis,
                                                             rng):
    x, v = leaf(rng.standard_normal(shape)), leaf(rng.standard_normal(values_shape))
    indices = np.asarray(indices)
    y = ag.put_along_axis(x, indices, v, axis)
    expected = x.data.copy()
    np.put_along_axis(expected, indices, v.data, axis)
    assert np.array_equal(y.data, expected) and np.array_equal(x.data, x.data)  # x untouched
    written = np.zeros(shape, bool)
    np.put_along_axis(written, indices, True, axis)
    g = rng.standard_normal(shape)
    gx, gv = ag.grad(y, (x, v), ag.tensor(g))
    assert np.array_equal(gx.data, g * ~written)  # zero where a value was written
    # each written value receives the gradient of its position; of several written to one
    # position, only the last (the one NumPy keeps)
    flat_shape = (x.size,) if axis is None else shape
    positions = np.take_along_axis(np.arange(x.size).reshape(flat_shape), indices,
                                   0 if axis is None else axis)
    last = {}
    for k, p in enumerate(positions.reshape(-1)):
        last[p] = k
    per_entry = np.array([g.reshape(-1)[p] if last[p] == k else 0.0
                          for k, p in enumerate(positions.reshape(-1))]).reshape(positions.shape)
    expected_gv = np.broadcast_to(per_entry, np.broadcast_shapes(per_entry.shape, values_shape))
    while expected_gv.ndim > len(values_shape):
        expected_gv = expected_gv.sum(0)
    for d, n in enumerate(values_shape):
        if n == 1 and expected_gv.shape[d] != 1:
            expected_gv = expected_gv.sum(d, keepdims=True)
    assert np.allclose(gv.data, expected_gv)
    check_both(lambda x, v: ag.put_along_axis(x, indices, v, axis), x, v)


def test_assigning_twice_to_one_position_sends_its_gradient_to_the_value_kept(rng):
    x, v = leaf(rng.standard_normal(4)), leaf([1.0, 2.0, 3.0])
    y = x * 1.0
    y[np.array([1, 1, 3])] = v  # NumPy keeps v[1] at position 1
    assert y.data[1] == 2.0
    gx, gv = ag.grad((y * ag.tensor([1.0, 10.0, 100.0, 1000.0])).sum(), (x, v))
    assert np.array_equal(gv.data, [0.0, 10.0, 1000.0]) and np.array_equal(gx.data,
                                                                            [1, 0, 100, 0])
    check_both(lambda x, v: ag.put_along_axis(x, np.array([1, 1, 3]), v, 0), x, v)


def test_np_put_along_axis_writes_into_the_tensor_and_is_recorded():
    x = leaf([1.0, 2.0, 3.0])
    h = x * 2.0
    v = leaf([10.0])
    assert np.put_along_axis(h, np.array([1]), v, 0) is None
    assert np.array_equal(h.data, [2.0, 10.0, 6.0])
    gx, gv = ag.grad(h.sum(), (x, v))
    assert np.array_equal(gx.data, [2.0, 0.0, 2.0]) and np.array_equal(gv.data, [1.0])
    with pytest.raises(RuntimeError, match="leaf"):
        np.put_along_axis(x, np.array([0]), 0.0, 0)
    plain = np.zeros(3)
    np.put_along_axis(plain, np.array([2]), ag.tensor([5.0]), 0)
    assert np.array_equal(plain, [0.0, 0.0, 5.0])


@pytest.mark.parametrize("call, error, pattern", [
    (lambda x: ag.take(x, [0, 4], axis=1), IndexError,
     r"take: index 4 is out of bounds for axis 1 of length 4 \(tensor of shape \(3, 4\)\)"),
    (lambda x: ag.take(x, [12]), IndexError, r"take: index 12 is out of bounds for axis 0 of "
                                             r"length 12"),
    (lambda x: ag.take(x, [0.5]), TypeError, r"take: indices must be integers, got dtype float"),
    (lambda x: ag.take(x, [0], axis=2), ValueError, r"take: axis 2 is out of range.*\(3, 4\)"),
    (lambda x: ag.take(x, [0], mode="bounce"), ValueError, r"take: mode must be"),
    (lambda x: ag.take_along_axis(x, np.array([0, 1]), 1), ValueError,
     r"take_along_axis: indices of shape \(2,\) do not match the tensor of shape \(3, 4\)"),
    (lambda x: ag.take_along_axis(x, np.zeros((2, 1), int), 1), ValueError,
     r"take_along_axis: indices of shape \(2, 1\) do not match the tensor of shape \(3, 4\)"),
    (lambda x: ag.take_along_axis(x, np.full((3, 1), -5), 1), IndexError,
     r"take_along_axis: index -5 is out of bounds for axis 1 of length 4"),
    (lambda x: ag.take_along_axis(x, np.zeros((3, 4), int), None), ValueError,
     r"take_along_axis: indices of shape \(3, 4\) do not match the tensor of shape \(12,\)"),
    (lambda x: ag.put_along_axis(x, np.zeros((3, 1), int), np.ones(2), 1), ValueError,
     r"put_along_axis: values of shape \(2,\) cannot be broadcast to the indexed shape \(3, 1\)"),
])
def test_bad_input_names_the_op_and_records_nothing(call, error, pattern):
    x = ag.ones(3, 4, requires_grad=True)
    before = next_stamp()
    with pytest.raises(error, match=pattern):
        call(x)
    assert next_stamp() == before + 1, "a node was recorded before the error"
