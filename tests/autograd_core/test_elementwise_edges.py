"""Every elementwise primitive and its first derivative at the edges of the float range, as one
literal table: the value and the derivative at 0, -0, 1e-300, -1e-300, 1e300, -1e300, +inf,
-inf and NaN, then a few interior points that have a convention of their own.

The conventions (where calculus, IEEE 754 and PyTorch could disagree, what the engine gives):
- Values are IEEE 754's and NumPy's: the sign of a zero result is checked (sin(-0) = -0,
  sqrt(-0) = -0, 1/-0 = -inf), except where NumPy leaves it open (a tie of maximum or minimum
  between 0 and -0: "+-0" below). The sign of a zero derivative is not a convention.
- Outside an op's domain the value is NaN (NumPy's, with its RuntimeWarning; nothing raises)
  and the derivative is what the derivative's formula gives there, as in PyTorch
  (log'(-1) = -1, arctanh'(2) = -1/3); the NaN value is what shows the domain error.
- -0 is the point 0: every derivative at -0 is the one at +0 (log'(-0) = sqrt'(-0) = +inf,
  rsqrt'(-0) = -inf), where PyTorch's formulas give log'(-0) = -inf.
- Kinks, by PyTorch's choice: relu'(0) = 0, abs'(0) = 0, sign, floor, ceil, round, trunc and
  the integer part of a division have derivative 0 everywhere (exact zeros); clip passes the
  gradient where lo <= x <= hi (so at the bounds); copysign'(0) = 0, as abs'.
- Ties: maximum, minimum, fmax and fmin give half the gradient to each operand; logaddexp(x, x)
  gives half to each, infinities included (the limit along x = y, not inf - inf = NaN).
- Powers: d(x**0)/dx = 0 everywhere (0 at x = 0, not 0 * inf) and d(0**y)/dy = 0 for y >= 0
  (PyTorch's choice at y = 0); elsewhere x**p follows the formulas (d(0**y)/dy = -inf for y < 0).
- Singular points of two-argument functions: arctan2's gradient at the origin is 0 (PyTorch's),
  hypot's is NaN (PyTorch's); where hypot is infinite both take their limits (arctan2: 0;
  hypot: the sign of the infinite operand), where PyTorch's formulas give inf / inf = NaN.
- Where the true value underflows or overflows, so does the engine's (tanh'(1e300) = 0,
  reciprocal'(1e-300) = -inf), but not sooner: arcsinh'(1e300) = 1e-300, not 1 / sqrt(inf).
- NaN propagates: every floating op of NaN is NaN, with a NaN derivative where the formula uses
  the value; piecewise rules keep their shape (relu'(NaN) = clip'(NaN) = 0: NaN is not > 0 nor
  inside [lo, hi]; maximum and minimum send the gradient to the NaN operand, which is the one
  they return; fmax and fmin to the other, which is the one they return).
"""

import math
import warnings

import autograd_core as ag

INF, NAN = math.inf, math.nan
TINY, HUGE = 1e-300, 1e300
EITHER_ZERO = "+-0"  # a zero whose sign NumPy does not define
POINTS = (0.0, -0.0, TINY, -TINY, HUGE, -HUGE, INF, -INF, NAN)
PI = math.pi
LN2, LN10 = math.log(2), math.log(10)
TO_DEGREES, TO_RADIANS = 180 / math.pi, math.pi / 180
SQRT_PI = math.sqrt(math.pi)

