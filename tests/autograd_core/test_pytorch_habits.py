"""PyTorch habits (API.md): `dim=`/`keepdim=` wherever `axis=`/`keepdims=` are
(ops/common.accepts_dim, applied by functions.py and methods/), the PyTorch-named methods,
ag.cat, and ag.tensor making a new leaf."""

import inspect

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.functions import NAMES
from autograd_core.ops.common import _torch_name


def leaf(values):
    return ag.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


def assert_close(actual, expected, what=""):
    actual = np.asarray(actual.data if isinstance(actual, ag.Tensor) else actual)
    expected = np.asarray(expected.data if isinstance(expected, ag.Tensor) else expected)
    assert actual.shape == expected.shape and np.allclose(actual, expected), (
        f"{what}\nengine:   {actual}\nexpected: {expected}")


# -- dim= and keepdim= --------------------------------------------------------------------------
# A value for each NumPy axis argument, valid for a tensor of shape (2, 3, 1).
AXIS_VALUES = {"axis": -1, "keepdims": True, "axes": (2, 1, 0), "axis1": 0, "axis2": 1,
               "axisa": -1, "axisb": -1, "axisc": -1}
# Other values where a function's axis argument means something else (two axes for rot90,
# contracted pairs for tensordot, the two matrix axes for a matrix norm).
AXIS_OVERRIDES = {
    "rot90": {"axes": (2, 0)},
    "tensordot": {"axes": ([1, 2], [1, 0])},
    "linalg.matrix_norm": {"axis": (0, 1)},
}
INDEX = np.zeros((2, 3, 1), dtype=np.int64)  # along the last axis (length 1) only 0 is valid
# The leading arguments where one tensor x is not enough; the default is (x,). A Tensor
# method gets the same ones (x first, as self).
LEADING = {
    "split": lambda x: (x, 1),
    "array_split": lambda x: (x, 2),
    "concatenate": lambda x: ([x, x],),
    "cat": lambda x: ([x, x],),
    "stack": lambda x: ([x, x],),
    "cross": lambda x: (x.swapaxes(1, 2), x.swapaxes(1, 2) ** 2),  # length 3 last
    "put_along_axis": lambda x: (x, INDEX, 2 * x),
    "repeat": lambda x: (x, 2),
    "roll": lambda x: (x, 1),
    "take": lambda x: (x, [0, 0]),
    "take_along_axis": lambda x: (x, INDEX),
    "tensordot": lambda x: (x, x.transpose(2, 1, 0)),
    "topk": lambda x: (x, 1),
}
# Arguments after the axis, by keyword (the axis comes second in the scatter functions).
KEYWORDS = {
    "scatter_add": lambda x: {"index": INDEX, "src": 2 * x},
    "scatter_reduce": lambda x: {"index": INDEX, "src": 2 * x, "reduce": "amax"},
}


def axis_parameters(function):
    by_keyword = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return [name for name, p in inspect.signature(function).parameters.items()
            if p.kind in by_keyword and _torch_name(name) != name]


def check_torch_names(function, name, what, parameters):
    """function(leading..., axis arguments by NumPy's names) == the same by PyTorch's."""
    values = {**AXIS_VALUES, **AXIS_OVERRIDES.get(name, {})}
    numpy_kwargs = {parameter: values[parameter] for parameter in parameters}
    torch_kwargs = {_torch_name(parameter): value for parameter, value in numpy_kwargs.items()}
    x = leaf(np.arange(6.0).reshape(2, 3, 1) / 7 + 0.1)
    leading = LEADING.get(name, lambda x: (x,))(x)
    others = KEYWORDS.get(name, lambda x: {})(x)
    expected = function(*leading, **others, **numpy_kwargs)
    got = function(*leading, **others, **torch_kwargs)
    assert isinstance(got, (list, tuple)) == isinstance(expected, (list, tuple))
    for g, e in zip(got if isinstance(got, (list, tuple)) else [got],
                    expected if isinstance(expected, (list, tuple)) else [expected]):
        assert_close(g, e, f"{what} with {torch_kwargs}")


