"""Random draws beyond the factories: randint, multinomial, normal, uniform, all from the one
stream that `ag.manual_seed` seeds (random.py).

`normal` and `uniform` given Tensors that require grad are written as `loc + scale * noise` and
`low + (high - low) * noise`, so gradients reach their parameters (the reparameterisation
trick); given numbers or arrays they make a new leaf.
"""

import numpy as np

from . import dtypes, ops
from .random import get_generator
from .tensor import Tensor
from .tensor_base import TensorBase, array_of, make


def randint(low, high=None, shape=(), dtype=np.int64):
    """Integers drawn uniformly from [low, high); `randint(high, shape)` draws from [0, high)
    as PyTorch's does.

    >>> ag.randint(0, 10, (2, 3))                 # an int64 tensor of shape (2, 3)
    """
    if high is None or (isinstance(high, (tuple, list)) and shape == ()):
        low, high, shape = 0, low, (() if high is None else high)
    shape = _shape(shape, "randint")
    dtype = np.dtype(dtype)
    if dtype.kind not in "iu":
        raise TypeError(f"randint: dtype must be an integer dtype, got {dtype}")
    for name, bound in (("low", low), ("high", high)):
        if isinstance(bound, (bool, np.bool_)) or not isinstance(bound, (int, np.integer)):
            raise TypeError(f"randint: {name} must be an int, got {bound!r}")
    if low >= high:
        raise ValueError(f"randint: low must be less than high, got low={low} and high={high} "
                         f"(shape {shape})")
    try:
        values = get_generator().integers(low, high, shape, dtype=dtype)
    except ValueError as error:  # bounds outside the dtype
        raise ValueError(f"randint: {error} (low={low}, high={high}, dtype {dtype})") from None
    return make(Tensor, np.asarray(values))


def multinomial(probs, num_samples, replacement=False):
    """Indices drawn with the weights `probs` (1-D, or 2-D: one draw per row), as PyTorch's
    multinomial: rows need not sum to one; without replacement each index is drawn at most
    once, each draw in proportion to the weights of the indices not drawn yet.

    >>> ag.multinomial(ag.tensor([0.1, 0.0, 0.9]), 4, replacement=True)   # e.g. [2, 2, 0, 2]
    """
    weights = _weights(probs, "multinomial")
    rows = weights if weights.ndim == 2 else weights[None]
    if isinstance(num_samples, (bool, np.bool_)) or not isinstance(num_samples,
                                                                   (int, np.integer)):
        raise TypeError(f"multinomial: num_samples must be an int, got {num_samples!r}")
    if num_samples <= 0:
        raise ValueError(f"multinomial: num_samples must be positive, got {num_samples}")
    if replacement:
        samples = _with_replacement(rows, int(num_samples))
    else:
        _check_enough_nonzero(rows, num_samples, weights.shape)
        samples = _without_replacement(rows, int(num_samples))
    return make(Tensor, samples if weights.ndim == 2 else samples[0])


def _weights(probs, op):
    """probs as a float64 array, checked: 1-D or 2-D, finite, non-negative, no zero row."""
    weights = np.asarray(array_of(probs))
    if not dtypes.is_numeric(weights.dtype) or weights.dtype.kind == "b":
        raise TypeError(f"{op}: probs must hold numbers, got dtype {weights.dtype}")
    weights = weights.astype(np.float64)
    shape = weights.shape
    if weights.ndim not in (1, 2) or shape[-1] == 0:
        raise ValueError(f"{op}: probs must be 1-D or 2-D with at least one category, got "
                         f"shape {shape}")
    if not np.all(np.isfinite(weights)):
        raise ValueError(f"{op}: probs of shape {shape} holds NaN or infinite entries")
    if np.any(weights < 0):
        raise ValueError(f"{op}: probs of shape {shape} has negative entries")
    totals = weights.sum(axis=-1)
    if np.any(totals <= 0):
        where = "" if weights.ndim == 1 else f"row {int(np.argmax(totals <= 0))} of "
        raise ValueError(f"{op}: {where}probs of shape {shape} sums to zero")
    return weights


def _check_enough_nonzero(rows, num_samples, shape):
    nonzero = np.count_nonzero(rows, axis=1)
    short = int(np.argmin(nonzero))
    if num_samples > nonzero[short]:
        where = "" if len(shape) == 1 else f" in row {short}"
        raise ValueError(f"multinomial: num_samples={num_samples} is more than the "
                         f"{nonzero[short]} non-zero entries{where} of probs of shape {shape}, "
                         "so it cannot be drawn without replacement; pass replacement=True")


