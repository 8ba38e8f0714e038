"""The normalisations: batch_norm (each channel over the batch), layer_norm and rms_norm (each
sample over its last axes), group_norm (each sample over groups of channels). All are
compositions of engine primitives; shapes are checked before anything is computed.

Every one divides by sqrt(variance + eps) with the biased variance (mean of squared
deviations), as PyTorch does; only BatchNorm's running estimate of the variance is unbiased.
"""

import numpy as np

import autograd_core as ag

from .. import _checks


def _tensor(x):
    return x if isinstance(x, ag.Tensor) else ag.tensor(x)


def _normalize(x, axes, eps):
    """(x - mean) / sqrt(biased variance + eps) over `axes`."""
    mean = x.mean(axis=axes, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=axes, keepdims=True)
    return centred / (variance + eps).sqrt(), mean, variance


def _per_channel(name, t, channels, where):
    """A (C,) weight, bias or running statistic, or None; anything else is an error."""
    if t is None:
        return None
    if not isinstance(t, (ag.Tensor, np.ndarray)):
        raise TypeError(f"{where}: {name} must be a Tensor or an array, got {t!r}")
    if tuple(t.shape) != (channels,):
        raise ValueError(
            f"{where}: {name} has shape {tuple(t.shape)}, the input has {channels} channels"
        )
    return t


def batch_norm(x, running_mean=None, running_var=None, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """Normalise each channel of x, shaped (N, C, *), over the batch and every axis after C.

    >>> F.batch_norm(ag.randn(8, 3), training=True).mean(axis=0)   # about 0 per channel

    Training normalises with the batch's biased variance and, when running statistics are
    given, updates them in place: mean <- (1 - momentum) mean + momentum batch_mean, and the
    same for the variance with the unbiased batch variance. Otherwise the running statistics
    are used.
    """
    x = _tensor(x)
    if x.ndim < 2:
        raise ValueError(
            f"batch_norm: expected input of shape (N, C), (N, C, L) or (N, C, H, W), got {x.shape}"
        )
    channels = x.shape[1]
    running_mean, running_var, weight, bias = (
        _per_channel(name, t, channels, f"batch_norm (input {x.shape})")
        for name, t in (("running_mean", running_mean), ("running_var", running_var),
                        ("weight", weight), ("bias", bias)))
    axes = (0,) + tuple(range(2, x.ndim))
    shape = (channels,) + (1,) * (x.ndim - 2)  # broadcasts against (N, C, *)
    if training or running_mean is None or running_var is None:
        count = x.size // max(channels, 1)
        if training and count < 2:
            raise ValueError(
                f"batch_norm: need more than 1 value per channel when training, got input {x.shape}"
            )
        y, mean, variance = _normalize(x, axes, eps)
        if training and running_mean is not None:
            _update_running(running_mean, mean.data.reshape(channels), momentum)
        if training and running_var is not None:
            unbiased = variance.data.reshape(channels) * (count / max(count - 1, 1))
            _update_running(running_var, unbiased, momentum)
    else:
        mean = _constant(running_mean).reshape(shape)
        variance = _constant(running_var).reshape(shape)
        y = (x - mean) / (variance + eps).sqrt()
    return _scale_and_shift(y, weight, bias, shape)


def _scale_and_shift(y, weight, bias, shape):
    if weight is not None:
        y = y * weight.reshape(shape)
    if bias is not None:
        y = y + bias.reshape(shape)
    return y


def _constant(t):
    return t.detach() if isinstance(t, ag.Tensor) else ag.tensor(np.asarray(t))


def _update_running(stat, batch_value, momentum):
    if isinstance(stat, np.ndarray):
        np.copyto(stat, (1 - momentum) * stat + momentum * batch_value, casting="same_kind")
        return
    with ag.no_grad():
        stat.copy_((1 - momentum) * stat.data + momentum * batch_value)


def _trailing(x, normalized_shape, where):
    """The axes of x that `normalized_shape` names (its last ones), after checking them."""
    normalized_shape = _checks.shape(normalized_shape, "normalized_shape", where)
    k = len(normalized_shape)
    if x.ndim < k or x.shape[x.ndim - k:] != normalized_shape:
        raise ValueError(
            f"{where}: the input of shape {x.shape} does not end in the normalized shape "
            f"{normalized_shape}"
        )
    return normalized_shape, tuple(range(x.ndim - k, x.ndim))


def _affine_parameter(name, t, normalized_shape, where):
    if t is None:
        return None
    t = _checks.tensor(t, name, where)
    if tuple(t.shape) != normalized_shape:
        raise ValueError(
            f"{where}: {name} has shape {tuple(t.shape)}, expected the normalized shape "
            f"{normalized_shape}"
        )
    return t


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Normalise over the last len(normalized_shape) axes of each sample (biased variance).

    >>> F.layer_norm(ag.randn(4, 6), (6,)).mean(axis=-1)            # about 0 per row
    """
    x = _tensor(x)
    normalized_shape, axes = _trailing(x, normalized_shape, "layer_norm")
    weight = _affine_parameter("weight", weight, normalized_shape, "layer_norm")
    bias = _affine_parameter("bias", bias, normalized_shape, "layer_norm")
    y, _, _ = _normalize(x, axes, eps)
    return _scale_and_shift(y, weight, bias, normalized_shape)


def rms_norm(x, normalized_shape, weight=None, eps=None):
    """x / sqrt(mean(x^2) + eps) * weight over the last len(normalized_shape) axes (no centring).

    >>> F.rms_norm(ag.tensor([[3.0, 4.0]]), (2,))   # tensor([[0.8485, 1.1314]])

    eps=None means the machine epsilon of x's dtype (2.2e-16 for float64), as in PyTorch.
    """
    x = _tensor(x)
    normalized_shape, axes = _trailing(x, normalized_shape, "rms_norm")
    weight = _affine_parameter("weight", weight, normalized_shape, "rms_norm")
    if not ag.dtypes.is_floating(x.dtype):
        x = x.astype(ag.get_default_dtype())
    if eps is None:
        eps = float(np.finfo(x.dtype).eps)
    _checks.real(eps, "eps", "rms_norm")
    y = x / ((x * x).mean(axis=axes, keepdims=True) + eps).sqrt()
    return _scale_and_shift(y, weight, None, normalized_shape)


def group_norm(x, num_groups, weight=None, bias=None, eps=1e-5):
    """Split the C channels of x (N, C, *) into num_groups groups and normalise each sample's
    group over its channels and positions; then scale and shift per channel.

    >>> F.group_norm(ag.randn(2, 6, 5), 3).shape     # (2, 6, 5)

    num_groups = 1 normalises each sample over everything (like layer_norm over (C, *));
    num_groups = C normalises each channel alone (instance normalisation).
    """
    x = _tensor(x)
    num_groups = _checks.size(num_groups, "num_groups", "group_norm")
    if x.ndim < 2:
        raise ValueError(f"group_norm: expected input of shape (N, C, *), got {x.shape}")
    channels = x.shape[1]
    if num_groups == 0 or channels % num_groups:
        raise ValueError(
            f"group_norm: num_groups={num_groups} does not divide the {channels} channels of "
            f"the input {x.shape}"
        )
    weight, bias = (_per_channel(name, t, channels, f"group_norm (input {x.shape})")
                    for name, t in (("weight", weight), ("bias", bias)))
    grouped = x.reshape(x.shape[0], num_groups, -1)
    y, _, _ = _normalize(grouped, (2,), eps)
    shape = (channels,) + (1,) * (x.ndim - 2)
    return _scale_and_shift(y.reshape(x.shape), weight, bias, shape)
