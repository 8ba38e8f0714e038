"""Learning-rate schedules: set each group's lr from a closed form in the epoch count.

Every schedule computes lr_t = f(base_lr, t) afresh at each step rather than multiplying the
previous lr, so long runs do not drift. As in PyTorch, constructing a schedule records each
group's starting lr as "initial_lr" and applies the schedule at t = 0.
"""

import math
import numbers
from collections.abc import Mapping
from functools import partial

from .optimizer import Optimizer


def _is_finite(number):
    try:
        return math.isfinite(number)
    except OverflowError:  # an int too large for a float
        return False


def _check_last_epoch(last_epoch):
    if isinstance(last_epoch, bool) or not isinstance(last_epoch, numbers.Integral):
        raise TypeError(f"invalid last_epoch: {last_epoch!r} (must be an int)")
    if last_epoch < -1:
        raise ValueError(f"invalid last_epoch: {last_epoch!r} (must be >= -1)")


def _check_finite_non_negative(name, value):
    """Raise unless `value` is a finite number >= 0 (a learning rate, eta_min)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"invalid {name}: {value!r} (must be a number >= 0)")
    if not (_is_finite(value) and value >= 0):
        raise ValueError(f"invalid {name}: {value!r} (must be a finite number >= 0)")


def _check_step_size(step_size):
    if isinstance(step_size, bool) or not isinstance(step_size, numbers.Integral):
        raise TypeError(f"invalid step_size: {step_size!r} (must be a positive int)")
    if step_size <= 0:
        raise ValueError(f"invalid step_size: {step_size!r} (must be a positive int)")


def _check_gamma(gamma):
    if isinstance(gamma, bool) or not isinstance(gamma, numbers.Real):
        raise TypeError(f"invalid gamma: {gamma!r} (must be a positive number)")
    if not (gamma > 0 and _is_finite(gamma)):
        raise ValueError(f"invalid gamma: {gamma!r} (must be a finite number > 0)")


def _check_T_max(T_max):
    if isinstance(T_max, bool) or not isinstance(T_max, numbers.Real):
        raise TypeError(f"invalid T_max: {T_max!r} (must be a positive number)")
    if not T_max > 0:
        raise ValueError(f"invalid T_max: {T_max!r} (must be > 0)")


class LRScheduler:
    """Base class: holds the optimizer, the base learning rates and the epoch counter.

    Subclasses implement `get_lr()`, the list of learning rates at epoch `self.last_epoch`.

    >>> scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=10)
    >>> for epoch in range(30): train_one_epoch(); scheduler.step()
    """

    # Attributes that state_dict() leaves out (functions cannot be saved as plain data).
    _not_saved = frozenset()
    # Checks of the schedule's own options (attribute name -> check), run by load_state_dict.
    _option_checks = {}

    def __init__(self, optimizer, last_epoch=-1):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"optimizer: expected an optim.Optimizer, got {type(optimizer).__name__}"
            )
        _check_last_epoch(last_epoch)
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for position, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise ValueError(
                        f"last_epoch={last_epoch} resumes a schedule, but param_groups[{position}] "
                        "has no 'initial_lr'; start with last_epoch=-1"
                    )
        self.optimizer = optimizer
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = int(last_epoch)
        self.step()

    def get_lr(self):
        """The learning rate of every group at epoch `self.last_epoch`."""
        raise NotImplementedError(f"{type(self).__name__} must implement get_lr")

    def step(self):
        """Advance one epoch and write the new learning rates into the optimizer's groups.

        The new rates are computed and checked first: if one cannot be computed (it overflows)
        or is not a finite number >= 0, step raises ValueError and changes nothing.

        >>> optimizer.step(); scheduler.step()
        """
        epoch = self.last_epoch + 1
        learning_rates = self._learning_rates_at(epoch)
        self.last_epoch = epoch
        for group, lr in zip(self.optimizer.param_groups, learning_rates):
            group["lr"] = lr
        self._last_lr = list(learning_rates)

    def _learning_rates_at(self, epoch):
        """`get_lr()` at `epoch`, checked; the scheduler is left at its current epoch."""
        where = f"{type(self).__name__}.step"
        current = self.last_epoch
        # get_lr() reads the epoch from self.last_epoch, as PyTorch's schedulers do.
        self.last_epoch = epoch
        try:
            learning_rates = list(self.get_lr())
        except ArithmeticError as error:  # gamma ** epoch overflows, for one
            raise ValueError(
                f"{where}: computing the learning rate at epoch {epoch} failed with "
                f"{type(error).__name__}; a learning rate must be a finite number >= 0"
            ) from error
        finally:
            self.last_epoch = current
        group_count = len(self.optimizer.param_groups)
        if len(learning_rates) != group_count:
            raise ValueError(
                f"{where}: got {len(learning_rates)} learning rates at epoch {epoch} "
                f"for {group_count} parameter groups"
            )
        for position, lr in enumerate(learning_rates):
            if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
                raise TypeError(
                    f"{where}: the learning rate of group {position} at epoch {epoch} is "
                    f"{lr!r}, not a number"
                )
            if not (_is_finite(lr) and lr >= 0):
                raise ValueError(
                    f"{where}: the learning rate of group {position} at epoch {epoch} would be "
                    f"{lr!r}; a learning rate must be a finite number >= 0"
                )
        return learning_rates

    def get_last_lr(self):
        """The learning rates the last `step()` set, one per group.

        >>> scheduler.get_last_lr()
        [0.1]
        """
        return list(self._last_lr)

    def state_dict(self):
        """Everything but the optimizer (and any functions), to resume the schedule.

        >>> saved = scheduler.state_dict(); fresh_scheduler.load_state_dict(saved)
        """
        skipped = {"optimizer"} | self._not_saved
        return {key: _copy(value) for key, value in self.__dict__.items() if key not in skipped}

    def load_state_dict(self, state_dict):
        """Restore the schedule's counters from `state_dict()` (all of it, or some entries).

        Every entry is checked as the constructor checks it before any is set; a bad one raises
        TypeError or ValueError naming it and changes nothing.

        >>> scheduler.load_state_dict(saved)
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(
                f"state_dict must be a dict (from state_dict()), got {type(state_dict).__name__}"
            )
        known = self.state_dict()
        for key, value in state_dict.items():
            if key not in known:
                raise ValueError(
                    f"state_dict entry {key!r} is not part of a {type(self).__name__}'s state "
                    f"(expected some of {', '.join(map(repr, known))})"
                )
            self._check_entry(key, value)
        self.__dict__.update({key: _copy(value) for key, value in state_dict.items()})

    def _check_entry(self, key, value):
        if key == "last_epoch":
            _check_last_epoch(value)
        elif key in ("base_lrs", "_last_lr"):
            group_count = len(self.optimizer.param_groups)
            if not isinstance(value, (list, tuple)) or len(value) != group_count:
                raise ValueError(
                    f"invalid {key}: {value!r} (must be a list of {group_count} learning rates)"
                )
            for lr in value:
                _check_finite_non_negative(key, lr)
        elif key in self._option_checks:
            self._option_checks[key](value)


