"""Optimizers and learning-rate schedules over `autograd_core` tensors.

Every optimizer updates parameters in place under `ag.no_grad()`, and follows the update
equations PyTorch documents for the optimizer of the same name.

>>> optimizer = optim.Adam(model.parameters(), lr=1e-3)
>>> optimizer.zero_grad(); loss.backward(); optimizer.step()
"""

from . import lr_scheduler
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["Optimizer", "SGD", "Adagrad", "RMSprop", "Adam", "AdamW", "lr_scheduler"]
