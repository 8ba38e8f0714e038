"""Tests for nn/datasets/mnist1d.py: the official MNIST-1D data, and the generator's properties.

The comparison with the authors' generator needs the optional `mnist1d` extra
(`pip install ".[mnist1d]"`); every other test runs offline with NumPy only.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from nn.datasets import MNIST1D_TEMPLATES, make_mnist1d
from nn.datasets.mnist1d import _gaussian_smooth_rows, _interp_rows

ARRAYS = ("x", "y", "x_test", "y_test", "t")


def _reference(**overrides):
    """The authors' generator with its defaults and ``overrides``, leaving the global RNGs as
    they were (it reseeds NumPy's and Python's global generators)."""
    pytest.importorskip("mnist1d", reason="install the `mnist1d` extra (.[mnist1d])")
    from mnist1d.data import get_dataset_args, make_dataset
    from mnist1d.utils import ObjectView

    args = get_dataset_args(as_dict=True)
    args.update({k: list(v) if k == "padding" else v for k, v in overrides.items()})
    np_state, py_state = np.random.get_state(), random.getstate()
    try:
        return make_dataset(ObjectView(args))
    finally:
        np.random.set_state(np_state)
        random.setstate(py_state)


def _assert_same(ours, ref, name, tol=1e-9):
    ours, ref = np.asarray(ours), np.asarray(ref)
    assert ours.shape == ref.shape, f"{name}: shape {ours.shape} (ours) vs {ref.shape} (reference)"
    if ours.size == 0:
        return
    diff = np.abs(ours.astype(np.float64) - ref.astype(np.float64))
    worst = np.unravel_index(diff.argmax(), diff.shape)
    assert diff.max() <= tol, (
        f"{name}: largest difference {diff.max():.3e} at {worst}: "
        f"ours {ours[worst]!r}, reference {ref[worst]!r}"
    )


# ---------------------------------------------------------------- against the reference package


def test_default_is_the_official_data_of_the_reference_generator():
    ref = _reference()
    ours = make_mnist1d()
    for name in ARRAYS:
        _assert_same(ours[name], ref[name], name)
        assert ours[name].dtype == ref[name].dtype, name
    _assert_same(ours["templates"], ref["templates"]["x"], "templates")
    assert np.array_equal(ours["y"], ref["y"]) and np.array_equal(ours["y_test"], ref["y_test"])


@pytest.mark.parametrize(
    "overrides",
    [
        {"seed": 0, "num_samples": 400},
        {"seed": 5, "num_samples": 300, "shuffle_seq": True},
        {
            "num_samples": 200,
            "padding": (10, 21),
            "max_translation": 30,
            "train_split": 0.5,
            "final_seq_length": 57,
        },
        {"num_samples": 100, "padding": (0, 0), "max_translation": 1, "seed": 3},
        {
            "num_samples": 200,
            "scale_coeff": 0.0,
            "corr_noise_scale": 0.0,
            "iid_noise_scale": 0.0,
            "shear_scale": 0.0,
        },
    ],
)
def test_other_arguments_match_the_reference_generator(overrides):
    ref = _reference(**overrides)
    ours = make_mnist1d(**overrides)
    for name in ARRAYS:
        _assert_same(ours[name], ref[name], f"{name} with {overrides}")


def test_smoothing_matches_scipy_gaussian_filter(rng):
    ndimage = pytest.importorskip("scipy.ndimage")
    noise = rng.standard_normal((5, 72))
    want = np.stack([ndimage.gaussian_filter(row, 2) for row in noise])
    _assert_same(_gaussian_smooth_rows(noise, 2.0), want, "smoothed noise", tol=1e-12)


# ---------------------------------------------------------------- offline


def test_official_data_fingerprint():
    # Recorded from the reference package (mnist1d 0.0.2.post1, seed 42), so the default is
    # checked against the official data even where the optional package is not installed.
    data = make_mnist1d()
    assert data["y"][:10].tolist() == [2, 6, 4, 5, 6, 6, 6, 0, 3, 1]
    assert np.bincount(data["y"]).tolist() == [398, 396, 411, 394, 394, 402, 401, 404, 402, 398]
    _assert_same(data["x"][0, :3], [-0.33200567, -0.47191037, -0.77869708], "x[0, :3]", 1e-8)
    _assert_same(data["x_test"][-1, -3:], [0.65987565, 0.87773435, 1.19315184], "x_test", 1e-8)
    _assert_same(data["t"][[0, -1]], [-5.38753507, 5.38753507], "t ends", 1e-8)


def test_default_shapes_dtypes_and_balance():
    data = make_mnist1d()
    assert data["x"].shape == (4000, 40) and data["x_test"].shape == (1000, 40)
    assert data["y"].shape == (4000,) and data["y_test"].shape == (1000,)
    assert data["t"].shape == (40,) and data["templates"].shape == (10, 12)
    assert all(data[k].dtype == np.float64 for k in ("x", "x_test", "t", "templates"))
    assert data["y"].dtype == np.int64 and data["y_test"].dtype == np.int64
    labels = np.concatenate([data["y"], data["y_test"]])
    assert labels.min() == 0 and labels.max() == 9
    assert np.bincount(labels).tolist() == [500] * 10
    signals = np.concatenate([data["x"], data["x_test"]])
    assert np.isfinite(signals).all()
    assert abs(signals.mean()) < 1e-12 and abs(signals.std() - 1.0) < 1e-12
    # t is the template coordinate -5/6..5/6, evenly resampled, divided by the same std.
    assert np.allclose(np.diff(data["t"]), np.diff(data["t"])[0])
    assert np.isclose(data["t"][0], -data["t"][-1])


def test_determinism_and_seed_dependence():
    a = make_mnist1d(num_samples=300, seed=7)
    b = make_mnist1d(num_samples=300, seed=7)
    c = make_mnist1d(num_samples=300, seed=8)
    for name in ARRAYS:
        assert np.array_equal(a[name], b[name]), name
    assert not np.allclose(a["x"], c["x"]) and not np.array_equal(a["y"], c["y"])
    # The global generators are left alone.
    np.random.seed(123)
    before = np.random.random()
    np.random.seed(123)
    make_mnist1d(num_samples=10, seed=1)
    assert np.random.random() == before


def test_shuffle_labels_keeps_x_and_counts_per_part():
    plain = make_mnist1d()
    shuffled = make_mnist1d(shuffle_labels=True)
    for part in ("", "_test"):
        assert np.array_equal(plain["x" + part], shuffled["x" + part])
        y, y_random = plain["y" + part], shuffled["y" + part]
        assert np.array_equal(np.bincount(y), np.bincount(y_random))
        assert np.mean(y != y_random) > 0.8, f"y{part}: only {np.mean(y != y_random):.2f} changed"


def test_shuffle_seq_permutes_the_positions():
    plain = make_mnist1d(num_samples=200, seed=4)["x"]
    shuffled = make_mnist1d(num_samples=200, seed=4, shuffle_seq=True)["x"]
    # Column j of the shuffled data is some column of the plain data (up to the rounding of
    # the global mean and std), each used once.
    match = [int(np.argmin(np.abs(plain - col[:, None]).max(axis=0))) for col in shuffled.T]
    assert sorted(match) == list(range(40)) and match != list(range(40))
    assert np.allclose(shuffled, plain[:, match], atol=1e-12)


def test_templates_are_prepared():
    templates = make_mnist1d(num_samples=10)["templates"]
    raw = np.asarray(MNIST1D_TEMPLATES)
    assert np.allclose(templates[:, 0], 0.0) and np.allclose(templates[:, -1], 0.0)
    assert np.allclose(templates.std(axis=1), 1.0 / 6.0)
    assert np.allclose(np.diff(templates, axis=1) * 6, np.diff(raw, axis=1) / raw.std(1)[:, None])


def _clean(**kwargs):
    """Signals with no scaling, noise or shear, not normalised: only padding and shifting."""
    quiet = {
        "scale_coeff": 0.0,
        "corr_noise_scale": 0.0,
        "iid_noise_scale": 0.0,
        "shear_scale": 0.0,
        "normalize": False,
        "train_split": 1.0,
    }
    return make_mnist1d(**{**quiet, **kwargs})


def test_without_padding_or_shift_a_sample_is_the_resampled_template():
    data = _clean(num_samples=30, padding=(0, 0), max_translation=1, final_seq_length=23)
    for x, y in zip(data["x"], data["y"]):
        want = np.interp(np.linspace(0, 11, 23), np.arange(12), data["templates"][y] + 1e-8)
        _assert_same(x, want, f"class {y}", tol=1e-15)


def test_padding_stretches_the_template_and_translation_shifts_it():
    # Working length 72 kept to the end: a template padded with p zeros covers the points
    # i / 71 < 12 / (11 + p), so 12 (p = 60) to 19 (p = 36) of them, from the shift k onward.
    data = _clean(num_samples=2000, final_seq_length=72, seed=1)
    support = data["x"] != 0
    starts = support.argmax(axis=1)
    lengths = support.sum(axis=1)
    ends = 71 - support[:, ::-1].argmax(axis=1)
    assert np.array_equal(ends - starts + 1, lengths), "the template must stay in one piece"
    assert lengths.min() == 12 and lengths.max() == 19
    assert starts.min() == 0 and starts.max() == 47 and np.unique(starts).size == 48


def test_nearest_neighbour_beats_chance_on_the_official_split():
    data = make_mnist1d()
    x, y, x_test, y_test = data["x"], data["y"], data["x_test"], data["y_test"]
    d2 = (x_test**2).sum(1)[:, None] - 2 * x_test @ x.T + (x**2).sum(1)[None, :]
    accuracy = np.mean(y[d2.argmin(axis=1)] == y_test)
    assert accuracy > 0.45, f"1-NN test accuracy {accuracy:.3f} (measured 0.567; chance 0.1)"


def test_interp_rows_is_np_interp_bit_for_bit(rng):
    # Grids that share knots (0, 1 and interior points) hit np.interp's exact-knot branch.
    for n_old, n_new in [(48, 72), (72, 40), (12, 12), (60, 72), (2, 5)]:
        xp, x_new = np.linspace(0, 1, n_old), np.linspace(0, 1, n_new)
        fp = rng.standard_normal((4, n_old))
        fp[:, n_old // 2 :] = 0.0
        want = np.stack([np.interp(x_new, xp, row) for row in fp])
        got = _interp_rows(x_new, xp, fp)
        assert np.array_equal(got, want), f"{n_old} -> {n_new}: {got} vs {want}"


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"num_samples": 0}, "num_samples"),
        ({"num_samples": 1003}, "multiple of 10"),
        ({"num_samples": 2.5}, "num_samples"),
        ({"seed": -1}, "seed"),
        ({"seed": 2**32}, "seed"),
        ({"train_split": 0.0}, "train_split"),
        ({"train_split": 1.5}, "train_split"),
        ({"padding": (10, 5)}, "padding"),
        ({"padding": (1, 2, 3)}, "padding"),
        ({"padding": 40}, "padding"),
        ({"max_translation": 0}, "max_translation"),
        ({"max_translation": 73}, "max_translation"),
        ({"final_seq_length": 1}, "final_seq_length"),
        ({"iid_noise_scale": -0.1}, "iid_noise_scale"),
        ({"shear_scale": float("nan")}, "shear_scale"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs, name):
    with pytest.raises(ValueError, match=name) as err:
        make_mnist1d(**kwargs)
    assert "make_mnist1d" in str(err.value)
