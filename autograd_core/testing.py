"""Verification: the engine's derivatives against central finite differences and hand derivations.

All checks run in float64. With central differences the error is O(eps^2) from truncation plus
O(machine eps / eps) from rounding; eps = 1e-6 balances the two near 1e-10, so the default
tolerances (atol 1e-5, rtol 1e-3) leave a wide margin for well-conditioned functions while
still catching any wrong formula.
"""

import numpy as np

from . import dtypes, functional
from .engine import grad
from .function import Function
from .grad_mode import no_grad
from .tensor import Tensor
from .tensor_base import make


class GradcheckError(AssertionError):
    """A derivative of the engine disagrees with finite differences or a hand derivation."""


def _as_inputs(inputs):
    is_tuple = isinstance(inputs, (tuple, list))
    inputs = tuple(inputs) if is_tuple else (inputs,)
    converted = []
    for i, x in enumerate(inputs):
        if not isinstance(x, Tensor):
            raise TypeError(f"inputs[{i}] is a {type(x).__name__}, not a Tensor")
        if dtypes.is_floating(x.dtype):
            x = make(Tensor, x.data.astype(np.float64)).requires_grad_()
        converted.append(x)
    return is_tuple, tuple(converted)


def _outputs(f, inputs):
    outputs = f(*inputs)
    outputs = tuple(outputs) if isinstance(outputs, (tuple, list)) else (outputs,)
    for i, y in enumerate(outputs):
        if not isinstance(y, Tensor):
            raise TypeError(f"the checked function's output {i} is a {type(y).__name__}")
    return outputs


def numerical_jacobian(f, inputs, eps=1e-6):
    """Central finite-difference Jacobian of f, shaped out.shape + in.shape (float64).

    >>> J = ag.testing.numerical_jacobian(lambda x: x ** 2, ag.tensor([1.0, 2.0]))   # diag(2, 4)
    """
    is_tuple, inputs = _as_inputs(inputs)
    jacobians = _numerical(f, inputs, eps)
    result = tuple(j[0] for j in jacobians)  # of the first output, per input
    return result if is_tuple else result[0]


def _numerical(f, inputs, eps):
    """jacobians[j][i]: d outputs[i] / d inputs[j], shaped out.shape + in.shape.

    Grad mode stays on: the checked function may itself differentiate (gradgradcheck)."""
    outputs = _outputs(f, inputs)
    result = []
    for x in inputs:
        if not dtypes.is_floating(x.dtype):
            result.append(None)
            continue
        flat = x.data.reshape(-1)  # a view: perturbing it perturbs x
        columns = [np.empty((y.size, flat.size)) for y in outputs]
        for k in range(flat.size):
            original = flat[k]
            flat[k] = original + eps
            plus = [y.data.astype(np.float64) for y in _outputs(f, inputs)]
            flat[k] = original - eps
            minus = [y.data.astype(np.float64) for y in _outputs(f, inputs)]
            flat[k] = original
            for column, p, m in zip(columns, plus, minus):
                column[:, k] = ((p - m) / (2 * eps)).reshape(-1)
        result.append(
            [c.reshape(y.shape + x.shape) for c, y in zip(columns, outputs)]
        )
    return result


def _analytic(f, inputs):
    """jacobians[j][i] from the engine, one vector-Jacobian product per output element."""
    outputs = _outputs(f, inputs)
    differentiable = [x for x in inputs if dtypes.is_floating(x.dtype)]
    result = {id(x): [] for x in differentiable}
    for y in outputs:
        rows = {id(x): [] for x in differentiable}
        for k in range(y.size):
            onehot = np.zeros(y.size)
            onehot[k] = 1.0
            if y.requires_grad:
                grads = grad(y, differentiable, make(Tensor, onehot.reshape(y.shape)),
                             retain_graph=True, allow_unused=True)
            else:
                grads = [None] * len(differentiable)
            for x, g in zip(differentiable, grads):
                rows[id(x)].append(np.zeros(x.shape) if g is None else g.data)
        for x in differentiable:
            stacked = np.array(rows[id(x)]).reshape(y.shape + x.shape)
            result[id(x)].append(stacked)
    return [result.get(id(x)) for x in inputs]


