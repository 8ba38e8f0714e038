"""Sampling (sampling.py): randint, multinomial, normal and uniform draw from the manual_seed
stream, with the right shapes, dtypes and distributions (chi-square bounds with fixed seeds:
deterministic, and loose enough that only a wrong distribution exceeds them), and reject bad
input naming the function, the argument and the shape."""

import numpy as np
import pytest

import autograd_core as ag


def chi_square(counts, probabilities):
    expected = np.sum(counts) * np.asarray(probabilities) / np.sum(probabilities)
    return float(np.sum((counts - expected) ** 2 / expected))


def chi_square_bound(categories):
    """Far in the tail of the chi-square distribution with categories - 1 degrees of freedom
    (a p-value below 1e-6); a wrong distribution over 10,000s of draws lands in the 100s."""
    df = categories - 1
    return df + 7 * np.sqrt(2 * df) + 10


DRAWS = {
    "randint": lambda: ag.randint(0, 10, (5,)),
    "multinomial": lambda: ag.multinomial(ag.tensor([0.2, 0.5, 0.3]), 2),
    "multinomial, replacement": lambda: ag.multinomial([[1.0, 2.0], [3.0, 1.0]], 4, True),
    "normal": lambda: ag.normal(0.0, 1.0, (5,)),
    "uniform": lambda: ag.uniform(-1.0, 1.0, (5,)),
}


@pytest.mark.parametrize("name", DRAWS)
def test_manual_seed_makes_every_draw_reproducible(name):
    draw = DRAWS[name]
    ag.manual_seed(5)
    first = draw().data
    ag.manual_seed(5)
    assert np.array_equal(draw().data, first)
    runs = []
    for seed in range(6, 10):
        ag.manual_seed(seed)
        runs.append(draw().data)
    assert any(not np.array_equal(run, first) for run in runs), "the seed changes nothing"


# -- randint ------------------------------------------------------------------------------------
def test_randint_is_uniform_on_low_to_high_and_int64():
    ag.manual_seed(1)
    x = ag.randint(-3, 4, (70_000,))
    assert x.dtype == np.int64 and x.shape == (70_000,) and x.grad_fn is None
    assert x.data.min() == -3 and x.data.max() == 3
    counts = np.bincount(x.data + 3, minlength=7)
    assert chi_square(counts, np.ones(7)) < chi_square_bound(7), counts


def test_randint_shapes_and_the_pytorch_form():
    assert ag.randint(0, 5, (2, 3)).shape == (2, 3)
    assert ag.randint(0, 5, 4).shape == (4,)
    assert ag.randint(0, 5).shape == ()
    t = ag.randint(5, (3, 2))  # torch.randint(high, size)
    assert t.shape == (3, 2) and 0 <= t.data.min() and t.data.max() < 5
    assert ag.randint(7).shape == () and 0 <= int(ag.randint(7)) < 7
    assert ag.randint(0, 5, (3,), dtype=np.int32).dtype == np.int32


def test_randint_rejects_bad_input():
    with pytest.raises(ValueError, match=r"randint: low must be less than high, got low=3 and "
                                         r"high=3 \(shape \(2,\)\)"):
        ag.randint(3, 3, (2,))
    with pytest.raises(TypeError, match=r"randint: high must be an int"):
        ag.randint(0, 2.5, (2,))
    with pytest.raises(TypeError, match=r"randint: dtype must be an integer dtype"):
        ag.randint(0, 2, (2,), dtype=np.float64)
    with pytest.raises(ValueError, match=r"randint: a shape holds non-negative ints"):
        ag.randint(0, 2, (-1,))
    with pytest.raises(ValueError, match=r"randint: .*int8"):
        ag.randint(0, 1000, (2,), dtype=np.int8)


# -- multinomial --------------------------------------------------------------------------------
P = np.array([0.1, 0.2, 0.3, 0.4])


def test_multinomial_shapes_and_dtype():
    assert ag.multinomial(P, 3).shape == (3,)
    assert ag.multinomial(np.tile(P, (5, 1)), 2).shape == (5, 2)
    samples = ag.multinomial(ag.tensor(P), 6, replacement=True)
    assert samples.shape == (6,) and samples.dtype == np.int64 and samples.grad_fn is None


