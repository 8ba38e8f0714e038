"""Loss Modules: each holds its options and calls the function in nn/functional/loss.py.

>>> criterion = nn.CrossEntropyLoss()
>>> loss = criterion(model(x), labels); loss.backward()

Errors name the Module (`CrossEntropyLoss: target class 7 is out of range for 3 classes ...`).
"""

from .functional import loss as L
from .module import Module


class _Loss(Module):
    default_reduction = "mean"
    reductions = ("mean", "sum", "none")

    def __init__(self, reduction=None):
        super().__init__()
        reduction = self.default_reduction if reduction is None else reduction
        L._check_reduction(reduction, type(self).__name__, self.reductions)
        self.reduction = reduction

    def _options(self):
        """(name, value, default) of the options that the repr shows when not at their default."""
        return [("reduction", self.reduction, self.default_reduction)]

    def extra_repr(self):
        shown = [f"{name}={value!r}" for name, value, default in self._options()
                 if value is not default and value != default]
        return ", ".join(shown)


class MSELoss(_Loss):
    """Mean squared error (1/K) ||x - x*||^2 (or its sum, or per element).

    >>> nn.MSELoss()(ag.tensor([1.0, 2.0]), ag.tensor([1.0, 4.0]))      # tensor(2.)
    >>> nn.MSELoss(reduction="sum")(prediction, target)
    """

    def __init__(self, reduction="mean"):
        super().__init__(reduction)

    def forward(self, input, target):
        return L._mse(input, target, self.reduction, "MSELoss")


class L1Loss(_Loss):
    """Mean absolute error.

    >>> nn.L1Loss()(ag.tensor([1.0, 2.0]), ag.tensor([1.0, 4.0]))       # tensor(1.)
    >>> nn.L1Loss(reduction="none")(prediction, target)
    """

    def __init__(self, reduction="mean"):
        super().__init__(reduction)

    def forward(self, input, target):
        return L._l1(input, target, self.reduction, "L1Loss")


class CrossEntropyLoss(_Loss):
    """Softmax cross entropy of logits (N, C) with int class targets (N,) or probabilities (N, C).

    >>> criterion = nn.CrossEntropyLoss()
    >>> criterion(ag.randn(4, 3), np.array([0, 2, 1, 2]))

    Also logits (N, C, d1, ...) with targets (N, d1, ...); `weight` (C,), `ignore_index` and
    `label_smoothing` as in PyTorch.
    """

    def __init__(self, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
        super().__init__(reduction)
        if not 0.0 <= label_smoothing <= 1.0:
            raise ValueError(
                f"CrossEntropyLoss: label_smoothing must be in [0, 1], got {label_smoothing}"
            )
        self.register_buffer("weight", weight)
        self.ignore_index, self.label_smoothing = ignore_index, label_smoothing

    def _options(self):
        return super()._options() + [("ignore_index", self.ignore_index, -100),
                                     ("label_smoothing", self.label_smoothing, 0.0)]

    def forward(self, input, target):
        return L._cross_entropy(input, target, self.weight, self.ignore_index, self.reduction,
                                self.label_smoothing, "CrossEntropyLoss")


class NLLLoss(_Loss):
    """Negative log-likelihood of log-probabilities (N, C) at int class targets (N,).

    >>> criterion = nn.NLLLoss()
    >>> criterion(F.log_softmax(logits, axis=1), labels)   # = nn.CrossEntropyLoss()(logits, labels)
    """

    def __init__(self, weight=None, ignore_index=-100, reduction="mean"):
        super().__init__(reduction)
        self.register_buffer("weight", weight)
        self.ignore_index = ignore_index

    def _options(self):
        return super()._options() + [("ignore_index", self.ignore_index, -100)]

    def forward(self, input, target):
        return L._nll(input, target, self.weight, self.ignore_index, self.reduction, "NLLLoss")


class BCELoss(_Loss):
    """Binary cross entropy of probabilities in [0, 1]; each log is clamped at -100.

    >>> criterion = nn.BCELoss()
    >>> criterion(ag.tensor([0.9, 0.2]), ag.tensor([1.0, 0.0]))
    """

    def __init__(self, weight=None, reduction="mean"):
        super().__init__(reduction)
        self.register_buffer("weight", weight)

    def forward(self, input, target):
        return L._bce(input, target, self.weight, self.reduction, "BCELoss")


class BCEWithLogitsLoss(_Loss):
    """Binary cross entropy of sigmoid(x), computed stably from the logits x.

    >>> criterion = nn.BCEWithLogitsLoss(pos_weight=ag.tensor([3.0]))
    >>> criterion(ag.tensor([1000.0, -2.0]), ag.tensor([0.0, 1.0]))     # finite
    """

    def __init__(self, weight=None, reduction="mean", pos_weight=None):
        super().__init__(reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input, target):
        return L._bce_logits(input, target, self.weight, self.reduction, self.pos_weight,
                             "BCEWithLogitsLoss")


class KLDivLoss(_Loss):
    """KL(target || exp(input)) of log-probabilities `input`; 'batchmean' divides the sum by N.

    >>> criterion = nn.KLDivLoss()                 # reduction='batchmean'
    >>> criterion(F.log_softmax(logits, axis=1), target_probabilities)
    """

    default_reduction = "batchmean"
    reductions = ("batchmean", "mean", "sum", "none")

    def __init__(self, reduction="batchmean", log_target=False):
        super().__init__(reduction)
        self.log_target = log_target

    def _options(self):
        return super()._options() + [("log_target", self.log_target, False)]

    def forward(self, input, target):
        return L._kl(input, target, self.reduction, self.log_target, "KLDivLoss")


class HingeLoss(_Loss):
    """The linear SVM's hinge loss max(0, 1 - y s) of scores s and labels y in {-1, +1}.

    >>> criterion = nn.HingeLoss()
    >>> criterion(X @ w + b, y)                    # y in {-1, +1}
    """

    def __init__(self, reduction="mean"):
        super().__init__(reduction)

    def forward(self, input, target):
        return L._hinge(input, target, self.reduction, "HingeLoss")
