"""Tests of optim's optimizers: update rules against the written equations, convergence,
parameter groups, saving and resuming, and bad input."""

import re
from functools import partial

import numpy as np
import pytest

import autograd_core as ag
import optim

# ---------------------------------------------------------------------------------------------
# Reference update rules, written from the equations in each optimizer's docstring (the ones
# PyTorch documents), in plain NumPy. Each takes the starting point and a list of gradients and
# returns the list of iterates theta_1, theta_2, ...
# ---------------------------------------------------------------------------------------------


def reference_sgd(
    theta, grads, lr, momentum=0, dampening=0, nesterov=False, weight_decay=0, maximize=False
):
    theta, buffer, path = theta.copy(), None, []
    for g in grads:
        g = -g if maximize else g
        if weight_decay != 0:
            g = g + weight_decay * theta
        if momentum != 0:
            buffer = g.copy() if buffer is None else momentum * buffer + (1 - dampening) * g
            g = g + momentum * buffer if nesterov else buffer
        theta = theta - lr * g
        path.append(theta)
    return path


def reference_adagrad(
    theta, grads, lr=1e-2, eps=1e-10, weight_decay=0, lr_decay=0, initial_accumulator_value=0
):
    theta, path = theta.copy(), []
    square_sum = np.full_like(theta, initial_accumulator_value)
    for t, g in enumerate(grads, start=1):
        step_lr = lr / (1 + (t - 1) * lr_decay)
        if weight_decay != 0:
            g = g + weight_decay * theta
        square_sum = square_sum + g**2
        theta = theta - step_lr * g / (np.sqrt(square_sum) + eps)
        path.append(theta)
    return path


def reference_rmsprop(
    theta, grads, lr=1e-2, alpha=0.99, eps=1e-8, momentum=0, weight_decay=0, centered=False
):
    theta, path = theta.copy(), []
    square_avg, grad_avg, buffer = np.zeros_like(theta), np.zeros_like(theta), np.zeros_like(theta)
    for g in grads:
        if weight_decay != 0:
            g = g + weight_decay * theta
        square_avg = alpha * square_avg + (1 - alpha) * g**2
        variance = square_avg
        if centered:
            grad_avg = alpha * grad_avg + (1 - alpha) * g
            variance = square_avg - grad_avg**2
        if momentum > 0:
            buffer = momentum * buffer + g / (np.sqrt(variance) + eps)
            theta = theta - lr * buffer
        else:
            theta = theta - lr * g / (np.sqrt(variance) + eps)
        path.append(theta)
    return path


def reference_adam(
    theta,
    grads,
    lr=1e-3,
    betas=(0.9, 0.999),
    eps=1e-8,
    weight_decay=0,
    amsgrad=False,
    decoupled=False,
):
    beta1, beta2 = betas
    theta, path = theta.copy(), []
    m, v, v_max = np.zeros_like(theta), np.zeros_like(theta), np.zeros_like(theta)
    for t, g in enumerate(grads, start=1):
        if decoupled:
            theta = theta - lr * weight_decay * theta
        elif weight_decay != 0:
            g = g + weight_decay * theta
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**t)
        if amsgrad:
            # PyTorch's current AMSGrad: the running max of v itself, bias-corrected afterwards.
            v_max = np.maximum(v_max, v)
            v_hat = v_max / (1 - beta2**t)
        else:
            v_hat = v / (1 - beta2**t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
        path.append(theta)
    return path


reference_adamw = partial(reference_adam, weight_decay=1e-2, decoupled=True)

# (name, optimizer class, keyword arguments, reference rule); the reference takes the same
# keyword arguments as the optimizer.
CASES = [
    ("sgd", optim.SGD, dict(lr=0.1), reference_sgd),
    ("sgd-momentum", optim.SGD, dict(lr=0.1, momentum=0.9), reference_sgd),
    ("sgd-dampening", optim.SGD, dict(lr=0.1, momentum=0.9, dampening=0.5), reference_sgd),
    ("sgd-nesterov", optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True), reference_sgd),
    ("sgd-weight-decay", optim.SGD, dict(lr=0.1, weight_decay=0.1), reference_sgd),
    (
        "sgd-all",
        optim.SGD,
        dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.2),
        reference_sgd,
    ),
    ("sgd-maximize", optim.SGD, dict(lr=0.1, momentum=0.5, maximize=True), reference_sgd),
    ("adagrad", optim.Adagrad, dict(), reference_adagrad),
    ("adagrad-lr-decay", optim.Adagrad, dict(lr=0.5, lr_decay=0.3), reference_adagrad),
    (
        "adagrad-accumulator",
        optim.Adagrad,
        dict(lr=0.5, initial_accumulator_value=0.7, eps=1e-3),
        reference_adagrad,
    ),
    ("adagrad-weight-decay", optim.Adagrad, dict(lr=0.5, weight_decay=0.3), reference_adagrad),
    ("rmsprop", optim.RMSprop, dict(), reference_rmsprop),
    ("rmsprop-centered", optim.RMSprop, dict(lr=0.05, centered=True), reference_rmsprop),
    ("rmsprop-momentum", optim.RMSprop, dict(lr=0.05, momentum=0.9), reference_rmsprop),
    (
        "rmsprop-all",
        optim.RMSprop,
        dict(lr=0.05, alpha=0.9, momentum=0.5, weight_decay=0.1, centered=True),
        reference_rmsprop,
    ),
    ("adam", optim.Adam, dict(lr=0.1), reference_adam),
    ("adam-amsgrad", optim.Adam, dict(lr=0.1, betas=(0.8, 0.9), amsgrad=True), reference_adam),
    ("adam-weight-decay", optim.Adam, dict(lr=0.1, weight_decay=0.3), reference_adam),
    ("adamw", optim.AdamW, dict(lr=0.1), reference_adamw),
    ("adamw-decay", optim.AdamW, dict(lr=0.1, weight_decay=0.5), reference_adamw),
    (
        "adamw-amsgrad",
        optim.AdamW,
        dict(lr=0.1, betas=(0.8, 0.9), weight_decay=0.5, amsgrad=True),
        reference_adamw,
    ),
]
CASE_IDS = [case[0] for case in CASES]

START = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
# Large, then small gradients: the second moment v falls, so AMSGrad's running max matters.
GRADIENTS = [
    np.array([[4.0, -3.0, 2.5], [-1.0, 6.0, 0.5]]),
    np.array([[0.1, 0.2, -0.3], [0.05, -0.1, 0.4]]),
    np.array([[-0.2, 0.1, 0.3], [0.6, -0.05, -0.2]]),
]


def make_parameter(values, dtype=np.float64):
    return ag.tensor(np.array(values, dtype=dtype), requires_grad=True)


def run_with_gradients(optimizer, parameter, gradients):
    path = []
    for gradient in gradients:
        parameter.grad = ag.tensor(np.array(gradient, dtype=parameter.dtype))
        optimizer.step()
        path.append(parameter.data.copy())
    return path


# ------------------------------------------------------------------- the update equations


@pytest.mark.parametrize("name, optimizer_class, options, reference", CASES, ids=CASE_IDS)
def test_first_three_steps_follow_the_written_equations(name, optimizer_class, options, reference):
    parameter = make_parameter(START)
    optimizer = optimizer_class([parameter], **options)
    path = run_with_gradients(optimizer, parameter, GRADIENTS)
    expected = reference(START, GRADIENTS, **options)
    for step, (got, want) in enumerate(zip(path, expected), start=1):
        np.testing.assert_allclose(
            got, want, rtol=1e-12, atol=1e-14, err_msg=f"{name}, step {step}"
        )


@pytest.mark.parametrize("name, optimizer_class, options, reference", CASES, ids=CASE_IDS)
def test_float32_parameters_and_state_stay_float32(name, optimizer_class, options, reference):
    parameter = make_parameter(START, np.float32)
    optimizer = optimizer_class([parameter], **options)
    path = run_with_gradients(optimizer, parameter, GRADIENTS)
    assert parameter.dtype == np.float32 and parameter.data.dtype == np.float32
    for key, value in optimizer.state[parameter].items():
        if isinstance(value, np.ndarray):
            assert value.dtype == np.float32, f"{name}: state '{key}' is {value.dtype}"
    expected = reference(START, GRADIENTS, **options)
    np.testing.assert_allclose(path[-1], expected[-1], rtol=1e-5, atol=1e-6, err_msg=name)


def test_options_change_the_trajectory():
    # Guards against a reference that ignores an option the same way the optimizer does.
    def final(optimizer_class, **options):
        parameter = make_parameter(START)
        return run_with_gradients(optimizer_class([parameter], **options), parameter, GRADIENTS)[-1]

    pairs = [
        (final(optim.Adam, lr=0.1), final(optim.Adam, lr=0.1, amsgrad=True)),
        (final(optim.AdamW, lr=0.1), final(optim.Adam, lr=0.1, weight_decay=1e-2)),
        (
            final(optim.SGD, lr=0.1, momentum=0.9),
            final(optim.SGD, lr=0.1, momentum=0.9, dampening=0.5),
        ),
        (
            final(optim.SGD, lr=0.1, momentum=0.9),
            final(optim.SGD, lr=0.1, momentum=0.9, nesterov=True),
        ),
        (final(optim.RMSprop), final(optim.RMSprop, centered=True)),
        (final(optim.Adagrad, lr=0.5), final(optim.Adagrad, lr=0.5, lr_decay=0.3)),
    ]
    for first, second in pairs:
        assert not np.allclose(first, second)