def test_multinomial_with_replacement_draws_in_proportion_to_the_weights():
    ag.manual_seed(2)
    samples = ag.multinomial(5 * P, 40_000, replacement=True).data  # weights, not normalised
    counts = np.bincount(samples, minlength=4)
    assert chi_square(counts, P) < chi_square_bound(4), counts


def test_multinomial_never_draws_a_zero_weight():
    weights = np.array([[0.0, 1.0, 0.0, 2.0], [3.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1e-300]])
    ag.manual_seed(3)
    with_replacement = ag.multinomial(weights, 5_000, replacement=True).data
    assert set(np.unique(with_replacement[0])) == {1, 3}
    assert np.all(with_replacement[1] == 0) and np.all(with_replacement[2] == 3)
    without = ag.multinomial(weights[:1], 2).data
    assert sorted(without[0]) == [1, 3]


def test_multinomial_without_replacement_draws_each_index_once():
    ag.manual_seed(4)
    rows = ag.multinomial(np.tile(P, (500, 1)), 3).data
    assert all(len(set(row)) == 3 for row in rows)
    everything = ag.multinomial(np.tile(P, (50, 1)), 4).data
    assert all(sorted(row) == [0, 1, 2, 3] for row in everything)


def test_multinomial_without_replacement_draws_one_after_another_as_pytorch():
    """The first draw follows p; the second, p_j / (1 - p_i) after first drawing i, so
    P(second = j) = sum over i != j of p_i p_j / (1 - p_i)."""
    ag.manual_seed(5)
    draws = ag.multinomial(np.tile(3 * P, (40_000, 1)), 2).data
    first = np.bincount(draws[:, 0], minlength=4)
    assert chi_square(first, P) < chi_square_bound(4), first
    second_p = [sum(P[i] * P[j] / (1 - P[i]) for i in range(4) if i != j) for j in range(4)]
    second = np.bincount(draws[:, 1], minlength=4)
    assert np.isclose(sum(second_p), 1.0)
    assert chi_square(second, second_p) < chi_square_bound(4), (second, second_p)


@pytest.mark.parametrize("replacement", [False, True])
def test_multinomial_rows_need_not_be_normalised(replacement):
    ag.manual_seed(6)
    normalised = ag.multinomial(np.tile(P, (3, 1)), 3, replacement).data
    ag.manual_seed(6)
    scaled = ag.multinomial(np.tile(7 * P, (3, 1)), 3, replacement).data
    assert np.array_equal(normalised, scaled)


@pytest.mark.parametrize("probs, num_samples, replacement, message", [
    ([0.5, -0.1, 0.6], 1, True, r"multinomial: probs of shape \(3,\) has negative entries"),
    ([[1.0, 1.0], [0.0, 0.0]], 1, True, r"multinomial: row 1 of probs of shape \(2, 2\) sums "
                                        r"to zero"),
    ([0.0, 0.0], 1, False, r"multinomial: probs of shape \(2,\) sums to zero"),
    ([0.5, np.nan], 1, True, r"multinomial: probs of shape \(2,\) holds NaN or infinite"),
    ([[0.5, np.inf]], 1, True, r"multinomial: probs of shape \(1, 2\) holds NaN or infinite"),
    ([[1.0, 0.0, 1.0], [1.0, 1.0, 1.0]], 3, False, r"multinomial: num_samples=3 is more than "
                                                   r"the 2 non-zero entries in row 0 of probs "
                                                   r"of shape \(2, 3\).*replacement=True"),
    (np.ones((2, 2, 2)), 1, True, r"multinomial: probs must be 1-D or 2-D .* shape \(2, 2, 2\)"),
    (np.ones((2, 0)), 1, True, r"multinomial: probs must be 1-D or 2-D .* shape \(2, 0\)"),
    ([1.0, 1.0], 0, True, r"multinomial: num_samples must be positive, got 0"),
])
def test_multinomial_rejects_bad_input(probs, num_samples, replacement, message):
    with pytest.raises(ValueError, match=message):
        ag.multinomial(probs, num_samples, replacement)


def test_multinomial_rejects_non_numbers():
    with pytest.raises(TypeError, match=r"multinomial: num_samples must be an int"):
        ag.multinomial([1.0, 1.0], 1.5)
    with pytest.raises(TypeError, match=r"multinomial: probs must hold numbers"):
        ag.multinomial([True, False], 1)


