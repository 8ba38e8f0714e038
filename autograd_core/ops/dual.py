"""Functions that accept raw arrays or Tensors and return the same kind.

Built-in backward formulas are written with these, with operators, and with the methods that
NumPy arrays and Tensors share (`sum`, `reshape`, `transpose`, `swapaxes`, `astype`). The engine
then runs a first-order sweep on raw arrays (no graph, no Tensor objects) and a `create_graph`
sweep on Tensors (recorded, so it can be differentiated again), from one formula.
"""

import numpy as np

Tensor = None  # bound by tensor.py once the class exists (it imports this module)


def is_array(x):
    """True for anything that is not a Tensor: arrays, NumPy scalars, Python numbers."""
    return not isinstance(x, Tensor)


def exp(x):
    return np.exp(x) if is_array(x) else x.exp()


def log(x):
    return np.log(x) if is_array(x) else x.log()


def sin(x):
    return np.sin(x) if is_array(x) else x.sin()


def cos(x):
    return np.cos(x) if is_array(x) else x.cos()


def sigmoid(x):
    if is_array(x):
        return stable_sigmoid(x)
    return x.sigmoid()


def stable_sigmoid(x):
    # 1 / (1 + e^-x) overflows for x << 0; this form is exact and finite for every x.
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def broadcast_to(x, shape):
    if is_array(x):
        return np.broadcast_to(x, shape)
    return x.broadcast_to(shape)


def sum_to(x, shape, where="sum_to"):
    """Sum `x` over the axes that broadcasting added or stretched, so it gets `shape`.

    This is the only place where a broadcast gradient is reduced to its input's shape.
    """
    if is_array(x):
        return _sum_to_array(x, shape, where)
    from .shape import SumTo

    _broadcast_axes(x.shape, shape, where)  # fail early, with both shapes named
    return SumTo.apply(x, shape=shape)


def _broadcast_axes(grad_shape, shape, where):
    lead = len(grad_shape) - len(shape)
    if lead < 0 or any(
        s != 1 and s != grad_shape[lead + i] for i, s in enumerate(shape)
    ):
        raise RuntimeError(
            f"{where}: a gradient of shape {grad_shape} cannot be summed to the input "
            f"shape {shape} (the input shape must broadcast to the gradient's)"
        )
    stretched = tuple(lead + i for i, s in enumerate(shape) if s == 1 and grad_shape[lead + i] != 1)
    return tuple(range(lead)), stretched


def _sum_to_array(x, shape, where):
    leading, stretched = _broadcast_axes(np.shape(x), shape, where)
    if stretched:
        x = x.sum(axis=stretched, keepdims=True)
    if leading:
        x = x.sum(axis=leading)
    return x.reshape(shape)


def scatter_add(g, index, shape):
    """Zeros of `shape` with `g` added at `index` (repeated indices accumulate)."""
    from .index import ScatterAdd

    if is_array(g):
        return ScatterAdd.forward(None, g, index=index, shape=shape)
    return ScatterAdd.apply(g, index=index, shape=shape)


def einsum(subscripts, *operands):
    if all(is_array(x) for x in operands):
        return np.einsum(subscripts, *operands, optimize=len(operands) > 2)
    from .linalg import Einsum

    return Einsum.apply(*operands, subscripts=subscripts)
