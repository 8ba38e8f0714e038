"""Dropout: randomly zero activations while training (a regulariser)."""

from .. import _checks
from .. import functional as F
from ..module import Module


class Dropout(Module):
    """Inverted dropout: in training, zero each element with probability p and scale the rest
    by 1/(1 - p); in evaluation, the identity. Masks come from `ag.get_generator()`.

    >>> drop = nn.Dropout(p=0.5)
    >>> drop(ag.ones(2, 4)); drop.eval()(ag.ones(2, 4))   # entries 0 or 2; then all 1
    """

    def __init__(self, p=0.5):
        super().__init__()
        _checks.probability(p, "Dropout")
        self.p = p

    def forward(self, x):
        return F.dropout(x, self.p, self.training)

    def extra_repr(self):
        return f"p={self.p}"
