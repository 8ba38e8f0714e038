"""Every registered primitive against central finite differences, to first and second order.

`CHECKS` maps each primitive's name to a builder that draws shapes and options with hypothesis
and returns the function to check, its float64 inputs and any tolerances. Inputs are drawn away
from kinks and singularities (log and sqrt on positive values, relu/abs/max/clip away from ties
and from 0, pow with a positive base), where finite differences are meaningless.
A final test fails when a primitive has no entry, so no op can be added without a check.
"""

import operator
from functools import partial
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
from autograd_cli.inputs import nonzero, normal, positive, spaced
from autograd_core.ops import index as index_ops
from autograd_core.ops import shape as shape_ops
from autograd_core.ops import special as special_ops
from autograd_core.testing import gradcheck, gradgradcheck

REPO = Path(__file__).resolve().parents[2]

# Primitives defined in `nn` are checked by nn's own tests: name -> the test file (relative to the
# repository root) that runs gradcheck and gradgradcheck on them.
NN_PRIMITIVES_CHECKED_ELSEWHERE = {
    "Affine": "tests/nn/test_functional_layers.py",
    "Step": "tests/nn/test_functional_layers.py",
    "Im2Col": "tests/nn/test_im2col.py",
    "Col2Im": "tests/nn/test_im2col.py",
    "MaxPool": "tests/nn/test_pooling.py",
    "Convolution2d": "tests/nn/test_convolution.py",
    "SoftmaxCrossEntropy": "tests/nn/test_losses.py",
}


from tests.autograd_core import (  # noqa: E402, F401  (each registers its checks)
    cases_elementwise,
    cases_linalg,
    cases_reduce,
    cases_shape,
)
from tests.autograd_core.cases import (  # noqa: E402  (the shared table and its helpers)
    BINARY_SHAPES,
    CHECKS,
    REDUCTION_SHAPES,
    UNARY_SHAPES,
    Case,
    away_from_clip_bounds,
    axis_options,
    checks,
    even_grid,
    leaf,
    odd_grid,
)

# -- elementwise --------------------------------------------------------------------------------
UNARY = {
    "Neg": (operator.neg, normal),
    "Exp": (ag.exp, normal),
    "Log": (ag.log, positive),
    "Sqrt": (ag.sqrt, positive),
    "Abs": (ag.abs, nonzero),
    "Sin": (ag.sin, normal),
    "Cos": (ag.cos, normal),
    "Tanh": (ag.tanh, normal),
    "Sigmoid": (ag.sigmoid, normal),
    "Relu": (ag.relu, nonzero),
    "Softplus": (ag.softplus, normal),
    "Erf": (special_ops.erf, normal),
    "Erfc": (special_ops.erfc, normal),
}


def unary_case(op, values, draw, rng):
    shape = draw(st.sampled_from(UNARY_SHAPES))
    return Case(op, (leaf(values(rng, shape)),))


for _name, (_op, _values) in UNARY.items():
    CHECKS[_name] = partial(unary_case, _op, _values)

BINARY = {
    "Add": (operator.add, normal, normal),
    "Sub": (operator.sub, normal, normal),
    "Mul": (operator.mul, normal, normal),
    "Div": (operator.truediv, normal, nonzero),
    "Maximum": (ag.maximum, even_grid, odd_grid),
    "Minimum": (ag.minimum, even_grid, odd_grid),
}


def binary_case(op, left, right, draw, rng):
    """Both operands Tensors, or one of them a constant: a NumPy array (on either side, so the
    reflected operators run) or a Python number."""
    shape_a, shape_b = draw(st.sampled_from(BINARY_SHAPES))
    a, b = leaf(left(rng, shape_a)), leaf(right(rng, shape_b))
    form = draw(st.sampled_from(["tensors", "array right", "array left", "number right"]))
    if form == "array right":
        return Case(lambda x: op(x, b.data), (a,))
    if form == "array left":
        return Case(lambda y: op(a.data, y), (b,))
    if form == "number right":
        number = float(right(rng, ()))
        return Case(lambda x: op(x, number), (a,))
    return Case(op, (a, b))


