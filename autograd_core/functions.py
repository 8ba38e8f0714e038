"""The functions of `ag` (`ag.exp`, `ag.sum`, `ag.where`, ...): each op module's function, with
its data arguments made Tensors first.

An op function given only plain numbers and arrays just runs its forward and returns plain
arrays: that is what lets the built-in backward formulas run on arrays and on Tensors alike
(function.py). A user who writes `ag.exp(np.ones(3))` wants a Tensor, and a clear error for
`ag.exp(None)`, so these convert the data arguments as `ag.tensor` does; a list that holds
Tensors is stacked, keeping their history (`ag.mean([x, y])`). Every function with an `axis`
argument also takes PyTorch's `dim=` and `keepdim=` (`ops.common.accepts_dim`): a new op gets
both by being exported from `ops`.

>>> ag.exp(np.zeros(2))                       # tensor([1., 1.])
>>> ag.ops.exp(np.zeros(2))                   # array([1., 1.])
>>> ag.sum(ag.ones(2, 3), dim=1, keepdim=True).shape   # (2, 1)
"""

import builtins  # this module's namespace is ag's: its `any`, `max`, ... are ops
import functools

from . import ops
from .ops.common import accepts_dim
from .tensor import Tensor
from .tensor_base import TensorBase

# Which arguments are data (default: the first): positions, "sequence" for a list of them,
# "all" for every positional argument.
DATA_ARGUMENTS = {
    "where": (1, 2), "maximum": (0, 1), "minimum": (0, 1), "einsum": "operands",
    "cat": "sequence", "concatenate": "sequence", "stack": "sequence",
    "vstack": "sequence", "hstack": "sequence", "meshgrid": "all", "atleast_1d": "all",
    "atleast_2d": "all", "outer": (0, 1), "inner": (0, 1), "dot": (0, 1), "tensordot": (0, 1),
    "kron": (0, 1), "cross": (0, 1), "put_along_axis": (0, 2), "scatter_add": (0, 3),
    "scatter_reduce": (0, 3),
    # elementwise (ops/arithmetic.py, exponential.py, rounding.py, trig.py, predicates.py)
    "allclose": (0, 1), "arctan2": (0, 1), "copysign": (0, 1), "div": (0, 1),
    "floor_divide": (0, 1), "fmax": (0, 1), "fmin": (0, 1), "fmod": (0, 1), "hypot": (0, 1),
    "isclose": (0, 1), "left_shift": (0, 1), "lerp": (0, 1, 2), "logaddexp": (0, 1),
    "logical_and": (0, 1), "logical_or": (0, 1), "logical_xor": (0, 1), "mod": (0, 1),
    "right_shift": (0, 1),
}
_NUMBERS = (bool, int, float)


def _as_tensor(x, name, keep_numbers):
    """x as a Tensor; a Python number stays one beside a tensor or array, so that it does not
    widen it (ag.maximum(float32 tensor, 1.5) is float32, as the operator would give); a list
    holding Tensors is their stack, with its history."""
    if isinstance(x, TensorBase) or (keep_numbers and isinstance(x, _NUMBERS)):
        return x
    if isinstance(x, (list, tuple)) and ops.join.holds_tensor(x):
        return ops.join.stacked(x)
    try:
        return Tensor(x)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{name}: {error}") from None


def with_tensor_arguments(function, data=(0,)):
    """`function`, with its data arguments made Tensors (copies of plain arrays, as ag.tensor)."""
    name = function.__name__

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if data == "sequence":
            args = ([_as_tensor(x, name, False) for x in args[0]], *args[1:])
        elif data == "operands":
            args = (args[0], *[_as_tensor(x, name, False) for x in args[1:]])
        elif data == "all":
            args = tuple(_as_tensor(x, name, False) for x in args)
        else:
            keep = len(data) > 1 and builtins.any(not isinstance(x, _NUMBERS)
                                         for i, x in enumerate(args) if i in data)
            args = tuple(_as_tensor(x, name, keep) if i in data else x
                         for i, x in enumerate(args))
        return function(*args, **kwargs)

    return wrapper


NAMES = sorted(name for name in vars(ops) if not name.startswith("_")
               and callable(getattr(ops, name)) and not isinstance(getattr(ops, name), type)
               and getattr(ops, name).__module__.startswith("autograd_core.ops."))
globals().update({name: with_tensor_arguments(accepts_dim(getattr(ops, name)),
                                              DATA_ARGUMENTS.get(name, (0,)))
                  for name in NAMES})
