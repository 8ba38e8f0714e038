"""Resizing by interpolation with PyTorch's index conventions: nearest (3-D to 5-D input),
linear (N, C, L) and bilinear (N, C, H, W), with `size` or `scale_factor`, and `align_corners`.

Every mode works one spatial axis at a time: each output cell gathers one (nearest) or two
(linear) input cells along the axis by integer indexing and weighs them by constants, so the
gradient (indexing adds back where cells are gathered twice) and its derivatives come from the
indexing and product rules.
"""

import math
import sys

import numpy as np

import autograd_core as ag

from .im2col import as_tensor, is_int

# mode -> the input ranks it takes
MODES = {"nearest": (3, 4, 5), "linear": (3,), "bilinear": (4,)}
_LAYOUTS = {3: "(N, C, L)", 4: "(N, C, H, W)", 5: "(N, C, D, H, W)"}


def check_mode(mode, align_corners, who):
    """ValueError naming `who` unless `mode` is known and align_corners suits it (PyTorch:
    only the interpolating modes take it).

    >>> check_mode("bilinear", True, "interpolate")            # passes
    """
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"{who}: mode must be one of {', '.join(map(repr, MODES))}, got "
                         f"{mode!r}")
    if align_corners is not None and not isinstance(align_corners, (bool, np.bool_)):
        raise TypeError(f"{who}: align_corners must be None, True or False, got "
                        f"{align_corners!r}")
    if mode == "nearest" and align_corners is not None:
        raise ValueError(f"{who}: align_corners can only be set with the interpolating modes "
                         f"'linear' and 'bilinear', got mode 'nearest' and align_corners="
                         f"{align_corners!r}")


def _positive_number(value):
    return (isinstance(value, (int, float, np.integer, np.floating))
            and not isinstance(value, (bool, np.bool_)) and math.isfinite(value) and value > 0)


def check_size_or_scale(size, scale_factor, who):
    """Exactly one of `size` (a positive int or a tuple of them) and `scale_factor` (a positive
    number or a tuple of them), checked; returns them with tuples as tuples.

    >>> check_size_or_scale(None, 2, "interpolate")            # (None, 2.0)
    """
    if (size is None) == (scale_factor is None):
        given = "both" if size is not None else "neither"
        raise ValueError(f"{who}: exactly one of size and scale_factor must be given, got "
                         f"{given} (size={size!r}, scale_factor={scale_factor!r})")
    if size is not None:
        values = tuple(size) if isinstance(size, (tuple, list)) else (size,)
        if not values or not all(is_int(v) and v >= 1 for v in values):
            raise ValueError(f"{who}: size must be a positive int or a tuple of positive ints, "
                             f"got {size!r}")
        return (tuple(int(v) for v in values) if isinstance(size, (tuple, list)) else int(size),
                None)
    values = tuple(scale_factor) if isinstance(scale_factor, (tuple, list)) else (scale_factor,)
    if not values or not all(_positive_number(v) for v in values):
        raise ValueError(f"{who}: scale_factor must be a positive finite number or a tuple of "
                         f"them, got {scale_factor!r}")
    scale = tuple(map(float, values)) if isinstance(scale_factor, (tuple, list)) else float(
        scale_factor)
    return None, scale


def _per_axis(value, dims, what, shape, who):
    if not isinstance(value, tuple):
        return (value,) * dims
    if len(value) != dims:
        raise ValueError(f"{who}: {what} {value} has {len(value)} entries for the {dims} "
                         f"spatial dims of an input of shape {tuple(shape)}")
    return value


def resize_plan(shape, size, scale_factor, mode, who):
    """[(input size, output size, scale factor or None)] per spatial axis of an input of
    `shape`, after checking its rank against `mode`. The output size from a scale factor is
    floor(L scale_factor), as PyTorch's.

    >>> resize_plan((1, 3, 4, 4), None, 1.5, "bilinear", "f")   # [(4, 6, 1.5), (4, 6, 1.5)]
    """
    if len(shape) not in MODES[mode]:
        ranks = " or ".join(f"{r}-D {_LAYOUTS[r]}" for r in MODES[mode])
        raise ValueError(f"{who}: mode {mode!r} needs a {ranks} input, got shape {tuple(shape)}")
    dims = len(shape) - 2
    if size is not None:
        sizes = _per_axis(size, dims, "size", shape, who)
        if max(sizes) >= sys.maxsize:
            raise ValueError(f"{who}: size {size} is too large to index")
        return [(n, out, None) for n, out in zip(shape[2:], sizes)]
    scales = _per_axis(scale_factor, dims, "scale_factor", shape, who)
    products = [n * s for n, s in zip(shape[2:], scales)]
    if not all(p < sys.maxsize for p in products):
        raise ValueError(f"{who}: scale_factor {scale_factor} makes the output of an input of "
                         f"shape {tuple(shape)} too large to index")
    sizes = tuple(math.floor(p) for p in products)
    if min(sizes) < 1:
        raise ValueError(f"{who}: scale_factor {scale_factor} makes the output size {sizes} of "
                         f"an input of shape {tuple(shape)}; each must be at least 1")
    return [(n, out, s) for n, out, s in zip(shape[2:], sizes, scales)]


