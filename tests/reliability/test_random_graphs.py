"""Random DAGs of primitives: gradcheck holds, backward() equals ag.grad, float32 follows float64,
and second derivatives hold.

A graph is a *program*: a list of steps, each applying one op to one or two tensors of a pool
that starts with the leaves and grows by one tensor per step (re-using a tensor makes fan-out).
Everything never consumed is summed into the scalar loss. The program is drawn once, with the
concrete leaf values at hand so that no op sees an input where it is not smooth (maximum's
operands are kept apart, exp's input bounded, denominators away from zero), then replayed as
many times as the checks need: on float64 leaves, on float32 copies, with and without history.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck

MAX_SIZE = 36  # no intermediate grows beyond this many elements: finite differences stay cheap
SQUASH_ABOVE = 4.0  # a step whose output exceeds this is followed by tanh, so values stay O(1)
MAXIMUM_GAP = 1e-2  # maximum's operands differ by at least this everywhere (no tie is near)

UNARY = ("exp", "tanh", "sigmoid", "sin", "softplus", "scale", "square")
BINARY = ("add", "sub", "mul", "div", "maximum", "where")
REDUCE = ("sum", "mean", "var", "logsumexp")
SHAPE = ("reshape", "transpose", "broadcast_to", "getitem", "concatenate")
KINDS = UNARY + BINARY + REDUCE + SHAPE + ("matmul", "softmax")


# -- replaying a program -------------------------------------------------------------------------
def apply_step(kind, args, params, dtype):
    """One step of a program on Tensors; constants are cast to `dtype` so float32 stays float32."""
    x = args[0]
    y = args[1] if len(args) > 1 else None
    if kind == "exp":
        return ag.exp(x) if params["bounded"] else ag.exp(x.tanh())
    if kind == "tanh":
        return x.tanh()
    if kind == "sigmoid":
        return x.sigmoid()
    if kind == "sin":
        return ag.sin(x)
    if kind == "softplus":
        return x.softplus()
    if kind == "scale":
        return x * params["c"]
    if kind == "square":
        return x * x if params["self_mul"] else x**2
    if kind == "add":
        return x + y
    if kind == "sub":
        return x - y
    if kind == "mul":
        return x * y
    if kind == "div":
        return x / (1.0 + y * y)
    if kind == "maximum":
        return ag.maximum(x, y + params["offset"].astype(dtype))
    if kind == "where":
        return ag.where(params["mask"], x, y)
    if kind == "sum":
        return x.sum(axis=params["axis"], keepdims=params["keepdims"])
    if kind == "mean":
        return ag.mean(x, axis=params["axis"], keepdims=params["keepdims"])
    if kind == "var":
        return x.var(axis=params["axis"], keepdims=params["keepdims"])
    if kind == "logsumexp":
        return x.logsumexp(axis=params["axis"], keepdims=params["keepdims"])
    if kind == "softmax":
        return x.softmax(axis=params["axis"]) if x.ndim else x.sigmoid()
    if kind == "concatenate":
        return ag.concatenate([x, y], axis=params["axis"])
    if kind == "reshape":
        return x.reshape(params["shape"])
    if kind == "transpose":
        return x.transpose(*params["axes"])
    if kind == "broadcast_to":
        return x.broadcast_to(params["shape"])
    if kind == "getitem":
        return x[params["index"]]
    if kind == "matmul":
        return x @ (y if y is not None else x.swapaxes(-1, -2))
    raise AssertionError(kind)


class Program:
    def __init__(self, leaf_values):
        self.leaf_values = [np.asarray(v, dtype=np.float64) for v in leaf_values]
        self.steps = []  # (kind, operand positions in the pool, params)
        self.used = set()

    def run(self, leaves, dtype=np.float64):
        pool = list(leaves)
        for kind, operands, params in self.steps:
            pool.append(apply_step(kind, [pool[i] for i in operands], params, dtype))
        unused = [pool[i] for i in range(len(pool)) if i not in self.used]
        loss = unused[0].sum()
        for t in unused[1:]:
            loss = loss + t.sum()
        return loss

    def leaves(self, dtype=np.float64, requires_grad=True):
        return [ag.tensor(v.astype(dtype), requires_grad=requires_grad) for v in self.leaf_values]

    def __repr__(self):
        shapes = [v.shape for v in self.leaf_values]
        lines = [f"leaves {shapes}"]
        for n, (kind, operands, params) in enumerate(self.steps, start=len(shapes)):
            shown = {k: v for k, v in params.items() if k != "offset"}
            lines.append(f"  t{n} = {kind}({', '.join(f't{i}' for i in operands)}) {shown}")
        return "\n".join(lines)


# -- drawing a program ---------------------------------------------------------------------------
BASE_SHAPES = [(3,), (2, 3), (3, 2), (2, 1, 3), (2, 2, 2), (4,), (1, 3), (2, 3, 1), ()]


def leaf_shapes(draw, rng):
    """1-3 leaf shapes that all broadcast against one base shape (some axes dropped or 1)."""
    base = draw(st.sampled_from(BASE_SHAPES))
    shapes = []
    for _ in range(draw(st.integers(1, 3))):
        drop = int(rng.integers(0, len(base) + 1)) if rng.random() < 0.4 else 0
        shapes.append(tuple(n if rng.random() < 0.75 else 1 for n in base[drop:]))
    return shapes


def draw_axis(draw, ndim):
    if ndim == 0 or draw(st.booleans()):
        return None
    if draw(st.booleans()):
        return draw(st.integers(-ndim, ndim - 1))
    axes = draw(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True))
    return tuple(axes)


def draw_reshape(draw, shape):
    size = int(np.prod(shape, dtype=int))
    options = [(size,), tuple(reversed(shape)), tuple(shape) + (1,), (1,) + tuple(shape)]
    if size == 1:
        options.append(())
    if len(shape) >= 2:
        options.append((shape[0] * shape[1],) + tuple(shape[2:]))
        options.append((-1,) + tuple(shape[2:]))
    return draw(st.sampled_from(options))


def draw_index(draw, shape, rng):
    ndim = len(shape)
    choice = draw(st.sampled_from(["int", "slice", "array", "newaxis", "mask"]))
    if ndim == 0 or choice == "newaxis":
        return (Ellipsis, None)
    if choice == "int":
        return draw(st.integers(-shape[0], shape[0] - 1))
    if choice == "slice":
        start = draw(st.integers(0, shape[-1] - 1))
        step = draw(st.sampled_from([1, 2, -1]))
        stop = None if step < 0 else draw(st.integers(start + 1, shape[-1]))
        return (Ellipsis, slice(start, stop, step))
    if choice == "array":  # repeated indices accumulate in the gradient
        length = draw(st.integers(1, 4))
        return (rng.integers(0, shape[0], size=length),)
    mask = rng.random(shape) < 0.6
    mask.reshape(-1)[rng.integers(mask.size)] = True
    return mask


@st.composite
def programs(draw, max_steps=30):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    shapes = leaf_shapes(draw, rng)
    values = [rng.uniform(-1.5, 1.5, size=s) for s in shapes]
    program = Program(values)
    pool = [ag.tensor(v) for v in program.leaf_values]  # the values, to steer the drawing
    n_steps = draw(st.integers(2, max_steps))
    steps = 0
    while steps < n_steps:
        kind = draw(st.sampled_from(KINDS))
        a = draw(st.integers(0, len(pool) - 1))
        x = pool[a]
        operands, params = [a], {}
        if kind in BINARY:
            partners = [i for i, t in enumerate(pool) if _broadcastable(x.shape, t.shape)]
            b = draw(st.sampled_from(partners))  # always non-empty: x fits itself
            operands.append(b)
            if kind == "maximum":
                params["offset"] = _separating_offset(x.data, pool[b].data, rng)
                if params["offset"] is None:
                    kind, params = "add", {}
            elif kind == "where":
                shape = np.broadcast_shapes(x.shape, pool[b].shape)
                params["mask"] = rng.random(shape) < 0.5
        elif kind == "concatenate":
            partners = [i for i, t in enumerate(pool)
                        if t.ndim == x.ndim > 0 and t.shape[1:] == x.shape[1:]]
            operands.append(draw(st.sampled_from(partners)) if partners else a)
            params["axis"] = 0 if x.ndim else None
            if x.ndim == 0:
                kind, params = "tanh", {}
        elif kind == "softmax":
            params["axis"] = draw(st.integers(-x.ndim, x.ndim - 1)) if x.ndim else None
        elif kind == "matmul":
            partners = [i for i, t in enumerate(pool) if _matmul_shape(x.shape, t.shape)]
            if partners and draw(st.booleans()):
                operands.append(draw(st.sampled_from(partners)))
            elif x.ndim < 2:
                kind = "tanh"  # x @ x.T needs two axes
        elif kind == "exp":
            params["bounded"] = bool(np.abs(x.data).max(initial=0) <= 3)
        elif kind == "scale":
            params["c"] = draw(st.sampled_from([-2.0, -0.5, 0.3, 1.5, 3.0]))
        elif kind == "square":
            params["self_mul"] = draw(st.booleans())  # x * x: one op, both operands the same
        elif kind in REDUCE:
            params["axis"] = draw_axis(draw, x.ndim)
            params["keepdims"] = draw(st.booleans())
            if kind == "var" and x.size == 1:
                kind = "mean"  # the variance of one element is 0 for every input
        elif kind == "reshape":
            params["shape"] = draw_reshape(draw, x.shape)
        elif kind == "transpose":
            params["axes"] = tuple(draw(st.permutations(range(x.ndim))))
        elif kind == "broadcast_to":
            lead = draw(st.sampled_from([(), (2,)]))
            params["shape"] = lead + tuple(2 if n == 1 and draw(st.booleans()) else n
                                           for n in x.shape)
        elif kind == "getitem":
            params["index"] = draw_index(draw, x.shape, rng)

        with ag.no_grad():
            out = apply_step(kind, [pool[i] for i in operands], params, np.float64)
        if out.size > MAX_SIZE:
            continue  # too big to check cheaply: draw another step
        program.steps.append((kind, tuple(operands), params))
        program.used.update(operands)
        pool.append(out)
        steps += 1
        if np.abs(out.data).max(initial=0) > SQUASH_ABOVE:
            program.steps.append(("tanh", (len(pool) - 1,), {}))
            program.used.add(len(pool) - 1)
            pool.append(out.tanh())
    return program


def _broadcastable(a, b):
    try:
        shape = np.broadcast_shapes(a, b)
    except ValueError:
        return False
    return int(np.prod(shape, dtype=int)) <= MAX_SIZE


def _matmul_shape(a, b):
    if not a or not b:
        return False
    try:
        np.matmul(np.empty(a), np.empty(b))
    except ValueError:
        return False
    return True


def _separating_offset(x, y, rng):
    """A constant that keeps y + offset at least MAXIMUM_GAP away from x everywhere, or None."""
    for _ in range(10):
        offset = rng.uniform(-0.5, 0.5, size=np.broadcast_shapes(x.shape, y.shape))
        if np.abs(x - (y + offset)).min(initial=1.0) > MAXIMUM_GAP:
            return offset
    return None


SETTINGS = dict(
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
)


# -- the properties ------------------------------------------------------------------------------
@settings(max_examples=150, **SETTINGS)
@given(program=programs())
def test_gradcheck_holds_on_random_graphs(program):
    leaves = program.leaves()
    assert gradcheck(lambda *xs: program.run(xs), tuple(leaves)), program


@settings(max_examples=100, **SETTINGS)
@given(program=programs())
def test_backward_gives_the_same_leaf_gradients_as_ag_grad(program):
    leaves = program.leaves()
    program.run(leaves).backward()
    fresh = program.leaves()
    grads = ag.grad(program.run(fresh), fresh)
    for i, (x, g) in enumerate(zip(leaves, grads)):
        assert x.grad is not None, f"leaf {i} got no .grad\n{program}"
        assert x.grad.shape == x.shape and g.shape == x.shape
        np.testing.assert_allclose(x.grad.data, g.data, rtol=1e-13, atol=1e-13,
                                   err_msg=f"leaf {i}: backward() vs ag.grad\n{program}")


@settings(max_examples=100, **SETTINGS)
@given(program=programs())
def test_float32_graphs_give_float32_gradients_close_to_float64(program):
    leaves64 = program.leaves(np.float64)
    leaves32 = program.leaves(np.float32)
    loss64 = program.run(leaves64, np.float64)
    loss32 = program.run(leaves32, np.float32)
    assert loss32.dtype == np.float32, f"the float32 graph computed in {loss32.dtype}\n{program}"
    np.testing.assert_allclose(loss32.data, loss64.data, rtol=1e-3, atol=1e-3)
    loss64.backward()
    loss32.backward()
    for i, (x64, x32) in enumerate(zip(leaves64, leaves32)):
        assert x32.grad.dtype == np.float32, f"leaf {i}: grad dtype {x32.grad.dtype}\n{program}"
        scale = max(1.0, float(np.abs(x64.grad.data).max(initial=0)))
        np.testing.assert_allclose(x32.grad.data, x64.grad.data, rtol=2e-3, atol=2e-3 * scale,
                                   err_msg=f"leaf {i}: float32 vs float64 gradient\n{program}")


@settings(max_examples=50, **SETTINGS)
@given(program=programs(max_steps=8))
def test_gradgradcheck_holds_on_small_random_graphs(program):
    leaves = program.leaves()
    assert gradgradcheck(lambda *xs: program.run(xs), tuple(leaves)), program


def test_the_generator_reaches_every_op_kind_and_fan_out():
    """A guard against a silently narrowed generator: in 100 drawn programs every op kind
    occurs, and so does a tensor consumed twice (fan-out)."""
    seen = set()

    @settings(max_examples=100, database=None, **SETTINGS)
    @given(program=programs(max_steps=10))
    def collect(program):
        seen.update(kind for kind, _, _ in program.steps)
        uses = [i for _, operands, _ in program.steps for i in operands]
        if len(uses) != len(set(uses)):
            seen.add("fan-out")

    collect()
    assert seen >= set(KINDS) | {"fan-out"}, f"never drawn: {set(KINDS) - seen}"


@pytest.mark.parametrize("op", [ag.exp, ag.tanh, ag.sigmoid, ag.sqrt, ag.softplus,
                                lambda x: x**3, lambda x: 1.0 / x])
def test_second_derivatives_of_0d_tensors(op):
    """Found by the random graphs: ops that save their own output lost its history on 0-d
    tensors (NumPy hands back a scalar, which was then copied into a new array)."""
    x = ag.tensor(0.7, requires_grad=True)
    (g,) = ag.grad(op(x), x, create_graph=True)
    assert g.requires_grad, "the first derivative of a 0-d op has no history"
    assert gradgradcheck(op, x)
