"""How the sweep sums the gradients each node receives, and how a leaf's lands in `.grad`.

`Pending` holds, for every node waiting to run, the sum of what its consumers have handed it.
It alone decides whether a gradient array may be added into in place: only when the sweep owns
it, because the sweep made it (a sum) or a built-in backward made it for this one edge (a fresh
array: not a view, not the gradient that backward received). An array a backward passed
through (Add hands its gradient to both inputs) or one from outside (a hook's, the caller's seed)
is summed out of place and copied before it becomes someone's `.grad`.
"""

import weakref

from . import backend
from .function import Function
from .ops.shape import sum_to
from .tensor_base import TensorBase, make, next_stamp


class Terms(list):
    """Gradients of one shape to add up. Adding them one at a time costs a NumPy call each, and
    for small arrays that call is all overhead: measured on (8,) arrays, 16 terms cost 8.9 us
    added one by one and 6.0 us in one reduction (64 terms: 38 us and 15 us). A reduction has a
    fixed cost of ~2.5 us, so a few terms, and large arrays, are added one by one into the
    first sum."""

    __slots__ = ()
    MAX_SIZE = 256  # elements: above this, one add per term is as fast as a reduction
    FEW = 8  # up to this many terms, adding them one by one is faster than one reduction

    def total(self):
        """The sum of two or more arrays, as a fresh array."""
        if len(self) > self.FEW and self[0].size <= self.MAX_SIZE:
            return backend.sum_arrays(self)
        total = backend.as_array(self[0] + self[1])  # 0-d terms add up to a NumPy scalar
        for i in range(2, len(self)):
            backend.add_into(total, self[i])
        return total


class Shares(list):
    """The gradients a node used more than once has received so far, added up when it runs."""

    __slots__ = ()


class Pending:
    """What each waiting node's consumers have handed it so far (`received`: node -> one
    gradient, or `Shares` once it has several; a node with several outputs receives `Share`s
    from their Select nodes). `total` adds them up when the node's turn comes.

    Adding up is the one place that decides what may be added into in place: only an array the
    sum made itself. `passed` holds the ids of arrays a backward passed on unchanged (Add hands
    its gradient to both inputs) and of the caller's seeds: such an array is never added into
    and is copied before it becomes a leaf's `.grad`; any other single share, an array a
    built-in backward made, becomes `.grad` as it is.

    >>> pending = Pending(create_graph=False)
    >>> pending.received[node] = g1; pending.add(node, g2); pending.total(node)      # g1 + g2
    """

    __slots__ = ("received", "create_graph", "tensor_class", "passed")
    MAX_SHARES = 64  # shares held per node before they are added up (memory: fan-out x size)

    def __init__(self, create_graph, tensor_class=None):
        self.received = {}  # a plain dict: the sweep reads and fills it directly
        self.create_graph = create_graph
        self.tensor_class = tensor_class  # what create_graph's zero gradients are made of
        self.passed = set()

    def add(self, node, g):
        """Hand `g` to a node that has already received something."""
        received = self.received[node]
        if type(received) is not Shares:
            self.received[node] = Shares((received, g))
        elif len(received) < self.MAX_SHARES:
            received.append(g)
        else:
            self.received[node] = Shares((self._total(node, received), g))

    def total(self, node):
        """Remove what the node received and return the sum (one per output, zeros where an
        output received nothing)."""
        g = self.received.pop(node)
        if type(g) is Shares or node.n_outputs != 1:
            return self._total(node, g if type(g) is Shares else (g,))
        # one consumer: the common case, without a loop
        if g.shape != node.out_shape or (g.dtype is not node.out_dtype and
                                         g.dtype != node.out_dtype):
            return fit(g, node.out_shape, node.out_dtype)
        if type(node) is AccumulateGrad and not self._made_by_a_backward(g):
            return g if self.create_graph else backend.copy(g)  # .grad is never shared
        return g

    def _total(self, node, shares):
        if node.n_outputs == 1:
            return self._sum(shares, node.out_shape, node.out_dtype)
        per_output = [[] for _ in range(node.n_outputs)]
        for share in shares:
            per_output[share.index].append(share.g)
        return [self._sum(found, shape, dtype) if found else self._zeros(shape, dtype)
                for found, shape, dtype in zip(per_output, node.out_shape, node.out_dtype)]

    def _sum(self, shares, shape, dtype):
        """The sum of `shares`, fitted to shape and dtype: a new array (or Tensor)."""
        if len(shares) > Terms.FEW and not self.create_graph:
            try:  # shares of one shape: one reduction, then one fit (W2: 0.1 us a share)
                return fit(backend.sum_arrays(shares), shape, dtype)
            except ValueError:  # shapes that differ: fit each first
                pass
        fitted = [g if g.shape == shape and g.dtype == dtype else fit(g, shape, dtype)
                  for g in shares]
        if len(fitted) == 1:
            return fitted[0]
        if self.create_graph:
            total = fitted[0]
            for g in fitted[1:]:
                total = total + g
            return total
        return Terms(fitted).total()

    def _made_by_a_backward(self, g):
        # Small arrays are cheap to copy, so only large ones are tracked in `passed`.
        return (type(g) is backend.ndarray and g.base is None and g.size > Terms.MAX_SIZE
                and id(g) not in self.passed)

    def _zeros(self, shape, dtype):
        zeros = backend.zeros(shape, dtype)
        return make(self.tensor_class, zeros) if self.create_graph else zeros


