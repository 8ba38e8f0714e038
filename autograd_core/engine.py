"""The backward sweep: order the graph, then walk it applying each node's vector-Jacobian product.

Nodes run newest first (a heap keyed by creation number, no recursion), so a node runs only
after all its consumers have run and it holds the full sum of its gradients.
"""

import threading
from heapq import heappop, heappush

from . import backend
from .function import _RELEASED, Function
from .grad_mode import set_grad_enabled
from .gradients import (
    Terms,
    accumulate,
    accumulate_node,
    add_to,
    fit,
    owned_copy,
    sole_reference,
    store_leaf_grad,
)
from .tensor import Tensor, _wrap


class _StepHook(threading.local):
    # Called after every node's backward when set (trace_backward, detect_anomaly); None
    # otherwise, so an ordinary sweep pays one attribute read per node. Per thread, so a trace
    # in one thread never records another thread's sweep.
    hook = None


_step = _StepHook()


def set_step_hook(hook):
    """Install `hook(node, grad_outputs, grad_inputs)`, called after every backward step of
    this thread. Returns the hook it replaces, so callers can restore it in `finally`.

    >>> previous = ag.engine.set_step_hook(lambda node, gout, gin: print(node.name))
    >>> ag.engine.set_step_hook(previous)
    """
    previous, _step.hook = _step.hook, hook
    return previous


def backward(tensor, grad=None, retain_graph=False, create_graph=False):
    """Accumulate d(tensor)/d(leaf) into `.grad` of every leaf that requires grad.

    >>> loss = (w * x).sum()
    >>> ag.engine.backward(loss)        # same as loss.backward()
    """
    roots, root_grads = _seed([tensor], None if grad is None else [grad], create_graph, "backward")
    keep_graph = create_graph if retain_graph is None else (retain_graph or create_graph)
    _sweep(roots, root_grads, keep_graph, create_graph, capture=None)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=False):
    """Gradients of `outputs` with respect to `inputs`, returned as a tuple; `.grad` is untouched.

    >>> (gx,) = ag.grad((x ** 3).sum(), x, create_graph=True)
    >>> (gxx,) = ag.grad(gx.sum(), x)           # 6 x
    """
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    if not isinstance(inputs, (Tensor, list, tuple)):
        raise TypeError(f"grad: inputs is a {type(inputs).__name__}, not a Tensor or a "
                        "sequence of Tensors")
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    if isinstance(grad_outputs, (Tensor, backend.ndarray)) or backend.is_scalar(grad_outputs):
        grad_outputs = [grad_outputs]
    elif grad_outputs is not None and not isinstance(grad_outputs, (list, tuple)):
        raise TypeError(f"grad: grad_outputs must be a Tensor, an array or a sequence of them, "
                        f"got {type(grad_outputs).__name__}")
    for i, x in enumerate(inputs):
        if not isinstance(x, Tensor):
            raise TypeError(f"grad: inputs[{i}] is a {type(x).__name__}, not a Tensor")
        if not x.requires_grad:
            raise RuntimeError(f"grad: inputs[{i}] (shape {x.shape}) does not require grad")
    roots, root_grads = _seed(outputs, grad_outputs, create_graph, "grad")
    capture = {}
    for i, x in enumerate(inputs):
        key = x if x.grad_fn is None else (x.grad_fn, x._output_nr)
        capture.setdefault(key, []).append(i)
    keep_graph = create_graph if retain_graph is None else retain_graph
    found = _sweep(roots, root_grads, keep_graph, create_graph, capture)

    result = []
    for i, x in enumerate(inputs):
        g = found.get(i)
        if g is None:
            if not allow_unused:
                label = f" '{x.name}'" if x.name else ""
                raise RuntimeError(
                    f"grad: inputs[{i}]{label} of shape {x.shape} was not used to compute the "
                    "outputs (pass allow_unused=True to get None for it)"
                )
            result.append(None)
        else:
            result.append(g if isinstance(g, Tensor) else _wrap(backend.copy(g), None, False))
    return tuple(result)


