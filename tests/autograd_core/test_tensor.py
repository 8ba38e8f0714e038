"""The Tensor: construction and dtype rules, attributes, conversions, operators, indexing,
in-place changes, factories and the random seed."""

import operator

import numpy as np
import pytest

import autograd_core as ag


def leaf(values):
    return ag.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


def assert_close(actual, expected, rtol=1e-12, atol=1e-12):
    actual = np.asarray(actual.data if isinstance(actual, ag.Tensor) else actual)
    assert np.allclose(actual, expected, rtol=rtol, atol=atol), (
        f"\nengine:   {actual}\nexpected: {np.asarray(expected)}"
    )


# -- construction -------------------------------------------------------------------------------
@pytest.mark.parametrize("data, dtype", [
    (3, np.int64), (2.5, np.float64), ([1, 2, 3], np.int64), ([[1.0, 2.0], [3.0, 4.0]], np.float64),
    ((1, 2), np.int64), ([1, 2.5], np.float64), (True, np.bool_), ([True, False], np.bool_),
])
def test_python_data_gets_numpy_and_pytorch_dtypes(data, dtype):
    """Python floats become the default float dtype, ints int64, bools bool (API.md)."""
    t = ag.Tensor(data)
    assert t.dtype == dtype
    assert_close(t, np.asarray(data, dtype=dtype))


@pytest.mark.parametrize("data", [3, [1, 2], [[1], [2]]])
def test_python_ints_with_requires_grad_become_a_float_leaf(data):
    t = ag.tensor(data, requires_grad=True)
    assert t.dtype == np.float64 and t.requires_grad and t.is_leaf


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.int32, np.bool_])
def test_numpy_array_keeps_its_dtype(dtype):
    array = np.array([1, 0, 1], dtype=dtype)
    t = ag.tensor(array)
    assert t.dtype == dtype
    assert not np.shares_memory(t.data, array), "the data must be copied"


def test_dtype_argument_converts():
    assert ag.tensor([1, 2], dtype=np.float32).dtype == np.float32
    assert ag.tensor(np.arange(3.0), dtype=np.int64).dtype == np.int64


def test_set_default_dtype_changes_what_python_data_becomes():
    try:
        ag.set_default_dtype(np.float32)
        assert ag.get_default_dtype() == np.float32
        assert ag.tensor([1.0, 2.0]).dtype == np.float32
        assert ag.tensor(1.0).dtype == np.float32
        assert ag.zeros(2).dtype == np.float32
        assert ag.randn(2).dtype == np.float32
        assert ag.tensor(np.ones(2)).dtype == np.float64  # arrays still keep theirs
    finally:
        ag.set_default_dtype(np.float64)
    assert ag.tensor([1.0]).dtype == np.float64


def test_set_default_dtype_rejects_non_float():
    with pytest.raises(TypeError, match=r"float"):
        ag.set_default_dtype(np.int64)
    assert ag.get_default_dtype() == np.float64


def test_tensor_from_tensor_copies_data_and_drops_history():
    x = leaf([1.0, 2.0])
    y = x * 2.0
    t = ag.Tensor(y)
    assert t is not y and t.grad_fn is None and not t.requires_grad
    assert not np.shares_memory(t.data, y.data)
    t.data[0] = 100.0
    assert y.data[0] == 2.0


def test_requires_grad_on_integer_tensor_raises():
    with pytest.raises(TypeError, match=r"int64"):
        ag.tensor(np.array([1, 2]), requires_grad=True)
    with pytest.raises(TypeError, match=r"bool"):
        ag.tensor(np.array([True])).requires_grad_()


def test_ragged_list_raises_a_clear_error():
    with pytest.raises(ValueError, match=r"ragged"):
        ag.tensor([[1.0, 2.0], [3.0]])


def test_unsupported_data_raises_type_error():
    with pytest.raises(TypeError, match=r"str"):
        ag.tensor("abc")


def test_requires_grad_flag():
    t = ag.tensor([1.0, 2.0])
    assert not t.requires_grad
    assert t.requires_grad_() is t and t.requires_grad
    t.requires_grad_(False)
    assert not t.requires_grad
    y = leaf([1.0]) * 2.0
    with pytest.raises(RuntimeError, match=r"detach"):
        y.requires_grad_(False)


