"""DOT source for the forward and the backward graph, written as text: no Graphviz needed.

The forward picture shows what the user wrote: leaves and op outputs as boxes, ops as ellipses,
arrows input -> op -> output. The backward picture reverses the arrows and puts one VJP node
per op in its place, numbered in the order the engine runs them; a value used several times
gets a "+" node, since its gradient is the sum of what each use sends back (the split rule).
"""

from collections.abc import Mapping
from typing import NamedTuple

from ..tensor import Tensor
from . import labels
from .graph import Graph, identity

MODES = ("forward", "backward", "both")
TITLES = {
    "forward": "forward: the ops as written",
    "backward": "backward: one VJP per op, in the order backward() runs them",
}
LEAF_FILL = "lightblue"  # leaves that require grad stand out from inputs and constants
OP_FILL = "lightyellow"
VJP_FILL = "mistyrose"
CURRENT_FILL = "gold"  # trace frames: the step running now
DONE_FILL = "palegreen"  # trace frames: steps already run
RED = {"color": "red", "fontcolor": "red", "penwidth": "2"}


class Frame(NamedTuple):
    """What one trace frame highlights, everything keyed by `graph.identity`: the step running
    now (an op, or a value key for a sum), the steps already run, the gradients VJPs sent so
    far ({(id(op), input position): array}) and the totals of sums ({value: array})."""

    current: object
    done: frozenset
    sent: dict
    totals: dict


def to_dot(root, mode="backward", params=None, max_nodes=None, show_grads=True, clusters=None):
    """Graphviz DOT source of the graph that computed `root`; needs no Graphviz program.

    >>> loss = (w * x).sum(); loss.backward()
    >>> print(ag.viz.to_dot(loss, mode="both", params={"w": w}))

    `mode` is "forward", "backward" or "both" (side by side, each op linked to its VJP node).
    `params` maps names to tensors, e.g. `dict(model.named_parameters())`, to label leaves.
    `max_nodes` bounds the ops and leaves drawn (breadth-first from the root); the rest
    collapse into one "… N more nodes" node. `show_grads` adds the leaves' `.grad`.
    `clusters` maps id(parameter) (or a parameter-name prefix) to a module path, e.g.
    `model.parameter_owners()`, and groups leaves, and the ops that use them, by module.
    """
    if not isinstance(root, Tensor):
        raise TypeError(f"to_dot: root must be a Tensor, got {type(root).__name__}")
    if mode not in MODES:
        raise ValueError(f"to_dot: mode must be one of {MODES}, got {mode!r}")
    if max_nodes is not None and max_nodes < 1:
        raise ValueError(f"to_dot: max_nodes must be at least 1, got {max_nodes}")
    for name, mapping in (("params", params), ("clusters", clusters)):
        if mapping is not None and not isinstance(mapping, Mapping):
            raise TypeError(f"to_dot: {name} must be a dict, got {type(mapping).__name__}")
    return build(Graph(root), mode, params, max_nodes, show_grads, clusters)


def build(graph, mode, params=None, max_nodes=None, show_grads=True, clusters=None, frame=None):
    """The DOT source of a walked `Graph`; `frame` highlights one step of a backward trace."""
    shown = graph.items if max_nodes is None else graph.items[:max_nodes]
    picture = _Picture(graph, params, shown, show_grads, clusters, frame)
    dot = _Dot()
    if mode == "both":
        # dot places the cluster written first on the right: backward first puts forward left.
        picture.backward(dot, "bw_", "backward", mirror=True)
        picture.forward(dot, "fw_", "forward")
        for op in picture.shown_ops:
            op_id = picture.ids[id(op)]
            dot.edge("fw_" + op_id, "bw_" + op_id, style="dashed", color="gray60",
                     arrowhead="none", constraint="false")
    elif mode == "forward":
        picture.forward(dot, "", None)
    else:
        picture.backward(dot, "", None)
    wanted = [leaf for leaf in graph.leaves if leaf.requires_grad]
    if show_grads and frame is None and wanted and all(leaf.grad is None for leaf in wanted):
        dot.node("legend", "no gradients yet: call .backward() to see them", shape="note",
                 color="gray50", fontcolor="gray30")
    return dot.source()


