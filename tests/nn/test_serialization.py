"""Tests of nn/serialization.py: round trips, exact paths, atomic writes (a failure mid-write
leaves the previous file and no temporary), and refusal of pickled, truncated or foreign files."""

import os
import pathlib
import zipfile

import numpy as np
import pytest

import autograd_core as ag
import nn


def sample_state():
    return {
        "0.weight": np.arange(6, dtype=np.float32).reshape(2, 3),
        "0.bias": np.array([0.5, -1.5]),
        "1.num_batches_tracked": np.array(7, dtype=np.int64),
        "mask": np.array([True, False]),
        "file": np.zeros(1),  # names np.savez would take as its own keyword arguments
        "allow_pickle": np.ones(1),
    }


def leftovers(directory, keep):
    return sorted(name for name in os.listdir(directory) if name not in keep)


def test_round_trip_keeps_keys_order_values_and_dtypes(tmp_path):
    state = sample_state()
    path = tmp_path / "model.npz"
    nn.save(state, path)
    loaded = nn.load(path)
    assert list(loaded) == list(state)
    for key, array in state.items():
        assert loaded[key].dtype == array.dtype and loaded[key].shape == array.shape
        np.testing.assert_array_equal(loaded[key], array)
    assert leftovers(tmp_path, {"model.npz"}) == []


def test_paths_are_written_exactly(tmp_path):
    nn.save({"a": np.ones(2)}, str(tmp_path / "weights.bin"))  # no ".npz" appended
    assert os.listdir(tmp_path) == ["weights.bin"]
    np.testing.assert_array_equal(nn.load(tmp_path / "weights.bin")["a"], 1)
    np.testing.assert_array_equal(np.load(tmp_path / "weights.bin")["a"], 1)  # a real .npz
    nn.save({}, pathlib.Path(tmp_path) / "empty.npz")
    assert nn.load(str(tmp_path / "empty.npz")) == {}


def test_model_round_trip(tmp_path):
    source = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
    source(ag.randn(5, 3))
    nn.save(source.state_dict(), tmp_path / "net.npz")
    target = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
    target.load_state_dict(nn.load(tmp_path / "net.npz"))
    x = ag.randn(2, 3)
    np.testing.assert_array_equal(source.eval()(x).data, target.eval()(x).data)


def test_tensors_are_converted(tmp_path):
    nn.save({"w": ag.tensor([1.0, 2.0], requires_grad=True)}, tmp_path / "t.npz")
    loaded = nn.load(tmp_path / "t.npz")["w"]
    assert isinstance(loaded, np.ndarray)
    np.testing.assert_array_equal(loaded, [1, 2])


def test_overwrite_replaces_the_file(tmp_path):
    path = tmp_path / "m.npz"
    nn.save({"a": np.zeros(2)}, path)
    nn.save({"b": np.ones(3)}, path)
    assert list(nn.load(path)) == ["b"]
    assert leftovers(tmp_path, {"m.npz"}) == []


def test_failure_mid_write_keeps_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    nn.save({"old": np.arange(3.0)}, path)
    before = path.read_bytes()
    write_array = np.lib.format.write_array
    calls = []

    def failing_write_array(file, array, *args, **kwargs):
        calls.append(array.shape)
        if len(calls) == 2:  # the first array is already in the temporary file
            file.write(b"partial bytes")
            raise OSError("disk full")
        return write_array(file, array, *args, **kwargs)

    monkeypatch.setattr(np.lib.format, "write_array", failing_write_array)
    with pytest.raises(OSError, match="disk full"):
        nn.save({"new": np.ones(4), "second": np.ones(5)}, path)
    assert len(calls) == 2
    assert path.read_bytes() == before
    assert leftovers(tmp_path, {"model.npz"}) == []
    monkeypatch.undo()
    np.testing.assert_array_equal(nn.load(path)["old"], np.arange(3.0))


