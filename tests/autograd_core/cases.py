"""The table of primitive checks that tests/autograd_core/test_primitives.py runs: each
primitive's name -> a builder that draws shapes and options with hypothesis and returns the
function to check, its float64 inputs and any tolerances. A family of ops adds its builders in
its own module (cases_<family>.py, imported by test_primitives.py) with `@checks("Name")`.
Inputs are drawn away from kinks and singularities, where finite differences are meaningless.
"""

from typing import NamedTuple

import numpy as np

import autograd_core as ag


class Case(NamedTuple):
    f: object
    inputs: tuple
    options: dict = {}


# -- input values -------------------------------------------------------------------------------
def leaf(array):
    return ag.tensor(np.asarray(array, dtype=np.float64), requires_grad=True)


def even_grid(rng, shape):
    return 2.0 * rng.integers(-2, 3, shape) + rng.uniform(-0.3, 0.3, shape)


def odd_grid(rng, shape):
    """With even_grid: two operands that differ by at least 0.4 everywhere (no ties)."""
    return 2.0 * rng.integers(-2, 3, shape) + 1.0 + rng.uniform(-0.3, 0.3, shape)


def away_from_clip_bounds(rng, shape):
    """Values at least 0.1 away from every multiple of 0.5 (the clip bounds used below)."""
    return 0.5 * rng.integers(-4, 4, shape) + 0.25 + rng.uniform(-0.15, 0.15, shape)


UNARY_SHAPES = [(), (4,), (3, 4), (2, 3, 2)]
BINARY_SHAPES = [
    ((), ()),
    ((4,), (4,)),
    ((3, 4), (3, 4)),
    ((3, 1), (1, 4)),
    ((4,), (3, 4)),
    ((3, 4), (4,)),
    ((), (2, 3)),
    ((2, 3), ()),
    ((2, 1, 3), (4, 1)),
]
REDUCTION_SHAPES = [(), (4,), (3, 4), (2, 3, 4)]

CHECKS = {}


def checks(name):
    def register(builder):
        CHECKS[name] = builder
        return builder

    return register


def axis_options(ndim):
    """axis=None, a single axis (both signs) and tuples of axes that fit `ndim` dims."""
    options = [None]
    if ndim >= 1:
        options += [0, -1]
    if ndim >= 2:
        options += [1, (0, 1), (-1, 0)]
    if ndim >= 3:
        options += [(0, 2), (0, 1, 2)]
    return options