def _with_replacement(rows, num_samples):
    """Inverse CDF: the first index whose cumulative weight exceeds a uniform draw. Dividing by
    the last cumulative weight makes it exactly 1, so a zero-weight index is never drawn."""
    cdf = np.cumsum(rows, axis=1)
    cdf /= cdf[:, -1:]
    draws = get_generator().random((len(rows), num_samples))
    samples = [np.searchsorted(row_cdf, row_draws, side="right")
               for row_cdf, row_draws in zip(cdf, draws)]
    return np.asarray(samples, dtype=np.int64).reshape(len(rows), num_samples)


def _without_replacement(rows, num_samples):
    """Efraimidis and Spirakis' keys: index i gets E_i / w_i with E_i ~ Exp(1), an exponential
    draw of rate w_i. The smallest key is index i with probability w_i / sum(w), and (the
    exponential forgets) the rest are again such keys of the indices left, so the indices in
    order of their keys are draws one after another without replacement."""
    noise = get_generator().standard_exponential(rows.shape)
    with np.errstate(divide="ignore"):
        keys = np.where(rows > 0, noise / rows, np.inf)  # zero weight: never drawn
    return np.argsort(keys, axis=1, kind="stable")[:, :num_samples].astype(np.int64)


def normal(loc=0.0, scale=1.0, shape=None, dtype=None, requires_grad=False):
    """Draws from the normal distribution N(loc, scale^2); `loc` and `scale` broadcast against
    `shape` (by default their own broadcast shape).

    >>> ag.normal(0.0, 2.0, (2, 3))
    >>> ag.normal(mu, sigma)                      # mu + sigma * noise: gradients reach mu, sigma
    """
    shape = _draw_shape("normal", shape, loc=loc, scale=scale)
    scale_values = np.asarray(array_of(scale), dtype=np.float64)
    bad = np.isnan(scale_values) | (scale_values < 0)
    if np.any(bad):
        raise ValueError(f"normal: scale must be non-negative, got scale of shape "
                         f"{scale_values.shape} with the entry {scale_values[bad].flat[0]}")
    noise = get_generator().standard_normal(shape).astype(_float_dtype(dtype, loc, scale))
    return _result(ops.add(loc, ops.multiply(scale, noise)), noise.dtype, requires_grad)


def uniform(low=0.0, high=1.0, shape=None, dtype=None, requires_grad=False):
    """Draws from the uniform distribution on [low, high); `low` and `high` broadcast against
    `shape` (by default their own broadcast shape).

    >>> ag.uniform(-1.0, 1.0, (2, 3))
    """
    shape = _draw_shape("uniform", shape, low=low, high=high)
    low_values, high_values = np.broadcast_arrays(np.asarray(array_of(low), dtype=np.float64),
                                                  np.asarray(array_of(high), dtype=np.float64))
    bad = ~(low_values < high_values)  # NaN too
    if np.any(bad):
        raise ValueError(f"uniform: low must be less than high, got low of shape "
                         f"{np.shape(array_of(low))} and high of shape {np.shape(array_of(high))}"
                         f" with low={low_values[bad].flat[0]} and "
                         f"high={high_values[bad].flat[0]}")
    noise = get_generator().random(shape).astype(_float_dtype(dtype, low, high))
    return _result(ops.add(low, ops.multiply(ops.subtract(high, low), noise)), noise.dtype,
                   requires_grad)


def _draw_shape(op, shape, **parameters):
    """The shape of the draw: `shape`, which the parameters must broadcast to, or theirs."""
    shapes = {name: np.shape(array_of(value)) for name, value in parameters.items()}
    try:
        own = np.broadcast_shapes(*shapes.values())
        if shape is None:
            return own
        shape = _shape(shape, op)
        if np.broadcast_shapes(own, shape) == shape:
            return shape
    except ValueError:
        pass
    listed = ", ".join(f"{name} of shape {s}" for name, s in shapes.items())
    raise ValueError(f"{op}: {listed} do not broadcast" +
                     (f" to the shape {shape}" if shape is not None else " together"))


def _float_dtype(dtype, *parameters):
    """dtype=, else the floating dtype of the parameters that have one, else the default."""
    if dtype is not None:
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"random draws are floating point; dtype {dtype} would truncate "
                            "them (use ag.randint for integers)")
        return dtype
    floating = [np.result_type(array_of(p)) for p in parameters
                if isinstance(p, (TensorBase, np.ndarray)) and array_of(p).dtype.kind == "f"]
    return np.result_type(*floating) if floating else dtypes.get_default_dtype()


def _result(values, dtype, requires_grad):
    """A Tensor with history stays one; anything else becomes a new leaf of `dtype`."""
    if isinstance(values, TensorBase) and values.requires_grad:
        if requires_grad:
            raise ValueError("requires_grad=True with parameters that require grad: the draw "
                             "already has their history")
        return values
    leaf = make(Tensor, np.asarray(array_of(values), dtype=dtype))
    return leaf.requires_grad_(True) if requires_grad else leaf


def _shape(shape, op):
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    for n in shape:
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"{op}: a shape holds non-negative ints, got {shape}")
    return tuple(int(n) for n in shape)
