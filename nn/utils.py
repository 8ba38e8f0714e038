"""Gradient utilities: clipping by norm or value, and parameters <-> one flat vector."""

import math

import numpy as np

import autograd_core as ag

from . import _checks


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False):
    """Scale all gradients together, in place, so that their joint norm is at most max_norm;
    returns the norm before clipping as a 0-d Tensor.

    >>> loss.backward()
    >>> total = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)

    The scale is max_norm / (total + 1e-6), applied only when it is below 1 (PyTorch's rule).
    `norm_type` may be float('inf') for the largest absolute entry.
    """
    parameters = _checks.tensors(parameters, "clip_grad_norm_")
    max_norm = _checks.real(max_norm, "max_norm", "clip_grad_norm_")
    norm_type = float(_checks.real(norm_type, "norm_type", "clip_grad_norm_", finite=False))
    if max_norm < 0 or not norm_type > 0:
        raise ValueError(
            f"clip_grad_norm_: need max_norm >= 0 and norm_type > 0, got {max_norm} and {norm_type}"
        )
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return ag.tensor(0.0)
    if math.isinf(norm_type):
        total = max(float(np.max(np.abs(g.data))) if g.size else 0.0 for g in grads)
    else:
        total = sum(float(np.sum(np.abs(g.data.astype(np.float64)) ** norm_type)) for g in grads)
        total = total ** (1.0 / norm_type)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"clip_grad_norm_: the total gradient norm is {total}; pass error_if_nonfinite=False "
            "to clip anyway"
        )
    coefficient = max_norm / (total + 1e-6)
    if coefficient < 1:
        for g in grads:
            g.mul_(coefficient)
    return ag.tensor(total)


def clip_grad_value_(parameters, clip_value):
    """Clip every gradient entry to [-clip_value, clip_value], in place.

    >>> loss.backward()
    >>> nn.utils.clip_grad_value_(model.parameters(), 0.5)   # every entry in [-0.5, 0.5]
    """
    clip_value = _checks.real(clip_value, "clip_value", "clip_grad_value_")
    for p in _checks.tensors(parameters, "clip_grad_value_"):
        if p.grad is not None:
            p.grad.copy_(np.clip(p.grad.data, -clip_value, clip_value))


def parameters_to_vector(parameters):
    """All parameters flattened and joined into one 1-D Tensor (differentiable).

    >>> model = nn.Linear(3, 2)
    >>> nn.utils.parameters_to_vector(model.parameters()).shape   # (8,)
    """
    parameters = _checks.tensors(parameters, "parameters_to_vector")
    if not parameters:
        return ag.zeros(0)
    return ag.concatenate([p.reshape(-1) for p in parameters])


def vector_to_parameters(vector, parameters):
    """Copy consecutive slices of a 1-D vector into the parameters, in place (no gradient).

    >>> theta = nn.utils.parameters_to_vector(model.parameters()).detach() * 0.5
    >>> nn.utils.vector_to_parameters(theta, model.parameters())   # every weight halved
    """
    parameters = _checks.tensors(parameters, "vector_to_parameters")
    values = _checks.tensor(vector, "vector", "vector_to_parameters").data
    needed = sum(p.size for p in parameters)
    if values.ndim != 1 or values.size != needed:
        raise ValueError(
            f"vector_to_parameters: expected a 1-D vector of {needed} values, got shape "
            f"{values.shape}"
        )
    offset = 0
    with ag.no_grad():
        for p in parameters:
            p.copy_(values[offset:offset + p.size].reshape(p.shape))
            offset += p.size
