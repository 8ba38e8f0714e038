"""Graph lifetime: what a graph saved is freed by reference counting alone.

Every test that checks freeing runs with the cyclic garbage collector disabled and never calls
`gc.collect()`: an array that is still alive then would be kept by a reference cycle between
nodes and tensors (or by a plain leak), which is what these tests exist to catch.
"""

import contextlib
import gc
import subprocess
import sys
import textwrap
import tracemalloc
import weakref

import numpy as np
import pytest

import autograd_core as ag
import optim


@contextlib.contextmanager
def no_cycle_collector():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Probe(ag.Function):
    """y = x * 2, saving a *fresh* array (not an input, not the output) that the test watches."""

    saved = []  # weak references to the arrays forward saved

    @staticmethod
    def forward(ctx, x):
        twos = np.full(x.shape, 2.0)
        Probe.saved.append(weakref.ref(twos))
        ctx.save_for_backward(twos)
        return x * twos

    @staticmethod
    def backward(ctx, grad_output):
        (twos,) = ctx.saved_tensors
        return grad_output * twos


@pytest.fixture(autouse=True)
def _clear_probe():
    Probe.saved.clear()
    yield
    Probe.saved.clear()


def _graph():
    """A small graph whose nodes save arrays of several kinds: the Probe's fresh array, an
    intermediate output saved by a later op (h, saved by Exp as its output and by Mul as an
    operand), and leaf inputs."""
    x = ag.tensor([0.5, -1.0, 2.0], requires_grad=True)
    w = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = Probe.apply(x).exp()
    loss = (h * w).sum()
    return x, w, h, loss


def test_after_backward_and_del_the_saved_arrays_are_gone():
    with no_cycle_collector():
        x, w, h, loss = _graph()
        h_data = weakref.ref(h.data)
        nodes = [weakref.ref(loss.grad_fn), weakref.ref(h.grad_fn)]
        loss.backward()
        del h, loss
        assert Probe.saved[0]() is None, "the Probe's saved array outlived the graph"
        assert h_data() is None, "an intermediate saved by Exp and Mul outlived the graph"
        assert all(node() is None for node in nodes), "graph nodes outlived the loss"
        assert x.grad is not None and w.grad is not None  # the leaves and their grads remain


def test_a_graph_dropped_without_backward_is_freed_too():
    with no_cycle_collector():
        x, w, h, loss = _graph()
        h_data = weakref.ref(h.data)
        node = weakref.ref(loss.grad_fn)
        del h, loss
        assert Probe.saved[0]() is None and h_data() is None and node() is None


def test_backward_releases_saved_arrays_while_the_loss_is_still_alive():
    with no_cycle_collector():
        x, w, h, loss = _graph()
        probe_node = h.grad_fn.edges[0]  # Exp's input edge: the Probe node
        assert isinstance(probe_node, Probe) and probe_node._saved is not None
        loss.backward()
        assert loss.grad_fn._saved is None
        assert h.grad_fn._saved is None and probe_node._saved is None
        assert Probe.saved[0]() is None, "the Probe node still holds its saved array"
        del x, w, h, loss


def test_retain_graph_keeps_saved_arrays_until_the_last_sweep():
    with no_cycle_collector():
        x, w, h, loss = _graph()
        loss.backward(retain_graph=True)
        assert Probe.saved[0]() is not None
        loss.backward()
        assert Probe.saved[0]() is None
        assert x.grad.shape == (3,)


def test_ag_grad_with_create_graph_leaves_no_cycle():
    """Higher-order graphs (a gradient with history) are freed once their results are dropped;
    ag.grad stores nothing in .grad, so no leaf -> .grad -> graph -> leaf cycle forms."""
    with no_cycle_collector():
        x, w, h, loss = _graph()
        (gx,) = ag.grad(loss, x, create_graph=True)
        (gxx,) = ag.grad(gx.sum(), x)
        assert gxx.shape == (3,)
        first_order = weakref.ref(gx.grad_fn)
        del h, loss, gx, gxx
        assert first_order() is None, "the create_graph sweep's graph outlived its results"
        assert all(ref() is None for ref in Probe.saved)


