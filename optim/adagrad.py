"""Adagrad: per-coordinate steps scaled by the root of the sum of all past squared gradients."""

import numpy as np

from .optimizer import Optimizer, check_non_negative


class Adagrad(Optimizer):
    r"""Adagrad, as PyTorch's `Adagrad` computes it.

    With learning rate eta, learning-rate decay delta, weight decay lambda, initial accumulator
    value s_0 and eps, step t does (all operations per coordinate):

        g_t     = grad f(theta_{t-1})                  (negated when maximize=True)
        eta_t   = eta / (1 + (t - 1) delta)
        g_t     = g_t + lambda theta_{t-1}             (if lambda != 0)
        s_t     = s_{t-1} + g_t^2
        theta_t = theta_{t-1} - eta_t g_t / (sqrt(s_t) + eps)

    >>> optimizer = optim.Adagrad(model.parameters(), lr=0.1)
    >>> loss.backward(); optimizer.step()
    """

    _state_counters = ("step",)
    _state_arrays = ("sum",)

    def __init__(
        self,
        params,
        lr=1e-2,
        eps=1e-10,
        weight_decay=0,
        lr_decay=0,
        initial_accumulator_value=0,
        *,
        maximize=False,
    ):
        defaults = dict(
            lr=lr,
            eps=eps,
            weight_decay=weight_decay,
            lr_decay=lr_decay,
            initial_accumulator_value=initial_accumulator_value,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check_hyperparameters(self, options):
        for name in ("lr", "eps", "weight_decay", "lr_decay", "initial_accumulator_value"):
            check_non_negative(name, options[name])

    def _update(self, parameter, grad, group, state):
        lr = float(group["lr"])
        weight_decay = float(group["weight_decay"])
        if not state:
            state["step"] = 0
            state["sum"] = np.full(
                parameter.shape, group["initial_accumulator_value"], dtype=parameter.dtype
            )
        state["step"] += 1
        step_lr = lr / (1 + (state["step"] - 1) * float(group["lr_decay"]))

        if group["maximize"]:
            grad = -grad
        if weight_decay != 0:
            grad = grad + weight_decay * parameter.data
        square_sum = state["sum"]
        square_sum += grad * grad
        parameter.sub_(step_lr * grad / (np.sqrt(square_sum) + float(group["eps"])))
