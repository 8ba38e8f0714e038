"""Function: one primitive operation, with a forward on arrays and a backward on gradients.

An instance of a Function subclass is both the `ctx` that forward and backward receive and the
node the engine walks: it holds one edge per input, what forward saved, and the shape and dtype
of its output. An edge is the node that receives that input's gradient: the node that made the
input, or, for a leaf that requires grad, the leaf's own `AccumulateGrad` node (gradients.py).
An op with several outputs gives each output a `Select` node, so every edge has that one shape.

How to write a primitive (see also autograd_core/README.md):

    class Cube(ag.Function):
        @staticmethod
        def forward(ctx, x):              # NumPy arrays in, an array (or a tuple of them) out
            ctx.save_for_backward(x)
            return x ** 3
        @staticmethod
        def backward(ctx, g):             # one gradient per output in, one (or None) per input out
            (x,) = ctx.saved_tensors
            return 3 * x ** 2 * g

A user-defined Function's backward always receives Tensors. A built-in primitive sets
`array_backward = True`: its backward then runs on plain arrays in a first-order sweep and on
Tensors under `create_graph=True`, from one formula. That formula may use only what arrays and
Tensors share: operators, NumPy functions (a Tensor routes them to its ops), the methods
`sum reshape transpose swapaxes astype`, and the `ag` op functions (an op applied to plain arrays
is just its forward). It returns a new array per input, or its gradient itself (or a view of
it), never an array it saved and never one new array for two inputs; under create_graph it
returns Tensors. The engine checks the last rule, and tests/autograd_core/test_primitives.py the
others for every primitive.
"""

import warnings

from . import backend
from .dtypes import NUMERIC_KINDS
from .grad_mode import _state as _grad_mode
from .tensor_base import TensorBase, Version, View, make, next_stamp, shares_memory

_ndarray = backend.ndarray
_new = object.__new__


