"""Tests of nn/module.py: Parameter, registration on assignment, PyTorch-style names, walking
the tree, modes, gradients, state dicts (strict and not, changing nothing on failure), repr."""

import copy
import pickle

import numpy as np
import pytest

import autograd_core as ag
import nn


class TwoLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(2, 4)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(4, 1)
        self.note = "a plain attribute"

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Tied(nn.Module):
    """Two layers sharing one weight, and the same submodule under two names."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.Linear(3, 3, bias=False)
        self.decoder = nn.Linear(3, 3, bias=False)
        self.decoder.weight = self.encoder.weight
        self.again = self.encoder

    def forward(self, x):
        return self.decoder(self.encoder(x))


def arrays_of(module):
    return {name: array.copy() for name, array in module.state_dict().items()}


# -- Parameter ------------------------------------------------------------------------------------
def test_parameter_is_a_tensor_that_requires_grad():
    p = nn.Parameter(np.zeros((3, 2)))
    assert isinstance(p, ag.Tensor) and p.requires_grad and p.is_leaf and p.shape == (3, 2)
    assert not hasattr(p, "__dict__")  # __slots__ = (): no per-instance dictionary
    assert "Parameter" in repr(p)
    assert nn.Parameter([1.0, 2.0]).dtype == np.float64
    assert not nn.Parameter([1.0], requires_grad=False).requires_grad
    y = p * 2
    assert type(y) is ag.Tensor  # results of operations are plain tensors


def test_parameter_copies_and_must_be_float():
    data = np.ones(3)
    p = nn.Parameter(data)
    data[0] = 5
    assert p.data[0] == 1
    assert nn.Parameter(np.ones(2, dtype=np.float32)).dtype == np.float32
    with pytest.raises(TypeError, match="Parameter: the data must be floating point, got dtype"):
        nn.Parameter(np.array([1, 2]))


# -- registration and names -----------------------------------------------------------------------
def test_named_parameters_follow_pytorch_names():
    net = TwoLayer()
    assert [name for name, _ in net.named_parameters()] == [
        "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
    assert len(list(net.parameters())) == 4
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Sequential(nn.Linear(3, 3)))
    assert [name for name, _ in seq.named_parameters()] == [
        "0.weight", "0.bias", "2.0.weight", "2.0.bias"]
    assert [name for name, _ in seq.named_parameters(prefix="model")][0] == "model.0.weight"
    assert [name for name, _ in seq.named_parameters(recurse=False)] == []


def test_shared_parameters_and_modules_appear_once():
    net = Tied()
    assert [name for name, _ in net.named_parameters()] == ["encoder.weight"]
    assert [name for name, _ in net.named_modules()] == ["", "encoder", "decoder"]
    assert [name for name, _ in net.named_children()] == ["encoder", "decoder"]
    # The state dict names every place, as PyTorch's does.
    assert list(net.state_dict()) == ["encoder.weight", "decoder.weight", "again.weight"]
    net(ag.randn(2, 3)).sum().backward()
    assert net.encoder.weight.grad is not None


class TinyGPT(nn.Module):
    """Token embedding and output head tied, as in GPT-2: head.weight = embed.weight."""

    def __init__(self, vocabulary=5, width=3, tied=True):
        super().__init__()
        self.embed = nn.Embedding(vocabulary, width)
        self.mix = nn.Linear(width, width)
        self.head = nn.Linear(width, vocabulary, bias=False)
        if tied:
            self.head.weight = self.embed.weight

    def forward(self, tokens):
        return self.head(self.mix(self.embed(tokens)).tanh())


def test_a_tied_parameter_is_one_parameter_with_two_names_in_the_state_dict():
    model = TinyGPT()
    assert model.head.weight is model.embed.weight
    names = [name for name, _ in model.named_parameters()]
    assert names == ["embed.weight", "mix.weight", "mix.bias"]  # PyTorch's first name only
    assert len(list(model.parameters())) == 3
    state = model.state_dict()  # PyTorch lists the tied tensor under both names
    assert list(state) == ["embed.weight", "mix.weight", "mix.bias", "head.weight"]
    np.testing.assert_array_equal(state["head.weight"], state["embed.weight"])
    state["head.weight"][0, 0] = 42.0  # copies, not views of one another or of the model
    assert state["embed.weight"][0, 0] != 42.0 and model.embed.weight.data[0, 0] != 42.0


def test_a_tied_parameter_gets_the_sum_of_both_uses(rng):
    tokens = np.array([[0, 3, 3], [4, 1, 0]])
    tied, untied = TinyGPT(), TinyGPT(tied=False)
    untied.load_state_dict(tied.state_dict())  # head.weight and embed.weight: the same values
    tied(tokens).sum().backward()
    untied(tokens).sum().backward()
    both = untied.embed.weight.grad.data + untied.head.weight.grad.data
    assert np.abs(untied.head.weight.grad.data).max() > 0  # each use contributes
    np.testing.assert_allclose(tied.embed.weight.grad.data, both, rtol=1e-12, atol=1e-15)
    assert tied.head.weight.grad is tied.embed.weight.grad


def test_a_tied_parameter_stays_tied_through_loading_and_copying(rng):
    source, target = TinyGPT(), TinyGPT()
    with ag.no_grad():
        source.embed.weight.copy_(rng.standard_normal((5, 3)))
    assert target.load_state_dict(source.state_dict()) == ([], [])
    assert target.head.weight is target.embed.weight
    np.testing.assert_array_equal(target.head.weight.data, source.embed.weight.data)
    clone = copy.deepcopy(target)
    assert clone.head.weight is clone.embed.weight and clone.head.weight is not target.head.weight


def test_module_list_and_nested_names():
    class Stack(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(2)])

    assert [name for name, _ in Stack().named_parameters()] == [
        "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"]


def test_plain_lists_and_attributes_are_not_registered():
    net = TwoLayer()
    net.extra = [nn.Linear(2, 2)]  # a plain list hides its modules, as in PyTorch
    net.tensor = ag.ones(2)
    assert len(list(net.parameters())) == 4
    assert net.note == "a plain attribute"


def test_reassigning_and_deleting():
    net = TwoLayer()
    new_weight = nn.Parameter(np.zeros((4, 2)))
    net.fc1.weight = new_weight
    assert net.fc1.weight is new_weight
    assert dict(net.named_parameters())["fc1.weight"] is new_weight
    net.fc1.bias = None
    assert [name for name, _ in net.fc1.named_parameters()] == ["weight"]
    with pytest.raises(TypeError, match="cannot assign a Tensor to parameter 'weight' of Linear"):
        net.fc1.weight = ag.ones(4, 2)
    with pytest.raises(TypeError, match="cannot assign a str to submodule 'fc2'"):
        net.fc2 = "oops"
    net.fc2 = nn.Linear(4, 3)  # a module replaces a module
    assert net.fc2.out_features == 3
    del net.fc2
    assert "fc2" not in dict(net.named_children())
    with pytest.raises(AttributeError, match="'TwoLayer' object has no attribute 'fc2'"):
        _ = net.fc2
    net.act = nn.Parameter(np.ones(1))  # a name can change kind
    assert "act" not in dict(net.named_children()) and "act" in dict(net.named_parameters())
    del net.note
    assert not hasattr(net, "note")


def test_forgetting_super_init_is_explained():
    class Broken(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(2, 2)

    with pytest.raises(AttributeError, match=r"call super\(\).__init__\(\)"):
        Broken()


def test_register_helpers():
    m = nn.Module()
    m.register_parameter("w", nn.Parameter(np.ones(2)))
    m.register_parameter("unused", None)
    m.register_buffer("count", np.array(3))
    m.register_buffer("scratch", np.zeros(2), persistent=False)
    m.add_module("inner", nn.Linear(1, 1))
    assert [name for name, _ in m.named_parameters()] == ["w", "inner.weight", "inner.bias"]
    assert [name for name, _ in m.named_buffers()] == ["count", "scratch"]
    assert list(m.state_dict()) == ["w", "count", "inner.weight", "inner.bias"]
    assert isinstance(m.count, ag.Tensor) and not m.count.requires_grad
    m.count = np.array(4)  # assigning to a buffer keeps it a buffer
    assert m.state_dict()["count"] == 4
    with pytest.raises(TypeError, match="expected an nn.Parameter or None"):
        m.register_parameter("bad", ag.ones(2))
    with pytest.raises(ValueError, match="without '.'"):
        m.register_buffer("a.b", np.zeros(1))
    with pytest.raises(ValueError, match="already exists"):
        m.register_buffer("training", np.zeros(1))
    with pytest.raises(TypeError, match="register it as an nn.Parameter"):
        m.register_buffer("grad_buffer", ag.ones(1, requires_grad=True))
    with pytest.raises(TypeError, match="expected an nn.Module"):
        m.add_module("x", 3)
    assert "w" in dir(m) and "inner" in dir(m)


def test_forward_must_be_defined():
    with pytest.raises(NotImplementedError, match="Module does not define forward"):
        nn.Module()(ag.ones(1))


# -- walking, modes, gradients --------------------------------------------------------------------
def test_children_and_modules():
    net = TwoLayer()
    assert [type(m).__name__ for m in net.children()] == ["Linear", "ReLU", "Linear"]
    assert [type(m).__name__ for m in net.modules()] == ["TwoLayer", "Linear", "ReLU", "Linear"]
    deep = nn.Sequential(nn.Sequential(nn.ReLU(), nn.Tanh()), nn.Sigmoid())
    assert [name for name, _ in deep.named_modules()] == ["", "0", "0.0", "0.1", "1"]


def test_train_and_eval_reach_every_module():
    net = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Dropout(0.5), nn.BatchNorm1d(2)))
    assert net.eval() is net
    assert all(not m.training for m in net.modules())
    net[1].train()
    assert net.training is False and net[1][0].training and net[1][1].training
    assert net.train(True) is net and all(m.training for m in net.modules())


def test_zero_grad_and_requires_grad_():
    net = TwoLayer()
    net(ag.randn(3, 2)).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    net.fc1.requires_grad_(False)
    net(ag.randn(3, 2)).sum().backward()
    assert net.fc1.weight.grad is None and net.fc2.weight.grad is not None


def test_apply_visits_children_first():
    order = []
    nn.Sequential(nn.Linear(1, 1), nn.ReLU()).apply(lambda m: order.append(type(m).__name__))
    assert order == ["ReLU", "Linear", "Sequential"]


def test_parameter_owners():
    net = Tied()
    owners = net.parameter_owners()
    assert owners == {id(net.encoder.weight): "encoder"}
    two = TwoLayer()
    assert set(two.parameter_owners().values()) == {"fc1", "fc2"}
    m = nn.Module()
    m.w = nn.Parameter(np.ones(1))
    assert m.parameter_owners() == {id(m.w): ""}


# -- state dicts ----------------------------------------------------------------------------------
def test_state_dict_is_a_copy_with_buffers():
    net = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    state = net.state_dict()
    assert list(state) == ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean",
                           "1.running_var", "1.num_batches_tracked"]
    assert all(isinstance(v, np.ndarray) for v in state.values())
    state["0.weight"][:] = 99
    assert not np.any(net[0].weight.data == 99)


def test_state_dict_round_trip_reproduces_outputs():
    source = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.Linear(3, 1))
    source(ag.randn(8, 2))  # move the running statistics away from their defaults
    target = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.Linear(3, 1))
    result = target.load_state_dict(source.state_dict())
    assert result == ([], []) and result.missing_keys == [] and result.unexpected_keys == []
    x = ag.randn(4, 2)
    np.testing.assert_array_equal(source.eval()(x).data, target.eval()(x).data)
    assert target[1].num_batches_tracked.item() == 1


def test_load_copies_in_place_keeps_dtype_and_identity():
    layer = nn.Linear(2, 2, dtype=np.float32)
    weight = layer.weight
    version = weight._version
    layer.load_state_dict({"weight": np.ones((2, 2)), "bias": ag.tensor([1.0, 2.0])})
    assert layer.weight is weight and weight.dtype == np.float32 and weight.is_leaf
    assert weight._version > version
    np.testing.assert_array_equal(layer.bias.data, [1, 2])


def test_strict_load_names_every_problem_and_changes_nothing():
    net = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    before = arrays_of(net)
    state = net.state_dict()
    state["0.weight"] = np.full((3, 2), 7.0)  # valid: would load if the rest were fine
    del state["0.bias"]
    state["extra"] = np.zeros(1)
    state["1.running_mean"] = np.zeros(4)
    with pytest.raises(ValueError) as info:
        net.load_state_dict(state)
    message = str(info.value)
    assert "nothing was changed" in message
    assert "missing key '0.bias' (shape (3,))" in message
    assert "unexpected key 'extra' (shape (1,))" in message
    assert "'1.running_mean': shape (4,) in the state dict, (3,) in the model" in message
    for name, array in arrays_of(net).items():
        np.testing.assert_array_equal(array, before[name])


def test_non_strict_load_returns_the_differences():
    net = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
    state = {"0.weight": np.ones((3, 2)), "9.weight": np.zeros(2)}
    missing, unexpected = net.load_state_dict(state, strict=False)
    assert missing == ["0.bias", "1.weight", "1.bias"] and unexpected == ["9.weight"]
    np.testing.assert_array_equal(net[0].weight.data, 1)


def test_non_strict_load_still_rejects_shapes_and_kinds():
    net = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    before = arrays_of(net)
    with pytest.raises(ValueError, match=r"'0.weight': shape \(2, 3\) in the state dict"):
        net.load_state_dict({"0.weight": np.ones((2, 3)), "0.bias": np.ones(3)}, strict=False)
    with pytest.raises(ValueError, match="'0.bias': dtype int64 in the state dict, float64"):
        net.load_state_dict({"0.bias": np.ones(3, dtype=np.int64)}, strict=False)
    with pytest.raises(ValueError, match="'1.num_batches_tracked': dtype float64"):
        net.load_state_dict({"1.num_batches_tracked": np.array(2.0)}, strict=False)
    with pytest.raises(ValueError, match="dtype object cannot be loaded"):
        net.load_state_dict({"0.bias": np.array([None, 1, 2], dtype=object)}, strict=False)
    for name, array in arrays_of(net).items():
        np.testing.assert_array_equal(array, before[name])
    with pytest.raises(TypeError, match="expected a mapping"):
        net.load_state_dict([("0.bias", np.ones(3))])


# -- repr -----------------------------------------------------------------------------------------
def test_repr_prints_the_tree_with_shapes():
    text = repr(TwoLayer())
    assert text.splitlines() == [
        "TwoLayer(",
        "  (fc1): Linear(in_features=2, out_features=4, bias=True)  [weight: (4, 2), bias: (4,)]",
        "  (act): ReLU()",
        "  (fc2): Linear(in_features=4, out_features=1, bias=True)  [weight: (1, 4), bias: (1,)]",
        ")",
    ]
    nested = repr(nn.Sequential(nn.Sequential(nn.Linear(1, 1))))
    assert "  (0): Sequential(\n    (0): Linear(in_features=1" in nested
    assert repr(nn.ReLU()) == "ReLU()"


# -- copies and the package surface ---------------------------------------------------------------
def test_deepcopy_and_pickle_give_independent_modules():
    net = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    for clone in (copy.deepcopy(net), pickle.loads(pickle.dumps(net))):
        assert type(clone[0].weight) is nn.Parameter and clone[0].weight.requires_grad
        assert clone[0].weight is not net[0].weight
        np.testing.assert_array_equal(clone[0].weight.data, net[0].weight.data)
        assert list(clone.state_dict()) == list(net.state_dict())
        with ag.no_grad():
            clone[0].weight.zero_()
        assert np.any(net[0].weight.data != 0)
        clone(ag.randn(4, 2)).sum().backward()
        assert clone[0].weight.grad is not None and net[0].weight.grad is None


def test_the_package_exports_the_api():
    names = ["Module", "Parameter", "Sequential", "ModuleList", "Identity", "Linear", "Flatten",
             "Dropout", "BatchNorm1d", "LayerNorm", "Embedding", "ReLU", "LeakyReLU", "Sigmoid",
             "Tanh", "Softplus", "Softmax", "LogSoftmax", "Step", "Conv2d", "MaxPool2d",
             "AvgPool2d", "MSELoss", "L1Loss", "CrossEntropyLoss", "NLLLoss", "BCELoss",
             "BCEWithLogitsLoss", "KLDivLoss", "HingeLoss", "init", "functional", "utils", "save",
             "load", "datasets", "BatchNorm2d", "GroupNorm", "RMSNorm", "GELU", "SiLU", "ELU",
             "Hardtanh", "LogSigmoid", "Mish", "RNNCell", "LSTMCell", "GRUCell", "RNN", "LSTM",
             "GRU", "MultiheadAttention"]
    assert [name for name in names if not hasattr(nn, name)] == []
    assert [name for name in names if name[0].isupper() and name not in nn.__all__] == []
    functions = ["linear", "conv2d", "max_pool2d", "avg_pool2d", "dropout", "relu", "leaky_relu",
                 "sigmoid", "tanh", "softplus", "softmax", "log_softmax", "step", "batch_norm",
                 "layer_norm", "embedding", "one_hot", "flatten", "cross_entropy", "mse_loss",
                 "l1_loss", "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
                 "kl_div", "hinge_loss", "gelu", "silu", "elu", "hardtanh", "logsigmoid", "mish",
                 "group_norm", "rms_norm", "rnn_cell", "lstm_cell", "gru_cell",
                 "scaled_dot_product_attention"]
    assert [name for name in functions if not callable(getattr(nn.functional, name, None))] == []