FUNCTIONS = {
    "exp": ag.exp, "log": ag.log, "sqrt": ag.sqrt, "abs": ag.abs, "sin": ag.sin, "cos": ag.cos,
    "tanh": ag.tanh, "sigmoid": ag.sigmoid, "relu": ag.relu, "softplus": ag.softplus,
    "erf": ag.erf, "erfc": ag.erfc, "-x": lambda x: -x, "x + 1": lambda x: x + 1,
    "1 - x": lambda x: 1 - x, "2 * x": lambda x: 2 * x, "x / 2": lambda x: x / 2,
    "1 / x": lambda x: 1 / x, "x ** 2": lambda x: x**2, "x ** 0": lambda x: x**0,
    "x ** 0.5": lambda x: x**0.5, "2 ** x": lambda x: 2.0**x, "0 ** x": lambda x: 0.0**x,
    "maximum(x, 0)": lambda x: ag.maximum(x, 0.0), "minimum(x, 0)": lambda x: ag.minimum(x, 0.0),
    "clip(x, -1, 1)": lambda x: x.clip(-1, 1), "clip(x, 0, 1)": lambda x: x.clip(0, 1),
    "tan": ag.tan, "arcsin": ag.arcsin, "arccos": ag.arccos, "arctan": ag.arctan,
    "sinh": ag.sinh, "cosh": ag.cosh, "arcsinh": ag.arcsinh, "arccosh": ag.arccosh,
    "arctanh": ag.arctanh, "degrees": ag.degrees, "radians": ag.radians, "log1p": ag.log1p,
    "expm1": ag.expm1, "log2": ag.log2, "log10": ag.log10, "exp2": ag.exp2,
    "square": ag.square, "reciprocal": ag.reciprocal, "rsqrt": ag.rsqrt, "sign": ag.sign,
    "floor": ag.floor, "ceil": ag.ceil, "round": ag.round, "trunc": ag.trunc,
    "arctan2(x, 1)": lambda x: ag.arctan2(x, 1.0), "arctan2(1, x)": lambda x: ag.arctan2(1.0, x),
    "arctan2(x, 0)": lambda x: ag.arctan2(x, 0.0), "hypot(x, 0)": lambda x: ag.hypot(x, 0.0),
    "hypot(x, 1)": lambda x: ag.hypot(x, 1.0), "logaddexp(x, 0)": lambda x: ag.logaddexp(x, 0.0),
    "logaddexp(x, x)": lambda x: ag.logaddexp(x, x), "mod(x, 3)": lambda x: ag.mod(x, 3.0),
    "fmod(x, 3)": lambda x: ag.fmod(x, 3.0), "mod(3, x)": lambda x: ag.mod(3.0, x),
    "fmod(3, x)": lambda x: ag.fmod(3.0, x), "floor_divide(x, 3)": lambda x: x // 3.0,
    "div(x, 3, trunc)": lambda x: ag.div(x, 3.0, rounding_mode="trunc"),
    "fmax(x, 0)": lambda x: ag.fmax(x, 0.0), "fmin(x, 0)": lambda x: ag.fmin(x, 0.0),
    "copysign(x, -1)": lambda x: ag.copysign(x, -1.0),
    "copysign(1, x)": lambda x: ag.copysign(1.0, x),
    "lerp(0, 1, x)": lambda x: ag.lerp(0.0, 1.0, x),
    "lerp(x, 1, 0.25)": lambda x: ag.lerp(x, 1.0, 0.25),
    # for the interior points below
    "x ** 3": lambda x: x**3, "maximum(x, 1)": lambda x: ag.maximum(x, 1.0),
    "logaddexp(x, 1000)": lambda x: ag.logaddexp(x, 1000.0),
    "hypot(3, x)": lambda x: ag.hypot(3.0, x), "mod(5, x)": lambda x: ag.mod(5.0, x),
    "fmod(-5, x)": lambda x: ag.fmod(-5.0, x), "lerp(1, 3, x)": lambda x: ag.lerp(1.0, 3.0, x),
}