def _worst(analytic, numeric, atol, rtol):
    """Index of the entry that misses the tolerance by most, or None when all agree."""
    if analytic.size == 0:
        return None
    excess = np.abs(analytic - numeric) - (atol + rtol * np.abs(numeric))
    both_nan = np.isnan(analytic) & np.isnan(numeric)
    excess = np.where(both_nan, -1.0, np.where(np.isnan(excess), np.inf, excess))
    flat = int(np.argmax(excess))
    if excess.reshape(-1)[flat] <= 0:
        return None
    return np.unravel_index(flat, analytic.shape)


def gradcheck(f, inputs, eps=1e-6, atol=1e-5, rtol=1e-3):
    """Compare the engine's Jacobian of f with central finite differences, in float64.

    >>> ag.testing.gradcheck(lambda x: (x.sin() * x).sum(), ag.randn(3))
    True

    Returns True or raises GradcheckError naming the input, the worst element, and both values.
    """
    _, inputs = _as_inputs(inputs)
    numeric = _numerical(f, inputs, eps)
    analytic = _analytic(f, inputs)
    for j, (a_list, n_list) in enumerate(zip(analytic, numeric)):
        if a_list is None:
            continue
        for i, (a, n) in enumerate(zip(a_list, n_list)):
            where = _worst(a, n, atol, rtol)
            if where is None:
                continue
            out_index = [int(k) for k in where[: a.ndim - inputs[j].ndim]]
            in_index = [int(k) for k in where[a.ndim - inputs[j].ndim:]]
            raise GradcheckError(
                f"gradcheck failed for input {j} (shape {inputs[j].shape}), output {i}: "
                f"worst element d out{out_index} / d in{in_index}: "
                f"analytic {a[where]:.10g}, numeric {n[where]:.10g}, "
                f"difference {abs(a[where] - n[where]):.3g} (atol={atol}, rtol={rtol}, eps={eps})"
                + _table(a, n)
            )
    return True


