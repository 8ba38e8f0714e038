"""Primitive checks of the reductions and scans added with ops/reduce.py (Prod) and
ops/scan.py (Cumsum, Cumprod, LogCumSumExp, LinearRecurrence), over the shape matrix with every
axis and keepdims option. Products are checked with exact zeros in the input (one and several):
a product is a polynomial, so finite differences are exact enough there too."""

from hypothesis import strategies as st

import autograd_core as ag
from autograd_cli.inputs import normal
from autograd_core.ops import scan as scan_ops
from tests.autograd_core.cases import REDUCTION_SHAPES, Case, axis_options, checks, leaf


def with_zeros(rng, shape, count):
    """Normal values with `count` entries (at random places) set to exactly 0."""
    values = rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)
    flat = values.reshape(-1)
    flat[rng.permutation(flat.size)[:count]] = 0.0
    return values


def scan_axes(ndim):
    """The axis options of a scan: None (the flattened tensor) and each axis, both signs."""
    return [None] + [a for a in range(-ndim, ndim)]


@checks("Prod")
def prod_case(draw, rng):
    shape = draw(st.sampled_from(REDUCTION_SHAPES))
    axis = draw(st.sampled_from(axis_options(len(shape))))
    keepdims = draw(st.booleans())
    zeros = draw(st.sampled_from([0, 1, 2, 3]))
    x = leaf(with_zeros(rng, shape, zeros))
    return Case(lambda x: ag.prod(x, axis=axis, keepdims=keepdims), (x,))


@checks("Cumsum")
def cumsum_case(draw, rng):
    shape = draw(st.sampled_from(REDUCTION_SHAPES))
    axis = draw(st.sampled_from(scan_axes(len(shape))))
    return Case(lambda x: ag.cumsum(x, axis=axis), (leaf(normal(rng, shape)),))


@checks("Cumprod")
def cumprod_case(draw, rng):
    shape = draw(st.sampled_from(REDUCTION_SHAPES))
    axis = draw(st.sampled_from(scan_axes(len(shape))))
    zeros = draw(st.sampled_from([0, 1, 2, 3]))
    x = leaf(with_zeros(rng, shape, zeros))
    return Case(lambda x: ag.cumprod(x, axis=axis), (x,))


@checks("LogCumSumExp")
def logcumsumexp_case(draw, rng):
    shape = draw(st.sampled_from(REDUCTION_SHAPES))
    axis = draw(st.sampled_from(scan_axes(len(shape))))
    offset = draw(st.sampled_from([0.0, 1000.0, -1000.0]))  # stable far from 0
    return Case(lambda x: ag.logcumsumexp(x, axis=axis),
                (leaf(3.0 * normal(rng, shape) + offset),))


@checks("LinearRecurrence")
def linear_recurrence_case(draw, rng):
    shape = draw(st.sampled_from(REDUCTION_SHAPES[1:]))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    reverse = draw(st.booleans())
    b, a = leaf(normal(rng, shape)), leaf(rng.uniform(-1.5, 1.5, shape))
    if draw(st.booleans()):  # a constant coefficient (the adjoint of a fixed scan)
        return Case(lambda b: scan_ops.linear_recurrence(b, a.data, axis, reverse), (b,))
    return Case(lambda b, a: scan_ops.linear_recurrence(b, a, axis, reverse), (b, a))
