"""The peers, each running the workloads as its own documentation would have a user write them.

    torch       PyTorch (CPU build: `pip install torch==2.13.0`)
    hips        HIPS autograd (`pip install autograd`): functional, gradients of NumPy code
    mygrad      MyGrad (`pip install mygrad`): a NumPy-backed Tensor with an autograd graph
    micrograd   micrograd (`pip install micrograd`): scalars only, a recursive backward

Each is imported only when asked for; a missing package or feature raises `Unavailable`, which
the report shows as a note instead of a time. `pip install -e .[bench]` installs all four.

>>> from benchmarks.workloads import FULL, mlp_data
>>> case = CASES["torch"]["W1"](mlp_data(FULL)); case.step()
"""

import importlib
import math
import sys

import numpy as np

from .workloads import Case, Unavailable

PACKAGES = {"torch": "torch", "hips": "autograd", "mygrad": "mygrad", "micrograd": "micrograd"}
INSTALL = {
    "torch": "pip install torch==2.13.0",
    "hips": "pip install autograd",
    "mygrad": "pip install mygrad",
    "micrograd": "pip install micrograd",
}


THREADS = None  # PyTorch's intra-op threads, set by the runner; None leaves PyTorch's default


def load(engine):
    """The peer's top-level module, or Unavailable saying how to install it."""
    try:
        module = importlib.import_module(PACKAGES[engine])
    except ImportError as error:
        raise Unavailable(f"not installed ({INSTALL[engine]}): {error}") from None
    if engine == "torch" and THREADS is not None:
        module.set_num_threads(THREADS)
    return module


def version(engine):
    from importlib import metadata

    try:
        return metadata.version(PACKAGES[engine])
    except metadata.PackageNotFoundError:
        return None


def _named_gradients(names, grads):
    return {name: np.array(g, copy=True) for name, g in zip(names, grads)}


# -- PyTorch --------------------------------------------------------------------------------------
def _torch_case(torch, params, loss, lr):
    optimizer = torch.optim.SGD(list(params.values()), lr=lr)

    def step():
        optimizer.zero_grad()
        loss().backward()
        optimizer.step()

    def gradients():
        optimizer.zero_grad()
        value = loss()
        value.backward()
        found = {name: p.grad.numpy().copy() for name, p in params.items()}
        return {"loss": value.detach().numpy().copy(), **found}

    return Case(step, gradients, "torch.nn modules + F.cross_entropy + torch.optim.SGD")


def _torch_load(torch, module, weight, bias):
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(weight))
        module.bias.copy_(torch.from_numpy(bias))
    return module


def torch_mlp(data):
    torch = load("torch")
    arrays = data["params"]
    depth = len(arrays) // 2
    layers = []
    for i in range(1, depth + 1):
        weight = arrays[f"fc{i}.weight"]
        layer = torch.nn.Linear(weight.shape[1], weight.shape[0])
        layers.append(_torch_load(torch, layer, weight, arrays[f"fc{i}.bias"]))
    params = {f"fc{i}.{kind}": getattr(layer, kind)
              for i, layer in enumerate(layers, start=1) for kind in ("weight", "bias")}
    x, labels = torch.from_numpy(data["x"]), torch.from_numpy(data["labels"])
    relu, cross_entropy = torch.nn.functional.relu, torch.nn.functional.cross_entropy

    def loss():
        h = x
        for layer in layers[:-1]:
            h = relu(layer(h))
        return cross_entropy(layers[-1](h), labels)

    return _torch_case(torch, params, loss, data["lr"])


def torch_chain(data):
    torch = load("torch")
    leaves = {name: torch.tensor(data[name], requires_grad=True) for name in ("h0", "c", "b")}
    h0, c, b = leaves["h0"], leaves["c"], leaves["b"]
    repeats = data["repeats"]

    def step():
        for leaf in leaves.values():
            leaf.grad = None
        h = h0
        for _ in range(repeats):
            h = torch.tanh(h * c + b)
        h.sum().backward()

    def gradients():
        step()
        return {name: leaf.grad.numpy().copy() for name, leaf in leaves.items()}

    return Case(step, gradients)


