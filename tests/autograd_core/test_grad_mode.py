"""Grad modes: no_grad, enable_grad and set_grad_enabled as context managers, decorators and
calls; nesting; restoration after exceptions; nothing recorded while disabled."""

import numpy as np
import pytest

import autograd_core as ag


def recorded(t):
    return t.grad_fn is not None and t.requires_grad


def make_leaf():
    return ag.tensor(np.array([1.0, 2.0]), requires_grad=True)


def test_grad_is_enabled_by_default():
    assert ag.is_grad_enabled()
    assert recorded(make_leaf() * 2.0)


def test_no_grad_records_no_graph():
    x = make_leaf()
    with ag.no_grad():
        assert not ag.is_grad_enabled()
        outputs = [x * 2.0, x.exp(), x @ x, x[0], ag.stack([x, x]), x.sum(), -x, x.softmax()]
    assert ag.is_grad_enabled()
    for y in outputs:
        assert y.grad_fn is None and not y.requires_grad and y.is_leaf


def test_no_grad_as_a_decorator():
    @ag.no_grad()
    def double(t):
        assert not ag.is_grad_enabled()
        return t * 2.0

    y = double(make_leaf())
    assert not recorded(y)
    assert ag.is_grad_enabled()
    assert double.__name__ == "double"


def test_enable_grad_inside_no_grad():
    x = make_leaf()
    with ag.no_grad():
        with ag.enable_grad():
            assert ag.is_grad_enabled()
            y = x * 2.0
        assert not ag.is_grad_enabled()
        z = x * 2.0
    assert recorded(y) and not recorded(z)


def test_enable_grad_as_a_decorator_inside_no_grad():
    @ag.enable_grad()
    def double(t):
        return t * 2.0

    with ag.no_grad():
        y = double(make_leaf())
        assert not ag.is_grad_enabled()
    assert recorded(y)


def test_nesting_restores_each_level():
    with ag.no_grad():
        with ag.no_grad():
            assert not ag.is_grad_enabled()
        assert not ag.is_grad_enabled()
        with ag.enable_grad():
            with ag.no_grad():
                assert not ag.is_grad_enabled()
            assert ag.is_grad_enabled()
        assert not ag.is_grad_enabled()
    assert ag.is_grad_enabled()


def test_a_context_object_can_be_reused():
    context = ag.no_grad()
    for _ in range(2):
        with context:
            assert not ag.is_grad_enabled()
        assert ag.is_grad_enabled()


def test_set_grad_enabled_as_a_call():
    try:
        ag.set_grad_enabled(False)
        assert not ag.is_grad_enabled()
        assert not recorded(make_leaf() * 2.0)
        ag.set_grad_enabled(True)
        assert ag.is_grad_enabled()
    finally:
        ag.set_grad_enabled(True)


@pytest.mark.parametrize("flag", [False, True])
def test_set_grad_enabled_as_a_context_manager(flag):
    with ag.no_grad():
        with ag.set_grad_enabled(flag):
            assert ag.is_grad_enabled() is flag
            y = make_leaf() * 2.0
        assert not ag.is_grad_enabled()
    assert recorded(y) is flag
    assert ag.is_grad_enabled()


@pytest.mark.parametrize(
    "mode",
    [ag.no_grad, ag.enable_grad, lambda: ag.set_grad_enabled(False)],
    ids=["no_grad", "enable_grad", "set_grad_enabled"],
)
def test_mode_is_restored_after_an_exception(mode):
    with ag.no_grad():
        with pytest.raises(KeyError):
            with mode():
                raise KeyError("inside")
        assert not ag.is_grad_enabled()
    with pytest.raises(KeyError):
        with mode():
            raise KeyError("inside")
    assert ag.is_grad_enabled()


def test_decorated_function_restores_mode_after_an_exception():
    @ag.no_grad()
    def fail():
        raise ValueError("inside")

    with pytest.raises(ValueError, match="inside"):
        fail()
    assert ag.is_grad_enabled()


def test_no_grad_parameter_update_and_semi_gradient_target():
    """The usual uses: an update that must not be recorded, and a target that carries no
    gradient (as in semi-gradient Q-learning)."""
    w = make_leaf()
    loss = (w * w).sum()
    loss.backward()
    with ag.no_grad():
        w.sub_(0.1 * w.grad)
    assert w.is_leaf and w.requires_grad
    assert np.allclose(w.data, [0.8, 1.6])

    q = (w * 3.0).sum()
    with ag.no_grad():
        target = 1.0 + 0.9 * (w * 5.0).sum()
    (g,) = ag.grad((target - q) ** 2, w)
    assert np.allclose(g.data, 2 * (target.item() - q.item()) * -3.0)


def test_backward_works_on_a_graph_built_before_no_grad():
    x = make_leaf()
    y = (x**2).sum()
    with ag.no_grad():
        y.backward()
    assert np.allclose(x.grad.data, 2 * x.data)
