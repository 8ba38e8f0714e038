"""Module and Parameter: the containers that hold a network's weights and name them.

A Module registers every `Parameter`, sub-`Module` and buffer assigned to it as an attribute,
so `named_parameters()` and `state_dict()` can walk the tree and name each weight the way
PyTorch does (`0.weight`, `fc1.bias`, `encoder.layers.2.bias`).
"""

from collections import OrderedDict, namedtuple

import numpy as np

import autograd_core as ag


class Parameter(ag.Tensor):
    """A Tensor that a Module registers as a weight; it requires grad unless told otherwise.

    >>> w = nn.Parameter(np.zeros((3, 2)))
    >>> w.requires_grad, w.shape                 # (True, (3, 2))

    The data is copied (as `ag.Tensor` copies), and must be floating point.
    """

    __slots__ = ()

    def __init__(self, data, requires_grad=True):
        dtype = getattr(data, "dtype", None)
        if dtype is not None and not ag.dtypes.is_floating(dtype):
            raise TypeError(
                f"Parameter: the data must be floating point, got dtype {dtype} "
                "(convert it first, e.g. np.asarray(data, dtype=np.float64))"
            )
        super().__init__(data, requires_grad=True)  # Python numbers become floats
        self.requires_grad_(requires_grad)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()


# The result of load_state_dict, as in PyTorch.
IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