def torch_cnn(data):
    torch = load("torch")
    functional = torch.nn.functional
    arrays = data["params"]
    conv1 = _torch_load(torch, torch.nn.Conv2d(1, 8, 3), arrays["conv1.weight"],
                        arrays["conv1.bias"])
    conv2 = _torch_load(torch, torch.nn.Conv2d(8, 16, 3), arrays["conv2.weight"],
                        arrays["conv2.bias"])
    fc_weight = arrays["fc.weight"]
    fc = _torch_load(torch, torch.nn.Linear(fc_weight.shape[1], fc_weight.shape[0]), fc_weight,
                     arrays["fc.bias"])
    params = {f"{name}.{kind}": getattr(layer, kind)
              for name, layer in (("conv1", conv1), ("conv2", conv2), ("fc", fc))
              for kind in ("weight", "bias")}
    x, labels = torch.from_numpy(data["x"]), torch.from_numpy(data["labels"])

    def loss():
        h = functional.max_pool2d(functional.relu(conv1(x)), 2)
        h = functional.max_pool2d(functional.relu(conv2(h)), 2)
        return functional.cross_entropy(fc(h.reshape(len(x), -1)), labels)

    return _torch_case(torch, params, loss, data["lr"])


def torch_hessian(data):
    torch = load("torch")
    a, b = torch.from_numpy(data["A"]), torch.from_numpy(data["B"])
    x = torch.from_numpy(data["x"].copy())

    def f(v):
        return torch.tanh(a @ v).sum() + 0.5 * (v @ (b @ v))

    def step():
        return torch.autograd.functional.hessian(f, x)

    return Case(step, lambda: {"hessian": step().numpy().copy()},
                "torch.autograd.functional.hessian")


# -- HIPS autograd --------------------------------------------------------------------------------
def _hips():
    load("hips")
    import autograd
    import autograd.numpy as anp

    return autograd, anp


def _hips_cross_entropy(anp, logits, labels):
    shifted = logits - anp.max(logits, axis=1, keepdims=True)
    log_probs = shifted - anp.log(anp.sum(anp.exp(shifted), axis=1, keepdims=True))
    return -anp.mean(log_probs[np.arange(len(labels)), labels])


def hips_mlp(data):
    autograd, anp = _hips()
    names = list(data["params"])
    params = [data["params"][name].copy() for name in names]
    x, labels, lr = data["x"], data["labels"], data["lr"]

    def loss(params):
        h = x
        for i in range(0, len(params) - 2, 2):
            h = anp.maximum(anp.dot(h, params[i].T) + params[i + 1], 0)
        return _hips_cross_entropy(anp, anp.dot(h, params[-2].T) + params[-1], labels)

    loss_and_grad = autograd.value_and_grad(loss)

    def step():
        _, grads = loss_and_grad(params)
        for p, g in zip(params, grads):
            p -= lr * g

    def gradients():
        value, grads = loss_and_grad(params)
        return {"loss": np.asarray(value), **_named_gradients(names, grads)}

    return Case(step, gradients, "autograd.value_and_grad of a NumPy loss")


def hips_chain(data):
    autograd, anp = _hips()
    leaves = (data["h0"].copy(), data["c"].copy(), data["b"].copy())
    repeats = data["repeats"]

    def f(leaves):
        h, c, b = leaves
        for _ in range(repeats):
            h = anp.tanh(h * c + b)
        return anp.sum(h)

    gradient = autograd.grad(f)

    def step():
        return gradient(leaves)

    return Case(step, lambda: _named_gradients(("h0", "c", "b"), step()))


def hips_hessian(data):
    autograd, anp = _hips()
    a, b, x = data["A"], data["B"], data["x"].copy()

    def f(v):
        return anp.sum(anp.tanh(anp.dot(a, v))) + 0.5 * anp.dot(v, anp.dot(b, v))

    hessian = autograd.hessian(f)

    def step():
        return hessian(x)

    return Case(step, lambda: {"hessian": np.array(step())}, "autograd.hessian")


# -- MyGrad ---------------------------------------------------------------------------------------
def _mygrad_case(mg, params, loss, lr):
    def step():
        value = loss()
        value.backward()
        for p in params.values():
            p.data -= lr * p.grad  # the graph is cleared after backward, so data is writable

    def gradients():
        value = loss()
        value.backward()
        found = {name: np.array(p.grad, copy=True) for name, p in params.items()}
        return {"loss": np.array(value.data, copy=True), **found}

    return Case(step, gradients, "mygrad.nnet layers + softmax_crossentropy")


