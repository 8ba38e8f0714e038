"""Grad modes: whether operations record a graph, tracked per thread."""

import functools
import threading


class _State(threading.local):
    # A class default is read without raising AttributeError in a new thread, which makes this
    # lookup ~10x cheaper than getattr(local, "enabled", True); every op reads it.
    enabled = True


_state = _State()


def is_grad_enabled():
    """True when operations on tensors that require grad are recorded into a graph.

    >>> ag.is_grad_enabled()
    True
    """
    return _state.enabled


def set_grad_enabled(flag):
    """Turn graph recording on or off for the current thread; usable as a context manager.

    >>> with ag.set_grad_enabled(False):
    ...     y = x * 2          # no graph recorded
    """
    return _GradMode(bool(flag), _apply_now=True)


class _GradMode:
    """Context manager and decorator that sets grad mode and restores it in `finally`."""

    __slots__ = ("enabled", "_previous", "_applied")

    def __init__(self, enabled, _apply_now=False):
        self.enabled = enabled
        self._previous = []
        self._applied = _apply_now
        if _apply_now:
            # set_grad_enabled(False) also works as a plain call, as in PyTorch.
            self._previous.append(is_grad_enabled())
            _state.enabled = enabled

    def __enter__(self):
        if self._applied:
            self._applied = False
        else:
            self._previous.append(is_grad_enabled())
            _state.enabled = self.enabled
        return self

    def __exit__(self, *exc_info):
        _state.enabled = self._previous.pop()
        return False

    def __call__(self, func):
        enabled = self.enabled

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with _GradMode(enabled):
                return func(*args, **kwargs)

        return wrapper


def no_grad():
    """Context manager and decorator under which no graph is recorded.

    >>> with ag.no_grad():
    ...     w -= 0.1 * w.grad
    """
    return _GradMode(False)


def enable_grad():
    """Context manager and decorator that turns recording back on (inside `no_grad`).

    >>> with ag.no_grad(), ag.enable_grad():
    ...     y = x * 2          # recorded
    """
    return _GradMode(True)
