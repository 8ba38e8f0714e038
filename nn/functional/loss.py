"""Loss functions: PyTorch's semantics, each a composition of engine ops except cross entropy.

Softmax and cross entropy are fused into one primitive, as the lectures recommend: its gradient
is simply p - onehot(k*), and computing log softmax by log-sum-exp keeps it finite at |z| = 1000
where softmax followed by log would give log(0). Every loss checks its inputs before computing
and names itself and the shapes involved when they do not fit.

The public functions name themselves in errors; the Module classes (nn/losses.py) call the
`_`-prefixed implementations so that errors name the Module instead.
"""

import numpy as np

import autograd_core as ag

_REDUCTIONS = ("mean", "sum", "none")


def _tensor(x, dtype=None):
    if isinstance(x, ag.Tensor):
        return x
    return ag.tensor(np.asarray(x), dtype=dtype)


def _target(target, input):
    """A constant target given as an array takes the input's float dtype; a Tensor is kept."""
    if isinstance(target, ag.Tensor):
        return target
    array = np.asarray(target)
    return ag.tensor(array, dtype=input.dtype if ag.dtypes.is_numeric(array.dtype) else None)


def _check_reduction(reduction, who, allowed=_REDUCTIONS):
    if reduction not in allowed:
        raise ValueError(
            f"{who}: unknown reduction {reduction!r}; expected one of "
            + ", ".join(repr(r) for r in allowed)
        )


def _check_same_shape(input, target, who):
    if input.shape != target.shape:
        raise ValueError(
            f"{who}: input shape {input.shape} and target shape {target.shape} differ; "
            "give both the same shape (this library does not broadcast a loss's target)"
        )


def _reduce(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


# -- regression ---------------------------------------------------------------------------------
def _mse(input, target, reduction, who):
    _check_reduction(reduction, who)
    input = _tensor(input)
    target = _target(target, input)
    _check_same_shape(input, target, who)
    difference = input - target
    return _reduce(difference * difference, reduction)


def mse_loss(input, target, reduction="mean"):
    """Mean squared error (1/K) ||x - x*||^2; its gradient is (2/K)(x - x*).

    >>> F.mse_loss(ag.tensor([1.0, 2.0]), ag.tensor([1.0, 4.0]))   # tensor(2.)
    >>> F.mse_loss(x, y, reduction="none")                         # (x - y) ** 2 per element
    """
    return _mse(input, target, reduction, "mse_loss")


def _l1(input, target, reduction, who):
    _check_reduction(reduction, who)
    input = _tensor(input)
    target = _target(target, input)
    _check_same_shape(input, target, who)
    return _reduce((input - target).abs(), reduction)


def l1_loss(input, target, reduction="mean"):
    """Mean absolute error; its subgradient is sign(x - x*) / K (0 where x = x*).

    >>> F.l1_loss(ag.tensor([1.0, 2.0]), ag.tensor([1.0, 4.0]))    # tensor(1.)
    >>> F.l1_loss(x, y, reduction="sum")
    """
    return _l1(input, target, reduction, "l1_loss")


# -- classification: softmax cross entropy and negative log-likelihood --------------------------
class SoftmaxCrossEntropy(ag.Function):
    """Rows of logits z (M, C) and target weights q (M, C): loss_m = -sum_c q_mc log softmax(z_m)_c.

    With q = onehot(k*) this is -log p(k*), and d loss / dz = p sum(q) - q = p - onehot(k*).
    The reduction is part of the primitive: 'none' gives (M,), 'sum' the total, 'mean' the total
    divided by `denominator` (the row count, or the summed class weights as PyTorch does).
    """

    __slots__ = ("reduction", "denominator")
    array_backward = True

    @staticmethod
    def forward(ctx, z, q, reduction, denominator):
        log_p = z - z.max(axis=1, keepdims=True)
        log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))  # in place: one array
        ctx.reduction, ctx.denominator = reduction, denominator
        # log_p is reused by a first-order backward only; under create_graph it is recomputed
        # from z so that second derivatives see its dependence on z.
        ctx.save_for_backward(z, q, log_p)
        if reduction == "none":
            return -(q * log_p).sum(axis=1)
        # The total as one dot product of the flattened rows (no per-row losses).
        total = -np.vdot(q, log_p)
        return total / denominator if reduction == "mean" else total

    @staticmethod
    def backward(ctx, gy):
        z, q, log_p = ctx.saved_tensors
        if isinstance(z, ag.Tensor):
            log_p = z.log_softmax(axis=1)
            p = log_p.exp()
        else:
            p = np.exp(log_p)
        if ctx.reduction == "none":
            gy = gy.reshape(-1, 1)
        elif ctx.reduction == "mean":
            gy = gy / ctx.denominator
        gz = gq = None
        if ctx.needs_input_grad[0]:
            gz = p * q.sum(axis=1, keepdims=True) - q
            gz = gy * gz if isinstance(gz, ag.Tensor) else np.multiply(gz, gy, out=gz)
        if ctx.needs_input_grad[1]:
            gq = -gy * log_p
        return gz, gq