def _seed(outputs, grad_outputs, create_graph, caller):
    """Check the roots and turn their gradients into arrays (or Tensors under create_graph)."""
    if grad_outputs is not None and len(grad_outputs) != len(outputs):
        raise ValueError(
            f"{caller}: got {len(grad_outputs)} gradients for {len(outputs)} outputs"
        )
    root_grads = []
    for i, t in enumerate(outputs):
        if not isinstance(t, Tensor):
            raise TypeError(f"{caller}: outputs[{i}] is a {type(t).__name__}, not a Tensor")
        if not t.requires_grad:
            raise RuntimeError(
                f"{caller}: output {i} (shape {t.shape}) does not require grad and has no "
                "grad_fn; nothing that requires grad was used to compute it"
            )
        g = None if grad_outputs is None else grad_outputs[i]
        if g is None:
            if t.data.size != 1:
                raise RuntimeError(
                    f"{caller}: grad can be implicitly created only for single-element outputs; "
                    f"this output has shape {t.shape}, so pass a gradient of that shape"
                )
            g = backend.ones_like(t.data)
        else:
            g_data = g.data if isinstance(g, Tensor) else backend.as_array(g, dtype=t.dtype)
            if g_data.shape != t.shape:
                raise RuntimeError(
                    f"{caller}: gradient of shape {g_data.shape} does not match the output "
                    f"shape {t.shape}"
                )
            if isinstance(g, Tensor) and create_graph:
                root_grads.append(g)
                continue
            g = g_data.astype(t.dtype, copy=False)
        root_grads.append(_wrap(g, None, False) if create_graph else g)
    return outputs, root_grads


def _sweep(roots, root_grads, keep_graph, create_graph, capture):
    """Run the backward sweep. Returns {input position: gradient} when `capture` is given.

    Nodes wait in a heap ordered by creation number, newest first. A node is always created
    after the nodes of its inputs, so when a node comes out of the heap every node that
    consumes its output has already run and added its share: each node runs once, with the
    full sum of its gradients. Only nodes that receive a gradient are ever visited.
    """
    grads = {}  # node -> gradient of its output (a list when it has several outputs)
    leaf_grads = {}  # leaf tensor -> gradient
    owned = set()  # keys whose gradient buffer the engine allocated (safe to add into in place)
    found = {}
    heap = []

    for t, g in zip(roots, root_grads):
        node = t.grad_fn
        if node is None:
            accumulate(leaf_grads, t, g, owned, create_graph)
            continue
        if node not in grads:
            heappush(heap, (-node._sequence, node))
        accumulate_node(grads, node, t._output_nr, g, owned, create_graph)

    # When a single node waits (a chain), it is the next to run and needs no trip through the heap.
    waiting = heappop(heap)[1] if len(heap) == 1 else None
    # Built-in backwards of a first-order sweep run inline on arrays: the per-node hot path.
    inline = not create_graph and _step.hook is None
    while waiting is not None or heap:
        if waiting is None:
            node = heappop(heap)[1]
        else:
            node, waiting = waiting, None
        if node._saved is _RELEASED:
            raise RuntimeError(
                f"{node.name}: trying to backward through the graph a second time. The first "
                "backward() freed what the graph saved; call it with retain_graph=True to "
                "sweep the same graph again."
            )
        grad_output = grads.pop(node)
        if type(grad_output) is Terms:
            grad_output = grad_output.total()
        if node._hooks is not None:
            grad_output = _node_hooks(node, grad_output, create_graph)
        if capture is not None:
            _capture_node(capture, found, node, grad_output)
        if inline and node.array_backward and node.n_outputs == 1:
            grad_inputs = node.backward(node, grad_output)  # call_backward's common case
            if type(grad_inputs) is not tuple:
                grad_inputs = (grad_inputs,)
        else:
            grad_inputs = call_backward(node, grad_output, create_graph)
        if not keep_graph:
            node._saved = _RELEASED
            node._saved_sources = None

        for edge, gi in zip(node.edges, grad_inputs):
            if gi is None or edge is None:
                continue
            if isinstance(edge, Tensor):
                data = edge.data
                if gi.shape != data.shape or gi.dtype != data.dtype:
                    gi = fit(gi, data.shape, data.dtype, node, edge)
                store = leaf_grads
            elif type(edge) is tuple:  # one output of a node with several
                child, nr = edge
                gi = fit(gi, child.out_shape[nr], child.out_dtype[nr], node, child)
                waits = child in grads
                accumulate_node(grads, child, nr, gi, owned, create_graph)
                if not waits:
                    waiting = _enqueue(child, waiting, heap)
                continue
            else:
                if gi.shape != edge.out_shape or gi.dtype != edge.out_dtype:
                    gi = fit(gi, edge.out_shape, edge.out_dtype, node, edge)
                store = grads
            old = store.get(edge)
            if old is None:
                store[edge] = gi
                if store is grads:  # the node has just received its first gradient: it waits
                    if waiting is None and not heap:
                        waiting = edge
                    else:
                        waiting = _enqueue(edge, waiting, heap)
            elif type(old) is Terms:
                old.add(gi)
            else:
                add_to(store, edge, old, gi, owned, create_graph)

    # Drop the loop's references so a gradient held only by leaf_grads can be kept, not copied.
    grad_output = grad_inputs = gi = None
    while leaf_grads:
        leaf, g = leaf_grads.popitem()
        if type(g) is Terms:
            g = g.total()
        if capture is not None:
            for position in capture.get(leaf, ()):
                found[position] = g if create_graph else owned_copy(g, leaf, owned)
            continue
        if leaf._hooks:
            g = _run_hooks(leaf._hooks, g, create_graph)
        # On its own line: as a call argument, g would also sit on the caller's value stack.
        keep = leaf in owned or sole_reference(g)
        store_leaf_grad(leaf, g, keep, create_graph)
    return found


