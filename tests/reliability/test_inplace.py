"""In-place safety: every in-place change bumps the version counter, a backward that needs a
value changed since it was saved raises, leaves that require grad are protected, and in-place
changes of non-leaf tensors are recorded so their gradients are right."""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autograd_core as ag
import optim
from autograd_core.testing import gradcheck


# -- version counters -----------------------------------------------------------------------
def _setitem(t, index, value):
    t[index] = value


MUTATIONS = {
    "add_": lambda t: t.add_(1.0),
    "sub_": lambda t: t.sub_(ag.ones(3)),
    "mul_": lambda t: t.mul_(2.0),
    "div_": lambda t: t.div_(2.0),
    "zero_": lambda t: t.zero_(),
    "copy_": lambda t: t.copy_(np.arange(3.0)),
    "t[i] = v": lambda t: _setitem(t, 1, 5.0),
    "t[mask] = v": lambda t: _setitem(t, np.array([True, False, True]), 0.0),
    "t[idx] = tensor": lambda t: _setitem(t, [0, 2], ag.tensor([7.0, 8.0])),
}


def _augmented(t, op):
    if op == "+=":
        t += 1.0
    elif op == "-=":
        t -= 1.0
    elif op == "*=":
        t *= 2.0
    else:
        t /= 2.0
    return t


@pytest.mark.parametrize("name", sorted(MUTATIONS))
@pytest.mark.parametrize("kind", ["plain", "leaf under no_grad", "non-leaf"])
def test_every_in_place_mutation_bumps_the_version(name, kind):
    if kind == "plain":
        t = ag.tensor([1.0, 2.0, 3.0])
    elif kind == "leaf under no_grad":
        t = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    else:
        t = ag.tensor([1.0, 2.0, 3.0], requires_grad=True) * 1.0
    before = t._version
    if kind == "leaf under no_grad":
        with ag.no_grad():
            MUTATIONS[name](t)
    else:
        MUTATIONS[name](t)
    assert t._version == before + 1


@pytest.mark.parametrize("op", ["+=", "-=", "*=", "/="])
def test_augmented_assignment_changes_the_tensor_itself(op):
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    alias = w
    with ag.no_grad():
        w = _augmented(w, op)
    assert w is alias and w._version == 1 and w.requires_grad and w.is_leaf


def _model_and_loss():
    w = ag.tensor([[0.5, -0.3], [0.2, 0.8], [0.1, 0.4]], requires_grad=True, name="w")
    x = ag.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    loss = ((x @ w) ** 2).sum()
    return w, loss


OPTIMIZERS = {
    "SGD": lambda p: optim.SGD(p, lr=0.1),
    "SGD momentum": lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
    "Adam": lambda p: optim.Adam(p),
    "AdamW": lambda p: optim.AdamW(p),
    "RMSprop": lambda p: optim.RMSprop(p, momentum=0.5, centered=True),
    "Adagrad": lambda p: optim.Adagrad(p),
}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_optimizer_step_bumps_the_versions_of_the_parameters_it_changes(name):
    w, loss = _model_and_loss()
    unused = ag.ones(2, requires_grad=True)  # no gradient: the step leaves it alone
    loss.backward()
    optimizer = OPTIMIZERS[name]([w, unused])
    optimizer.step()
    assert w._version >= 1 and unused._version == 0
    before = w._version
    optimizer.step()
    assert w._version > before


# -- a backward that needs a changed value raises --------------------------------------------
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_optimizer_step_between_forward_and_backward_raises_naming_op_and_tensor(name):
    """The classic bug: x @ w saves w (x requires grad, so dx = g w^T needs it); the step
    changes w before the backward that would use the stale value."""
    w, loss = _model_and_loss()
    w.grad = ag.ones(w.shape)
    OPTIMIZERS[name]([w]).step()
    with pytest.raises(RuntimeError) as error:
        loss.backward()
    message = str(error.value)
    assert "MatMul" in message and "'w'" in message and "(3, 2)" in message, message
    assert "modified in place" in message and "version" in message, message


def test_weight_used_twice_is_saved_and_checked():
    w = ag.tensor([1.0, 2.0], requires_grad=True, name="w")
    loss = (w * w).sum()  # Mul saves each operand for the other's gradient
    with ag.no_grad():
        w -= 0.1 * ag.ones(2)
    with pytest.raises(RuntimeError, match=r"Mul.*'w'.*modified in place"):
        loss.backward()


def test_an_input_that_needs_no_grad_is_still_checked_when_saved():
    x = ag.tensor([3.0, 4.0], name="x")  # saved by Mul for dw
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    loss = (x * w).sum()
    x.add_(1.0)
    message = r"Mul.*'x'.*modified in place after it was saved.*version 1 now"
    with pytest.raises(RuntimeError, match=message):
        loss.backward()


def test_a_change_after_the_backward_is_fine_and_retain_graph_sees_it():
    w = ag.tensor([1.0, 2.0], requires_grad=True, name="w")
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    with ag.no_grad():
        w.mul_(2.0)
    with pytest.raises(RuntimeError, match="modified in place"):
        loss.backward()  # the retained graph still holds the old w: a second sweep is stale


def test_unsaved_operands_may_change():
    """Add saves nothing, so changing its operand before backward is harmless."""
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    c = ag.tensor([5.0, 6.0])
    loss = (x + c).sum()
    c.add_(1.0)
    loss.backward()
    assert x.grad.tolist() == [1.0, 1.0]