def _classes_last(x):
    """(N, C, d1, ...) -> (N d1 ..., C): one row per prediction."""
    if x.ndim == 2:
        return x
    axes = (0,) + tuple(range(2, x.ndim)) + (1,)
    return x.transpose(*axes).reshape(-1, x.shape[1])


def _index_targets(target, shape, ignore_index, who):
    """Check int class targets for logits of `shape`; return (flat indices, ignored -> 0), kept."""
    array = target.data if isinstance(target, ag.Tensor) else np.asarray(target)
    classes = shape[1]
    expected = (shape[0],) + tuple(shape[2:])
    if not ag.dtypes.is_integer(array.dtype):
        raise TypeError(
            f"{who}: targets must be int class indices of shape {expected} or class "
            f"probabilities of the input's shape {tuple(shape)}; got a {array.dtype} array of "
            f"shape {array.shape}"
        )
    if array.shape != expected:
        what = "batch sizes differ" if array.shape[:1] != expected[:1] else "shapes differ"
        raise ValueError(
            f"{who}: {what}: input of shape {tuple(shape)} needs class indices of shape "
            f"{expected}, got targets of shape {array.shape}"
        )
    flat = array.reshape(-1).astype(np.intp, copy=False)
    kept = flat != ignore_index
    # Read as unsigned, a negative index is huge: one comparison checks both ends.
    bad = flat.view(np.uintp) >= classes
    if kept.all():  # the common case: nothing ignored
        if not bad.any():
            return flat, kept
    else:
        bad &= kept
    if bad.any():
        raise ValueError(
            f"{who}: target class {int(flat[bad][0])} is out of range for {classes} classes "
            f"(valid: 0 to {classes - 1}, or ignore_index={ignore_index})"
        )
    return np.where(kept, flat, 0), kept


def _class_weight(weight, classes, dtype, who):
    if weight is None:
        return np.ones(classes, dtype=dtype)
    weight = np.asarray(weight.data if isinstance(weight, ag.Tensor) else weight, dtype=dtype)
    if weight.shape != (classes,):
        raise ValueError(f"{who}: weight must have shape ({classes},), got {weight.shape}")
    return weight


def _unbatched(input, target, who):
    """Treat logits (C,) with a scalar target (or probabilities (C,)) as a batch of one."""
    input = _tensor(input)
    if input.ndim == 0:
        raise ValueError(f"{who}: input must have a class axis, got a scalar")
    single = input.ndim == 1
    if single:
        input = input.reshape(1, -1)
        target = target.reshape(1, -1) if np.ndim(target) == 1 else target
        target = target.reshape(1) if np.ndim(target) == 0 else target
    return input, target, single


