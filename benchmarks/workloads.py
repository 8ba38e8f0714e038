"""The workloads: their sizes, their data, and how autograd-core runs each of them.

Every engine computes the same function on the same arrays, drawn here from fixed seeds:

    W1  MLP 784-256-256-10 ReLU, batch 128, float32: softmax cross-entropy, backward, SGD step
    W2  per-op overhead: h = tanh(h * c + b) 333 times on float64 (8,) arrays, then sum; fwd+bwd
    W3  a chain of 1e6 scalar multiplications, fwd+bwd, time and memory (see chain.py)
    W4  small CNN step: conv(1->8, 3x3)-relu-maxpool2-conv(8->16, 3x3)-relu-maxpool2-linear(->10)
        on 64x1x28x28 float32, cross-entropy, backward, SGD step
    W5  full Hessian of f(x) = sum(tanh(A x)) + 0.5 x^T B x, n = 50 and n = 200, float64

A case is what the runner times: `step()` runs one forward, backward (and update), and
`gradients()` runs forward and backward at the current parameters, without updating them, and
returns the loss and the gradients as NumPy arrays, named alike in every engine.

>>> sizes = FULL; data = mlp_data(sizes)
>>> case = OURS["W1"](data); case.gradients()["fc1.weight"].shape    # (256, 784)
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import autograd_core as ag


@dataclass(frozen=True)
class Sizes:
    mlp_batch: int
    mlp_dims: tuple  # input, hidden..., classes
    chain_repeats: int  # W2: three ops each
    chain_width: int
    scalar_chain: tuple  # W3: chain lengths, ascending
    cnn_batch: int
    cnn_image: int  # square images, one channel
    hessian_n: tuple


FULL = Sizes(128, (784, 256, 256, 10), 333, 8, (10**3, 10**4, 10**5, 10**6), 64, 28, (50, 200))
QUICK = Sizes(8, (20, 16, 16, 10), 10, 8, (100, 1000), 2, 12, (5,))

LEARNING_RATE = 0.01
CNN_CHANNELS = (1, 8, 16)
CLASSES = 10


@dataclass
class Case:
    step: Callable[[], object]
    gradients: Callable[[], dict]
    path: str = ""  # how the engine runs the workload, shown in the report when it matters


class Unavailable(Exception):
    """This engine cannot run this workload here (a missing package or feature); the message
    says why, and the report shows it instead of a time."""


# -- data -----------------------------------------------------------------------------------------
def _uniform_layer(rng, fan_in, shape, dtype):
    bound = 1 / np.sqrt(fan_in)  # PyTorch's default initialisation range for Linear and Conv2d
    return rng.uniform(-bound, bound, shape).astype(dtype)


def mlp_data(sizes, dtype=np.float32):
    rng = np.random.default_rng(1)
    dims = sizes.mlp_dims
    params = {}
    for i, (fan_in, fan_out) in enumerate(zip(dims[:-1], dims[1:]), start=1):
        params[f"fc{i}.weight"] = _uniform_layer(rng, fan_in, (fan_out, fan_in), dtype)
        params[f"fc{i}.bias"] = _uniform_layer(rng, fan_in, (fan_out,), dtype)
    return {
        "x": rng.standard_normal((sizes.mlp_batch, dims[0])).astype(dtype),
        "labels": rng.integers(0, dims[-1], sizes.mlp_batch),
        "params": params,
        "lr": LEARNING_RATE,
    }


def chain_data(sizes):
    rng = np.random.default_rng(2)
    width = sizes.chain_width
    return {
        "h0": rng.standard_normal(width),
        "c": rng.uniform(0.5, 1.5, width),  # keeps tanh out of saturation along the chain
        "b": rng.normal(0.0, 0.1, width),
        "repeats": sizes.chain_repeats,
        "ops": 3 * sizes.chain_repeats + 1,  # the chain and the final sum
    }


def cnn_shapes(image):
    """Spatial sizes: after conv1, pool1, conv2, pool2 (3x3 valid convolutions, 2x2 pools)."""
    conv1 = image - 2
    pool1 = conv1 // 2
    conv2 = pool1 - 2
    return conv1, pool1, conv2, conv2 // 2


def cnn_data(sizes, dtype=np.float32):
    rng = np.random.default_rng(3)
    c0, c1, c2 = CNN_CHANNELS
    flat = c2 * cnn_shapes(sizes.cnn_image)[3] ** 2
    params = {
        "conv1.weight": _uniform_layer(rng, c0 * 9, (c1, c0, 3, 3), dtype),
        "conv1.bias": _uniform_layer(rng, c0 * 9, (c1,), dtype),
        "conv2.weight": _uniform_layer(rng, c1 * 9, (c2, c1, 3, 3), dtype),
        "conv2.bias": _uniform_layer(rng, c1 * 9, (c2,), dtype),
        "fc.weight": _uniform_layer(rng, flat, (CLASSES, flat), dtype),
        "fc.bias": _uniform_layer(rng, flat, (CLASSES,), dtype),
    }
    image = sizes.cnn_image
    return {
        "x": rng.standard_normal((sizes.cnn_batch, c0, image, image)).astype(dtype),
        "labels": rng.integers(0, CLASSES, sizes.cnn_batch),
        "params": params,
        "lr": LEARNING_RATE,
    }


def hessian_data(n):
    rng = np.random.default_rng(4 + n)
    b = rng.standard_normal((n, n))
    return {
        "n": n,
        "A": rng.standard_normal((n, n)) / np.sqrt(n),
        "B": (b + b.T) / (2 * n),
        "x": rng.standard_normal(n),
    }


def hessian_exact(data):
    """The Hessian by hand: A^T diag(tanh''(A x)) A + B, with tanh'' = -2 tanh (1 - tanh^2)."""
    a, x = data["A"], data["x"]
    t = np.tanh(a @ x)
    return (a.T * (-2 * t * (1 - t * t))) @ a + data["B"]


def rows(workload, sizes):
    """(row name, data) pairs of a workload timed in process; W5 has one row per n."""
    if workload == "W1":
        return [("W1", mlp_data(sizes))]
    if workload == "W2":
        return [("W2", chain_data(sizes))]
    if workload == "W4":
        return [("W4", cnn_data(sizes))]
    if workload == "W5":
        return [(f"W5 n={n}", hessian_data(n)) for n in sizes.hessian_n]
    raise ValueError(f"no in-process workload {workload!r}")


# -- autograd-core --------------------------------------------------------------------------------
def _optimizer(params, lr):
    """(zero_grad, step) from optim.SGD, or the same update written out if optim is absent."""
    try:
        import optim

        optimizer = optim.SGD(params, lr=lr)
        return optimizer.zero_grad, optimizer.step, "optim.SGD"
    except (ImportError, AttributeError):

        def zero_grad():
            for p in params:
                p.grad = None

        def step():
            for p in params:
                p.data -= lr * p.grad.data

        return zero_grad, step, "p.data -= lr * p.grad"


def _nn(*names):
    """The nn module if it has every name in `names` (dotted for nn.functional), else None."""
    try:
        import nn
        import nn.functional  # noqa: F401
    except ImportError:
        return None
    for name in names:
        owner = nn
        for part in name.split("."):
            owner = getattr(owner, part, None)
        if owner is None:
            return None
    return nn


def _ours_case(params, loss, lr, path):
    zero_grad, update, update_path = _optimizer(list(params.values()), lr)

    def step():
        zero_grad()
        loss().backward()
        update()

    def gradients():
        zero_grad()
        value = loss()
        value.backward()
        found = {name: p.grad.data.copy() for name, p in params.items()}
        return {"loss": np.asarray(value.data).copy(), **found}

    return Case(step, gradients, f"{path} + {update_path}")


def _nll(logits, labels):
    rows_ = np.arange(len(labels))
    return -logits.log_softmax(axis=1)[rows_, labels].mean()


def _load(module, weight, bias):
    """Copy the shared arrays into a layer's parameters (same dtype as the data)."""
    module.weight.data = weight.copy()
    module.bias.data = bias.copy()
    return module


