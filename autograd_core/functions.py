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

import functools

from . import ops
from .ops.common import accepts_dim
from .tensor import Tensor
from .tensor_base import TensorBase

# Which arguments are data (default: the first): positions, or "sequence" for a list of them.
DATA_ARGUMENTS = {
    "where": (1, 2), "maximum": (0, 1), "minimum": (0, 1), "einsum": "operands",
    "cat": "sequence", "concatenate": "sequence", "stack": "sequence",
}


def _as_tensor(x):
    if isinstance(x, TensorBase):
        return x
    if isinstance(x, (list, tuple)) and _holds_tensor(x):  # ag.mean([x, y]): keep the history
        return ops.stack([_as_tensor(item) for item in x])
    return Tensor(x)


def _holds_tensor(items):
    return any(isinstance(item, TensorBase) or
               (isinstance(item, (list, tuple)) and _holds_tensor(item)) for item in items)


def with_tensor_arguments(function, data=(0,)):
    """`function`, with its data arguments made Tensors (copies of plain arrays, as ag.tensor)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if data == "sequence":
            args = ([_as_tensor(x) for x in args[0]], *args[1:])
        elif data == "operands":
            args = (args[0], *[_as_tensor(x) for x in args[1:]])
        else:
            args = tuple(_as_tensor(x) if i in data else x for i, x in enumerate(args))
        return function(*args, **kwargs)

    return wrapper


NAMES = sorted(name for name in vars(ops) if not name.startswith("_")
               and callable(getattr(ops, name)) and not isinstance(getattr(ops, name), type)
               and getattr(ops, name).__module__.startswith("autograd_core.ops."))
globals().update({name: with_tensor_arguments(accepts_dim(getattr(ops, name)),
                                              DATA_ARGUMENTS.get(name, (0,)))
                  for name in NAMES})
