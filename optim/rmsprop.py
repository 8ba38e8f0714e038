"""RMSprop: steps scaled by a running root-mean-square of the gradient."""

import numpy as np

from .optimizer import Optimizer, check_non_negative, check_unit_interval


class RMSprop(Optimizer):
    r"""RMSprop, optionally centered and with momentum, as PyTorch's `RMSprop` computes it.

    With learning rate eta, smoothing alpha, momentum mu, weight decay lambda and eps, starting
    from v_0 = 0, gbar_0 = 0, b_0 = 0, step t does (all operations per coordinate):

        g_t     = grad f(theta_{t-1})                  (negated when maximize=True)
        g_t     = g_t + lambda theta_{t-1}             (if lambda != 0)
        v_t     = alpha v_{t-1} + (1 - alpha) g_t^2
        if centered:
            gbar_t = alpha gbar_{t-1} + (1 - alpha) g_t
            r_t    = sqrt(v_t - gbar_t^2) + eps        (root of a running variance)
        else:
            r_t    = sqrt(v_t) + eps
        if mu > 0:
            b_t     = mu b_{t-1} + g_t / r_t
            theta_t = theta_{t-1} - eta b_t
        else:
            theta_t = theta_{t-1} - eta g_t / r_t

    >>> optimizer = optim.RMSprop(model.parameters(), lr=1e-2, centered=True)
    >>> loss.backward(); optimizer.step()
    """

    _state_counters = ("step",)
    _state_arrays = ("square_avg",)
    _optional_state_arrays = ("grad_avg", "momentum_buffer")

    def __init__(
        self,
        params,
        lr=1e-2,
        alpha=0.99,
        eps=1e-8,
        momentum=0,
        weight_decay=0,
        centered=False,
        *,
        maximize=False,
    ):
        defaults = dict(
            lr=lr,
            alpha=alpha,
            eps=eps,
            momentum=momentum,
            weight_decay=weight_decay,
            centered=centered,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check_hyperparameters(self, options):
        check_non_negative("lr", options["lr"])
        check_unit_interval("alpha", options["alpha"])
        check_non_negative("eps", options["eps"])
        check_unit_interval("momentum", options["momentum"])
        check_non_negative("weight_decay", options["weight_decay"])

    def _update(self, parameter, grad, group, state):
        lr = float(group["lr"])
        alpha = float(group["alpha"])
        momentum = float(group["momentum"])
        weight_decay = float(group["weight_decay"])
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros(parameter.shape, dtype=parameter.dtype)
        state["step"] += 1

        if group["maximize"]:
            grad = -grad
        if weight_decay != 0:
            grad = grad + weight_decay * parameter.data
        square_avg = state["square_avg"]
        square_avg *= alpha
        square_avg += (1 - alpha) * grad * grad
        if group["centered"]:
            grad_avg = state.setdefault("grad_avg", np.zeros_like(square_avg))
            grad_avg *= alpha
            grad_avg += (1 - alpha) * grad
            root_mean_square = np.sqrt(square_avg - grad_avg * grad_avg) + float(group["eps"])
        else:
            root_mean_square = np.sqrt(square_avg) + float(group["eps"])

        if momentum > 0:
            buffer = state.setdefault("momentum_buffer", np.zeros_like(square_avg))
            buffer *= momentum
            buffer += grad / root_mean_square
            parameter.sub_(lr * buffer)
        else:
            parameter.sub_(lr * grad / root_mean_square)