def ours_mlp(data):
    x, labels, arrays = ag.Tensor(data["x"]), data["labels"], data["params"]
    depth = len(arrays) // 2
    nn = _nn("Linear", "functional.cross_entropy")
    if nn is not None:
        layers = []
        for i in range(1, depth + 1):
            weight = arrays[f"fc{i}.weight"]
            layer = nn.Linear(weight.shape[1], weight.shape[0])
            layers.append(_load(layer, weight, arrays[f"fc{i}.bias"]))
        params = {f"fc{i}.{kind}": getattr(layer, kind)
                  for i, layer in enumerate(layers, start=1) for kind in ("weight", "bias")}
        targets = ag.Tensor(labels)

        def loss():
            h = x
            for layer in layers[:-1]:
                h = layer(h).relu()
            return nn.functional.cross_entropy(layers[-1](h), targets)

        path = "nn.Linear + relu + nn.functional.cross_entropy"
    else:
        params = {name: ag.Tensor(a.copy(), requires_grad=True) for name, a in arrays.items()}
        weights = [(params[f"fc{i}.weight"], params[f"fc{i}.bias"]) for i in range(1, depth + 1)]

        def loss():
            h = x
            for weight, bias in weights[:-1]:
                h = (h @ weight.T + bias).relu()
            weight, bias = weights[-1]
            return _nll(h @ weight.T + bias, labels)

        path = "raw ops (x @ W.T + b, relu, log_softmax, NLL by indexing)"
    return _ours_case(params, loss, data["lr"], path)


