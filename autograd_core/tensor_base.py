"""What the graph layer needs of a tensor: its array, its gradient, its flags, its place in the
graph, and the memory it shares with other tensors.

`TensorBase` holds that state and nothing that computes. `Tensor` (tensor.py) subclasses it
with the operators and methods, each a call into an op; the ops, `Function.apply` and the engine
sit between the two and work with this base, so no module needs one that imports it. New
tensors are made as `like._result_class`, which tensor.py sets to `Tensor` (so ops on an
`nn.Parameter` give plain Tensors).

Sharing memory: a view (`t[0:2]`, `t.T`, `t.reshape(...)`, ...) and a `detach()`ed alias share
their base's array and its `Version` counter; a view also records how it was taken from its
base (`View`), so its history can be rebuilt after the base changes in place (inplace.py).
"""

import itertools

import numpy as np

from .grad_mode import set_grad_enabled

# One numbering for creation order: nodes take the next number when they are recorded and
# in-place changes when they happen, so "changed after this node was made" is a comparison.
next_stamp = itertools.count().__next__


class Version:
    """The version counter that a tensor shares with its views and aliases: how many times
    their memory was changed in place, and the stamps of the latest changes."""

    __slots__ = ("count", "changed_at", "_recent")
    newest_change = -1  # the stamp of the newest change to any tensor: most sweeps check nothing
    _KEPT = 64  # stamps remembered, to say which version a node saw (error messages only)

    def __init__(self):
        self.count = 0
        self.changed_at = -1
        self._recent = None

    def bump(self):
        stamp = next_stamp()
        self.count += 1
        self.changed_at = Version.newest_change = stamp
        if self._recent is None:
            self._recent = []
        self._recent.append(stamp)
        if len(self._recent) > self._KEPT:
            del self._recent[: self._KEPT // 2]

    def count_at(self, stamp):
        """The count when `stamp` was taken, or None when that is too many changes ago."""
        recent = self._recent or ()
        later = sum(1 for s in recent if s > stamp)
        if later == len(recent) < self.count:
            return None
        return self.count - later


class View:
    """How a view was taken from its base: the chain of view ops (class and parameters) that
    turns the base into the view, and the base's version when the view's history was set."""

    __slots__ = ("base", "chain", "version")

    def __init__(self, base, chain, version):
        self.base, self.chain, self.version = base, chain, version

    def replay(self, tensor):
        """Apply the chain to `tensor` (the base, or a gradient of the base's shape)."""
        for op, params in self.chain:
            tensor = op.apply(tensor, **params)
        return tensor


class TensorBase:
    """The state of a tensor; see the module docstring. Use `ag.Tensor`."""

    __slots__ = (
        "data",  # the np.ndarray
        "name",
        "_grad",  # a Tensor or None
        "_requires_grad",
        "_edge",  # the node that receives this tensor's gradient, or None (no history)
        "_counter",  # the Version shared with views and aliases; None until one is needed
        "_view",  # a View when this tensor is a view of another, else None
        "__weakref__",
    )
    __hash__ = object.__hash__  # == is elementwise; identity keys the engine's dictionaries
    _result_class = None  # the class of new tensors made from this one (set by tensor.py)

    shape = property(lambda self: self.data.shape)
    ndim = property(lambda self: self.data.ndim)
    size = property(lambda self: self.data.size, doc="The number of elements (as in NumPy).")
    dtype = property(lambda self: self.data.dtype)

    @property
    def _version(self):
        """How many times this tensor's memory was changed in place (shared with its views)."""
        counter = self._counter
        return 0 if counter is None else counter.count

    def _shared_counter(self):
        """The version counter, made now if none exists yet (a view or alias is being made, or
        the memory is changed); the node that made this tensor watches it from then on."""
        if self._counter is None:
            self._counter = Version()
            if self._edge is not None:
                self._edge._watch_output(self._counter)
        return self._counter

    def _with_current_history(self):
        """This tensor, after rebuilding its history if it is a view whose base changed in place
        since its history was set (its values already show the change: they share memory)."""
        view = self._view
        if view is not None and view.version != view.base._version:
            with set_grad_enabled(True):  # the history is the view's, whatever the mode now
                from_base = view.replay(view.base)
            self._edge, self._requires_grad = from_base._edge, from_base._requires_grad
            view.version = view.base._version
        return self


def make(cls, data, edge=None, requires_grad=False, counter=None, view=None):
    """A tensor of class `cls` around `data` (no copy, no checks): the one place that fills
    a tensor's slots."""
    t = object.__new__(cls)
    t.data = data
    t.name = t._grad = None
    t._requires_grad = requires_grad
    t._edge = edge
    t._counter = counter
    t._view = view
    return t


def is_tensor(x):
    return isinstance(x, TensorBase)


def array_of(x):
    """The array behind a tensor; anything else as it is."""
    return x.data if isinstance(x, TensorBase) else x


def shares_memory(a, b):
    """True when two arrays may overlap in memory (a bounds check, no element comparison)."""
    return np.may_share_memory(a, b)