# -- attributes and conversions -------------------------------------------------------------------
def test_attributes(rng):
    x = ag.tensor(rng.standard_normal((3, 4)), requires_grad=True, name="x")
    assert x.shape == (3, 4) and x.ndim == 2 and x.size == 12 and x.dtype == np.float64
    assert x.name == "x" and x.is_leaf and x.grad_fn is None and x.grad is None
    assert x.T.shape == (4, 3)
    assert_close(x.T, x.data.T)
    y = x * 2.0
    assert not y.is_leaf and y.grad_fn is not None and y.requires_grad
    assert ag.tensor(5.0).size == 1 and ag.tensor(5.0).shape == ()


def test_numpy_conversions(rng):
    data = rng.standard_normal((2, 3))
    t = ag.tensor(data)
    assert isinstance(np.asarray(t), np.ndarray)
    assert_close(np.asarray(t), data)
    assert np.asarray(t, dtype=np.float32).dtype == np.float32
    assert t.numpy() is t.data
    assert t.tolist() == data.tolist()
    assert ag.tensor(3.5).item() == 3.5 and isinstance(ag.tensor(3.5).item(), float)
    assert float(ag.tensor([2.0])) == 2.0 and int(ag.tensor(3.0)) == 3
    with pytest.raises(ValueError, match=r"6 elements"):
        t.item()


def test_len_and_iteration():
    t = ag.tensor(np.arange(6.0).reshape(3, 2))
    assert len(t) == 3
    rows = list(t)
    assert len(rows) == 3 and all(isinstance(r, ag.Tensor) for r in rows)
    assert_close(rows[2], [4.0, 5.0])
    with pytest.raises(TypeError, match=r"0-d"):
        len(ag.tensor(1.0))


def test_repr():
    assert repr(ag.tensor([1.0, 2.0])) == "tensor([1., 2.])"
    assert "requires_grad=True" in repr(leaf([1.0]))
    assert "grad_fn=<Mul>" in repr(leaf([1.0]) * 2.0)
    assert "dtype=int64" in repr(ag.tensor(np.array([1, 2])))
    assert "name='w'" in repr(ag.tensor(1.0, name="w"))


# -- operators ----------------------------------------------------------------------------------
ARITHMETIC = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "**": operator.pow,
}


@pytest.mark.parametrize("symbol", sorted(ARITHMETIC))
@pytest.mark.parametrize("other_kind", ["number", "array", "tensor"])
def test_operators_and_reflected_forms(symbol, other_kind, rng):
    op = ARITHMETIC[symbol]
    values = rng.uniform(0.5, 2.0, 3)
    other_values = rng.uniform(0.5, 2.0, 3)
    other = {
        "number": 1.5,
        "array": other_values,
        "tensor": ag.tensor(other_values),
    }[other_kind]
    plain = other if other_kind != "tensor" else other_values
    t = leaf(values)
    forward, reflected = op(t, other), op(other, t)
    assert isinstance(forward, ag.Tensor) and isinstance(reflected, ag.Tensor)
    assert_close(forward, op(values, plain))
    assert_close(reflected, op(plain, values))
    assert forward.requires_grad and reflected.requires_grad
    assert ag.testing.gradcheck(lambda t: op(other, t) * op(t, other), t)


def test_reflected_gradients_by_hand():
    t = leaf([0.5, 2.0])
    (2.0 - t).sum().backward()
    assert_close(t.grad, [-1.0, -1.0])
    t.grad = None
    (2.0 / t).sum().backward()
    assert_close(t.grad, -2.0 / t.data**2)
    t.grad = None
    (2.0**t).sum().backward()
    assert_close(t.grad, 2.0**t.data * np.log(2.0))


def test_numpy_array_on_the_left_gives_a_tensor(rng):
    a = rng.standard_normal((2, 3))
    t = leaf(rng.standard_normal((3, 4)))
    for result in (a @ t, np.ones(4) * t, np.ones(4) + t, np.float64(2.0) * t):
        assert isinstance(result, ag.Tensor) and result.grad_fn is not None


def test_matmul_operator_and_method(rng):
    a, b = leaf(rng.standard_normal((2, 3))), leaf(rng.standard_normal((3, 4)))
    assert_close(a @ b, a.data @ b.data)
    assert_close(a.matmul(b), a.data @ b.data)
    assert_close(ag.matmul(a, b), a.data @ b.data)


def test_unary_operators():
    t = leaf([-1.5, 2.0])
    assert_close(-t, [1.5, -2.0])
    assert (+t) is t
    assert_close(abs(t), [1.5, 2.0])