def mygrad_mlp(data):
    mg = load("mygrad")
    from mygrad.nnet.activations import relu
    from mygrad.nnet.losses import softmax_crossentropy

    params = {name: mg.tensor(a.copy()) for name, a in data["params"].items()}
    weights = [(params[f"fc{i}.weight"], params[f"fc{i}.bias"])
               for i in range(1, len(params) // 2 + 1)]
    x, labels = data["x"], data["labels"]

    def loss():
        h = x
        for weight, bias in weights[:-1]:
            h = relu(mg.matmul(h, weight.T) + bias)
        weight, bias = weights[-1]
        return softmax_crossentropy(mg.matmul(h, weight.T) + bias, labels)

    return _mygrad_case(mg, params, loss, data["lr"])


def mygrad_chain(data):
    mg = load("mygrad")
    leaves = {name: mg.tensor(data[name].copy()) for name in ("h0", "c", "b")}
    h0, c, b = leaves["h0"], leaves["c"], leaves["b"]
    repeats = data["repeats"]

    def step():
        h = h0
        for _ in range(repeats):
            h = mg.tanh(h * c + b)
        mg.sum(h).backward()

    def gradients():
        step()
        return {name: np.array(leaf.grad, copy=True) for name, leaf in leaves.items()}

    return Case(step, gradients)


def mygrad_cnn(data):
    mg = load("mygrad")
    from mygrad.nnet.activations import relu
    from mygrad.nnet.layers import conv_nd, max_pool
    from mygrad.nnet.losses import softmax_crossentropy

    params = {name: mg.tensor(a.copy()) for name, a in data["params"].items()}
    x, labels = data["x"], data["labels"]

    def conv(h, name):
        bias = params[f"{name}.bias"].reshape(1, -1, 1, 1)
        return conv_nd(h, params[f"{name}.weight"], stride=1) + bias

    def pool(h):
        # MyGrad's max_pool refuses a window that does not tile the input: drop the odd edge
        # first, as the other engines' floor-mode pooling does implicitly.
        even_h, even_w = h.shape[2] // 2 * 2, h.shape[3] // 2 * 2
        return max_pool(h[:, :, :even_h, :even_w], (2, 2), 2)

    def loss():
        h = pool(relu(conv(x, "conv1")))
        h = pool(relu(conv(h, "conv2")))
        logits = mg.matmul(h.reshape(len(x), -1), params["fc.weight"].T) + params["fc.bias"]
        return softmax_crossentropy(logits, labels)

    return _mygrad_case(mg, params, loss, data["lr"])


# -- micrograd ------------------------------------------------------------------------------------
def _micrograd_tanh(value_class, v):
    """tanh as micrograd's own ops are written (micrograd ships +, *, **, relu only)."""
    t = math.tanh(v.data)
    out = value_class(t, (v,), "tanh")

    def _backward():
        v.grad += (1 - t * t) * out.grad

    out._backward = _backward
    return out


def micrograd_chain(data):
    """W2 elementwise on 8 scalar chains: each of the ~1,000 array ops is 8 micrograd ops."""
    load("micrograd")
    from micrograd.engine import Value

    names = ("h0", "c", "b")
    leaves = {name: [Value(float(v)) for v in data[name]] for name in names}
    repeats = data["repeats"]

    def step():
        for values in leaves.values():
            for v in values:
                v.grad = 0
        hs = leaves["h0"]
        for _ in range(repeats):
            hs = [_micrograd_tanh(Value, h * c + b)
                  for h, c, b in zip(hs, leaves["c"], leaves["b"])]
        loss = sum(hs)
        # micrograd's topological sort recurses once per chain link: ~2 frames per op.
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 10 * repeats + 1000))
        try:
            loss.backward()
        finally:
            sys.setrecursionlimit(limit)

    def gradients():
        step()
        return {name: np.array([v.grad for v in values]) for name, values in leaves.items()}

    return Case(step, gradients, "8 scalar chains, recursion limit raised for backward")


NO_CONV = "no conv2d"
CASES = {
    "torch": {"W1": torch_mlp, "W2": torch_chain, "W4": torch_cnn, "W5": torch_hessian},
    "hips": {"W1": hips_mlp, "W2": hips_chain, "W4": NO_CONV, "W5": hips_hessian},
    "mygrad": {"W1": mygrad_mlp, "W2": mygrad_chain, "W4": mygrad_cnn,
               "W5": "no higher-order derivatives"},
    "micrograd": {"W1": "scalars only", "W2": micrograd_chain, "W4": "scalars only",
                  "W5": "no higher-order derivatives"},
}