class _Picture:
    """Draws one walked graph; the ids of its nodes are the same in every mode."""

    def __init__(self, graph, params, shown, show_grads, clusters, frame):
        self.graph = graph
        self.names = {id(tensor): name for name, tensor in (params or {}).items()}
        self.shown = {id(item) for item in shown}
        self.shown_ops = [item for item in shown if not isinstance(item, Tensor)]
        self.shown_leaves = [item for item in shown if isinstance(item, Tensor)]
        self.hidden = len(graph.items) - len(shown)
        self.show_grads = show_grads
        self.clusters = clusters or {}
        self.frame = frame
        self.ids = {id(op): f"op{i}" for i, op in enumerate(graph.ops)}
        self.ids.update({id(leaf): f"leaf{i}" for i, leaf in enumerate(graph.leaves)})

    # -- the two pictures ---------------------------------------------------------------------
    def forward(self, dot, prefix, section):
        for leaf in self.shown_leaves:
            self._leaf(dot, prefix, section, leaf, self.show_grads)
        for op in self.shown_ops:
            op_id = prefix + self.ids[id(op)]
            module = self._module(op)
            dot.node(op_id, op.name, section, module, shape="ellipse", style="filled",
                     fillcolor=OP_FILL)
            for index in range(op.n_outputs):
                self._output(dot, prefix, section, module, op, index)
                dot.edge(op_id, prefix + self._value_id((op, index)))
            constants = 0
            for key in self.graph.inputs[op]:
                if key is None:
                    constants += 1
                elif id(self._producer(key)) in self.shown:
                    dot.edge(prefix + self._value_id(key), op_id)
                else:
                    dot.edge(prefix + "more", op_id)
            if constants:
                text = "constant" if constants == 1 else f"{constants} constants"
                dot.node(op_id + "_const", text, section, module, shape="note", fontsize="9",
                         color="gray50", fontcolor="gray40")
                dot.edge(op_id + "_const", op_id, style="dashed", color="gray50")
        self._more(dot, prefix, section)

    def backward(self, dot, prefix, section, mirror=False):
        """`mirror` lays the backward graph out like the forward one (leaves on top) and only
        turns the arrowheads round, so the two sides of mode="both" line up."""
        graph = self.graph
        root = graph.root

        def link(tail, head, **attrs):
            if mirror:
                dot.edge(prefix + head, prefix + tail, dir="back", **attrs)
            else:
                dot.edge(prefix + tail, prefix + head, **attrs)

        if root.grad_fn is not None:  # a tensor with no history is drawn as its single leaf
            lines, finite = labels.tensor_lines(root, f"root {root.name or ''}".rstrip(), False)
            lines.append("seed gradient: ones")
            dot.node(prefix + "seed", lines, section, None, shape="box", style="dashed,rounded",
                     **({} if finite else RED))
            link("seed", self._backward_id(graph.root_key), **self._output_label(graph.root_key))
        for op in self.shown_ops:
            lines = [f"{op.name}Backward", f"step {graph.step[id(op)]}",
                     labels.shape_dtype(op.out_shape, op.out_dtype)]
            dot.node(prefix + self.ids[id(op)], lines, section, self._module(op), shape="box",
                     style="filled,rounded", fillcolor=self._fill(op, VJP_FILL))
        for leaf in self.shown_leaves:
            self._leaf(dot, prefix, section, leaf, self.show_grads and self.frame is None)
        summed = set()
        for op in self.shown_ops:
            for position, key in enumerate(graph.inputs[op]):
                if key is None:
                    continue
                sent = self._sent(self.frame and self.frame.sent, (id(op), position))
                if not (graph.fans_out(key) and id(self._producer(key)) in self.shown):
                    link(self.ids[id(op)], self._backward_id(key),
                         **self._merge(sent, self._output_label(key)))
                    continue
                sum_id = "sum_" + self._value_id(key)
                if identity(key) not in summed:
                    summed.add(identity(key))
                    count = len(graph.consumers[identity(key)])
                    dot.node(prefix + sum_id, "+", section, None, shape="circle", style="filled",
                             fillcolor=self._fill(key, "white"),
                             xlabel=f"step {graph.step[identity(key)]}",
                             tooltip=f"sum of the {count} gradients of a value used {count} times")
                    total = self._sent(self.frame and self.frame.totals, identity(key))
                    link(sum_id, self._backward_id(key),
                         **self._merge(total, self._output_label(key)))
                link(self.ids[id(op)], sum_id, **sent)
        self._more(dot, prefix, section)

    # -- nodes ----------------------------------------------------------------------------------
    def _leaf(self, dot, prefix, section, leaf, show_grad):
        lines, finite = labels.tensor_lines(leaf, labels.leaf_title(leaf, self.names), show_grad)
        style = {"style": "filled,rounded", "fillcolor": LEAF_FILL} if leaf.requires_grad else {
            "style": "rounded"}
        dot.node(prefix + self.ids[id(leaf)], lines, section, self._module(leaf), shape="box",
                 **style, **({} if finite else RED))

    def _output(self, dot, prefix, section, module, op, index):
        tensor = self.graph.output_tensor(op, index)
        if tensor is None:
            shape, dtype = op.out_shape, op.out_dtype
            if op.n_outputs > 1:
                shape, dtype = shape[index], dtype[index]
            lines, finite = [labels.shape_dtype(shape, dtype)], True
        else:
            title = tensor.name or ("root" if tensor is self.graph.root else "retained")
            lines, finite = labels.tensor_lines(tensor, title, self.show_grads)
        dot.node(prefix + self._value_id((op, index)), lines, section, module, shape="box",
                 **({} if finite else RED))

    def _more(self, dot, prefix, section):
        if self.hidden:
            dot.node(prefix + "more", f"… {self.hidden} more nodes", section, None,
                     shape="box", style="dashed")

    # -- ids, modules, frame highlights ---------------------------------------------------------
    def _producer(self, key):
        return key if isinstance(key, Tensor) else key[0]

    def _value_id(self, key):
        if isinstance(key, Tensor):
            return self.ids[id(key)]
        return f"{self.ids[id(key[0])]}_out{key[1]}"

    def _backward_id(self, key):
        producer = self._producer(key)
        return self.ids[id(producer)] if id(producer) in self.shown else "more"

    def _output_label(self, key):
        if isinstance(key, Tensor) or key[0].n_outputs == 1:
            return {}
        return {"label": f"output {key[1]}"}

    def _merge(self, *attribute_dicts):
        merged = {}
        for attrs in attribute_dicts:
            for name, value in attrs.items():
                merged[name] = f"{merged[name]}\n{value}" if name == "label" and name in merged \
                    else value
        return merged

    def _module(self, item):
        if isinstance(item, Tensor):
            return self._leaf_module(item)
        modules = {self._leaf_module(key) for key in self.graph.inputs[item]
                   if isinstance(key, Tensor)}
        modules.discard(None)
        return modules.pop() if len(modules) == 1 else None

    def _leaf_module(self, leaf):
        module = self.clusters.get(id(leaf))
        name = self.names.get(id(leaf)) or leaf.name
        if module is None and name:
            prefixes = [key for key in self.clusters if isinstance(key, str)
                        and (name == key or name.startswith(key + "."))]
            if prefixes:
                module = self.clusters[max(prefixes, key=len)]
        return module or None  # '' is the root module: no cluster of its own

    def _fill(self, item, default):
        frame = self.frame
        if frame is None:
            return default
        if identity(item) == frame.current:
            return CURRENT_FILL
        return DONE_FILL if identity(item) in frame.done else default

    def _sent(self, gradients, where):
        if not gradients or where not in gradients:
            return {}
        return {"label": labels.brief(gradients[where]), "color": "darkgreen",
                "fontcolor": "darkgreen"}


