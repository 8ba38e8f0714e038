"""Mistakes get clear errors, raised where they are made, naming the op and the shapes or dtypes."""

import re

import numpy as np
import pytest

import autograd_core as ag


def shapes(*shapes):
    """A pattern matching the shapes in order, anything between them."""
    return ".*".join(re.escape(str(s)) for s in shapes)


@pytest.fixture
def a():
    return ag.ones(3, 4, requires_grad=True)


# -- shapes -------------------------------------------------------------------------------------
BINARY = {
    "add": lambda x, y: x + y,
    "sub": lambda x, y: x - y,
    "mul": lambda x, y: x * y,
    "div": lambda x, y: x / y,
    "pow": lambda x, y: x**y,
    "maximum": ag.maximum,
    "minimum": ag.minimum,
}


@pytest.mark.parametrize("op", sorted(BINARY))
def test_incompatible_shapes_in_binary_ops_name_the_op_and_both_shapes(op, a):
    with pytest.raises(ValueError, match=rf"{op}.*{shapes((3, 4), (2, 5))}"):
        BINARY[op](a, ag.ones(2, 5))
    with pytest.raises(ValueError, match=rf"{op}.*{shapes((5,), (3, 4))}"):
        BINARY[op](np.ones(5), a)  # the reflected form


def test_incompatible_shapes_in_where(a):
    with pytest.raises(ValueError, match=rf"where.*{shapes((3, 4), (2, 5))}"):
        ag.where(np.ones((3, 4), dtype=bool), a, ag.ones(2, 5))


def test_matmul_shape_errors(a):
    with pytest.raises(ValueError, match=rf"matmul.*{shapes((3, 4), (5, 2))}.*not aligned"):
        a @ ag.ones(5, 2)
    with pytest.raises(ValueError, match=rf"matmul.*{shapes((3,), (4,))}"):
        ag.ones(3) @ ag.ones(4)
    with pytest.raises(ValueError, match=rf"matmul.*at least one dimension.*{shapes((3, 4), ())}"):
        a @ ag.tensor(2.0)
    with pytest.raises(ValueError, match=rf"matmul.*batch.*{shapes((2, 3, 4), (3, 4, 5))}"):
        ag.ones(2, 3, 4) @ ag.ones(3, 4, 5)


def test_bad_reshape_names_both_shapes(a):
    pattern = rf"reshape.*{shapes((3, 4))}.*12 elements.*{shapes((5, 2))}"
    with pytest.raises(ValueError, match=pattern):
        a.reshape(5, 2)


def test_bad_broadcast_to(a):
    with pytest.raises(ValueError, match=rf"broadcast_to.*{shapes((3, 4), (2, 3))}"):
        a.broadcast_to((2, 3))


def test_bad_transpose(a):
    with pytest.raises(ValueError, match=rf"transpose.*\(0, 0\).*{shapes((3, 4))}"):
        a.transpose(0, 0)
    with pytest.raises(ValueError, match=rf"transpose.*\(0, 5\).*{shapes((3, 4))}"):
        a.transpose(0, 5)


def test_bad_concatenate_and_stack(a):
    with pytest.raises(ValueError, match=rf"concatenate.*{shapes((3, 4), (2, 5))}"):
        ag.concatenate([a, ag.ones(2, 5)], axis=0)
    with pytest.raises(ValueError, match=rf"concatenate.*axis 3.*{shapes((3, 4))}"):
        ag.concatenate([a, a], axis=3)
    with pytest.raises(ValueError, match=r"concatenate.*at least one"):
        ag.concatenate([])
    with pytest.raises(ValueError, match=rf"stack.*{shapes((2, 5), (3, 4))}"):
        ag.stack([a, ag.ones(2, 5)])


def test_bad_split(a):
    with pytest.raises(ValueError, match=r"split.*length 4.*5 equal sections"):
        ag.split(a, 5, axis=1)
    with pytest.raises(ValueError, match=r"split.*axis 4.*2 dims"):
        ag.split(a, 2, axis=4)


