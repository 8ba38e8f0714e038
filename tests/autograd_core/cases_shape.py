"""Primitive checks of the selection ops added with ops/scatter.py (ScatterReduce: prod, amax,
amin), over 1-D to 3-D tensors, every axis, with and without t's own values, indices that
repeat (groups of several entries) and an index smaller than src (PyTorch's rule)."""

import numpy as np
from hypothesis import strategies as st

import autograd_core as ag
from tests.autograd_core.cases import Case, checks, leaf
from tests.autograd_core.cases_reduce import with_zeros

SCATTER_SHAPES = [((4,), (5,), (6,)), ((3, 4), (3, 2), (4, 3)), ((2, 3, 4), (2, 3, 2), (2, 3, 3))]


def spaced_pair(rng, shape_t, shape_src):
    """Two tensors whose values are all distinct and at least 0.3 apart (no ties to split)."""
    sizes = int(np.prod(shape_t)), int(np.prod(shape_src))
    values = (rng.permutation(sum(sizes)) - sum(sizes) / 2) * 0.5
    values = values + rng.uniform(-0.1, 0.1, values.shape)
    return values[:sizes[0]].reshape(shape_t), values[sizes[0]:].reshape(shape_src)


def scatter_index(rng, shape_t, shape_index, axis):
    """Indices into axis `axis` of shape_t that repeat (a group of several src entries)."""
    return rng.integers(0, min(shape_t[axis], 2), shape_index) if rng.random() < 0.5 \
        else rng.integers(0, shape_t[axis], shape_index)


@checks("ScatterReduce")
def scatter_reduce_case(draw, rng):
    shape_t, shape_index, shape_src = draw(st.sampled_from(SCATTER_SHAPES))
    axis = draw(st.integers(-len(shape_t), len(shape_t) - 1))  # every index fits every axis
    reduce = draw(st.sampled_from(["prod", "amax", "amin"]))
    include_self = draw(st.booleans())
    index = scatter_index(rng, shape_t, shape_index, axis)
    if reduce == "prod":
        t = with_zeros(rng, shape_t, draw(st.sampled_from([0, 1])))
        src = with_zeros(rng, shape_src, draw(st.sampled_from([0, 1, 2])))
    else:
        t, src = spaced_pair(rng, shape_t, shape_src)

    def f(t, src):
        return ag.scatter_reduce(t, axis, index, src, reduce, include_self=include_self)

    form = draw(st.sampled_from(["both", "t only", "src only"]))
    if form == "t only":
        return Case(lambda t: f(t, src), (leaf(t),))
    if form == "src only":
        return Case(lambda s: f(t, s), (leaf(src),))
    return Case(f, (leaf(t), leaf(src)))
