"""The check inputs keep their promises: away from kinks, ties and singularities, any shape."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from autograd_cli import inputs

shapes = st.lists(st.integers(1, 5), min_size=0, max_size=3).map(tuple)
seeds = st.integers(0, 2**32 - 1)


@given(shapes, seeds)
def test_each_generator_draws_float64_of_the_shape_asked(shape, seed):
    for draw in (inputs.normal, inputs.positive, inputs.nonzero, inputs.spaced,
                 inputs.away_from_half_integers):
        values = draw(np.random.default_rng(seed), shape)
        assert values.shape == shape and values.dtype == np.float64, draw.__name__
    a, b = inputs.interleaved(np.random.default_rng(seed), shape)
    assert a.shape == b.shape == shape


@given(shapes, seeds)
def test_the_margins_hold(shape, seed):
    rng = np.random.default_rng(seed)
    positive = inputs.positive(rng, shape)
    assert np.all((positive >= 0.5) & (positive <= 2.0)), positive
    nonzero = np.abs(inputs.nonzero(rng, shape))
    assert np.all(nonzero >= 0.3), nonzero
    spaced = np.sort(inputs.spaced(rng, shape).ravel())
    assert np.all(np.diff(spaced) >= 0.3), spaced
    a, b = inputs.interleaved(rng, shape)
    assert np.all(np.abs(a - b) >= 0.4), (a, b)
    clipped = inputs.away_from_half_integers(rng, shape)
    distance = np.abs(clipped * 2 - np.round(clipped * 2)) / 2
    assert np.all(distance >= 0.1 - 1e-12), clipped
    unit = inputs.inside_unit(rng, shape)
    assert np.all(np.abs(unit) <= 0.8), unit
    above = inputs.above_one(rng, shape)
    assert np.all(above >= 1.3), above
    x, y = inputs.quotient_pair(rng, shape, shape[-1:])
    q = x / y
    assert np.all(np.abs(q - np.round(q)) >= 0.02) and np.all(np.abs(y) >= 0.5), (x, y)
