"""Function: one primitive operation, with a forward on arrays and a backward on Tensors.

An instance of a Function subclass is both the `ctx` its forward and backward receive and the
node the engine walks: it holds the edges to its inputs' nodes, what forward saved, and the
metadata of its outputs (shape and dtype) so that gradients can be summed back to them.
"""

import itertools

from . import backend
from .grad_mode import _state as _grad_mode

# Every primitive defined inside the project, by name; tests enumerate it so that no op can be
# added without a gradient check.
PRIMITIVES = {}

_RELEASED = None  # what a node holds instead of its saved arrays after a sweep
_new = object.__new__
_ndarray = backend.ndarray
_next_sequence = itertools.count().__next__


class Function:
    """Base class of every primitive. Subclass it, write two static methods, call `apply`.

    >>> class Cube(ag.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x ** 3
    ...     @staticmethod
    ...     def backward(ctx, g):
    ...         (x,) = ctx.saved_tensors
    ...         return 3 * x ** 2 * g
    >>> y = Cube.apply(ag.tensor([2.0], requires_grad=True))

    `forward` receives NumPy arrays (and any non-Tensor argument unchanged) and returns an array
    or a tuple of arrays. `backward` receives one gradient per output and returns one gradient
    (or None) per forward input; it is written with Tensor operations, so the engine can
    differentiate through it again (`create_graph=True`).
    """

    __slots__ = (
        "edges",  # per input: None, a leaf Tensor, a node, or (node, output index)
        "out_shape",  # output shape (a tuple of shapes when there are several outputs)
        "out_dtype",
        "_saved",  # the tuple of arrays forward saved; None once a sweep has freed them
        "_saved_sources",  # per saved array: the input Tensor, an _Output, or a constant
        "_sequence",  # creation number: the engine runs newer nodes first
        "__weakref__",
        "__dict__",  # only for the rarely set attributes below, so most nodes never make one
    )
    _hooks = None  # {output index: [hook, ...]} for non-leaf tensors (retain_grad adds {})
    _retained = None  # {output index: weakref to the tensor} for retain_grad()
    _created_at = None  # forward stack, recorded only under detect_anomaly
    _tensor_mode = False  # True while backward runs on Tensors (create_graph, user Functions)
    n_outputs = 1  # set on the node (in its __dict__) only by forwards that return a tuple

    # Built-in primitives write backward with operations that NumPy arrays share with Tensors
    # (see ops/dual.py), so a first-order sweep runs them on raw arrays and records nothing.
    # A user-defined Function always receives Tensors, as documented.
    array_backward = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Private bases (_Elementwise, ...) share code; only concrete primitives are listed.
        if cls.__module__.split(".")[0] in ("autograd_core", "nn") and cls.__name__[0] != "_":
            PRIMITIVES[cls.__name__] = cls

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("a Function subclass must define forward(ctx, *inputs)")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("a Function subclass must define backward(ctx, *grad_outputs)")

    # -- saving for backward ---------------------------------------------------------------
    def save_for_backward(self, *arrays):
        """Keep arrays for backward; inputs and outputs come back as Tensors with history."""
        self._saved = arrays

    @property
    def saved_tensors(self):
        saved = self._saved
        # One test for the three uncommon cases; a first-order sweep returns the arrays as saved.
        if saved is _RELEASED or self._tensor_mode or _last_change > self._sequence:
            return self._saved_checked()
        return saved

    def _saved_checked(self):
        saved = self._saved
        if saved is _RELEASED:
            raise RuntimeError(
                f"{type(self).__name__}: trying to run backward through the graph a second time "
                "(or to read saved values after they were freed). The first backward() freed "
                "what the graph saved; pass retain_graph=True to the first call to keep it."
            )
        if _last_change > self._sequence:  # something changed in place since this node was made
            self._check_versions()
        if not self._tensor_mode:
            return saved
        return tuple(self._saved_as_tensor(i) for i in range(len(saved)))

    @property
    def _released(self):
        return self._saved is _RELEASED

    def _release(self):
        self._saved = _RELEASED
        self._saved_sources = None

    @property
    def needs_input_grad(self):
        """Per forward input, whether a gradient is wanted for it."""
        return tuple(edge is not None for edge in self.edges)

    @property
    def name(self):
        return type(self).__name__

    def _saved_as_tensor(self, i):
        source = self._saved_sources[i]
        array = self._saved[i]
        if isinstance(source, Tensor):
            return source
        if type(source) is _Output:  # a fresh tensor with this node's history
            return _wrap(backend.as_array(array), self, True, source.index)
        if self.array_backward or not isinstance(array, backend.ndarray):
            return array  # a constant (a mask, a number): built-in formulas take it raw
        return _wrap(array, None, False)

    def _check_versions(self):
        for source in self._saved_sources:
            if isinstance(source, Tensor) and source._changed_at > self._sequence:
                label = f" '{source.name}'" if source.name else ""
                raise RuntimeError(
                    f"{type(self).__name__}: a tensor{label} of shape {source.shape} that this op "
                    f"saved for backward was modified in place after it was saved (it is at "
                    f"version {source._version} now). A common cause is optimizer.step() or an "
                    "in-place method between forward and backward; use an out-of-place op or "
                    "recompute."
                )

    # -- applying ---------------------------------------------------------------------------
    @classmethod
    def apply(cls, *inputs, **params):
        """Run forward on the inputs' arrays and, if any input requires grad, record a node."""
        arrays = []
        edges = []
        record = False
        for x in inputs:
            if isinstance(x, Tensor):
                arrays.append(x.data)
                if x.requires_grad:
                    record = True
                    node = x.grad_fn
                    if node is None:
                        edges.append(x)
                    elif node.n_outputs == 1:
                        edges.append(node)
                    else:
                        edges.append((node, x._output_nr))
                    continue
            else:
                arrays.append(x)
            edges.append(None)

        ctx = _new(cls)
        ctx._saved = ()
        ctx.edges = edges  # lets forward save only what backward will need
        try:
            # One or two inputs are passed directly: unpacking a list costs more than the call.
            n = len(arrays)
            if n == 2 and not params:
                raw = cls.forward(ctx, arrays[0], arrays[1])
            elif n == 1 and not params:
                raw = cls.forward(ctx, arrays[0])
            else:
                raw = cls.forward(ctx, *arrays, **params)
        except OverflowError as error:  # a Python int too large for NumPy: a bad value
            raise ValueError(f"{cls.__name__}: {error}") from None
        output = raw
        if type(raw) is not _ndarray:
            if type(raw) is tuple:
                return ctx._apply_several(raw, inputs, arrays, record and _grad_mode.enabled)
            output = backend.as_array(raw)  # NumPy hands back scalars for 0-d results
        dtype = output.dtype
        if dtype.kind not in "biuf":
            _checked(cls, output, inputs)
        if not (record and _grad_mode.enabled):
            return _wrap(output, None, False)

        ctx._sequence = _next_sequence()
        ctx.out_shape = output.shape
        ctx.out_dtype = dtype
        if _anomaly_hook is not None:
            _anomaly_hook(ctx, output)
        saved = ctx._saved
        if not saved:
            ctx._saved_sources = None
        elif len(saved) == 1 and (saved[0] is output or saved[0] is raw):  # tanh, exp, ...
            ctx._saved_sources = _SAVED_OUTPUT
        elif len(saved) == n <= 2 and saved[0] is arrays[0] and saved[-1] is arrays[-1]:
            ctx._saved_sources = inputs  # exactly its inputs, in order (mul, log, matmul, ...)
        else:
            ctx._resolve_saved(inputs, arrays, raw, output)
        # _wrap inlined: this is the hottest line of the library.
        result = _new(Tensor)
        result.data = output
        result.grad = result.name = result._hooks = None
        result.requires_grad = True
        result.grad_fn = ctx
        result._output_nr = result._version = 0
        result._changed_at = -1
        return result

    def _apply_several(self, raw, inputs, arrays, record):
        """apply's ending for a forward that returned a tuple of outputs."""
        outputs = tuple(_checked(type(self), _as_array(y), inputs) for y in raw)
        if not record:
            return tuple(_wrap(y, None, False) for y in outputs)
        self._sequence = _next_sequence()
        self.n_outputs = len(outputs)
        self.out_shape = tuple(y.shape for y in outputs)
        self.out_dtype = tuple(y.dtype for y in outputs)
        if _anomaly_hook is not None:
            _anomaly_hook(self, outputs)
        if self._saved:
            self._resolve_saved(inputs, arrays, raw, outputs)
        else:
            self._saved_sources = None
        return tuple(_wrap(y, self, True, i) for i, y in enumerate(outputs))

    def _resolve_saved(self, inputs, arrays, raw, outputs):
        """Remember which saved arrays are inputs or outputs, so Tensor-mode backward gets
        them with their history (what makes higher-order derivatives correct) and backward can
        tell when a saved input was changed in place."""
        sources = []
        for array in self._saved:
            if array is None:
                sources.append(None)
                continue
            for x, input_array in zip(inputs, arrays):
                if array is input_array:
                    sources.append(x)  # a Tensor, or an argument that was not one: a constant
                    break
            else:
                sources.append(_output_source(array, raw, outputs))
        # A tuple of constants and markers leaves the cyclic GC's tracking (W3: 383 B/node, not
        # 415 as a list); one with Tensors is no worse than the list.
        self._saved_sources = tuple(sources)

    def __repr__(self):
        return f"<{type(self).__name__}>"


