"""Elementwise tests and logic with no history: isnan, isinf, isfinite, isclose, allclose,
logical_and/or/xor/not, nonzero, and the bit shifts. Their results are bool (or integer)
tensors with no gradient, like the comparisons; allclose returns a Python bool.

Given Tensors they return Tensors (`ag.isnan`); given only arrays, arrays (as every op applied
to plain arrays is just its computation).

>>> ag.isnan(ag.tensor([1.0, np.nan]))            # tensor([False,  True])
>>> ag.nonzero(ag.tensor([[0, 1], [2, 0]]))       # (tensor([0, 1]), tensor([1, 0]))
"""

import numpy as np

from ..tensor_base import TensorBase, array_of, make
from .common import check_broadcast


def _no_history(result, operands):
    """`result` as a Tensor with no history when an operand is a Tensor, else as an array."""
    result = np.asarray(result)
    like = next((x for x in operands if isinstance(x, TensorBase)), None)
    return result if like is None else make(like._result_class, result)


def _elementwise(name, ufunc, *operands, **options):
    arrays = [array_of(x) for x in operands]
    try:
        result = ufunc(*arrays, **options)
    except ValueError:
        check_broadcast(name, *arrays)
        raise
    except TypeError as error:
        kinds = " and ".join(str(np.result_type(a)) for a in arrays)
        raise TypeError(f"{name}: not defined for {kinds} operands ({error})") from None
    return _no_history(result, operands)


def isnan(x):
    """Where x is NaN.

    >>> ag.isnan(ag.tensor([1.0, np.nan]))        # tensor([False,  True])
    """
    return _elementwise("isnan", np.isnan, x)


def isinf(x):
    """Where x is +inf or -inf.

    >>> ag.isinf(ag.tensor([1.0, -np.inf]))       # tensor([False,  True])
    """
    return _elementwise("isinf", np.isinf, x)


def isfinite(x):
    """Where x is neither infinite nor NaN.

    >>> ag.isfinite(ag.tensor([1.0, np.inf, np.nan]))   # tensor([ True, False, False])
    """
    return _elementwise("isfinite", np.isfinite, x)


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Where |a - b| <= atol + rtol |b|, elementwise and broadcast (NumPy's isclose).

    >>> ag.isclose(ag.tensor([1.0, 1.1]), 1.0)    # tensor([ True, False])
    """
    return _elementwise("isclose", np.isclose, a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether isclose holds everywhere: a Python bool.

    >>> ag.allclose(ag.tensor([1.0, 2.0]), [1.0, 2.0 + 1e-9])   # True
    """
    return bool(np.all(array_of(isclose(a, b, rtol, atol, equal_nan))))


def logical_and(x, y):
    """x and y, elementwise and broadcast (nonzero counts as true).

    >>> ag.logical_and(ag.tensor([True, True]), ag.tensor([True, False]))   # [ True, False]
    """
    return _elementwise("logical_and", np.logical_and, x, y)


def logical_or(x, y):
    """x or y, elementwise and broadcast.

    >>> ag.logical_or(ag.tensor([True, False]), False)   # tensor([ True, False])
    """
    return _elementwise("logical_or", np.logical_or, x, y)


def logical_xor(x, y):
    """x or y but not both, elementwise and broadcast.

    >>> ag.logical_xor(ag.tensor([True, True]), ag.tensor([True, False]))   # [False,  True]
    """
    return _elementwise("logical_xor", np.logical_xor, x, y)


def logical_not(x):
    """not x, elementwise.

    >>> ag.logical_not(ag.tensor([True, False]))  # tensor([False,  True])
    """
    return _elementwise("logical_not", np.logical_not, x)


def nonzero(x):
    """The indices of the nonzero elements: NumPy's tuple with one int64 index array per
    dimension, so that `x[ag.nonzero(x)]` picks them.

    >>> ag.nonzero(ag.tensor([[0, 1], [2, 0]]))   # (tensor([0, 1]), tensor([1, 0]))
    """
    array = np.asarray(array_of(x))
    if array.ndim == 0:
        raise ValueError("nonzero: the tensor is 0-d (a scalar); nonzero needs at least one "
                         "dimension (reshape it to (1,) first)")
    return tuple(_no_history(index.astype(np.int64), (x,)) for index in np.nonzero(array))


def invert(x):
    """~x: the bits of an integer x flipped, or not x for a bool (what Tensor's ~ computes).

    >>> invert(ag.tensor([0, 5]))                   # tensor([-1, -6])
    """
    return _elementwise("invert", np.invert, x)


def left_shift(x, y):
    """x << y: the bits of integer x shifted left by y.

    >>> ag.left_shift(ag.tensor([1, 3]), 2)       # tensor([ 4, 12])
    """
    _check_integers("left_shift", x, y)
    return _elementwise("left_shift", np.left_shift, x, y)


def right_shift(x, y):
    """x >> y: the bits of integer x shifted right by y (rounding down).

    >>> ag.right_shift(ag.tensor([16, -16]), 2)   # tensor([ 4, -4])
    """
    _check_integers("right_shift", x, y)
    return _elementwise("right_shift", np.right_shift, x, y)


def _check_integers(name, *operands):
    for x in operands:
        kind = np.result_type(array_of(x)).kind
        if kind not in "iub":
            what = f"Tensor {x.dtype}" if isinstance(x, TensorBase) else type(x).__name__
            raise TypeError(f"{name}: bit shifts need integer operands, got {what}")
