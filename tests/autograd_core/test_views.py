"""Views and in-place changes (autograd_core/inplace.py, TensorBase's views), checked against
NumPy's values and against gradients derived by hand.

Every view op is combined with every in-place op, on a base h = 2 x (a non-leaf), with and
without recording. By hand: the change replaces h on the view's region R by f(h), so for
loss = sum(W * h) after the change, d loss / dx = 2 W f'(h) on R and 2 W elsewhere (f' is 1
for add_/sub_, c for mul_, 1/c for div_, 0 for zero_/fill_/copy_/item assignment, and 1 inside
clamp_'s bounds and 0 outside). Without recording the history does not change: 2 W everywhere.
"""

import tracemalloc

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck

# name -> (shape of the base, the view as a function of a Tensor or an array)
VIEWS = {
    "row h[1]": ((2, 3), lambda h: h[1]),
    "slice h[:, 1:]": ((2, 3), lambda h: h[:, 1:]),
    "step h[..., ::2]": ((2, 3), lambda h: h[..., ::2]),
    # a 0-d view (NumPy needs the Ellipsis to give a view rather than a scalar)
    "element h[0, 2]": ((2, 3), lambda h: h[0, 2] if isinstance(h, ag.Tensor) else h[0, 2, ...]),
    "None h[None]": ((2, 3), lambda h: h[None]),
    "reshape": ((2, 3), lambda h: h.reshape(3, 2)),
    "view": ((2, 3), lambda h: h.view(6) if isinstance(h, ag.Tensor) else h.reshape(6)),
    "transpose": ((2, 3), lambda h: h.transpose()),
    "T then slice": ((2, 3), lambda h: h.T[1:]),
    "swapaxes": ((2, 3), lambda h: h.swapaxes(0, 1)),
    "moveaxis": ((2, 3, 2), lambda h: h.moveaxis(0, -1) if isinstance(h, ag.Tensor)
                 else np.moveaxis(h, 0, -1)),
    "squeeze": ((2, 1, 3), lambda h: h.squeeze(1)),
    "expand_dims": ((2, 3), lambda h: h.expand_dims(0) if isinstance(h, ag.Tensor)
                    else np.expand_dims(h, 0)),
    "diagonal": ((3, 3), lambda h: h.diagonal() if isinstance(h, ag.Tensor) else _diagonal(h)),
    "reshape of a slice": ((4, 3), lambda h: h[1:3].reshape(6)),
}

def _diagonal(array):
    """NumPy's diagonal, writable as ours is (and PyTorch's)."""
    d = np.diagonal(array)
    d.flags.writeable = True
    return d


C = 3.0
CHANGES = {  # name -> (the change, f' at the changed entries)
    "add_": (lambda v: v.add_(C), lambda h: np.ones_like(h)),
    "sub_": (lambda v: v.sub_(C), lambda h: np.ones_like(h)),
    "mul_": (lambda v: v.mul_(C), lambda h: np.full_like(h, C)),
    "div_": (lambda v: v.div_(C), lambda h: np.full_like(h, 1 / C)),
    "zero_": (lambda v: v.zero_(), np.zeros_like),
    "fill_": (lambda v: v.fill_(C), np.zeros_like),
    "copy_": (lambda v: v.copy_(np.full(v.shape, C)), np.zeros_like),
    "clamp_": (lambda v: v.clamp_(2.0, 7.0), lambda h: ((h >= 2) & (h <= 7)).astype(float)),
    "v[...] = c": (lambda v: v.__setitem__(Ellipsis, C), np.zeros_like),
    "+=": (lambda v: v.__iadd__(C), lambda h: np.ones_like(h)),
    "*=": (lambda v: v.__imul__(C), lambda h: np.full_like(h, C)),
}


def _numpy_change(name, region):
    """The same change on a NumPy view: the values every alias must show."""
    if name in ("add_", "+="):
        region += C
    elif name == "sub_":
        region -= C
    elif name in ("mul_", "*="):
        region *= C
    elif name == "div_":
        region /= C
    elif name == "zero_":
        region[...] = 0
    elif name in ("fill_", "copy_", "v[...] = c"):
        region[...] = C
    else:
        np.clip(region, 2.0, 7.0, out=region)


def _setup(view_name):
    shape, view = VIEWS[view_name]
    x_values = np.arange(np.prod(shape), dtype=float).reshape(shape) * 0.5
    x = ag.tensor(x_values, requires_grad=True)
    weights = np.random.default_rng(0).uniform(0.5, 1.5, shape)
    return x, x_values, weights, view


