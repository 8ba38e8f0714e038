"""The dtype rules of API.md (Promotion) over every elementwise op, as tables of input dtypes ->
result dtype, with the values checked against NumPy in float64:
- a floating op on int or bool tensors computes in the default float dtype (never float16,
  never truncated back to int); on float32 it stays float32;
- ints and bools with a float tensor take the float's dtype (int32 with float32 is float32,
  where NumPy would widen to float64); float32 with float64 is float64;
- a Python number never widens a tensor (float32 with 2.5 is float32; int64 with 2 is int64),
  and a Python float makes an int tensor's result the default float dtype;
- the rounding functions, abs, sign and the integer ops keep ints as ints.
The operators + - * / (and ag.div without a rounding mode, which is /) follow the same rules:
NumPy's promotion, but for an int tensor with a float32 one, which NumPy widens to float64.
"""

import math
import warnings

import numpy as np
import pytest

import autograd_core as ag

F, SAME = "default float", "same"
DATA = {
    np.int64: [0, 1, 2, 12, 200], np.int32: [0, 1, 2, 12, 200], np.uint8: [0, 1, 2, 12, 200],
    np.bool_: [False, True], np.float32: [0.0, 0.5, 2.0, 12.0, 200.0],
}


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


# op -> (the engine's function, NumPy's float64 reference, {input dtype: result} where it is
# not the rule of the op's kind)
FLOATING = {
    "exp": (ag.exp, np.exp), "log": (ag.log, np.log), "sqrt": (ag.sqrt, np.sqrt),
    "sin": (ag.sin, np.sin), "cos": (ag.cos, np.cos), "tanh": (ag.tanh, np.tanh),
    "sigmoid": (ag.sigmoid, _sigmoid), "softplus": (ag.softplus, lambda x: np.logaddexp(0, x)),
    "erf": (ag.erf, np.vectorize(math.erf)), "erfc": (ag.erfc, np.vectorize(math.erfc)),
    "tan": (ag.tan, np.tan), "arcsin": (ag.arcsin, np.arcsin), "arccos": (ag.arccos, np.arccos),
    "arctan": (ag.arctan, np.arctan), "sinh": (ag.sinh, np.sinh), "cosh": (ag.cosh, np.cosh),
    "arcsinh": (ag.arcsinh, np.arcsinh), "arccosh": (ag.arccosh, np.arccosh),
    "arctanh": (ag.arctanh, np.arctanh), "log1p": (ag.log1p, np.log1p),
    "expm1": (ag.expm1, np.expm1), "log2": (ag.log2, np.log2), "log10": (ag.log10, np.log10),
    "exp2": (ag.exp2, np.exp2), "reciprocal": (ag.reciprocal, lambda x: 1 / x),
    "rsqrt": (ag.rsqrt, lambda x: 1 / np.sqrt(x)), "degrees": (ag.degrees, np.degrees),
    "radians": (ag.radians, np.radians),
    "softmax": (ag.softmax, lambda x: np.exp(x - x.max()) / np.exp(x - x.max()).sum()),
    "logsumexp": (ag.logsumexp, lambda x: x.max() + np.log(np.exp(x - x.max()).sum())),
    "mean": (ag.mean, np.mean),
}
# ops that keep the input's dtype; the dict holds the exceptions, as NumPy has them
KEEPING = {
    "abs": (ag.abs, np.abs, {}), "square": (ag.square, np.square, {np.bool_: np.int8}),
    "relu": (ag.relu, lambda x: np.maximum(x, 0), {np.bool_: np.int64}),
    "sign": (ag.sign, np.sign, {}), "floor": (ag.floor, np.floor, {}),
    "ceil": (ag.ceil, np.ceil, {}), "round": (ag.round, np.round, {}),
    "trunc": (ag.trunc, np.trunc, {}), "-x": (lambda x: -x, np.negative, {np.bool_: TypeError}),
}


def _reference(function, data, dtype):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return function(np.asarray(data, dtype=np.float64)).astype(dtype)


def _check(result, expected_dtype, reference):
    assert result.dtype == expected_dtype, f"dtype {result.dtype}, expected {expected_dtype}"
    rtol = 1e-6 if expected_dtype == np.float32 else 1e-12
    np.testing.assert_allclose(result.data, reference, rtol=rtol, atol=0,
                               err_msg="engine (actual) vs NumPy in float64 (desired)")


@pytest.mark.parametrize("default", [np.float64, np.float32])
@pytest.mark.parametrize("dtype", sorted(DATA, key=str), ids=str)
@pytest.mark.parametrize("name", sorted(FLOATING))
def test_floating_ops_compute_ints_in_the_default_float_dtype(name, dtype, default):
    function, numpy_function = FLOATING[name]
    expected = np.float32 if dtype == np.float32 else default
    ag.set_default_dtype(default)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            result = function(ag.tensor(np.array(DATA[dtype], dtype=dtype)))
    finally:
        ag.set_default_dtype(np.float64)
    _check(result, expected, _reference(numpy_function, DATA[dtype], expected))


