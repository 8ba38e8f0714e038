"""NumPy functions on Tensors whose results carry no gradient (shapes, indices, predicates,
constants), `out=` arguments, and the explicit ways out of the graph (numpy_api.py)."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.numpy_routes import NO_GRADIENT_FUNCTIONS, NO_GRADIENT_UFUNCS


def leaf(values):
    return ag.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


def assert_same(actual, expected, what=""):
    """Equal values and kinds: arrays came back as Tensors without history, the rest as is."""
    if isinstance(expected, (tuple, list)):
        assert type(actual) is type(expected) and len(actual) == len(expected), what
        for a, e in zip(actual, expected):
            assert_same(a, e, what)
        return
    if isinstance(expected, (np.ndarray, np.generic)) and not isinstance(expected, np.dtype):
        assert isinstance(actual, ag.Tensor) and actual.grad_fn is None, f"{what}: {actual!r}"
        assert actual.dtype == np.asarray(expected).dtype, what
        assert np.array_equal(actual.data, expected, equal_nan=actual.dtype.kind == "f"), (
            f"{what}\nengine:   {actual.data}\nexpected: {expected}")
        return
    assert actual == expected and type(actual) is type(expected), f"{what}: {actual!r}"


# -- results without a gradient -----------------------------------------------------------------
# How each no-gradient function is called (on Tensors, or on their arrays); the default is f(x).
NO_GRADIENT_CALLS = {
    np.size: lambda f, x: f(x, 1),
    np.result_type: lambda f, x: f(x, np.float32),
    np.may_share_memory: lambda f, x: f(x, x[0]),
    np.shares_memory: lambda f, x: f(x, x[1]),
    np.full_like: lambda f, x: f(x, 7.0),
    np.argmax: lambda f, x: f(x, axis=1),
    np.argsort: lambda f, x: f(x, axis=0),
    np.argwhere: lambda f, x: f(x > 0.5),
    np.nonzero: lambda f, x: f(x > 0.5),
    np.flatnonzero: lambda f, x: f(x > 0.5),
    np.count_nonzero: lambda f, x: f(x > 0.5, axis=0),
    np.searchsorted: lambda f, x: f(x[0] * 0 + [0.1, 0.5, 0.9, 1.3], x[1]),
    np.all: lambda f, x: f(x > 0.1, axis=1),
    np.any: lambda f, x: f(x > 0.7),
    np.isclose: lambda f, x: f(x, x + 1e-3 * (x > 0.5)),
    np.allclose: lambda f, x: f(x, x + 1e-12),
    np.array_equal: lambda f, x: f(x, x),
    np.array_equiv: lambda f, x: f(x, x[0]),
}
UNSPECIFIED_VALUES = {np.empty_like}  # only the shape and dtype are NumPy's


@pytest.mark.parametrize("function", sorted(NO_GRADIENT_FUNCTIONS, key=lambda f: f.__name__),
                         ids=lambda f: f.__name__)
def test_functions_without_a_gradient_give_numpys_values_without_history(function):
    x = leaf(np.random.default_rng(0).uniform(0.2, 0.8, (3, 4)))
    call = NO_GRADIENT_CALLS.get(function, lambda f, x: f(x))
    got, expected = call(function, x), call(function, x.data)
    if function in UNSPECIFIED_VALUES:
        assert isinstance(got, ag.Tensor) and got.shape == expected.shape and \
            got.dtype == expected.dtype and got.grad_fn is None
    else:
        assert_same(got, expected, f"np.{function.__name__}")


def _no_gradient_inputs(ufunc):
    if ufunc.types[0][0] in "?bBhHiIlLqQ" and "f" not in "".join(t[0] for t in ufunc.types):
        return [ag.tensor([3, 5, 6]), ag.tensor([1, 2, 1])][:ufunc.nin]  # integer ufuncs
    return [leaf([0.5, -1.5, np.nan]), leaf([0.5, 2.0, 1.0])][:ufunc.nin]


@pytest.mark.parametrize("ufunc", sorted(NO_GRADIENT_UFUNCS, key=lambda u: u.__name__),
                         ids=lambda u: u.__name__)
def test_ufuncs_without_a_gradient_give_numpys_values_without_history(ufunc):
    inputs = _no_gradient_inputs(ufunc)
    with np.errstate(invalid="ignore"):
        assert_same(ufunc(*inputs), ufunc(*[x.data for x in inputs]), f"np.{ufunc.__name__}")


def test_methods_of_ufuncs_without_a_gradient_run_on_the_arrays():
    mask = ag.tensor([[True, False], [True, True]])
    assert_same(np.logical_and.reduce(mask, axis=1), np.array([False, True]))
    assert_same(np.logical_or.accumulate(mask, axis=0),
                np.logical_or.accumulate(mask.data, axis=0))


def test_what_numpy_asks_of_array_likes():
    x = leaf(np.ones((2, 3)))
    assert np.shape(x) == (2, 3) and np.ndim(x) == 2 and np.size(x) == 6
    assert np.result_type(x, np.float32) == np.float64
    assert not np.iscomplexobj(x) and np.isrealobj(x)
    np.testing.assert_allclose(x, np.ones((2, 3)))  # NumPy's test helpers accept Tensors


# -- out= -----------------------------------------------------------------------------------------
def test_out_a_plain_array_gets_the_values_without_history():
    x = leaf([0.0, 1.0])
    out = np.zeros(2)
    result = np.exp(x, out=out)
    assert result is out and np.allclose(out, np.exp([0.0, 1.0]))
    total = np.zeros(())
    assert np.sum(x, axis=0, out=total) is total and total == 1.0
    array = np.zeros(2)
    assert np.concatenate([x[:1], x[1:]], out=array) is array and np.allclose(array, x.data)


def test_the_lecture_update_p_data_plus_equals_minus_lr_times_grad():
    p = leaf([1.0, -2.0, 3.0])
    (p * p).sum().backward()
    memory = p.data
    p.data += -0.1 * p.grad  # ndarray += Tensor: the ufunc's out= is p.data
    assert p.data is memory and type(p.data) is np.ndarray
    assert np.allclose(p.data, [0.8, -1.6, 2.4])
    assert p.is_leaf and p.requires_grad


def test_out_a_tensor_is_an_in_place_change_that_is_recorded():
    x = leaf([1.0, 2.0, 3.0])
    h = x * 1.0
    version = h._version
    assert np.multiply(h, 3.0, out=h) is h
    assert h._version == version + 1 and np.allclose(h.data, [3.0, 6.0, 9.0])
    np.exp(h, out=h)
    h.sum().backward()  # d/dx exp(3x) = 3 exp(3x)
    assert np.allclose(x.grad.data, 3 * np.exp(3 * x.data))


def test_out_a_tensor_gets_the_history_of_what_is_written():
    x = leaf([0.0, 1.0])
    t = ag.zeros(2)
    np.exp(x, out=t)
    t.sum().backward()
    assert np.allclose(x.grad.data, np.exp(x.data))
    s = ag.zeros(())
    np.sum(x * x, out=s)
    assert s.grad_fn is not None and float(s) == 1.0


def test_out_a_leaf_that_requires_grad_raises_as_any_in_place_change():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match=r"leaf tensor that requires grad"):
        np.exp(x, out=x)
    with ag.no_grad():
        np.multiply(x, 2.0, out=x)
    assert np.allclose(x.data, [2.0, 4.0])


def test_out_must_be_an_array_or_a_tensor():
    with pytest.raises(TypeError, match=r"out= must be"):
        np.sum(leaf([1.0]), out=[0.0])


def test_copyto_into_a_tensor_or_an_array():
    x = leaf([1.0, 2.0])
    t = ag.zeros(2)
    np.copyto(t, x * 2)
    (g,) = ag.grad(t.sum(), [x])
    assert np.allclose(t.data, [2.0, 4.0]) and np.allclose(g.data, [2.0, 2.0])
    array = np.zeros(2)
    np.copyto(array, x)
    assert np.allclose(array, [1.0, 2.0])


# -- the ways out of the graph --------------------------------------------------------------------
def test_np_asarray_and_numpy_are_the_explicit_exits():
    x = leaf([1.0, 2.0])
    for exit_ in (np.asarray(x), x.numpy()):
        assert type(exit_) is np.ndarray and np.shares_memory(exit_, x.data)
    copy = np.array(x)
    assert type(copy) is np.ndarray and not np.shares_memory(copy, x.data)
    assert np.asarray(x, dtype=np.float32).dtype == np.float32
    if np.lib.NumpyVersion(np.__version__) >= "2.0.0":  # copy= reaches __array__ from NumPy 2
        assert np.shares_memory(np.asarray(x, copy=False), x.data)
        with pytest.raises(ValueError, match=r"without a copy"):
            np.asarray(x, dtype=np.float32, copy=False)


def test_a_routed_result_is_never_a_plain_array():
    x = leaf([[1.0, 2.0], [3.0, 4.0]])
    for y in (np.exp(x), np.sum(x, axis=0), np.transpose(x), np.where(x > 2, x, 0.0),
              np.concatenate([x, x]), np.add.reduce(x), np.float64(3) * x, np.ones(2) + x):
        assert isinstance(y, ag.Tensor) and y.grad_fn is not None, repr(y)