def ours_chain(data):
    leaves = {name: ag.Tensor(data[name].copy(), requires_grad=True) for name in ("h0", "c", "b")}
    h0, c, b = leaves["h0"], leaves["c"], leaves["b"]
    repeats = data["repeats"]

    def forward():
        h = h0
        for _ in range(repeats):
            h = (h * c + b).tanh()
        return h.sum()

    def step():
        for leaf in leaves.values():
            leaf.grad = None
        forward().backward()

    def gradients():
        step()
        return {name: leaf.grad.data.copy() for name, leaf in leaves.items()}

    return Case(step, gradients)


def ours_cnn(data):
    x, labels, arrays = ag.Tensor(data["x"]), data["labels"], data["params"]
    batch = len(labels)
    nn = _nn("functional.conv2d", "functional.max_pool2d", "functional.cross_entropy")
    if nn is None:
        raise Unavailable("needs nn.functional.conv2d, max_pool2d and cross_entropy")
    functional = nn.functional
    targets = ag.Tensor(labels)
    if _nn("Conv2d", "Linear") is not None:
        c0, c1, c2 = CNN_CHANNELS
        conv1 = _load(nn.Conv2d(c0, c1, 3), arrays["conv1.weight"], arrays["conv1.bias"])
        conv2 = _load(nn.Conv2d(c1, c2, 3), arrays["conv2.weight"], arrays["conv2.bias"])
        fc_weight = arrays["fc.weight"]
        fc = _load(nn.Linear(fc_weight.shape[1], CLASSES), fc_weight, arrays["fc.bias"])
        params = {f"{name}.{kind}": getattr(layer, kind)
                  for name, layer in (("conv1", conv1), ("conv2", conv2), ("fc", fc))
                  for kind in ("weight", "bias")}
        path = "nn.Conv2d + nn.Linear + max_pool2d + cross_entropy"
    else:
        params = {name: ag.Tensor(a.copy(), requires_grad=True) for name, a in arrays.items()}

        def conv1(h):
            return functional.conv2d(h, params["conv1.weight"], params["conv1.bias"])

        def conv2(h):
            return functional.conv2d(h, params["conv2.weight"], params["conv2.bias"])

        def fc(h):
            return h @ params["fc.weight"].T + params["fc.bias"]

        path = "nn.functional.conv2d + max_pool2d + cross_entropy"

    def loss():
        h = functional.max_pool2d(conv1(x).relu(), 2)
        h = functional.max_pool2d(conv2(h).relu(), 2)
        return functional.cross_entropy(fc(h.reshape(batch, -1)), targets)

    return _ours_case(params, loss, data["lr"], path)


def hessian_function(data):
    """f(x) = sum(tanh(A x)) + 0.5 x^T B x on autograd-core tensors."""
    a, b = data["A"], data["B"]
    return lambda x: (a @ x).tanh().sum() + 0.5 * (x @ (b @ x))


def ours_hessian(data):
    f = hessian_function(data)
    x = ag.Tensor(data["x"].copy())

    def step():
        return ag.functional.hessian(f, x)

    return Case(step, lambda: {"hessian": step().data.copy()}, "ag.functional.hessian")


OURS = {"W1": ours_mlp, "W2": ours_chain, "W4": ours_cnn, "W5": ours_hessian}