class Function:
    """Base class of every primitive. Subclass it, write two static methods, call `apply`.

    >>> y = Cube.apply(ag.tensor([2.0], requires_grad=True))     # see the module docstring
    >>> y.backward(); ...
    """

    __slots__ = (
        "edges",  # per input: the node that receives its gradient, or None
        "out_shape",  # output shape (a tuple of shapes when there are several outputs)
        "out_dtype",
        "_saved",  # what forward saved; None once a sweep has released it
        "_saved_sources",  # per saved array: its input Tensor, an _Output marker, or None
        "_sequence",  # creation stamp: the engine runs newer nodes first
        "__weakref__",
        "__dict__",  # only for the rarely set attributes below, so most nodes never make one
    )
    _hooks = None  # [hook, ...] registered on the tensor this node made
    _retained = None  # weakref to that tensor, for retain_grad()
    _created_at = None  # forward stack, recorded only under detect_anomaly
    _tensor_mode = None  # the Tensor class while backward runs on Tensors
    n_outputs = 1  # set on the node only by forwards that return a tuple
    array_backward = False  # built-ins: backward also runs on plain arrays (module docstring)
    is_view = False  # forward returns a view of its first input (reshape, t[0:2], ...)
    writes_input = False  # forward writes into its first input and returns it (inplace.py)

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("a Function subclass must define forward(ctx, *inputs)")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("a Function subclass must define backward(ctx, *grad_outputs)")

    @property
    def name(self):
        return type(self).__name__

    def __repr__(self):
        return f"<{self.name}>"

    @property
    def needs_input_grad(self):
        """Per forward input, whether a gradient is wanted for it."""
        return tuple(edge is not None for edge in self.edges)

    # -- saving for backward ---------------------------------------------------------------
    def save_for_backward(self, *arrays):
        """Keep arrays for backward; inputs and outputs come back as Tensors with history."""
        self._saved = arrays

    @property
    def saved_tensors(self):
        saved = self._saved
        # One test for the three uncommon cases; a first-order sweep returns the arrays as saved.
        if saved is None or self._tensor_mode or Version.newest_change > self._sequence:
            self.check_saved()
            if self._tensor_mode:
                return tuple(self._saved_as_tensor(i) for i in range(len(saved)))
        return saved

    def check_saved(self):
        """Raise when what this node saved was released, or changed in place since it was saved."""
        if self._saved is None:
            raise RuntimeError(
                f"{self.name}: trying to run backward through the graph a second time (or to "
                "read saved values after they were freed). The first backward() freed what the "
                "graph saved; pass retain_graph=True to the first call to keep it."
            )
        if Version.newest_change > self._sequence:
            for source in self._saved_sources or ():
                _check_unchanged(self, source)

    def release(self):
        """Free what forward saved (a sweep without retain_graph does this as it goes)."""
        self._saved = None
        self._saved_sources = None

    def _saved_as_tensor(self, i):
        source, array = self._saved_sources[i], self._saved[i]
        if isinstance(source, TensorBase):
            return source
        if type(source) is _Output:  # a fresh tensor with this node's history
            node = self if self.n_outputs == 1 else Select(self, source.index)
            return make(self._tensor_mode, backend.as_array(array), node, True)
        if self.array_backward or not isinstance(array, _ndarray):
            return array  # a constant (a mask, a number): built-in formulas take it raw
        if _grad_mode.enabled:
            warnings.warn(
                f"{self.name} saved an array that is neither one of its inputs nor one of its "
                "outputs; differentiating its backward treats that array as a constant, so "
                "second derivatives through it are wrong unless it is one. Save the inputs and "
                "recompute it in backward.", stacklevel=4)
        return make(self._tensor_mode, array)

    # -- applying ---------------------------------------------------------------------------
    @classmethod
    def apply(cls, *inputs, **params):
        """Run forward on the inputs' arrays and, if any input requires grad, record a node.
        With no Tensor among the inputs it is just the forward: arrays in, arrays out."""
        arrays = []
        edges = []
        like = None  # a Tensor input: the result is made of its class
        recorded = False  # whether an input has history (or is a leaf that requires grad)
        for x in inputs:
            if isinstance(x, TensorBase):
                if x._view is not None:
                    x._with_current_history()
                like = x
                arrays.append(x.data)
                edges.append(x._edge)
                recorded = recorded or x._edge is not None
            else:
                arrays.append(x)
                edges.append(None)
        ctx = _new(cls)
        ctx._saved = ()
        ctx.edges = edges  # lets forward save only what backward will need
        n = 0 if params else len(arrays)
        try:  # one or two inputs are passed directly: a star call costs ~50 ns more
            raw = (cls.forward(ctx, arrays[0], arrays[1]) if n == 2 else
                   cls.forward(ctx, arrays[0]) if n == 1 else
                   cls.forward(ctx, *arrays, **params))
        except OverflowError as error:  # a Python int too large for NumPy: a bad value
            raise ValueError(f"{cls.__name__}: {error}") from None
        if like is None:
            return raw
        if type(raw) is not _ndarray or raw.base is not None or raw is arrays[0]:
            return ctx._finish(raw, inputs, arrays, like, params)
        if raw.dtype.kind not in NUMERIC_KINDS:
            _refuse_dtype(cls, raw, inputs)
        if not (recorded and _grad_mode.enabled):
            return make(like._result_class, raw)
        # Recording, inline rather than a call to _record: this is the hottest path of the
        # library (-0.1 us an op on W2).
        ctx._sequence = next_stamp()
        ctx.out_shape, ctx.out_dtype = raw.shape, raw.dtype
        if _anomaly_hook is not None:
            _anomaly_hook(ctx, raw)
        saved = ctx._saved
        ctx._saved_sources = (
            None if not saved else
            _SAVED_OUTPUT if len(saved) == 1 and saved[0] is raw else  # tanh, exp, ...
            inputs if len(saved) == n and saved[0] is arrays[0] and saved[-1] is arrays[-1] else
            ctx._resolve_saved(inputs, arrays, (raw,), (raw,)))  # (mul, matmul: exactly inputs)
        # make(), inlined: the hottest line of the library (-900 instructions an op on W2, 2%).
        t = _new(like._result_class)
        t.data = raw
        t.name = t._grad = t._counter = t._view = None
        t._requires_grad = True
        t._edge = ctx
        return t

    def _finish(self, raw, inputs, arrays, like, params):
        """apply's ending for what is not one plain new array: a tuple of outputs, a NumPy
        scalar (0-d results), or an output that may share memory with an input."""
        if type(raw) is tuple:
            return self._several(raw, inputs, arrays, like)
        output = _refuse_dtype(type(self), backend.as_array(raw), inputs)
        return self._aliasing(output, raw, inputs, arrays, like, params)

    def _watch_output(self, counter, index=0):
        """Output `index` has just got a version counter (it is being aliased or changed): if
        this node saved that output, its backward now checks the counter."""
        sources = self._saved_sources
        if sources and any(type(s) is _Output and s.index == index for s in sources):
            self._saved_sources = tuple(_Output(index, counter) if type(s) is _Output and
                                        s.index == index else s for s in sources)

    def _record(self, output, raw, inputs, arrays, like):
        """Make this node part of the graph and return its output tensor."""
        self._sequence = next_stamp()
        self.out_shape, self.out_dtype = output.shape, output.dtype
        if _anomaly_hook is not None:
            _anomaly_hook(self, output)
        saved = self._saved
        if not saved:
            self._saved_sources = None
        elif len(saved) == 1 and (saved[0] is output or saved[0] is raw):  # tanh, exp, ...
            self._saved_sources = _SAVED_OUTPUT
        elif len(saved) == len(arrays) <= 2 and saved[0] is arrays[0] and saved[-1] is arrays[-1]:
            self._saved_sources = inputs  # exactly its inputs, in order (mul, log, matmul, ...)
        else:
            self._resolve_saved(inputs, arrays, (raw,), (output,))
        return make(like._result_class, output, self, True)

    def _several(self, raw, inputs, arrays, like):
        """apply's ending for a forward that returned a tuple of outputs."""
        outputs = tuple(_refuse_dtype(type(self), backend.as_array(y), inputs) for y in raw)
        outputs = tuple(y.copy() if _aliases_input(y, arrays) else y for y in outputs)
        if not (_grad_mode.enabled and any(self.edges)):
            return tuple(make(like._result_class, y) for y in outputs)
        self._sequence = next_stamp()
        self.n_outputs = len(outputs)
        self.out_shape = tuple(y.shape for y in outputs)
        self.out_dtype = tuple(y.dtype for y in outputs)
        if _anomaly_hook is not None:
            _anomaly_hook(self, outputs)
        if self._saved:
            self._resolve_saved(inputs, arrays, raw, outputs)
        else:
            self._saved_sources = None
        return tuple(make(like._result_class, y, Select(self, i), True)
                     for i, y in enumerate(outputs))

    def _aliasing(self, output, raw, inputs, arrays, like, params):
        """apply's ending for an output that may share memory with an input: a view op's
        output is a view of its first input; any other op's output is copied if it aliases."""
        source = inputs[0] if isinstance(inputs[0], TensorBase) else None
        view = (self.is_view or self.writes_input) and source is not None
        if not (view and shares_memory(output, arrays[0])):
            if _aliases_input(output, arrays):
                output = output.copy()  # an op may return its input, but not its memory
            view = False
        recording = _grad_mode.enabled and any(self.edges)
        result = self._record(output, raw, inputs, arrays, like) if recording else \
            make(like._result_class, output)
        if view and self.is_view:
            _make_view(result, source, type(self), params)
        return result

    def _resolve_saved(self, inputs, arrays, raws, outputs):
        """Remember which saved arrays are inputs or outputs, so that Tensor-mode backward gets
        them with their history (what makes higher-order derivatives correct) and backward can
        tell when one was changed in place."""
        sources = []
        for array in self._saved:
            source = next((x for x, a in zip(inputs, arrays) if a is array and array is not None),
                          None)
            if source is None:
                index = next((i for i, (r, y) in enumerate(zip(raws, outputs))
                              if array is y or array is r), None)
                source = None if index is None else _Output(index)
            sources.append(source if isinstance(source, (TensorBase, _Output)) else None)
        # A tuple of constants and markers leaves the cyclic GC's tracking (W3: 383 B/node).
        self._saved_sources = tuple(sources)
        return self._saved_sources