@pytest.mark.parametrize(
    "optimizer_class, options",
    [
        (optim.SGD, dict(lr=0.1, momentum=0.9, weight_decay=0.1)),
        (optim.Adagrad, dict(lr=0.5, weight_decay=0.1)),
        (optim.RMSprop, dict(momentum=0.5, centered=True, weight_decay=0.1)),
        (optim.Adam, dict(lr=0.1, amsgrad=True, weight_decay=0.1)),
        (optim.AdamW, dict(lr=0.1, weight_decay=0.1)),
    ],
)
def test_maximize_equals_minimizing_with_the_negated_gradient(optimizer_class, options):
    ascending, descending = make_parameter(START), make_parameter(START)
    maximizer = optimizer_class([ascending], maximize=True, **options)
    minimizer = optimizer_class([descending], **options)
    run_with_gradients(maximizer, ascending, GRADIENTS)
    run_with_gradients(minimizer, descending, [-gradient for gradient in GRADIENTS])
    np.testing.assert_array_equal(ascending.data, descending.data)


def test_first_momentum_step_is_the_plain_gradient_without_dampening():
    parameter = make_parameter([1.0, -2.0])
    optimizer = optim.SGD([parameter], lr=0.1, momentum=0.9, dampening=0.5)
    run_with_gradients(optimizer, parameter, [np.array([2.0, 4.0])])
    np.testing.assert_array_equal(optimizer.state[parameter]["momentum_buffer"], [2.0, 4.0])
    np.testing.assert_allclose(parameter.data, [0.8, -2.4])


def test_step_updates_in_place_through_the_tensor_methods():
    parameter = make_parameter(START)
    data, version = parameter.data, parameter._version
    optimizer = optim.Adam([parameter], lr=0.1)
    run_with_gradients(optimizer, parameter, GRADIENTS[:1])
    assert parameter.data is data, "the optimizer replaced p.data instead of updating it"
    assert parameter._version > version, "the optimizer bypassed the in-place methods"


@pytest.mark.parametrize("name, optimizer_class, options, reference", CASES, ids=CASE_IDS)
def test_nan_gradient_makes_a_nan_parameter_without_raising(
    name, optimizer_class, options, reference
):
    parameter = make_parameter([1.0, 2.0])
    optimizer = optimizer_class([parameter], **options)
    run_with_gradients(optimizer, parameter, [np.array([np.nan, 0.5])])
    assert np.isnan(parameter.data[0]), name
    assert np.isfinite(parameter.data[1]), name


# ------------------------------------------------------------------- landscapes and the engine


def quadratic(x, a=1.0, b=10.0):
    return a * x[0] ** 2 + b * x[1] ** 2


def valley(x):
    # Minima at (1, 2) and (-1, 0), with narrow curved valleys between.
    return (x[0] ** 2 - 1) ** 2 + (x[0] ** 2 * x[1] - x[0] - 1) ** 2


def engine_gradient(function, point):
    x = ag.tensor(np.array(point, dtype=np.float64), requires_grad=True)
    function(x).backward()
    return x.grad.data.copy()


def minimise(optimizer_class, options, function, start, steps):
    parameter = make_parameter(start)
    optimizer = optimizer_class([parameter], **options)
    for _ in range(steps):
        optimizer.zero_grad()
        function(parameter).backward()
        optimizer.step()
    return parameter.data


@pytest.mark.parametrize("eta", [0.01, 0.04, 0.09])
def test_gradient_descent_follows_the_closed_form_on_a_quadratic(eta):
    # For f = a x1^2 + b x2^2, x_i <- x_i - 2 eta a_i x_i, so x_i(t) = (1 - 2 eta a_i)^t x_i(0).
    a = np.array([1.0, 10.0])
    start = np.array([1.5, -0.8])
    parameter = make_parameter(start)
    optimizer = optim.SGD([parameter], lr=eta)
    for t in range(1, 31):
        optimizer.zero_grad()
        quadratic(parameter).backward()
        optimizer.step()
        np.testing.assert_allclose(
            parameter.data, (1 - 2 * eta * a) ** t * start, rtol=1e-11, atol=1e-300
        )


