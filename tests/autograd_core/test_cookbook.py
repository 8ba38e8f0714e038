"""The derivative cookbook of COURSE.md, section 1, and the composite toy model of section 2.

Each rule is written out by hand in NumPy and compared with the engine, through
`ag.testing.check_jacobian` (which also compares both with finite differences) or `ag.grad`.
Denominator layout throughout: a gradient has the shape of its variable.
"""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import engine
from autograd_core.testing import check_jacobian


def leaf(values):
    return ag.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


def const(values):
    return ag.tensor(np.asarray(values, dtype=np.float64))


def assert_close(actual, expected, rtol=1e-10, atol=1e-12):
    actual = np.asarray(actual.data if isinstance(actual, ag.Tensor) else actual)
    assert actual.shape == np.shape(expected), f"shape {actual.shape} != {np.shape(expected)}"
    assert np.allclose(actual, expected, rtol=rtol, atol=atol), (
        f"\nengine:       {actual}\nhand-derived: {np.asarray(expected)}"
    )


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


def softmax(v, axis=-1):
    e = np.exp(v - v.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


# -- scalar activations -------------------------------------------------------------------------
def test_sigmoid_derivative_is_f_times_one_minus_f(rng):
    x = leaf(rng.standard_normal(5))
    assert check_jacobian(ag.sigmoid, x, lambda v: np.diag(sigmoid(v) * (1 - sigmoid(v))))


def test_tanh_derivative_is_one_minus_f_squared(rng):
    x = leaf(rng.standard_normal(5))
    assert check_jacobian(ag.tanh, x, lambda v: np.diag(1 - np.tanh(v) ** 2))


def test_softplus_derivative_is_sigmoid(rng):
    x = leaf(rng.standard_normal(5))
    assert check_jacobian(ag.softplus, x, lambda v: np.diag(sigmoid(v)))


def test_relu_derivative_is_a_step_with_zero_at_zero():
    x = leaf([-2.0, -0.5, 0.0, 0.5, 3.0])
    (g,) = ag.grad(ag.relu(x).sum(), x)
    assert_close(g, [0.0, 0.0, 0.0, 1.0, 1.0])
    away = leaf([-2.0, -0.5, 0.5, 3.0])
    assert check_jacobian(ag.relu, away, np.diag([0.0, 0.0, 1.0, 1.0]))


def test_step_function_has_zero_gradient_so_threshold_units_cannot_learn(rng):
    def step(z):
        return ag.where(z > 0, 1.0, 0.0)

    x = leaf(rng.standard_normal(4))
    assert check_jacobian(step, x, np.zeros((4, 4)))

    # A threshold unit's loss does not depend on its weights through any gradient.
    w = leaf(rng.standard_normal(3))
    inputs = const(rng.standard_normal(3))
    loss = (step(w @ inputs) - 1.0) ** 2
    assert not loss.requires_grad
    assert check_jacobian(lambda w: (step(w @ inputs) - 1.0) ** 2, w, np.zeros(3))


# -- elementwise rules --------------------------------------------------------------------------
def test_sum_rule_a_plus_x(rng):
    a, x = leaf(rng.standard_normal(3)), leaf(rng.standard_normal(3))
    assert check_jacobian(lambda a, x: a + x, (a, x), (np.eye(3), np.eye(3)))


def test_elementwise_product_a_times_x(rng):
    a, x = leaf(rng.standard_normal(3)), leaf(rng.standard_normal(3))
    assert check_jacobian(lambda a, x: a * x, (a, x), lambda a, x: (np.diag(x), np.diag(a)))


def test_fixed_scale_alpha_x(rng):
    alpha = 2.5
    x = leaf(rng.standard_normal(3))
    assert check_jacobian(lambda x: alpha * x, x, alpha * np.eye(3))


def test_product_rule(rng):
    x = leaf(rng.standard_normal(4))
    # (sin x * exp x)' = cos x exp x + sin x exp x
    assert check_jacobian(
        lambda x: x.sin() * x.exp(),
        x,
        lambda v: np.diag(np.cos(v) * np.exp(v) + np.sin(v) * np.exp(v)),
    )


def test_quotient_rule(rng):
    x = leaf(rng.uniform(0.5, 2.0, 4))
    # (1 / g)' = -g' / g^2 with g = x^2 + 1
    assert check_jacobian(
        lambda x: 1.0 / (x**2 + 1.0), x, lambda v: np.diag(-2 * v / (v**2 + 1) ** 2)
    )
    # (f / g)' = (f' g - f g') / g^2 with f = sin x, g = x
    assert check_jacobian(
        lambda x: x.sin() / x, x, lambda v: np.diag((np.cos(v) * v - np.sin(v)) / v**2)
    )


def test_chain_rule(rng):
    x = leaf(rng.standard_normal(4))
    # sin(x^2)' = cos(x^2) 2x ; exp(tanh x)' = exp(tanh x) (1 - tanh^2 x)
    assert check_jacobian(lambda x: (x**2).sin(), x, lambda v: np.diag(np.cos(v**2) * 2 * v))
    assert check_jacobian(
        lambda x: x.tanh().exp(), x, lambda v: np.diag(np.exp(np.tanh(v)) * (1 - np.tanh(v) ** 2))
    )


# -- vector and matrix rules --------------------------------------------------------------------
def test_inner_product_a_transpose_x_has_gradient_a(rng):
    a = rng.standard_normal(4)
    x = leaf(rng.standard_normal(4))
    assert check_jacobian(lambda x: const(a) @ x, x, a)


def test_quadratic_form_gradient(rng):
    A = rng.standard_normal((4, 4))
    x = leaf(rng.standard_normal(4))
    assert check_jacobian(lambda x: x @ (const(A) @ x), x, lambda v: (A + A.T) @ v)
    S = A + A.T  # symmetric: 2 S x
    assert check_jacobian(lambda x: x @ (const(S) @ x), x, lambda v: 2 * S @ v)


def test_quadratic_form_gradient_with_respect_to_the_matrix(rng):
    x = rng.standard_normal(3)
    A = leaf(rng.standard_normal((3, 3)))
    assert check_jacobian(lambda A: const(x) @ (A @ const(x)), A, np.outer(x, x))


def test_matrix_product_rule_in_both_layouts(rng):
    """Y = X A with upstream gradient G: dE/dX = G A^T, dE/dA = X^T G."""
    X, A = leaf(rng.standard_normal((5, 3))), leaf(rng.standard_normal((3, 2)))
    G = rng.standard_normal((5, 2))
    dX, dA = ag.grad(X @ A, (X, A), grad_outputs=const(G))
    assert_close(dX, G @ A.data.T)
    assert_close(dA, X.data.T @ G)
    # The same layer written z = W y + b for one input column y.
    W, y, b = leaf(rng.standard_normal((2, 3))), leaf(rng.standard_normal(3)), leaf(np.zeros(2))
    delta = rng.standard_normal(2)
    dW, dy, db = ag.grad(W @ y + b, (W, y, b), grad_outputs=const(delta))
    assert_close(dW, np.outer(delta, y.data))
    assert_close(dy, W.data.T @ delta)
    assert_close(db, delta)


def test_split_and_fan_out_gradients_add(rng):
    x = leaf(rng.standard_normal(3))
    # x feeds three branches; its gradient is the sum of the three.
    assert check_jacobian(
        lambda x: x.sin() + x * x + 3.0 * x, x, lambda v: np.diag(np.cos(v) + 2 * v + 3.0)
    )
    # Replication by broadcasting is a fan-out too: each copy's gradient is summed back.
    row = leaf(rng.standard_normal(3))
    G = rng.standard_normal((4, 3))
    (g,) = ag.grad(row.broadcast_to((4, 3)), row, grad_outputs=const(G))
    assert_close(g, G.sum(axis=0))
    # Splitting a tensor into pieces: the pieces' gradients reassemble it.
    first, second = ag.split(x, [1])
    (g,) = ag.grad([first.sum() * 2.0, second.sum() * 5.0], x)
    assert_close(g, [2.0, 5.0, 5.0])


def test_max_of_a_set_sends_the_gradient_to_the_largest():
    x = leaf([0.3, 2.0, -1.0, 1.5])
    assert check_jacobian(ag.max, x, [0.0, 1.0, 0.0, 0.0])
    (g,) = ag.grad(ag.min(x), x)
    assert_close(g, [0.0, 0.0, 1.0, 0.0])


def test_average_and_max_pooling_gradients():
    x = leaf([1.0, 4.0, 2.0, 3.0, -1.0, 0.0])
    # Windows of two: average pooling shares each output's gradient equally over its window.
    pooled = x.reshape(3, 2).mean(axis=1)
    assert check_jacobian(
        lambda x: x.reshape(3, 2).mean(axis=1), x, np.kron(np.eye(3), [[0.5, 0.5]])
    )
    # Max pooling sends it to the arg-max of each window only.
    assert check_jacobian(
        lambda x: x.reshape(3, 2).max(axis=1),
        x,
        [[0, 1, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 1]],
    )
    assert pooled.shape == (3,)


def test_convolution_lowered_to_a_matrix_product(rng):
    """A 2x2 filter over a 4x4 input as (filter row) @ (im2col matrix). Backward is the matmul
    rule, then the split rule: every input pixel collects the gradients of all its copies."""
    image = leaf(rng.standard_normal((4, 4)))
    kernel = leaf(rng.standard_normal((2, 2)))
    rows, cols = np.meshgrid(np.arange(3), np.arange(3), indexing="ij")
    di, dj = np.meshgrid(np.arange(2), np.arange(2), indexing="ij")
    # columns[k, p]: pixel k of the window at output position p (repeated pixels: a fan-out)
    index_r = di.reshape(-1, 1) + rows.reshape(1, -1)
    index_c = dj.reshape(-1, 1) + cols.reshape(1, -1)
    out = (kernel.reshape(1, 4) @ image[index_r, index_c]).reshape(3, 3)

    expected = np.zeros((3, 3))
    for i in range(3):
        for j in range(3):
            expected[i, j] = (image.data[i : i + 2, j : j + 2] * kernel.data).sum()
    assert_close(out, expected)

    G = rng.standard_normal((3, 3))
    d_image, d_kernel = ag.grad(out, (image, kernel), grad_outputs=const(G))
    hand_image = np.zeros((4, 4))
    hand_kernel = np.zeros((2, 2))
    for i in range(3):
        for j in range(3):
            hand_image[i : i + 2, j : j + 2] += G[i, j] * kernel.data
            hand_kernel += G[i, j] * image.data[i : i + 2, j : j + 2]
    assert_close(d_image, hand_image)
    assert_close(d_kernel, hand_kernel)


# -- softmax and losses -------------------------------------------------------------------------
def test_softmax_jacobian_is_diag_p_minus_p_p_transpose(rng):
    x = leaf(rng.standard_normal(5))

    def expected(v):
        p = softmax(v)
        return np.diag(p) - np.outer(p, p)

    assert check_jacobian(ag.softmax, x, expected)


def test_cross_entropy_gradients(rng):
    logits = leaf(rng.standard_normal(5))
    k = 2
    # -log p(k*) as a function of the probabilities: -1 / p(k*) at k*, 0 elsewhere.
    p = leaf(softmax(logits.data))
    (g,) = ag.grad(-p[k].log(), p)
    assert_close(g, np.where(np.arange(5) == k, -1 / p.data[k], 0.0))
    # Fused with softmax: p - onehot(k*).
    onehot = np.eye(5)[k]
    assert check_jacobian(lambda z: -z.log_softmax()[k], logits, softmax(logits.data) - onehot)


def test_mean_squared_error_gradients(rng):
    x, target = leaf(rng.standard_normal(6)), rng.standard_normal(6)
    K = x.size
    assert check_jacobian(
        lambda x: ((x - const(target)) ** 2).mean(), x, lambda v: 2 / K * (v - target)
    )
    assert check_jacobian(
        lambda x: 0.5 * ((x - const(target)) ** 2).mean(), x, lambda v: (v - target) / K
    )


def test_least_squares_gradient_and_closed_form(rng):
    A, y = rng.standard_normal((6, 3)), rng.standard_normal(6)

    def f(x):
        r = const(A) @ x - const(y)
        return r @ r

    x = leaf(rng.standard_normal(3))
    assert check_jacobian(f, x, lambda v: 2 * A.T @ (A @ v - y))
    best = leaf(np.linalg.solve(A.T @ A, A.T @ y))  # x = (A^T A)^{-1} A^T y
    (g,) = ag.grad(f(best), best)
    assert_close(g, np.zeros(3), atol=1e-10)


def test_frobenius_norm_and_trace_identities(rng):
    A = rng.standard_normal((3, 3))
    X = leaf(rng.standard_normal((3, 3)))
    assert check_jacobian(lambda X: (X * X).sum(), X, lambda v: 2 * v)  # ||X||_F^2
    assert check_jacobian(lambda X: ag.einsum("ii", const(A) @ X), X, A.T)  # tr(A X)
    assert check_jacobian(lambda X: ag.einsum("ii", const(A) @ X.T), X, A)  # tr(A X^T)


def test_linear_autoencoder_gradients(rng):
    """l = 0.5 ||x - D C x||^2, y = D C x: dl/dC = D^T (y - x) x^T, dl/dD = (y - x) x^T C^T."""
    x = rng.standard_normal(5)
    C, D = leaf(rng.standard_normal((2, 5))), leaf(rng.standard_normal((5, 2)))
    y = D @ (C @ const(x))
    loss = 0.5 * ((const(x) - y) ** 2).sum()
    dC, dD = ag.grad(loss, (C, D))
    residual = y.data - x
    assert_close(dC, D.data.T @ np.outer(residual, x))
    assert_close(dD, np.outer(residual, x) @ C.data.T)


def test_deep_linear_network_gradients(rng):
    """L = 0.5 sum_i ||y_i - B A x_i||^2 with Sxx = sum x x^T, Sxy = sum y x^T:
    dL/dA = -B^T (Sxy - B A Sxx), dL/dB = -(Sxy - B A Sxx) A^T."""
    n = 7
    X, Y = rng.standard_normal((4, n)), rng.standard_normal((3, n))  # columns are instances
    A, B = leaf(rng.standard_normal((2, 4))), leaf(rng.standard_normal((3, 2)))
    loss = 0.5 * ((const(Y) - B @ (A @ const(X))) ** 2).sum()
    dA, dB = ag.grad(loss, (A, B))
    Sxx, Sxy = X @ X.T, Y @ X.T
    BA = B.data @ A.data
    assert_close(dA, -B.data.T @ (Sxy - BA @ Sxx))
    assert_close(dB, -(Sxy - BA @ Sxx) @ A.data.T)


def test_logistic_regression_gradient(rng):
    """Cross entropy of sigmoid(theta . x): gradient (sigmoid(theta . x) - y) x."""
    x, label = rng.standard_normal(4), 1.0
    theta = leaf(rng.standard_normal(4))
    p = ag.sigmoid(theta @ const(x))
    loss = -(label * p.log() + (1 - label) * (1 - p).log())
    (g,) = ag.grad(loss, theta)
    assert_close(g, (sigmoid(theta.data @ x) - label) * x)


def test_softmax_classifier_gradient(rng):
    """-log softmax(Theta x)[k]: row i of the gradient is (softmax_i - y_i) x."""
    x, k = rng.standard_normal(4), 1
    theta = leaf(rng.standard_normal((3, 4)))
    loss = -(theta @ const(x)).log_softmax()[k]
    (g,) = ag.grad(loss, theta)
    assert_close(g, np.outer(softmax(theta.data @ x) - np.eye(3)[k], x))


def test_ridge_unit_gradient_points_along_the_input(rng):
    x = rng.standard_normal(4)
    theta = leaf(rng.standard_normal(4))
    (g,) = ag.grad(ag.tanh(theta @ const(x)), theta)
    assert_close(g, (1 - np.tanh(theta.data @ x) ** 2) * x)


def test_mean_of_per_instance_gradients_is_the_gradient_of_the_mean_loss(rng):
    X, y = rng.standard_normal((8, 3)), rng.standard_normal(8)
    w = leaf(rng.standard_normal(3))

    def loss(rows, targets):
        return ((ag.tanh(const(rows) @ w) - const(targets)) ** 2).mean()

    per_instance = [ag.grad(loss(X[i : i + 1], y[i : i + 1]), w)[0].data for i in range(8)]
    (batch,) = ag.grad(loss(X, y), w)
    assert_close(batch, np.mean(per_instance, axis=0))


# -- the composite toy model of section 2 --------------------------------------------------------
def test_composite_toy_model_by_hand():
    """f = b3 + w3 cos(b2 + w2 exp(b1 + w1 sin(b0 + w0 x))), l = (f - y)^2."""
    x, y = 2.3, 2.0
    b = [leaf(v) for v in (0.1, -0.2, 0.3, 0.05)]
    w = [leaf(v) for v in (0.4, 0.7, -0.5, 1.3)]

    f0 = b[0] + w[0] * x
    h1 = f0.sin()
    f1 = b[1] + w[1] * h1
    h2 = f1.exp()
    f2 = b[2] + w[2] * h2
    h3 = f2.cos()
    f3 = b[3] + w[3] * h3
    loss = (f3 - y) ** 2
    intermediates = {"f0": f0, "h1": h1, "f1": f1, "h2": h2, "f2": f2, "h3": h3, "f3": f3}
    for t in intermediates.values():
        t.retain_grad()
    order = []
    names = {id(t.grad_fn): name for name, t in intermediates.items()}
    previous = engine.set_step_hook(
        lambda node, grad_outputs, grad_inputs: order.append(names.get(id(node)))
    )
    try:
        loss.backward()
    finally:
        engine.set_step_hook(previous)
    # The sweep reaches the intermediates in reverse order of the forward pass.
    assert [name for name in order if name] == ["f3", "h3", "f2", "h2", "f1", "h1", "f0"]

    # The forward pass by hand.
    w0, w1, w2, w3 = (t.item() for t in w)
    b0, b1, b2, b3 = (t.item() for t in b)
    F0 = b0 + w0 * x
    H1 = np.sin(F0)
    F1 = b1 + w1 * H1
    H2 = np.exp(F1)
    F2 = b2 + w2 * H2
    H3 = np.cos(F2)
    F3 = b3 + w3 * H3
    for name, value in zip(intermediates, (F0, H1, F1, H2, F2, H3, F3)):
        assert intermediates[name].item() == pytest.approx(value, rel=1e-14), name
    assert loss.item() == pytest.approx((F3 - y) ** 2, rel=1e-14)

    # The backward pass by hand, in reverse order.
    dF3 = 2 * (F3 - y)
    dH3 = w3 * dF3
    dF2 = -np.sin(F2) * dH3
    dH2 = w2 * dF2
    dF1 = np.exp(F1) * dH2
    dH1 = w1 * dF1
    dF0 = np.cos(F0) * dH1
    for name, value in zip(
        ("f3", "h3", "f2", "h2", "f1", "h1", "f0"), (dF3, dH3, dF2, dH2, dF1, dH1, dF0)
    ):
        assert intermediates[name].grad.item() == pytest.approx(value, rel=1e-12), f"dl/d{name}"

    # dl/dw_k = (df_k/dw_k)(dl/df_k) with df_k/dw_k = h_k (h_0 = x); dl/db_k = dl/df_k.
    for k, (h, df) in enumerate(zip((x, H1, H2, H3), (dF0, dF1, dF2, dF3))):
        assert w[k].grad.item() == pytest.approx(h * df, rel=1e-12), f"dl/dw{k}"
        assert b[k].grad.item() == pytest.approx(df, rel=1e-12), f"dl/db{k}"

    # The full expansion of dl/dw0.
    full = 2 * (F3 - y) * w3 * -np.sin(F2) * w2 * np.exp(F1) * w1 * np.cos(F0) * x
    assert w[0].grad.item() == pytest.approx(full, rel=1e-12)