for _name, (_op, _left, _right) in BINARY.items():
    CHECKS[_name] = partial(binary_case, _op, _left, _right)


@checks("Pow")
def pow_case(draw, rng):
    form = draw(st.sampled_from(["tensors", "integer exponent", "real exponent", "number base"]))
    shape_a, shape_b = draw(st.sampled_from(BINARY_SHAPES))
    if form == "integer exponent":  # any sign of base works for an integer power
        k = draw(st.sampled_from([2, 3, -1]))
        values = nonzero if k < 0 else normal
        return Case(lambda x: x**k, (leaf(values(rng, shape_a)),))
    if form == "real exponent":
        return Case(lambda x: x**2.5, (leaf(positive(rng, shape_a)),))
    if form == "number base":  # 2 ** x: the reflected form
        return Case(lambda p: 2.0**p, (leaf(normal(rng, shape_b)),))
    return Case(operator.pow, (leaf(positive(rng, shape_a)), leaf(normal(rng, shape_b))))


@checks("Where")
def where_case(draw, rng):
    shape_a, shape_b = draw(st.sampled_from(BINARY_SHAPES))
    full = np.broadcast_shapes(shape_a, shape_b)
    cond = rng.random(draw(st.sampled_from([shape_a, shape_b, full]))) > 0.5
    if draw(st.booleans()):
        cond = ag.tensor(cond)
    a, b = leaf(normal(rng, shape_a)), leaf(normal(rng, shape_b))
    if draw(st.booleans()):
        return Case(lambda a: ag.where(cond, a, 0.0), (a,))
    return Case(lambda a, b: ag.where(cond, a, b), (a, b))


@checks("Clip")
def clip_case(draw, rng):
    lo, hi = draw(st.sampled_from([(-0.5, 0.5), (None, 0.5), (-0.5, None), (-1.0, 0.0)]))
    shape = draw(st.sampled_from(UNARY_SHAPES))
    return Case(lambda x: x.clip(lo, hi), (leaf(away_from_clip_bounds(rng, shape)),))


@checks("Cast")
def cast_case(draw, rng):
    dtype = draw(st.sampled_from([np.float32, np.longdouble]))
    shape = draw(st.sampled_from(UNARY_SHAPES))
    x = leaf(normal(rng, shape))
    if dtype == np.float32:
        # A float32 result is only good to ~1e-7 relative, so the differences need a larger step.
        return Case(lambda x: x.astype(dtype) * 2.0, (x,), dict(eps=1e-3, atol=1e-4))
    return Case(lambda x: (x.astype(dtype) * 2.0).sin(), (x,))


# -- reductions and the softmax family ---------------------------------------------------------
def reduction_case(method, values, draw, rng):
    shape = draw(st.sampled_from(REDUCTION_SHAPES))
    axis = draw(st.sampled_from(axis_options(len(shape))))
    keepdims = draw(st.booleans())
    return Case(lambda x: method(x, axis=axis, keepdims=keepdims), (leaf(values(rng, shape)),))


CHECKS["Sum"] = partial(reduction_case, ag.sum, normal)
CHECKS["Max"] = partial(reduction_case, ag.max, spaced)
CHECKS["Min"] = partial(reduction_case, ag.min, spaced)
CHECKS["LogSumExp"] = partial(reduction_case, ag.logsumexp, normal)


def softmax_case(method, draw, rng):
    shape = draw(st.sampled_from(REDUCTION_SHAPES))
    axis = draw(st.sampled_from(axis_options(len(shape))))
    return Case(lambda x: method(x, axis=axis), (leaf(normal(rng, shape) * 2),))


CHECKS["Softmax"] = partial(softmax_case, ag.softmax)
CHECKS["LogSoftmax"] = partial(softmax_case, ag.log_softmax)


# -- shapes -------------------------------------------------------------------------------------
RESHAPES = [
    ((), (1, 1)),
    ((1, 1), ()),
    ((4,), (2, 2)),
    ((3, 4), (12,)),
    ((3, 4), (2, -1)),
    ((3, 4), (4, 3, 1)),
    ((2, 3, 4), (6, 4)),
]


