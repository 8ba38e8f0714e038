"""The backward sweep: accumulation, graph lifetime, ag.grad, hooks, custom Functions, dtypes,
deep graphs, numerical stability, threads, NaN propagation and the in-place version check."""

import gc
import math
import threading
import warnings
import weakref

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import engine, gradients
from autograd_core.testing import GradcheckError, gradcheck, gradgradcheck
from tests.cubes import Cube, WrongCube


def leaf(values):
    return ag.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


def assert_close(actual, expected, rtol=1e-12, atol=1e-12):
    actual = np.asarray(actual.data if isinstance(actual, ag.Tensor) else actual)
    assert np.allclose(actual, expected, rtol=rtol, atol=atol), (
        f"\nengine:   {actual}\nexpected: {np.asarray(expected)}"
    )


# -- accumulation -------------------------------------------------------------------------------
def test_gradients_accumulate_across_backward_calls(rng):
    x = leaf(rng.standard_normal(4))
    (x * x).sum().backward()
    first = x.grad.data.copy()
    assert_close(first, 2 * x.data)
    (x * x).sum().backward()
    assert_close(x.grad, 2 * first)
    (x * 3.0).sum().backward()
    assert_close(x.grad, 2 * first + 3.0)


def test_fan_out_adds_the_gradients_of_every_use(rng):
    x = leaf(rng.standard_normal(5))
    y = (x * 2.0 + x.exp() + x**2).sum()  # x used three times
    y.backward()
    assert_close(x.grad, 2.0 + np.exp(x.data) + 2 * x.data)


# The engine holds the gradients of a small array that is used many times as a list of terms
# and adds them up in one call (gradients.Terms); a large array is added into in place.
TERMS = gradients.Terms


@pytest.mark.parametrize("shape", [(), (3,), (TERMS.MAX_SIZE + 1,)])
@pytest.mark.parametrize("uses", [2, 3, TERMS.FEW + 1, gradients.Pending.MAX_SHARES,
                                  3 * gradients.Pending.MAX_SHARES + 5])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_many_uses_of_a_leaf_and_of_a_node_add_up_exactly(rng, shape, uses, dtype):
    x = ag.tensor(rng.standard_normal(shape), dtype=dtype, requires_grad=True)
    h = x * 1.0  # a node whose output is used `uses` times, each through its own path
    weights = rng.standard_normal(uses)
    total = (x * weights[0] + h * weights[0]).sum()
    for w in weights[1:]:
        total = total + (x * w).sum() + (h * w).sum()
    total.backward()
    assert x.grad.dtype == dtype and x.grad.shape == shape
    expected = np.full(shape, 2 * weights.sum())
    tolerance = 1e-12 if dtype == np.float64 else 1e-4
    assert_close(x.grad.data.astype(np.float64), expected, rtol=tolerance, atol=tolerance)


def test_many_uses_reach_grad_hooks_and_retained_grads_as_one_array(rng):
    x = leaf(rng.standard_normal(4))
    h = x * 1.0
    h.retain_grad()
    seen = []
    x.register_hook(lambda g: seen.append(g.data.copy()))
    uses = gradients.Pending.MAX_SHARES + 1
    loss = sum(((h * k).sum() for k in range(uses)), start=(x * 0.0).sum())
    loss.backward(retain_graph=True)
    expected = np.full(4, uses * (uses - 1) / 2)
    for g in (x.grad, h.grad, seen[0]):
        assert_close(g, expected)
    assert type(x.grad.data) is np.ndarray and type(h.grad.data) is np.ndarray
    (gx,) = ag.grad(loss, x)
    assert_close(gx, expected)


def test_same_tensor_twice_in_one_op(rng):
    x = leaf(rng.standard_normal(3))
    (x * x * x).sum().backward()
    assert_close(x.grad, 3 * x.data**2)


def test_diamond_graph_visits_each_node_once(rng):
    x = leaf(rng.standard_normal(4))
    a = x * 2.0
    y = (a.sin() * a.cos()).sum()  # a feeds two branches that meet again
    visits = []
    previous = engine.set_step_hook(
        lambda node, grad_outputs, grad_inputs: visits.append(node) if node.edges else None)
    try:
        y.backward()
    finally:
        engine.set_step_hook(previous)
    assert len(visits) == len(set(map(id, visits))) == 5  # Sum, Mul, Sin, Cos, Mul
    assert_close(x.grad, 2 * np.cos(2 * a.data))  # d/dx sin(2x)cos(2x) = d/dx sin(4x)/2


