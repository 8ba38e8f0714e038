"""Tests for nn.datasets: bundled digits, IDX/MNIST reading and toy sets (offline).

MNIST-1D is tested in test_mnist1d.py, the bundled text corpora in test_text.py.
"""

from __future__ import annotations

import gzip

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn.datasets import (
    load_digits,
    load_mnist,
    make_linear_regression,
    make_moons,
    make_regression_1d,
    make_spirals,
    read_idx,
    train_test_split,
    write_idx,
)

# ---------------------------------------------------------------- digits


def test_digits_shape_dtype_and_range():
    images, labels = load_digits()
    assert images.shape == (1797, 8, 8) and images.dtype == np.float64
    assert labels.shape == (1797,) and labels.dtype == np.int64
    assert images.min() == 0 and images.max() == 16
    assert np.array_equal(images, np.round(images))
    # Checksums recorded in nn/datasets/data/README.md at conversion time.
    assert images.sum() == 561718
    counts = np.bincount(labels)
    assert counts.tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert labels[:10].tolist() == list(range(10))
    # Each call returns fresh arrays, so callers may modify them in place.
    images[:] = -1
    labels[:] = -1
    images2, labels2 = load_digits()
    assert images2.min() == 0 and labels2.min() == 0


def test_digits_stratified_split_sizes_and_determinism():
    images, labels = load_digits()
    x_tr, x_te, y_tr, y_te = train_test_split(images, labels, stratify=labels)
    assert x_tr.shape == (1437, 8, 8) and x_te.shape == (360, 8, 8)
    assert y_tr.shape == (1437,) and y_te.shape == (360,)
    # Each class keeps its share: 20 % of ~180 is ~36 test rows per class.
    expected = np.bincount(labels) * 0.2
    assert np.all(np.abs(np.bincount(y_te, minlength=10) - expected) < 1)
    again = train_test_split(images, labels, stratify=labels)
    for a, b in zip((x_tr, x_te, y_tr, y_te), again):
        assert np.array_equal(a, b)
    assert not np.array_equal(x_te, train_test_split(images, stratify=labels, seed=1)[1])


def test_split_keeps_rows_aligned_and_partitions():
    n = 103
    idx = np.arange(n)
    data = np.stack([idx, idx * 10], axis=1)
    i_tr, i_te, d_tr, d_te = train_test_split(idx, data, test_fraction=0.3, seed=5)
    assert len(i_te) == 31 and len(i_tr) == 72  # ceil(0.3 * 103) = 31
    assert np.array_equal(d_tr[:, 0], i_tr) and np.array_equal(d_te[:, 1], i_te * 10)
    assert sorted(np.concatenate([i_tr, i_te]).tolist()) == idx.tolist()
    # Unstratified split is documented as default_rng(seed).permutation(n).
    perm = np.random.default_rng(5).permutation(n)
    assert np.array_equal(i_te, perm[:31]) and np.array_equal(i_tr, perm[31:])


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 300),
    fraction=st.floats(0.05, 0.95),
    n_classes=st.integers(1, 6),
    seed=st.integers(0, 2**31),
)
def test_split_property(n, fraction, n_classes, seed):
    labels = np.random.default_rng(seed).integers(0, n_classes, size=n)
    n_test = int(np.ceil(fraction * n))
    if n_test >= n:
        with pytest.raises(ValueError):
            train_test_split(labels, test_fraction=fraction, seed=seed)
        return
    idx = np.arange(n)
    i_tr, i_te, l_tr, l_te = train_test_split(
        idx, labels, test_fraction=fraction, seed=seed, stratify=labels
    )
    assert len(i_te) == n_test and len(i_tr) == n - n_test
    assert np.array_equal(np.sort(np.concatenate([i_tr, i_te])), idx)
    assert np.array_equal(labels[i_te], l_te)
    want = np.bincount(labels, minlength=n_classes) * n_test / n
    assert np.all(np.abs(np.bincount(l_te, minlength=n_classes) - want) < 1)


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.2, 1.5, float("nan"), "0.2"])
def test_split_rejects_bad_fraction(fraction):
    with pytest.raises(ValueError, match="test_fraction"):
        train_test_split(np.arange(10), test_fraction=fraction)


def test_split_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match=r"\[10, 7\]"):
        train_test_split(np.zeros(10), np.zeros(7))
    with pytest.raises(ValueError, match="stratify"):
        train_test_split(np.zeros(10), stratify=np.zeros(9))
    with pytest.raises(ValueError):
        train_test_split()
    with pytest.raises(ValueError, match="non-empty"):
        train_test_split(np.zeros(2), test_fraction=0.9)


# ---------------------------------------------------------------- IDX / MNIST