@checks("Reshape")
def reshape_case(draw, rng):
    shape, target = draw(st.sampled_from(RESHAPES))
    if draw(st.booleans()):
        return Case(lambda x: x.reshape(*target), (leaf(normal(rng, shape)),))
    return Case(lambda x: x.reshape(target), (leaf(normal(rng, shape)),))


@checks("Transpose")
def transpose_case(draw, rng):
    shape = draw(st.sampled_from([(4,), (3, 4), (2, 3, 4)]))
    x = leaf(normal(rng, shape))
    form = draw(st.sampled_from(["reverse", "permutation", "negative axes", ".T", "swapaxes"]))
    if form == "reverse":
        return Case(lambda x: x.transpose(), (x,))
    if form == ".T":
        return Case(lambda x: x.T, (x,))
    if form == "swapaxes":
        return Case(lambda x: x.swapaxes(0, -1), (x,))
    axes = tuple(draw(st.permutations(range(len(shape)))))
    if form == "negative axes":
        axes = tuple(a - len(shape) for a in axes)
    return Case(lambda x: x.transpose(axes), (x,))


BROADCASTS = [
    ((), (2, 3)),
    ((4,), (3, 4)),
    ((3, 1), (3, 4)),
    ((3, 1), (2, 3, 4)),
    ((1,), (5,)),
    ((3, 4), (3, 4)),
]


@checks("BroadcastTo")
def broadcast_to_case(draw, rng):
    shape, target = draw(st.sampled_from(BROADCASTS))
    return Case(lambda x: x.broadcast_to(target), (leaf(normal(rng, shape)),))


@checks("SumTo")
def sum_to_case(draw, rng):
    target, shape = draw(st.sampled_from(BROADCASTS))
    return Case(lambda x: shape_ops.SumTo.apply(x, shape=target), (leaf(normal(rng, shape)),))


@checks("Concatenate")
def concatenate_case(draw, rng):
    ndim = draw(st.sampled_from([1, 2, 3]))
    axis = draw(st.integers(-ndim, ndim - 1))
    count = draw(st.integers(1, 3))
    shapes = []
    for k in range(count):
        shape = [2, 3, 2][:ndim]
        shape[axis] = k + 1
        shapes.append(tuple(shape))
    inputs = tuple(leaf(normal(rng, s)) for s in shapes)
    if draw(st.booleans()):  # a constant among the pieces gets no gradient
        constant = np.ones(shapes[0])
        return Case(lambda *xs: ag.concatenate([constant, *xs], axis=axis), inputs)
    return Case(lambda *xs: ag.concatenate(xs, axis=axis), inputs)


MASK = np.array(
    [[True, False, False, True], [False, False, True, False], [True, True, False, False]]
)

# (input shape, index) pairs: basic indexing, advanced indexing with repeated entries (their
# gradients must accumulate), masks, and mixtures. Lists and Tensors are valid indices too.
INDEXES = [
    ((), ()),
    ((), None),
    ((4,), 2),
    ((4,), -1),
    ((4,), slice(1, 3)),
    ((4,), slice(None, None, -2)),
    ((3, 4), 1),
    ((3, 4), (slice(None), 2)),
    ((3, 4), (None, 1)),
    ((3, 4), (Ellipsis, 1)),
    ((3, 4), np.array([0, 2, 0])),
    ((3, 4), (np.array([0, 0, 2]), np.array([1, 1, 3]))),
    ((3, 4), MASK),
    ((3, 4), (slice(1, None), np.array([3, 3, 0]))),
    ((2, 3, 4), (0, Ellipsis, np.array([3, 3]))),
    ((2, 3, 4), (slice(None), None, 1, slice(0, 3, 2))),
    ((2, 3, 4), (np.array([[1, 0], [1, 1]]),)),
]