def test_leaf_grads_never_share_a_buffer(rng):
    """a + b hands the same gradient array to both leaves; accumulating into one must not
    change the other, nor the gradient the caller passed in."""
    a, b = leaf(rng.standard_normal(3)), leaf(rng.standard_normal(3))
    seed = np.ones(3)
    (a + b).backward(seed)
    (a * 2.0).sum().backward()
    assert_close(a.grad, [3.0, 3.0, 3.0])
    assert_close(b.grad, [1.0, 1.0, 1.0])
    assert_close(seed, [1.0, 1.0, 1.0])


def test_backward_with_an_explicit_gradient(rng):
    x = leaf(rng.standard_normal((2, 3)))
    g = rng.standard_normal((2, 3))
    (x * 3.0).backward(ag.tensor(g))
    assert_close(x.grad, 3 * g)


def test_backward_on_a_leaf():
    x = ag.tensor(2.0, requires_grad=True)
    x.backward()
    assert x.grad.item() == 1.0


# -- graph lifetime -----------------------------------------------------------------------------
def test_second_backward_without_retain_graph_raises(rng):
    x = leaf(rng.standard_normal(3))
    y = (x.exp() * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match=r"retain_graph=True"):
        y.backward()


def test_retain_graph_allows_a_second_sweep_and_gradients_double(rng):
    x = leaf(rng.standard_normal(3))
    y = (x.exp() * x).sum()
    y.backward(retain_graph=True)
    once = x.grad.data.copy()
    y.backward()
    assert_close(x.grad, 2 * once)
    assert_close(once, np.exp(x.data) * (x.data + 1))


def test_saved_arrays_are_released_after_backward(rng):
    x = leaf(rng.standard_normal(3))
    y = x.exp()
    node = y.grad_fn
    y.sum().backward(retain_graph=True)
    assert node._saved is not None
    y.sum().backward()
    assert node._saved is None


class _Spy(np.ndarray):
    """An ndarray subclass, so a weak reference can watch whether a saved array is freed."""


