"""Tests of nn/functional/normalization.py and the layers BatchNorm2d, GroupNorm and RMSNorm of
nn/layers/normalization.py: the statistics written out in NumPy, running statistics, state
dicts, derivatives, and errors that name the layer, the argument and the shapes."""

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck
from tests.nn.module_checks import check_module, leaf


def randomize(module, rng):
    with ag.no_grad():
        for p in module.parameters():
            p.copy_(rng.standard_normal(p.shape))
    return module


# -- BatchNorm2d ----------------------------------------------------------------------------------
def test_batch_norm_2d_statistics_over_n_h_w(rng):
    bn = nn.BatchNorm2d(3, momentum=0.25)
    assert list(bn.state_dict()) == ["weight", "bias", "running_mean", "running_var",
                                     "num_batches_tracked"]
    randomize(bn, rng)
    mean, var = np.zeros(3), np.ones(3)
    for _ in range(3):
        x = rng.normal(2.0, 3.0, (4, 3, 5, 2))
        y = bn(ag.tensor(x)).data
        m = x.mean(axis=(0, 2, 3), keepdims=True)
        v = ((x - m) ** 2).mean(axis=(0, 2, 3), keepdims=True)  # biased in the normalisation
        w, b = bn.weight.data.reshape(3, 1, 1), bn.bias.data.reshape(3, 1, 1)
        np.testing.assert_allclose(y, (x - m) / np.sqrt(v + 1e-5) * w + b, rtol=1e-10, atol=1e-12)
        count = 4 * 5 * 2
        mean = 0.75 * mean + 0.25 * m.ravel()
        var = 0.75 * var + 0.25 * v.ravel() * count / (count - 1)  # unbiased in the estimate
    np.testing.assert_allclose(bn.running_mean.data, mean, rtol=1e-12)
    np.testing.assert_allclose(bn.running_var.data, var, rtol=1e-12)
    assert bn.num_batches_tracked.item() == 3
    x = rng.standard_normal((2, 3, 4, 4))
    expected = ((x - mean.reshape(3, 1, 1)) / np.sqrt(var.reshape(3, 1, 1) + 1e-5)
                * bn.weight.data.reshape(3, 1, 1) + bn.bias.data.reshape(3, 1, 1))
    np.testing.assert_allclose(bn.eval()(ag.tensor(x)).data, expected, rtol=1e-12)
    assert bn.num_batches_tracked.item() == 3


def test_batch_norm_2d_gradcheck_train_and_eval(rng):
    bn = randomize(nn.BatchNorm2d(2), rng)
    check_module(bn, leaf(rng.standard_normal((3, 2, 2, 2))))
    check_module(bn.eval(), leaf(rng.standard_normal((3, 2, 2, 2))))


def test_batch_norm_2d_errors_leave_the_statistics_alone():
    bn = nn.BatchNorm2d(3)
    for shape in [(2, 3, 4), (2, 4, 3, 3), (2, 3, 1, 1, 1)]:
        with pytest.raises(ValueError, match=r"BatchNorm2d\(3, .*expected input of shape "
                                             rf"\(N, 3, H, W\), got {re_shape(shape)}"):
            bn(ag.ones(shape))
    with pytest.raises(ValueError, match="BatchNorm2d.*more than 1 value per channel"):
        bn(ag.ones(1, 3, 1, 1))
    assert bn.num_batches_tracked.item() == 0
    np.testing.assert_array_equal(bn.running_mean.data, 0)


def re_shape(shape):
    return str(tuple(shape)).replace("(", r"\(").replace(")", r"\)")


def test_batch_norm_functional_takes_any_rank(rng):
    x = rng.standard_normal((3, 2, 2, 2, 2))
    y = F.batch_norm(ag.tensor(x), training=True).data
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3, 4)), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=(0, 2, 3, 4)), 1, rtol=1e-4)
    f = lambda x, w, b: F.batch_norm(x, weight=w, bias=b, training=True)
    inputs = (leaf(rng.standard_normal((3, 2, 2, 2))), leaf(rng.standard_normal(2)),
              leaf(rng.standard_normal(2)))
    assert gradcheck(f, inputs) and gradgradcheck(f, inputs)


# -- GroupNorm ------------------------------------------------------------------------------------
@pytest.mark.parametrize("groups", [1, 2, 6])
def test_group_norm_statistics_per_sample_and_group(rng, groups):
    gn = randomize(nn.GroupNorm(groups, 6), rng)
    x = rng.normal(1.0, 2.0, (3, 6, 4, 2))
    grouped = x.reshape(3, groups, -1)
    m = grouped.mean(axis=-1, keepdims=True)
    v = grouped.var(axis=-1, keepdims=True)
    normalised = ((grouped - m) / np.sqrt(v + 1e-5)).reshape(x.shape)
    expected = normalised * gn.weight.data.reshape(6, 1, 1) + gn.bias.data.reshape(6, 1, 1)
    np.testing.assert_allclose(gn(ag.tensor(x)).data, expected, rtol=1e-10, atol=1e-12)
    # No running statistics: evaluation mode computes the same thing.
    np.testing.assert_allclose(gn.eval()(ag.tensor(x)).data, expected, rtol=1e-10, atol=1e-12)