AXIS_FUNCTIONS = [name for name in NAMES if axis_parameters(getattr(ag.ops, name))] + [
    f"linalg.{name}" for name in ag.linalg.__all__
    if callable(getattr(ag.linalg, name)) and not isinstance(getattr(ag.linalg, name), type)
    and axis_parameters(getattr(ag.linalg, name))]


def ag_function(name):
    """ag.sum, or ag.linalg.norm for "linalg.norm"."""
    owner, _, last = name.rpartition(".")
    return getattr(getattr(ag, owner) if owner else ag, last)


@pytest.mark.parametrize("name", AXIS_FUNCTIONS)
def test_every_ag_function_with_an_axis_takes_dim(name):
    """New ops get this by being exported from ops; add a LEADING entry if x alone is wrong."""
    function = ag_function(name)
    check_torch_names(function, name, f"ag.{name}", axis_parameters(function))


METHODS = [name for name, method in inspect.getmembers(ag.Tensor, inspect.isfunction)
           if not name.startswith("_") and axis_parameters(method)]


@pytest.mark.parametrize("name", METHODS)
def test_every_tensor_method_with_an_axis_takes_dim(name):
    check_torch_names(lambda x, *rest, **kwargs: getattr(x, name)(*rest, **kwargs), name,
                      f"t.{name}", axis_parameters(getattr(ag.Tensor, name)))


def test_the_functions_and_methods_with_an_axis_are_found():
    assert {"sum", "mean", "var", "max", "min", "softmax", "squeeze", "concatenate", "cross",
            "take", "linalg.norm", "linalg.vector_norm", "linalg.matrix_norm"} <= \
        set(AXIS_FUNCTIONS)
    assert {"sum", "mean", "var", "max", "min", "softmax", "squeeze", "unsqueeze"} <= set(METHODS)