class _SavesASpy(ag.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(np.array(x * 2.0).view(_Spy))
        return x * 2.0

    @staticmethod
    def backward(ctx, g):
        (scaled,) = ctx.saved_tensors
        return g * scaled / scaled * 2.0


def test_saved_array_is_freed_after_backward(rng):
    x = leaf(rng.standard_normal(3) + 3.0)
    y = _SavesASpy.apply(x)
    watcher = weakref.ref(y.grad_fn._saved[0])
    y.sum().backward()
    gc.collect()
    assert watcher() is None, "the array saved for backward is still alive after the sweep"
    assert_close(x.grad, [2.0, 2.0, 2.0])


def test_deleting_a_deep_graph_without_backward_does_not_recurse():
    x = ag.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(300_000):
        y = y * 1.0
    del y
    gc.collect()


@pytest.mark.slow
def test_chain_of_a_million_nodes_forward_and_backward():
    n = 1_000_000
    x = ag.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(n):
        y = y * 1.0000001
    y.backward()
    expected = math.exp(n * math.log1p(1e-7))  # d/dx (c^n x) = c^n
    assert y.item() == pytest.approx(expected, rel=1e-9)
    assert x.grad.item() == pytest.approx(expected, rel=1e-9)


# -- create_graph and ag.grad --------------------------------------------------------------------
def test_create_graph_gives_gradients_with_history(rng):
    x = leaf(rng.standard_normal(3))
    (x**3).sum().backward(create_graph=True)
    assert x.grad.grad_fn is not None and x.grad.requires_grad
    (second,) = ag.grad(x.grad.sum(), x)
    assert_close(second, 6 * x.data)


def test_grad_does_not_touch_dot_grad(rng):
    x = leaf(rng.standard_normal(3))
    (g,) = ag.grad((x**2).sum(), x)
    assert x.grad is None
    assert_close(g, 2 * x.data)
    assert g.grad_fn is None and not g.requires_grad


def test_grad_with_several_inputs_and_outputs(rng):
    a, b = leaf(rng.standard_normal(3)), leaf(rng.standard_normal(3))
    y1, y2 = (a * b).sum(), (a**2).sum()
    ga, gb = ag.grad([y1, y2], [a, b], grad_outputs=[ag.tensor(2.0), ag.tensor(3.0)])
    assert_close(ga, 2 * b.data + 6 * a.data)
    assert_close(gb, 2 * a.data)


def test_grad_allow_unused(rng):
    a, b = leaf(rng.standard_normal(2)), leaf(rng.standard_normal(2))
    y = (a * 2.0).sum()
    ga, gb = ag.grad(y, (a, b), allow_unused=True)
    assert_close(ga, [2.0, 2.0])
    assert gb is None
    with pytest.raises(RuntimeError, match=r"inputs\[1\].*not used.*allow_unused=True"):
        ag.grad((a * 2.0).sum(), (a, b))


def test_grad_with_respect_to_a_non_leaf(rng):
    x = leaf(rng.standard_normal(3))
    h = x * x
    y = (h.sin()).sum()
    (gh,) = ag.grad(y, h, retain_graph=True)
    assert_close(gh, np.cos(h.data))
    (gx,) = ag.grad(y, x)
    assert_close(gx, np.cos(h.data) * 2 * x.data)
    assert x.grad is None and h.grad is None


def test_grad_frees_the_graph_unless_asked_to_keep_it(rng):
    x = leaf(rng.standard_normal(3))
    y = (x.exp()).sum()
    ag.grad(y, x)
    with pytest.raises(RuntimeError, match=r"retain_graph=True"):
        ag.grad(y, x)


# -- hooks, retain_grad, detach -------------------------------------------------------------------
def test_hook_on_a_leaf_replaces_its_gradient_and_can_be_removed(rng):
    x = leaf(rng.standard_normal(3))
    seen = []
    handle = x.register_hook(lambda g: seen.append(g.data.copy()) or g * 10.0)
    (x * 2.0).sum().backward()
    assert_close(x.grad, [20.0, 20.0, 20.0])
    assert_close(seen[0], [2.0, 2.0, 2.0])
    handle.remove()
    x.grad = None
    (x * 2.0).sum().backward()
    assert_close(x.grad, [2.0, 2.0, 2.0])
    assert len(seen) == 1


def test_hook_on_a_non_leaf_changes_what_flows_upstream(rng):
    x = leaf(rng.standard_normal(3))
    h = x * 2.0
    handle = h.register_hook(lambda g: g * 0.5)
    (h * h).sum().backward()  # dL/dh = 2h, halved by the hook, times dh/dx = 2
    assert_close(x.grad, 2 * h.data)
    handle.remove()
    x.grad = None
    h = x * 2.0
    (h * h).sum().backward()
    assert_close(x.grad, 4 * h.data)


def test_hook_returning_none_keeps_the_gradient(rng):
    x = leaf(rng.standard_normal(3))
    h = x * 3.0
    h.register_hook(lambda g: None)
    h.sum().backward()
    assert_close(x.grad, [3.0, 3.0, 3.0])


def test_retain_grad_keeps_the_gradient_of_a_non_leaf(rng):
    x = leaf(rng.standard_normal(3))
    h = x.exp()
    h.retain_grad()
    unretained = x * 2.0
    (h * unretained).sum().backward()
    assert_close(h.grad, unretained.data)
    assert unretained.grad is None
    assert h.grad.grad_fn is None


def test_detach_stops_gradients(rng):
    x = leaf(rng.standard_normal(3))
    d = x.detach()
    assert d.grad_fn is None and not d.requires_grad
    assert np.shares_memory(d.data, x.data)
    (x * d).sum().backward()  # d is a constant: the gradient is d, not 2x through both paths
    assert_close(x.grad, x.data)


# -- dtypes -------------------------------------------------------------------------------------
def test_float32_graph_gives_float32_gradients(rng):
    w = ag.tensor(rng.standard_normal((3, 4)).astype(np.float32), requires_grad=True)
    x = ag.tensor(rng.standard_normal((5, 4)).astype(np.float32))
    loss = ((x @ w.T).tanh() ** 2).mean()
    assert loss.dtype == np.float32
    loss.backward()
    assert w.grad.dtype == np.float32 and w.grad.shape == w.shape


def test_float32_parameter_with_float64_constant_keeps_a_float32_gradient(rng):
    w = ag.tensor(rng.standard_normal(3).astype(np.float32), requires_grad=True)
    c = ag.tensor(rng.standard_normal(3))  # float64
    (w * c).sum().backward()
    assert w.grad.dtype == np.float32
    assert_close(w.grad, c.data.astype(np.float32), rtol=1e-6)


def test_create_graph_gradients_keep_the_dtype(rng):
    w = ag.tensor(rng.standard_normal(3).astype(np.float32), requires_grad=True)
    (g,) = ag.grad((w**3).sum(), w, create_graph=True)
    assert g.dtype == np.float32
    (h,) = ag.grad(g.sum(), w)
    assert h.dtype == np.float32


# -- custom Functions ---------------------------------------------------------------------------
class SquareAndDouble(ag.Function):
    """Two outputs: (x^2, 2x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x, 2 * x

    @staticmethod
    def backward(ctx, g_square, g_double):
        (x,) = ctx.saved_tensors
        return 2 * x * g_square + 2 * g_double


def test_custom_function_first_and_double_backward(rng):
    x = leaf(rng.standard_normal(4))
    y = Cube.apply(x)
    assert y.grad_fn.name == "Cube"
    (g,) = ag.grad(y.sum(), x, create_graph=True)
    assert_close(g, 3 * x.data**2)
    (h,) = ag.grad(g.sum(), x)
    assert_close(h, 6 * x.data)
    assert gradcheck(Cube.apply, x)
    assert gradgradcheck(Cube.apply, x)


def test_custom_function_is_not_registered_as_a_primitive():
    assert "Cube" not in ag.testing.primitives("autograd_core", "nn")


def test_wrong_custom_backward_is_caught_by_gradcheck():
    x = ag.tensor([0.5, -1.0, 2.0], requires_grad=True)
    with pytest.raises(GradcheckError) as info:
        gradcheck(WrongCube.apply, x)
    message = str(info.value)
    print(message)
    assert "input 0" in message
    assert "[2, 2]" in message or "in[2]" in message  # the worst element: x = 2
    assert "analytic 8" in message and "numeric 12" in message  # 2 x^2 vs 3 x^2 at x = 2


def test_multi_output_function(rng):
    x = leaf(rng.standard_normal(3))
    square, double = SquareAndDouble.apply(x)
    assert square.grad_fn is double.grad_fn
    (square.sum() * 3.0 + double.sum()).backward()
    assert_close(x.grad, 6 * x.data + 2)


def test_multi_output_function_with_one_output_used(rng):
    x = leaf(rng.standard_normal(3))
    square, _ = SquareAndDouble.apply(x)
    square.sum().backward()  # the unused output's gradient is zero
    assert_close(x.grad, 2 * x.data)
    assert gradcheck(lambda x: SquareAndDouble.apply(x), x)
    assert gradgradcheck(lambda x: SquareAndDouble.apply(x), x)


def test_custom_function_with_a_non_tensor_argument(rng):
    class Scale(ag.Function):
        @staticmethod
        def forward(ctx, x, factor):
            ctx.factor = factor
            return x * factor

        @staticmethod
        def backward(ctx, g):
            return g * ctx.factor, None

    x = leaf(rng.standard_normal(3))
    Scale.apply(x, 4.0).sum().backward()
    assert_close(x.grad, [4.0, 4.0, 4.0])


# -- numerical stability ------------------------------------------------------------------------
X_LARGE = np.array([1000.0, -1000.0, 0.0])
WEIGHTS = np.array([0.5, -1.0, 2.0])


def _softmax(v):
    e = np.exp(v - v.max())
    return e / e.sum()


# op, its value at X_LARGE, the gradient of (op(x) * WEIGHTS).sum() there.
STABLE = {
    "softmax": (
        ag.softmax,
        _softmax(X_LARGE),
        _softmax(X_LARGE) * (WEIGHTS - _softmax(X_LARGE) @ WEIGHTS),
    ),
    "log_softmax": (
        ag.log_softmax,
        X_LARGE - 1000.0,
        WEIGHTS - _softmax(X_LARGE) * WEIGHTS.sum(),
    ),
    "sigmoid": (ag.sigmoid, np.array([1.0, 0.0, 0.5]), WEIGHTS * np.array([0.0, 0.0, 0.25])),
    "softplus": (ag.softplus, np.array([1000.0, 0.0, math.log(2)]), WEIGHTS * [1.0, 0.0, 0.5]),
}


@pytest.mark.parametrize("name", sorted(STABLE))
def test_stable_at_large_magnitude(name):
    op, value, gradient = STABLE[name]
    x = leaf(X_LARGE)
    with np.errstate(over="raise", invalid="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        y = op(x)
        (y * ag.tensor(WEIGHTS)).sum().backward()
    assert np.all(np.isfinite(y.data)) and np.all(np.isfinite(x.grad.data))
    assert_close(y, value)
    assert_close(x.grad, gradient)


@pytest.mark.parametrize("magnitude", [1000.0, -1000.0])
def test_logsumexp_stable_at_large_magnitude(magnitude):
    x = leaf([magnitude, magnitude, magnitude - 1.0])
    with np.errstate(over="raise", invalid="raise"):
        y = ag.logsumexp(x)
        y.backward()
    expected = magnitude + math.log(2 + math.exp(-1.0))
    assert y.item() == pytest.approx(expected, rel=1e-15)
    weights = np.array([1.0, 1.0, math.exp(-1.0)])
    assert_close(x.grad, weights / weights.sum())


def test_softmax_family_stable_in_float32():
    x = ag.tensor(np.array([[100.0, -100.0, 0.0]], dtype=np.float32), requires_grad=True)
    with np.errstate(over="raise", invalid="raise"):
        p = x.softmax()
        (p[:, 0] + x.log_softmax()[:, 1] + x.logsumexp(axis=-1)).sum().backward()
    assert p.dtype == np.float32 and np.all(np.isfinite(x.grad.data))
    assert_close(p, [[1.0, 0.0, 0.0]], atol=1e-30)


# -- threads ------------------------------------------------------------------------------------
def test_grad_mode_is_per_thread():
    inside_no_grad = threading.Event()
    checked = threading.Event()
    seen = {}

    def worker():
        with ag.no_grad():
            seen["worker enabled"] = ag.is_grad_enabled()
            inside_no_grad.set()
            checked.wait(timeout=10)
            y = ag.tensor([1.0], requires_grad=True) * 2.0
            seen["worker records"] = y.grad_fn is not None

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert inside_no_grad.wait(timeout=10)
        assert ag.is_grad_enabled(), "no_grad in another thread switched this thread's mode off"
        y = ag.tensor([1.0], requires_grad=True) * 2.0
        assert y.grad_fn is not None
    finally:
        checked.set()
        thread.join(timeout=10)
    assert seen == {"worker enabled": False, "worker records": False}


def test_a_new_thread_starts_with_grad_enabled():
    seen = []
    with ag.no_grad():
        thread = threading.Thread(target=lambda: seen.append(ag.is_grad_enabled()))
        thread.start()
        thread.join(timeout=10)
    assert seen == [True]


# -- NaN and Inf --------------------------------------------------------------------------------
def test_nan_and_inf_propagate_as_values():
    x = leaf([np.nan, np.inf, -np.inf, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        y = (x * 2.0).exp()
        y.sum().backward()
    assert np.isnan(y.data[0]) and y.data[1] == np.inf and y.data[2] == 0.0
    assert np.isnan(x.grad.data[0]) and x.grad.data[1] == np.inf and x.grad.data[2] == 0.0
    assert x.grad.data[3] == pytest.approx(2 * math.exp(2.0))


def test_log_of_zero_and_division_by_zero_give_infinities_not_errors():
    x = leaf([0.0, -1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        y = x.log()
        y.sum().backward()
        z = 1.0 / ag.tensor([0.0])
    assert y.data[0] == -np.inf and np.isnan(y.data[1])
    assert x.grad.data[0] == np.inf and x.grad.data[1] == -1.0
    assert z.data[0] == np.inf


# -- in-place changes ---------------------------------------------------------------------------
def test_changing_a_saved_input_in_place_is_caught(rng):
    w = leaf(rng.standard_normal(3))
    loss = (w * w).sum()
    with ag.no_grad():
        w.add_(1.0)  # an optimizer step between forward and backward
    with pytest.raises(RuntimeError, match=r"Mul.*modified in place"):
        loss.backward()


def test_changing_a_saved_constant_in_place_is_caught(rng):
    w = leaf(rng.standard_normal(3))
    x = ag.tensor(rng.standard_normal(3))
    loss = (w * x).sum()
    x.mul_(2.0)
    with pytest.raises(RuntimeError, match=r"Mul.*modified in place"):
        loss.backward()


def test_changing_an_unsaved_tensor_in_place_is_fine(rng):
    w = leaf(rng.standard_normal(3))
    h = w * 1.0
    y = h.exp()  # exp saves its output, not h
    h.add_(1.0)
    y.sum().backward()
    assert_close(w.grad, np.exp(w.data))


def test_a_gradient_only_the_sweep_holds_becomes_grad_without_a_copy(monkeypatch):
    from autograd_core.ops.linalg import MatMul

    made = []
    backward = MatMul.backward

    def recording(ctx, g):
        result = backward(ctx, g)
        made.append(id(result[1]))  # an id, not a reference: a reference would force a copy
        return result

    monkeypatch.setattr(MatMul, "backward", staticmethod(recording))
    # Large enough to be worth keeping: arrays of up to 256 elements are always copied.
    w = ag.randn(40, 30, requires_grad=True)
    (ag.randn(5, 40) @ w).sum().backward()
    assert id(w.grad.data) == made[0]


def test_a_gradient_shared_by_two_leaves_is_copied_for_each():
    a, b = ag.randn(3, requires_grad=True), ag.randn(3, requires_grad=True)
    (a + b).backward(np.ones(3))  # Add hands the same array to both inputs
    assert a.grad.data is not b.grad.data
    a.grad.data[0] = 100.0
    assert b.grad.data[0] == 1.0


class _Doubles(ag.Function):
    """A built-in-style primitive whose backward leaves the graph (np.asarray): it breaks the
    rule in autograd_core/README.md, which the engine must catch under create_graph."""

    array_backward = True

    @staticmethod
    def forward(ctx, x):
        return 2 * x

    @staticmethod
    def backward(ctx, gy):
        return np.asarray(gy) * 2


def test_a_built_in_backward_that_leaves_the_graph_raises_under_create_graph():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    (g,) = ag.grad(_Doubles.apply(x).sum(), x)  # first order: arrays in, arrays out, fine
    assert g.tolist() == [2.0, 2.0]
    with pytest.raises(RuntimeError, match="_Doubles.backward returned a ndarray under "
                                           "create_graph=True: it computed outside the graph"):
        ag.grad(_Doubles.apply(x).sum(), x, create_graph=True)


def test_every_built_in_backward_returns_tensors_under_create_graph():
    """The rule, checked on every primitive's second-order case: under create_graph each
    built-in backward hands on Tensors (anything else raises in the engine)."""
    seen = set()

    def watch(node, grad_outputs, grad_inputs):
        seen.add(node.name)
        assert all(g is None or isinstance(g, ag.Tensor) for g in grad_inputs), node.name

    x = ag.tensor(np.random.default_rng(0).uniform(0.5, 1.5, (3, 4)), requires_grad=True)
    previous = engine.set_step_hook(watch)
    try:
        y = (x.exp() * x.log() + x.sqrt().tanh() - x.sigmoid() / x).softmax(axis=1)
        ag.grad((y @ x.T).sum() + x.max(axis=0).sum(), x, create_graph=True)
    finally:
        engine.set_step_hook(previous)
    assert {"Exp", "Log", "Sqrt", "Tanh", "Sigmoid", "Softmax", "MatMul", "Max"} <= seen


def test_a_leaf_whose_array_was_replaced_gets_a_gradient_of_its_new_dtype_without_a_cast():
    w = ag.tensor(np.ones((30, 20)), requires_grad=True)  # float64 first
    w.data = np.ones((30, 20), dtype=np.float32)  # as nn code that loads weights does
    (ag.ones(5, 30, dtype=np.float32) @ w).sum().backward()
    assert w.grad.dtype == np.float32 and w.grad.shape == (30, 20)
