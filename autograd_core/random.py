"""One random stream for the whole project: factories, nn.init, Dropout, DataLoader shuffling."""

import numpy as np

_generator = [np.random.default_rng()]


def manual_seed(seed):
    """Seed every random draw of autograd_core, nn and optim.

    >>> ag.manual_seed(0)
    >>> ag.randn(2)                 # the same numbers on every run
    """
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"manual_seed: seed must be a non-negative int, got {seed!r}")
    _generator[0] = np.random.default_rng(int(seed))


def get_generator():
    """The current `np.random.Generator` (replaced by every `manual_seed`)."""
    return _generator[0]