@pytest.mark.parametrize("stage", ["fsync", "replace"])
def test_failure_at_the_last_steps_keeps_the_previous_file(tmp_path, monkeypatch, stage):
    path = tmp_path / "model.npz"
    nn.save({"old": np.arange(3.0)}, path)
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise KeyboardInterrupt  # not even an Exception: the temporary file must still go

    monkeypatch.setattr(os, stage, fail)
    with pytest.raises(KeyboardInterrupt):
        nn.save({"new": np.ones(4)}, path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert leftovers(tmp_path, {"model.npz"}) == []


def test_failure_without_a_previous_file_leaves_nothing(tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError("no space")

    monkeypatch.setattr(np.lib.format, "write_array", fail)
    with pytest.raises(OSError, match="no space"):
        nn.save({"a": np.ones(1)}, tmp_path / "new.npz")
    assert os.listdir(tmp_path) == []


def test_save_rejects_bad_values_before_writing(tmp_path):
    path = tmp_path / "m.npz"
    with pytest.raises(TypeError, match="the value of 'layer.w' is a list"):
        nn.save({"ok": np.ones(1), "layer.w": [1.0, 2.0]}, path)
    with pytest.raises(TypeError, match="'obj' has dtype object; only numeric arrays"):
        nn.save({"obj": np.array([{}, 1], dtype=object)}, path)
    with pytest.raises(TypeError, match="pass a state dict"):
        nn.save(nn.Linear(2, 2), path)
    with pytest.raises(TypeError, match="keys must be non-empty strings"):
        nn.save({3: np.ones(1)}, path)
    with pytest.raises(TypeError, match="expected a mapping"):
        nn.save([np.ones(1)], path)
    assert os.listdir(tmp_path) == []
    with pytest.raises(FileNotFoundError, match="directory does not exist"):
        nn.save({"a": np.ones(1)}, tmp_path / "missing" / "m.npz")


def test_load_missing_file_names_it(tmp_path):
    path = tmp_path / "nowhere.npz"
    with pytest.raises(FileNotFoundError, match="nowhere.npz"):
        nn.load(path)


def test_load_refuses_pickled_content(tmp_path):
    path = tmp_path / "evil.npz"
    with zipfile.ZipFile(path, "w") as archive:
        with archive.open("weights.npy", "w") as member:
            np.save(member, np.array([1.0, 2.0]))
        with archive.open("payload.npy", "w") as member:
            np.save(member, np.array([{"code": "x"}, None], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError, match=r"evil.npz' contains pickled content.*refused"):
        nn.load(path)


def test_load_truncated_file(tmp_path):
    path = tmp_path / "cut.npz"
    nn.save(sample_state(), path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"cut.npz' is truncated or corrupt"):
        nn.load(path)


def test_load_corrupt_member(tmp_path):
    path = tmp_path / "flipped.npz"
    nn.save({"a": np.arange(100.0)}, path)
    data = bytearray(path.read_bytes())
    data[200] ^= 0xFF  # inside the array's bytes: the zip's CRC no longer matches
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="flipped.npz"):
        nn.load(path)


@pytest.mark.parametrize("content, reason", [
    (b"", "it is empty"),
    (b"hello, not a zip", "it does not start with the zip signature"),
])
def test_load_foreign_files(tmp_path, content, reason):
    path = tmp_path / "other.npz"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=f"other.npz' is not an .npz archive \\({reason}\\)"):
        nn.load(path)


def test_load_rejects_a_plain_npy_and_non_array_members(tmp_path):
    npy = tmp_path / "single.npy"
    np.save(npy, np.ones(2))
    with pytest.raises(ValueError, match="not an .npz archive"):
        nn.load(npy)
    text = tmp_path / "notes.npz"
    with zipfile.ZipFile(text, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ValueError, match="entry 'readme.txt' that is not a numeric .npy array"):
        nn.load(text)


@pytest.mark.parametrize("path", [b"model.npz", "", None, 3])
def test_paths_must_be_str_or_pathlike(tmp_path, path):
    with pytest.raises(TypeError, match="path must be a non-empty str or pathlib.Path"):
        nn.save({"a": np.ones(1)}, path)
    with pytest.raises(TypeError, match="path must be a non-empty str or pathlib.Path"):
        nn.load(path)