def test_bad_squeeze(a):
    with pytest.raises(ValueError, match=rf"squeeze.*axis 0.*{shapes((3, 4))}.*length 3"):
        a.squeeze(0)


# -- axes ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "op", ["sum", "mean", "max", "min", "var", "logsumexp", "softmax", "log_softmax"]
)
def test_axis_out_of_range_names_the_op(op, a):
    with pytest.raises(ValueError, match=rf"{op}: axis 5 is out of range.*2 dims"):
        getattr(a, op)(axis=5)


def test_repeated_axis(a):
    with pytest.raises(ValueError, match=r"sum: repeated axis"):
        a.sum(axis=(0, -2))


def test_non_integer_axis(a):
    with pytest.raises(TypeError, match=r"sum: axis must be None, an int or a tuple"):
        a.sum(axis=1.0)


def test_other_axis_arguments(a):
    with pytest.raises(ValueError, match=r"swapaxes: axis 5"):
        a.swapaxes(0, 5)
    with pytest.raises(ValueError, match=rf"expand_dims: axis 5.*{shapes((3, 4))}"):
        a.expand_dims(5)


# -- einsum -------------------------------------------------------------------------------------
def test_einsum_size_mismatch_names_the_index_and_shapes(a):
    with pytest.raises(ValueError, match=rf"einsum 'ij,jk->ik'.*'j'.*{shapes((3, 4), (5, 2))}"):
        ag.einsum("ij,jk->ik", a, ag.ones(5, 2))


def test_einsum_operand_count_and_rank(a):
    with pytest.raises(ValueError, match=r"einsum 'ij,jk->ik': 2 operand subscripts for 1"):
        ag.einsum("ij,jk->ik", a)
    with pytest.raises(ValueError, match=r"einsum 'ijk->i'.*'ijk'.*2 dims"):
        ag.einsum("ijk->i", a)


def test_einsum_bad_output(a):
    with pytest.raises(ValueError, match=r"einsum 'ij->k'.*'k'"):
        ag.einsum("ij->k", a)
    with pytest.raises(ValueError, match=r"einsum 'ij->ii'.*'i'"):
        ag.einsum("ij->ii", a)
    with pytest.raises(TypeError, match=r"einsum: subscripts must be a string"):
        ag.einsum(3, a)


# -- indexing -----------------------------------------------------------------------------------
@pytest.mark.parametrize("index", [5, (0, 7), np.array([0, 9]), (0, 0, 0)], ids=str)
def test_index_out_of_range_names_the_shape(index, a):
    with pytest.raises(IndexError, match=re.escape("(3, 4)")):
        a[index]


def test_mask_of_the_wrong_shape(a):
    with pytest.raises(IndexError, match=re.escape("(3, 4)")):
        a[np.ones(5, dtype=bool)]


def test_item_assignment_of_the_wrong_shape():
    t = ag.tensor(np.zeros((3, 4)))
    with pytest.raises(ValueError, match=rf"item assignment.*{shapes((3, 4))}.*{shapes((7,))}"):
        t[0] = np.ones(7)


# -- the engine ---------------------------------------------------------------------------------
def test_backward_on_a_non_scalar_without_grad(a):
    with pytest.raises(RuntimeError, match=r"single-element.*\(3, 4\)"):
        (a * 2.0).backward()


def test_backward_with_a_gradient_of_the_wrong_shape(a):
    pattern = rf"gradient of shape {shapes((4, 3))}.*{shapes((3, 4))}"
    with pytest.raises(RuntimeError, match=pattern):
        (a * 2.0).backward(np.ones((4, 3)))


def test_backward_on_a_tensor_that_does_not_require_grad():
    with pytest.raises(RuntimeError, match=r"does not require grad"):
        ag.ones(3).sum().backward()


def test_second_backward_without_retain_graph(a):
    y = (a.exp() * 2.0).sum()
    y.backward()
    with pytest.raises(RuntimeError, match=r"second time.*retain_graph=True"):
        y.backward()