class _Output:
    """Marks a saved array that is the node's own output number `index`."""

    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index


_SAVED_OUTPUT = (_Output(0),)  # the sources of a node that saved its one output


def _output_source(array, raw, outputs):
    """An _Output when `array` is an output as forward returned it (`raw`: a NumPy scalar for
    0-d results, before apply made it an array) or as stored; None for other constants."""
    raws, stored = (raw, outputs) if type(outputs) is tuple else ((raw,), (outputs,))
    for index, (returned, y) in enumerate(zip(raws, stored)):
        if array is y or array is returned:
            return _Output(index)
    return None


def _checked(cls, y, inputs):
    """Raise when an op would make a tensor of a dtype tensors do not hold (complex, object)."""
    if y.dtype.kind in "biuf":
        return y
    operands = ", ".join(
        f"Tensor {x.dtype} {x.shape}" if isinstance(x, Tensor) else type(x).__name__
        for x in inputs
    )
    raise TypeError(
        f"{cls.__name__}: the result would have dtype {y.dtype}, but tensors hold bool, integer "
        f"or floating-point numbers; check the operands ({operands})"
    )


def _as_array(y):
    # Reductions hand back NumPy scalars; a Tensor always holds an ndarray.
    return y if type(y) is backend.ndarray else backend.as_array(y)


# Bound by tensor.py once the class exists (tensor.py imports this module's users).
Tensor = None
_wrap = None

# In-place changes. A tensor changed in place records a fresh creation number in `_changed_at`;
# a node whose saved input changed after the node was made cannot run backward. The newest such
# number is kept here too, so that backward checks a node's inputs only when something changed
# in place after the node was made (most sweeps check nothing).
_last_change = -1


def mark_changed(tensor):
    """Bump `tensor`'s version: called by every in-place change."""
    global _last_change
    tensor._version += 1
    tensor._changed_at = _last_change = _next_sequence()


# Set by anomaly mode to record where each node was created; None keeps the hot path free.
_anomaly_hook = None


def set_anomaly_hook(hook):
    global _anomaly_hook
    _anomaly_hook = hook
