"""`verify`'s checks of the elementwise family (tan ... fmin, copysign, lerp, rsqrt): each
op's Jacobian derived by hand, merged into checks.PRIMITIVE_CHECKS by verify.py.

Every one is elementwise, so each Jacobian is diagonal: diag(df/dx) per input, the derivative
written from the calculus (d tan x = 1 + tan^2 x, d hypot(x, y) / dx = x / hypot(x, y), ...).
The rounding functions and the integer part of a division have zero Jacobians.
"""

import numpy as np

import autograd_core as ag

from .checks import Check, diagonal, leaf, sigmoid, unary
from .inputs import (
    above_one,
    away_from_half_integers,
    inside_unit,
    interleaved,
    nonzero,
    normal,
    positive,
    quotient_pair,
)

SHAPE = (3, 4)


def _zero(x, *others):
    return np.zeros_like(x)


def _binary(op, pairs, dx, dy):
    """A two-input elementwise check on (3, 4) operands: Jacobians diag(dx), diag(dy)."""

    def build(rng):
        x, y = pairs(rng)
        return op, (leaf(x), leaf(y))

    return Check(build, lambda x, y: (diagonal(dx)(x, y), diagonal(dy)(x, y)))


def _normal_pair(rng):
    return normal(rng, SHAPE), normal(rng, SHAPE)


def _nonzero_pair(rng):
    return nonzero(rng, SHAPE), nonzero(rng, SHAPE)


def _quotient_pair(rng):
    return quotient_pair(rng, SHAPE, SHAPE)


def _interleaved(rng):
    return interleaved(rng, SHAPE)


def _lerp(rng):
    return ag.lerp, (leaf(normal(rng, SHAPE)), leaf(normal(rng, SHAPE)),
                     leaf(rng.uniform(-0.5, 1.5, SHAPE)))


def _lerp_jacobians(start, end, weight):
    """lerp = start + w (end - start): d/dstart = 1 - w, d/dend = w, d/dw = end - start."""
    return (np.diag((1 - weight).ravel()), np.diag(weight.ravel()),
            np.diag((end - start).ravel()))


def _round_to_tenths(rng):
    return (lambda x: ag.round(x, 1)), (leaf(away_from_half_integers(rng, SHAPE) / 10),)


def _hypot(x, y):
    return np.sqrt(x * x + y * y)


ELEMENTWISE_CHECKS = {
    "Tan": unary(ag.tan, inside_unit, lambda x: 1 / np.cos(x) ** 2),
    "Arcsin": unary(ag.arcsin, inside_unit, lambda x: 1 / np.sqrt(1 - x * x)),
    "Arccos": unary(ag.arccos, inside_unit, lambda x: -1 / np.sqrt(1 - x * x)),
    "Arctan": unary(ag.arctan, normal, lambda x: 1 / (1 + x * x)),
    "Sinh": unary(ag.sinh, normal, lambda x: (np.exp(x) + np.exp(-x)) / 2),
    "Cosh": unary(ag.cosh, normal, lambda x: (np.exp(x) - np.exp(-x)) / 2),
    "Arcsinh": unary(ag.arcsinh, normal, lambda x: 1 / np.sqrt(1 + x * x)),
    "Arccosh": unary(ag.arccosh, above_one, lambda x: 1 / np.sqrt(x * x - 1)),
    "Arctanh": unary(ag.arctanh, inside_unit, lambda x: 1 / (1 - x * x)),
    "Degrees": unary(ag.degrees, normal, lambda x: np.full_like(x, 180 / np.pi)),
    "Radians": unary(ag.radians, normal, lambda x: np.full_like(x, np.pi / 180)),
    "Log1p": unary(ag.log1p, positive, lambda x: 1 / (1 + x)),
    "Expm1": unary(ag.expm1, normal, np.exp),
    "Log2": unary(ag.log2, positive, lambda x: 1 / (x * np.log(2))),
    "Log10": unary(ag.log10, positive, lambda x: 1 / (x * np.log(10))),
    "Exp2": unary(ag.exp2, normal, lambda x: 2.0**x * np.log(2)),
    "Reciprocal": unary(ag.reciprocal, nonzero, lambda x: -1 / x**2),
    "Rsqrt": unary(ag.rsqrt, positive, lambda x: -0.5 * x**-1.5),
    "Square": unary(ag.square, normal, lambda x: 2 * x),
    "Sign": unary(ag.sign, nonzero, _zero),
    "Floor": unary(ag.floor, away_from_half_integers, _zero),
    "Ceil": unary(ag.ceil, away_from_half_integers, _zero),
    "Trunc": unary(ag.trunc, away_from_half_integers, _zero),
    "Round": Check(_round_to_tenths, diagonal(_zero)),
    # atan2(y, x): d/dy = x / (x^2 + y^2), d/dx = -y / (x^2 + y^2)
    "Arctan2": _binary(ag.arctan2, _normal_pair, lambda y, x: x / (x * x + y * y),
                       lambda y, x: -y / (x * x + y * y)),
    "Hypot": _binary(ag.hypot, _normal_pair, lambda x, y: x / _hypot(x, y),
                     lambda x, y: y / _hypot(x, y)),
    # d log(e^x + e^y) / dx = e^x / (e^x + e^y) = sigmoid(x - y)
    "LogAddExp": _binary(ag.logaddexp, _normal_pair, lambda x, y: sigmoid(x - y),
                         lambda x, y: sigmoid(y - x)),
    # copysign(x, y) = |x| sign(y): d/dx = sign(x) sign(y), d/dy = 0 (away from y = 0)
    "Copysign": _binary(ag.copysign, _nonzero_pair, lambda x, y: np.sign(x) * np.sign(y),
                        _zero),
    "Fmax": _binary(ag.fmax, _interleaved, lambda x, y: (x > y).astype(float),
                    lambda x, y: (x < y).astype(float)),
    "Fmin": _binary(ag.fmin, _interleaved, lambda x, y: (x < y).astype(float),
                    lambda x, y: (x > y).astype(float)),
    # x = y q + r: dr/dx = 1, dr/dy = -q, with q rounded down (mod) or towards zero (fmod)
    "Mod": _binary(ag.mod, _quotient_pair, lambda x, y: np.ones_like(x),
                   lambda x, y: -np.floor(x / y)),
    "Fmod": _binary(ag.fmod, _quotient_pair, lambda x, y: np.ones_like(x),
                    lambda x, y: -np.trunc(x / y)),
    "FloorDivide": _binary(ag.floor_divide, _quotient_pair, _zero, _zero),
    "TruncDivide": _binary(lambda x, y: ag.div(x, y, rounding_mode="trunc"), _quotient_pair,
                           _zero, _zero),
    "Lerp": Check(_lerp, _lerp_jacobians),
}