def test_grad_on_an_input_not_in_the_graph(a):
    other = ag.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"inputs\[0\].*\(2,\).*not used.*allow_unused=True"):
        ag.grad((a * 2.0).sum(), other)
    assert ag.grad((a * 2.0).sum(), other, allow_unused=True) == (None,)


def test_grad_on_an_input_that_does_not_require_grad(a):
    with pytest.raises(RuntimeError, match=r"inputs\[0\].*does not require grad"):
        ag.grad((a * 2.0).sum(), ag.ones(2))
    with pytest.raises(TypeError, match=r"not a Tensor"):
        ag.grad((a * 2.0).sum(), np.ones(2))


def test_grad_with_the_wrong_number_of_grad_outputs(a):
    with pytest.raises(ValueError, match=r"2 gradients for 1 outputs"):
        ag.grad([(a * 2.0).sum()], [a], grad_outputs=[None, None])


def test_custom_function_returning_the_wrong_number_of_gradients(a):
    class Product(ag.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, g):
            return g

    with pytest.raises(RuntimeError, match=r"Product.backward returned 1 gradients.*2 inputs"):
        Product.apply(a, a).sum().backward()


def test_custom_function_returning_a_gradient_of_the_wrong_shape(a):
    class Double(ag.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return ag.ones(7)

    with pytest.raises(RuntimeError, match=rf"Double.backward.*{shapes((7,), (3, 4))}"):
        Double.apply(a).sum().backward()


def test_hook_returning_the_wrong_shape():
    x = ag.ones(2, requires_grad=True)
    x.register_hook(lambda g: ag.ones(3))
    with pytest.raises(RuntimeError, match=rf"hook.*{shapes((2,))}.*{shapes((3,))}"):
        (x * 2.0).sum().backward()


def test_hooks_and_retain_grad_need_a_tensor_that_requires_grad():
    with pytest.raises(RuntimeError, match=r"register_hook.*does not require grad"):
        ag.ones(2).register_hook(lambda g: g)
    with pytest.raises(RuntimeError, match=r"retain_grad.*does not require grad"):
        ag.ones(2).retain_grad()


# -- data and dtypes ----------------------------------------------------------------------------
def test_requires_grad_on_an_integer_tensor():
    with pytest.raises(TypeError, match=r"floating-point.*int64"):
        ag.tensor(np.array([1, 2]), requires_grad=True)


def test_ragged_list():
    with pytest.raises(ValueError, match=r"ragged"):
        ag.tensor([[1.0, 2.0], [3.0]])


@pytest.mark.parametrize(
    "data, pattern",
    [(None, r"NoneType"), ("text", r"str"), (np.ones(2, dtype=complex), r"complex128")],
    ids=["None", "str", "complex"],
)
def test_unsupported_data(data, pattern):
    with pytest.raises(TypeError, match=pattern):
        ag.tensor(data)


def test_unsupported_dtype_in_astype(a):
    with pytest.raises(TypeError, match=r"astype.*complex128"):
        a.astype(np.complex128)


def test_where_needs_a_bool_condition(a):
    with pytest.raises(TypeError, match=r"where.*bool.*float64"):
        ag.where(ag.ones(3, 4), a, 0.0)


def test_clip_needs_a_bound(a):
    with pytest.raises(ValueError, match=r"clip.*lo.*hi"):
        a.clip()


def test_item_of_a_tensor_with_many_elements(a):
    with pytest.raises(ValueError, match=r"item\(\).*12 elements"):
        a.item()


def test_functional_and_testing_need_tensors():
    with pytest.raises(TypeError, match=r"inputs\[0\] is a ndarray"):
        ag.functional.jacobian(lambda x: x, np.ones(2))
    with pytest.raises(TypeError, match=r"inputs\[0\] is a ndarray"):
        ag.testing.gradcheck(lambda x: x, np.ones(2))