E0 = EITHER_ZERO
# name: (values at POINTS, derivatives at POINTS)
#        0      -0     1e-300     -1e-300    1e300      -1e300     inf    -inf   nan
EDGES = {
    "exp": ((1.0, 1.0, 1.0, 1.0, INF, 0.0, INF, 0.0, NAN),
            (1, 1, 1, 1, INF, 0, INF, 0, NAN)),
    "log": ((-INF, -INF, math.log(TINY), NAN, math.log(HUGE), NAN, INF, NAN, NAN),
            (INF, INF, 1 / TINY, -1 / TINY, 1 / HUGE, -1 / HUGE, 0, 0, NAN)),
    "sqrt": ((0.0, -0.0, 1e-150, NAN, 1e150, NAN, INF, NAN, NAN),
             (INF, INF, 0.5 / 1e-150, NAN, 0.5 / 1e150, NAN, 0, NAN, NAN)),
    "abs": ((0.0, 0.0, TINY, TINY, HUGE, HUGE, INF, INF, NAN),
            (0, 0, 1, -1, 1, -1, 1, -1, NAN)),
    "sin": ((0.0, -0.0, TINY, -TINY, math.sin(HUGE), -math.sin(HUGE), NAN, NAN, NAN),
            (1, 1, 1, 1, math.cos(HUGE), math.cos(HUGE), NAN, NAN, NAN)),
    "cos": ((1.0, 1.0, 1.0, 1.0, math.cos(HUGE), math.cos(HUGE), NAN, NAN, NAN),
            (0, 0, -TINY, TINY, -math.sin(HUGE), math.sin(HUGE), NAN, NAN, NAN)),
    "tanh": ((0.0, -0.0, TINY, -TINY, 1.0, -1.0, 1.0, -1.0, NAN),
             (1, 1, 1, 1, 0, 0, 0, 0, NAN)),
    "sigmoid": ((0.5, 0.5, 0.5, 0.5, 1.0, 0.0, 1.0, 0.0, NAN),
                (0.25, 0.25, 0.25, 0.25, 0, 0, 0, 0, NAN)),
    "relu": ((0.0, E0, TINY, 0.0, HUGE, 0.0, INF, 0.0, NAN),
             (0, 0, 1, 0, 1, 0, 1, 0, 0)),
    "softplus": ((LN2, LN2, LN2, LN2, HUGE, 0.0, INF, 0.0, NAN),
                 (0.5, 0.5, 0.5, 0.5, 1, 0, 1, 0, NAN)),
    "erf": ((0.0, -0.0, 2 / SQRT_PI * TINY, -2 / SQRT_PI * TINY, 1.0, -1.0, 1.0, -1.0, NAN),
            (2 / SQRT_PI, 2 / SQRT_PI, 2 / SQRT_PI, 2 / SQRT_PI, 0, 0, 0, 0, NAN)),
    "erfc": ((1.0, 1.0, 1.0, 1.0, 0.0, 2.0, 0.0, 2.0, NAN),
             (-2 / SQRT_PI, -2 / SQRT_PI, -2 / SQRT_PI, -2 / SQRT_PI, 0, 0, 0, 0, NAN)),
    "-x": ((-0.0, 0.0, -TINY, TINY, -HUGE, HUGE, -INF, INF, NAN),
           (-1, -1, -1, -1, -1, -1, -1, -1, -1)),
    "x + 1": ((1.0, 1.0, 1.0, 1.0, HUGE, -HUGE, INF, -INF, NAN),
              (1, 1, 1, 1, 1, 1, 1, 1, 1)),
    "1 - x": ((1.0, 1.0, 1.0, 1.0, -HUGE, HUGE, -INF, INF, NAN),
              (-1, -1, -1, -1, -1, -1, -1, -1, -1)),
    "2 * x": ((0.0, -0.0, 2 * TINY, -2 * TINY, 2 * HUGE, -2 * HUGE, INF, -INF, NAN),
              (2, 2, 2, 2, 2, 2, 2, 2, 2)),
    "x / 2": ((0.0, -0.0, TINY / 2, -TINY / 2, HUGE / 2, -HUGE / 2, INF, -INF, NAN),
              (0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5)),
    "1 / x": ((INF, -INF, 1 / TINY, -1 / TINY, 1 / HUGE, -1 / HUGE, 0.0, -0.0, NAN),
              (-INF, -INF, -INF, -INF, 0, 0, 0, 0, NAN)),
    "x ** 2": ((0.0, 0.0, 0.0, 0.0, INF, INF, INF, INF, NAN),
               (0, 0, 2 * TINY, -2 * TINY, 2 * HUGE, -2 * HUGE, INF, -INF, NAN)),
    "x ** 0": ((1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0),
               (0, 0, 0, 0, 0, 0, 0, 0, 0)),
    # NumPy takes ** 0.5 as sqrt: (-0) ** 0.5 = -0 and (-inf) ** 0.5 = NaN (where C's pow gives
    # +0 and +inf); the formula 0.5 x ** -0.5 gives 0 at -inf
    "x ** 0.5": ((0.0, -0.0, 1e-150, NAN, 1e150, NAN, INF, NAN, NAN),
                 (INF, INF, 0.5 / 1e-150, NAN, 0.5 / 1e150, NAN, 0, 0, NAN)),
    "2 ** x": ((1.0, 1.0, 1.0, 1.0, INF, 0.0, INF, 0.0, NAN),
               (LN2, LN2, LN2, LN2, INF, 0, INF, 0, NAN)),
    "0 ** x": ((1.0, 1.0, 0.0, INF, 0.0, INF, 0.0, INF, NAN),
               (0, 0, 0, -INF, 0, -INF, 0, -INF, NAN)),
    "maximum(x, 0)": ((E0, E0, TINY, 0.0, HUGE, 0.0, INF, 0.0, NAN),
                      (0.5, 0.5, 1, 0, 1, 0, 1, 0, 1)),
    "minimum(x, 0)": ((E0, E0, 0.0, -TINY, 0.0, -HUGE, 0.0, -INF, NAN),
                      (0.5, 0.5, 0, 1, 0, 1, 0, 1, 1)),
    "clip(x, -1, 1)": ((0.0, -0.0, TINY, -TINY, 1.0, -1.0, 1.0, -1.0, NAN),
                       (1, 1, 1, 1, 0, 0, 0, 0, 0)),
    "clip(x, 0, 1)": ((0.0, E0, TINY, 0.0, 1.0, 0.0, 1.0, 0.0, NAN),
                      (1, 1, 1, 0, 0, 0, 0, 0, 0)),
    "tan": ((0.0, -0.0, TINY, -TINY, math.tan(HUGE), -math.tan(HUGE), NAN, NAN, NAN),
            (1, 1, 1, 1, 1 + math.tan(HUGE) ** 2, 1 + math.tan(HUGE) ** 2, NAN, NAN, NAN)),
    "arcsin": ((0.0, -0.0, TINY, -TINY, NAN, NAN, NAN, NAN, NAN),
               (1, 1, 1, 1, NAN, NAN, NAN, NAN, NAN)),
    "arccos": ((PI / 2, PI / 2, PI / 2, PI / 2, NAN, NAN, NAN, NAN, NAN),
               (-1, -1, -1, -1, NAN, NAN, NAN, NAN, NAN)),
    "arctan": ((0.0, -0.0, TINY, -TINY, PI / 2, -PI / 2, PI / 2, -PI / 2, NAN),
               (1, 1, 1, 1, 0, 0, 0, 0, NAN)),
    "sinh": ((0.0, -0.0, TINY, -TINY, INF, -INF, INF, -INF, NAN),
             (1, 1, 1, 1, INF, INF, INF, INF, NAN)),
    "cosh": ((1.0, 1.0, 1.0, 1.0, INF, INF, INF, INF, NAN),
             (0, 0, TINY, -TINY, INF, -INF, INF, -INF, NAN)),
    "arcsinh": ((0.0, -0.0, TINY, -TINY, math.asinh(HUGE), -math.asinh(HUGE), INF, -INF, NAN),
                (1, 1, 1, 1, 1 / HUGE, 1 / HUGE, 0, 0, NAN)),
    "arccosh": ((NAN, NAN, NAN, NAN, math.acosh(HUGE), NAN, INF, NAN, NAN),
                (NAN, NAN, NAN, NAN, 1 / HUGE, NAN, 0, NAN, NAN)),
    "arctanh": ((0.0, -0.0, TINY, -TINY, NAN, NAN, NAN, NAN, NAN),
                (1, 1, 1, 1, 0, 0, 0, 0, NAN)),
    "degrees": ((0.0, -0.0, TINY * TO_DEGREES, -TINY * TO_DEGREES, HUGE * TO_DEGREES,
                 -HUGE * TO_DEGREES, INF, -INF, NAN), (TO_DEGREES,) * 9),
    "radians": ((0.0, -0.0, TINY * TO_RADIANS, -TINY * TO_RADIANS, HUGE * TO_RADIANS,
                 -HUGE * TO_RADIANS, INF, -INF, NAN), (TO_RADIANS,) * 9),
    "log1p": ((0.0, -0.0, TINY, -TINY, math.log(HUGE), NAN, INF, NAN, NAN),
              (1, 1, 1, 1, 1 / HUGE, -1 / HUGE, 0, 0, NAN)),
    "expm1": ((0.0, -0.0, TINY, -TINY, INF, -1.0, INF, -1.0, NAN),
              (1, 1, 1, 1, INF, 0, INF, 0, NAN)),
    "log2": ((-INF, -INF, math.log2(TINY), NAN, math.log2(HUGE), NAN, INF, NAN, NAN),
             (INF, INF, 1 / TINY / LN2, -1 / TINY / LN2, 1 / HUGE / LN2, -1 / HUGE / LN2, 0, 0,
              NAN)),
    "log10": ((-INF, -INF, -300.0, NAN, 300.0, NAN, INF, NAN, NAN),
              (INF, INF, 1 / TINY / LN10, -1 / TINY / LN10, 1 / HUGE / LN10, -1 / HUGE / LN10, 0,
               0, NAN)),
    "exp2": ((1.0, 1.0, 1.0, 1.0, INF, 0.0, INF, 0.0, NAN),
             (LN2, LN2, LN2, LN2, INF, 0, INF, 0, NAN)),
    "square": ((0.0, 0.0, 0.0, 0.0, INF, INF, INF, INF, NAN),
               (0, 0, 2 * TINY, -2 * TINY, 2 * HUGE, -2 * HUGE, INF, -INF, NAN)),
    "reciprocal": ((INF, -INF, 1 / TINY, -1 / TINY, 1 / HUGE, -1 / HUGE, 0.0, -0.0, NAN),
                   (-INF, -INF, -INF, -INF, 0, 0, 0, 0, NAN)),
    "rsqrt": ((INF, -INF, 1e150, NAN, 1e-150, NAN, 0.0, NAN, NAN),
              (-INF, -INF, -INF, NAN, 0, NAN, 0, NAN, NAN)),
    "sign": ((0.0, E0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, NAN), (0,) * 9),
    "floor": ((0.0, -0.0, 0.0, -1.0, HUGE, -HUGE, INF, -INF, NAN), (0,) * 9),
    "ceil": ((0.0, -0.0, 1.0, -0.0, HUGE, -HUGE, INF, -INF, NAN), (0,) * 9),
    "round": ((0.0, -0.0, 0.0, -0.0, HUGE, -HUGE, INF, -INF, NAN), (0,) * 9),
    "trunc": ((0.0, -0.0, 0.0, -0.0, HUGE, -HUGE, INF, -INF, NAN), (0,) * 9),
    "arctan2(x, 1)": ((0.0, -0.0, TINY, -TINY, PI / 2, -PI / 2, PI / 2, -PI / 2, NAN),
                      (1, 1, 1, 1, 0, 0, 0, 0, NAN)),
    "arctan2(1, x)": ((PI / 2, PI / 2, PI / 2, PI / 2, 1 / HUGE, PI, 0.0, PI, NAN),
                      (-1, -1, -1, -1, 0, 0, 0, 0, NAN)),
    "arctan2(x, 0)": ((0.0, -0.0, PI / 2, -PI / 2, PI / 2, -PI / 2, PI / 2, -PI / 2, NAN),
                      (0, 0, 0, 0, 0, 0, 0, 0, NAN)),
    "hypot(x, 0)": ((0.0, 0.0, TINY, TINY, HUGE, HUGE, INF, INF, NAN),
                    (NAN, NAN, 1, -1, 1, -1, 1, -1, NAN)),
    "hypot(x, 1)": ((1.0, 1.0, 1.0, 1.0, HUGE, HUGE, INF, INF, NAN),
                    (0, 0, TINY, -TINY, 1, -1, 1, -1, NAN)),
    "logaddexp(x, 0)": ((LN2, LN2, LN2, LN2, HUGE, 0.0, INF, 0.0, NAN),
                        (0.5, 0.5, 0.5, 0.5, 1, 0, 1, 0, NAN)),
    "logaddexp(x, x)": ((LN2, LN2, LN2, LN2, HUGE, -HUGE, INF, -INF, NAN),
                        (1, 1, 1, 1, 1, 1, 1, 1, NAN)),
    # Python's % and // on floats are mod's and floor_divide's meaning, computed independently
    "mod(x, 3)": ((0.0, 0.0, TINY, 3.0, HUGE % 3, -HUGE % 3, NAN, NAN, NAN),
                  (1, 1, 1, 1, 1, 1, 1, 1, 1)),
    "fmod(x, 3)": ((0.0, -0.0, TINY, -TINY, math.fmod(HUGE, 3), -math.fmod(HUGE, 3), NAN, NAN,
                    NAN), (1, 1, 1, 1, 1, 1, 1, 1, 1)),
    # d mod(3, y)/dy = -floor(3 / y): 3 // 1e-300 overflows to inf
    "mod(3, x)": ((NAN, NAN, 3 % TINY, 3 % -TINY, 3.0, 3 % -HUGE, 3.0, -INF, NAN),
                  (-INF, INF, -(3 // TINY), -(3 // -TINY), 0, 1, 0, 1, NAN)),
    "fmod(3, x)": ((NAN, NAN, math.fmod(3, TINY), math.fmod(3, TINY), 3.0, 3.0, 3.0, 3.0, NAN),
                   (NAN, NAN, -(3 // TINY), 3 // TINY, 0, 0, 0, 0, NAN)),
    "floor_divide(x, 3)": ((0.0, -0.0, 0.0, -1.0, HUGE // 3, -HUGE // 3, NAN, NAN, NAN),
                           (0,) * 9),
    "div(x, 3, trunc)": ((0.0, -0.0, 0.0, -0.0, math.trunc(HUGE / 3) * 1.0,
                          -math.trunc(HUGE / 3) * 1.0, INF, -INF, NAN), (0,) * 9),
    "fmax(x, 0)": ((E0, E0, TINY, 0.0, HUGE, 0.0, INF, 0.0, 0.0),
                   (0.5, 0.5, 1, 0, 1, 0, 1, 0, 0)),
    "fmin(x, 0)": ((E0, E0, 0.0, -TINY, 0.0, -HUGE, 0.0, -INF, 0.0),
                   (0.5, 0.5, 0, 1, 0, 1, 0, 1, 0)),
    "copysign(x, -1)": ((-0.0, -0.0, -TINY, -TINY, -HUGE, -HUGE, -INF, -INF, NAN),
                        (0, 0, -1, 1, -1, 1, -1, 1, NAN)),
    "copysign(1, x)": ((1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, math.copysign(1, NAN)),
                       (0,) * 9),
    "lerp(0, 1, x)": ((0.0, 0.0, TINY, -TINY, HUGE, -HUGE, INF, -INF, NAN),
                      (1, 1, 1, 1, 1, 1, 1, 1, 1)),
    # start inf: inf + w (1 - inf) = inf - inf
    "lerp(x, 1, 0.25)": ((0.25, 0.25, 0.25, 0.25, 0.75 * HUGE, -0.75 * HUGE, NAN, NAN, NAN),
                         (0.75,) * 9),
}

# name, x, value, derivative: interior points with a convention or an accuracy promise
SPECIAL = [
    ("sigmoid", -50.0, 1 / (1 + math.exp(50)), math.exp(-50) / (1 + math.exp(-50)) ** 2),
    ("sigmoid", 1000.0, 1.0, 0),
    ("sigmoid", -1000.0, 0.0, 0),
    ("softplus", -50.0, math.log1p(math.exp(-50)), 1 / (1 + math.exp(50))),
    ("softplus", 1000.0, 1000.0, 1),
    ("logaddexp(x, 0)", -1000.0, 0.0, 0),
    ("logaddexp(x, 1000)", 1000.0, 1000 + LN2, 0.5),
    ("logaddexp(x, x)", -1000.0, -1000 + LN2, 1),
    ("log1p", 1e-20, 1e-20, 1),
    ("log1p", -1.0, -INF, INF),
    ("expm1", 1e-20, 1e-20, 1),
    ("expm1", -40.0, math.expm1(-40), math.exp(-40)),
    ("arcsin", 1.0, PI / 2, INF),
    ("arcsin", -1.0, -PI / 2, INF),
    ("arccos", 1.0, 0.0, -INF),
    ("arctanh", 1.0, INF, INF),
    ("arctanh", 2.0, NAN, -1 / 3),
    ("arccosh", 1.0, 0.0, INF),
    ("log", -1.0, NAN, -1),
    ("sqrt", -1.0, NAN, NAN),
    ("x ** 3", -2.0, -8.0, 12),
    ("0 ** x", 0.5, 0.0, 0),
    ("maximum(x, 1)", 1.0, 1.0, 0.5),
    ("clip(x, -1, 1)", 1.0, 1.0, 1),
    ("round", 2.5, 2.0, 0),
    ("round", 3.5, 4.0, 0),
    ("hypot(3, x)", 4.0, 5.0, 0.8),
    ("arctan2(1, x)", 1.0, PI / 4, -0.5),
    ("mod(5, x)", 3.0, 2.0, -1),
    ("mod(5, x)", -3.0, -1.0, 2),
    ("fmod(-5, x)", 3.0, -2.0, 1),
    ("lerp(1, 3, x)", 1.0, 3.0, 2),
]


def _value_and_derivative(f, points):
    x = ag.tensor(points, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy's domain and overflow warnings
        y = f(x)
        (g,) = ag.grad(y.sum(), x)
    return y.data, g.data


def _agrees(got, expected, check_zero_sign):
    if isinstance(expected, str):  # EITHER_ZERO
        return got == 0
    if math.isnan(expected) or math.isnan(got):
        return math.isnan(expected) and math.isnan(got)
    if expected == 0 or math.isinf(expected):
        return got == expected and (not check_zero_sign or expected != 0
                                    or math.copysign(1, got) == math.copysign(1, expected))
    return abs(got - expected) <= 1e-15 * abs(expected)


def test_every_elementwise_primitive_at_the_edges_of_the_float_range():
    wrong = []

    def compare(name, x, got_value, got_derivative, value, derivative):
        if not (_agrees(float(got_value), value, check_zero_sign=True)
                and _agrees(float(got_derivative), derivative, check_zero_sign=False)):
            wrong.append(f"{name} at {x!r}: engine {got_value!r}, d {got_derivative!r}; "
                         f"expected {value!r}, d {derivative!r}")

    for name, (values, derivatives) in EDGES.items():
        got = _value_and_derivative(FUNCTIONS[name], list(POINTS))
        for x, *pair in zip(POINTS, *got, values, derivatives):
            compare(name, x, *pair)
    for name, x, value, derivative in SPECIAL:
        (got_value,), (got_derivative,) = _value_and_derivative(FUNCTIONS[name], [x])
        compare(name, x, got_value, got_derivative, value, derivative)
    assert not wrong, "\n".join(wrong)
    assert set(FUNCTIONS) == set(EDGES) | {name for name, *_ in SPECIAL}, "unused entries"
