"""Adam and AdamW: bias-corrected running moments of the gradient; AdamW decays weights apart."""

import math

import numpy as np

from .optimizer import Optimizer, check_non_negative, check_unit_interval


class Adam(Optimizer):
    r"""Adam, optionally AMSGrad, as PyTorch's `Adam` computes it.

    With learning rate eta, betas (beta1, beta2), weight decay lambda and eps, starting from
    m_0 = v_0 = vmax_0 = 0, step t does (all operations per coordinate):

        g_t     = grad f(theta_{t-1})                  (negated when maximize=True)
        g_t     = g_t + lambda theta_{t-1}             (if lambda != 0: an L2 penalty)
        m_t     = beta1 m_{t-1} + (1 - beta1) g_t
        v_t     = beta2 v_{t-1} + (1 - beta2) g_t^2
        if amsgrad:
            vmax_t = max(vmax_{t-1}, v_t)              (the running max of v, before correction)
            u_t    = vmax_t
        else:
            u_t    = v_t
        mhat_t  = m_t / (1 - beta1^t)
        uhat_t  = u_t / (1 - beta2^t)
        theta_t = theta_{t-1} - eta mhat_t / (sqrt(uhat_t) + eps)

    >>> optimizer = optim.Adam(model.parameters(), lr=1e-3)
    >>> loss.backward(); optimizer.step()
    """

    # AdamW sets this: weight decay shrinks theta directly instead of entering g.
    decoupled_weight_decay = False

    _state_counters = ("step",)
    _state_arrays = ("exp_avg", "exp_avg_sq")
    _optional_state_arrays = ("max_exp_avg_sq",)

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0,
        amsgrad=False,
        *,
        maximize=False,
    ):
        defaults = dict(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check_hyperparameters(self, options):
        check_non_negative("lr", options["lr"])
        betas = options["betas"]
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"invalid betas: {betas!r} (must be a pair (beta1, beta2))")
        for position, beta in enumerate(betas):
            check_unit_interval(f"betas[{position}]", beta)
        check_non_negative("eps", options["eps"])
        check_non_negative("weight_decay", options["weight_decay"])

    def _update(self, parameter, grad, group, state):
        lr = float(group["lr"])
        beta1, beta2 = (float(beta) for beta in group["betas"])
        weight_decay = float(group["weight_decay"])
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros(parameter.shape, dtype=parameter.dtype)
            state["exp_avg_sq"] = np.zeros(parameter.shape, dtype=parameter.dtype)
        state["step"] += 1
        step = state["step"]

        if group["maximize"]:
            grad = -grad
        if weight_decay != 0:
            if self.decoupled_weight_decay:
                parameter.mul_(1 - lr * weight_decay)
            else:
                grad = grad + weight_decay * parameter.data
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        exp_avg *= beta1
        exp_avg += (1 - beta1) * grad
        exp_avg_sq *= beta2
        exp_avg_sq += (1 - beta2) * grad * grad
        second_moment = exp_avg_sq
        if group["amsgrad"]:
            second_moment = state.setdefault("max_exp_avg_sq", np.zeros_like(exp_avg_sq))
            np.maximum(second_moment, exp_avg_sq, out=second_moment)

        # The bias corrections are folded into the step size and the denominator, in the order
        # PyTorch's loop uses; algebraically this is the rule in the docstring.
        step_size = lr / (1 - beta1**step)
        denominator = np.sqrt(second_moment) / math.sqrt(1 - beta2**step) + float(group["eps"])
        parameter.sub_(step_size * (exp_avg / denominator))


class AdamW(Adam):
    r"""Adam with decoupled weight decay, as PyTorch's `AdamW` computes it.

    The same steps as `Adam` without the L2 term in g_t; instead, first of all,

        theta_{t-1} <- theta_{t-1} (1 - eta lambda)

    so the decay does not pass through the moment estimates.

    >>> optimizer = optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    >>> loss.backward(); optimizer.step()
    """

    decoupled_weight_decay = True

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=1e-2,
        amsgrad=False,
        *,
        maximize=False,
    ):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize)