COMPARISONS = [operator.lt, operator.le, operator.gt, operator.ge, operator.eq, operator.ne]


@pytest.mark.parametrize("op", COMPARISONS, ids=lambda op: op.__name__)
def test_comparisons_return_bool_tensors_without_history(op):
    t = leaf([1.0, 2.0, 3.0])
    for other in (2.0, np.array([3.0, 2.0, 1.0]), ag.tensor([3.0, 2.0, 1.0])):
        result = op(t, other)
        plain = other.data if isinstance(other, ag.Tensor) else other
        assert isinstance(result, ag.Tensor) and result.dtype == np.bool_
        assert result.grad_fn is None and not result.requires_grad
        assert np.array_equal(result.data, op(t.data, plain))


def test_logical_operators_on_masks():
    t = ag.tensor([1.0, 2.0, 3.0])
    assert np.array_equal((~(t > 1.5)).data, [True, False, False])
    assert np.array_equal(((t > 1.5) & (t < 2.5)).data, [False, True, False])
    assert np.array_equal(((t < 1.5) | (t > 2.5)).data, [True, False, True])


# -- methods ------------------------------------------------------------------------------------
def test_shape_methods(rng):
    x = ag.tensor(rng.standard_normal((2, 3, 1)))
    assert x.reshape(6).shape == (6,) and x.reshape(3, 2).shape == (3, 2)
    assert x.reshape((3, -1)).shape == (3, 2)
    assert x.transpose().shape == (1, 3, 2) and x.transpose(1, 0, 2).shape == (3, 2, 1)
    assert x.transpose((2, 0, 1)).shape == (1, 2, 3)
    assert x.swapaxes(0, 1).shape == (3, 2, 1)
    assert x.flatten().shape == (6,)
    assert x.squeeze().shape == (2, 3) and x.squeeze(axis=-1).shape == (2, 3)
    assert x.expand_dims(0).shape == (1, 2, 3, 1)
    assert x.broadcast_to((4, 2, 3, 5)).shape == (4, 2, 3, 5)
    assert x.broadcast_to(4, 2, 3, 5).shape == (4, 2, 3, 5)


