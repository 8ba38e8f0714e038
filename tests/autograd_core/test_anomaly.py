"""Anomaly mode: the first NaN/Inf in a backward step is reported with its op and source."""

import threading

import numpy as np
import pytest

import autograd_core as ag
import optim


def test_backward_nan_names_the_op_the_input_and_the_creation_line():
    x = ag.zeros(3, requires_grad=True)
    with ag.detect_anomaly():
        y = ag.sqrt(x)  # d sqrt / dx at 0 is Inf
        with pytest.raises(RuntimeError) as error:
            y.sum().backward()
    message = str(error.value)
    assert "Sqrt.backward" in message and "input 0" in message and "Inf" in message
    assert "test_anomaly.py" in message and "y = ag.sqrt(x)" in message


def test_without_anomaly_mode_nan_and_inf_propagate_as_values():
    x = ag.zeros(3, requires_grad=True)
    with np.errstate(divide="ignore"):
        ag.sqrt(x).sum().backward()
    assert np.isinf(x.grad.data).all()


def test_check_forward_reports_the_op_that_made_nan():
    x = ag.tensor([-1.0, 4.0], requires_grad=True)
    with ag.detect_anomaly(check_forward=True), np.errstate(invalid="ignore"):
        with pytest.raises(RuntimeError, match=r"Log produced NaN in its forward output"):
            ag.log(x)
    with np.errstate(invalid="ignore"):
        assert np.isnan(ag.log(x).data[0])  # off again after the block


def test_works_as_a_decorator_and_restores_state():
    @ag.detect_anomaly()
    def inside():
        return ag.anomaly.is_anomaly_enabled()

    assert inside() is True
    assert ag.anomaly.is_anomaly_enabled() is False


def test_ops_created_outside_the_block_report_an_unknown_site():
    x = ag.zeros(2, requires_grad=True)
    y = ag.sqrt(x)
    with ag.detect_anomaly(), pytest.raises(RuntimeError, match="creation site unknown"):
        y.sum().backward()


def test_optimizer_step_with_nan_gradient_raises_only_in_anomaly_mode():
    p = ag.tensor([1.0, 2.0], requires_grad=True)
    p.grad = ag.tensor([np.nan, 0.0])
    with ag.detect_anomaly(), pytest.raises(RuntimeError, match="parameter 0 of group 0"):
        optim.SGD([p], lr=0.1).step()
    assert p.data.tolist() == [1.0, 2.0]
    optim.SGD([p], lr=0.1).step()
    assert np.isnan(p.data[0])


def test_a_trace_hook_in_one_thread_does_not_see_another_threads_sweep():
    seen = []
    started, release = threading.Event(), threading.Event()

    def traced():
        previous = ag.engine.set_step_hook(lambda node, g_out, g_in: seen.append(node.name))
        try:
            started.set()
            release.wait(5)
        finally:
            ag.engine.set_step_hook(previous)

    thread = threading.Thread(target=traced)
    thread.start()
    started.wait(5)
    x = ag.ones(2, requires_grad=True)
    (x * 3).sum().backward()
    release.set()
    thread.join()
    assert seen == []