def _aliases_input(y, arrays):
    return y.base is not None and any(
        isinstance(a, _ndarray) and shares_memory(y, a) for a in arrays)


def _make_view(result, source, op, params):
    """Mark `result` as a view of `source`'s base: shared version counter, replayable chain.
    View ops take their one input positionally and everything else by keyword, so that
    `op.apply(base, **params)` takes the same view again."""
    step = ((op, params),)
    parent = source._view
    base = source if parent is None else parent.base
    chain = step if parent is None else parent.chain + step
    result._counter = base._shared_counter()
    result._view = View(base, chain, base._counter.count)


class _Output:
    """Marks a saved array that is the node's own output `index`; `counter` is that output's
    version counter once it has one (made when the output is first aliased or changed)."""

    __slots__ = ("index", "counter")

    def __init__(self, index, counter=None):
        self.index, self.counter = index, counter


_SAVED_OUTPUT = (_Output(0),)  # the sources of a node that saved its one output (no counter yet)


def _check_unchanged(node, source):
    if source is None:
        return
    counter = source._counter if isinstance(source, TensorBase) else source.counter
    if counter is None or counter.changed_at <= node._sequence:
        return
    what = f"its output {source.index}" if type(source) is _Output else \
        f"a tensor{f' {source.name!r}' if source.name else ''} of shape {source.shape}"
    saved = counter.count_at(node._sequence)
    raise RuntimeError(
        f"{node.name}: {what} that this op saved for backward was modified in place after it "
        f"was saved: it was saved at version {'(too many changes ago)' if saved is None else saved}"
        f" and is at version {counter.count} now. A common cause is optimizer.step() or an "
        "in-place method (add_, x[i] = v, +=) between forward and backward, possibly through a "
        "view or a detach()ed alias; use an out-of-place op or recompute."
    )


