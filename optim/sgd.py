"""Stochastic gradient descent, with optional momentum, dampening, Nesterov and weight decay."""

from .optimizer import Optimizer, check_non_negative, check_unit_interval


class SGD(Optimizer):
    r"""Gradient descent, optionally with (Nesterov) momentum, as PyTorch's `SGD` computes it.

    With learning rate eta, momentum mu, dampening tau and weight decay lambda, step t does:

        g_t = grad f(theta_{t-1})                      (negated when maximize=True)
        g_t = g_t + lambda theta_{t-1}                 (if lambda != 0)
        if mu != 0:
            b_t = g_t                                  (t = 1: no dampening on the first step)
            b_t = mu b_{t-1} + (1 - tau) g_t           (t > 1)
            d_t = g_t + mu b_t   if nesterov   else   d_t = b_t
        else:
            d_t = g_t
        theta_t = theta_{t-1} - eta d_t

    Nesterov's look-ahead form v_{t+1} = mu v_t - eta grad f(w_t + mu v_t), w_{t+1} = w_t + v_{t+1}
    gives the same iterates under theta_t = w_t + mu v_t and b_t = -v_t / eta.

    >>> optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    >>> loss.backward(); optimizer.step()
    """

    _optional_state_arrays = ("momentum_buffer",)

    def __init__(
        self,
        params,
        lr,
        momentum=0,
        dampening=0,
        nesterov=False,
        weight_decay=0,
        *,
        maximize=False,
    ):
        defaults = dict(
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            nesterov=nesterov,
            weight_decay=weight_decay,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check_hyperparameters(self, options):
        check_non_negative("lr", options["lr"])
        check_unit_interval("momentum", options["momentum"])
        check_non_negative("dampening", options["dampening"])
        if options["dampening"] > 1:
            raise ValueError(f"invalid dampening: {options['dampening']!r} (must be in [0, 1])")
        check_non_negative("weight_decay", options["weight_decay"])
        if options["nesterov"] and (options["momentum"] <= 0 or options["dampening"] != 0):
            raise ValueError(
                "invalid nesterov: Nesterov momentum needs momentum > 0 and dampening = 0, "
                f"got momentum={options['momentum']!r}, dampening={options['dampening']!r}"
            )

    def _update(self, parameter, grad, group, state):
        lr = float(group["lr"])
        momentum = float(group["momentum"])
        dampening = float(group["dampening"])
        weight_decay = float(group["weight_decay"])

        if group["maximize"]:
            grad = -grad
        if weight_decay != 0:
            grad = grad + weight_decay * parameter.data
        direction = grad
        if momentum != 0:
            buffer = state.get("momentum_buffer")
            if buffer is None:
                buffer = state["momentum_buffer"] = grad.astype(parameter.dtype, copy=True)
            else:
                buffer *= momentum
                buffer += (1 - dampening) * grad
            direction = grad + momentum * buffer if group["nesterov"] else buffer
        parameter.sub_(lr * direction)