# (optimizer, options, steps, tolerance). Plain RMSprop's step stays about lr in size however
# small the gradient (it divides by the gradient's own root mean square), so with a constant lr
# it ends in a limit cycle of amplitude about lr / 2 around the minimum: its tolerance says so.
CONVERGENCE = [
    (optim.SGD, dict(lr=0.02), 3000, 1e-6),
    (optim.SGD, dict(lr=0.01, momentum=0.9), 1500, 1e-6),
    (optim.SGD, dict(lr=0.01, momentum=0.9, nesterov=True), 1500, 1e-6),
    (optim.Adagrad, dict(lr=0.5), 3000, 1e-6),
    (optim.RMSprop, dict(lr=0.01), 3000, 1e-2),
    (optim.RMSprop, dict(lr=0.005, momentum=0.5, centered=True), 3000, 1e-5),
    (optim.Adam, dict(lr=0.02), 3000, 1e-6),
    (optim.Adam, dict(lr=0.02, amsgrad=True), 3000, 1e-6),
    (optim.AdamW, dict(lr=0.02, weight_decay=0), 3000, 1e-6),
]
CONVERGENCE_IDS = [f"{case[0].__name__}-{case[1]}" for case in CONVERGENCE]


@pytest.mark.parametrize(
    "optimizer_class, options, steps, tolerance", CONVERGENCE, ids=CONVERGENCE_IDS
)
def test_converges_on_the_quadratic(optimizer_class, options, steps, tolerance):
    found = minimise(optimizer_class, options, quadratic, [1.0, 1.0], steps)
    np.testing.assert_allclose(found, [0.0, 0.0], atol=tolerance)


@pytest.mark.parametrize(
    "optimizer_class, options, steps, tolerance", CONVERGENCE, ids=CONVERGENCE_IDS
)
@pytest.mark.parametrize("start, minimum", [([1.2, 1.7], [1.0, 2.0]), ([-0.8, 0.3], [-1.0, 0.0])])
def test_converges_in_the_valley(optimizer_class, options, steps, tolerance, start, minimum):
    found = minimise(optimizer_class, options, valley, start, steps)
    np.testing.assert_allclose(found, minimum, atol=tolerance)


def test_adamw_decay_pulls_the_minimum_towards_zero():
    # On a x1^2 + b x2^2 decay only shrinks; in the valley, it moves the fixed point off (1, 2).
    found = minimise(optim.AdamW, dict(lr=0.02, weight_decay=0.5), valley, [1.2, 1.7], 3000)
    assert np.linalg.norm(found) < np.linalg.norm([1.0, 2.0])


@pytest.mark.parametrize("function", [quadratic, valley], ids=["quadratic", "valley"])
def test_nesterov_look_ahead_form_equals_the_implemented_form(function):
    # The lectures' look-ahead form keeps a velocity v (theta in the lecture notes):
    #     v_{t+1} = mu v_t - eta grad L(w_t + mu v_t),    w_{t+1} = w_t + v_{t+1}.
    # The optimizer keeps p and a buffer b:
    #     b_{t+1} = mu b_t + grad L(p_t),    p_{t+1} = p_t - eta (grad L(p_t) + mu b_{t+1}).
    # Change variables p_t = w_t + mu v_t and b_t = -v_t / eta. Then grad L is taken at the same
    # point in both, the velocity update divided by -eta is the buffer update, and
    #     p_{t+1} = w_{t+1} + mu v_{t+1} = p_t - mu v_t + (1 + mu) v_{t+1}
    #             = p_t + mu^2 v_t - (1 + mu) eta g = p_t - eta (g + mu (g + mu b_t))
    #             = p_t - eta (g + mu b_{t+1}).
    # With v_0 = 0 both start at p_0 = w_0, and b_1 = g (PyTorch's first momentum step).
    eta, mu = 0.01, 0.9
    w = np.array([0.8, 1.5])
    velocity = np.zeros(2)
    parameter = make_parameter(w)
    optimizer = optim.SGD([parameter], lr=eta, momentum=mu, nesterov=True)
    for step in range(1, 101):
        velocity = mu * velocity - eta * engine_gradient(function, w + mu * velocity)
        w = w + velocity
        optimizer.zero_grad()
        function(parameter).backward()
        optimizer.step()
        np.testing.assert_allclose(
            parameter.data, w + mu * velocity, rtol=1e-10, atol=1e-12, err_msg=f"step {step}"
        )
        np.testing.assert_allclose(
            optimizer.state[parameter]["momentum_buffer"],
            -velocity / eta,
            rtol=1e-9,
            atol=1e-10,
            err_msg=f"step {step}",
        )


def test_step_calls_the_closure_with_grad_enabled_and_returns_its_loss():
    parameter = make_parameter([1.0, 1.0])
    optimizer = optim.SGD([parameter], lr=0.1)
    seen = []

    def closure():
        seen.append(ag.is_grad_enabled())
        optimizer.zero_grad()
        loss = quadratic(parameter)
        loss.backward()
        return loss

    with ag.no_grad():
        loss = optimizer.step(closure)
    assert seen == [True]
    assert loss.item() == pytest.approx(11.0)
    np.testing.assert_allclose(parameter.data, [0.8, -1.0])


