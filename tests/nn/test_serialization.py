"""Tests of nn/serialization.py: round trips of state dicts and whole checkpoints (a training
run resumes exactly), exact paths, atomic writes (a failure mid-write leaves the previous file
and no temporary), archives from earlier versions and other tools, and refusal of pickled,
truncated, compressed or foreign files. Hostile archives: test_npz_reading.py; temporaries
left by killed saves and long names: test_atomic_files.py."""

import os
import pathlib
import zipfile
from collections import OrderedDict

import numpy as np
import pytest

import autograd_core as ag
import nn
import optim
from tests.checkpoints import assert_same, sample_checkpoint


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
    with pytest.raises(TypeError, match=r"the value of obj\['layer'\]\['w'\]\[1\] is a set"):
        nn.save({"ok": np.ones(1), "layer": {"w": [1.0, {2.0}]}}, path)
    with pytest.raises(TypeError, match=r"obj\['obj'\] has dtype object; only numeric arrays"):
        nn.save({"obj": np.array([{}, 1], dtype=object)}, path)
    with pytest.raises(TypeError, match=r"obj\['s'\] has dtype <U2; only numeric arrays"):
        nn.save({"s": np.array(["ab"])}, path)
    with pytest.raises(TypeError, match="pass a state dict"):
        nn.save(nn.Linear(2, 2), path)
    with pytest.raises(TypeError, match=r"obj\['net'\] is a Linear; save its state_dict\(\)"):
        nn.save({"net": nn.Linear(2, 2)}, path)
    with pytest.raises(TypeError, match=r"keys must be str or int, got 3.5 in obj\['a'\]"):
        nn.save({"a": {3.5: np.ones(1)}}, path)
    with pytest.raises(TypeError, match="keys must be str or int, got True"):
        nn.save({True: np.ones(1)}, path)
    with pytest.raises(TypeError, match=r"value of obj\['z'\] is a complex"):
        nn.save({"z": 1j}, path)
    with pytest.raises(TypeError, match="expected a state dict or a dict of them"):
        nn.save([np.ones(1)], path)
    looped = {"a": 1}
    looped["self"] = looped
    with pytest.raises(ValueError, match="nested more than 64 levels deep"):
        nn.save(looped, path)
    assert os.listdir(tmp_path) == []
    with pytest.raises(FileNotFoundError, match="directory does not exist"):
        nn.save({"a": np.ones(1)}, tmp_path / "missing" / "m.npz")
    with pytest.raises(IsADirectoryError, match="the path is a folder"):
        nn.save({"a": np.ones(1)}, tmp_path)


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


# -- checkpoints: nested structures ----------------------------------------------------------
def test_checkpoint_round_trip_keeps_structure_types_and_dtypes(tmp_path):
    checkpoint = sample_checkpoint()
    checkpoint["extras"] = {
        "scalars": [np.float64(0.25), np.bool_(True), np.int8(-3), np.complex64(1 - 2j)],
        "numbers": (2**100, -0.0, float("inf"), 1e-300, True, None),
        "text": "naïve ✓",
        "empty": {"dict": {}, "list": [], "tuple": ()},
        "tensor": ag.tensor([[1.0, 2.0]], requires_grad=True),
        "fortran": np.asfortranarray(np.arange(6.0).reshape(2, 3)),
        "big_endian": np.arange(3, dtype=">i4"),
        "no_rows": np.zeros((0, 4), dtype=np.uint16),
    }
    path = tmp_path / "ckpt.npz"
    nn.save(checkpoint, path)
    loaded = nn.load(path)
    expected = dict(checkpoint, extras=dict(checkpoint["extras"], tensor=np.array([[1.0, 2.0]])))
    assert_same(loaded, expected)
    assert type(loaded) is OrderedDict and type(loaded["model"]) is OrderedDict
    assert loaded["extras"]["fortran"].flags.f_contiguous
    assert leftovers(tmp_path, {"ckpt.npz"}) == []


def test_member_names_follow_the_keys(tmp_path):
    path = tmp_path / "ckpt.npz"
    nn.save({"0.weight": np.ones(2), "optimizer": {"state": {0: {"exp_avg": np.zeros(2)}}}}, path)
    with np.load(path) as archive:  # other tools see the arrays by name
        np.testing.assert_array_equal(archive["0.weight"], 1)
        np.testing.assert_array_equal(archive["optimizer/state/0/exp_avg"], 0)


