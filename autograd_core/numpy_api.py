"""NumPy functions on Tensors: `np.exp(t)`, `array * t`, `np.sum(t, axis=0)`,
`np.concatenate([t, u])`, ... run the `ag` op of the same name, recorded in the graph.

Tensor implements NumPy's two dispatch protocols with the functions below, so code written for
NumPy (or for HIPS autograd's `autograd.numpy`) runs on Tensors as it is, and the engine's own
backward formulas, written with NumPy functions, are differentiable again under create_graph.
A NumPy function with no differentiable version raises TypeError naming it: nothing ever
returns a plain array with the history dropped. `np.asarray(t)` and `t.numpy()` are the
explicit ways out of the graph.

How a call is routed (the tables are in numpy_routes.py: add a line there when you add an op):
- a ufunc call (`np.exp(t)`, `array * t`, `np.float64(2) * t`) runs its op in `UFUNCS`;
  `np.add.reduce(t)` and `np.maximum.reduce(t)` run the reduction `UFUNC_REDUCTIONS` names, and
  `np.subtract.outer(x, y)` the op on x with new axes against y. A ufunc in
  `NO_GRADIENT_UFUNCS` (comparisons, predicates) runs on the arrays: a Tensor without history.
- a NumPy function runs its ag function in `FUNCTIONS`, its arguments matched by name (ag uses
  NumPy's names; NumPy's leading data arguments `a`, `arrays`, ... are ag's `x`, `tensors`, ...,
  and `ARGUMENT_NAMES` lists the other differences; NumPy's `**kwargs` are the ag function's
  own keywords, np.pad's constant_values). An argument ag does not have raises TypeError unless
  it has NumPy's default value; one left out means NumPy's default where ag's differs
  (np.linalg.svd(t) is full_matrices=True). Several results come back as NumPy gives them (a
  list, a tuple, np.linalg's named tuples). A function in `NO_GRADIENT_FUNCTIONS` (np.shape,
  np.argmax, np.zeros_like, ...) runs on the arrays; array results come back as Tensors.
- `out=` a plain array gets the values, without history (`p.data += -lr * p.grad`); `out=` a
  Tensor is an in-place change of it, recorded as `t.copy_(result)` is.

>>> np.sum(np.exp(t), axis=0)                   # tensor(..., grad_fn=<Sum>)
>>> np.asarray(t)                               # the array: out of the graph on purpose
"""

import inspect

import numpy as np

from . import ops
from .inplace import copy_
from .numpy_routes import (
    ALTERNATIVES,
    ARGUMENT_NAMES,
    FUNCTIONS,
    IGNORED_ARGUMENTS,
    NO_GRADIENT_FUNCTIONS,
    NO_GRADIENT_UFUNCS,
    UFUNC_ACCUMULATIONS,
    UFUNC_REDUCTIONS,
    UFUNCS,
)
from .tensor_base import TensorBase, array_of, make

# Options of a ufunc call that change nothing when they have these values.
_UFUNC_DEFAULTS = {"casting": "same_kind", "order": "K", "dtype": None, "subok": True,
                   "where": True, "signature": None}
_REDUCE_DEFAULTS = {"dtype": None, "initial": np._NoValue, "where": True}


# -- ufuncs -------------------------------------------------------------------------------------
def array_ufunc(tensor, ufunc, method, *inputs, out=None, **kwargs):
    """Tensor.__array_ufunc__: run a ufunc (or one of its methods) as its ag op."""
    if method == "__call__" and not kwargs:  # the common case: array * t, np.exp(t)
        op = UFUNCS.get(ufunc)
        if op is not None and out is None:
            return op(*inputs)
    compute = _ufunc_method(ufunc, method, kwargs)
    if out is None:
        return _as_tensors(tensor, compute(*inputs))
    if len(out) != 1:
        raise TypeError(f"np.{ufunc.__name__}: out= must be one array or Tensor")
    return _store(compute, inputs, out[0])


def _ufunc_method(ufunc, method, kwargs):
    """The function that computes `ufunc.method(*inputs, **kwargs)` on Tensors, or TypeError."""
    name = f"np.{ufunc.__name__}" + ("" if method == "__call__" else f".{method}")
    if ufunc in NO_GRADIENT_UFUNCS and method != "at":
        call = getattr(ufunc, method)
        return lambda *xs: call(*[array_of(x) for x in xs], **kwargs)
    op = UFUNCS.get(ufunc)
    if op is not None and method in ("__call__", "outer"):
        _refuse_options(name, kwargs, _UFUNC_DEFAULTS)
        return op if method == "__call__" else _outer(op)
    table = {"reduce": UFUNC_REDUCTIONS, "accumulate": UFUNC_ACCUMULATIONS}.get(method, {})
    reduction = getattr(ops, table.get(ufunc, ""), None)  # by name: each works once its op exists
    if reduction is not None:
        return _reduction(name, reduction, method, kwargs)
    raise TypeError(_no_version(name, f"{ufunc.__name__}.{method}" if method != "__call__"
                                else ufunc.__name__))