# ------------------------------------------------------------------- groups, grads, state


def test_parameter_groups_use_their_own_learning_rates_and_defaults():
    first, second = make_parameter([1.0]), make_parameter([1.0])
    optimizer = optim.SGD([{"params": [first]}, {"params": [second], "lr": 0.5}], lr=0.1)
    assert optimizer.param_groups[0]["lr"] == 0.1 and optimizer.param_groups[1]["lr"] == 0.5
    assert optimizer.param_groups[1]["momentum"] == 0
    for parameter in (first, second):
        parameter.grad = ag.tensor(np.array([1.0]))
    optimizer.step()
    np.testing.assert_allclose(first.data, [0.9])
    np.testing.assert_allclose(second.data, [0.5])


def test_add_param_group_fills_defaults_and_rejects_a_parameter_already_present():
    first, second = make_parameter([1.0]), make_parameter([2.0])
    optimizer = optim.Adam([first], lr=0.01)
    optimizer.add_param_group({"params": second, "betas": (0.5, 0.6)})
    assert optimizer.param_groups[1]["lr"] == 0.01
    assert optimizer.param_groups[1]["betas"] == (0.5, 0.6)
    with pytest.raises(ValueError, match="params: element 0 appears more than once"):
        optimizer.add_param_group({"params": [first]})
    assert len(optimizer.param_groups) == 2


def test_zero_grad_sets_none_by_default_and_zeros_in_place_on_request():
    parameter = make_parameter([1.0, 2.0])
    optimizer = optim.SGD([parameter], lr=0.1)
    quadratic(parameter).backward()
    grad = parameter.grad
    optimizer.zero_grad(set_to_none=False)
    assert parameter.grad is grad
    np.testing.assert_array_equal(parameter.grad.data, [0.0, 0.0])
    optimizer.zero_grad()
    assert parameter.grad is None


def test_parameters_without_a_gradient_are_skipped():
    used, unused = make_parameter([1.0]), make_parameter([3.0])
    optimizer = optim.Adam([used, unused], lr=0.1, weight_decay=0.5)
    used.grad = ag.tensor(np.array([1.0]))
    optimizer.step()
    np.testing.assert_array_equal(unused.data, [3.0])
    assert unused not in optimizer.state
    assert used in optimizer.state
    assert not np.array_equal(used.data, [1.0])


def test_state_dict_layout_is_plain_data_with_integer_indices():
    first, second, third = make_parameter([1.0]), make_parameter([2.0, 3.0]), make_parameter([4.0])
    optimizer = optim.SGD([{"params": [first, second]}, {"params": [third]}], lr=0.1, momentum=0.9)
    for parameter in (first, third):
        parameter.grad = ag.tensor(np.ones_like(parameter.data))
    optimizer.step()
    saved = optimizer.state_dict()
    assert [group["params"] for group in saved["param_groups"]] == [[0, 1], [2]]
    assert saved["param_groups"][0]["lr"] == 0.1
    assert sorted(saved["state"]) == [0, 2]
    buffer = saved["state"][0]["momentum_buffer"]
    assert type(buffer) is np.ndarray
    buffer += 100.0  # the saved arrays are copies
    np.testing.assert_array_equal(optimizer.state[first]["momentum_buffer"], [1.0])


ROUND_TRIP = [
    (optim.SGD, dict(lr=0.01, momentum=0.9, nesterov=True, weight_decay=0.1)),
    (optim.SGD, dict(lr=0.01, momentum=0.9, dampening=0.3)),
    (optim.Adagrad, dict(lr=0.1, lr_decay=0.05, initial_accumulator_value=0.1)),
    (optim.RMSprop, dict(lr=0.01, momentum=0.5, centered=True, weight_decay=0.1)),
    (optim.Adam, dict(lr=0.01, amsgrad=True, weight_decay=0.1)),
    (optim.AdamW, dict(lr=0.01, amsgrad=True)),
]