def nearest_indices(size, out, scale_factor):
    """Source cell of each output cell: floor(dst in/out), or floor(dst / scale_factor) when
    the scale factor is given, at most in - 1. Computed in float32 with PyTorch's two exact
    cases (out = in, out = 2 in), so that the same cells are picked as by PyTorch's kernel.

    >>> nearest_indices(3, 5, None)                             # [0, 0, 1, 1, 2]
    """
    if out == size:
        return np.arange(out)
    if out == 2 * size:
        return np.arange(out) // 2
    scale = np.float32(size) / np.float32(out) if scale_factor is None else np.float32(
        1.0 / scale_factor)
    source = np.floor(np.arange(out, dtype=np.float32) * scale).astype(np.intp)
    return np.minimum(source, size - 1)


def linear_weights(size, out, scale_factor, align_corners):
    """The two source cells of each output cell and their weights. The source position is
    dst (in - 1) / (out - 1) with align_corners, else (dst + 0.5) in/out - 0.5 clamped at 0
    (in/out becomes 1 / scale_factor when that is given), as in PyTorch.

    >>> first, second, _, weight = linear_weights(2, 4, None, False)
    >>> first, second, weight      # [0 0 0 1], [1 1 1 1], [0 0.25 0.75 0.25]
    """
    dst = np.arange(out, dtype=np.float64)
    if align_corners:
        source = dst * ((size - 1) / (out - 1) if out > 1 else 0.0)
    else:
        ratio = size / out if scale_factor is None else 1.0 / scale_factor
        source = np.maximum((dst + 0.5) * ratio - 0.5, 0.0)
    first = np.minimum(np.floor(source).astype(np.intp), size - 1)
    second = np.minimum(first + 1, size - 1)
    weight = np.clip(source - first, 0.0, 1.0)
    return first, second, 1.0 - weight, weight


def _gather(x, index, axis):
    return x[(slice(None),) * axis + (index,)]


def _along(weights, axis, ndim, dtype):
    """Weights of one axis shaped to broadcast against the tensor (a constant Tensor)."""
    return ag.tensor(weights.astype(dtype).reshape((-1,) + (1,) * (ndim - axis - 1)))


def resample(x, plan, mode, align_corners):
    """x resized axis by axis along `plan` (from resize_plan), by gathers and weights.

    >>> resample(x, resize_plan(x.shape, 7, None, "linear", "f"), "linear", False)
    """
    dtype = ag.dtypes.computing(x.dtype)
    for axis, (size, out, scale) in enumerate(plan, start=2):
        if mode == "nearest":
            x = _gather(x, nearest_indices(size, out, scale), axis)
            continue
        first, second, w_first, w_second = linear_weights(size, out, scale, bool(align_corners))
        x = (_gather(x, first, axis) * _along(w_first, axis, x.ndim, dtype)
             + _gather(x, second, axis) * _along(w_second, axis, x.ndim, dtype))
    return x


def interpolate(x, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """Resize the spatial dims of `x` to `size`, or by `scale_factor`, as PyTorch's.

    >>> F.interpolate(ag.randn(1, 3, 4, 4), scale_factor=2).shape                # (1, 3, 8, 8)
    >>> F.interpolate(ag.randn(1, 3, 10), size=7, mode="linear", align_corners=True).shape

    mode "nearest" (3-D, 4-D or 5-D input) copies cell floor(dst in/out); "linear" (3-D) and
    "bilinear" (4-D) mix the two nearest cells; align_corners (default False) maps the corner
    cells' centres onto each other instead of their outer edges.
    """
    return interpolate_checked(x, size, scale_factor, mode, align_corners, "interpolate")


def interpolate_checked(x, size, scale_factor, mode, align_corners, who):
    """interpolate whose errors name `who` (the Upsample layer passes its repr).

    >>> interpolate_checked(x, None, 2.0, "nearest", None, "Upsample(scale_factor=2.0, ...)")
    """
    check_mode(mode, align_corners, who)
    size, scale_factor = check_size_or_scale(size, scale_factor, who)
    x = as_tensor(x)
    plan = resize_plan(x.shape, size, scale_factor, mode, who)
    return resample(x, plan, mode, align_corners)