@checks("GetItem")
def getitem_case(draw, rng):
    shape, index = draw(st.sampled_from(INDEXES))
    form = draw(st.sampled_from(["array", "list", "tensor"]))
    if isinstance(index, np.ndarray) and form == "list":
        index = index.tolist()
    elif isinstance(index, np.ndarray) and form == "tensor":
        index = ag.tensor(index)
    return Case(lambda x: x[index], (leaf(normal(rng, shape)),))


DIAGONALS = [((3, 3), 0, 0, 1), ((3, 4), 1, 0, 1), ((4, 3), -1, 0, 1), ((2, 3, 4), 0, 1, 2),
             ((2, 3, 4), 1, 2, 0), ((3, 2, 3), 0, -1, 0)]


@checks("Diagonal")
def diagonal_case(draw, rng):
    shape, offset, axis1, axis2 = draw(st.sampled_from(DIAGONALS))
    return Case(lambda x: x.diagonal(offset, axis1, axis2), (leaf(normal(rng, shape)),))


@checks("EmbedDiagonal")
def embed_diagonal_case(draw, rng):
    shape, *where = draw(st.sampled_from(DIAGONALS))
    g_shape = np.zeros(shape).diagonal(*where).shape
    return Case(lambda g: shape_ops.EmbedDiagonal.apply(g, shape=shape, where=tuple(where)),
                (leaf(normal(rng, g_shape)),))


@checks("Clone")
def clone_case(draw, rng):
    shape = draw(st.sampled_from(UNARY_SHAPES))
    return Case(lambda x: x.clone() * x, (leaf(normal(rng, shape)),))


# View chains that a change through a view writes back through (inplace.WriteRegion).
WRITE_REGIONS = [
    ((4,), ((index_ops.GetItem, {"index": slice(1, 3)}),)),
    ((3, 4), ((shape_ops.Transpose, {"axes": None}), (index_ops.GetItem, {"index": 1}))),
    ((3, 4), ((shape_ops.Reshape, {"shape": (2, 6)}),
              (index_ops.GetItem, {"index": (0, slice(None, None, 2))}))),
    ((3, 3), ((shape_ops.Diagonal, {"offset": 0, "axis1": 0, "axis2": 1}),)),
    ((2, 3), ((index_ops.GetItem, {"index": (Ellipsis, None, 0)}),)),
]


@checks("WriteRegion")
def write_region_case(draw, rng):
    from autograd_core.inplace import WriteRegion

    shape, chain = draw(st.sampled_from(WRITE_REGIONS))
    region = np.zeros(shape)
    for op, params in chain:
        region = op.apply(region, **params)
    value_shape = draw(st.sampled_from([np.shape(region), ()]))
    return Case(lambda base, value: WriteRegion.apply(base * 1.0, value, chain=chain),
                (leaf(normal(rng, shape)), leaf(normal(rng, value_shape))))


@checks("ScatterAdd")
def scatter_add_case(draw, rng):
    shape, index = draw(st.sampled_from(INDEXES))
    g_shape = np.zeros(shape)[index].shape
    return Case(
        lambda g: index_ops.ScatterAdd.apply(g, index=index, shape=shape),
        (leaf(normal(rng, g_shape)),),
    )


# Item assignment with repeated indices writes only the last value (NumPy's rule), so the
# assigned indices here are unique.
ASSIGNMENTS = [
    ((4,), 2),
    ((4,), slice(1, 3)),
    ((3, 4), (slice(None), 2)),
    ((3, 4), np.array([2, 0])),
    ((3, 4), MASK),
    ((2, 3, 4), (0, Ellipsis, np.array([3, 1]))),
]


@checks("SetItem")
def setitem_case(draw, rng):
    shape, index = draw(st.sampled_from(ASSIGNMENTS))
    target_shape = np.zeros(shape)[index].shape
    value_shape = draw(st.sampled_from([target_shape, (), target_shape[-1:]]))
    x, v = leaf(normal(rng, shape)), leaf(normal(rng, value_shape))

    def assign(x, v):
        y = x * 1.0  # a non-leaf: item assignment is recorded as SetItem
        y[index] = v
        return y

    if draw(st.booleans()):
        return Case(lambda x: assign(x, v.data), (x,))
    return Case(assign, (x, v))