@pytest.mark.parametrize(
    "optimizer_class, options", ROUND_TRIP, ids=[f"{c.__name__}-{o}" for c, o in ROUND_TRIP]
)
def test_state_dict_round_trip_resumes_a_run_exactly(optimizer_class, options):
    def train(optimizer, parameters, steps):
        for _ in range(steps):
            optimizer.zero_grad()
            (valley(parameters[0]) + quadratic(parameters[1])).backward()
            optimizer.step()

    starts = [np.array([1.2, 1.7]), np.array([0.5, -0.5])]
    parameters = [make_parameter(start) for start in starts]
    # Two groups, the second with its own lr, so that group hyper-parameters travel too.
    groups = [{"params": parameters[:1]}, {"params": parameters[1:], "lr": options["lr"] / 2}]
    uninterrupted = optimizer_class(groups, **options)
    train(uninterrupted, parameters, 5)

    saved = uninterrupted.state_dict()
    copies = [make_parameter(parameter.data.copy()) for parameter in parameters]
    wrong_options = dict(options, lr=123.0)  # the loaded groups must override these
    resumed = optimizer_class([{"params": copies[:1]}, {"params": copies[1:]}], **wrong_options)
    resumed.load_state_dict(saved)
    for state in saved["state"].values():  # the loaded arrays are copies
        for value in state.values():
            if isinstance(value, np.ndarray):
                value += 1e3

    train(uninterrupted, parameters, 5)
    train(resumed, copies, 5)
    for original, copy in zip(parameters, copies):
        np.testing.assert_array_equal(copy.data, original.data)
    assert resumed.param_groups[1]["lr"] == options["lr"] / 2


def _mismatched_state_dicts():
    wide = make_parameter([1.0, 2.0])
    two_groups = optim.SGD([{"params": [wide]}, {"params": [make_parameter([0.0])]}], lr=0.1)
    two_parameters = optim.SGD([wide, make_parameter([0.0])], lr=0.1)
    wide.grad = ag.tensor(np.array([1.0, 1.0]))
    shapes = optim.SGD([wide], lr=0.1, momentum=0.9)
    shapes.step()
    bad_lr = optim.SGD([make_parameter([0.0])], lr=0.1).state_dict()
    bad_lr["param_groups"][0]["lr"] = -1.0
    return [
        (two_groups.state_dict(), "2 parameter groups, but this optimizer has 1"),
        (
            two_parameters.state_dict(),
            "group 0 has 2 parameters, but this optimizer's group 0 has 1",
        ),
        (shapes.state_dict(), "'momentum_buffer' has shape (2,), but the parameter has shape (1,)"),
        (bad_lr, "invalid lr: -1.0"),
    ]


@pytest.mark.parametrize("index", range(4))
def test_load_state_dict_mismatch_raises_and_changes_nothing(index):
    saved, message = _mismatched_state_dicts()[index]
    parameter = make_parameter([1.0])
    optimizer = optim.SGD([parameter], lr=0.1, momentum=0.9)
    parameter.grad = ag.tensor(np.array([1.0]))
    optimizer.step()
    before = optimizer.state_dict()
    with pytest.raises(ValueError, match=re.escape(message)):
        optimizer.load_state_dict(saved)
    after = optimizer.state_dict()
    assert after["param_groups"] == before["param_groups"]
    np.testing.assert_array_equal(
        after["state"][0]["momentum_buffer"], before["state"][0]["momentum_buffer"]
    )


# ------------------------------------------------------------------- bad input


def _tensor_without_grad():
    return ag.tensor(np.array([1.0]))