# -- normal and uniform -------------------------------------------------------------------------
def test_normal_has_the_mean_and_spread_asked_for():
    ag.manual_seed(7)
    x = ag.normal(1.5, 2.0, (200_000,)).data
    standard_error = 2.0 / np.sqrt(len(x))
    assert abs(x.mean() - 1.5) < 6 * standard_error and abs(x.std() - 2.0) < 0.02
    within_one = np.mean(np.abs(x - 1.5) < 2.0)
    assert abs(within_one - 0.6827) < 0.006, within_one


def test_normal_shapes_and_dtypes():
    assert ag.normal(np.zeros((2, 1)), np.ones(3)).shape == (2, 3)
    assert ag.normal(0.0, 1.0, (4,)).dtype == np.float64
    assert ag.normal(ag.zeros(3, dtype=np.float32), 1.0).dtype == np.float32
    assert ag.normal(0.0, 1.0, 2, dtype=np.float32).dtype == np.float32
    try:
        ag.set_default_dtype(np.float32)
        assert ag.normal(0.0, 1.0, (2,)).dtype == np.float32
    finally:
        ag.set_default_dtype(np.float64)
    leaf = ag.normal(0.0, 1.0, (3,), requires_grad=True)
    assert leaf.is_leaf and leaf.requires_grad


def test_normal_given_tensors_that_require_grad_is_reparameterised():
    mu = ag.tensor([0.0, 1.0], requires_grad=True)
    sigma = ag.tensor([1.0, 3.0], requires_grad=True)
    y = ag.normal(mu, sigma, (1000, 2))
    assert y.grad_fn is not None
    g_mu, g_sigma = ag.grad(y.sum(), [mu, sigma])
    noise = (y.data - mu.data) / sigma.data
    assert np.allclose(g_mu.data, 1000.0) and np.allclose(g_sigma.data, noise.sum(axis=0))


def test_uniform_draws_from_low_to_high_evenly():
    ag.manual_seed(8)
    x = ag.uniform(-2.0, 3.0, (100_000,)).data
    assert x.min() >= -2.0 and x.max() < 3.0
    counts, _ = np.histogram(x, bins=10, range=(-2.0, 3.0))
    assert chi_square(counts, np.ones(10)) < chi_square_bound(10), counts
    assert ag.uniform(np.zeros(3), [1.0, 2.0, 3.0]).shape == (3,)
    assert ag.uniform(shape=(2,)).dtype == np.float64


def test_uniform_given_tensors_that_require_grad_is_reparameterised():
    low, high = ag.tensor(1.0, requires_grad=True), ag.tensor(4.0, requires_grad=True)
    y = ag.uniform(low, high, (50,))
    u = (y.data - 1.0) / 3.0
    g_low, g_high = ag.grad(y.sum(), [low, high])
    assert np.isclose(g_low.data, np.sum(1 - u)) and np.isclose(g_high.data, np.sum(u))


@pytest.mark.parametrize("draw, error, message", [
    (lambda: ag.normal(0.0, -1.0), ValueError,
     r"normal: scale must be non-negative, got scale of shape \(\) with the entry -1\.0"),
    (lambda: ag.normal(0.0, [1.0, np.nan]), ValueError,
     r"normal: scale must be non-negative, got scale of shape \(2,\) with the entry nan"),
    (lambda: ag.normal(np.zeros(3), 1.0, (2,)), ValueError,
     r"normal: loc of shape \(3,\), scale of shape \(\) do not broadcast to the shape \(2,\)"),
    (lambda: ag.normal(0.0, 1.0, (2,), dtype=np.int64), TypeError, r"would truncate"),
    (lambda: ag.uniform(1.0, 1.0), ValueError,
     r"uniform: low must be less than high, got low of shape \(\) and high of shape \(\) with "
     r"low=1\.0 and high=1\.0"),
    (lambda: ag.uniform(np.zeros(2), [1.0, -1.0]), ValueError,
     r"uniform: low must be less than high, got low of shape \(2,\) .* low=0\.0 and high=-1\.0"),
    (lambda: ag.uniform(0.0, np.nan), ValueError, r"uniform: low must be less than high"),
    (lambda: ag.normal(ag.tensor(0.0, requires_grad=True), 1.0, requires_grad=True), ValueError,
     r"requires_grad=True with parameters that require grad"),
])
def test_normal_and_uniform_reject_bad_input(draw, error, message):
    with pytest.raises(error, match=message):
        draw()