# -- linear algebra -----------------------------------------------------------------------------
MATMUL_SHAPES = [
    ((4,), (4,)),
    ((3, 4), (4,)),
    ((4,), (4, 2)),
    ((3, 4), (4, 2)),
    ((2, 3, 4), (4, 2)),
    ((2, 3, 4), (2, 4, 5)),
    ((1, 3, 4), (2, 4, 2)),
    ((4,), (2, 4, 3)),
    ((2, 3, 4), (4,)),
]


@checks("MatMul")
def matmul_case(draw, rng):
    shape_a, shape_b = draw(st.sampled_from(MATMUL_SHAPES))
    a, b = leaf(normal(rng, shape_a)), leaf(normal(rng, shape_b))
    form = draw(st.sampled_from(["@", "ag.matmul", "method", "array left", "array right"]))
    if form == "ag.matmul":
        return Case(ag.matmul, (a, b))
    if form == "method":
        return Case(lambda a, b: a.matmul(b), (a, b))
    if form == "array left":
        return Case(lambda b: a.data @ b, (b,))
    if form == "array right":
        return Case(lambda a: a @ b.data, (a,))
    return Case(operator.matmul, (a, b))


EINSUMS = [
    ("ij,jk->ik", [(3, 4), (4, 2)]),
    ("ij,jk", [(3, 4), (4, 2)]),
    ("ii->i", [(3, 3)]),
    ("ii", [(3, 3)]),
    ("ij->", [(3, 4)]),
    ("ij->ji", [(3, 4)]),
    ("i,i->", [(4,), (4,)]),
    ("i,j->ij", [(3,), (4,)]),
    ("ij,j->i", [(3, 4), (4,)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 2)]),
    ("...ij,...jk", [(2, 3, 4), (2, 4, 2)]),
    ("iij->j", [(3, 3, 2)]),
    (",i->i", [(), (4,)]),
    ("ij,ij,ij->i", [(3, 4), (3, 4), (3, 4)]),
    ("ij,kj->ikj", [(3, 4), (2, 4)]),
    ("ki,jk->ij", [(3, 2), (4, 1)]),  # k is 1 in b and broadcasts against a's 3
    ("ij,ij->i", [(3, 1), (1, 4)]),
]


@checks("Einsum")
def einsum_case(draw, rng):
    subscripts, shapes = draw(st.sampled_from(EINSUMS))
    inputs = tuple(leaf(normal(rng, s)) for s in shapes)
    return Case(lambda *xs: ag.einsum(subscripts, *xs), inputs)


