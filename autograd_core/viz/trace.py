"""trace_backward: run a real backward sweep and keep each step, in the order the engine ran it."""

import os

import numpy as np

from .. import engine
from ..function import Select
from ..gradients import AccumulateGrad
from ..ops.shape import sum_to
from ..tensor import Tensor
from . import labels
from .dot import Frame, build
from .graph import Graph, identity, value_key
from .render import GraphPicture


class Step:
    """One step of a backward sweep, numbered from 1 as in the pictures.

    >>> step = ag.viz.trace_backward(loss)[0]
    >>> print(step)          # step 1: Sum  grad_output () 1.0  ->  grad_inputs ((3,) [1., 1., 1.])

    A VJP step: `op` is the op's name, `grad_output` the gradient it received (a tuple for a
    multi-output op), `grad_inputs` one array per forward input with what it sent (None where
    nothing was sent), `node` the graph node. An "accumulate" step sums the gradients that
    several uses of one value sent back: `grad_output` is the tuple of those contributions
    (`sources` names who sent each), `grad_inputs` is `(total,)`, `node` the op (or leaf) whose
    value it is, `key` that value.
    """

    __slots__ = ("index", "op", "grad_output", "grad_inputs", "node", "key", "sources")

    def __init__(self, index, op, grad_output, grad_inputs, node, key=None, sources=()):
        self.index = index
        self.op = op
        self.grad_output = grad_output
        self.grad_inputs = grad_inputs
        self.node = node
        self.key = key
        self.sources = sources

    def __repr__(self):
        return f"<Step {self.index}: {self.op}>"

    def __str__(self):
        if self.op == "accumulate":
            parts = " + ".join(labels.brief(g) for g in self.grad_output)
            return (f"step {self.index}: accumulate into {_describe(self.key)} from "
                    f"{', '.join(self.sources)}: {parts} = {labels.brief(self.grad_inputs[0])}")
        return (f"step {self.index}: {self.op}  grad_output {labels.brief(self.grad_output)}"
                f"  ->  grad_inputs {labels.brief(self.grad_inputs)}")


class BackwardTrace(list):
    """The steps of one backward sweep (a list of `Step`), printable as a table.

    >>> trace = ag.viz.trace_backward(loss); print(trace)
    >>> trace.frame(2)            # the backward graph with step 2 highlighted

    `leaf_grads` maps each leaf to the gradient this sweep gave it (what `.grad` gained).
    """

    def __init__(self, graph, steps, leaf_grads):
        super().__init__(steps)
        self.graph = graph
        self.root = graph.root
        self.leaf_grads = leaf_grads

    def __str__(self):
        rows = [("step", "op", "grad_output", "grad_inputs")]
        for step in self:
            if step.op == "accumulate":
                received = " + ".join(labels.brief(g) for g in step.grad_output)
                rows.append((str(step.index), "accumulate", received,
                             f"{labels.brief(step.grad_inputs[0])} to {_describe(step.key)}"))
            else:
                rows.append((str(step.index), step.op, labels.brief(step.grad_output),
                             labels.brief(step.grad_inputs)))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[3]
                 for row in rows]
        return "\n".join(line.rstrip() for line in lines)

    def frame(self, k, params=None):
        """The backward graph with step `k` (counted from 1) highlighted, the steps before it
        filled green and the gradients sent so far written on the arrows."""
        if not 1 <= k <= len(self):
            raise IndexError(f"frame: step {k} is not in this trace of {len(self)} steps")
        done, sent, totals = set(), {}, {}
        for step in self[:k]:
            if step.op == "accumulate":
                totals[identity(step.key)] = step.grad_inputs[0]
                done.add(identity(step.key))
            else:
                sent.update(((id(step.node), position), g)
                            for position, g in enumerate(step.grad_inputs) if g is not None)
                done.add(identity(step.node))
        current = self[k - 1]
        key = current.key if current.op == "accumulate" else current.node
        done.discard(identity(key))
        frame = Frame(identity(key), frozenset(done), sent, totals)
        return GraphPicture(build(self.graph, "backward", params, frame=frame))

    def render_frames(self, directory, format="svg", params=None):
        """Render one picture per step into `directory` (step_01.svg, ...); returns the paths.
        Needs the Graphviz `dot` program, as `draw_graph(...).render` does."""
        os.makedirs(directory, exist_ok=True)
        width = len(str(len(self)))
        paths = []
        for k in range(1, len(self) + 1):
            picture = self.frame(k, params)
            paths.append(picture.render(f"step_{k:0{width}d}", directory=directory,
                                        format=format, cleanup=True))
        return paths