def _region_mask(shape, view):
    """Which elements of the base the view sees (by flat position)."""
    positions = view(np.arange(int(np.prod(shape))).reshape(shape))
    mask = np.zeros(shape, dtype=bool)
    mask.flat[np.asarray(positions).ravel()] = True
    return mask


@pytest.mark.parametrize("change", sorted(CHANGES))
@pytest.mark.parametrize("view_name", sorted(VIEWS))
def test_a_recorded_change_through_a_view_writes_through_and_has_the_right_gradient(
        view_name, change):
    x, x_values, weights, view = _setup(view_name)
    h = 2 * x
    v = view(h)
    version = h._version
    CHANGES[change][0](v)

    expected = 2 * x_values
    _numpy_change(change, view(expected))
    np.testing.assert_allclose(h.data, expected, err_msg="the base after the change")
    np.testing.assert_allclose(v.data, view(expected), err_msg="the view after the change")
    assert h._version == v._version == version + 1

    (h * weights).sum().backward()
    mask = _region_mask(x.shape, view)
    derivative = np.where(mask, CHANGES[change][1](2 * x_values), 1.0)
    np.testing.assert_allclose(x.grad.data, 2 * weights * derivative,
                               err_msg=f"d loss / dx after {change} through {view_name}")


@pytest.mark.parametrize("change", sorted(CHANGES))
@pytest.mark.parametrize("view_name", sorted(VIEWS))
def test_an_unrecorded_change_writes_through_and_leaves_the_history(view_name, change):
    x, x_values, weights, view = _setup(view_name)
    h = 2 * x
    with ag.no_grad():
        CHANGES[change][0](view(h))
    expected = 2 * x_values
    _numpy_change(change, view(expected))
    np.testing.assert_allclose(h.data, expected)
    (h * weights).sum().backward()
    np.testing.assert_allclose(x.grad.data, 2 * weights)


@pytest.mark.parametrize("change", sorted(CHANGES))
@pytest.mark.parametrize("view_name", sorted(VIEWS))
def test_a_change_through_a_view_of_a_plain_tensor_is_numpy_write_through(view_name, change):
    shape, view = VIEWS[view_name]
    values = np.arange(np.prod(shape), dtype=float).reshape(shape)
    t = ag.tensor(values)
    CHANGES[change][0](view(t))
    _numpy_change(change, view(values))
    np.testing.assert_array_equal(t.data, values)
    assert t._version == 1 and t.grad_fn is None and not t.requires_grad


@pytest.mark.parametrize("change", sorted(CHANGES))
@pytest.mark.parametrize("view_name", ["row h[1]", "transpose", "reshape", "diagonal"])
def test_a_view_of_a_leaf_that_requires_grad_changes_only_under_no_grad(view_name, change):
    shape, view = VIEWS[view_name]
    w = ag.tensor(np.ones(shape), requires_grad=True)
    with pytest.raises(RuntimeError, match="view of a leaf tensor that requires grad"):
        CHANGES[change][0](view(w))
    assert w._version == 0 and (w.data == 1).all()
    with ag.no_grad():
        CHANGES[change][0](view(w))
    expected = np.ones(shape)
    _numpy_change(change, view(expected))
    np.testing.assert_allclose(w.data, expected)
    assert w.is_leaf and w._version == 1


def test_the_issue_examples():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = 2 * x
    h[0:2].mul_(10)
    assert h.tolist() == [20.0, 40.0, 6.0]
    h.sum().backward()
    assert x.grad.tolist() == [20.0, 20.0, 2.0]

    x = ag.tensor([3.0, 4.0])
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    loss = (x * w).sum()
    x.detach().add_(10.0)
    with pytest.raises(RuntimeError, match=r"Mul: .*version 0 and is at version 1"):
        loss.backward()


def test_views_share_memory_and_one_version_counter():
    base = ag.tensor(np.arange(12.0).reshape(3, 4))
    views = [base[1], base.T, base.reshape(12), base[:, 1:].T[0], base.detach(), base[None, 0]]
    for v in views:
        assert np.shares_memory(v.data, base.data)
    views[1][0, 0] = -1.0  # through the transpose
    assert base.data[0, 0] == -1.0 and views[2].data[0] == -1.0
    assert {v._version for v in views} == {base._version} == {1}


def test_advanced_indexing_copies():
    base = ag.tensor(np.arange(6.0))
    picked = base[[0, 2, 4]]
    masked = base[base.data > 2]
    assert not np.shares_memory(picked.data, base.data)
    picked[0] = 100.0
    masked[0] = 100.0
    assert base.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0] and base._version == 0


