"""The same math written by hand in NumPy, forward and backward, with no engine at all.

This is the floor a NumPy engine can approach: every array the backward pass needs is kept by
hand, every gradient is derived on paper, nothing is allocated that the math does not need.
The runner checks these gradients against autograd-core's before it times anything.

>>> from benchmarks.workloads import FULL, mlp_data
>>> case = CASES["W1"](mlp_data(FULL)); grads = case.gradients()
>>> case.step()                                  # forward, backward, SGD update in place
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .workloads import Case


# -- pieces shared by W1 and W4 -------------------------------------------------------------------
def cross_entropy(logits, labels):
    """Mean softmax cross-entropy and its gradient with respect to the logits."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=1, keepdims=True)
    rows = np.arange(len(labels))
    loss = np.log(total[:, 0]).mean() - shifted[rows, labels].mean()
    g_logits = exp / total
    g_logits[rows, labels] -= 1
    g_logits /= len(labels)
    return loss, g_logits


def linear_backward(g_out, x, weight, need_input_grad=True):
    """Gradients of y = x @ W.T + b: (dx or None, dW, db)."""
    g_x = g_out @ weight if need_input_grad else None
    return g_x, g_out.T @ x, g_out.sum(axis=0)


def _sgd(params, grads, lr):
    for name, p in params.items():
        p -= lr * grads[name]


def _case(params, loss_and_gradients, lr):
    def step():
        _, grads = loss_and_gradients()
        _sgd(params, grads, lr)

    def gradients():
        loss, grads = loss_and_gradients()
        return {"loss": np.asarray(loss), **{k: g.copy() for k, g in grads.items()}}

    return Case(step, gradients, "hand-written forward and backward")


# -- W1 -------------------------------------------------------------------------------------------
def mlp_loss_and_gradients(params, x, labels):
    depth = len(params) // 2
    inputs, pre = [], []  # per layer: its input, and its pre-activation (hidden layers)
    h = x
    for i in range(1, depth + 1):
        inputs.append(h)
        z = h @ params[f"fc{i}.weight"].T + params[f"fc{i}.bias"]
        if i < depth:
            pre.append(z)
            h = np.maximum(z, 0)
        else:
            h = z
    loss, g = cross_entropy(h, labels)
    grads = {}
    for i in range(depth, 0, -1):
        gx, grads[f"fc{i}.weight"], grads[f"fc{i}.bias"] = linear_backward(
            g, inputs[i - 1], params[f"fc{i}.weight"], need_input_grad=i > 1)
        if i > 1:
            g = gx * (pre[i - 2] > 0)
    return loss, grads


def mlp(data):
    params = {name: a.copy() for name, a in data["params"].items()}
    x, labels = data["x"], data["labels"]
    return _case(params, lambda: mlp_loss_and_gradients(params, x, labels), data["lr"])


# -- W2 -------------------------------------------------------------------------------------------
def chain(data):
    h0, c, b, repeats = data["h0"], data["c"], data["b"], data["repeats"]

    def forward_backward():
        states = [h0]  # h before each step; tanh' = 1 - h_next^2 needs the next one
        h = h0
        for _ in range(repeats):
            h = np.tanh(h * c + b)
            states.append(h)
        g = np.ones_like(h)  # d sum(h) / dh
        gc = np.zeros_like(c)
        gb = np.zeros_like(b)
        for k in range(repeats, 0, -1):
            h_next = states[k]
            g = g * (1 - h_next * h_next)
            gb += g
            gc += g * states[k - 1]
            g = g * c
        return {"h0": g, "c": gc, "b": gb}

    return Case(forward_backward, forward_backward, "hand-written forward and backward")


# -- W4 --------------------------------------------------------------------------------------------
# Columns are laid out (N, C k k, Ho Wo): one (F, C k k) @ (C k k, Ho Wo) product per image gives
# the output in NCHW order directly, and col2im is k * k slice additions, with no transposes of
# the large arrays. Timed against the (N Ho Wo, C k k) row layout, this took 0.6x the time.
def im2col(x, k):
    """(N, C, H, W) -> columns (N, C * k * k, Ho * Wo) of a valid k x k convolution (a copy)."""
    n, c, h, w = x.shape
    windows = sliding_window_view(x, (k, k), axis=(2, 3))  # (N, C, Ho, Wo, k, k), a view
    cols = np.ascontiguousarray(windows.transpose(0, 1, 4, 5, 2, 3))
    return cols.reshape(n, c * k * k, (h - k + 1) * (w - k + 1))


