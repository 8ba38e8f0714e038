"""The backward sweep: walk the graph from the output, newest node first, applying each node's
vector-Jacobian product and handing every input its share.

A node is recorded after the nodes of its inputs, so taking the newest waiting node first (a
heap on creation stamps, no recursion) means every consumer of a node has run before it: it
runs once, with the full sum of its gradients. Leaves receive theirs through AccumulateGrad
nodes like any other node, so `_sweep` below is the whole algorithm.
"""

import threading
from heapq import heapify, heappop, heappush

from . import backend
from .function import Share
from .grad_mode import set_grad_enabled
from .gradients import AccumulateGrad, Pending, Terms
from .tensor_base import TensorBase, make


class _StepHook(threading.local):
    # Called after every node's backward when set (trace_backward, detect_anomaly); None
    # otherwise. Per thread, so a trace in one thread never records another thread's sweep.
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
    edges, grads = _seed([tensor], None if grad is None else [grad], create_graph, "backward")
    keep_graph = create_graph if retain_graph is None else (retain_graph or create_graph)
    _sweep(edges, grads, _Sweep(keep_graph, create_graph, tensor._result_class))


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=False):
    """Gradients of `outputs` with respect to `inputs`, returned as a tuple; `.grad` is untouched.

    >>> (gx,) = ag.grad((x ** 3).sum(), x, create_graph=True)
    >>> (gxx,) = ag.grad(gx.sum(), x)           # 6 x
    """
    outputs = [outputs] if isinstance(outputs, TensorBase) else list(outputs)
    inputs = _grad_inputs(inputs)
    if isinstance(grad_outputs, (TensorBase, backend.ndarray)) or backend.is_scalar(grad_outputs):
        grad_outputs = [grad_outputs]
    elif grad_outputs is not None and not isinstance(grad_outputs, (list, tuple)):
        raise TypeError(f"grad: grad_outputs must be a Tensor, an array or a sequence of them, "
                        f"got {type(grad_outputs).__name__}")
    edges, grads = _seed(outputs, grad_outputs, create_graph, "grad")
    sweep = _Sweep(create_graph if retain_graph is None else retain_graph, create_graph,
                   outputs[0]._result_class, capture={})
    for i, x in enumerate(inputs):
        sweep.capture.setdefault(x._with_current_history()._edge, []).append(i)
    _sweep(edges, grads, sweep)
    return tuple(_found(sweep, i, x, allow_unused) for i, x in enumerate(inputs))


def _sweep(edges, grads, sweep):
    """Hand the roots their gradients, then run every node that receives one, newest first."""
    pending = Pending(sweep.create_graph, sweep.tensor_class)
    pending.passed.update(id(g) for g in grads)  # the caller's: never added into or kept
    received = pending.received  # node -> what it has received so far
    for node, g in zip(edges, grads):
        if node in received:
            pending.add(node, g)
        else:
            received[node] = g
    heap = [(-node._sequence, node) for node in received]
    heapify(heap)
    newest = None  # a node newer than all in the heap waits here: a chain skips the heap
    while heap or newest is not None:
        if newest is not None and (not heap or newest._sequence > -heap[0][0]):
            node, newest = newest, None
        else:
            node = heappop(heap)[1]  # the newest waiting node: all its consumers have run,
        grad_output = pending.total(node)  # so this is the full sum of their shares
        grad_inputs = sweep.run(node, grad_output)  # its vector-Jacobian product
        for child, share in zip(node.edges, grad_inputs):  # each input gets its share
            if child is None or share is None:
                continue
            if share is grad_output and share.size > Terms.MAX_SIZE:  # passed on unchanged:
                pending.passed.add(id(share))  # never added into or kept as .grad
            if child in received:
                pending.add(child, share)  # used more than once: added up when it runs
            else:  # its first share: it waits for its turn
                received[child] = share
                if newest is None:
                    newest = child
                else:
                    heappush(heap, (-child._sequence, child))


def sweep_order(nodes):
    """`nodes` in the order a sweep runs them: newest first, by creation stamp (what the heap in
    _sweep does). Pictures and traces number the steps with it.

    >>> [node.name for node in ag.engine.sweep_order(nodes)]
    """
    return sorted(nodes, key=lambda node: -node._sequence)


