"""NumPy functions on Tensors (numpy_api.py, numpy_routes.py): every routed ufunc and function
records, with the gradient of its ag op and of finite differences; the no-gradient ones give
NumPy's values without history; anything else raises TypeError naming it; np.asarray exits."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import ops
from autograd_core.functions import NAMES
from autograd_core.numpy_routes import (
    FUNCTIONS,
    NO_GRADIENT_FUNCTIONS,
    NO_GRADIENT_UFUNCS,
    UFUNC_ACCUMULATIONS,
    UFUNC_REDUCTIONS,
    UFUNCS,
)
from autograd_core.testing import gradcheck


def leaf(values):
    return ag.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


def values(shape, low=0.2, high=0.8, seed=0):
    return np.random.default_rng(seed).uniform(low, high, shape)


def assert_close(actual, expected, what="", rtol=1e-10, atol=1e-12):
    actual = np.asarray(actual.data if isinstance(actual, ag.Tensor) else actual)
    expected = np.asarray(expected.data if isinstance(expected, ag.Tensor) else expected)
    assert actual.shape == expected.shape and np.allclose(actual, expected, rtol, atol), (
        f"{what}\nengine:   {actual}\nexpected: {expected}")


def loss(result):
    """A scalar that weighs every output entry differently (so no gradient cancels)."""
    if isinstance(result, (list, tuple)):
        return sum(loss(r) * (i + 1) for i, r in enumerate(result))
    weights = np.cos(np.arange(result.size)).reshape(result.shape) + 1.5
    return (result * weights).sum()


def gradient(result, x):
    (g,) = ag.grad(loss(result), [x])
    return g


# -- ufuncs -------------------------------------------------------------------------------------
# Input ranges (low, high) per ufunc name where (0.2, 0.8) is outside the domain or near a kink,
# and input shapes where elementwise (3, 4) ones do not fit.
UFUNC_DOMAINS = {"arccosh": (1.2, 2.0)}
UFUNC_SHAPES = {np.matmul: ((3, 4), (4, 2))}


def ufunc_inputs(ufunc):
    low, high = UFUNC_DOMAINS.get(ufunc.__name__, (0.2, 0.8))
    shapes = UFUNC_SHAPES.get(ufunc, ((3, 4),) * ufunc.nin)
    return [leaf(values(shape, low, high, seed)) for seed, shape in enumerate(shapes)]


def name_of(item):
    return item.__name__


def by_name(items):
    return sorted(items, key=name_of)


@pytest.mark.parametrize("ufunc", by_name(UFUNCS), ids=name_of)
def test_every_routed_ufunc_records_the_gradient_of_its_op(ufunc):
    inputs = ufunc_inputs(ufunc)
    y = ufunc(*inputs)
    assert isinstance(y, ag.Tensor) and y.requires_grad, f"np.{ufunc.__name__} left the graph"
    assert_close(y, ufunc(*[x.data for x in inputs]), f"np.{ufunc.__name__} forward")
    expected = ag.grad(loss(UFUNCS[ufunc](*inputs)), inputs)
    for got, want in zip(ag.grad(loss(y), inputs), expected):
        assert_close(got, want, f"np.{ufunc.__name__} gradient")
    assert gradcheck(lambda *xs: ufunc(*xs), tuple(inputs))


@pytest.mark.parametrize("ufunc", by_name(u for u in UFUNCS if u.nin == 2), ids=name_of)
def test_binary_ufuncs_with_an_array_on_either_side_keep_the_tensors_history(ufunc):
    a, b = ufunc_inputs(ufunc)
    for y, x in ((ufunc(a.data, b), b), (ufunc(a, b.data), a)):
        assert isinstance(y, ag.Tensor) and y.grad_fn is not None
        assert_close(y, ufunc(a.data, b.data))
        other = a.data if x is b else b.data
        args = (other, x) if x is b else (x, other)
        assert_close(gradient(y, x), gradient(UFUNCS[ufunc](*args), x))


def test_numpy_scalars_and_arrays_on_either_side_of_an_operator():
    x = leaf([1.0, 2.0, 3.0])
    array = np.array([2.0, 3.0, 4.0])
    cases = {
        "np.float64(2) * x": (np.float64(2) * x, [2.0, 2.0, 2.0]),
        "x * np.float64(2)": (x * np.float64(2), [2.0, 2.0, 2.0]),
        "array * x": (array * x, array),
        "x * array": (x * array, array),
        "array - x": (array - x, [-1.0, -1.0, -1.0]),
        "array / x": (array / x, -array / x.data ** 2),
        "array ** x": (array ** x, np.log(array) * array ** x.data),
        "array @ x": (array @ x, array),
    }
    for what, (y, expected) in cases.items():
        assert isinstance(y, ag.Tensor) and y.grad_fn is not None, what
        (g,) = ag.grad(y.sum(), [x])
        assert_close(g, expected, what)


def test_ufunc_options_without_a_differentiable_version_raise_naming_them():
    x = leaf([1.0, 2.0])
    with pytest.raises(TypeError, match=r"np\.exp: the option dtype="):
        np.exp(x, dtype=np.float32)
    with pytest.raises(TypeError, match=r"np\.add: the option where="):
        np.add(x, 1.0, where=np.array([True, False]))
    assert_close(np.add(x, 1.0, casting="same_kind"), [2.0, 3.0])  # NumPy's default: accepted


@pytest.mark.parametrize("ufunc", [np.cbrt, np.nextafter, np.heaviside], ids=name_of)
def test_a_ufunc_without_a_differentiable_version_raises_naming_it(ufunc):
    inputs = [leaf([0.5, 1.5])] * ufunc.nin
    with pytest.raises(TypeError, match=rf"np\.{ufunc.__name__} has no differentiable version"):
        ufunc(*inputs)


def test_heaviside_names_the_alternative():
    with pytest.raises(TypeError, match=r"use ag\.where"):
        np.heaviside(leaf([0.5]), 0.5)


# -- ufunc methods ------------------------------------------------------------------------------
@pytest.mark.parametrize("ufunc, name", sorted(UFUNC_REDUCTIONS.items(), key=str), ids=str)
def test_ufunc_reduce_is_the_ag_reduction_with_numpys_default_axis(ufunc, name):
    x = leaf(values((3, 4)))
    op = getattr(ops, name, None)
    if op is None:  # the op does not exist (yet): the reduction must say so, not convert
        with pytest.raises(TypeError, match=rf"np\.{ufunc.__name__}\.reduce has no differenti"):
            ufunc.reduce(x)
        return
    for kwargs in ({}, {"axis": 1}, {"axis": None, "keepdims": True}):
        y = ufunc.reduce(x, **kwargs)
        assert y.grad_fn is not None
        assert_close(y, ufunc.reduce(x.data, **kwargs), f"{name} {kwargs}")
        axis = kwargs.get("axis", 0)
        expected = op(x, axis=axis, keepdims=kwargs.get("keepdims", False))
        assert_close(gradient(y, x), gradient(expected, x), f"{name} {kwargs}")


@pytest.mark.parametrize("ufunc, name", sorted(UFUNC_ACCUMULATIONS.items(), key=str), ids=str)
def test_ufunc_accumulate_is_the_ag_scan(ufunc, name):
    x = leaf(values((3, 4)))
    op = getattr(ops, name, None)
    if op is None:
        with pytest.raises(TypeError, match=rf"np\.{ufunc.__name__}\.accumulate has no"):
            ufunc.accumulate(x)
        return
    y = ufunc.accumulate(x, axis=1)
    assert_close(y, ufunc.accumulate(x.data, axis=1))
    assert_close(gradient(y, x), gradient(op(x, axis=1), x))


def test_ufunc_outer_broadcasts_the_first_operand_against_the_second():
    x, y = leaf([1.0, 2.0, 3.0]), leaf([[0.5, 1.5]])
    d = np.subtract.outer(x, y)
    assert d.shape == (3, 1, 2) and d.grad_fn is not None
    assert_close(d, np.subtract.outer(x.data, y.data))
    gx, gy = ag.grad(loss(d), [x, y])
    hx, hy = ag.grad(loss(x.reshape(3, 1, 1) - y), [x, y])
    assert_close(gx, hx) and assert_close(gy, hy)


def test_ufunc_methods_without_a_differentiable_version_raise():
    x = leaf([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match=r"np\.add\.at has no differentiable version.*scatter_add"):
        np.add.at(x, [0, 0], 1.0)
    with pytest.raises(TypeError, match=r"np\.add\.reduceat has no differentiable version"):
        np.add.reduceat(x, [0, 2])
    with pytest.raises(TypeError, match=r"np\.add\.reduce: the option dtype="):
        np.add.reduce(x, dtype=np.float32)
    with pytest.raises(TypeError, match=r"np\.subtract\.reduce has no differentiable version"):
        np.subtract.reduce(x)


# -- NumPy functions ----------------------------------------------------------------------------
# How each routed function is called, on the NumPy function or on its ag target, with a float64
# leaf x of shape (3, 4) in (0.2, 0.8); the default is f(x). Options are gradcheck tolerances.
CALLS = {
    np.sum: lambda f, x: f(x, axis=0, keepdims=True),
    np.mean: lambda f, x: f(x, axis=1),
    np.var: lambda f, x: f(x, axis=0, ddof=1),
    np.max: lambda f, x: f(x, axis=1, keepdims=True),
    np.amax: lambda f, x: f(x, axis=0),
    np.min: lambda f, x: f(x, axis=1),
    np.amin: lambda f, x: f(x),
    np.reshape: lambda f, x: f(x, (4, 3)),
    np.transpose: lambda f, x: f(x, (1, 0)),
    np.swapaxes: lambda f, x: f(x, 0, 1),
    np.moveaxis: lambda f, x: f(x, 0, -1),
    np.squeeze: lambda f, x: f(x[None], axis=0),
    np.expand_dims: lambda f, x: f(x, 1),
    np.broadcast_to: lambda f, x: f(x, (2, 3, 4)),
    np.diagonal: lambda f, x: f(x, 1),
    np.concatenate: lambda f, x: f([x, 2 * x], axis=1),
    np.stack: lambda f, x: f([x, x * x], axis=-1),
    np.split: lambda f, x: f(x, 2, axis=1),
    np.where: lambda f, x: f(x > 0.5, x, 1 - x),
    np.clip: lambda f, x: f(x, 0.35, 0.65),
    np.einsum: lambda f, x: f("ij,kj->ik", x, x),
    np.dot: lambda f, x: f(x, x.T),
    # arranging and selecting
    np.roll: lambda f, x: f(x, 1, axis=1),
    np.tile: lambda f, x: f(x, (2, 1)),
    np.repeat: lambda f, x: f(x, 2, axis=0),
    np.pad: lambda f, x: f(x, ((1, 0), (0, 2)), constant_values=0.5),  # NumPy's **kwargs
    np.atleast_1d: lambda f, x: f(x[0, 0], x[0]),  # a 0-d one grows; a larger one is itself
    np.atleast_2d: lambda f, x: f(x[0, 0], x[0]),
    np.array_split: lambda f, x: f(x, 3, axis=1),  # uneven: widths 2, 1, 1
    np.take: lambda f, x: f(x, [2, 0, 2], axis=1),  # a repeated index adds up
    np.take_along_axis: lambda f, x: f(x, np.array([[0, 3], [1, 1], [2, 0]]), axis=1),
    np.meshgrid: lambda f, x: f(x[0], x[:, 1], indexing="ij"),
    # products
    np.outer: lambda f, x: f(x[0], x[1]),
    np.inner: lambda f, x: f(x, x[::-1]),
    np.tensordot: lambda f, x: f(x, x[::-1].T, axes=1),
    np.kron: lambda f, x: f(x[:2, :2], x[1:, 2:]),
    np.cross: lambda f, x: f(x[:, :3], x[:, 1:].T, axisb=0),
    # np.linalg: square(x) is diagonally dominant (well conditioned), x x^T symmetric with
    # distinct eigenvalues, positive definite once the identity is added
    np.linalg.inv: lambda f, x: f(square(x)),
    np.linalg.det: lambda f, x: f(square(x)),
    np.linalg.slogdet: lambda f, x: f(square(x)),
    np.linalg.solve: lambda f, x: f(square(x), x[:, 3]),
    np.linalg.matrix_power: lambda f, x: f(square(x), 3),
    np.linalg.cholesky: lambda f, x: f(x @ x.T + np.eye(3)),
    np.linalg.eigh: lambda f, x: f(x @ x.T),
    # full_matrices=True (NumPy's default) adds a row of Vh that is any unit vector orthogonal to
    # the others, so nothing about it is differentiable: tested for its shape below
    np.linalg.svd: lambda f, x: f(x, full_matrices=False),
}
if hasattr(np, "astype"):
    CALLS[np.astype] = lambda f, x: f(x, np.float32)
CALL_OPTIONS = {"astype": {"atol": 1e-3, "eps": 1e-3}}
# These write into their first argument: np.copyto is tested below, np.put_along_axis in
# test_selection.py.
NOT_A_VALUE = {np.copyto, np.put_along_axis}


def square(x):
    return x[:, :3] + 2 * np.eye(3)


def several(y):
    """The outputs of a result: a list or tuple (np.split, np.meshgrid, np.linalg.qr's named
    tuple) holds several."""
    return list(y) if isinstance(y, (list, tuple)) else [y]


def kind(y):
    """What holds a result: one value, a list, a tuple, or a named tuple with its fields."""
    if hasattr(y, "_fields"):
        return f"a named tuple {y._fields}"
    return {list: "a list", tuple: "a tuple"}.get(type(y), "one value")


@pytest.mark.parametrize("function", by_name(set(FUNCTIONS) - NOT_A_VALUE), ids=name_of)
def test_every_routed_function_records_the_gradient_of_its_ag_function(function):
    call = CALLS.get(function, lambda f, x: f(x))
    x = leaf(values((3, 4)))
    y = call(function, x)
    outputs = several(y)
    assert all(isinstance(o, ag.Tensor) and o.grad_fn is not None for o in outputs), (
        f"np.{function.__name__} did not record: {y!r} (add a CALLS entry if f(x) is wrong)")
    expected = call(function, x.data)
    assert kind(y) == kind(expected) and len(outputs) == len(several(expected)), (
        f"np.{function.__name__} gave {kind(y)} of {len(outputs)}, NumPy {kind(expected)} of "
        f"{len(several(expected))}")
    for got, want in zip(outputs, several(expected)):
        assert_close(got, want, f"np.{function.__name__} forward", rtol=1e-6)
    assert_close(gradient(y, x), gradient(call(FUNCTIONS[function], x), x),
                 f"np.{function.__name__} gradient")
    assert gradcheck(lambda x: loss(call(function, x)), x,
                     **CALL_OPTIONS.get(function.__name__, {}))


def test_a_call_that_leaves_an_argument_out_means_numpys_default():
    """np.linalg.svd defaults to full_matrices=True, ag.linalg.svd to False: NumPy code gets
    NumPy's shapes (the extra columns of U and rows of Vh get no gradient, as ag's docstring
    says), and an explicit argument still wins."""
    x = leaf(values((3, 4)))
    for full in (None, True, False):
        kwargs = {} if full is None else {"full_matrices": full}
        y, expected = np.linalg.svd(x, **kwargs), np.linalg.svd(x.data, **kwargs)
        assert y._fields == expected._fields == ("U", "S", "Vh")
        for got, want in zip(y, expected):
            assert_close(got, want, f"np.linalg.svd {kwargs}")
        assert_close(gradient(y.S, x), gradient(ag.linalg.svd(x).S, x), "gradient of S")
    assert ag.linalg.svd(x).Vh.shape == (3, 4)


def test_every_ag_op_with_a_numpy_namesake_is_routed():
    """A new op whose name NumPy has must be added to numpy_routes.py (or listed there as
    carrying no gradient), so that np.<name>(t) never fails or leaves the graph."""
    missing = []
    for name in NAMES:
        namesake = getattr(np, name, None)
        if namesake is None or not callable(namesake):
            continue
        routed = (UFUNCS.keys() | NO_GRADIENT_UFUNCS) if isinstance(namesake, np.ufunc) else \
            (FUNCTIONS.keys() | NO_GRADIENT_FUNCTIONS)
        if namesake not in routed:
            missing.append(f"np.{name}")
    for name in ag.linalg.__all__:  # ag.linalg.inv is np.linalg.inv's
        namesake = getattr(np.linalg, name, None)
        if callable(namesake) and not isinstance(namesake, type) and namesake not in FUNCTIONS:
            missing.append(f"np.linalg.{name}")
    assert not missing, f"add these to autograd_core/numpy_routes.py: {missing}"


def test_keyword_arguments_match_by_name_and_positional_ones_by_numpys_order():
    x = leaf(values((3, 4)))
    assert_close(np.sum(x, 1, None, None, True), np.sum(x.data, 1, keepdims=True))
    if np.lib.NumpyVersion(np.__version__) >= "2.1.0":  # NumPy's newer spellings
        assert_close(np.var(x, axis=0, correction=1), np.var(x.data, axis=0, ddof=1))
        assert_close(np.std(x, axis=1, correction=1), np.std(x.data, axis=1, ddof=1))
        assert_close(np.clip(x, min=0.3, max=0.6), np.clip(x.data, 0.3, 0.6))
    assert_close(np.transpose(a=x, axes=(1, 0)), x.data.T)
    with pytest.raises(TypeError, match=r"np\.sum: the argument dtype="):
        np.sum(x, dtype=np.float32)
    with pytest.raises(TypeError, match=r"np\.reshape: the argument order='F'"):
        np.reshape(x, (4, 3), order="F")
    with pytest.raises(TypeError, match=r"bad"):
        np.sum(x, bad=1)


def test_tensors_nested_in_lists_keep_their_history():
    x, u = leaf([1.0, 2.0]), leaf([3.0])
    y = np.concatenate([x, u, np.array([5.0])])
    assert_close(y, [1.0, 2.0, 3.0, 5.0])
    gx, gu = ag.grad((y * np.array([1.0, 2.0, 3.0, 4.0])).sum(), [x, u])
    assert_close(gx, [1.0, 2.0]) and assert_close(gu, [3.0])
    s = np.stack([x, 2 * x, np.zeros(2)], axis=1)
    assert s.shape == (2, 3)
    (gx,) = ag.grad(s.sum(), [x])
    assert_close(gx, [3.0, 3.0])


def test_where_with_only_a_mask_tensor_still_gives_a_tensor():
    m = ag.tensor([True, False])
    y = np.where(m, 1.0, 0.0)
    assert isinstance(y, ag.Tensor) and y.grad_fn is None
    assert_close(y, [1.0, 0.0])
    (indices,) = np.where(ag.tensor([0.0, 2.0, 3.0]) > 1)  # np.where(cond) is np.nonzero
    assert isinstance(indices, ag.Tensor) and indices.tolist() == [1, 2]


@pytest.mark.parametrize("call, key", [
    (lambda x: np.interp(0.5, x, x), "np.interp"),
    (lambda x: np.unique(x), "np.unique"),
    (lambda x: np.polyval(x, 2.0), "np.polyval"),
    (lambda x: np.ptp(x), "np.ptp"),
    (lambda x: np.linalg.lstsq(x.reshape(2, 2), x[:2], rcond=None), "np.linalg.lstsq"),
])
def test_a_function_without_a_differentiable_version_raises_naming_it(call, key):
    with pytest.raises(TypeError, match=rf"{key.replace('.', '[.]')} has no differentiable "
                                        r"version.*np\.asarray"):
        call(leaf([0.1, 0.4, 0.2, 0.9]))


def test_the_message_names_the_ag_alternative_where_there_is_one():
    with pytest.raises(TypeError, match=r"np\.ptp .*use ag\.max\(t\) - ag\.min\(t\)"):
        np.ptp(leaf([1.0, 2.0]))
    with pytest.raises(TypeError, match=r"np\.append .*use ag\.concatenate"):
        np.append(leaf([1.0]), 2.0)