@pytest.mark.parametrize("alias", [
    lambda x: x.detach(),
    lambda x: x[0:2],
    lambda x: x.reshape(2),
], ids=["detach", "slice", "reshape"])
def test_in_place_change_through_an_alias_is_caught(alias):
    x = ag.tensor([3.0, 4.0])
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    loss = (x * w).sum()  # saves x for dw
    alias(x).add_(10.0)  # detach() and views share x's memory and its version counter
    assert x.tolist() == [13.0, 14.0] and x._version == 1
    with pytest.raises(RuntimeError, match=r"Mul: .* shape \(2,\) .* version 0 .* version 1"):
        loss.backward()


# -- leaves that require grad ------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_changing_a_leaf_that_requires_grad_raises_in_grad_mode(name):
    w = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf tensor that requires grad"):
        MUTATIONS[name](w)
    assert w.tolist() == [1.0, 2.0, 3.0] and w._version == 0 and w.is_leaf


def test_item_assignment_on_a_leaf_is_allowed_under_no_grad():
    w = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(RuntimeError):
        w[0] = 9.0
    with ag.no_grad():
        w[0] = 9.0
    assert w.tolist() == [9.0, 2.0, 3.0] and w._version == 1
    assert w.is_leaf and w.requires_grad and w.grad_fn is None
    (w * w).sum().backward()  # still a working leaf
    assert w.grad.tolist() == [18.0, 4.0, 6.0]


# -- recorded in-place changes of non-leaf tensors -------------------------------------------
def test_item_assignment_on_a_non_leaf_zeroes_the_gradient_there():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    y[0] = 5.0
    assert y.tolist() == [5.0, 4.0, 6.0] and not y.is_leaf and y._version == 1
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 2.0, 2.0]


def test_mul_on_a_non_leaf_multiplies_the_gradient():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    y.mul_(3)
    y.sum().backward()
    assert x.grad.tolist() == [6.0, 6.0, 6.0]


def test_assigning_a_tensor_that_requires_grad_routes_its_gradient():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    v = ag.tensor([10.0, 20.0], requires_grad=True)
    y = x * 1.0
    y[[0, 2]] = v * v
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 0.0]
    assert v.grad.tolist() == [20.0, 40.0]


def test_a_plain_tensor_becomes_part_of_the_graph_when_given_a_value_that_requires_grad():
    buffer = ag.zeros(3)
    v = ag.tensor(2.0, requires_grad=True)
    buffer[1] = v
    assert buffer.requires_grad and not buffer.is_leaf
    (buffer * ag.tensor([1.0, 5.0, 1.0])).sum().backward()
    assert v.grad.item() == 5.0


@pytest.mark.parametrize("change", ["zero_", "copy_"])
def test_recorded_zero_and_copy_overwrite_non_finite_values(change):
    x = ag.tensor([np.inf, np.nan, 1.0], requires_grad=True)
    y = x * 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if change == "zero_":
            y.zero_()
        else:
            y.copy_(ag.tensor([5.0, 6.0, 7.0]))
    expected = [0.0, 0.0, 0.0] if change == "zero_" else [5.0, 6.0, 7.0]
    assert y.tolist() == expected


# -- property: random in-place programs on non-leaf tensors ---------------------------------
IN_PLACE_STEPS = ["add_", "sub_", "mul_", "div_", "setitem", "setitem_mask", "copy_", "zero_"]


def _run_in_place(steps, x, v, in_place):
    """The same computation twice: with in-place ops on a non-leaf (in_place=True), and with
    fresh out-of-place tensors. `v` is a second input that requires grad."""
    y = x * 1.5
    for kind, position in steps:
        if kind == "add_":
            y = y.add_(v) if in_place else y + v
        elif kind == "sub_":
            y = y.sub_(v * v) if in_place else y - v * v
        elif kind == "mul_":
            y = y.mul_(v.tanh()) if in_place else y * v.tanh()
        elif kind == "div_":
            y = y.div_(1.0 + v * v) if in_place else y / (1.0 + v * v)
        elif kind == "setitem":
            if in_place:
                y[position] = v[position] * 3.0
            else:
                y = ag.where(np.arange(3) == position, v * 3.0, y)
        elif kind == "setitem_mask":
            mask = np.arange(3) != position
            if in_place:
                y[mask] = y[mask].sin()
            else:
                y = ag.where(mask, y.sin(), y)
        elif kind == "copy_":
            y = y.copy_(v.exp()) if in_place else v.exp() + 0.0 * y
        elif kind == "zero_":
            y = y.zero_() if in_place else y * 0.0
        y = y * (1.0 + 0.1 * position)  # keep the history non-trivial between changes
    return (y * y).sum()


@settings(max_examples=100, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.sampled_from(IN_PLACE_STEPS), st.integers(0, 2)),
                      min_size=1, max_size=6),
       seed=st.integers(0, 2**16))
def test_random_in_place_programs_have_the_gradients_of_their_out_of_place_twins(steps, seed):
    rng = np.random.default_rng(seed)
    x_values, v_values = rng.uniform(-1, 1, 3), rng.uniform(-1, 1, 3)
    grads = []
    for in_place in (True, False):
        x = ag.tensor(x_values, requires_grad=True)
        v = ag.tensor(v_values, requires_grad=True)
        loss = _run_in_place(steps, x, v, in_place)
        grads.append((loss.item(), *ag.grad(loss, (x, v), allow_unused=True)))
    (loss_a, gx_a, gv_a), (loss_b, gx_b, gv_b) = grads
    assert np.isclose(loss_a, loss_b, rtol=1e-12, atol=1e-12)
    for a, b in ((gx_a, gx_b), (gv_a, gv_b)):
        a = np.zeros(3) if a is None else a.data
        b = np.zeros(3) if b is None else b.data
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12, err_msg=f"{steps}")
    assert gradcheck(lambda x, v: _run_in_place(steps, x, v, True),
                     (ag.tensor(x_values), ag.tensor(v_values)))
