"""ops/arrange.py: flip, roll, rot90, tile, repeat against NumPy, their gradients, and which of
them are views (flip, rot90: as NumPy) and which copies."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.tensor_base import next_stamp
from autograd_core.testing import gradcheck, gradgradcheck
from tests.autograd_core.cases import leaf

SHAPES = [(), (4,), (3, 4), (2, 3, 4)]


def check_both(f, *inputs):
    assert gradcheck(f, inputs)
    assert gradgradcheck(f, inputs)


def arrangements(ndim):
    """(name, ag call, numpy call) pairs that fit a tensor with `ndim` axes."""
    cases = [("flip()", lambda m: m.flip(), lambda a: np.flip(a)),
             ("roll(2)", lambda m: m.roll(2), lambda a: np.roll(a, 2)),
             ("tile(2)", lambda m: ag.tile(m, 2), lambda a: np.tile(a, 2)),
             ("tile((2, 1, 3))", lambda m: ag.tile(m, (2, 1, 3)), lambda a: np.tile(a, (2, 1, 3))),
             ("repeat(3)", lambda m: m.repeat(3), lambda a: np.repeat(a, 3))]
    if ndim >= 1:
        cases += [("flip(-1)", lambda m: ag.flip(m, -1), lambda a: np.flip(a, -1)),
                  ("roll(-1, 0)", lambda m: ag.roll(m, -1, 0), lambda a: np.roll(a, -1, 0)),
                  ("repeat(2, 0)", lambda m: ag.repeat(m, 2, 0), lambda a: np.repeat(a, 2, 0))]
    if ndim >= 2:
        counts = [0, 2, 1]
        cases += [
            ("flip((0, 1))", lambda m: ag.flip(m, (0, 1)), lambda a: np.flip(a, (0, 1))),
            ("roll((1, 5), (0, 1))", lambda m: ag.roll(m, (1, 5), (0, 1)),
             lambda a: np.roll(a, (1, 5), (0, 1))),
            ("roll((1, 1), (1, 1))", lambda m: ag.roll(m, (1, 1), (1, 1)),
             lambda a: np.roll(a, (1, 1), (1, 1))),
            ("repeat counts", lambda m: ag.repeat(m[:3], counts[:m[:3].shape[0]], 0),
             lambda a: np.repeat(a[:3], counts[:a[:3].shape[0]], 0))]
        cases += [(f"rot90(k={k})", lambda m, k=k: ag.rot90(m, k),
                   lambda a, k=k: np.rot90(a, k)) for k in (-1, 0, 1, 2, 3, 5)]
        cases += [("rot90 axes (1, 0)", lambda m: m.rot90(1, (1, 0)),
                   lambda a: np.rot90(a, 1, (1, 0)))]
    return cases


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_each_arrangement_matches_numpy_and_its_derivatives(shape, rng):
    x = leaf(rng.standard_normal(shape))
    for name, op, reference in arrangements(len(shape)):
        y = op(x)
        expected = reference(x.data)
        assert y.shape == expected.shape and np.array_equal(y.data, expected), name
        check_both(op, x)


@given(shape=st.lists(st.integers(1, 3), min_size=1, max_size=3), shift=st.integers(-7, 7),
       reps=st.lists(st.integers(0, 3), min_size=1, max_size=3), seed=st.integers(0, 99))
def test_roll_tile_repeat_on_random_shapes(shape, shift, reps, seed):
    x = ag.tensor(np.random.default_rng(seed).standard_normal(shape))
    axis = seed % len(shape)
    assert np.array_equal(ag.roll(x, shift, axis).data, np.roll(x.data, shift, axis))
    assert np.array_equal(ag.tile(x, reps).data, np.tile(x.data, reps))
    assert np.array_equal(ag.repeat(x, reps[0], axis).data, np.repeat(x.data, reps[0], axis))


def test_repeat_and_tile_gradients_sum_over_the_copies():
    x = leaf([1.0, 2.0, 3.0])
    (g,) = ag.grad((ag.repeat(x, [1, 0, 3]) * ag.tensor([1.0, 2.0, 3.0, 4.0])).sum(), x)
    assert np.array_equal(g.data, [1.0, 0.0, 9.0])
    (g,) = ag.grad(ag.tile(x, (2, 2)).sum(), x)
    assert np.array_equal(g.data, [4.0, 4.0, 4.0])


def test_flip_and_rot90_are_views_roll_tile_repeat_copies():
    base = ag.arange(6.0).reshape(2, 3)
    for view in (ag.flip(base, 1), ag.rot90(base), base.rot90(2)):
        assert np.shares_memory(view.data, base.data)
    for copy in (ag.roll(base, 1), ag.roll(base, 0), ag.tile(base, 1), ag.repeat(base, 1)):
        assert not np.shares_memory(copy.data, base.data)
    flipped = base.flip(0)
    flipped[0, 0] = 100.0  # writes through to the base, as NumPy's flip view does
    assert base.data[1, 0] == 100.0


def test_a_write_through_a_flipped_view_is_recorded():
    x = leaf([1.0, 2.0, 3.0])
    h = x * 2.0
    h.flip()[0:2].mul_(10.0)  # h[2] and h[1] are multiplied by 10
    (g,) = ag.grad(h.sum(), x)
    assert np.array_equal(g.data, [2.0, 20.0, 20.0]), g.data


@pytest.mark.parametrize("call, error, pattern", [
    (lambda x: ag.flip(x, 2), ValueError, r"flip: axis 2 is out of range.*\(3, 4\)"),
    (lambda x: ag.roll(x, 1, 3), ValueError, r"roll: axis 3 is out of range.*\(3, 4\)"),
    (lambda x: ag.roll(x, (1, 2, 3), (0, 1)), ValueError, r"roll: shift .* same length"),
    (lambda x: ag.rot90(x, 1, (0, 0)), ValueError, r"rot90: the two axes must differ"),
    (lambda x: ag.rot90(x, 1, (0, 2)), ValueError, r"rot90: axes 2 is out of range"),
    (lambda x: ag.rot90(x, 1, (0,)), ValueError, r"rot90: axes must be two axes"),
    (lambda x: ag.tile(x, (2, -1)), ValueError, r"tile: reps must be non-negative, got -1"),
    (lambda x: ag.repeat(x, -2), ValueError, r"repeat: repeats must be non-negative, got -2"),
    (lambda x: ag.repeat(x, [1, 2], axis=1), ValueError,
     r"repeat: repeats of shape \(2,\) do not match axis 1 of length 4"),
    (lambda x: ag.repeat(x, 1.5), TypeError, r"repeat: repeats must be integers"),
])
def test_bad_input_names_the_op_and_records_nothing(call, error, pattern):
    x = ag.ones(3, 4, requires_grad=True)
    before = next_stamp()
    with pytest.raises(error, match=pattern):
        call(x)
    assert next_stamp() == before + 1, "a node was recorded before the error"


NUMPY_SHAPE_FUNCTIONS = [
    lambda m: np.flip(m, 0), lambda m: np.fliplr(m), lambda m: np.flipud(m),
    lambda m: np.roll(m, 2, axis=1), lambda m: np.rot90(m, 3), lambda m: np.tile(m, (1, 2)),
    lambda m: np.repeat(m, 2, axis=1), lambda m: np.tril(m, -1), lambda m: np.triu(m),
    lambda m: np.diag(m), lambda m: np.trace(m), lambda m: np.atleast_2d(m[0]),
    lambda m: np.atleast_1d(m[0, 0]), lambda m: np.array_split(m, 2, axis=1)[1],
    lambda m: np.take(m, [0, 0], axis=1), lambda m: np.pad(m, 1, mode="edge"),
]


@pytest.mark.parametrize("call", NUMPY_SHAPE_FUNCTIONS, ids=range(len(NUMPY_SHAPE_FUNCTIONS)))
def test_numpy_shape_functions_record(call, rng):
    x = leaf(rng.standard_normal((3, 4)))
    y = call(x)
    assert isinstance(y, ag.Tensor) and y.requires_grad
    assert np.array_equal(y.data, call(x.data))
    assert gradcheck(lambda x: call(x) * 2.0, x)
