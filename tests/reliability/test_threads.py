"""Thread safety: grad mode and the engine's step hook are per thread, and two threads that
train two models at once get bit-identical results to training them one after the other."""

import sys
import threading

import numpy as np
import pytest

import autograd_core as ag
import optim
from autograd_core import engine

TIMEOUT = 30  # seconds any wait may take before the test fails instead of hanging


class Worker(threading.Thread):
    """A thread that re-raises its exception (or assertion failure) in `join_and_check`."""

    def __init__(self, target):
        super().__init__(daemon=True)
        self._work = target
        self.error = None
        self.result = None

    def run(self):
        try:
            self.result = self._work()
        except BaseException as error:  # handed to the main thread
            self.error = error

    def join_and_check(self):
        self.join(TIMEOUT)
        assert not self.is_alive(), "the worker thread hung"
        if self.error is not None:
            raise self.error
        return self.result


def wait(event):
    assert event.wait(TIMEOUT), "a thread never signalled"


@pytest.fixture
def fast_switching():
    """Switch threads every 10 microseconds so that the two threads really interleave."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


# -- grad mode ----------------------------------------------------------------------------------
def test_no_grad_in_one_thread_does_not_affect_another():
    entered, checked, left = threading.Event(), threading.Event(), threading.Event()
    x = ag.tensor([1.0, 2.0], requires_grad=True)

    def other():
        with ag.no_grad():
            entered.set()
            wait(checked)  # the main thread looks while this thread is inside no_grad
            assert not ag.is_grad_enabled()
            assert not (x * 2).requires_grad
        left.set()
        return ag.is_grad_enabled()

    worker = Worker(other)
    worker.start()
    wait(entered)
    assert ag.is_grad_enabled(), "a no_grad in another thread disabled grad mode here"
    y = x * 2
    assert y.requires_grad and y.grad_fn is not None
    checked.set()
    assert worker.join_and_check() is True
    assert left.is_set() and ag.is_grad_enabled()


def test_set_grad_enabled_false_here_leaves_a_new_thread_enabled():
    ag.set_grad_enabled(False)
    try:
        worker = Worker(lambda: (ag.is_grad_enabled(), (ag.ones(1, requires_grad=True) * 2)
                                 .requires_grad))
        worker.start()
        assert worker.join_and_check() == (True, True)
        assert not ag.is_grad_enabled()
    finally:
        ag.set_grad_enabled(True)


def test_enable_grad_in_one_thread_inside_no_grad_of_another():
    inside, done = threading.Event(), threading.Event()

    def other():
        with ag.no_grad():
            inside.set()
            wait(done)
            return ag.is_grad_enabled()

    worker = Worker(other)
    worker.start()
    wait(inside)
    with ag.no_grad(), ag.enable_grad():
        assert ag.is_grad_enabled()
    done.set()
    assert worker.join_and_check() is False


# -- training in two threads at once --------------------------------------------------------------
def _train(seed, steps, start=None):
    """A 3-8-1 tanh MLP from raw ops with SGD (momentum) on its own data; returns the losses and
    the final parameters. Nothing here touches the global random stream."""
    rng = np.random.default_rng(seed)
    inputs = ag.tensor(rng.standard_normal((16, 3)))
    targets = ag.tensor(np.sin(inputs.data.sum(axis=1, keepdims=True)))
    params = [
        ag.tensor(rng.standard_normal((3, 8)) * 0.5, requires_grad=True),
        ag.zeros(8, requires_grad=True),
        ag.tensor(rng.standard_normal((8, 1)) * 0.5, requires_grad=True),
        ag.zeros(1, requires_grad=True),
    ]
    w1, b1, w2, b2 = params
    optimizer = optim.SGD(params, lr=0.05, momentum=0.9)
    if start is not None:
        start.wait(TIMEOUT)
    losses = []
    for step in range(steps):
        optimizer.zero_grad()
        hidden = ag.tanh(inputs @ w1 + b1)
        loss = ((hidden @ w2 + b2 - targets) ** 2).mean()
        if step % 7 == 0:
            with ag.no_grad():  # grad mode flips in this thread only
                _ = (hidden * 2).sum()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return np.array(losses), [p.data.copy() for p in params]


def test_two_threads_training_at_once_match_training_one_after_the_other(fast_switching):
    steps = 150
    sequential = [_train(seed, steps) for seed in (1, 2)]
    start = threading.Barrier(2)
    workers = [Worker(lambda seed=seed: _train(seed, steps, start)) for seed in (1, 2)]
    for worker in workers:
        worker.start()
    concurrent = [worker.join_and_check() for worker in workers]
    for seed, (alone, together) in zip((1, 2), zip(sequential, concurrent)):
        np.testing.assert_array_equal(alone[0], together[0], err_msg=f"losses of model {seed}")
        for i, (a, b) in enumerate(zip(alone[1], together[1])):
            np.testing.assert_array_equal(a, b, err_msg=f"parameter {i} of model {seed}")
    assert sequential[0][0][-1] < sequential[0][0][0]  # it did train


def _train_nn(model, seed, steps, start=None):
    """An nn model with Adam, MSELoss and a DataLoader (in order: shuffling would draw from the
    one global random stream, which two threads would share)."""
    import nn
    import nn.data

    rng = np.random.default_rng(seed)
    inputs = ag.tensor(rng.standard_normal((24, 3)))
    targets = ag.tensor(np.cos(inputs.data[:, :1]))
    loader = nn.data.DataLoader(nn.data.TensorDataset(inputs, targets), batch_size=8)
    optimizer = optim.Adam(model.parameters(), lr=0.01)
    loss_fn = nn.MSELoss()
    if start is not None:
        start.wait(TIMEOUT)
    losses = []
    for _ in range(steps):
        for batch_inputs, batch_targets in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(batch_inputs), batch_targets)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    return np.array(losses), model.state_dict()


def _nn_model(seed):
    import nn

    ag.manual_seed(seed)  # in the main thread, before any training thread starts
    return nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.LayerNorm(8), nn.Linear(8, 1))


def test_two_threads_training_nn_models_match_training_one_after_the_other(fast_switching):
    steps = 25
    sequential = [_train_nn(_nn_model(seed), seed, steps) for seed in (3, 4)]
    models = {seed: _nn_model(seed) for seed in (3, 4)}
    start = threading.Barrier(2)
    workers = [Worker(lambda seed=seed: _train_nn(models[seed], seed, steps, start))
               for seed in (3, 4)]
    for worker in workers:
        worker.start()
    concurrent = [worker.join_and_check() for worker in workers]
    for seed, (alone, together) in zip((3, 4), zip(sequential, concurrent)):
        np.testing.assert_array_equal(alone[0], together[0], err_msg=f"losses of model {seed}")
        for name, array in alone[1].items():
            np.testing.assert_array_equal(array, together[1][name], err_msg=f"{name} ({seed})")


# -- the step hook ---------------------------------------------------------------------------------
def test_a_step_hook_in_one_thread_does_not_see_another_threads_sweep():
    installed, swept, finished = threading.Event(), threading.Event(), threading.Event()
    seen = []

    def other():
        previous = engine.set_step_hook(lambda node, grad_outputs, grad_inputs:
                                        seen.append(node.name))
        try:
            installed.set()
            wait(swept)  # the main thread runs its backward now
            foreign = list(seen)
            w = ag.tensor([1.0, 2.0], requires_grad=True)
            (w.exp() * 3.0).sum().backward()  # this thread's own sweep
            return foreign, list(seen)
        finally:
            engine.set_step_hook(previous)
            finished.set()

    worker = Worker(other)
    worker.start()
    wait(installed)
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    (x.sin() * x.tanh()).sum().backward()
    swept.set()
    foreign, own = worker.join_and_check()
    assert foreign == [], f"the hook saw the main thread's sweep: {foreign}"
    assert own == ["Sum", "Mul", "Exp"]
    assert engine.set_step_hook(None) is None  # nothing leaked into the main thread


# -- anomaly mode --------------------------------------------------------------------------------
def test_anomaly_forward_check_of_one_thread_does_not_raise_in_another():
    inside, done = threading.Event(), threading.Event()

    def other():
        with ag.detect_anomaly(check_forward=True):
            inside.set()
            wait(done)

    worker = Worker(other)
    worker.start()
    wait(inside)
    try:
        with np.errstate(invalid="ignore"):
            y = ag.log(ag.tensor([-1.0], requires_grad=True))  # NaN, as a value
    finally:
        done.set()
        worker.join_and_check()
    assert np.isnan(y.data).all()