def test_dim_and_keepdim_give_the_same_graph_as_axis_and_keepdims():
    x = leaf([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    y = x.sum(dim=1, keepdim=True) * ag.mean(x, dim=0).sum()
    z = x.sum(axis=1, keepdims=True) * ag.mean(x, axis=0).sum()
    assert_close(y, z)
    assert_close(ag.grad(y.sum(), [x])[0], ag.grad(z.sum(), [x])[0])


def test_positional_calls_are_untouched_and_both_spellings_at_once_raise():
    x = leaf(np.ones((2, 3)))
    assert_close(ag.sum(x, 0, True), np.full((1, 3), 2.0))
    assert_close(x.var(0, True, 1), np.zeros((1, 3)))
    with pytest.raises(TypeError, match=r"sum: got both axis= and dim="):
        ag.sum(x, axis=0, dim=0)
    with pytest.raises(TypeError, match=r"got both keepdims= and keepdim="):
        x.mean(keepdims=True, keepdim=True)


def test_accepts_dim_decorates_a_users_function_and_leaves_others_alone():
    @ag.accepts_dim
    def total(x, axis=None, keepdims=False):
        return ag.sum(x, axis, keepdims)

    assert total(ag.ones(2, 3), dim=1, keepdim=True).shape == (2, 1)
    assert inspect.signature(total) == inspect.signature(total.__wrapped__)

    def no_axis(x):
        return x

    assert ag.accepts_dim(no_axis) is no_axis


# -- PyTorch-named methods ----------------------------------------------------------------------
def test_unsqueeze_is_expand_dims():
    x = leaf([1.0, 2.0])
    assert x.unsqueeze(0).shape == (1, 2) and x.unsqueeze(-1).shape == (2, 1)
    assert x.unsqueeze(dim=1).shape == (2, 1)
    assert np.shares_memory(x.unsqueeze(0).data, x.data)
    (g,) = ag.grad((x.unsqueeze(0) * ag.tensor([[3.0, 4.0]])).sum(), [x])
    assert_close(g, [3.0, 4.0])


def test_permute_takes_dims_as_varargs_or_a_tuple():
    x = leaf(np.arange(24.0).reshape(2, 3, 4))
    assert_close(x.permute(2, 0, 1), np.transpose(x.data, (2, 0, 1)))
    assert_close(x.permute((2, 0, 1)), np.transpose(x.data, (2, 0, 1)))
    weights = np.arange(24.0).reshape(4, 2, 3)
    (g,) = ag.grad((x.permute(2, 0, 1) * weights).sum(), [x])
    assert_close(g, np.transpose(weights, (1, 2, 0)))


def test_view_shares_memory_and_refuses_to_copy():
    x = ag.arange(6.0)
    v = x.view(2, 3)
    assert v.shape == (2, 3) and np.shares_memory(v.data, x.data)
    assert x.view((3, 2)).shape == (3, 2) and x.view(-1, 2).shape == (3, 2)
    with pytest.raises(RuntimeError, match=r"view: .*use reshape\(\)"):
        v.T.view(6)


def test_clone_copies_and_passes_the_gradient():
    x = leaf([1.0, 2.0])
    c = x.clone()
    assert not np.shares_memory(c.data, x.data) and c.grad_fn is not None
    (g,) = ag.grad((c * 3.0).sum(), [x])
    assert_close(g, [3.0, 3.0])


def test_numel_size_float_double_pow():
    x = leaf(np.ones((2, 3)))
    assert x.numel() == 6 and x.size == 6 and isinstance(x.size, int)
    f = x.float()
    assert f.dtype == np.float32 and f.grad_fn is not None
    (g,) = ag.grad(f.sum(), [x])
    assert g.dtype == np.float64 and np.allclose(g.data, 1.0)
    assert ag.tensor([1, 2]).double().dtype == np.float64
    y = leaf([1.0, 2.0, 3.0])
    (g,) = ag.grad(y.pow(2).sum(), [y])
    assert_close(g, [2.0, 4.0, 6.0])
    assert_close(y.pow(y), y.data ** y.data)


def test_cat_is_concatenate_with_dim():
    a, b = leaf([[1.0], [2.0]]), leaf([[3.0], [4.0]])
    c = ag.cat([a, b], dim=1)
    assert_close(c, [[1.0, 3.0], [2.0, 4.0]])
    assert_close(ag.cat([a, b]), ag.concatenate([a, b]))
    ga, gb = ag.grad((c * np.array([[1.0, 2.0], [3.0, 4.0]])).sum(), [a, b])
    assert_close(ga, [[1.0], [3.0]]) and assert_close(gb, [[2.0], [4.0]])


# -- ag.tensor makes a new leaf; ag functions stack lists of Tensors ----------------------------
def test_tensor_refuses_tensors_that_require_grad_inside_a_list():
    x = leaf([1.0, 2.0])
    for data in ([x, x], [[x], [x]], (x * 2, ag.ones(2)), [ag.ones(2), [x]]):
        with pytest.raises(TypeError, match=r"ag\.tensor\(\) makes a new leaf.*ag\.stack"):
            ag.tensor(data)


def test_tensor_of_tensors_without_grad_copies_their_values():
    a, b = ag.tensor([1.0, 2.0]), ag.tensor([3.0, 4.0])
    t = ag.tensor([a, b])
    assert_close(t, [[1.0, 2.0], [3.0, 4.0]])
    assert t.is_leaf and not np.shares_memory(t.data, a.data)


def test_a_list_of_tensors_given_to_an_ag_function_is_stacked_with_its_history():
    x, y = leaf([1.0, 3.0]), leaf([5.0, 7.0])
    m = ag.mean([x, y])
    assert_close(m, 4.0)
    gx, gy = ag.grad(m, [x, y])
    assert_close(gx, [0.25, 0.25]) and assert_close(gy, [0.25, 0.25])
    top = ag.max([x, y], axis=0)
    assert_close(top, [5.0, 7.0])
    gx, gy = ag.grad(top.sum(), [x, y])
    assert_close(gx, [0.0, 0.0]) and assert_close(gy, [1.0, 1.0])