def _refuse_dtype(cls, y, inputs):
    """Raise when an op would make a tensor of a dtype tensors do not hold (complex, object)."""
    if y.dtype.kind in NUMERIC_KINDS:
        return y
    operands = ", ".join(
        f"Tensor {x.dtype} {x.shape}" if isinstance(x, TensorBase) else type(x).__name__
        for x in inputs
    )
    raise TypeError(
        f"{cls.__name__}: the result would have dtype {y.dtype}, but tensors hold bool, integer "
        f"or floating-point numbers; check the operands ({operands})"
    )


class Select(Function):
    """The node of one output of an op with several: it hands that output's gradient to the
    op, marked with the output's index, so the op receives one gradient per output."""

    __slots__ = ("index",)
    array_backward = True

    def __init__(self, node, index):
        self.edges = (node,)
        self.index = index
        self._saved = ()
        self._saved_sources = None
        self._sequence = next_stamp()
        self.out_shape, self.out_dtype = node.out_shape[index], node.out_dtype[index]

    @property
    def name(self):
        return f"{self.edges[0].name}[{self.index}]"

    def _watch_output(self, counter, index=0):
        self.edges[0]._watch_output(counter, self.index)

    @staticmethod
    def backward(ctx, g):
        return Share(ctx.index, g)


class Share:
    """The gradient of output `index` of a node with several outputs, on its way to it."""

    __slots__ = ("index", "g")

    def __init__(self, index, g):
        self.index, self.g = index, g


# Set by anomaly mode to record where each node was created; None keeps the hot path free.
_anomaly_hook = None


def set_anomaly_hook(hook):
    global _anomaly_hook
    _anomaly_hook = hook

