"""Random nn.Sequential stacks (float64): gradcheck with respect to the input and to every
parameter, and a state_dict round trip (in memory and through nn.save / nn.load) that leaves
the outputs bit-identical."""

import contextlib

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autograd_core as ag
import nn
from autograd_core.testing import gradcheck

SETTINGS = dict(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
RELU_MARGIN = 1e-2  # ReLU inputs stay this far from 0, where finite differences would straddle

LAYERS = ["Linear", "Tanh", "Sigmoid", "Softplus", "ReLU", "LayerNorm", "BatchNorm1d",
          "Dropout"]


def build(spec, in_features):
    """An nn.Sequential from a list of (layer kind, option) pairs."""
    layers, width = [], in_features
    for kind, option in spec:
        if kind == "Linear":
            layers.append(nn.Linear(width, option, bias=option % 2 == 0 or width == 1))
            width = option
        elif kind == "LayerNorm":
            layers.append(nn.LayerNorm(width))
        elif kind == "BatchNorm1d":
            layers.append(nn.BatchNorm1d(width))
        elif kind == "Dropout":
            layers.append(nn.Dropout(p=0.5))
        else:
            layers.append(getattr(nn, kind)())
    return nn.Sequential(*layers)


def randomize(model, rng):
    """Parameters and running statistics away from their initial values (which are often
    exactly 1 and 0), so that every entry of every gradient is exercised."""
    with ag.no_grad():
        for _, parameter in model.named_parameters():
            parameter.copy_(rng.uniform(-1.0, 1.0, parameter.shape))
        for name, buffer in model.named_buffers():
            if name.endswith("running_mean"):
                buffer.copy_(rng.uniform(-0.5, 0.5, buffer.shape))
            elif name.endswith("running_var"):
                buffer.copy_(rng.uniform(0.5, 2.0, buffer.shape))


@st.composite
def stacks(draw):
    """(spec, in_features, batch, seed, train): a random stack of 1-5 layers and a final Linear.
    Hypothesis draws the sizes and the seed; the layer kinds come from the seed, uniformly
    (hypothesis' own choices cluster on few kinds within a few dozen examples)."""
    in_features = draw(st.integers(1, 4))
    batch = draw(st.integers(2, 4))
    seed = draw(st.integers(0, 2**16))
    train = draw(st.booleans())  # BatchNorm1d in training or evaluation mode
    rng = np.random.default_rng(seed)
    spec = []
    for kind in rng.choice(LAYERS, size=int(rng.integers(1, 6))):
        spec.append((str(kind), int(rng.integers(1, 5)) if kind == "Linear" else None))
    spec.append(("Linear", int(rng.integers(1, 4))))
    return spec, in_features, batch, seed, train


def prepare(spec, in_features, batch, seed, train):
    """(spec, model, x). A ReLU whose input comes within RELU_MARGIN of 0 is replaced by
    Softplus in the returned spec: a kink inside the finite-difference step would make
    gradcheck compare one-sided slopes."""
    spec = list(spec)
    while True:
        rng = np.random.default_rng(seed)
        model = build(spec, in_features)
        randomize(model, rng)
        model.train(train)
        for module in model.modules():
            if isinstance(module, nn.Dropout):
                module.eval()  # Dropout only in evaluation mode: it is random in training
        x = ag.tensor(rng.uniform(-2.0, 2.0, (batch, in_features)))
        close = _relu_near_zero(model, x)
        if close is None:
            return spec, model, x
        spec[close] = ("Softplus", None)


def _relu_near_zero(model, x):
    h = x
    with ag.no_grad():
        for index, layer in enumerate(model):
            if isinstance(layer, nn.ReLU) and np.abs(h.data).min() < RELU_MARGIN:
                return index
            h = layer(h)
    return None


@contextlib.contextmanager
def parameters_replaced(model, tensors):
    """Run the model with `tensors` in place of its parameters (in named_parameters order)."""
    slots = []
    for module in model.modules():
        for name, parameter in module._parameters.items():
            if parameter is not None:
                slots.append((module, name, parameter))
    assert len(slots) == len(tensors)
    for (module, name, _), tensor in zip(slots, tensors):
        module._parameters[name] = tensor
    try:
        yield
    finally:
        for module, name, parameter in slots:
            module._parameters[name] = parameter


def _describe(spec, train):
    return f"{'train' if train else 'eval'}: " + " -> ".join(
        kind if option is None else f"{kind}({option})" for kind, option in spec)


@settings(max_examples=100, **SETTINGS)
@given(stack=stacks())
def test_gradcheck_of_random_stacks_wrt_input_and_every_parameter(stack):
    spec, model, x = prepare(*stack)
    train = stack[-1]
    parameters = [p.detach() for p in model.parameters()]

    def f(x, *params):
        with parameters_replaced(model, params):
            return model(x)

    assert gradcheck(f, (x, *parameters)), _describe(spec, train)


@settings(max_examples=40, **SETTINGS)
@given(stack=stacks())
def test_state_dict_round_trip_leaves_outputs_identical(stack, tmp_path_factory):
    _, in_features, batch, seed, train = stack
    spec, model, x = prepare(*stack)
    model.eval()
    expected = model(x).data
    state = model.state_dict()

    fresh = build(spec, in_features)  # different random initialisation, default statistics
    randomize(fresh, np.random.default_rng(seed + 1))
    fresh.eval()
    result = fresh.load_state_dict(state)
    assert list(result.missing_keys) == [] and list(result.unexpected_keys) == []
    np.testing.assert_array_equal(fresh(x).data, expected, err_msg=_describe(spec, train))

    path = tmp_path_factory.mktemp("state") / "model.npz"
    nn.save(state, path)
    loaded = build(spec, in_features)
    loaded.load_state_dict(nn.load(path))
    loaded.eval()
    np.testing.assert_array_equal(loaded(x).data, expected, err_msg=_describe(spec, train))
    for name, array in model.state_dict().items():
        np.testing.assert_array_equal(loaded.state_dict()[name], array, err_msg=name)


@settings(max_examples=20, **SETTINGS)
@given(stack=stacks())
def test_training_mode_outputs_survive_the_round_trip_too(stack):
    """In training mode BatchNorm uses batch statistics and updates its buffers: two models
    with the same state give the same outputs and end with the same state."""
    _, in_features, batch, seed, _ = stack
    spec, model, x = prepare(stack[0], in_features, batch, seed, True)
    twin = build(spec, in_features)
    twin.load_state_dict(model.state_dict())
    twin.train()
    for module in twin.modules():
        if isinstance(module, nn.Dropout):
            module.eval()
    for _ in range(2):
        np.testing.assert_array_equal(twin(x).data, model(x).data)
    for (name, a), b in zip(model.state_dict().items(), twin.state_dict().values()):
        np.testing.assert_array_equal(a, b, err_msg=name)
