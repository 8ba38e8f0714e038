"""Tests of optim.lr_scheduler: the documented sequences, state round trips and bad input."""

import math
import re

import numpy as np
import pytest

import autograd_core as ag
import optim
from optim import lr_scheduler

BASE_LRS = (0.1, 0.03)
EPOCHS = 25


def make_optimizer(learning_rates=BASE_LRS):
    groups = [
        {"params": [ag.tensor(np.array([1.0]), requires_grad=True)], "lr": lr}
        for lr in learning_rates
    ]
    return optim.SGD(groups, lr=1.0)


def learning_rates(optimizer):
    return [group["lr"] for group in optimizer.param_groups]


# Each schedule with its closed form lr(base, t), written out from the documentation.
SCHEDULES = [
    (
        "step",
        lambda opt: lr_scheduler.StepLR(opt, step_size=3, gamma=0.5),
        lambda base, t: base * 0.5 ** (t // 3),
    ),
    (
        "exponential",
        lambda opt: lr_scheduler.ExponentialLR(opt, gamma=0.9),
        lambda base, t: base * 0.9**t,
    ),
    (
        "cosine",
        lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max=10, eta_min=0.001),
        lambda base, t: 0.001 + (base - 0.001) * (1 + math.cos(math.pi * t / 10)) / 2,
    ),
    (
        "lambda",
        lambda opt: lr_scheduler.LambdaLR(opt, lr_lambda=lambda epoch: 1 / (1 + epoch)),
        lambda base, t: base / (1 + t),
    ),
]
SCHEDULE_IDS = [schedule[0] for schedule in SCHEDULES]


@pytest.mark.parametrize("name, build, closed_form", SCHEDULES, ids=SCHEDULE_IDS)
def test_schedule_follows_its_closed_form(name, build, closed_form):
    optimizer = make_optimizer()
    scheduler = build(optimizer)
    for epoch in range(EPOCHS):
        expected = [closed_form(base, epoch) for base in BASE_LRS]
        np.testing.assert_allclose(
            learning_rates(optimizer), expected, rtol=1e-15, err_msg=f"{name}, epoch {epoch}"
        )
        assert scheduler.get_last_lr() == learning_rates(optimizer)
        assert scheduler.last_epoch == epoch
        scheduler.step()


@pytest.mark.parametrize("name, build, closed_form", SCHEDULES, ids=SCHEDULE_IDS)
def test_construction_records_initial_lr(name, build, closed_form):
    optimizer = make_optimizer()
    scheduler = build(optimizer)
    assert [group["initial_lr"] for group in optimizer.param_groups] == list(BASE_LRS)
    assert scheduler.base_lrs == list(BASE_LRS)


def test_step_lr_values_are_the_familiar_staircase():
    optimizer = make_optimizer([1.0])
    scheduler = lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.1)
    seen = []
    for _ in range(6):
        seen.append(scheduler.get_last_lr()[0])
        scheduler.step()
    np.testing.assert_allclose(seen, [1.0, 1.0, 0.1, 0.1, 0.01, 0.01], rtol=1e-15)


def test_cosine_reaches_eta_min_at_t_max():
    optimizer = make_optimizer([0.5])
    scheduler = lr_scheduler.CosineAnnealingLR(optimizer, T_max=8, eta_min=0.05)
    for _ in range(8):
        scheduler.step()
    assert scheduler.get_last_lr()[0] == pytest.approx(0.05, abs=1e-15)


def test_lambda_lr_takes_one_function_per_group():
    optimizer = make_optimizer()
    scheduler = lr_scheduler.LambdaLR(
        optimizer, lr_lambda=[lambda epoch: 0.5**epoch, lambda epoch: 1.0 + epoch]
    )
    for _ in range(3):
        scheduler.step()
    np.testing.assert_allclose(scheduler.get_last_lr(), [0.1 * 0.125, 0.03 * 4.0], rtol=1e-15)


def test_the_optimizer_steps_with_the_scheduled_learning_rate():
    parameter = ag.tensor(np.array([1.0]), requires_grad=True)
    optimizer = optim.SGD([parameter], lr=0.1)
    scheduler = lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    expected = 1.0
    for lr in (0.1, 0.05, 0.025):
        parameter.grad = ag.tensor(np.array([1.0]))
        optimizer.step()
        scheduler.step()
        expected -= lr
        np.testing.assert_allclose(parameter.data, [expected], rtol=1e-15)


@pytest.mark.parametrize("name, build, closed_form", SCHEDULES, ids=SCHEDULE_IDS)
def test_state_dict_round_trip_continues_the_schedule(name, build, closed_form):
    optimizer = make_optimizer()
    scheduler = build(optimizer)
    for _ in range(7):
        scheduler.step()
    saved = scheduler.state_dict()
    assert "optimizer" not in saved
    assert saved["last_epoch"] == 7

    resumed_optimizer = make_optimizer()
    resumed = build(resumed_optimizer)
    resumed.load_state_dict(saved)
    for _ in range(5):
        scheduler.step()
        resumed.step()
        assert resumed.get_last_lr() == scheduler.get_last_lr()
        assert learning_rates(resumed_optimizer) == learning_rates(optimizer)


def test_lambda_lr_state_dict_leaves_out_the_functions():
    scheduler = lr_scheduler.LambdaLR(make_optimizer(), lr_lambda=lambda epoch: 1.0)
    saved = scheduler.state_dict()
    assert "lr_lambdas" not in saved
    scheduler.load_state_dict(saved)
    assert callable(scheduler.lr_lambdas[0])


