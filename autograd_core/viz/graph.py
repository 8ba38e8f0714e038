"""The graph as a picture sees it: ops, leaves, who consumes what, and the engine's order.

A value in the graph is keyed by what produced it: a leaf Tensor is its own key, an op's
output is `(node, output index)`. Tensors compare elementwise with `==`, so the tables here
are keyed by `identity(key)` rather than by the keys themselves.
"""

from collections import deque

from ..engine import sweep_order
from ..function import Select
from ..gradients import AccumulateGrad
from ..tensor import Tensor


def value_key(edge):
    """The key of the value an edge points at: None (a constant), a leaf, or (node, index)."""
    if edge is None:
        return None
    if type(edge) is AccumulateGrad:
        return edge.leaf()
    if type(edge) is Select:
        return (edge.edges[0], edge.index)
    return (edge, 0)


def identity(item):
    """A hashable stand-in for an op, a leaf or a value key that never compares Tensors with
    `==` (which is elementwise): ids, and (id(node), output index) for op outputs."""
    if type(item) is tuple:
        return (id(item[0]), item[1])
    return id(item)


class Graph:
    """The part of a graph reachable from `root`, walked breadth-first from it.

    >>> graph = Graph(loss)
    >>> [node.name for node in graph.ops]         # ['Sum', 'Mul'], nearest to the root first

    `items` lists ops and leaves in that breadth-first order (what `max_nodes` truncates);
    `inputs[node]` gives one value key per forward input (None for a constant);
    `consumers[identity(key)]` lists `(node, input position)` for every use of a value; a
    value with several uses fans out, and its gradient is a sum. `schedule` lists what the
    sweep does, in order (an op runs its VJP; a value key sums its gradients), and
    `step[identity(entry)]` numbers those steps from 1, as `trace_backward` does.
    """

    def __init__(self, root):
        self.root = root
        self.ops = []
        self.leaves = []
        self.items = []
        self.inputs = {}
        self.consumers = {}
        if root.grad_fn is None:
            self.leaves.append(root)
            self.items.append(root)
            self._schedule()
            return
        seen = {id(root.grad_fn)}
        queue = deque([root.grad_fn])
        while queue:
            node = queue.popleft()
            self.ops.append(node)
            self.items.append(node)
            keys = [value_key(edge) for edge in node.edges]
            self.inputs[node] = keys
            for position, key in enumerate(keys):
                if key is None:
                    continue
                self.consumers.setdefault(identity(key), []).append((node, position))
                producer = key if isinstance(key, Tensor) else key[0]
                if id(producer) in seen:
                    continue
                seen.add(id(producer))
                if isinstance(key, Tensor):
                    self.leaves.append(key)
                    self.items.append(key)
                else:
                    queue.append(producer)
        self._schedule()

    def _schedule(self):
        # The engine pops the newest node first; every op here receives a gradient, so it runs
        # them by decreasing creation number. A value used several times has its gradients
        # summed before its op runs (leaves: at the end, in the order they first got one).
        self.schedule = []
        leaves = {self.root: None} if self.root.grad_fn is None else {}
        for node in sweep_order(self.ops):
            for index in range(node.n_outputs):
                if self.fans_out((node, index)):
                    self.schedule.append((node, index))
            self.schedule.append(node)
            leaves.update((key, None) for key in self.inputs[node] if isinstance(key, Tensor))
        self.schedule.extend(leaf for leaf in leaves if self.fans_out(leaf))
        self.step = {identity(entry): number for number, entry in enumerate(self.schedule, 1)}

    @property
    def root_key(self):
        """The key of the root value: the root itself when it is a leaf."""
        root = self.root
        return root if root.grad_fn is None else value_key(root._edge)

    def fans_out(self, key):
        """Whether the value is used more than once, so its gradient is a sum of several."""
        return len(self.consumers.get(identity(key), ())) > 1

    def output_tensor(self, node, index):
        """The Tensor for an op output when one is known: the root or a retained tensor."""
        root = self.root
        if value_key(root._edge) == (node, index):
            return root
        reference = node._retained if index == 0 else None
        return None if reference is None else reference()