def gradgradcheck(f, inputs, grad_outputs=None, eps=1e-6, atol=1e-5, rtol=1e-3, seed=0):
    """Check second derivatives: gradcheck of (inputs, v) -> v^T J(inputs), built with create_graph.

    >>> ag.testing.gradgradcheck(lambda x: (x ** 3).sum(), ag.randn(3))
    True
    """
    _, inputs = _as_inputs(inputs)
    with no_grad():
        outputs = _outputs(f, inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(seed)
        grad_outputs = tuple(Tensor(rng.standard_normal(y.shape)) for y in outputs)
    else:
        _, grad_outputs = _as_inputs(grad_outputs)
    count = len(inputs)
    differentiable = [k for k, x in enumerate(inputs) if dtypes.is_floating(x.dtype)]

    def first_derivative(*args):
        xs, vs = args[:count], args[count:]
        ys = _outputs(f, xs)
        pairs = [(y, v) for y, v in zip(ys, vs) if y.requires_grad]
        wanted = [xs[k] for k in differentiable]
        if not pairs:
            return tuple(make(Tensor, np.zeros(x.shape)) for x in wanted)
        grads = grad([y for y, _ in pairs], wanted, [v for _, v in pairs], create_graph=True,
                     allow_unused=True)
        return tuple(make(Tensor, np.zeros(x.shape)) if g is None else g
                     for x, g in zip(wanted, grads))

    return gradcheck(first_derivative, inputs + tuple(grad_outputs), eps=eps, atol=atol, rtol=rtol)


def check_jacobian(f, inputs, expected, atol=1e-7, rtol=1e-6, eps=1e-6):
    """Compare the engine's Jacobian with a hand-derived one, and both with finite differences.

    >>> A = np.array([[2.0, 1.0], [0.0, 3.0]])
    >>> ag.testing.check_jacobian(lambda x: ag.tensor(A) @ x, ag.randn(2), expected=A)
    True

    `expected` is an array (a tuple of arrays for several inputs) shaped out.shape + in.shape
    (or (out.size, in.size)), or a callable taking the input arrays and returning that.
    Raises GradcheckError with a side-by-side report on any mismatch.
    """
    is_tuple, inputs = _as_inputs(inputs)
    if callable(expected):
        expected = expected(*[x.data for x in inputs])
    expected = tuple(expected) if is_tuple else (expected,)
    if len(expected) != len(inputs):
        raise ValueError(
            f"check_jacobian: {len(expected)} expected Jacobians for {len(inputs)} inputs"
        )
    engine = functional.jacobian(f, inputs)
    if not isinstance(engine, tuple):
        engine = (engine,)
    numeric = _numerical(f, inputs, eps)
    for j, (e, hand, n_list) in enumerate(zip(engine, expected, numeric)):
        e = e.data
        hand = np.asarray(hand.data if isinstance(hand, Tensor) else hand, dtype=np.float64)
        if hand.size != e.size:
            raise ValueError(
                f"check_jacobian: expected Jacobian for input {j} has shape {hand.shape}, but "
                f"the Jacobian is {e.shape} (output shape + input shape)"
            )
        hand = hand.reshape(e.shape)
        n = n_list[0]
        problems = []
        if _worst(e, hand, atol, rtol) is not None:
            problems.append(f"engine vs hand-derived (atol={atol}, rtol={rtol})")
        if _worst(e, n, max(atol, 1e-5), max(rtol, 1e-3)) is not None:
            problems.append("engine vs finite differences (atol=1e-5, rtol=1e-3)")
        if problems:
            raise GradcheckError(
                f"check_jacobian failed for input {j} (shape {inputs[j].shape}): "
                + "; ".join(problems)
                + _table(e, n, hand)
            )
    return True


def _table(engine, numeric, hand=None, limit=12):
    """Side-by-side rows for the entries that differ most."""
    reference = numeric if hand is None else hand
    difference = np.abs(engine - reference)
    if hand is not None:
        difference = np.maximum(difference, np.abs(engine - numeric))
    order = np.argsort(-np.nan_to_num(difference, nan=np.inf).reshape(-1))[:limit]
    header = ["index", "engine", "finite diff"] + ([] if hand is None else ["hand-derived"])
    rows = ["\n" + "".join(h.rjust(18) for h in header)]
    for flat in order:
        index = np.unravel_index(flat, engine.shape)
        values = [engine[index], numeric[index]] + ([] if hand is None else [hand[index]])
        rows.append(str(list(map(int, index))).rjust(18) + "".join(f"{v:18.10g}" for v in values))
    return "\n".join(rows)


def primitives(*packages):
    """The primitives defined in these top-level packages (default: the engine's own), by
    name: every Function subclass that has its own forward, so the engine's bookkeeping nodes
    (AccumulateGrad, Select) are left out. Tests and `autograd-core verify` enumerate them so
    that no op can be added without a gradient check.

    >>> sorted(ag.testing.primitives())[:3]          # ['Abs', 'Add', 'BroadcastTo']
    """
    packages = packages or ("autograd_core",)
    return {cls.__name__: cls for cls in subclasses()
            if cls.__module__.split(".")[0] in packages and cls.forward is not Function.forward}


def subclasses(cls=Function):
    """Every Function subclass defined so far, but private bases (named `_X`): the primitives
    of the engine and of nn, and any user-defined ones (tests enumerate them so that no op can
    be added without a gradient check).

    >>> [f.__name__ for f in subclasses() if f.__module__.startswith("autograd_core.")]
    """
    found, stack = [], list(cls.__subclasses__())
    while stack:
        sub = stack.pop()
        stack.extend(sub.__subclasses__())
        if not sub.__name__.startswith("_"):
            found.append(sub)
    return found
