"""ops/reduce.py: std, prod (exact at zeros, to second order), all, any, and lists of Tensors
given to a reduction (stacked with their history)."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.tensor_base import next_stamp
from autograd_core.testing import gradcheck, gradgradcheck
from tests.autograd_core.cases import REDUCTION_SHAPES, axis_options, leaf


def check_both(f, *inputs):
    assert gradcheck(f, inputs)
    assert gradgradcheck(f, inputs)


def assert_equal(engine, expected, what):
    assert np.shape(engine) == np.shape(expected), f"{what}: shape {np.shape(engine)} != " \
                                                   f"{np.shape(expected)}"
    assert np.allclose(engine, expected, rtol=1e-12, atol=1e-12, equal_nan=True), (
        f"{what}:\nengine {engine}\nnumpy  {expected}")


SHAPE_AXIS = [(shape, axis) for shape in REDUCTION_SHAPES for axis in axis_options(len(shape))]


# -- std ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("shape, axis", SHAPE_AXIS, ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_std_matches_numpy_and_its_derivatives(shape, axis, keepdims, rng):
    x = leaf(rng.standard_normal(shape) + np.arange(np.prod(shape, dtype=int)).reshape(shape))
    ddof = 0 if x.size < 2 else 1
    count = x.size if axis is None else np.prod([x.shape[a] for a in np.atleast_1d(axis)])
    if count <= ddof:
        ddof = 0
    y = ag.std(x, axis=axis, keepdims=keepdims, ddof=ddof)
    assert_equal(y.data, np.std(x.data, axis=axis, keepdims=keepdims, ddof=ddof), "std")
    if count > 1:  # a single value has zero spread, where sqrt has no derivative
        check_both(lambda x: x.std(axis=axis, keepdims=keepdims, ddof=ddof), x)


def test_std_defaults_to_ddof_zero_and_promotes_integers():
    assert ag.std(ag.tensor([1.0, 3.0])).item() == 1.0
    y = ag.std(ag.tensor([1, 2, 3, 4]))
    assert y.dtype == np.float64 and np.isclose(y.item(), np.std([1, 2, 3, 4]))
    assert np.isclose(ag.tensor([1.0, 2.0, 4.0]).std(ddof=1).item(), np.std([1, 2, 4], ddof=1))


# -- prod -------------------------------------------------------------------------------------
@pytest.mark.parametrize("shape, axis", SHAPE_AXIS, ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_prod_matches_numpy_and_its_derivatives(shape, axis, keepdims, rng):
    x = leaf(rng.uniform(0.5, 1.5, shape) * rng.choice([-1, 1], shape))
    if x.size > 2:
        x.data.reshape(-1)[[0, 2]] = 0.0  # two zeros, in one lane or in two
    y = ag.prod(x, axis=axis, keepdims=keepdims)
    assert_equal(y.data, np.prod(x.data, axis=axis, keepdims=keepdims), "prod")
    check_both(lambda x: x.prod(axis=axis, keepdims=keepdims), x)


def _product_of_others(values):
    return np.array([np.prod(np.delete(values, k)) for k in range(values.size)])


@pytest.mark.parametrize("values", [[2.0, 3.0, 4.0], [2.0, 0.0, 4.0], [0.0, 3.0, 0.0],
                                    [0.0, 0.0, 0.0], [5.0]], ids=str)
def test_prod_gradient_is_the_product_of_the_others_with_zeros(values):
    x = leaf(values)
    (g,) = ag.grad(ag.prod(x), x)
    assert np.array_equal(g.data, _product_of_others(np.array(values))), g.data


def test_prod_second_derivative_is_exact_with_several_zeros():
    # d2 prod / dx_i dx_j = the product of the entries other than i and j (0 on the diagonal)
    x = leaf([0.0, 0.0, 3.0, 2.0])
    hessian = ag.functional.hessian(lambda x: ag.prod(x), x).data
    expected = np.zeros((4, 4))
    for i in range(4):
        for j in range(4):
            if i != j:
                expected[i, j] = np.prod(np.delete(x.data, [i, j]))
    assert np.array_equal(hessian, expected), f"\nengine\n{hessian}\nby hand\n{expected}"


def test_prod_of_integers_stays_integer_and_of_an_empty_axis_is_one():
    assert ag.prod(ag.tensor([2, 3])).dtype == np.int64
    x = leaf(np.ones((2, 0)))
    y = ag.prod(x, axis=1)
    assert np.array_equal(y.data, [1.0, 1.0])
    y.sum().backward()
    assert x.grad.shape == (2, 0)


# -- all, any -----------------------------------------------------------------------------------
@pytest.mark.parametrize("shape, axis", SHAPE_AXIS, ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_all_and_any_match_numpy_without_history(shape, axis, keepdims, rng):
    x = leaf(rng.integers(0, 2, shape) * rng.standard_normal(shape))
    for op, reference in ((ag.all, np.all), (ag.any, np.any)):
        y = op(x, axis=axis, keepdims=keepdims)
        assert y.dtype == bool and y.grad_fn is None and not y.requires_grad
        assert np.array_equal(y.data, reference(x.data, axis=axis, keepdims=keepdims))
    assert np.array_equal(x.all(axis, keepdims).data, np.all(x.data, axis, keepdims=keepdims))


# -- lists of Tensors ---------------------------------------------------------------------------
REDUCTIONS = {
    "sum": (ag.sum, np.sum), "mean": (ag.mean, np.mean), "max": (ag.max, np.max),
    "min": (ag.min, np.min), "prod": (ag.prod, np.prod), "var": (ag.var, np.var),
    "std": (ag.std, np.std), "logsumexp": (ag.logsumexp, None), "median": (ag.median, np.median),
}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_a_list_of_tensors_is_reduced_as_their_stack_with_history(name, rng):
    op, reference = REDUCTIONS[name]
    a, b = leaf(rng.standard_normal(3)), leaf(rng.standard_normal(3))
    y = op([a, b * 2.0], axis=0)
    expected = op(ag.stack([a, b * 2.0]), axis=0)
    assert np.allclose(y.data, expected.data)
    if reference is not None:
        assert np.allclose(y.data, reference([a.data, 2 * b.data], axis=0))
    ga, gb = ag.grad(y.sum(), (a, b))
    ea, eb = ag.grad(expected.sum(), (a, b))
    assert np.allclose(ga.data, ea.data) and np.allclose(gb.data, eb.data)


def test_lists_mix_tensors_numbers_and_nested_lists():
    a = leaf(2.0)
    y = ag.mean([a, 4.0])
    assert y.item() == 3.0
    (g,) = ag.grad(y, a)
    assert g.item() == 0.5
    m = ag.max([[a, 1.0], [0.0, a * 3]])  # nested: a (2, 2) stack
    assert m.item() == 6.0 and ag.grad(m, a)[0].item() == 3.0
    assert ag.sum([1.0, 2.0]).item() == 3.0  # no Tensor inside: a plain new tensor
    assert ag.ops.sum([a, a]).requires_grad  # the ops layer stacks too


def test_a_list_to_a_scan_or_sort_is_stacked_too():
    a, b = leaf([1.0, 2.0]), leaf([3.0, 0.5])
    assert np.array_equal(ag.cumsum([a, b], axis=0).data, [[1.0, 2.0], [4.0, 2.5]])
    assert ag.sort([a, b], axis=0).requires_grad
    assert np.array_equal(ag.argmax([a, b], axis=0).data, [1, 0])


# -- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize("call, pattern", [
    (lambda x: ag.prod(x, axis=2), r"prod: axis 2 is out of range.*\(3, 4\)"),
    (lambda x: ag.std(x, axis=(0, 0)), r"std: repeated axis"),
    (lambda x: ag.all(x, axis=-3), r"all: axis -3 is out of range.*\(3, 4\)"),
    (lambda x: ag.any(x, axis=5), r"any: axis 5 is out of range"),
])
def test_bad_axes_name_the_op_and_record_nothing(call, pattern):
    x = ag.ones(3, 4, requires_grad=True)
    before = next_stamp()
    with pytest.raises(ValueError, match=pattern):
        call(x)
    assert next_stamp() == before + 1, "a node was recorded before the error"


# -- NumPy's functions on Tensors record as the ag functions ------------------------------------
NUMPY_CALLS = {
    "std": (lambda m: m.std(axis=1, ddof=1), lambda m: np.std(m, axis=1, ddof=1)),
    "prod": (lambda m: m.prod(axis=0), lambda m: np.prod(m, axis=0)),
    "median": (lambda m: m.median(axis=1), lambda m: np.median(m, axis=1)),
    "cumsum": (lambda m: m.cumsum(), lambda m: np.cumsum(m)),
    "cumprod": (lambda m: m.cumprod(1), lambda m: np.cumprod(m, axis=1)),
    "diff": (lambda m: m.diff(axis=0), lambda m: np.diff(m, axis=0)),
    "sort": (lambda m: m.sort(0), lambda m: np.sort(m, axis=0)),
}


@pytest.mark.parametrize("name", sorted(NUMPY_CALLS))
def test_numpy_functions_and_methods_record_as_the_ag_function(name, rng):
    method, numpy_call = NUMPY_CALLS[name]
    x = leaf(rng.standard_normal((3, 4)))
    by_numpy, by_method = numpy_call(x), method(x)
    assert isinstance(by_numpy, ag.Tensor) and by_numpy.requires_grad
    assert np.allclose(by_numpy.data, numpy_call(x.data)) and np.allclose(by_method.data,
                                                                           by_numpy.data)
    g1, g2 = ag.grad(by_numpy.sum(), x)[0], ag.grad(by_method.sum(), x)[0]
    assert np.allclose(g1.data, g2.data)


def test_index_results_through_numpy_have_no_history(rng):
    x = leaf(rng.standard_normal((3, 4)))
    for result in (np.argmax(x, axis=1), np.argmin(x), np.argsort(x), np.all(x > 0),
                   np.any(x > 0, axis=0)):
        assert isinstance(result, ag.Tensor) and not result.requires_grad