def fit(g, shape, dtype):
    """Sum a broadcast gradient back to its input's shape and give it the input's dtype."""
    if g.shape != shape:
        g = sum_to(g, shape)
    if g.dtype != dtype:
        g = g.astype(dtype)
    return g


class AccumulateGrad(Function):
    """The node through which a leaf that requires grad receives its gradient: its backward
    adds the gradient into the leaf's `.grad` (`+=` across sweeps, as in PyTorch). A leaf makes
    its own when it starts to require grad, so every edge in the graph ends at a node.

    >>> w = ag.tensor([1.0], requires_grad=True); w._edge   # <AccumulateGrad>
    """

    __slots__ = ("leaf", "_last_seen")
    array_backward = True

    def __init__(self, leaf):
        self.leaf = weakref.ref(leaf)  # the leaf holds this node: a strong ref would be a cycle
        self.edges = ()
        self._saved = ()
        self._saved_sources = None
        self._sequence = next_stamp()  # older than every node that will use the leaf
        self._last_seen = (leaf.shape, leaf.dtype)

    # The leaf's shape and dtype as they are now: `leaf.data = ...` may have replaced its array
    # since this node was made (and a leaf no one holds any more keeps its last ones).
    @property
    def out_shape(self):
        return self._seen()[0]

    @property
    def out_dtype(self):
        return self._seen()[1]

    def _seen(self):
        leaf = self.leaf()
        if leaf is not None:
            self._last_seen = (leaf.data.shape, leaf.data.dtype)
        return self._last_seen

    def check_saved(self):
        pass  # it saves nothing and serves its leaf in every graph: a sweep never frees it

    @staticmethod
    def backward(ctx, g):
        leaf = ctx.leaf()
        if leaf is not None:
            store_grad(leaf, g)
        return ()


def store_grad(tensor, g):
    """`tensor.grad += g`: in place into a `.grad` the tensor owns, else a new one. Under
    create_graph `g` is a Tensor and the sum is recorded."""
    old = tensor._grad
    if isinstance(g, TensorBase):  # create_graph
        tensor._grad = g if old is None else old + g
    elif old is None:
        tensor._grad = make(tensor._result_class, backend.as_array(g))
    elif old._edge is None and old.data.flags.writeable and old.shape == g.shape:
        backend.add_into(old.data, g)
    else:
        tensor._grad = make(tensor._result_class, old.data + g)