@pytest.mark.parametrize("axis", [None, 0, -1, (0, 1)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduction_methods_match_numpy(axis, keepdims, rng):
    data = rng.standard_normal((3, 4))
    x = ag.tensor(data)
    for name in ("sum", "mean", "max", "min", "var"):
        got = getattr(x, name)(axis=axis, keepdims=keepdims)
        want = getattr(np, name)(data, axis=axis, keepdims=keepdims)
        assert got.shape == np.shape(want), name
        assert_close(got, want)
    assert_close(
        x.var(axis=axis, keepdims=keepdims, ddof=1),
        np.var(data, axis=axis, keepdims=keepdims, ddof=1),
    )


def test_elementwise_methods_match_numpy(rng):
    data = rng.uniform(0.5, 2.0, (2, 3))
    x = ag.tensor(data)
    assert_close(x.exp(), np.exp(data))
    assert_close(x.log(), np.log(data))
    assert_close(x.sqrt(), np.sqrt(data))
    assert_close((-x).abs(), data)
    assert_close(x.sin(), np.sin(data))
    assert_close(x.cos(), np.cos(data))
    assert_close(x.tanh(), np.tanh(data))
    assert_close(x.sigmoid(), 1 / (1 + np.exp(-data)))
    assert_close((x - 1.0).relu(), np.maximum(data - 1.0, 0))
    assert_close(x.softplus(), np.log1p(np.exp(data)))
    assert_close(x.clip(0.8, 1.5), np.clip(data, 0.8, 1.5))
    e = np.exp(data - data.max(axis=-1, keepdims=True))
    assert_close(x.softmax(), e / e.sum(axis=-1, keepdims=True))
    assert_close(x.log_softmax(axis=0), data - np.log(np.exp(data).sum(axis=0)))
    assert_close(x.logsumexp(axis=1, keepdims=True), np.log(np.exp(data).sum(1, keepdims=True)))
    assert x.astype(np.float32).dtype == np.float32


# -- indexing -----------------------------------------------------------------------------------
INDEXES = {
    "int": 1,
    "negative int": -1,
    "slice": slice(0, 2),
    "step slice": slice(None, None, -2),
    "None": None,
    "Ellipsis": Ellipsis,
    "tuple": (1, slice(1, 3)),
    "None in tuple": (slice(None), None, 2),
    "Ellipsis in tuple": (Ellipsis, 0),
    "int array": np.array([2, 0]),
    "int list": [2, 0, 2],
    "two int arrays": (np.array([0, 1]), np.array([3, 3])),
    "bool mask": np.array([[True, False, True, False]] * 3),
    "row mask": np.array([True, False, True]),
}


@pytest.mark.parametrize("name", sorted(INDEXES))
def test_getitem_matches_numpy(name, rng):
    index = INDEXES[name]
    data = rng.standard_normal((3, 4))
    x = leaf(data)
    assert_close(x[index], data[index])
    assert ag.testing.gradcheck(lambda x: x[index], x)


def test_tensor_indices():
    x = leaf(np.arange(12.0).reshape(3, 4))
    assert_close(x[ag.tensor(np.array([2, 0]))], x.data[[2, 0]])
    mask = x > 5.0
    assert_close(x[mask], x.data[x.data > 5.0])
    assert_close(x[ag.tensor(np.array(1)), ag.tensor(np.array([0, 3]))], [4.0, 7.0])


def test_repeated_indices_accumulate_in_the_gradient():
    x = leaf([10.0, 20.0, 30.0])
    x[[0, 0, 2, 0]].sum().backward()
    assert_close(x.grad, [3.0, 0.0, 1.0])
    m = leaf(np.zeros((2, 2)))
    (m[np.array([1, 1]), np.array([0, 0])] * ag.tensor([2.0, 5.0])).sum().backward()
    assert_close(m.grad, [[0.0, 0.0], [7.0, 0.0]])


def test_index_out_of_range_names_the_shape():
    x = ag.tensor(np.zeros((3, 4)))
    with pytest.raises(IndexError, match=r"\(3, 4\)"):
        x[5]


# -- item assignment and in-place methods ---------------------------------------------------------
def test_item_assignment_on_a_constant():
    t = ag.tensor(np.zeros(4))
    t[1] = 5.0
    t[np.array([2, 3])] = ag.tensor([6.0, 7.0])
    assert_close(t, [0.0, 5.0, 6.0, 7.0])
    assert t._version == 2


def test_item_assignment_is_recorded_on_a_non_leaf():
    x = leaf([1.0, 2.0, 3.0])
    v = ag.tensor(10.0, requires_grad=True)
    y = x * 2.0
    y[1] = v * 3.0
    assert_close(y, [2.0, 30.0, 6.0])
    (y * ag.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert_close(x.grad, [2.0, 0.0, 6.0])  # the overwritten element gets no gradient
    assert_close(v.grad, 6.0)


def test_in_place_change_of_a_leaf_that_requires_grad_needs_no_grad():
    w = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match=r"add_.*no_grad"):
        w.add_(1.0)
    with pytest.raises(RuntimeError, match=r"item assignment"):
        w[0] = 3.0
    with ag.no_grad():
        w.add_(1.0)
        w[0] = 7.0
    assert_close(w, [7.0, 3.0])
    assert w.requires_grad and w.grad_fn is None


def test_in_place_methods_and_version_counter():
    t = ag.tensor([1.0, 2.0, 3.0])
    data = t.data
    assert t._version == 0
    assert t.add_(1.0) is t
    assert_close(t, [2.0, 3.0, 4.0])
    t.sub_(ag.tensor([1.0, 1.0, 1.0]))
    assert_close(t, [1.0, 2.0, 3.0])
    t.mul_(np.array([2.0, 3.0, 4.0]))
    assert_close(t, [2.0, 6.0, 12.0])
    t.copy_(ag.tensor([9.0, 8.0, 7.0]))
    assert_close(t, [9.0, 8.0, 7.0])
    t.zero_()
    assert_close(t, [0.0, 0.0, 0.0])
    assert t._version == 5
    assert t.data is data, "in-place methods change the array in place"


def test_augmented_assignment_changes_the_tensor_in_place():
    """`w -= lr * w.grad` under no_grad is the classic update (no_grad's own docstring shows
    it): the parameter must stay the same leaf object, still requiring grad."""
    w = leaf([1.0, 2.0])
    original = w
    with ag.no_grad():
        w -= ag.tensor([0.5, 0.5])
        w += 1.0
        w *= 2.0
    assert w is original and w.requires_grad and w.is_leaf
    assert_close(w, [3.0, 5.0])
    assert w._version == 3
    t = ag.tensor([1.0, 2.0])
    data = t.data
    t += 1.0
    assert t.data is data


def test_in_place_change_of_a_non_leaf_is_recorded():
    x = leaf([1.0, 2.0])
    y = x * 3.0
    y.mul_(x)  # y = 3 x * x
    y.add_(1.0)
    y.sum().backward()
    assert_close(x.grad, 6 * x.data)


def test_in_place_with_a_wrong_shape_names_both():
    t = ag.tensor(np.zeros(3))
    with pytest.raises(ValueError, match=r"\(3,\).*\(2,\)|\(2,\).*\(3,\)"):
        t.add_(np.ones(2))


# -- factories ----------------------------------------------------------------------------------
@pytest.mark.parametrize("factory", [ag.zeros, ag.ones, ag.rand, ag.randn])
def test_shape_factories_take_a_tuple_or_varargs(factory):
    for t in (factory(2, 3), factory((2, 3)), factory([2, 3])):
        assert t.shape == (2, 3) and t.dtype == np.float64 and not t.requires_grad
    assert factory(4).shape == (4,)
    assert factory().shape == ()
    assert factory(2, dtype=np.float32).dtype == np.float32
    t = factory(2, requires_grad=True)
    assert t.requires_grad and t.is_leaf


def test_factory_values():
    assert_close(ag.zeros(2, 2), np.zeros((2, 2)))
    assert_close(ag.ones(3), np.ones(3))
    assert_close(ag.full((2, 3), 7.0), np.full((2, 3), 7.0))
    assert ag.full(3, 1.5).shape == (3,)
    assert ag.full((2,), 4, dtype=np.int64).dtype == np.int64
    assert_close(ag.eye(3), np.eye(3))
    assert ag.eye(2, 3).shape == (2, 3)
    assert_close(ag.arange(5), np.arange(5))
    assert ag.arange(5).dtype == np.int64 and ag.full((2,), 3).dtype == np.int64
    assert ag.arange(0, 1, 0.25).dtype == np.float64 and ag.full((2,), 3.0).dtype == np.float64
    assert_close(ag.arange(1, 6, 2), [1, 3, 5])
    assert ag.arange(4, dtype=np.int64).dtype == np.int64
    assert_close(ag.linspace(0, 1, 5), [0.0, 0.25, 0.5, 0.75, 1.0])
    assert ag.linspace(0, 1).shape == (50,)
    r = ag.rand(1000)
    assert r.data.min() >= 0.0 and r.data.max() < 1.0
    n = ag.randn(10_000)
    assert abs(n.data.mean()) < 0.05 and abs(n.data.std() - 1.0) < 0.05


def test_like_factories(rng):
    t = ag.tensor(rng.standard_normal((2, 3)).astype(np.float32))
    for factory, value in ((ag.zeros_like, 0.0), (ag.ones_like, 1.0)):
        like = factory(t)
        assert like.shape == (2, 3) and like.dtype == np.float32
        assert_close(like, np.full((2, 3), value))
        assert factory(t, dtype=np.float64).dtype == np.float64
        assert factory(t, requires_grad=True).requires_grad


def test_factories_reject_bad_shapes():
    with pytest.raises(ValueError, match=r"non-negative"):
        ag.zeros(2, -1)
    with pytest.raises(ValueError, match=r"non-negative"):
        ag.ones(2.5)


def test_factory_requires_grad_on_integers_raises():
    with pytest.raises(TypeError, match=r"int64"):
        ag.zeros(2, dtype=np.int64, requires_grad=True)


# -- the random seed ----------------------------------------------------------------------------
def test_manual_seed_makes_draws_reproducible():
    ag.manual_seed(123)
    first = (ag.randn(3, 2).data, ag.rand(4).data)
    ag.manual_seed(123)
    second = (ag.randn(3, 2).data, ag.rand(4).data)
    assert np.array_equal(first[0], second[0]) and np.array_equal(first[1], second[1])
    ag.manual_seed(124)
    assert not np.array_equal(ag.randn(3, 2).data, first[0])


def test_manual_seed_drives_the_shared_generator():
    ag.manual_seed(7)
    expected = np.random.default_rng(7).standard_normal(5)
    assert isinstance(ag.get_generator(), np.random.Generator)
    assert_close(ag.randn(5), expected, rtol=0, atol=0)


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_manual_seed_rejects_bad_seeds(seed):
    with pytest.raises(ValueError, match=r"seed"):
        ag.manual_seed(seed)
