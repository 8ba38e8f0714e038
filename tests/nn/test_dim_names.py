"""PyTorch's `dim=` names in nn: every nn.functional function (and layer) that takes an axis
takes the PyTorch spelling too (`@ag.accepts_dim`)."""

import inspect

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.ops.common import _torch_name

# A value for each axis argument, valid for a tensor of shape (2, 3, 4).
AXIS_VALUES = {"axis": 1, "start_axis": 0, "end_axis": 1}


def axis_parameters(function):
    return [name for name, p in inspect.signature(function).parameters.items()
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and _torch_name(name) != name]


FUNCTIONS = [name for name in F.__all__ if axis_parameters(getattr(F, name))]
LAYERS = [name for name in dir(nn) if isinstance(getattr(nn, name), type)
          and issubclass(getattr(nn, name), nn.Module) and axis_parameters(getattr(nn, name))]


def test_the_functions_and_layers_with_an_axis_are_found():
    assert {"softmax", "log_softmax", "flatten"} <= set(FUNCTIONS)
    assert {"Softmax", "LogSoftmax", "Flatten"} <= set(LAYERS)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_functional_with_an_axis_takes_dim(name):
    function = getattr(F, name)
    x = ag.tensor(np.linspace(-1.0, 1.0, 24).reshape(2, 3, 4), requires_grad=True)
    numpy_kwargs = {p: AXIS_VALUES[p] for p in axis_parameters(function)}
    torch_kwargs = {_torch_name(p): v for p, v in numpy_kwargs.items()}
    expected, got = function(x, **numpy_kwargs), function(x, **torch_kwargs)
    assert got.shape == expected.shape and np.allclose(got.data, expected.data), (
        f"F.{name}({torch_kwargs})\nengine:   {got.data}\nexpected: {expected.data}")


@pytest.mark.parametrize("name", LAYERS)
def test_every_layer_with_an_axis_takes_dim(name):
    layer = getattr(nn, name)
    numpy_kwargs = {p: AXIS_VALUES[p] for p in axis_parameters(layer)}
    torch_kwargs = {_torch_name(p): v for p, v in numpy_kwargs.items()}
    x = ag.tensor(np.linspace(-1.0, 1.0, 24).reshape(2, 3, 4))
    expected, got = layer(**numpy_kwargs)(x), layer(**torch_kwargs)(x)
    assert repr(layer(**torch_kwargs)) == repr(layer(**numpy_kwargs))
    assert got.shape == expected.shape and np.allclose(got.data, expected.data)