class _Sweep:
    """What one sweep was asked to do, and running one node of it."""

    __slots__ = ("keep_graph", "create_graph", "tensor_class", "capture", "found", "on_arrays")

    def __init__(self, keep_graph, create_graph, tensor_class, capture=None):
        self.keep_graph, self.create_graph = keep_graph, create_graph
        # Built-in backwards run on plain arrays, inline, unless something watches the steps.
        self.on_arrays = not create_graph and _step.hook is None
        self.tensor_class = tensor_class  # what gradients are wrapped in under create_graph
        self.capture = capture  # ag.grad: {edge of an input: [its positions]}; None: backward()
        self.found = {}

    def run(self, node, grad_output):
        """Run the node's hooks and backward; release what it saved unless the graph is kept."""
        if node._saved is None:
            node.check_saved()  # raises: this graph was already swept without retain_graph
        if node._hooks is not None:
            grad_output = _node_hooks(node, grad_output, self)
        if self.capture is not None and self._capture(node, grad_output):
            return ()
        if self.on_arrays and node.array_backward and node.n_outputs == 1:
            grad_inputs = node.backward(node, grad_output)  # call_backward's common case
            if type(grad_inputs) is not tuple:
                grad_inputs = (grad_inputs,)
        else:
            grad_inputs = call_backward(node, grad_output, self.create_graph, self.tensor_class)
        if not self.keep_graph:
            node._saved = node._saved_sources = None
        return grad_inputs

    def _capture(self, node, grad_output):
        """Keep the gradients of ag.grad's inputs; True for a leaf's node, which ag.grad skips
        (it leaves .grad alone)."""
        for position in self.capture.get(node, ()):
            self.found[position] = grad_output if self.create_graph else backend.copy(grad_output)
        return type(node) is AccumulateGrad


def call_backward(node, grad_output, create_graph, tensor_class):
    """Run one node's backward: on plain arrays for a built-in in a first-order sweep, on
    Tensors otherwise. Returns one gradient (or None) per forward input."""
    if create_graph or not node.array_backward:
        result = _tensor_backward(node, grad_output, create_graph, tensor_class)
    elif node.n_outputs == 1:
        result = node.backward(node, grad_output)
    else:
        result = node.backward(node, *grad_output)
    if type(result) is not tuple:
        result = (result,)
    if _step.hook is not None and type(node) is not AccumulateGrad:  # watch the ops, not the
        _step.hook(node, (grad_output,) if node.n_outputs == 1 else grad_output, result)  # stores
    return result


def _tensor_backward(node, grad_output, create_graph, tensor_class):
    outputs = (grad_output,) if node.n_outputs == 1 else grad_output
    node._tensor_mode = tensor_class
    try:
        with set_grad_enabled(create_graph):
            result = node.backward(node, *[_as_tensor(g, tensor_class) for g in outputs])
    finally:
        node._tensor_mode = None
    result = result if type(result) is tuple else (result,)
    if len(result) != len(node.edges) and type(node) is not AccumulateGrad:
        raise RuntimeError(
            f"{node.name}.backward returned {len(result)} gradients, but forward had "
            f"{len(node.edges)} inputs; return one gradient (or None) per input"
        )
    if not node.array_backward:
        _check_shapes(node, result)
    return tuple(_from_backward(node, g, create_graph, tensor_class) for g in result)


def _check_shapes(node, result):
    """A user-defined backward's gradients must broadcast to their inputs' shapes."""
    for i, (child, g) in enumerate(zip(node.edges, result)):
        shape = getattr(g, "shape", None)
        if child is None or shape is None or shape == child.out_shape:
            continue
        try:
            backend.sum_to_shape_check(shape, child.out_shape)
        except ValueError:
            raise RuntimeError(
                f"{node.name}.backward returned a gradient of shape {shape} for input {i}, "
                f"which has shape {child.out_shape}"
            ) from None


def _from_backward(node, g, create_graph, tensor_class):
    """A gradient a Tensor-mode backward returned, as the sweep carries it."""
    if g is None or type(g) is Share:
        return g
    if not create_graph:
        return g.data if isinstance(g, TensorBase) else g
    if isinstance(g, TensorBase):
        return g
    if node.array_backward:  # a built-in broke the rule in function.py's docstring
        raise RuntimeError(
            f"{node.name}.backward returned a {type(g).__name__} under create_graph=True: it "
            "computed outside the graph, so higher derivatives through it would be wrong"
        )
    return make(tensor_class, backend.as_array(g))  # a user's constant: no second derivative


