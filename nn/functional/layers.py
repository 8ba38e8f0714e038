"""The functional form of the layers: linear, dropout, embedding, plus one_hot and flatten (the
normalisations are in normalization.py). Each is a composition of engine primitives, so the
engine derives first and higher derivatives; inputs are checked before anything is computed."""

import numpy as np

import autograd_core as ag

from .. import _checks


def _tensor(x):
    return x if isinstance(x, ag.Tensor) else ag.tensor(x)


class Affine(ag.Function):
    """y = x @ weight.T + bias in one node: the layer z = W y + b applied to rows of x.

    Backward is the course's rule with upstream delta: dE/dx = delta W, dE/dW = delta^T x
    (delta y^T for one sample), dE/db = delta summed over rows.
    Fused because three nodes (transpose, matmul, add) cost about twice as much per call on
    the small networks of the course; on large matrices the two are equally fast.

    >>> y = Affine.apply(x, weight, bias)          # what F.linear(x, weight, bias) returns
    >>> y.grad_fn.name                             # 'Affine'
    """

    __slots__ = ()
    array_backward = True

    @staticmethod
    def forward(ctx, x, weight, bias):
        ctx.save_for_backward(x, weight)
        y = x @ weight.T
        if bias is None:
            return y
        if bias.dtype == y.dtype and y.ndim:
            y += bias  # in place: y is a new array, and no second one is made
            return y
        return y + bias

    @staticmethod
    def backward(ctx, gy):
        x, weight = ctx.saved_tensors
        wants = ctx.needs_input_grad
        gx = gy @ weight if wants[0] else None
        gw = gb = None
        if wants[1] or wants[2]:
            # Leading axes of x are all rows of one matrix product: dW = delta^T x over all
            # rows, and db = delta summed over them (done here, not left to the engine's
            # generic un-broadcast).
            rows_gy = gy if gy.ndim == 2 else gy.reshape((-1, gy.shape[-1]))
            if wants[1]:
                rows_x = x if x.ndim == 2 else x.reshape((-1, x.shape[-1]))
                gw = rows_gy.T @ rows_x
            if wants[2]:
                gb = rows_gy.sum(axis=0)
        return gx, gw, gb


def linear(x, weight, bias=None):
    """x @ weight.T + bias, with weight of shape (out, in): the layer z = W y + b on rows.

    >>> F.linear(ag.ones(8, 3), ag.ones(2, 3), ag.zeros(2)).shape   # (8, 2)
    """
    x = _tensor(x)
    weight = _checks.tensor(weight, "weight", "linear")
    bias = None if bias is None else _checks.tensor(bias, "bias", "linear")
    if weight.ndim != 2:
        raise ValueError(f"linear: weight must be 2-D (out, in), got shape {weight.shape}")
    if x.ndim == 0 or x.shape[-1] != weight.shape[1]:
        raise ValueError(
            f"linear: input of shape {x.shape} has {x.shape[-1] if x.ndim else 0} features on "
            f"its last axis, the weight {weight.shape} expects {weight.shape[1]}"
        )
    if bias is not None and tuple(bias.shape) != (weight.shape[0],):
        raise ValueError(
            f"linear: bias of shape {tuple(bias.shape)} does not match the weight {weight.shape}"
        )
    return Affine.apply(x, weight, bias)


def dropout(x, p=0.5, training=True):
    """Inverted dropout: zero each element with probability p and scale the rest by 1/(1-p),
    so the expectation is unchanged; the identity when not training.

    >>> ag.manual_seed(0)
    >>> F.dropout(ag.ones(2, 4), p=0.5)            # entries 0 or 2
    """
    _checks.probability(p, "dropout")
    x = _tensor(x)
    if not training or p == 0:
        return x
    keep = ag.get_generator().random(x.shape) >= p
    dtype = ag.dtypes.computing(x.dtype)
    # p == 1 keeps nothing; the scale would be 1/0, so the mask is simply all zeros.
    scale = 0.0 if p == 1 else 1.0 / (1.0 - p)
    return x * (keep * scale).astype(dtype)


def embedding(indices, weight):
    """Rows of `weight` (num_embeddings, dim) picked by integer `indices`; the output has shape
    indices.shape + (dim,). Gradients of repeated indices add up.

    >>> F.embedding(np.array([0, 2, 0]), ag.randn(5, 3)).shape    # (3, 3)
    """
    array = _checks.indices(indices, "embedding")
    weight = _checks.tensor(weight, "weight", "embedding")
    if weight.ndim != 2:
        raise ValueError(f"embedding: weight must be 2-D (num_embeddings, dim), got {weight.shape}")
    rows = weight.shape[0]
    if array.size and (array.min() < 0 or array.max() >= rows):
        bad = array[(array < 0) | (array >= rows)].reshape(-1)[0]
        raise IndexError(
            f"embedding: index {bad} is out of range [0, {rows}) for a weight of shape "
            f"{weight.shape} (indices of shape {array.shape})"
        )
    return weight[array]


def one_hot(labels, num_classes=-1, dtype=np.int64):
    """Integer labels (any shape) as one-hot vectors on a new last axis (no gradient).

    >>> F.one_hot(np.array([0, 2]), 3)               # [[1, 0, 0], [0, 0, 1]]
    >>> F.one_hot(np.array([0, 2]), 3, dtype=np.float64)   # floats, for p - onehot

    As in PyTorch the result is int64 by default and num_classes=-1 means labels.max() + 1.
    """
    array = _checks.indices(labels, "one_hot")
    if isinstance(num_classes, (int, np.integer)) and num_classes == -1:
        num_classes = int(array.max()) + 1 if array.size else 0
    num_classes = _checks.size(num_classes, "num_classes", "one_hot")
    if array.size and (array.min() < 0 or array.max() >= num_classes):
        raise ValueError(
            f"one_hot: labels must lie in [0, {num_classes}), got values from {array.min()} "
            f"to {array.max()}"
        )
    out = np.zeros(array.shape + (num_classes,), dtype=dtype)
    np.put_along_axis(out, array[..., None], 1, axis=-1)
    return ag.tensor(out)


@ag.accepts_dim
def flatten(x, start_axis=1, end_axis=-1):
    """Merge the axes start_axis..end_axis into one.

    >>> F.flatten(ag.ones(8, 3, 4, 4)).shape        # (8, 48)
    """
    x = _tensor(x)
    if x.ndim == 0:
        return x.reshape(1)
    for axis in (start_axis, end_axis):
        if not -x.ndim <= axis < x.ndim:
            raise ValueError(f"flatten: axis {axis} is out of range for shape {x.shape}")
    start, end = start_axis % x.ndim, end_axis % x.ndim
    if start > end:
        raise ValueError(
            f"flatten: start_axis {start_axis} comes after end_axis {end_axis} for shape {x.shape}"
        )
    merged = int(np.prod(x.shape[start:end + 1]))
    return x.reshape(x.shape[:start] + (merged,) + x.shape[end + 1:])
