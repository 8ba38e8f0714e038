"""Jacobians, Hessians and their products, with the conventions of torch.autograd.functional.

`inputs` is a Tensor or a tuple of Tensors; a Jacobian of f: R^{in.shape} -> R^{out.shape} has
shape out.shape + in.shape. Results match the structure of inputs and outputs.
"""

import numpy as np

from . import dtypes
from .engine import grad
from .grad_mode import enable_grad
from .ops import reshape, stack
from .tensor import Tensor
from .tensor_base import make


def _prepare(inputs, create_graph):
    is_tuple = isinstance(inputs, (tuple, list))
    inputs = tuple(inputs) if is_tuple else (inputs,)
    prepared = []
    for i, x in enumerate(inputs):
        if not isinstance(x, Tensor):
            raise TypeError(f"inputs[{i}] is a {type(x).__name__}, not a Tensor")
        if not dtypes.is_floating(x.dtype):
            raise TypeError(f"inputs[{i}] has dtype {x.dtype}; differentiate float tensors")
        # Differentiate with respect to a fresh leaf, unless the caller wants a graph through x.
        if create_graph and x.requires_grad:
            prepared.append(x * 1 if x.grad_fn is None else x)
        else:
            prepared.append(make(Tensor, x.data).requires_grad_())
    return is_tuple, tuple(prepared)


def _call(f, inputs):
    with enable_grad():
        outputs = f(*inputs)
    is_tuple = isinstance(outputs, (tuple, list))
    outputs = tuple(outputs) if is_tuple else (outputs,)
    for i, y in enumerate(outputs):
        if not isinstance(y, Tensor):
            raise TypeError(f"the function's output {i} is a {type(y).__name__}, not a Tensor")
    return is_tuple, outputs


def _grads(outputs, inputs, grad_outputs, create_graph):
    """Like ag.grad, but zeros for inputs that do not influence the outputs."""
    wanted = [y for y in outputs if y.requires_grad]
    wanted_grads = [g for y, g in zip(outputs, grad_outputs) if y.requires_grad]
    if not wanted:
        return tuple(_zeros_like(x, create_graph) for x in inputs)
    found = grad(wanted, inputs, wanted_grads, retain_graph=True, create_graph=create_graph,
                 allow_unused=True)
    return tuple(_zeros_like(x, create_graph) if g is None else g for x, g in zip(inputs, found))


def _zeros_like(x, create_graph):
    return make(Tensor, np.zeros_like(x.data))


def _tensors(v, like, what):
    v = tuple(v) if isinstance(v, (tuple, list)) else (v,)
    if len(v) != len(like):
        raise ValueError(f"{what}: got {len(v)} vectors for {len(like)} tensors")
    result = []
    for i, (a, b) in enumerate(zip(v, like)):
        a = a if isinstance(a, Tensor) else Tensor(np.asarray(a, dtype=b.dtype))
        if a.shape != b.shape:
            raise ValueError(f"{what}: v[{i}] has shape {a.shape}, expected {b.shape}")
        result.append(a)
    return tuple(result)


def _finish(values, is_tuple, create_graph):
    values = tuple(v if create_graph else v.detach() for v in values)
    return values if is_tuple else values[0]


def vjp(func, inputs, v=None, create_graph=False):
    """(func(inputs), v^T J): the vector-Jacobian product.

    >>> out, g = ag.functional.vjp(lambda x: x ** 2, x, ag.ones(3))   # g = 2 x
    """
    in_tuple, inputs = _prepare(inputs, create_graph)
    out_tuple, outputs = _call(func, inputs)
    if v is None:
        if len(outputs) != 1 or outputs[0].size != 1:
            raise RuntimeError(
                "vjp: v may be omitted only when func returns one single-element tensor"
            )
        v = (Tensor(np.ones_like(outputs[0].data)),)
    v = _tensors(v, outputs, "vjp")
    grads = _grads(outputs, inputs, v, create_graph)
    return _finish(outputs, out_tuple, create_graph), _finish(grads, in_tuple, create_graph)