@pytest.mark.parametrize("suffix", ["", ".gz"])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.int8, np.int16, np.int32, np.float64])
def test_idx_round_trip(tmp_path, dtype, suffix):
    rng = np.random.default_rng(0)
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        array = rng.integers(info.min, info.max, size=(4, 3, 5), endpoint=True).astype(dtype)
    else:
        array = rng.standard_normal((4, 3, 5)).astype(dtype)
    path = tmp_path / f"a-idx3{suffix}"
    write_idx(path, array)
    back = read_idx(path)
    assert back.dtype == np.dtype(dtype) and back.dtype.isnative
    assert back.shape == array.shape
    assert np.array_equal(back, array)
    raw = path.read_bytes()
    assert (raw[:2] == b"\x1f\x8b") == (suffix == ".gz")


def test_idx_header_layout(tmp_path):
    path = tmp_path / "x"
    write_idx(path, np.arange(6, dtype=np.uint8).reshape(2, 3))
    raw = path.read_bytes()
    assert raw[:4] == bytes([0, 0, 0x08, 2])
    assert raw[4:12] == (2).to_bytes(4, "big") + (3).to_bytes(4, "big")
    assert raw[12:] == bytes(range(6))
    write_idx(path, np.array([1.5], dtype=np.float32))
    raw = path.read_bytes()
    assert raw[2] == 0x0D and raw[8:] == np.array([1.5], dtype=">f4").tobytes()
    write_idx(path, np.zeros((0, 28, 28), dtype=np.uint8))
    assert read_idx(path).shape == (0, 28, 28)


def test_write_idx_rejects_unsupported(tmp_path):
    with pytest.raises(ValueError, match="int64"):
        write_idx(tmp_path / "x", np.arange(3, dtype=np.int64))
    with pytest.raises(ValueError, match="0-d"):
        write_idx(tmp_path / "x", np.uint8(3))


_HEADER_2x4x4 = bytes([0, 0, 8, 3]) + b"".join(d.to_bytes(4, "big") for d in (2, 4, 4))
_LABELS_100 = bytes([0, 0, 8, 1]) + (100).to_bytes(4, "big") + bytes(100)


@pytest.mark.parametrize(
    "content, fragments",
    [
        (bytes([1, 2, 8, 1]) + (1).to_bytes(4, "big") + b"\0", ["bad IDX magic"]),
        (bytes([0, 0, 0x0A, 1]) + (1).to_bytes(4, "big") + b"\0", ["dtype code 0x0A"]),
        (_HEADER_2x4x4 + bytes(27), ["truncated IDX data", "needs 32 bytes", "holds 27"]),
        (gzip.compress(_HEADER_2x4x4 + bytes(27)), ["truncated", "needs 32", "holds 27"]),
        (_HEADER_2x4x4[:8], ["truncated IDX header", "expected 16 bytes", "holds 8"]),
        (bytes([0, 0]), ["truncated IDX header"]),
        (_LABELS_100[:8] + bytes(103), ["oversized IDX data", "needs 100", "holds 103"]),
        (gzip.compress(_LABELS_100)[:-12], ["cannot decompress gzip"]),
    ],
    ids=["magic", "dtype", "truncated", "truncated-gz", "header", "tiny", "extra", "bad-gz"],
)
def test_idx_corrupt_file_names_file_and_problem(tmp_path, content, fragments):
    path = tmp_path / "corrupt-idx1-ubyte"
    path.write_bytes(content)
    with pytest.raises(ValueError) as err:
        read_idx(path)
    message = str(err.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message


def _fake_mnist(root, kind, n_images, n_labels, gz):
    prefix = "train" if kind == "train" else "t10k"
    ext = ".gz" if gz else ""
    rng = np.random.default_rng(n_images)
    images = rng.integers(0, 256, size=(n_images, 5, 7), dtype=np.uint8)
    labels = rng.integers(0, 10, size=n_labels, dtype=np.uint8)
    write_idx(root / f"{prefix}-images-idx3-ubyte{ext}", images)
    write_idx(root / f"{prefix}-labels-idx1-ubyte{ext}", labels)
    return images, labels


def test_load_mnist_train_gz_and_test_plain(tmp_path):
    tr_img, tr_lab = _fake_mnist(tmp_path, "train", 12, 12, gz=True)
    te_img, te_lab = _fake_mnist(tmp_path, "test", 4, 4, gz=False)
    images, labels = load_mnist(tmp_path)
    assert images.dtype == np.uint8 and images.shape == (12, 5, 7)
    assert labels.dtype == np.int64 and labels.shape == (12,)
    assert np.array_equal(images, tr_img) and np.array_equal(labels, tr_lab)
    images, labels = load_mnist(str(tmp_path), kind="test")
    assert np.array_equal(images, te_img) and np.array_equal(labels, te_lab)


def test_load_mnist_count_mismatch(tmp_path):
    _fake_mnist(tmp_path, "train", 6, 5, gz=False)
    with pytest.raises(ValueError, match="mismatch") as err:
        load_mnist(tmp_path)
    message = str(err.value)
    assert "6 images" in message and "5 labels" in message
    assert "train-images-idx3-ubyte" in message and "train-labels-idx1-ubyte" in message


def test_load_mnist_missing_file(tmp_path):
    _fake_mnist(tmp_path, "train", 3, 3, gz=False)
    (tmp_path / "train-labels-idx1-ubyte").unlink()
    with pytest.raises(FileNotFoundError) as err:
        load_mnist(tmp_path)
    message = str(err.value)
    assert "'train-labels-idx1-ubyte'" in message and "'train-labels-idx1-ubyte.gz'" in message
    with pytest.raises(FileNotFoundError, match="t10k-images-idx3-ubyte"):
        load_mnist(tmp_path, kind="test")


def test_load_mnist_rejects_wrong_kind_and_content(tmp_path):
    with pytest.raises(ValueError, match="kind"):
        load_mnist(tmp_path, kind="validation")
    write_idx(tmp_path / "train-images-idx3-ubyte", np.zeros((2, 3, 3), dtype=np.float32))
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.zeros(2, dtype=np.uint8))
    with pytest.raises(ValueError, match="uint8") as err:
        load_mnist(tmp_path)
    assert "train-images-idx3-ubyte" in str(err.value)