def trace_backward(root, grad=None, retain_graph=False):
    """Run `root.backward(grad)` and return its steps, in the order the engine ran them.

    >>> for step in ag.viz.trace_backward(loss):
    ...     print(step)

    The sweep is real: leaves' `.grad` accumulate exactly as `root.backward()` would. Gradients
    are shown as the engine sends them on: summed back to each input's shape and dtype. Sums
    and `leaf_grads` are taken before any gradient hooks run; a step's `grad_output` after.
    """
    if not isinstance(root, Tensor):
        raise TypeError(f"trace_backward: root must be a Tensor, got {type(root).__name__}")
    graph = Graph(root)
    records = []
    previous = None

    def record(node, grad_outputs, grad_inputs):
        if previous is not None:
            previous(node, grad_outputs, grad_inputs)
        if type(node) in (AccumulateGrad, Select):
            return  # bookkeeping nodes: the trace shows their gradients as values
        received = tuple(np.array(g) for g in grad_outputs)
        records.append((node, received[0] if node.n_outputs == 1 else received,
                        _sent(node, grad_inputs)))

    previous = engine.set_step_hook(record)
    try:
        engine.backward(root, grad, retain_graph=retain_graph)
    finally:
        engine.set_step_hook(previous)
    seed = np.ones_like(root.data) if grad is None else np.array(
        grad.data if isinstance(grad, Tensor) else grad, dtype=root.dtype)
    return _trace(graph, seed, records)


def _sent(node, grad_inputs):
    """What the engine passes on from a node's backward: summed to each input's shape, cast
    to its dtype, copied (the engine may later add into its buffers in place)."""
    sent = []
    for edge, g in zip(node.edges, grad_inputs):
        if edge is None or g is None:
            sent.append(None)
            continue
        shape, dtype = edge.out_shape, edge.out_dtype
        g = np.asarray(g)
        if g.shape != shape:
            g = sum_to(g, shape)
        sent.append(np.array(g, dtype=dtype))
    return tuple(sent)


def _trace(graph, seed, records):
    """Turn the recorded VJP calls into steps, adding an accumulate step wherever a value
    received gradients from several uses: before its op runs, or at the end for a leaf."""
    arrived = {}  # identity(value) -> (value key, [(sender, gradient), ...]), in arrival order
    arrived[identity(graph.root_key)] = (graph.root_key, [("seed", seed)])
    steps = []

    def accumulate(key, contributions):
        total = contributions[0][1]
        for _, g in contributions[1:]:
            total = total + g
        if len(contributions) > 1:
            node = key if isinstance(key, Tensor) else key[0]
            steps.append(Step(len(steps) + 1, "accumulate", tuple(g for _, g in contributions),
                              (np.asarray(total),), node, key,
                              tuple(sender for sender, _ in contributions)))
        return total

    for node, grad_output, grad_inputs in records:
        for index in range(node.n_outputs):
            entry = arrived.get((id(node), index))
            if entry is not None:
                accumulate(*entry)
        steps.append(Step(len(steps) + 1, node.name, grad_output, grad_inputs, node))
        for edge, g in zip(node.edges, grad_inputs):
            if g is not None:
                key = value_key(edge)
                entry = arrived.setdefault(identity(key), (key, []))
                entry[1].append((f"{node.name} (step {len(steps)})", g))
    leaf_grads = {}
    for key, contributions in arrived.values():
        if isinstance(key, Tensor):
            leaf_grads[key] = np.asarray(accumulate(key, contributions))
    return BackwardTrace(graph, steps, leaf_grads)


def _describe(key):
    if isinstance(key, Tensor):
        return f"leaf '{key.name}'" if key.name else f"leaf of shape {key.shape}"
    node, index = key
    return f"{node.name} output {index}" if node.n_outputs > 1 else f"{node.name}'s output"