def jvp(func, inputs, v=None, create_graph=False):
    """(func(inputs), J v): the Jacobian-vector product, by the double-vjp trick.

    >>> out, t = ag.functional.jvp(lambda x: x ** 2, x, ag.ones(3))   # t = 2 x
    """
    in_tuple, inputs = _prepare(inputs, create_graph)
    out_tuple, outputs = _call(func, inputs)
    if v is None:
        if len(inputs) != 1 or inputs[0].size != 1:
            raise RuntimeError("jvp: v may be omitted only for one single-element input")
        v = (Tensor(np.ones_like(inputs[0].data)),)
    v = _tensors(v, inputs, "jvp")
    # u -> J^T u is linear in u; its vjp with v is (J^T)^T v = J v.
    dummies = tuple(make(Tensor, np.zeros_like(y.data)).requires_grad_() for y in outputs)
    grads = _grads(outputs, inputs, dummies, create_graph=True)
    linked = [(g, vi) for g, vi in zip(grads, v) if g.requires_grad]
    if linked:
        jv = _grads([g for g, _ in linked], dummies, [vi for _, vi in linked], create_graph)
    else:
        jv = tuple(_zeros_like(y, create_graph) for y in outputs)
    return _finish(outputs, out_tuple, create_graph), _finish(jv, out_tuple, create_graph)


def jacobian(func, inputs, create_graph=False):
    """The Jacobian of func at inputs, shaped out.shape + in.shape (nested tuples for several).

    >>> ag.functional.jacobian(lambda x: x ** 2, ag.tensor([1.0, 2.0]))   # diag(2, 4)
    """
    in_tuple, inputs = _prepare(inputs, create_graph)
    out_tuple, outputs = _call(func, inputs)
    rows = []  # rows[i][j]: d outputs[i] / d inputs[j]
    for y in outputs:
        blocks = [[] for _ in inputs]
        flat_size = y.size
        for k in range(flat_size):
            onehot = np.zeros(flat_size, dtype=y.dtype)
            onehot[k] = 1
            grads = _grads((y,), inputs, (Tensor(onehot.reshape(y.shape)),), create_graph)
            for j, g in enumerate(grads):
                blocks[j].append(g)
        row = []
        for j, x in enumerate(inputs):
            row.append(_assemble(blocks[j], y.shape, x.shape, create_graph))
        rows.append(tuple(row))
    rows = [r if in_tuple else r[0] for r in rows]
    return tuple(rows) if out_tuple else rows[0]


def _assemble(pieces, out_shape, in_shape, create_graph):
    if create_graph:
        if not pieces:
            return make(Tensor, np.zeros(out_shape + in_shape))
        return reshape(stack(pieces), out_shape + in_shape)
    data = np.stack([p.data for p in pieces]) if pieces else np.zeros((0,) + in_shape)
    return make(Tensor, data.reshape(out_shape + in_shape))


def hessian(func, inputs, create_graph=False):
    """The Hessian of a scalar func, shaped in.shape + in.shape (nested tuples for several).

    >>> ag.functional.hessian(lambda x: (x ** 3).sum(), ag.tensor([1.0, 2.0]))   # diag(6, 12)
    """
    in_tuple, prepared = _prepare(inputs, True)

    def gradient(*xs):
        _, outputs = _call(func, xs)
        if len(outputs) != 1 or outputs[0].size != 1:
            raise RuntimeError("hessian: func must return a single-element tensor")
        return _grads(outputs, xs, (Tensor(np.ones_like(outputs[0].data)),), True)

    h = jacobian(gradient, prepared, create_graph=create_graph)
    return h if in_tuple else h[0][0]


def vhp(func, inputs, v=None, create_graph=False):
    """(func(inputs), v^T H) for a scalar func.

    >>> out, p = ag.functional.vhp(f, x, v)
    """
    return _hessian_product(func, inputs, v, create_graph, "vhp")


def hvp(func, inputs, v=None, create_graph=False):
    """(func(inputs), H v) for a scalar func (H is symmetric, so it equals v^T H).

    >>> out, p = ag.functional.hvp(lambda x: (x ** 3).sum(), x, v)   # 6 x * v
    """
    return _hessian_product(func, inputs, v, create_graph, "hvp")


def _hessian_product(func, inputs, v, create_graph, what):
    in_tuple, inputs = _prepare(inputs, True)
    _, outputs = _call(func, inputs)
    if len(outputs) != 1 or outputs[0].size != 1:
        raise RuntimeError(f"{what}: func must return a single-element tensor")
    if v is None:
        if len(inputs) != 1 or inputs[0].size != 1:
            raise RuntimeError(f"{what}: v may be omitted only for one single-element input")
        v = (Tensor(np.ones_like(inputs[0].data)),)
    v = _tensors(v, inputs, what)
    grads = _grads(outputs, inputs, (Tensor(np.ones_like(outputs[0].data)),), True)
    linked = [(g, vi) for g, vi in zip(grads, v) if g.requires_grad]
    if linked:
        products = _grads([g for g, _ in linked], inputs, [vi for _, vi in linked], create_graph)
    else:
        products = tuple(_zeros_like(x, create_graph) for x in inputs)
    return _finish(outputs, False, create_graph), _finish(products, in_tuple, create_graph)
