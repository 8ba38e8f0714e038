"""Helpers shared by nn's tests: float64 leaves, and gradcheck / gradgradcheck of a module as a
function of its input and all its parameters."""

import numpy as np

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck


def leaf(array):
    return ag.tensor(np.asarray(array, dtype=np.float64), requires_grad=True)


def _flat(outputs):
    """Nested tuples of Tensors (an LSTM's (output, (h_n, c_n))) as one flat tuple."""
    if not isinstance(outputs, tuple):
        return (outputs,)
    return tuple(t for item in outputs for t in _flat(item))


def as_function(module, call=None):
    """(f, parameters): f(x, *parameters) runs `call(module, x)` (default `module(x)`) with the
    given tensors installed in place of its parameters, so the checker can perturb them (it
    passes its own float64 copies). Nested tuples of outputs come back as one flat tuple."""
    call = call or (lambda m, x: m(x))
    named = list(module.named_parameters())
    slots = []
    for name, _ in named:
        owner_path, _, leaf_name = name.rpartition(".")
        owner = module
        for part in owner_path.split(".") if owner_path else []:
            owner = owner._modules[part]
        slots.append((owner, leaf_name))

    def f(x, *parameters):
        saved = [owner._parameters[key] for owner, key in slots]
        try:
            for (owner, key), p in zip(slots, parameters):
                owner._parameters[key] = p
            outputs = call(module, x)
            return outputs if isinstance(outputs, ag.Tensor) else _flat(outputs)
        finally:
            for (owner, key), p in zip(slots, saved):
                owner._parameters[key] = p

    return f, [p for _, p in named]


def check_module(module, x, second_order=True, call=None):
    f, parameters = as_function(module, call)
    inputs = (x, *parameters)
    assert gradcheck(f, inputs)
    if second_order:
        assert gradgradcheck(f, inputs)