def _outer(op):
    """ufunc.outer(a, b) = ufunc(a with b.ndim new trailing axes, b)."""
    def outer(a, b):
        shape = np.shape(array_of(a)) + (1,) * np.ndim(array_of(b))
        return op(ops.reshape(a, shape), b)
    return outer


def _reduction(name, op, method, kwargs):
    """np.add.reduce(x, axis=0, keepdims=False) as ag.sum(x, axis, keepdims), and the like."""
    options = dict(kwargs)
    axis = options.pop("axis", 0)  # NumPy's default for ufunc methods: the first axis
    keepdims = options.pop("keepdims", False)
    _refuse_options(name, options, _REDUCE_DEFAULTS)
    if method == "accumulate":
        return lambda x: op(x, axis=axis)
    return lambda x: op(x, axis=axis, keepdims=keepdims)


def _refuse_options(name, options, defaults):
    for option, value in options.items():
        if option not in defaults or not _is_default(value, defaults[option]):
            raise TypeError(f"{name}: the option {option}={value!r} has no differentiable "
                            "version for Tensors")


# -- NumPy functions ----------------------------------------------------------------------------
def array_function(tensor, function, types, args, kwargs):
    """Tensor.__array_function__: run a NumPy function as its ag function."""
    for kind in types:
        if not issubclass(kind, _KNOWN):
            return NotImplemented  # another library's array is involved: let it decide
    route = _ROUTES.get(function)
    if route is None:
        route = _ROUTES[function] = _Route(function)
    positional, keywords, out = route.arguments(args, kwargs)
    target = route.target
    if out is None:
        return _as_tensors(tensor, target(*positional, **keywords))
    return _store(lambda *xs: target(*xs, **keywords), positional, out)


class _Route:
    """How one NumPy function runs on Tensors: its ag function, and how the arguments of a
    call map onto that function's, worked out once from the two signatures."""

    __slots__ = ("name", "target", "passed_on", "by_position", "names", "defaults", "ignored",
                 "direct", "same_names", "numpy_defaults")

    def __init__(self, function):
        self.name = _numpy_name(function)
        if function in FUNCTIONS:
            self.target = FUNCTIONS[function]
        elif function in NO_GRADIENT_FUNCTIONS:
            self.target = _on_arrays(function)
        else:
            raise TypeError(_no_version(self.name, self.name[3:]))
        self.ignored = IGNORED_ARGUMENTS.get(function, ())
        self.passed_on = True  # no-gradient functions take NumPy's own arguments
        if function in FUNCTIONS:
            try:
                parameters = list(inspect.signature(function).parameters.values())
            except (TypeError, ValueError):  # NumPy 1.x: some C functions have none
                return
            self.passed_on = False
            self.by_position = [p.name for p in parameters if p.kind in _POSITIONAL]
            self.defaults = {p.name: p.default for p in parameters}
            self.names = _matched_names(parameters, self.target, ARGUMENT_NAMES.get(function, {}))
            self.numpy_defaults = _numpy_defaults(parameters, self.target, self.names)
            # A call whose arguments the target takes as they are skips the mapping (-2 us);
            # not where NumPy's defaults must be passed (none is then direct).
            self.same_names = {n for n, t in self.names.items() if n == t and n != "out"}
            target_order = list(inspect.signature(self.target).parameters)
            self.direct = -1 if self.numpy_defaults else 0
            while (0 <= self.direct < min(len(self.by_position), len(target_order)) and
                   self.names.get(self.by_position[self.direct]) == target_order[self.direct]):
                self.direct += 1

    def arguments(self, args, kwargs):
        """(positional, keywords, out) for the ag function, from a call of the NumPy one.
        NumPy's dispatcher has checked the call against NumPy's signature already, so the
        positional arguments are its parameters in order, then its star argument's."""
        if self.passed_on:
            kwargs = dict(kwargs)
            return args, kwargs, kwargs.pop("out", None)
        if len(args) <= self.direct and self.same_names.issuperset(kwargs):
            return args, kwargs, None
        positional, keywords, out = list(args[len(self.by_position):]), {}, None
        for name, value in (*zip(self.by_position, args), *kwargs.items()):
            target = self.names.get(name)
            if name == "out":
                out = value
            elif target is not None and target in keywords:
                raise TypeError(f"{self.name}: {name}= repeats an argument given already")
            elif target is not None:
                keywords[target] = value
            elif name not in self.ignored and not _is_default(value, self.defaults.get(name)):
                raise TypeError(f"{self.name}: the argument {name}={value!r} has no "
                                "differentiable version for Tensors")
        for target, value in self.numpy_defaults.items():
            keywords.setdefault(target, value)
        return positional, keywords, out