def test_group_norm_defaults_state_dict_and_gradcheck(rng):
    gn = nn.GroupNorm(2, 4)
    np.testing.assert_array_equal(gn.weight.data, 1)
    np.testing.assert_array_equal(gn.bias.data, 0)
    assert list(gn.state_dict()) == ["weight", "bias"] and gn.eps == 1e-5
    assert repr(gn).startswith("GroupNorm(2, 4, eps=1e-05, affine=True)")
    assert list(nn.GroupNorm(2, 4, affine=False).state_dict()) == []
    check_module(randomize(gn, rng), leaf(rng.standard_normal((2, 4, 3))))
    f = lambda x, w, b: F.group_norm(x, 2, w, b)
    inputs = (leaf(rng.standard_normal((2, 4))), leaf(rng.standard_normal(4)),
              leaf(rng.standard_normal(4)))
    assert gradcheck(f, inputs) and gradgradcheck(f, inputs)


def test_group_norm_errors():
    with pytest.raises(ValueError, match="GroupNorm: num_channels=6 must be divisible by "
                                         "num_groups=4"):
        nn.GroupNorm(4, 6)
    with pytest.raises(ValueError, match="num_groups=0"):
        nn.GroupNorm(0, 6)
    with pytest.raises(ValueError, match=r"GroupNorm\(2, 6, .*expected input of shape "
                                         r"\(N, 6, \*\), got \(3, 4, 2\)"):
        nn.GroupNorm(2, 6)(ag.ones(3, 4, 2))
    with pytest.raises(ValueError, match=r"group_norm: num_groups=4 does not divide the 6 "
                                         r"channels of the input \(2, 6\)"):
        F.group_norm(ag.ones(2, 6), 4)
    with pytest.raises(ValueError, match=r"weight has shape \(3,\), the input has 6 channels"):
        F.group_norm(ag.ones(2, 6), 3, weight=ag.ones(3))


# -- RMSNorm --------------------------------------------------------------------------------------
def test_rms_norm_values_and_default_eps(rng):
    norm = randomize(nn.RMSNorm((2, 3)), rng)
    assert norm.eps is None and list(norm.state_dict()) == ["weight"]
    x = rng.normal(0.5, 2.0, (4, 2, 3))
    eps = np.finfo(np.float64).eps
    expected = x / np.sqrt((x**2).mean(axis=(1, 2), keepdims=True) + eps) * norm.weight.data
    np.testing.assert_allclose(norm(ag.tensor(x)).data, expected, rtol=1e-13)
    # eps = None is the machine epsilon of the input's dtype, as torch.finfo(dtype).eps.
    small = np.full((1, 4), 1e-4, dtype=np.float32)
    y = F.rms_norm(ag.tensor(small), (4,)).data
    assert y.dtype == np.float32
    np.testing.assert_allclose(y, 1e-4 / np.sqrt(1e-8 + np.finfo(np.float32).eps), rtol=1e-5)
    y = F.rms_norm(ag.tensor(small), (4,), eps=1e-3).data
    np.testing.assert_allclose(y, 1e-4 / np.sqrt(1e-8 + 1e-3), rtol=1e-5)


def test_rms_norm_without_weight_and_at_zero(rng):
    norm = nn.RMSNorm(3, eps=1e-6, elementwise_affine=False)
    assert norm.weight is None and list(norm.parameters()) == []
    assert repr(norm) == "RMSNorm((3,), eps=1e-06, elementwise_affine=False)"
    x = leaf(np.zeros((2, 3)))
    y = norm(x)
    y.sum().backward()
    assert np.isfinite(x.grad.data).all()  # eps keeps the zero vector's gradient finite
    np.testing.assert_array_equal(y.data, 0)


def test_rms_norm_gradcheck(rng):
    check_module(randomize(nn.RMSNorm(4), rng), leaf(rng.standard_normal((3, 4))))
    f = lambda x, w: F.rms_norm(x, (2, 3), w, eps=1e-5)
    inputs = (leaf(rng.standard_normal((2, 2, 3))), leaf(rng.standard_normal((2, 3))))
    assert gradcheck(f, inputs) and gradgradcheck(f, inputs)


def test_rms_norm_errors():
    with pytest.raises(ValueError, match=r"RMSNorm\(\(4,\), .*input shape \(2, 3\) does not end "
                                         r"in the normalized shape \(4,\)"):
        nn.RMSNorm(4)(ag.ones(2, 3))
    with pytest.raises(ValueError, match=r"rms_norm: weight has shape \(3,\), expected the "
                                         r"normalized shape \(4,\)"):
        F.rms_norm(ag.ones(2, 4), 4, weight=ag.ones(3))
    with pytest.raises(TypeError, match="RMSNorm: eps must be a number"):
        nn.RMSNorm(4, eps="small")


# -- state dicts ----------------------------------------------------------------------------------
@pytest.mark.parametrize("make, shape", [(lambda: nn.BatchNorm2d(3), (2, 3, 2, 2)),
                                         (lambda: nn.GroupNorm(3, 6), (2, 6, 2)),
                                         (lambda: nn.RMSNorm((2, 3)), (4, 2, 3))])
def test_state_dict_round_trip(make, shape, rng):
    source = randomize(make(), rng)
    source(ag.tensor(rng.standard_normal(shape)))  # moves BatchNorm's running statistics
    target = make()
    target.load_state_dict(source.state_dict())
    x = ag.tensor(rng.standard_normal(shape))
    np.testing.assert_array_equal(target.eval()(x).data, source.eval()(x).data)


def test_a_state_dict_of_another_shape_names_the_entry_and_both_shapes():
    target = nn.GroupNorm(2, 4)
    with pytest.raises(ValueError, match=r"GroupNorm failed; nothing was changed:\n  'weight': "
                                         r"shape \(6,\) in the state dict, \(4,\) in the model"):
        target.load_state_dict(nn.GroupNorm(3, 6).state_dict())
    np.testing.assert_array_equal(target.weight.data, 1)