def _cross_entropy(input, target, weight, ignore_index, reduction, label_smoothing, who):
    _check_reduction(reduction, who)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"{who}: label_smoothing must be in [0, 1], got {label_smoothing}")
    target = target if isinstance(target, ag.Tensor) else np.asarray(target)
    input, target, single = _unbatched(input, target, who)
    classes = input.shape[1]
    # Class weights (ones when none are given) are needed only with weights or smoothing.
    plain = weight is None and not label_smoothing
    w = None if plain else _class_weight(weight, classes, input.dtype, who)
    z = _classes_last(input)
    if tuple(np.shape(target)) == input.shape:  # class probabilities
        if not ag.dtypes.is_floating(np.asarray(target.data if isinstance(target, ag.Tensor)
                                                else target).dtype):
            raise TypeError(
                f"{who}: targets of the input's shape {input.shape} are class probabilities "
                "and must be floating point; for class indices give shape "
                f"{(input.shape[0],) + input.shape[2:]}"
            )
        q = _classes_last(_target(target, input))
        if label_smoothing:
            q = q * (1.0 - label_smoothing) + label_smoothing / classes
        if weight is not None:
            q = q * w
        denominator = z.shape[0]
    else:
        flat, kept = _index_targets(target, input.shape, ignore_index, who)
        rows = np.arange(flat.size)
        q = np.zeros(z.shape, dtype=input.dtype)
        everything = kept.all()
        if plain:  # the common case: one-hot rows
            q[rows, flat] = 1.0
            denominator = float(flat.size if everything else np.count_nonzero(kept))
        else:
            q[rows, flat] = (1.0 - label_smoothing) * w[flat]
            if label_smoothing:
                q += (label_smoothing / classes) * w
            denominator = float((w[flat] * kept).sum())
        if not everything:
            q[~kept] = 0.0
    loss = SoftmaxCrossEntropy.apply(z, q, reduction=reduction, denominator=denominator)
    if reduction != "none":
        return loss
    return loss.reshape(()) if single else loss.reshape((input.shape[0],) + input.shape[2:])


def cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean",
                  label_smoothing=0.0):
    """Softmax cross entropy of logits (N, C) or (N, C, d1, ...), fused and stable.

    >>> F.cross_entropy(ag.randn(4, 3), np.array([0, 2, 1, 2]))        # int class indices
    >>> F.cross_entropy(ag.randn(4, 3), ag.softmax(ag.randn(4, 3)))    # class probabilities

    As in PyTorch: rows whose target is `ignore_index` count for nothing; with class `weight`
    the mean divides by the summed weights of the targets; `label_smoothing` mixes the targets
    with the uniform distribution.
    """
    return _cross_entropy(input, target, weight, ignore_index, reduction, label_smoothing,
                          "cross_entropy")


def _nll(input, target, weight, ignore_index, reduction, who):
    _check_reduction(reduction, who)
    target = target if isinstance(target, ag.Tensor) else np.asarray(target)
    input, target, single = _unbatched(input, target, who)
    w = _class_weight(weight, input.shape[1], input.dtype, who)
    flat, kept = _index_targets(target, input.shape, ignore_index, who)
    coefficient = w[flat] * kept  # a constant: ignored rows get 0
    picked = _classes_last(input)[np.arange(flat.size), flat]
    losses = -picked * coefficient
    if reduction == "mean":
        return losses.sum() / coefficient.sum()
    if reduction == "sum":
        return losses.sum()
    return losses.reshape(()) if single else losses.reshape((input.shape[0],) + input.shape[2:])


def nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean"):
    """Negative log-likelihood of log-probabilities (N, C) at int class targets (N,).

    >>> F.nll_loss(F.log_softmax(logits, axis=1), labels)  # = F.cross_entropy(logits, labels)
    >>> F.nll_loss(log_p, labels, reduction="none")         # -log_p[n, labels[n]] per row
    """
    return _nll(input, target, weight, ignore_index, reduction, "nll_loss")


# -- binary classification ----------------------------------------------------------------------
def _clamped_log(x):
    """log(x) clamped below at -100, as PyTorch's BCE does, with no NaN gradient at x = 0."""
    positive = x.data > 0
    safe = ag.log(ag.where(positive, x, 1.0))
    return ag.where(positive, ag.clip(safe, -100.0, None), -100.0)


def _bce(input, target, weight, reduction, who):
    _check_reduction(reduction, who)
    input = _tensor(input)
    target = _target(target, input)
    _check_same_shape(input, target, who)
    outside = (input.data < 0) | (input.data > 1)
    if outside.any():
        raise ValueError(
            f"{who}: input must hold probabilities in [0, 1] (apply sigmoid first, or use the "
            f"with-logits loss); found {input.data[outside].reshape(-1)[0].item()!r} in an "
            f"input of shape {input.shape}"
        )
    loss = -(target * _clamped_log(input) + (1.0 - target) * _clamped_log(1.0 - input))
    return _reduce(loss if weight is None else loss * weight, reduction)