def test_last_epoch_resumes_from_recorded_initial_lr():
    optimizer = make_optimizer()
    lr_scheduler.ExponentialLR(optimizer, gamma=0.5)
    resumed = lr_scheduler.ExponentialLR(optimizer, gamma=0.5, last_epoch=3)
    assert resumed.last_epoch == 4
    np.testing.assert_allclose(resumed.get_last_lr(), [base * 0.5**4 for base in BASE_LRS])


BAD_ARGUMENTS = [
    (lambda opt: lr_scheduler.StepLR(opt, step_size=0), ValueError, "invalid step_size:"),
    (lambda opt: lr_scheduler.StepLR(opt, step_size=-2), ValueError, "invalid step_size:"),
    (lambda opt: lr_scheduler.StepLR(opt, step_size=1.5), TypeError, "invalid step_size:"),
    (lambda opt: lr_scheduler.StepLR(opt, step_size=2, gamma=0), ValueError, "invalid gamma:"),
    (lambda opt: lr_scheduler.ExponentialLR(opt, gamma=-0.5), ValueError, "invalid gamma:"),
    (lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max=0), ValueError, "invalid T_max:"),
    (
        lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max=10, eta_min=-1),
        ValueError,
        "invalid eta_min:",
    ),
    (lambda opt: lr_scheduler.LambdaLR(opt, lr_lambda=3), TypeError, "invalid lr_lambda:"),
    (
        lambda opt: lr_scheduler.LambdaLR(opt, lr_lambda=[lambda epoch: 1.0]),
        ValueError,
        "invalid lr_lambda: got 1 functions for 2 parameter groups",
    ),
    (lambda opt: lr_scheduler.StepLR("sgd", step_size=2), TypeError, "optimizer:"),
    (lambda opt: lr_scheduler.LambdaLR(None, lambda epoch: 1.0), TypeError, "optimizer:"),
    (
        lambda opt: lr_scheduler.ExponentialLR(opt, gamma=0.5, last_epoch=3),
        ValueError,
        "param_groups[0] has no 'initial_lr'",
    ),
    (lambda opt: lr_scheduler.ExponentialLR(opt, 0.5, last_epoch=-2), ValueError, "last_epoch"),
]


@pytest.mark.parametrize("build, error, message", BAD_ARGUMENTS)
def test_bad_arguments_raise_naming_the_argument(build, error, message):
    optimizer = make_optimizer()
    with pytest.raises(error, match=re.escape(message)):
        build(optimizer)
    assert learning_rates(optimizer) == list(BASE_LRS)


# ------------------------------------------------------------------- failures change nothing

BAD_STATES = [
    (None, TypeError, "state_dict must be a dict"),
    ({"last_epoch": None}, TypeError, "invalid last_epoch: None"),
    ({"last_epoch": -2}, ValueError, "invalid last_epoch: -2"),
    ({"base_lrs": ["abc", 0.1]}, TypeError, "invalid base_lrs: 'abc'"),
    ({"base_lrs": [0.1]}, ValueError, "must be a list of 2 learning rates"),
    ({"base_lrs": [math.inf, 0.1]}, ValueError, "invalid base_lrs: inf"),
    ({"_last_lr": None}, ValueError, "invalid _last_lr: None"),
    ({"gamma": 0}, ValueError, "invalid gamma: 0"),
    ({"step_size": 1.5}, TypeError, "invalid step_size: 1.5"),
    ({"last_epoch": 3, "lr_lambdas": []}, ValueError, "'lr_lambdas' is not part of"),
]


@pytest.mark.parametrize(
    "state, error, message", BAD_STATES, ids=[repr(case[0]) for case in BAD_STATES]
)
def test_load_state_dict_checks_every_entry_and_changes_nothing(state, error, message):
    scheduler = lr_scheduler.StepLR(make_optimizer(), step_size=2, gamma=0.5)
    scheduler.step()
    before = scheduler.state_dict()
    with pytest.raises(error, match=re.escape(message)):
        scheduler.load_state_dict(state)
    assert scheduler.state_dict() == before


def test_load_state_dict_takes_some_entries():
    scheduler = lr_scheduler.StepLR(make_optimizer(), step_size=2, gamma=0.5)
    scheduler.load_state_dict({"last_epoch": 3})
    scheduler.step()
    np.testing.assert_allclose(scheduler.get_last_lr(), [base * 0.25 for base in BASE_LRS])


def test_step_that_fails_changes_nothing():
    optimizer = make_optimizer()
    scheduler = lr_scheduler.LambdaLR(
        optimizer, lr_lambda=lambda epoch: math.nan if epoch == 2 else 1.0
    )
    scheduler.step()
    with pytest.raises(ValueError, match="LambdaLR.step: the learning rate of group 0 at epoch 2"):
        scheduler.step()
    assert scheduler.last_epoch == 1
    assert scheduler.get_last_lr() == learning_rates(optimizer) == list(BASE_LRS)


def test_exponential_growth_past_the_float_range_raises_instead_of_overflowing():
    optimizer = make_optimizer([1.0])
    scheduler = lr_scheduler.ExponentialLR(optimizer, gamma=1e308)
    scheduler.step()
    assert scheduler.get_last_lr() == [1e308]
    with pytest.raises(ValueError, match="ExponentialLR.step: .* at epoch 2 failed with Overflow"):
        scheduler.step()
    assert scheduler.last_epoch == 1 and learning_rates(optimizer) == [1e308]


@pytest.mark.parametrize("gamma", [math.inf, math.nan])
def test_gamma_must_be_finite(gamma):
    with pytest.raises(ValueError, match="invalid gamma:"):
        lr_scheduler.ExponentialLR(make_optimizer(), gamma=gamma)
