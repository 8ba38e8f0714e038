"""The functions of `ag` (`ag.exp`, `ag.sum`, `ag.where`, ...): each op module's function, with
its data arguments made Tensors first.

An op function given only plain numbers and arrays just runs its forward and returns plain
arrays: that is what lets the built-in backward formulas run on arrays and on Tensors alike
(function.py). A user who writes `ag.exp(np.ones(3))` wants a Tensor, and a clear error for
`ag.exp(None)`, so these convert the data arguments as `ag.tensor` does.

>>> ag.exp(np.zeros(2))                       # tensor([1., 1.])
>>> ag.ops.exp(np.zeros(2))                   # array([1., 1.])
"""

import functools

from . import ops
from .tensor import Tensor
from .tensor_base import TensorBase

# Which arguments are data (default: the first): positions, "sequence" for a list of them,
# "all" for every positional argument.
DATA_ARGUMENTS = {
    "where": (1, 2), "maximum": (0, 1), "minimum": (0, 1), "einsum": "operands",
    "concatenate": "sequence", "stack": "sequence",
    "vstack": "sequence", "hstack": "sequence", "meshgrid": "all", "atleast_1d": "all",
    "atleast_2d": "all", "outer": (0, 1), "inner": (0, 1), "dot": (0, 1), "tensordot": (0, 1),
    "kron": (0, 1), "cross": (0, 1), "put_along_axis": (0, 2), "scatter_add": (0, 3),
    "scatter_reduce": (0, 3),
}


def _as_tensor(x):
    if isinstance(x, TensorBase):
        return x
    if isinstance(x, (list, tuple)) and ops.join.holds_tensor(x):
        return ops.join.stacked(x)  # [a, b] as one array: their stack, history kept
    return Tensor(x)


def with_tensor_arguments(function, data=(0,)):
    """`function`, with its data arguments made Tensors (copies of plain arrays, as ag.tensor)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if data == "sequence":
            args = ([_as_tensor(x) for x in args[0]], *args[1:])
        elif data == "operands":
            args = (args[0], *[_as_tensor(x) for x in args[1:]])
        elif data == "all":
            args = tuple(_as_tensor(x) for x in args)
        else:
            args = tuple(_as_tensor(x) if i in data else x for i, x in enumerate(args))
        return function(*args, **kwargs)

    return wrapper


NAMES = sorted(name for name in vars(ops) if not name.startswith("_")
               and callable(getattr(ops, name)) and not isinstance(getattr(ops, name), type)
               and getattr(ops, name).__module__.startswith("autograd_core.ops."))
globals().update({name: with_tensor_arguments(getattr(ops, name), DATA_ARGUMENTS.get(name, (0,)))
                  for name in NAMES})