def test_a_slice_of_a_big_tensor_allocates_nothing():
    big = ag.tensor(np.zeros(10**7))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        views = [big[10:10**6], big.reshape(1000, 10**4), big.reshape(1000, 10**4).T,
                 big.view(10, 10**6)[3], big.detach()]
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 100_000, f"{grown} bytes for {len(views)} views of an 80 MB tensor"


def test_writing_through_broadcast_to_raises_and_changes_nothing():
    t = ag.tensor([1.0, 2.0, 3.0])
    wide = t.broadcast_to(2, 3)
    for change in (lambda v: v.add_(1.0), lambda v: v.__setitem__(0, 5.0), lambda v: v.zero_()):
        with pytest.raises(RuntimeError, match="read-only view .*broadcast_to"):
            change(wide)
    assert t.tolist() == [1.0, 2.0, 3.0] and t._version == 0


def test_view_of_a_non_contiguous_tensor_points_to_reshape():
    t = ag.tensor(np.arange(6.0).reshape(2, 3)).T
    with pytest.raises(RuntimeError, match=r"cannot be viewed as shape \(6,\).*use reshape"):
        t.view(6)
    flat = t.reshape(6)  # a copy: not a view
    assert not np.shares_memory(flat.data, t.data) and flat.tolist() == [0, 3, 1, 4, 2, 5]


@pytest.mark.parametrize("change, error", [
    (lambda v: v.add_(np.ones(5)), ValueError),  # shapes that do not broadcast
    (lambda v: v.mul_(ag.ones(2, 2)), ValueError),
    (lambda v: v.copy_(np.ones(4)), ValueError),
    (lambda v: v.add_("a"), TypeError),
    (lambda v: v.fill_(np.ones(2)), ValueError),
], ids=["add_ (5,)", "mul_ (2, 2)", "copy_ (4,)", "add_ str", "fill_ array"])
@pytest.mark.parametrize("recording", [False, True])
def test_a_failed_change_leaves_base_views_and_version_as_they_were(change, error, recording):
    x = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=recording)
    h = x * 1.0
    v = h[1]
    before_grad_fn, before = h.grad_fn, h.data.copy()
    with pytest.raises(error):
        change(v)
    np.testing.assert_array_equal(h.data, before)
    assert h._version == v._version == 0 and h.grad_fn is before_grad_fn


def test_an_int_tensor_refuses_a_float_change_in_place():
    t = ag.tensor(np.array([1, 2]))
    with pytest.raises(TypeError, match="mul_ on a tensor of shape \\(2,\\) and dtype int64"):
        t.mul_(0.5)
    assert t.tolist() == [1, 2] and t._version == 0


def test_another_view_made_before_the_change_gets_the_new_history():
    x = ag.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    h = x * 1.0
    early = h.reshape(2, 2)  # made before the change, used after it
    h[:2].mul_(5.0)
    assert early.tolist() == [[5.0, 10.0], [3.0, 4.0]]
    early.sum().backward()
    assert x.grad.tolist() == [5.0, 5.0, 1.0, 1.0]


def test_a_view_made_under_no_grad_and_changed_with_grad_records_into_its_base():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = ag.tensor([2.0, 2.0], requires_grad=True)
    h = x * 1.0
    with ag.no_grad():
        v = h[1:]
    v.mul_(w)  # recorded: h becomes [1, 4, 6] as a function of x and w
    h.sum().backward()
    assert h.tolist() == [1.0, 4.0, 6.0]
    assert x.grad.tolist() == [1.0, 2.0, 2.0] and w.grad.tolist() == [2.0, 3.0]


def test_a_change_that_needs_the_old_value_saves_a_copy_of_it():
    a = ag.tensor([1.0, 2.0], requires_grad=True)
    b = ag.tensor([3.0, 4.0], requires_grad=True)
    h = a * 1.0
    h.mul_(b)  # d h / d b needs h's old value, which the change overwrites
    h.sum().backward()
    assert a.grad.tolist() == [3.0, 4.0] and b.grad.tolist() == [1.0, 2.0]


def test_an_output_saved_for_backward_and_changed_through_an_alias_raises():
    x = ag.tensor([0.5, 1.0], requires_grad=True)
    y = x.exp()  # Exp saves its output
    y.detach()[0] = 0.0
    with pytest.raises(RuntimeError, match="Exp: its output 0 .* saved at version 0 .* version 1"):
        y.sum().backward()


def test_a_change_through_a_view_is_differentiable_to_second_order():
    def f(x):
        h = x * x
        h[1:].mul_(x[:2])
        return h

    assert gradcheck(f, ag.tensor([0.5, -1.0, 2.0], requires_grad=True))
    assert ag.testing.gradgradcheck(f, ag.tensor([0.5, -1.0, 2.0], requires_grad=True))