class StepLR(LRScheduler):
    """Multiply the learning rate by `gamma` every `step_size` epochs.

    lr_t = base_lr * gamma ** (t // step_size)

    >>> scheduler = StepLR(optimizer, step_size=30, gamma=0.1)
    >>> scheduler.step()
    """

    _option_checks = {"step_size": _check_step_size, "gamma": _check_gamma}

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        _check_step_size(step_size)
        _check_gamma(gamma)
        self.step_size = int(step_size)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        factor = self.gamma ** (self.last_epoch // self.step_size)
        return [base_lr * factor for base_lr in self.base_lrs]


class ExponentialLR(LRScheduler):
    """Multiply the learning rate by `gamma` every epoch.

    lr_t = base_lr * gamma ** t

    A gamma > 1 grows the rate until it overflows a float; the step that would reach that
    point raises ValueError naming the epoch instead, and leaves the schedule where it was.

    >>> scheduler = ExponentialLR(optimizer, gamma=0.95)
    >>> scheduler.step()
    """

    _option_checks = {"gamma": _check_gamma}

    def __init__(self, optimizer, gamma, last_epoch=-1):
        _check_gamma(gamma)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [base_lr * self.gamma**self.last_epoch for base_lr in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    """Anneal the learning rate from base_lr to `eta_min` along half a cosine over `T_max` epochs.

    lr_t = eta_min + (base_lr - eta_min) * (1 + cos(pi * t / T_max)) / 2

    >>> scheduler = CosineAnnealingLR(optimizer, T_max=100)
    >>> scheduler.step()
    """

    _option_checks = {
        "T_max": _check_T_max,
        "eta_min": partial(_check_finite_non_negative, "eta_min"),
    }

    def __init__(self, optimizer, T_max, eta_min=0, last_epoch=-1):
        _check_T_max(T_max)
        _check_finite_non_negative("eta_min", eta_min)
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        cosine = (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
        return [self.eta_min + (base_lr - self.eta_min) * cosine for base_lr in self.base_lrs]


class LambdaLR(LRScheduler):
    """Scale each group's base learning rate by a function of the epoch.

    lr_t = base_lr * lr_lambda(t); `lr_lambda` is one function, or a list with one per group.
    The functions are not saved by `state_dict()`.

    >>> scheduler = LambdaLR(optimizer, lr_lambda=lambda epoch: 0.95 ** epoch)
    >>> scheduler.step()
    """

    _not_saved = frozenset({"lr_lambdas"})

    def __init__(self, optimizer, lr_lambda, last_epoch=-1):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"optimizer: expected an optim.Optimizer, got {type(optimizer).__name__}"
            )
        group_count = len(optimizer.param_groups)
        if isinstance(lr_lambda, (list, tuple)):
            if len(lr_lambda) != group_count:
                raise ValueError(
                    f"invalid lr_lambda: got {len(lr_lambda)} functions for {group_count} "
                    "parameter groups"
                )
            functions = list(lr_lambda)
        else:
            functions = [lr_lambda] * group_count
        for function in functions:
            if not callable(function):
                raise TypeError(f"invalid lr_lambda: {function!r} is not callable")
        self.lr_lambdas = functions
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [
            base_lr * function(self.last_epoch)
            for base_lr, function in zip(self.base_lrs, self.lr_lambdas)
        ]


def _copy(value):
    return list(value) if isinstance(value, list) else value