class Module:
    """Base class of every layer and network: subclass it, assign layers and Parameters in
    `__init__`, and write `forward`.

    >>> class TwoLayer(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.fc1, self.fc2 = nn.Linear(2, 8), nn.Linear(8, 1)
    ...     def forward(self, x):
    ...         return self.fc2(self.fc1(x).relu())
    >>> [name for name, _ in TwoLayer().named_parameters()]   # ['fc1.weight', 'fc1.bias', ...]
    """

    def __init__(self):
        # Straight into __dict__: our own __setattr__ reads these registries.
        self.__dict__.update(_parameters=OrderedDict(), _buffers=OrderedDict(),
                             _modules=OrderedDict(), _non_persistent=set(), training=True)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    # -- registration -----------------------------------------------------------------------
    def _registry(self):
        entries = self.__dict__
        try:
            return entries["_parameters"], entries["_buffers"], entries["_modules"]
        except KeyError:
            raise AttributeError(
                f"{type(self).__name__}: call super().__init__() at the start of __init__, "
                "before assigning parameters, buffers or submodules"
            ) from None

    def __setattr__(self, name, value):
        parameters, buffers, modules = self._registry()
        if isinstance(value, (Parameter, Module)):
            self._forget(name)
            self.__dict__.pop(name, None)  # a plain attribute of that name would shadow it
            (parameters if isinstance(value, Parameter) else modules)[name] = value
        elif name in parameters or name in modules:
            registry = parameters if name in parameters else modules
            if value is not None:
                kind, wanted = (("parameter", "nn.Parameter(...)") if registry is parameters
                                else ("submodule", "an nn.Module"))
                raise TypeError(
                    f"cannot assign a {type(value).__name__} to {kind} '{name}' of "
                    f"{type(self).__name__}: use {wanted} or None"
                )
            registry[name] = None
        elif name in buffers:
            buffers[name] = None if value is None else _as_buffer(value, name)
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name):
        # Only called when ordinary lookup fails: registered entries live in the dictionaries.
        for registry in ("_parameters", "_buffers", "_modules"):
            entries = self.__dict__.get(registry)
            if entries is not None and name in entries:
                return entries[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        if not self._forget(name):
            object.__delattr__(self, name)

    def _forget(self, name):
        """Remove `name` from every registry; True if it was registered there."""
        found = False
        for entries in self._registry():
            if name in entries:
                del entries[name]
                found = True
        self.__dict__["_non_persistent"].discard(name)
        return found

    def __dir__(self):
        parameters, buffers, modules = self._registry()
        return sorted(set(super().__dir__()) | set(parameters) | set(buffers) | set(modules))

    def register_parameter(self, name, parameter):
        """Register `parameter` (a Parameter or None) under `name`.

        >>> self.register_parameter("bias", None)     # a layer built with bias=False
        """
        if parameter is not None and not isinstance(parameter, Parameter):
            raise TypeError(
                f"register_parameter('{name}'): expected an nn.Parameter or None, "
                f"got {type(parameter).__name__}"
            )
        self._register(0, name, parameter)

    def register_buffer(self, name, array, persistent=True):
        """Register a tensor that is state but not a parameter (running statistics, counters).

        >>> self.register_buffer("running_mean", np.zeros(4))
        >>> self.running_mean                        # a Tensor without grad, in the state dict
        """
        self._register(1, name, None if array is None else _as_buffer(array, name))
        if not persistent:
            self.__dict__["_non_persistent"].add(name)

    def add_module(self, name, module):
        """Register `module` (a Module or None) under `name`; same as assigning an attribute.

        >>> net.add_module("head", nn.Linear(8, 2))
        """
        if module is not None and not isinstance(module, Module):
            raise TypeError(
                f"add_module('{name}'): expected an nn.Module, got {type(module).__name__}"
            )
        self._register(2, name, module)

    def _register(self, kind, name, value):
        """Put `value` into registry `kind` (0 parameters, 1 buffers, 2 modules)."""
        if not isinstance(name, str) or not name or "." in name:
            raise (ValueError if isinstance(name, str) else TypeError)(
                f"{type(self).__name__}: a parameter, buffer or module name must be a "
                f"non-empty str without '.', got {name!r}"
            )
        if name in self.__dict__:
            raise ValueError(f"{type(self).__name__}: attribute '{name}' already exists")
        self._forget(name)
        self._registry()[kind][name] = value

    # -- walking the tree -------------------------------------------------------------------
    def named_modules(self, prefix="", remove_duplicate=True):
        """(dotted name, module) for this module and all below it, depth first; the root is ''.

        >>> [name for name, _ in nn.Sequential(nn.Linear(2, 2), nn.ReLU()).named_modules()]
        ['', '0', '1']
        """
        seen = set()
        stack = [(prefix, self)]
        while stack:  # an explicit stack: no recursion limit on deep models
            name, module = stack.pop()
            if remove_duplicate:
                if id(module) in seen:
                    continue
                seen.add(id(module))
            yield name, module
            children = [(f"{name}.{key}" if name else key, child)
                        for key, child in module._modules.items() if child is not None]
            stack.extend(reversed(children))

    def modules(self):
        """This module and every module below it.  >>> len(list(net.modules()))"""
        return (module for _, module in self.named_modules())

    def named_children(self):
        """(name, module) for the direct submodules.  >>> dict(net.named_children())"""
        seen = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self):
        """The direct submodules.  >>> list(net.children())"""
        return (module for _, module in self.named_children())

    def _named_members(self, registry, prefix, recurse, remove_duplicate=True):
        seen = set()
        walk = self.named_modules(prefix) if recurse else [(prefix, self)]
        for module_name, module in walk:
            for name, value in getattr(module, registry).items():
                if value is None or (remove_duplicate and id(value) in seen):
                    continue
                seen.add(id(value))
                yield (f"{module_name}.{name}" if module_name else name), value

    def named_parameters(self, prefix="", recurse=True):
        """(dotted name, Parameter) pairs; a parameter shared by two modules appears once.

        >>> dict(nn.Linear(2, 3).named_parameters())["weight"].shape
        (3, 2)
        """
        return self._named_members("_parameters", prefix, recurse)

    def parameters(self, recurse=True):
        """Every Parameter once, in registration order (what an optimizer takes).

        >>> opt = optim.SGD(model.parameters(), lr=0.1)
        """
        return (parameter for _, parameter in self.named_parameters(recurse=recurse))

    def named_buffers(self, prefix="", recurse=True):
        """(dotted name, buffer Tensor) pairs.  >>> dict(nn.BatchNorm1d(3).named_buffers())"""
        return self._named_members("_buffers", prefix, recurse)

    def buffers(self, recurse=True):
        """Every buffer Tensor.  >>> list(nn.BatchNorm1d(3).buffers())"""
        return (buffer for _, buffer in self.named_buffers(recurse=recurse))

    def parameter_owners(self):
        """Map id(parameter) -> dotted path of the module that holds it ('' for the root).

        >>> owners = net.parameter_owners()
        >>> owners[id(net.fc1.weight)]               # 'fc1'

        Graph pictures (`ag.viz`) use it to cluster a network's parameters by layer. A shared
        parameter belongs to the first module that holds it, in `named_modules()` order.
        """
        owners = {}
        for module_name, module in self.named_modules():
            for parameter in module._parameters.values():
                if parameter is not None:
                    owners.setdefault(id(parameter), module_name)
        return owners

    def apply(self, fn):
        """Call `fn(module)` on every submodule, then on this one; returns self.

        >>> net.apply(lambda m: nn.init.zeros_(m.bias) if isinstance(m, nn.Linear) else None)
        """
        for module in reversed(list(self.modules())):
            fn(module)
        return self

    # -- modes and gradients ----------------------------------------------------------------
    def train(self, mode=True):
        """Put this module and all below it in training mode (or evaluation mode); returns self.

        >>> net.train(); net.training                # True
        """
        for module in self.modules():
            object.__setattr__(module, "training", bool(mode))
        return self

    def eval(self):
        """Evaluation mode: Dropout is the identity, BatchNorm uses its running statistics.

        >>> net.eval(); net.training                 # False
        """
        return self.train(False)

    def requires_grad_(self, flag=True):
        """Turn gradient recording on or off for every parameter (freezing); returns self.

        >>> net.fc1.requires_grad_(False)
        """
        for parameter in self.parameters():
            parameter.requires_grad_(flag)
        return self

    def zero_grad(self):
        """Forget every parameter's gradient (`.grad = None`).

        >>> net.zero_grad(); net.fc1.weight.grad is None   # True
        """
        for parameter in self.parameters():
            parameter.grad = None

    # -- state ------------------------------------------------------------------------------
    def _state_tensors(self):
        """name -> Tensor of every parameter and persistent buffer, in PyTorch's order
        (per module: its parameters, then its buffers). Shared tensors appear under every name."""
        entries = OrderedDict()
        for module_name, module in self.named_modules(remove_duplicate=False):
            dot = f"{module_name}." if module_name else ""
            for name, parameter in module._parameters.items():
                if parameter is not None:
                    entries[dot + name] = parameter
            for name, buffer in module._buffers.items():
                if buffer is not None and name not in module._non_persistent:
                    entries[dot + name] = buffer
        return entries

    def state_dict(self):
        """name -> np.ndarray copy of every parameter and buffer.

        >>> sd = nn.Linear(2, 3).state_dict()
        >>> sorted(sd), sd["weight"].shape           # (['bias', 'weight'], (3, 2))
        """
        return OrderedDict((name, t.data.copy()) for name, t in self._state_tensors().items())

    def load_state_dict(self, state, strict=True):
        """Copy arrays from `state` into the parameters and buffers, in place, keeping dtypes.

        >>> model.load_state_dict(nn.load("model.npz"))
        IncompatibleKeys(missing_keys=[], unexpected_keys=[])

        Everything is checked before anything changes. With strict=True, a missing or unexpected
        key raises ValueError naming all of them; with strict=False the matching keys load and
        the others are returned. A shape or dtype-kind mismatch is an error in both modes.
        """
        if not hasattr(state, "keys") or not hasattr(state, "__getitem__"):
            raise TypeError(
                f"load_state_dict: expected a mapping name -> array, got {type(state).__name__}"
            )
        targets = self._state_tensors()
        missing = [name for name in targets if name not in state]
        unexpected = [name for name in state if name not in targets]
        checked = {name: _check_value(name, state[name], target)
                   for name, target in targets.items() if name in state}
        problems = [problem for _, problem in checked.values() if problem]
        if strict:
            problems += [f"missing key '{name}' (shape {targets[name].shape})" for name in missing]
            problems += [
                f"unexpected key '{name}' (shape {np.shape(state[name])})" for name in unexpected
            ]
        if problems:
            raise ValueError(
                f"load_state_dict into {type(self).__name__} failed; nothing was changed:\n  "
                + "\n  ".join(problems)
            )
        with ag.no_grad():
            for name, (value, _) in checked.items():
                targets[name].copy_(value)
        return IncompatibleKeys(missing, unexpected)

    # -- printing ---------------------------------------------------------------------------
    def extra_repr(self):
        """The text inside the parentheses of this module's repr line (layers override it)."""
        return ""

    def _own_shapes(self):
        shapes = [f"{name}: {p.shape}" for name, p in self._parameters.items() if p is not None]
        return f"  [{', '.join(shapes)}]" if shapes else ""

    def __repr__(self):
        lines = [f"  ({name}): " + repr(module).replace("\n", "\n  ")
                 for name, module in self._modules.items()]
        body = "\n" + "\n".join(lines) + "\n" if lines else ""
        return f"{type(self).__name__}({self.extra_repr()}{body})" + self._own_shapes()


def _as_buffer(value, name):
    if isinstance(value, ag.Tensor):
        if value.requires_grad:
            raise TypeError(f"buffer '{name}' requires grad; register it as an nn.Parameter")
        return value
    return ag.Tensor(np.asarray(value))


def _check_value(name, value, target):
    """(array, problem or None) for one entry of a state dict about to be loaded."""
    array = value.data if isinstance(value, ag.Tensor) else np.asarray(value)
    if not ag.dtypes.is_numeric(array.dtype):
        return array, f"'{name}': values of dtype {array.dtype} cannot be loaded"
    if array.shape != target.shape:
        return array, (
            f"'{name}': shape {array.shape} in the state dict, {target.shape} in the model"
        )
    if not ag.dtypes.same_kind(array.dtype, target.dtype):
        return array, (
            f"'{name}': dtype {array.dtype} in the state dict, {target.dtype} in the model "
            "(a different kind of number)"
        )
    return array, None