def conv_forward(x, weight, bias):
    """Valid k x k convolution, stride 1, one matrix product per image; returns (y, cols)."""
    n, _, h, w = x.shape
    f, _, k, _ = weight.shape
    cols = im2col(x, k)
    y = weight.reshape(f, -1) @ cols + bias[:, None]
    return y.reshape(n, f, h - k + 1, w - k + 1), cols


def conv_backward(g_y, x_shape, cols, weight, need_input_grad):
    """Gradients of conv_forward: (dx or None, dW, db)."""
    f, c, k, _ = weight.shape
    n, _, ho, wo = g_y.shape
    g = g_y.reshape(n, f, ho * wo)
    g_weight = (g @ cols.transpose(0, 2, 1)).sum(axis=0).reshape(weight.shape)
    g_bias = g.sum(axis=(0, 2))
    if not need_input_grad:
        return None, g_weight, g_bias
    g_cols = (weight.reshape(f, -1).T @ g).reshape(n, c, k, k, ho, wo)
    g_x = np.zeros(x_shape, dtype=g_y.dtype)
    for i in range(k):
        for j in range(k):
            g_x[:, :, i:i + ho, j:j + wo] += g_cols[:, :, i, j]
    return g_x, g_weight, g_bias


_CORNERS = ((0, 0), (0, 1), (1, 0), (1, 1))


def pool_forward(x):
    """2x2 max pool, stride 2, odd edges dropped; returns (y, the four strided corners)."""
    h, w = x.shape[2] // 2 * 2, x.shape[3] // 2 * 2
    corners = [x[:, :, i:h:2, j:w:2] for i, j in _CORNERS]
    y = np.maximum(np.maximum(corners[0], corners[1]), np.maximum(corners[2], corners[3]))
    return y, corners


def pool_backward(g_y, x_shape, y, corners):
    """The gradient goes to every corner equal to the maximum. Ties among positive inputs have
    probability zero, and zero ties (after ReLU) get a zero gradient from the ReLU below, so
    this agrees with a first-arg-max rule here."""
    h, w = x_shape[2] // 2 * 2, x_shape[3] // 2 * 2
    g_x = np.zeros(x_shape, dtype=g_y.dtype)
    for (i, j), corner in zip(_CORNERS, corners):
        g_x[:, :, i:h:2, j:w:2] = g_y * (corner == y)
    return g_x


def cnn_loss_and_gradients(params, x, labels):
    z1, cols1 = conv_forward(x, params["conv1.weight"], params["conv1.bias"])
    a1 = np.maximum(z1, 0)
    p1, corners1 = pool_forward(a1)
    z2, cols2 = conv_forward(p1, params["conv2.weight"], params["conv2.bias"])
    a2 = np.maximum(z2, 0)
    p2, corners2 = pool_forward(a2)
    flat = p2.reshape(len(x), -1)
    loss, g = cross_entropy(flat @ params["fc.weight"].T + params["fc.bias"], labels)

    grads = {}
    g_flat, grads["fc.weight"], grads["fc.bias"] = linear_backward(g, flat, params["fc.weight"])
    g_a2 = pool_backward(g_flat.reshape(p2.shape), a2.shape, p2, corners2)
    g_p1, grads["conv2.weight"], grads["conv2.bias"] = conv_backward(
        g_a2 * (z2 > 0), p1.shape, cols2, params["conv2.weight"], True)
    g_a1 = pool_backward(g_p1, a1.shape, p1, corners1)
    _, grads["conv1.weight"], grads["conv1.bias"] = conv_backward(
        g_a1 * (z1 > 0), x.shape, cols1, params["conv1.weight"], False)
    return loss, grads


def cnn(data):
    params = {name: a.copy() for name, a in data["params"].items()}
    x, labels = data["x"], data["labels"]
    return _case(params, lambda: cnn_loss_and_gradients(params, x, labels), data["lr"])


CASES = {"W1": mlp, "W2": chain, "W4": cnn}
