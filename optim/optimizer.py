"""The Optimizer base class: parameter groups, per-parameter state, stepping, saving and loading.

Subclasses supply two things: `_check_hyperparameters(options)`, which raises on a bad setting,
and `_update(parameter, grad, group, state)`, the one code path that holds the update rule.
"""

import copy
import numbers
from collections.abc import Iterable, Mapping

import numpy as np

import autograd_core as ag


class Optimizer:
    """Base class of every optimizer: holds parameter groups and per-parameter state.

    `params` is an iterable of tensors that require grad, or of dicts (parameter groups) with a
    "params" entry and their own hyper-parameters; a missing hyper-parameter comes from `defaults`.

    >>> optimizer = optim.SGD(model.parameters(), lr=0.1)
    >>> optimizer.zero_grad(); loss_fn(model(x), y).backward(); optimizer.step()
    """

    def __init__(self, params, defaults):
        self._check_hyperparameters(defaults)
        self.defaults = dict(defaults)
        self.param_groups = []
        # Tensors hash by identity (their == is elementwise), so they key this dict directly.
        self.state = {}
        if isinstance(params, ag.Tensor) or isinstance(params, Mapping):
            raise TypeError(
                "params must be an iterable of Tensors or of dicts (parameter groups), "
                f"got a single {type(params).__name__}"
            )
        if not isinstance(params, Iterable):
            raise TypeError(
                f"params must be an iterable of Tensors or of dicts, got {type(params).__name__}"
            )
        groups = list(params)
        if not groups:
            raise ValueError("params: the optimizer got an empty parameter list")
        if not isinstance(groups[0], Mapping):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group):
        """Add a group of parameters with its own hyper-parameters (missing ones from defaults).

        >>> optimizer.add_param_group({"params": head.parameters(), "lr": 1e-2})
        """
        if not isinstance(param_group, Mapping):
            raise TypeError(
                "params: a parameter group must be a dict with a 'params' entry, "
                f"got {type(param_group).__name__}"
            )
        if "params" not in param_group:
            raise ValueError("params: a parameter group must have a 'params' entry")
        parameters = param_group["params"]
        if isinstance(parameters, ag.Tensor):
            parameters = [parameters]
        elif isinstance(parameters, (set, frozenset)):
            raise TypeError("params: parameters must be an ordered sequence, not a set")
        parameters = list(parameters)
        self._check_parameters(parameters)

        group = {key: value for key, value in param_group.items() if key != "params"}
        for key, value in self.defaults.items():
            group.setdefault(key, value)
        self._check_hyperparameters(group)
        group["params"] = parameters
        self.param_groups.append(group)

    def _check_parameters(self, parameters):
        seen = {id(parameter) for group in self.param_groups for parameter in group["params"]}
        for position, parameter in enumerate(parameters):
            if not isinstance(parameter, ag.Tensor):
                raise TypeError(
                    f"params: element {position} is a {type(parameter).__name__}, "
                    "but the optimizer can only update Tensors"
                )
            if not parameter.requires_grad:
                raise ValueError(
                    f"params: element {position} does not require grad, so it has no "
                    "gradient to follow"
                )
            if id(parameter) in seen:
                raise ValueError(
                    f"params: element {position} appears more than once (in this group or "
                    "another); each parameter may belong to one group only"
                )
            seen.add(id(parameter))

    def zero_grad(self, set_to_none=True):
        """Clear the gradient of every parameter: set it to None, or zero it in place.

        >>> optimizer.zero_grad()                   # grads become None
        >>> optimizer.zero_grad(set_to_none=False)  # grads become arrays of zeros
        """
        for group in self.param_groups:
            for parameter in group["params"]:
                if parameter.grad is None:
                    continue
                if set_to_none:
                    parameter.grad = None
                    continue
                if parameter.grad.grad_fn is not None:
                    # A gradient made with create_graph=True carries history; drop it first.
                    parameter.grad = parameter.grad.detach()
                with ag.no_grad():
                    parameter.grad.zero_()

    def step(self, closure=None):
        """Update every parameter that has a gradient; return the closure's loss, if any.

        `closure` re-evaluates the model and returns the loss; it runs with grad mode on.
        Every gradient and hyper-parameter is checked before any parameter or state changes,
        so a step that raises leaves the optimizer and its parameters as they were.

        >>> loss.backward(); optimizer.step()
        >>> optimizer.step(lambda: compute_loss())
        """
        loss = None
        if closure is not None:
            with ag.enable_grad():
                loss = closure()
        with ag.no_grad():
            for parameter, grad, group in self._checked_gradients():
                state = self.state.setdefault(parameter, {})
                self._update(parameter, grad, group, state)
        return loss

    def _checked_gradients(self):
        """(parameter, gradient array in the parameter's dtype, group) for every parameter that
        has a gradient, after checking all of them; raises before anything is updated."""
        check_finite = ag.anomaly.is_anomaly_enabled()
        work = []
        for group_index, group in enumerate(self.param_groups):
            self._check_hyperparameters(group)
            for index, parameter in enumerate(group["params"]):
                grad = parameter.grad
                if grad is None:
                    continue
                problem = None
                if not isinstance(grad, ag.Tensor):
                    problem = TypeError, f"is a {type(grad).__name__}, not a Tensor"
                elif grad.data.dtype.kind not in "iuf":
                    problem = TypeError, f"has dtype {grad.data.dtype}; it must be numeric"
                elif grad.data.shape != parameter.shape:
                    problem = (
                        ValueError,
                        f"has shape {grad.data.shape}; it must have the parameter's shape",
                    )
                elif check_finite and not np.isfinite(grad.data).all():
                    problem = (
                        RuntimeError,
                        "holds NaN or Inf (raised because ag.detect_anomaly() is on)",
                    )
                if problem is not None:
                    error, message = problem
                    raise error(
                        f"{type(self).__name__}.step: the gradient of parameter {index} of group "
                        f"{group_index} (shape {tuple(parameter.shape)}) {message}"
                    )
                grad = grad.data
                if grad.dtype != parameter.dtype:
                    grad = grad.astype(parameter.dtype)
                work.append((parameter, grad, group))
        return work

    # The per-parameter state a subclass keeps, which load_state_dict checks saved states
    # against: arrays of the parameter's shape that every stepped parameter has, arrays it may
    # have, and non-negative integer counters (every stepped parameter has them).
    _state_arrays = ()
    _optional_state_arrays = ()
    _state_counters = ()

    def _update(self, parameter, grad, group, state):
        raise NotImplementedError(f"{type(self).__name__} must implement _update")

    def _check_hyperparameters(self, options):
        """Raise ValueError naming the first bad hyper-parameter in `options`; none by default."""

    def state_dict(self):
        """The optimizer's state as plain NumPy arrays and Python values, parameters by index.

        Layout: {"state": {index: {...}}, "param_groups": [{..., "params": [index, ...]}]}.

        >>> saved = optimizer.state_dict()
        >>> fresh_optimizer.load_state_dict(saved)
        """
        index_of = {}
        packed_groups = []
        for group in self.param_groups:
            packed = {key: copy.deepcopy(value) for key, value in group.items() if key != "params"}
            packed["params"] = [
                index_of.setdefault(id(parameter), len(index_of)) for parameter in group["params"]
            ]
            packed_groups.append(packed)
        packed_state = {
            index_of[id(parameter)]: {key: _copy_value(value) for key, value in state.items()}
            for parameter, state in self.state.items()
            if id(parameter) in index_of
        }
        return {"state": packed_state, "param_groups": packed_groups}

    def load_state_dict(self, state_dict):
        """Resume from `state_dict()`; check everything first, change nothing if it does not fit.

        Each saved group must list as many parameters as this optimizer's group and carry every
        hyper-parameter; each parameter's state may hold only the entries this optimizer keeps
        (arrays of the parameter's shape, non-negative integer counters such as "step").

        >>> optimizer.load_state_dict(saved)
        """
        if not isinstance(state_dict, Mapping) or not {"state", "param_groups"} <= set(state_dict):
            raise ValueError("state_dict must be a dict with 'state' and 'param_groups' entries")
        saved_groups = state_dict["param_groups"]
        if not isinstance(saved_groups, (list, tuple)):
            raise TypeError(
                "state_dict 'param_groups' must be a list of dicts, "
                f"got {type(saved_groups).__name__}"
            )
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(
                f"state_dict has {len(saved_groups)} parameter groups, "
                f"but this optimizer has {len(self.param_groups)}"
            )
        parameter_at = {}
        new_groups = []
        for position, (group, saved) in enumerate(zip(self.param_groups, saved_groups)):
            new_groups.append(self._load_group(position, group, saved, parameter_at))

        saved_state = state_dict["state"]
        if not isinstance(saved_state, Mapping):
            raise TypeError(f"state_dict 'state' must be a dict, got {type(saved_state).__name__}")
        new_state = {}
        for index, entries in saved_state.items():
            if not (_is_int(index) and index in parameter_at):
                raise ValueError(
                    f"state_dict state refers to parameter {index!r}, which no group lists"
                )
            parameter = parameter_at[index]
            new_state[parameter] = self._load_parameter_state(index, entries, parameter)

        for group, new_group in zip(self.param_groups, new_groups):
            group.clear()
            group.update(new_group)
        self.state = new_state

    def _load_group(self, position, group, saved, parameter_at):
        """The group to install from saved group `position`; records its parameter indices."""
        where = f"state_dict parameter group {position}"
        if not isinstance(saved, Mapping):
            raise TypeError(f"{where} must be a dict, got {type(saved).__name__}")
        missing = [key for key in ("params", *self.defaults) if key not in saved]
        if missing:
            raise ValueError(f"{where} lacks {', '.join(map(repr, missing))}")
        saved_indices = saved["params"]
        if not isinstance(saved_indices, (list, tuple)):
            raise TypeError(
                f"{where}: 'params' must be a list of parameter indices, "
                f"got {type(saved_indices).__name__}"
            )
        if len(saved_indices) != len(group["params"]):
            raise ValueError(
                f"{where} has {len(saved_indices)} parameters, "
                f"but this optimizer's group {position} has {len(group['params'])}"
            )
        for index, parameter in zip(saved_indices, group["params"]):
            if not _is_int(index):
                raise TypeError(f"{where}: parameter index {index!r} is not an int")
            if index in parameter_at:
                raise ValueError(f"{where}: parameter index {index} appears more than once")
            parameter_at[index] = parameter
        new_group = {key: copy.deepcopy(value) for key, value in saved.items() if key != "params"}
        self._check_hyperparameters(new_group)
        new_group["params"] = group["params"]
        return new_group

    def _load_parameter_state(self, index, entries, parameter):
        """A checked copy of the saved state of parameter `index`."""
        where = f"state_dict state of parameter {index}"
        if not isinstance(entries, Mapping):
            raise TypeError(f"{where} must be a dict, got {type(entries).__name__}")
        arrays = (*self._state_arrays, *self._optional_state_arrays)
        unknown = [key for key in entries if key not in arrays and key not in self._state_counters]
        if unknown:
            raise ValueError(
                f"{where} has unknown entries {', '.join(map(repr, unknown))}; "
                f"{type(self).__name__} keeps {', '.join(map(repr, arrays + self._state_counters))}"
            )
        # An empty state is a parameter that has not stepped yet; once it has, all are needed.
        required = (*self._state_counters, *self._state_arrays)
        missing = [key for key in required if key not in entries]
        if entries and missing:
            raise ValueError(f"{where} lacks {', '.join(map(repr, missing))}")
        loaded = {}
        for key, value in entries.items():
            if key in self._state_counters:
                if not _is_int(value):
                    raise TypeError(f"{where}: '{key}' must be an int, got {value!r}")
                if value < 0:
                    raise ValueError(f"{where}: '{key}' must be >= 0, got {value!r}")
                loaded[key] = int(value)
                continue
            if not isinstance(value, np.ndarray) or value.dtype.kind not in "iuf":
                described = value.dtype if isinstance(value, np.ndarray) else type(value).__name__
                raise TypeError(f"{where}: '{key}' must be a numeric NumPy array, got {described}")
            if value.shape != parameter.shape:
                raise ValueError(
                    f"{where}: '{key}' has shape {value.shape}, "
                    f"but the parameter has shape {tuple(parameter.shape)}"
                )
            loaded[key] = value.astype(parameter.dtype, copy=True)
        return loaded

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for position, group in enumerate(self.param_groups):
            options = ", ".join(f"{key}={value}" for key, value in group.items() if key != "params")
            lines.append(f"  group {position} ({len(group['params'])} parameters): {options}")
        lines.append(")")
        return "\n".join(lines)


def _copy_value(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    return copy.deepcopy(value)


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_number(name, value):
    """Raise TypeError naming `name` unless `value` is a real number (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"invalid {name}: {value!r} (must be a number)")


def check_non_negative(name, value):
    """Raise ValueError naming `name` unless `value` >= 0 (NaN fails too).

    >>> check_non_negative("lr", -0.1)   # ValueError: invalid lr: -0.1 (must be >= 0)
    """
    check_number(name, value)
    if not value >= 0:
        raise ValueError(f"invalid {name}: {value!r} (must be >= 0)")


def check_unit_interval(name, value):
    """Raise ValueError naming `name` unless 0 <= `value` < 1.

    >>> check_unit_interval("momentum", 1.0)   # ValueError: invalid momentum: 1.0 (...)
    """
    check_number(name, value)
    if not 0 <= value < 1:
        raise ValueError(f"invalid {name}: {value!r} (must be in [0, 1))")
