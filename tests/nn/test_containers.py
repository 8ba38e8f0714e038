"""Tests of nn/layers/containers.py: Sequential, ModuleList and Identity."""

from collections import OrderedDict

import numpy as np
import pytest

import autograd_core as ag
import nn


def test_sequential_chains_indexes_and_slices():
    net = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
    x = ag.randn(3, 2)
    np.testing.assert_allclose(net(x).data, net[2](net[1](net[0](x))).data)
    assert len(net) == 3 and isinstance(net[-1], nn.Linear)
    head = net[:2]
    assert isinstance(head, nn.Sequential) and len(head) == 2 and head[0] is net[0]
    net.append(nn.Sigmoid())
    assert [name for name, _ in net.named_children()] == ["0", "1", "2", "3"]
    with pytest.raises(IndexError, match="index 7 is out of range for 4 modules"):
        net[7]
    named = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 2)), ("act", nn.Tanh())]))
    assert [name for name, _ in named.named_parameters()] == ["fc.weight", "fc.bias"]


def test_module_list_edits_keep_names_consecutive():
    layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 3)])
    layers.append(nn.ReLU())
    layers.insert(0, nn.Identity())
    assert [type(m).__name__ for m in layers] == ["Identity", "Linear", "Linear", "ReLU"]
    del layers[1]
    assert [name for name, _ in layers.named_parameters()] == ["1.weight", "1.bias"]
    layers[0] = nn.Linear(1, 1)
    layers += [nn.Tanh()]
    assert len(layers) == 4 and isinstance(layers[-1], nn.Tanh)
    with pytest.raises(TypeError, match="ModuleList holds nn.Module objects"):
        layers.append(lambda x: x)
    with pytest.raises(NotImplementedError, match="ModuleList has no forward"):
        layers(ag.ones(1))


def test_identity():
    x = ag.ones(2)
    assert nn.Identity()(x) is x
    assert nn.Identity(54, unused="ignored")(x) is x


def test_module_list_insert_clamps_like_a_list():
    layers = nn.ModuleList([nn.ReLU()])
    layers.insert(10**30, nn.Tanh())
    layers.insert(-10**30, nn.Sigmoid())
    assert [type(m).__name__ for m in layers] == ["Sigmoid", "ReLU", "Tanh"]
    with pytest.raises(TypeError, match="index must be an int"):
        layers.insert("0", nn.ReLU())