def _enqueue(node, waiting, heap):
    """Put `node` (and the lone waiting node, if any) on the heap; returns the new lone node."""
    if waiting is not None:
        heappush(heap, (-waiting._sequence, waiting))
    heappush(heap, (-node._sequence, node))
    return None


def call_backward(node, grad_output, create_graph):
    """The one place a node's backward runs: raw arrays for built-ins in a first-order sweep,
    Tensors otherwise. Returns a tuple with one gradient (or None) per forward input."""
    if node.n_outputs == 1:
        grad_outputs = None  # packed only when needed: this is the common, hot case
    else:
        grad_outputs = _fill_missing(node, grad_output, create_graph)
    if not create_graph and node.array_backward:
        if grad_outputs is None:
            result = node.backward(node, grad_output)
        else:
            result = node.backward(node, *grad_outputs)
    else:
        node._tensor_mode = True
        try:
            with set_grad_enabled(create_graph):
                wrapped = [g if isinstance(g, Tensor) else _wrap(backend.as_array(g), None, False)
                           for g in (grad_outputs or (grad_output,))]
                result = node.backward(node, *wrapped)
        finally:
            node._tensor_mode = False
    if type(result) is not tuple:
        result = (result,)
    if create_graph or not node.array_backward:
        if len(result) != len(node.edges):
            raise RuntimeError(
                f"{node.name}.backward returned {len(result)} gradients, but forward had "
                f"{len(node.edges)} inputs; return one gradient (or None) per input"
            )
        result = tuple(_unwrap(g, create_graph) for g in result)
    if _step.hook is not None:
        _step.hook(node, grad_outputs or (grad_output,), result)
    return result


def _unwrap(g, create_graph):
    if g is None:
        return None
    if isinstance(g, Tensor):
        return g if create_graph else g.data
    g = backend.as_array(g)
    return _wrap(g, None, False) if create_graph else g


def _fill_missing(node, grad_outputs, create_graph):
    filled = []
    for g, shape, dtype in zip(grad_outputs, node.out_shape, node.out_dtype):
        if g is None:
            g = backend.zeros(shape, dtype)
            g = _wrap(g, None, False) if create_graph else g
        filled.append(g)
    return filled


def _node_hooks(node, grad_output, create_graph):
    """Run hooks registered on the node's output tensors, then fill retained `.grad`s."""
    single = node.n_outputs == 1
    outputs = [grad_output] if single else list(grad_output)
    for nr, hooks in (node._hooks or {}).items():
        if outputs[nr] is not None:
            outputs[nr] = _run_hooks(hooks, outputs[nr], create_graph)
    for nr, ref in (node._retained or {}).items():
        tensor = ref()
        if tensor is not None and outputs[nr] is not None:
            store_leaf_grad(tensor, outputs[nr], False, create_graph)
    return outputs[0] if single else outputs


def _run_hooks(hooks, g, create_graph):
    for hook in hooks:
        wrapped = g if isinstance(g, Tensor) else _wrap(g, None, False)
        with set_grad_enabled(create_graph):
            replaced = hook(wrapped)
        if replaced is not None:
            if not isinstance(replaced, Tensor) or replaced.shape != wrapped.shape:
                raise RuntimeError(
                    f"hook {getattr(hook, '__name__', hook)!r} must return None or a Tensor of "
                    f"shape {wrapped.shape}, got {type(replaced).__name__}"
                    + (f" of shape {replaced.shape}" if isinstance(replaced, Tensor) else "")
                )
            g = replaced if create_graph else replaced.data
    return g


def _capture_node(capture, found, node, grad_output):
    if node.n_outputs == 1:
        for position in capture.get((node, 0), ()):
            found[position] = grad_output
    else:
        for nr, g in enumerate(grad_output):
            for position in capture.get((node, nr), ()):
                found[position] = g


__all__ = ["backward", "grad", "call_backward", "set_step_hook", "Function"]