def test_anomaly_mode_hooks_and_retain_grad_leave_no_cycle():
    """Creation stacks (anomaly mode), tensor hooks and retain_grad are extra references from
    nodes; none of them may close a cycle back to the graph."""
    with no_cycle_collector():
        with ag.detect_anomaly(check_forward=True):
            x, w, h, loss = _graph()
            h.retain_grad()
            h.register_hook(lambda grad: grad * 1.0)
            h_data, node = weakref.ref(h.data), weakref.ref(h.grad_fn)
            loss.backward()
            assert h.grad is not None
            del h, loss
        assert h_data() is None and node() is None
        assert Probe.saved[0]() is None


def test_a_long_chain_is_freed_by_reference_counting():
    with no_cycle_collector():
        x = ag.tensor(np.ones(4), requires_grad=True)
        y = x
        for _ in range(2000):
            y = Probe.apply(y * 0.5)
        refs = list(Probe.saved)
        y.sum().backward()
        del y
        assert all(ref() is None for ref in refs)


# -- long training runs do not grow ---------------------------------------------------------------
def _mlp_training(steps, snapshots):
    """Train a 4-16-1 tanh MLP made of raw ops with SGD; at each step listed in `snapshots`,
    record (cyclic garbage found, traced bytes)."""
    rng = np.random.default_rng(0)
    inputs = ag.tensor(rng.standard_normal((32, 4)))
    targets = ag.tensor(rng.standard_normal((32, 1)))
    w1 = ag.tensor(rng.standard_normal((4, 16)) * 0.5, requires_grad=True)
    b1 = ag.zeros(16, requires_grad=True)
    w2 = ag.tensor(rng.standard_normal((16, 1)) * 0.5, requires_grad=True)
    b2 = ag.zeros(1, requires_grad=True)
    optimizer = optim.SGD([w1, b1, w2, b2], lr=0.01, momentum=0.9)
    losses = np.empty(steps)
    for step in range(steps):
        optimizer.zero_grad()
        hidden = (inputs @ w1 + b1).tanh()
        loss = ((hidden @ w2 + b2 - targets) ** 2).mean()
        loss.backward()
        optimizer.step()
        losses[step] = loss.item()
        if step + 1 in snapshots:
            # A full collection also empties CPython's free lists (tuples, floats), which
            # would otherwise fill up to their bounded size and look like growth. Reference
            # cycles are counted, not hidden: there must be none.
            cyclic = gc.collect()
            snapshots[step + 1] = (cyclic, tracemalloc.get_traced_memory()[0])
    return losses


def test_a_long_training_loop_does_not_grow_memory():
    snapshots = {10: None, 100: None}
    gc.collect()  # garbage of earlier tests is not this loop's
    tracemalloc.start()
    try:
        with no_cycle_collector():
            losses = _mlp_training(100, snapshots)
    finally:
        tracemalloc.stop()
    (cyclic_10, bytes_10), (cyclic_100, bytes_100) = snapshots[10], snapshots[100]
    assert losses[-1] < losses[0]
    assert cyclic_10 == 0 and cyclic_100 == 0, f"training made cyclic garbage: {snapshots}"
    growth = bytes_100 - bytes_10
    # NumPy's internal caches (array dimensions, ufunc dispatch) still fill slowly here, a few
    # KB in these 90 steps and bounded later. A leaked graph would hold each step's 32x16
    # activations (4 KB) and a dozen node and Tensor objects: over 400 KB in 90 steps.
    assert growth < 16_000, f"memory grew by {growth} bytes between step 10 and step 100"


# -- huge graphs ---------------------------------------------------------------------------------
def test_deleting_a_200_000_node_graph_without_backward_does_not_crash():
    """Freeing a deep chain must not recurse through the C stack (a crash, not an exception, so
    it runs in a child process)."""
    code = textwrap.dedent("""
        import gc, sys
        import autograd_core as ag
        gc.disable()
        sys.setrecursionlimit(1000)
        x = ag.tensor([1.0, 2.0], requires_grad=True)
        y = x
        for _ in range(200_000):
            y = y * 1.0
        del y
        print("freed")
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0 and "freed" in result.stdout, (
        f"exit code {result.returncode}\n{result.stderr[-2000:]}"
    )