BAD_INPUT = [
    (lambda p: optim.SGD(p, lr=-0.1), ValueError, "invalid lr:"),
    (lambda p: optim.SGD(p, lr=0.1, momentum=1.0), ValueError, "invalid momentum:"),
    (lambda p: optim.SGD(p, lr=0.1, momentum=-0.1), ValueError, "invalid momentum:"),
    (lambda p: optim.SGD(p, lr=0.1, weight_decay=-1), ValueError, "invalid weight_decay:"),
    (lambda p: optim.SGD(p, lr=0.1, dampening=-1), ValueError, "invalid dampening:"),
    (lambda p: optim.SGD(p, lr=0.1, nesterov=True), ValueError, "invalid nesterov:"),
    (
        lambda p: optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
        ValueError,
        "invalid nesterov:",
    ),
    (lambda p: optim.SGD(p, lr="fast"), TypeError, "invalid lr:"),
    (lambda p: optim.Adagrad(p, lr=-1), ValueError, "invalid lr:"),
    (lambda p: optim.Adagrad(p, eps=-1e-10), ValueError, "invalid eps:"),
    (lambda p: optim.Adagrad(p, lr_decay=-0.1), ValueError, "invalid lr_decay:"),
    (
        lambda p: optim.Adagrad(p, initial_accumulator_value=-1),
        ValueError,
        "invalid initial_accumulator_value:",
    ),
    (lambda p: optim.Adagrad(p, weight_decay=-1), ValueError, "invalid weight_decay:"),
    (lambda p: optim.RMSprop(p, lr=-1), ValueError, "invalid lr:"),
    (lambda p: optim.RMSprop(p, alpha=1.5), ValueError, "invalid alpha:"),
    (lambda p: optim.RMSprop(p, eps=-1), ValueError, "invalid eps:"),
    (lambda p: optim.RMSprop(p, momentum=1.0), ValueError, "invalid momentum:"),
    (lambda p: optim.RMSprop(p, weight_decay=-1), ValueError, "invalid weight_decay:"),
    (lambda p: optim.Adam(p, lr=-1e-3), ValueError, "invalid lr:"),
    (lambda p: optim.Adam(p, betas=(1.0, 0.999)), ValueError, "invalid betas[0]:"),
    (lambda p: optim.Adam(p, betas=(0.9, -0.1)), ValueError, "invalid betas[1]:"),
    (lambda p: optim.Adam(p, betas=(0.9,)), ValueError, "invalid betas:"),
    (lambda p: optim.Adam(p, eps=-1), ValueError, "invalid eps:"),
    (lambda p: optim.Adam(p, weight_decay=-1), ValueError, "invalid weight_decay:"),
    (lambda p: optim.AdamW(p, lr=-1), ValueError, "invalid lr:"),
    (lambda p: optim.AdamW(p, betas=(0.9, 1.0)), ValueError, "invalid betas[1]:"),
    (lambda p: optim.AdamW(p, weight_decay=-0.01), ValueError, "invalid weight_decay:"),
    (lambda p: optim.SGD([{"params": p, "lr": -1.0}], lr=0.1), ValueError, "invalid lr:"),
    (lambda p: optim.SGD([], lr=0.1), ValueError, "params: the optimizer got an empty"),
    (lambda p: optim.SGD(p + p, lr=0.1), ValueError, "params: element 1 appears more than once"),
    (
        lambda p: optim.SGD([{"params": p}, {"params": p}], lr=0.1),
        ValueError,
        "params: element 0 appears more than once",
    ),
    (lambda p: optim.SGD([np.zeros(2)], lr=0.1), TypeError, "params: element 0 is a ndarray"),
    (lambda p: optim.SGD(p + [3.0], lr=0.1), TypeError, "params: element 1 is a float"),
    (lambda p: optim.SGD(p[0], lr=0.1), TypeError, "params must be an iterable"),
    (
        lambda p: optim.SGD([_tensor_without_grad()], lr=0.1),
        ValueError,
        "params: element 0 does not require grad",
    ),
]


@pytest.mark.parametrize("build, error, message", BAD_INPUT)
def test_bad_input_raises_naming_the_argument(build, error, message):
    with pytest.raises(error, match=re.escape(message)):
        build([make_parameter([1.0, 2.0])])


def test_accepts_a_generator_and_a_plain_tensor_that_requires_grad():
    parameters = [make_parameter([1.0]), make_parameter([2.0])]
    optimizer = optim.SGD((parameter for parameter in parameters), lr=0.1)
    held = optimizer.param_groups[0]["params"]
    assert len(held) == 2 and all(got is want for got, want in zip(held, parameters))


# ------------------------------------------------------------------- failures change nothing

# `p.grad = ...` itself refuses what is not a Tensor of p's shape; an array of another shape
# can still arrive through `p.grad.data = ...`, and a bool gradient is a Tensor of p's shape.
BAD_GRADIENTS = [
    (lambda: np.ones(5), ValueError, "has shape (5,); it must have the parameter's shape"),
    (lambda: np.ones(1), ValueError, "has shape (1,); it must have the parameter's shape"),
    (lambda: np.ones((2, 1)), ValueError, "has shape (2, 1)"),
    (lambda: np.array([True, False]), TypeError, "has dtype bool"),
]


@pytest.mark.parametrize("name, optimizer_class, options, reference", CASES, ids=CASE_IDS)
@pytest.mark.parametrize(
    "make_grad, error, message", BAD_GRADIENTS, ids=[case[2][:20] for case in BAD_GRADIENTS]
)
def test_step_checks_every_gradient_before_updating_anything(
    name, optimizer_class, options, reference, make_grad, error, message
):
    first, second = make_parameter([1.0, 2.0, 3.0]), make_parameter([4.0, 5.0])
    optimizer = optimizer_class([{"params": [first]}, {"params": [second]}], **options)
    first.grad, second.grad = ag.ones(3), ag.ones(2)
    optimizer.step()  # so that there is state to leave alone
    first.grad, second.grad = ag.ones(3), ag.ones(2)
    second.grad.data = make_grad()
    saved, data, version = optimizer.state_dict(), first.data.copy(), first._version
    expected = (
        f"{optimizer_class.__name__}.step: the gradient of parameter 0 of group 1 (shape (2,))"
    )
    with pytest.raises(error, match=re.escape(expected) + ".*" + re.escape(message)):
        optimizer.step()
    np.testing.assert_array_equal(first.data, data)
    assert first._version == version
    after = optimizer.state_dict()
    for index, state in saved["state"].items():
        for key, value in state.items():
            np.testing.assert_array_equal(after["state"][index][key], value, err_msg=key)