@pytest.mark.parametrize("dtype", sorted(DATA, key=str), ids=str)
@pytest.mark.parametrize("name", sorted(KEEPING))
def test_rounding_abs_sign_and_friends_keep_the_dtype(name, dtype):
    function, numpy_function, exceptions = KEEPING[name]
    expected = exceptions.get(dtype, dtype)
    x = ag.tensor(np.array(DATA[dtype], dtype=dtype))
    if expected is TypeError:
        with pytest.raises(TypeError, match="negative"):
            function(x)
        return
    # NumPy in the input's own dtype (so that -uint8 wraps around as the engine's does); NumPy
    # has no sign of a bool, whose values are read as 0 and 1
    if dtype == np.bool_:
        reference = _reference(numpy_function, DATA[dtype], expected)
    else:
        reference = numpy_function(np.array(DATA[dtype], dtype=dtype)).astype(expected)
    _check(function(x), expected, reference)


def test_the_examples_of_the_brief():
    softplus = ag.softplus(ag.tensor([1, 2, -1]))
    assert softplus.dtype == np.float64
    np.testing.assert_allclose(softplus.data, np.log1p(np.exp([1.0, 2.0, -1.0])), rtol=1e-15)
    assert ag.exp(ag.tensor(np.array([12], np.uint8))).item() == pytest.approx(math.exp(12))
    assert np.all(np.isfinite(ag.softmax(ag.tensor(np.array([0, 200], np.uint8))).data))
    assert (ag.tensor(np.float32([1.0])) * 2.5).dtype == np.float32


def _operand(kind):
    """'int32', 'float32', ... a tensor of that dtype; '2.5' or '2' a Python number."""
    if kind in ("2.5", "2"):
        return eval(kind)
    return ag.tensor(np.array([1, 2, 3], dtype=kind))


# op -> (function, NumPy float64 reference, whether it is floating)
BINARY = {
    "arctan2": (ag.arctan2, np.arctan2, True), "hypot": (ag.hypot, np.hypot, True),
    "logaddexp": (ag.logaddexp, np.logaddexp, True), "copysign": (ag.copysign, np.copysign, True),
    "lerp(x, y, 0.25)": (lambda x, y: ag.lerp(x, y, 0.25), lambda x, y: x + 0.25 * (y - x), True),
    "maximum": (ag.maximum, np.maximum, False), "minimum": (ag.minimum, np.minimum, False),
    "fmax": (ag.fmax, np.fmax, False), "fmin": (ag.fmin, np.fmin, False),
    "mod": (ag.mod, np.mod, False), "fmod": (ag.fmod, np.fmod, False),
    "floor_divide": (ag.floor_divide, np.floor_divide, False),
    "div trunc": (lambda x, y: ag.div(x, y, rounding_mode="trunc"),
                  lambda x, y: np.trunc(x / y), False),
}
# (left, right) -> result for a floating op, and for one that keeps integers
PAIRS = {
    ("int32", "float32"): ("float32", "float32"),
    ("float32", "int64"): ("float32", "float32"),
    ("uint8", "float32"): ("float32", "float32"),
    ("bool", "float32"): ("float32", "float32"),
    ("float32", "float64"): ("float64", "float64"),
    ("float32", "2.5"): ("float32", "float32"),
    ("float32", "2"): ("float32", "float32"),
    ("int64", "2.5"): (F, F),
    ("int64", "2"): (F, "int64"),
    ("int32", "int32"): (F, "int32"),
    ("int32", "int64"): (F, "int64"),
    ("uint8", "uint8"): (F, "uint8"),
}


@pytest.mark.parametrize("default", [np.float64, np.float32])
@pytest.mark.parametrize("pair", sorted(PAIRS), ids=str)
@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_ops_take_the_float_operand_dtype(name, pair, default):
    function, numpy_function, floating = BINARY[name]
    expected = PAIRS[pair][0 if floating else 1]
    expected = np.dtype(default if expected == F else expected)
    x, y = (_operand(kind) for kind in pair)
    ag.set_default_dtype(default)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            result = function(x, y)
    finally:
        ag.set_default_dtype(np.float64)
    values = [np.asarray(v.data if isinstance(v, ag.Tensor) else v, np.float64) for v in (x, y)]
    with np.errstate(all="ignore"):
        reference = numpy_function(*values).astype(expected)
    _check(result, expected, reference)


# The operators on pairs of operands (see the module docstring).
OPERATOR_PAIRS = {
    ("float32", "2.5"): "float32", ("float32", "2"): "float32", ("int64", "2.5"): "float64",
    ("float32", "float64"): "float64", ("uint8", "float32"): "float32",
    ("bool", "float32"): "float32", ("int32", "float32"): "float32",
    ("float32", "int64"): "float32", ("2.5", "float32"): "float32", ("2.5", "int64"): "float64",
}


@pytest.mark.parametrize("pair", sorted(OPERATOR_PAIRS), ids=str)
@pytest.mark.parametrize("symbol", ["+", "-", "*", "/"])
def test_operators_keep_a_python_number_from_widening(symbol, pair):
    x, y = (_operand(kind) for kind in pair)
    result = eval(f"x {symbol} y")
    a, b = (v.data.astype(np.float64) if isinstance(v, ag.Tensor) else v for v in (x, y))
    reference = np.asarray(eval(f"a {symbol} b"))
    _check(result, np.dtype(OPERATOR_PAIRS[pair]), reference.astype(OPERATOR_PAIRS[pair]))