def binary_cross_entropy(input, target, weight=None, reduction="mean"):
    """-(y log p + (1 - y) log(1 - p)) of probabilities p; each log is clamped at -100.

    >>> F.binary_cross_entropy(ag.tensor([0.9, 0.2]), ag.tensor([1.0, 0.0]))
    >>> F.binary_cross_entropy(F.sigmoid(score), y)   # prefer binary_cross_entropy_with_logits
    """
    return _bce(input, target, weight, reduction, "binary_cross_entropy")


def _bce_logits(input, target, weight, reduction, pos_weight, who):
    _check_reduction(reduction, who)
    input = _tensor(input)
    target = _target(target, input)
    _check_same_shape(input, target, who)
    # softplus(x) - x y = max(x, 0) - x y + log(1 + exp(-|x|)), written with the engine's stable
    # softplus (its gradient is sigmoid(x)), so |x| = 1000 is finite and x = 0 has gradient 1/2 - y.
    if pos_weight is None:
        loss = ag.softplus(input) - input * target
    else:
        loss = (1.0 - target) * input + (1.0 + (pos_weight - 1.0) * target) * ag.softplus(-input)
    return _reduce(loss if weight is None else loss * weight, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, reduction="mean", pos_weight=None):
    """Binary cross entropy of sigmoid(x), computed stably from the logits x.

    >>> F.binary_cross_entropy_with_logits(ag.tensor([1000.0, -3.0]), ag.tensor([0.0, 1.0]))
    >>> F.binary_cross_entropy_with_logits(x, y, pos_weight=3.0)   # positives count 3x
    """
    return _bce_logits(input, target, weight, reduction, pos_weight,
                       "binary_cross_entropy_with_logits")


# -- divergences and margins --------------------------------------------------------------------
def _kl(input, target, reduction, log_target, who):
    _check_reduction(reduction, who, _REDUCTIONS + ("batchmean",))
    input = _tensor(input)
    target = _target(target, input)
    _check_same_shape(input, target, who)
    if log_target:
        loss = target.exp() * (target - input)
    else:
        # t log t is 0 where t = 0 (xlogy); the where() keeps log(0) out of the graph.
        positive = target.data > 0
        t_log_t = ag.where(positive, target * ag.log(ag.where(positive, target, 1.0)), 0.0)
        loss = t_log_t - target * input
    if reduction == "batchmean":
        return loss.sum() / (input.shape[0] if input.ndim else 1)
    return _reduce(loss, reduction)


def kl_div(input, target, reduction="batchmean", log_target=False):
    """KL(target || exp(input)) with `input` log-probabilities: sum t (log t - input).

    >>> F.kl_div(F.log_softmax(logits, axis=1), target_probabilities)   # sum / N
    >>> F.kl_div(log_q, log_p, log_target=True, reduction="none")

    'batchmean' (the default: the true KL per example) divides the sum by N; 'mean' divides
    by the number of elements.
    """
    return _kl(input, target, reduction, log_target, "kl_div")


def _hinge(input, target, reduction, who):
    _check_reduction(reduction, who)
    input = _tensor(input)
    target = _target(target, input)
    _check_same_shape(input, target, who)
    labels = target.data
    bad = (labels != 1) & (labels != -1)
    if bad.any():
        raise ValueError(
            f"{who}: targets must be -1 or +1, found {labels[bad].reshape(-1)[0].item()!r} in "
            f"targets of shape {target.shape}"
        )
    # relu'(0) = 0: at the margin the zero subgradient is chosen.
    return _reduce((1.0 - target * input).relu(), reduction)


def hinge_loss(input, target, reduction="mean"):
    """The linear SVM's hinge loss max(0, 1 - y s) of scores s and labels y in {-1, +1}.

    >>> F.hinge_loss(X @ w + b, y)                      # y in {-1, +1}
    >>> F.hinge_loss(ag.tensor([2.0, 0.5]), ag.tensor([1.0, 1.0]))   # tensor(0.25)
    """
    return _hinge(input, target, reduction, "hinge_loss")