def test_step_casts_an_integer_gradient_to_the_parameter_dtype():
    parameter = make_parameter([1.0, 2.0], dtype=np.float32)
    parameter.grad = ag.tensor(np.array([1, 2]))
    optim.SGD([parameter], lr=0.5).step()
    np.testing.assert_array_equal(parameter.data, np.array([0.5, 1.0], dtype=np.float32))


def _stepped_adam():
    first, second = make_parameter([1.0, 2.0]), make_parameter([3.0])
    optimizer = optim.Adam([first, second], lr=0.1, amsgrad=True)
    first.grad, second.grad = ag.ones(2), ag.ones(1)
    optimizer.step()
    return optimizer


def _corrupted(change):
    saved = _stepped_adam().state_dict()
    change(saved)
    return saved


MALFORMED_STATES = [
    ("state=None", lambda s: s.update(state=None), TypeError, "'state' must be a dict"),
    ("groups=None", lambda s: s.update(param_groups=None), TypeError, "'param_groups' must be"),
    ("state[0]=None", lambda s: s["state"].update({0: None}), TypeError, "parameter 0 must be"),
    ("unknown index", lambda s: s["state"].update({7: {}}), ValueError, "parameter 7, which no"),
    (
        "group without params",
        lambda s: s["param_groups"][0].pop("params"),
        ValueError,
        "group 0 lacks 'params'",
    ),
    (
        "group without lr",
        lambda s: s["param_groups"][0].pop("lr"),
        ValueError,
        "group 0 lacks 'lr'",
    ),
    ("group=None", lambda s: s["param_groups"].__setitem__(0, None), TypeError, "must be a dict"),
    (
        "repeated index",
        lambda s: s["param_groups"][0].update(params=[0, 0]),
        ValueError,
        "parameter index 0 appears more than once",
    ),
    (
        "unknown entry",
        lambda s: s["state"][0].update(a=1),
        ValueError,
        "parameter 0 has unknown entries 'a'",
    ),
    (
        "missing moment",
        lambda s: s["state"][0].pop("exp_avg"),
        ValueError,
        "parameter 0 lacks 'exp_avg'",
    ),
    (
        "moment=None",
        lambda s: s["state"][1].update(exp_avg=None),
        TypeError,
        "'exp_avg' must be a numeric NumPy array, got NoneType",
    ),
    (
        "moment of strings",
        lambda s: s["state"][1].update(exp_avg_sq=np.array(["a"])),
        TypeError,
        "'exp_avg_sq' must be a numeric NumPy array, got <U1",
    ),
    (
        "moment of the wrong shape",
        lambda s: s["state"][1].update(max_exp_avg_sq=np.ones(2)),
        ValueError,
        "'max_exp_avg_sq' has shape (2,), but the parameter has shape (1,)",
    ),
    ("step=1.5", lambda s: s["state"][0].update(step=1.5), TypeError, "'step' must be an int"),
    ("step=-1", lambda s: s["state"][0].update(step=-1), ValueError, "'step' must be >= 0"),
]


@pytest.mark.parametrize(
    "change, error, message",
    [case[1:] for case in MALFORMED_STATES],
    ids=[case[0] for case in MALFORMED_STATES],
)
def test_load_state_dict_rejects_malformed_states_and_changes_nothing(change, error, message):
    saved = _corrupted(change)
    optimizer = _stepped_adam()
    before = optimizer.state_dict()
    with pytest.raises(error, match=re.escape(message)):
        optimizer.load_state_dict(saved)
    after = optimizer.state_dict()
    assert after["param_groups"] == before["param_groups"]
    for index, state in before["state"].items():
        for key, value in state.items():
            np.testing.assert_array_equal(after["state"][index][key], value, err_msg=key)


def test_load_state_dict_accepts_a_parameter_without_state_and_numpy_integers():
    saved = _corrupted(lambda s: s["state"].update({0: {}}))
    saved["state"][1]["step"] = np.int64(4)
    optimizer = _stepped_adam()
    optimizer.load_state_dict(saved)
    first, second = optimizer.param_groups[0]["params"]
    assert optimizer.state[first] == {}
    assert type(optimizer.state[second]["step"]) is int
    first.grad, second.grad = ag.ones(2), ag.ones(1)
    optimizer.step()
    assert optimizer.state[first]["step"] == 1 and optimizer.state[second]["step"] == 5