# -- the checks ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(CHECKS))
@given(data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_primitive_first_and_second_derivatives(name, data, seed):
    case = CHECKS[name](data.draw, np.random.default_rng(seed))
    assert gradcheck(case.f, case.inputs, **case.options)
    assert gradgradcheck(case.f, case.inputs, **case.options)


# Hypothesis samples the tables above; these run every row of them once, deterministically.
def check_both(f, inputs):
    assert gradcheck(f, inputs)
    assert gradgradcheck(f, inputs)


@pytest.mark.parametrize("op", sorted(BINARY))
@pytest.mark.parametrize("shape_a, shape_b", BINARY_SHAPES, ids=str)
def test_every_broadcasting_pair(op, shape_a, shape_b, rng):
    function, left, right = BINARY[op]
    check_both(function, (leaf(left(rng, shape_a)), leaf(right(rng, shape_b))))


REDUCTIONS = {
    "sum": (ag.sum, normal),
    "max": (ag.max, spaced),
    "min": (ag.min, spaced),
    "logsumexp": (ag.logsumexp, normal),
}


@pytest.mark.parametrize("op", sorted(REDUCTIONS))
@pytest.mark.parametrize(
    "shape, axis",
    [(shape, axis) for shape in REDUCTION_SHAPES for axis in axis_options(len(shape))],
    ids=str,
)
@pytest.mark.parametrize("keepdims", [False, True])
def test_every_reduction_axis(op, shape, axis, keepdims, rng):
    method, values = REDUCTIONS[op]
    check_both(lambda x: method(x, axis=axis, keepdims=keepdims), leaf(values(rng, shape)))


@pytest.mark.parametrize("op", [ag.softmax, ag.log_softmax], ids=["softmax", "log_softmax"])
@pytest.mark.parametrize(
    "shape, axis",
    [(shape, axis) for shape in REDUCTION_SHAPES[1:] for axis in axis_options(len(shape))],
    ids=str,
)
def test_every_softmax_axis(op, shape, axis, rng):
    check_both(lambda x: op(x, axis=axis), leaf(normal(rng, shape)))


@pytest.mark.parametrize("shape, index", INDEXES, ids=str)
def test_every_index(shape, index, rng):
    check_both(lambda x: x[index], leaf(normal(rng, shape)))


@pytest.mark.parametrize("shape_a, shape_b", MATMUL_SHAPES, ids=str)
def test_every_matmul_shape_pair(shape_a, shape_b, rng):
    check_both(operator.matmul, (leaf(normal(rng, shape_a)), leaf(normal(rng, shape_b))))


@pytest.mark.parametrize("subscripts, shapes", EINSUMS, ids=str)
def test_every_einsum(subscripts, shapes, rng):
    inputs = tuple(leaf(normal(rng, s)) for s in shapes)
    check_both(lambda *xs: ag.einsum(subscripts, *xs), inputs)


# Composite operations (built from the primitives above) that users call directly.
COMPOSITES = {
    "mean": (lambda x: x.mean(axis=0), (3, 4)),
    "mean all": (lambda x: ag.mean(x), (3, 4)),
    "var": (lambda x: x.var(axis=-1, keepdims=True), (3, 4)),
    "var ddof=1": (lambda x: x.var(ddof=1), (3, 4)),
    "stack": (lambda x: ag.stack([x, x * 2, x.sin()], axis=1), (3, 4)),
    "split": (lambda x: ag.split(x, [1, 3], axis=1)[1] * ag.split(x, 2, axis=1)[0], (3, 4)),
    "squeeze": (lambda x: x.squeeze(), (3, 1, 4)),
    "squeeze axis": (lambda x: x.squeeze(axis=1), (3, 1, 4)),
    "expand_dims": (lambda x: x.expand_dims(0), (3, 4)),
    "flatten": (lambda x: x.flatten(), (3, 4)),
    "abs()": (lambda x: abs(x) + 1, (4,)),
    "pos": (lambda x: +x, (4,)),
}


@pytest.mark.parametrize("name", sorted(COMPOSITES))
def test_composite_first_and_second_derivatives(name, rng):
    f, shape = COMPOSITES[name]
    x = leaf(nonzero(rng, shape))
    assert gradcheck(f, x)
    assert gradgradcheck(f, x)


def _registered_primitives():
    """(core, from_nn): registered primitive names, by the package that defines them."""
    for module in ("nn", "nn.functional"):
        try:
            __import__(module)
        except ImportError:
            pass
    return set(ag.testing.primitives("autograd_core")), set(ag.testing.primitives("nn"))


def test_every_primitive_has_a_check():
    core, from_nn = _registered_primitives()
    missing = sorted(core - set(CHECKS))
    assert not missing, f"primitives without an entry in CHECKS: {missing}"
    stale = sorted(set(CHECKS) - core)
    assert not stale, f"CHECKS entries for names that are not registered primitives: {stale}"

    unlisted = sorted(from_nn - set(NN_PRIMITIVES_CHECKED_ELSEWHERE))
    assert not unlisted, (
        f"nn primitives {unlisted} are not in NN_PRIMITIVES_CHECKED_ELSEWHERE; add each with "
        "the test file that runs gradcheck and gradgradcheck on it"
    )
    for name in sorted(from_nn):
        path = REPO / NN_PRIMITIVES_CHECKED_ELSEWHERE[name]
        assert path.is_file(), f"{name}: {path} does not exist"
        assert name in path.read_text(), f"{name}: {path} does not mention it"


def test_the_enumeration_catches_unchecked_primitives():
    class Unchecked(ag.Function):
        __module__ = "autograd_core.ops.made_up"

        @staticmethod
        def forward(ctx, x):
            return x

    class UnlistedLayer(ag.Function):
        __module__ = "nn.functional.made_up"

        @staticmethod
        def forward(ctx, x):
            return x

    try:
        assert ag.testing.primitives().get("Unchecked") is Unchecked
        with pytest.raises(AssertionError, match=r"without an entry in CHECKS: \['Unchecked'\]"):
            test_every_primitive_has_a_check()
        Unchecked.__module__ = "tests.made_up"  # no longer the engine's
        with pytest.raises(AssertionError, match=r"\['UnlistedLayer'\].*NN_PRIMITIVES"):
            test_every_primitive_has_a_check()
    finally:
        Unchecked.__module__ = UnlistedLayer.__module__ = "tests.made_up"


# -- the gradient conventions at kinks and ties (API.md) ----------------------------------------
def _gradient(f, values):
    x = leaf(values)
    (g,) = ag.grad(f(x).sum(), x)
    return g.data


def test_relu_and_abs_have_zero_derivative_at_zero():
    assert np.array_equal(_gradient(ag.relu, [-1.0, 0.0, 2.0]), [0.0, 0.0, 1.0])
    assert np.array_equal(_gradient(ag.abs, [-1.0, 0.0, 2.0]), [-1.0, 0.0, 1.0])


def test_max_and_min_split_the_gradient_evenly_among_ties():
    assert np.array_equal(_gradient(ag.max, [1.0, 3.0, 3.0]), [0.0, 0.5, 0.5])
    assert np.array_equal(_gradient(ag.min, [1.0, 1.0, 1.0, 3.0]), [1 / 3, 1 / 3, 1 / 3, 0.0])
    g = _gradient(lambda x: x.max(axis=0), [[1.0, 2.0], [1.0, 0.0]])
    assert np.array_equal(g, [[0.5, 1.0], [0.5, 0.0]])


def test_maximum_and_minimum_split_ties_between_the_operands():
    a, b = leaf([1.0, 2.0, 5.0]), leaf([1.0, 3.0, 4.0])
    ga, gb = ag.grad(ag.maximum(a, b).sum(), (a, b))
    assert np.array_equal(ga.data, [0.5, 0.0, 1.0]) and np.array_equal(gb.data, [0.5, 1.0, 0.0])
    ga, gb = ag.grad(ag.minimum(a, b).sum(), (a, b))
    assert np.array_equal(ga.data, [0.5, 1.0, 0.0]) and np.array_equal(gb.data, [0.5, 0.0, 1.0])


def test_clip_passes_the_gradient_inside_the_closed_interval():
    g = _gradient(lambda x: x.clip(-1.0, 1.0), [-2.0, -1.0, 0.0, 1.0, 1.5])
    assert np.array_equal(g, [0.0, 1.0, 1.0, 1.0, 0.0])


def test_broadcast_gradients_are_summed_back_to_each_input_shape(rng):
    a, b = leaf(rng.standard_normal((3, 1))), leaf(rng.standard_normal((1, 4)))
    c = leaf(rng.standard_normal(()))
    (a * b + c).sum().backward()
    assert a.grad.shape == (3, 1) and b.grad.shape == (1, 4) and c.grad.shape == ()
    assert np.allclose(a.grad.data, b.data.sum() * np.ones((3, 1)))
    assert np.allclose(b.grad.data, a.data.sum() * np.ones((1, 4)))
    assert c.grad.item() == 12.0


# -- higher order -------------------------------------------------------------------------------
def derivatives(f, x, order):
    """[f'(x), f''(x), ...] up to `order`, by nested ag.grad with create_graph=True."""
    result = []
    y = f(x)
    for _ in range(order):
        if y.requires_grad:
            (y,) = ag.grad(y.sum(), x, create_graph=True)
        else:  # the previous derivative is a constant (a linear op): no history, zero slope
            y = ag.zeros_like(x)
        result.append(y)
    return result


def test_third_derivative_of_sin_times_square(rng):
    x = leaf(rng.uniform(-3, 3, 5))
    d1, d2, d3 = derivatives(lambda x: x.sin() * x**2, x, 3)
    v = x.data
    np.testing.assert_allclose(d1.data, 2 * v * np.sin(v) + v**2 * np.cos(v), rtol=1e-12)
    np.testing.assert_allclose(
        d2.data, 2 * np.sin(v) + 4 * v * np.cos(v) - v**2 * np.sin(v), rtol=1e-12, atol=1e-12
    )
    np.testing.assert_allclose(
        d3.data, 6 * np.cos(v) - 6 * v * np.sin(v) - v**2 * np.cos(v), rtol=1e-12, atol=1e-12
    )
    assert all(d.grad_fn is not None for d in (d1, d2, d3))


def _sigmoid(v):
    return 1 / (1 + np.exp(-v))


# f, its third derivative in closed form, the values to evaluate at.
THIRD_DERIVATIVES = {
    "tanh": (ag.tanh, lambda v: (6 * np.tanh(v) ** 2 - 2) * (1 - np.tanh(v) ** 2), normal),
    "exp": (ag.exp, np.exp, normal),
    "log": (ag.log, lambda v: 2 / v**3, positive),
    "sqrt": (ag.sqrt, lambda v: 3 / 8 * v**-2.5, positive),
    "sin": (ag.sin, lambda v: -np.cos(v), normal),
    "cos": (ag.cos, np.sin, normal),
    "sigmoid": (
        ag.sigmoid,
        lambda v: _sigmoid(v) * (1 - _sigmoid(v)) * (1 - 6 * _sigmoid(v) * (1 - _sigmoid(v))),
        normal,
    ),
    "softplus": (
        ag.softplus,
        lambda v: _sigmoid(v) * (1 - _sigmoid(v)) * (1 - 2 * _sigmoid(v)),
        normal,
    ),
    "x ** 4": (lambda x: x**4, lambda v: 24 * v, normal),
    "1 / x": (lambda x: 1 / x, lambda v: -6 / v**4, nonzero),
    "x * x * x": (lambda x: x * x * x, lambda v: np.full_like(v, 6.0), normal),
    "logsumexp(x, 0) of a column": (
        lambda x: ag.logsumexp(ag.stack([x, ag.zeros(x.shape)]), axis=0),
        lambda v: _sigmoid(v) * (1 - _sigmoid(v)) * (1 - 2 * _sigmoid(v)),
        normal,
    ),
}


@pytest.mark.parametrize("name", sorted(THIRD_DERIVATIVES))
def test_third_derivative_matches_closed_form(name, rng):
    f, third, values = THIRD_DERIVATIVES[name]
    x = leaf(values(rng, (6,)))
    (d3,) = derivatives(f, x, 3)[-1:]
    expected = third(x.data)
    assert np.allclose(d3.data, expected, rtol=1e-9, atol=1e-12), (
        f"third derivative of {name}:\nengine      {d3.data}\nclosed form {expected}"
    )


@pytest.mark.parametrize("name", sorted(UNARY))
def test_third_derivative_matches_finite_differences(name, rng):
    """gradcheck of x -> f''(x) checks f''' against differences of the engine's f''."""
    op, values = UNARY[name]
    x = leaf(values(rng, (5,)))
    assert gradcheck(lambda x: derivatives(op, x, 2)[-1], x)


def test_mixed_third_partial_derivative():
    """f = x^2 y^3: d^3 f / dx dy dy = 12 x y."""
    x = ag.tensor(1.5, requires_grad=True)
    y = ag.tensor(-0.7, requires_grad=True)
    f = x**2 * y**3
    (fx,) = ag.grad(f, x, create_graph=True)
    (fxy,) = ag.grad(fx, y, create_graph=True)
    (fxyy,) = ag.grad(fxy, y)
    assert fxyy.item() == pytest.approx(12 * 1.5 * -0.7, rel=1e-12)