# ---------------------------------------------------------------- toy sets


def test_moons():
    X, y = make_moons(101, noise=0.0, seed=2)
    assert X.shape == (101, 2) and X.dtype == np.float64 and y.dtype == np.int64
    assert np.bincount(y).tolist() == [50, 51]
    upper, lower = X[y == 0], X[y == 1]
    assert np.allclose(np.hypot(*upper.T), 1.0) and np.all(upper[:, 1] >= -1e-12)
    assert np.allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0)


def test_spirals():
    X, y = make_spirals(301, n_classes=4, noise=0.0, seed=1)
    assert X.shape == (301, 2) and y.dtype == np.int64
    assert np.bincount(y).tolist() == [76, 75, 75, 75]
    assert np.all(np.hypot(*X.T) <= 1.0 + 1e-12)
    assert set(make_spirals()[1].tolist()) == {0, 1, 2}


@pytest.mark.parametrize("make", [make_moons, make_spirals, make_regression_1d])
def test_toy_determinism(make):
    a, b, c = make(seed=4), make(seed=4), make(seed=5)
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize("kind", ["sine", "step", "abs", "gabor"])
def test_regression_1d(kind):
    x, y = make_regression_1d(64, kind=kind, noise=0.0, seed=0)
    assert x.shape == (64, 1) and y.shape == (64, 1)
    assert np.all(np.diff(x[:, 0]) >= 0)
    xs = x[:, 0]
    expected = {
        "sine": np.sin(2 * np.pi * xs),
        "step": (xs >= 0).astype(float),
        "abs": np.abs(xs),
        "gabor": np.sin(0.6 * xs) * np.exp(-((0.6 * xs) ** 2) / 8),
    }[kind]
    assert np.allclose(y[:, 0], expected)
    limit = 15.0 if kind == "gabor" else 1.0
    assert np.all(np.abs(xs) <= limit)
    # The noise is added on top of the same x values (x is drawn first).
    x_noisy, y_noisy = make_regression_1d(64, kind=kind, noise=0.5, seed=0)
    assert np.array_equal(x_noisy, x)
    assert 0.35 < np.std(y_noisy - y) < 0.65


def test_linear_regression():
    X, y, w, b = make_linear_regression(500, n_features=3, noise=0.0, seed=0)
    assert X.shape == (500, 3) and y.shape == (500, 1) and w.shape == (3, 1)
    assert isinstance(b, float)
    assert np.allclose(X @ w + b, y)
    X, y, w, b = make_linear_regression(20000, n_features=2, noise=0.1, seed=1)
    coef, *_ = np.linalg.lstsq(np.c_[X, np.ones(len(X))], y, rcond=None)
    assert np.allclose(coef[:2], w, atol=0.01) and abs(coef[2, 0] - b) < 0.01


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: make_moons(0), "n_samples"),
        (lambda: make_moons(10, noise=-1.0), "noise"),
        (lambda: make_spirals(10, n_classes=0), "n_classes"),
        (lambda: make_spirals(2, n_classes=3), "n_samples"),
        (lambda: make_regression_1d(10, kind="cubic"), "kind"),
        (lambda: make_regression_1d(-5), "n_samples"),
        (lambda: make_linear_regression(10, n_features=0), "n_features"),
        (lambda: make_linear_regression(2.5), "n_samples"),
    ],
)
def test_toy_bad_arguments(call, name):
    with pytest.raises(ValueError, match=name):
        call()
