"""Anomaly mode: find the op whose backward first produced NaN or Inf, and where it was made."""

import functools
import os
import threading
import traceback

import numpy as np

from . import dtypes, engine, function
from .tensor import Tensor

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_lock = threading.Lock()
_depth = [0]  # nested detect_anomaly blocks (process-wide, as in PyTorch)


class _ForwardChecks(threading.local):
    stack = ()  # check_forward flags of this thread's open blocks


_forward_checks = _ForwardChecks()


def is_anomaly_enabled():
    """True inside `ag.detect_anomaly()`.

    >>> with ag.detect_anomaly(): ag.anomaly.is_anomaly_enabled()
    True
    """
    return _depth[0] > 0


class detect_anomaly:  # noqa: N801  (used like a function, as torch.autograd.detect_anomaly)
    """Context manager and decorator: a backward step that produces NaN or Inf raises
    RuntimeError naming the op, the input it was computing, and the line that created the op.

    >>> with ag.detect_anomaly():
    ...     ag.sqrt(ag.zeros(1, requires_grad=True)).sum().backward()   # RuntimeError: Sqrt ...

    Creation stacks are recorded only inside this block, so ordinary runs pay nothing. With
    `check_forward=True` forward outputs are checked too.
    """

    def __init__(self, check_forward=False):
        self.check_forward = check_forward
        self._previous_hook = None

    def __enter__(self):
        with _lock:
            _depth[0] += 1
            function.set_anomaly_hook(_record_creation)
        _forward_checks.stack = _forward_checks.stack + (self.check_forward,)
        self._previous_hook = engine.set_step_hook(_check_step)
        return self

    def __exit__(self, *exc_info):
        engine.set_step_hook(self._previous_hook)
        _forward_checks.stack = _forward_checks.stack[:-1]
        with _lock:
            _depth[0] -= 1
            if _depth[0] == 0:
                function.set_anomaly_hook(None)
        return False

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with detect_anomaly(self.check_forward):
                return func(*args, **kwargs)

        return wrapper


def _record_creation(node, outputs):
    """Called by Function.apply for every recorded op while anomaly mode is on."""
    # The innermost frames outside this package are the user's lines that made the op.
    node._created_at = [
        frame for frame in traceback.extract_stack()[:-2]
        if not frame.filename.startswith(_PACKAGE_DIR)
    ][-4:]
    stack = _forward_checks.stack
    if stack and stack[-1]:
        _check_forward_output(node, outputs)


def _where(node):
    if not node._created_at:
        return "  (creation site unknown: the op was made outside detect_anomaly)"
    return "".join(traceback.format_list(node._created_at)).rstrip()


def _check_step(node, grad_outputs, grad_inputs):
    for position, g in enumerate(grad_inputs):
        if g is None:
            continue
        values = g.data if isinstance(g, Tensor) else np.asarray(g)
        if dtypes.is_floating(values.dtype) and not np.isfinite(values).all():
            kind = "NaN" if np.isnan(values).any() else "Inf"
            raise RuntimeError(
                f"detect_anomaly: {node.name}.backward produced {kind} in the gradient for "
                f"its input {position} (shape {values.shape}). The {node.name} op was "
                f"created at:\n{_where(node)}"
            )


def _check_forward_output(node, outputs):
    for y in outputs if isinstance(outputs, tuple) else (outputs,):
        if dtypes.is_floating(y.dtype) and not np.isfinite(y).all():
            kind = "NaN" if np.isnan(y).any() else "Inf"
            raise RuntimeError(
                f"detect_anomaly(check_forward=True): {node.name} produced {kind} in its forward "
                f"output (shape {y.shape}), created at:\n{_where(node)}"
            )
