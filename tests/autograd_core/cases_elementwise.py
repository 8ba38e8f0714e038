"""The gradient checks of the elementwise family (ops/trig.py, exponential.py, rounding.py, and
fmax, fmin, lerp in arithmetic.py): gradcheck and gradgradcheck in float64 over scalar, vector,
matrix and broadcasting shapes, each on inputs inside its domain and away from its kinks
(rounding functions away from whole and half numbers, remainders away from whole quotients).
test_primitives.py runs them with the rest of CHECKS.
"""

from functools import partial

from hypothesis import strategies as st

import autograd_core as ag
from autograd_cli.inputs import (
    above_one,
    away_from_half_integers,
    inside_unit,
    nonzero,
    normal,
    positive,
    quotient_pair,
)
from tests.autograd_core.cases import (
    BINARY_SHAPES,
    CHECKS,
    UNARY_SHAPES,
    Case,
    checks,
    even_grid,
    leaf,
    odd_grid,
)


def greater_than_minus_half(rng, shape):
    return rng.uniform(-0.5, 2.0, shape)


# primitive -> (the function users call, the values it is checked on)
UNARY = {
    "Tan": (ag.tan, inside_unit),
    "Arcsin": (ag.arcsin, inside_unit),
    "Arccos": (ag.arccos, inside_unit),
    "Arctan": (ag.arctan, normal),
    "Sinh": (ag.sinh, normal),
    "Cosh": (ag.cosh, normal),
    "Arcsinh": (ag.arcsinh, normal),
    "Arccosh": (ag.arccosh, above_one),
    "Arctanh": (ag.arctanh, inside_unit),
    "Degrees": (ag.degrees, normal),
    "Radians": (ag.radians, normal),
    "Log1p": (ag.log1p, greater_than_minus_half),
    "Expm1": (ag.expm1, normal),
    "Log2": (ag.log2, positive),
    "Log10": (ag.log10, positive),
    "Exp2": (ag.exp2, normal),
    "Reciprocal": (ag.reciprocal, nonzero),
    "Rsqrt": (ag.rsqrt, positive),
    "Square": (ag.square, normal),
    "Sign": (ag.sign, nonzero),
    "Floor": (ag.floor, away_from_half_integers),
    "Ceil": (ag.ceil, away_from_half_integers),
    "Trunc": (ag.trunc, away_from_half_integers),
}


def unary_case(op, values, draw, rng):
    shape = draw(st.sampled_from(UNARY_SHAPES))
    if draw(st.booleans()):  # the method, where there is one, is the same op
        method = getattr(ag.Tensor, op.__name__, None)
        op = method or op
    return Case(op, (leaf(values(rng, shape)),))


for _name, (_op, _values) in UNARY.items():
    CHECKS[_name] = partial(unary_case, _op, _values)


@checks("Round")
def round_case(draw, rng):
    shape = draw(st.sampled_from(UNARY_SHAPES))
    decimals = draw(st.sampled_from([0, 1, -1]))
    x = away_from_half_integers(rng, shape) * 10.0**-decimals
    return Case(lambda x: ag.round(x, decimals), (leaf(x),))


def _pairs(left, right):
    def draw_pair(rng, shape_a, shape_b):
        return left(rng, shape_a), right(rng, shape_b)

    return draw_pair


BINARY = {
    "Arctan2": (ag.arctan2, _pairs(normal, normal)),
    "Hypot": (ag.hypot, _pairs(normal, normal)),
    "LogAddExp": (ag.logaddexp, _pairs(normal, normal)),
    "Copysign": (ag.copysign, _pairs(nonzero, nonzero)),
    "Fmax": (ag.fmax, _pairs(even_grid, odd_grid)),
    "Fmin": (ag.fmin, _pairs(even_grid, odd_grid)),
    "Mod": (ag.mod, quotient_pair),
    "Fmod": (ag.fmod, quotient_pair),
    "FloorDivide": (ag.floor_divide, quotient_pair),
    "TruncDivide": (partial(ag.div, rounding_mode="trunc"), quotient_pair),
}


def binary_case(op, values, draw, rng):
    """Both operands Tensors, or one of them a constant array (either side) or number (right)."""
    shape_a, shape_b = draw(st.sampled_from(BINARY_SHAPES))
    a, b = values(rng, shape_a, shape_b)
    a, b = leaf(a), leaf(b)
    form = draw(st.sampled_from(["tensors", "array right", "array left", "number right"]))
    if form == "array right":
        return Case(lambda x: op(x, b.data), (a,))
    if form == "array left":
        return Case(lambda y: op(a.data, y), (b,))
    if form == "number right":
        a, b = values(rng, shape_a, ())
        return Case(lambda x: op(x, float(b)), (leaf(a),))
    return Case(op, (a, b))


for _name, (_op, _values) in BINARY.items():
    CHECKS[_name] = partial(binary_case, _op, _values)


@checks("Lerp")
def lerp_case(draw, rng):
    shape_a, shape_b = draw(st.sampled_from(BINARY_SHAPES))
    start, end = leaf(normal(rng, shape_a)), leaf(normal(rng, shape_b))
    weight_shape = draw(st.sampled_from([(), shape_a, shape_b]))
    weight = leaf(rng.uniform(-0.5, 1.5, weight_shape))  # both sides of 1/2, where it switches
    if draw(st.booleans()):
        number = float(rng.uniform(-0.5, 1.5))
        return Case(lambda s, e: ag.lerp(s, e, number), (start, end))
    return Case(ag.lerp, (start, end, weight))