def _as_tensor(g, tensor_class):
    return g if isinstance(g, TensorBase) else make(tensor_class, backend.as_array(g))


def _node_hooks(node, grad_output, sweep):
    """Run the hooks registered on the tensor this node made, then fill its retained `.grad`."""
    for hook in node._hooks:
        grad_output = _run_hook(hook, grad_output, sweep)
    tensor = None if node._retained is None else node._retained()
    if tensor is not None:
        copied = grad_output if sweep.create_graph else backend.copy(grad_output)
        tensor._grad = _as_tensor(copied, sweep.tensor_class)
    return grad_output


def _run_hook(hook, g, sweep):
    wrapped = _as_tensor(g, sweep.tensor_class)
    with set_grad_enabled(sweep.create_graph):
        replaced = hook(wrapped)
    if replaced is None:
        return g
    if not isinstance(replaced, TensorBase) or replaced.shape != wrapped.shape:
        raise RuntimeError(
            f"hook {getattr(hook, '__name__', hook)!r} must return None or a Tensor of shape "
            f"{wrapped.shape}, got {type(replaced).__name__}"
            + (f" of shape {replaced.shape}" if isinstance(replaced, TensorBase) else "")
        )
    # A copy: the hook's caller may keep its tensor, and the sweep may add into this array.
    return replaced if sweep.create_graph else backend.copy(replaced.data)


def _seed(outputs, grad_outputs, create_graph, caller):
    """Check the roots; return the edges they start from and their gradients (arrays, or
    Tensors under create_graph)."""
    if grad_outputs is not None and len(grad_outputs) != len(outputs):
        raise ValueError(f"{caller}: got {len(grad_outputs)} gradients for {len(outputs)} outputs")
    edges, grads = [], []
    for i, t in enumerate(outputs):
        if not isinstance(t, TensorBase):
            raise TypeError(f"{caller}: outputs[{i}] is a {type(t).__name__}, not a Tensor")
        edge = t._with_current_history()._edge
        if edge is None:
            raise RuntimeError(
                f"{caller}: output {i} (shape {t.shape}) does not require grad and has no "
                "grad_fn; nothing that requires grad was used to compute it"
            )
        edges.append(edge)
        grads.append(_root_grad(t, None if grad_outputs is None else grad_outputs[i],
                                create_graph, caller))
    return edges, grads


def _root_grad(t, g, create_graph, caller):
    if g is None:
        if t.data.size != 1:
            raise RuntimeError(
                f"{caller}: grad can be implicitly created only for single-element outputs; "
                f"this output has shape {t.shape}, so pass a gradient of that shape"
            )
        g = backend.ones_like(t.data)
    array = g.data if isinstance(g, TensorBase) else backend.as_array(g, dtype=t.dtype)
    if array.shape != t.shape:
        raise RuntimeError(f"{caller}: gradient of shape {array.shape} does not match the "
                           f"output shape {t.shape}")
    if not create_graph:
        return array.astype(t.dtype, copy=False)
    return g if isinstance(g, TensorBase) else make(t._result_class, array.astype(t.dtype))


def _grad_inputs(inputs):
    if not isinstance(inputs, (TensorBase, list, tuple)):
        raise TypeError(f"grad: inputs is a {type(inputs).__name__}, not a Tensor or a "
                        "sequence of Tensors")
    inputs = (inputs,) if isinstance(inputs, TensorBase) else tuple(inputs)
    for i, x in enumerate(inputs):
        if not isinstance(x, TensorBase):
            raise TypeError(f"grad: inputs[{i}] is a {type(x).__name__}, not a Tensor")
        if not x._requires_grad:
            raise RuntimeError(f"grad: inputs[{i}] (shape {x.shape}) does not require grad")
    return inputs


def _found(sweep, i, x, allow_unused):
    g = sweep.found.get(i)
    if g is not None:
        return g if isinstance(g, TensorBase) else make(x._result_class, g)
    if not allow_unused:
        label = f" '{x.name}'" if x.name else ""
        raise RuntimeError(
            f"grad: inputs[{i}]{label} of shape {x.shape} was not used to compute the "
            "outputs (pass allow_unused=True to get None for it)"
        )
    return None