def _matched_names(numpy_parameters, target, renames):
    """NumPy's parameter name -> the target's (a star argument is passed on by position).
    Names that both have match; where NumPy's name differs (`a` for `x`), the parameters in the
    same position pair up when neither name appears in the other signature."""
    target_parameters = inspect.signature(target).parameters
    numpy_names = {p.name for p in numpy_parameters}
    named_otherwise = {i: name for i, (name, p) in enumerate(target_parameters.items())
                       if name not in numpy_names and name not in renames.values()
                       and p.kind is p.POSITIONAL_OR_KEYWORD}
    names = {}
    for position, parameter in enumerate(numpy_parameters):
        name = parameter.name
        if name in renames or name in target_parameters:
            names[name] = renames.get(name, name)
        elif parameter.kind in _POSITIONAL and position in named_otherwise:
            names[name] = named_otherwise[position]
        elif parameter.kind is parameter.VAR_KEYWORD:  # np.pad(a, w, **kwargs): by name
            names.update({t: t for t, p in target_parameters.items() if p.kind in _BY_NAME
                          and t not in names.values() and t not in numpy_names})
    return names


def _numpy_defaults(numpy_parameters, target, names):
    """The target's argument -> NumPy's default, where the two defaults differ: a call that
    leaves the argument out means NumPy's default (np.linalg.svd(t) is full_matrices=True,
    ag.linalg.svd(t) is not). np._NoValue (NumPy's "not given") is no default."""
    target_parameters = inspect.signature(target).parameters
    result = {}
    for parameter in numpy_parameters:
        default = parameter.default
        if parameter.name not in names or default is parameter.empty or default is np._NoValue:
            continue
        target_name = names[parameter.name]
        if not _is_default(default, target_parameters[target_name].default):
            result[target_name] = default
    return result


_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
_BY_NAME = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)


def _on_arrays(function):
    """`function` run on the arrays behind its Tensor arguments (also inside lists)."""
    return lambda *args, **kwargs: function(*[_arrays(x) for x in args],
                                            **{k: _arrays(v) for k, v in kwargs.items()})


def _arrays(x):
    if isinstance(x, (list, tuple)):
        return type(x)(_arrays(item) for item in x)
    return array_of(x)


# -- results ------------------------------------------------------------------------------------
def _as_tensors(tensor, result):
    """A result as Tensors: an array (or NumPy scalar) that no Tensor input reached becomes one
    without history (it has none); Tensors, Python numbers and shapes stay as they are."""
    if isinstance(result, np.ndarray) or isinstance(result, np.generic) and \
            result.dtype.kind in "biuf":
        return make(tensor._result_class, np.asarray(result))
    if isinstance(result, (list, tuple)):
        items = [_as_tensors(tensor, item) for item in result]
        # a named tuple (np.linalg.qr's Q, R) takes its fields one by one
        return type(result)(*items) if hasattr(result, "_fields") else type(result)(items)
    return result


def _store(compute, inputs, out):
    """An `out=` argument: a plain array gets the values (no history); a Tensor is changed in
    place, recorded as `copy_` (the op reads a clone of it, so that what it saved is not the
    memory the change overwrites). `p.data += -lr * p.grad` is the first case."""
    if isinstance(out, TensorBase):
        inputs = [ops.clone(x) if x is out else x for x in inputs]
        return copy_(out, compute(*inputs))
    if isinstance(out, np.ndarray):
        np.copyto(out, array_of(compute(*inputs)), casting="same_kind")
        return out
    raise TypeError(f"out= must be an array or a Tensor, got {type(out).__name__}")


# -- names and messages -------------------------------------------------------------------------
_ROUTES = {}  # NumPy function -> its _Route, made on first use
_KNOWN = (TensorBase, np.ndarray)


def _numpy_name(function):
    """np.sum, np.linalg.inv, ...: the name a user wrote."""
    module = getattr(function, "__module__", None) or "numpy"
    prefix = "np" + module[len("numpy"):] if module.startswith("numpy") else module
    return f"{prefix}.{function.__name__}"


def _no_version(name, key):
    hint = ALTERNATIVES.get(key)
    return (f"{name} has no differentiable version for Tensors" +
            (f"; use {hint}" if hint else "") +
            ". np.asarray(t) or t.numpy() leave the graph on purpose.")


def _is_default(value, default):
    if value is default:
        return True
    try:
        return type(value) is type(default) and bool(value == default)
    except (TypeError, ValueError):
        return False
