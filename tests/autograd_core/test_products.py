"""ops/products.py: outer, inner, dot, tensordot, kron, cross against NumPy over shape pairs,
with their gradients, and the shape errors."""

import warnings

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.tensor_base import next_stamp
from autograd_core.testing import gradcheck, gradgradcheck
from tests.autograd_core.cases import leaf


def check_both(f, *inputs):
    assert gradcheck(f, inputs)
    assert gradgradcheck(f, inputs)


def assert_close(engine, expected, what):
    assert np.shape(engine) == np.shape(expected), f"{what}: {np.shape(engine)} != " \
                                                   f"{np.shape(expected)}"
    assert np.allclose(engine, expected, rtol=1e-12, atol=1e-12), \
        f"{what}:\nengine {engine}\nnumpy  {expected}"


PAIRS = {
    "outer": [((3,), (4,)), ((2, 2), (3,)), ((), (3,))],
    "inner": [((3,), (3,)), ((2, 3), (3,)), ((2, 3), (4, 3)), ((), (2, 3)), ((2, 1, 3), (2, 3))],
    "dot": [((3,), (3,)), ((2, 3), (3, 4)), ((2, 3), (3,)), ((3,), (3, 4)), ((), (2, 3)),
            ((2, 2, 3), (3,)), ((2, 2, 3), (4, 3, 2))],
    "kron": [((2,), (3,)), ((2, 2), (3, 1)), ((2,), (2, 3)), ((), (2, 2)), ((2, 1, 2), (2, 2))],
}
TENSORDOTS = [((2, 3, 4), (3, 4, 5), 2), ((2, 3), (3, 4), 1), ((2, 3), (4, 5), 0),
              ((2, 3, 4), (4, 3), ([1, 2], [1, 0])), ((3, 4), (4, 3), ([0], [1])),
              ((3, 4), (3, 4), ((0, 1), (0, 1))), ((2, 3), (3,), (-1, 0))]


@pytest.mark.parametrize("name, shapes", [(n, s) for n, pairs in PAIRS.items() for s in pairs],
                         ids=str)
def test_products_match_numpy_and_their_derivatives(name, shapes, rng):
    a, b = (leaf(rng.standard_normal(s)) for s in shapes)
    ours, numpys = getattr(ag, name), getattr(np, name)
    assert_close(ours(a, b).data, numpys(a.data, b.data), name)
    assert_close(numpys(a, b).data, numpys(a.data, b.data), f"np.{name}(tensors)")
    if shapes[0]:
        assert_close(getattr(a, name)(b).data, numpys(a.data, b.data), f"t.{name}")
    check_both(ours, a, b)


@pytest.mark.parametrize("shape_a, shape_b, axes", TENSORDOTS, ids=str)
def test_tensordot_matches_numpy_and_its_derivatives(shape_a, shape_b, axes, rng):
    a, b = leaf(rng.standard_normal(shape_a)), leaf(rng.standard_normal(shape_b))
    assert_close(ag.tensordot(a, b, axes).data, np.tensordot(a.data, b.data, axes), "tensordot")
    assert_close(np.tensordot(a, b, axes).data, np.tensordot(a.data, b.data, axes), "np.")
    check_both(lambda a, b: ag.tensordot(a, b, axes), a, b)


@pytest.mark.parametrize("shape_a, shape_b, axes", [
    ((3,), (3,), {}), ((4, 3), (3,), {}), ((2, 1, 3), (4, 3), {}), ((3, 2), (3, 2), dict(axis=0)),
    ((3, 4), (4, 3), dict(axisa=0, axisb=1, axisc=0)), ((2,), (2,), {}), ((2,), (3,), {}),
    ((4, 3), (4, 2), {})], ids=str)
def test_cross_matches_numpy_and_its_derivatives(shape_a, shape_b, axes, rng):
    a, b = leaf(rng.standard_normal(shape_a)), leaf(rng.standard_normal(shape_b))
    with warnings.catch_warnings():  # NumPy 2 deprecates 2-vectors
        warnings.simplefilter("ignore", DeprecationWarning)
        expected = np.cross(a.data, b.data, **axes)
    assert_close(ag.cross(a, b, **axes).data, expected, "cross")
    check_both(lambda a, b: ag.cross(a, b, **axes), a, b)


def test_cross_of_the_unit_vectors_and_the_outer_gradient():
    e = ag.eye(3)
    assert np.array_equal(ag.cross(e[0], e[1]).data, [0.0, 0.0, 1.0])
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0, 5.0])
    ga, gb = ag.grad(ag.outer(a, b).sum(), (a, b))
    assert np.array_equal(ga.data, [12.0, 12.0]) and np.array_equal(gb.data, [3.0, 3.0, 3.0])


@pytest.mark.parametrize("call, pattern", [
    (lambda: ag.dot(ag.ones(2, 3), ag.ones(4, 2)),
     r"dot: shapes \(2, 3\) and \(4, 2\) are not aligned: 3 .* != 4"),
    (lambda: ag.dot(ag.ones(3), ag.ones(4)), r"dot: shapes \(3,\) and \(4,\) are not aligned"),
    (lambda: ag.inner(ag.ones(2, 3), ag.ones(4)), r"inner: the last axes of shapes \(2, 3\) and"),
    (lambda: ag.tensordot(ag.ones(2, 3), ag.ones(2, 3), 1),
     r"tensordot: shape mismatch for the sum: axis 1 of \(2, 3\) has length 3"),
    (lambda: ag.tensordot(ag.ones(2), ag.ones(2), 2), r"tensordot: axes=2 does not fit"),
    (lambda: ag.tensordot(ag.ones(2), ag.ones(2), ([0], [0, 0])), r"tensordot: 1 axes of a"),
    (lambda: ag.tensordot(ag.ones(2), ag.ones(2), ([3], [0])), r"tensordot: axes of a 3 is out"),
    (lambda: ag.cross(ag.ones(4), ag.ones(3)),
     r"cross: the vectors must have 2 or 3 components, got shapes \(4,\) and \(3,\)"),
    (lambda: ag.cross(ag.ones(2, 3), ag.ones(4, 3)), r"cross: shapes \(2, 3\) and \(4, 3\) do"),
    (lambda: ag.cross(ag.ones(3), ag.ones(3), axisa=1), r"cross: axisa 1 is out of range"),
])
def test_shape_errors_name_the_op_and_the_shapes(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()


def test_a_shape_error_records_nothing():
    a, b = ag.ones(2, 3, requires_grad=True), ag.ones(2, 3, requires_grad=True)
    column = ag.ones(2, 1, requires_grad=True)
    before = next_stamp()
    for bad in (lambda: ag.dot(a, b), lambda: ag.tensordot(a, b, 1), lambda: ag.cross(a, column),
                lambda: ag.cross(a, b, axisc=2), lambda: ag.inner(a, column)):
        with pytest.raises(ValueError):
            bad()
    assert next_stamp() == before + 1, "a node was recorded before an error"