def test_keys_that_clash_as_member_names_still_round_trip(tmp_path):
    state = {
        "a/b": np.array([1]), "a": {"b": np.array([2])}, "nul\x00key": np.array([3]),
        "lone\ud800surrogate": np.array([4]), "": np.array([5]), 0: np.array([6]),
        "0": np.array([7]), "~3.npy": np.array([8]), "x" * 300: np.array([9]),
    }
    nn.save(state, tmp_path / "keys.npz")
    assert_same(nn.load(tmp_path / "keys.npz"), state)


@pytest.mark.parametrize("make_optimizer", [
    lambda parameters: optim.SGD(parameters, lr=0.1, momentum=0.9, nesterov=True),
    lambda parameters: optim.Adam(parameters, lr=0.01, betas=(0.8, 0.99), amsgrad=True),
], ids=["sgd_momentum", "adam"])
def test_a_saved_training_run_resumes_exactly(tmp_path, rng, make_optimizer):
    x, y = ag.tensor(rng.normal(size=(8, 3))), ag.tensor(rng.normal(size=(8, 2)))

    def train(model, optimizer, steps):
        for _ in range(steps):
            optimizer.zero_grad()
            nn.MSELoss()(model(x), y).backward()
            optimizer.step()

    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    optimizer = make_optimizer(model.parameters())
    train(model, optimizer, 3)
    nn.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": 3},
            tmp_path / "ckpt.npz")
    train(model, optimizer, 2)

    checkpoint = nn.load(tmp_path / "ckpt.npz")
    resumed = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    resumed.load_state_dict(checkpoint["model"])
    resumed_optimizer = make_optimizer(resumed.parameters())
    resumed_optimizer.load_state_dict(checkpoint["optimizer"])
    assert checkpoint["epoch"] == 3
    train(resumed, resumed_optimizer, 2)
    assert_same(resumed.state_dict(), model.state_dict())
    assert_same(resumed_optimizer.state_dict(), optimizer.state_dict())


def test_a_failed_model_load_from_a_checkpoint_changes_nothing(tmp_path):
    source = nn.Linear(3, 2)
    nn.save({"model": source.state_dict()}, tmp_path / "ckpt.npz")
    target = nn.Linear(3, 4)
    before = target.state_dict()
    with pytest.raises(ValueError, match="nothing was changed"):
        target.load_state_dict(nn.load(tmp_path / "ckpt.npz")["model"])
    assert_same(target.state_dict(), before)


# -- archives from before checkpoints, and from other tools -----------------------------------
def test_flat_archives_written_by_the_earlier_nn_save_load_as_before(tmp_path):
    state = sample_state()
    path = tmp_path / "old.npz"
    with zipfile.ZipFile(path, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for key, array in state.items():  # exactly what nn.save wrote before checkpoints
            with archive.open(key + ".npy", mode="w", force_zip64=True) as member:
                np.lib.format.write_array(member, array, allow_pickle=False)
    loaded = nn.load(path)
    assert type(loaded) is OrderedDict
    assert_same(loaded, state)
    np.savez(tmp_path / "numpy.npz", a=np.arange(3), b=np.eye(2, dtype=np.float32))
    assert_same(nn.load(tmp_path / "numpy.npz"),
                {"a": np.arange(3), "b": np.eye(2, dtype=np.float32)})


def test_compressed_archives_are_refused_without_inflating(tmp_path):
    path = tmp_path / "small.npz"
    np.savez_compressed(path, zeros=np.zeros(10_000_000))  # 80 MB that deflate to ~80 KB
    assert path.stat().st_size < 1_000_000
    with pytest.raises(ValueError, match=r"small.npz' member 'zeros.npy' is compressed"):
        nn.load(path)


def test_load_of_a_folder_or_a_pipe_says_what_it_is(tmp_path):
    with pytest.raises(ValueError, match=f"'{tmp_path}' is a folder, not a file"):
        nn.load(tmp_path)
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.npz")
        with pytest.raises(ValueError, match="pipe.npz' is not a regular file"):
            nn.load(tmp_path / "pipe.npz")