class _Dot:
    """Collects node and edge statements, grouped by section ('forward'/'backward' in
    mode="both") and module cluster, and writes them out as one digraph."""

    def __init__(self):
        self.nodes = {}  # (section, module) -> statements, in the order they were added
        self.edges = []

    def node(self, node_id, lines, section=None, module=None, **attrs):
        label = "\n".join(lines) if isinstance(lines, list) else lines
        statement = f"{node_id} [{_attributes(label=label, **attrs)}]"
        self.nodes.setdefault((section, module), []).append(statement)

    def edge(self, tail, head, **attrs):
        attributes = f" [{_attributes(**attrs)}]" if attrs else ""
        self.edges.append(f"{tail} -> {head}{attributes}")

    def source(self):
        out = ["digraph autograd {", "  node [fontsize=10]", "  edge [fontsize=9]"]
        for section in dict.fromkeys(section for section, _ in self.nodes):
            indent = "  "
            if section is not None:
                out.append(f"  subgraph cluster_{section} {{")
                out.append(f"    label={_quote(TITLES[section])} style=rounded color=gray70")
                indent = "    "
            for (where, module), statements in self.nodes.items():
                if where != section:
                    continue
                if module is None:
                    out.extend(indent + s for s in statements)
                    continue
                name = _quote(f"cluster_{section or ''}_{module}")
                out.append(f"{indent}subgraph {name} {{")
                out.append(f"{indent}  label={_quote(module)} style=dashed color=gray50")
                out.extend(f"{indent}  {s}" for s in statements)
                out.append(indent + "}")
            if section is not None:
                out.append("  }")
        out.extend("  " + e for e in self.edges)
        out.append("}")
        return "\n".join(out) + "\n"


def _attributes(**attrs):
    return ", ".join(f"{key}={_quote(str(value))}" for key, value in attrs.items())


def _quote(text):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'
