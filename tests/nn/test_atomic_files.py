"""Tests of nn/_atomic_files.py through nn.save: saves killed mid-write (SIGKILL, SIGTERM) leave
temporaries that the next save into the folder removes, while temporaries of live writers and
every other file stay; target names up to NAME_MAX (255 bytes) still save."""

import fcntl
import os
import pathlib
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

import nn
from nn import _atomic_files

REPOSITORY = pathlib.Path(nn.__file__).resolve().parent.parent

# A writer that saves 2 MiB over and over until told to stop; its pid is in every array value.
WRITER = """
import os, sys
import numpy as np
import nn
target, stop = sys.argv[1], sys.argv[2]
state = {"weights": np.full(1 << 18, float(os.getpid())), "pid": os.getpid()}
while not os.path.exists(stop):
    nn.save(state, target)
"""


def start_writer(target, stop):
    return subprocess.Popen([sys.executable, "-c", WRITER, str(target), str(stop)],
                            cwd=REPOSITORY, stderr=subprocess.PIPE)


def temporaries(directory):
    return sorted(name for name in os.listdir(directory) if name.endswith(".tmp"))


def temporary_of(directory, target_name, pid):
    prefix = f".{target_name}.nnsave.{pid}."
    return [name for name in temporaries(directory) if name.startswith(prefix)]


def wait_for_temporary(directory, target_name, writer, timeout=30.0):
    """Wait until `writer` is in the middle of a save (its temporary exists)."""
    deadline = time.monotonic() + timeout
    while not temporary_of(directory, target_name, writer.pid):
        assert writer.poll() is None, writer.stderr.read().decode()
        assert time.monotonic() < deadline, "the writer never started a save"
        time.sleep(0.001)


def kill(writer, signal_number):
    os.kill(writer.pid, signal_number)
    assert writer.wait(timeout=30) == -signal_number  # also reaps it: its pid is free now


def dead_pid():
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    return finished.pid


def test_saves_killed_mid_write_are_cleaned_by_the_next_save(tmp_path):
    target, stop = tmp_path / "model.npz", tmp_path / "stop"
    started = []

    def start():
        started.append(start_writer(target, stop))
        return started[-1]

    try:
        # Two writers save at once all along; each kill hits the older one mid-save.
        writers = [start(), start()]
        for signal_number in [signal.SIGKILL, signal.SIGTERM] * 3:
            victim = writers.pop(0)
            wait_for_temporary(tmp_path, target.name, victim)
            kill(victim, signal_number)
            writers.append(start())
        for writer in writers:
            wait_for_temporary(tmp_path, target.name, writer)
        stop.touch()
        for writer in writers:  # a writer whose temporary had been removed would have failed
            assert writer.wait(timeout=60) == 0, writer.stderr.read().decode()
        # One last writer killed with its temporary in place, so that one is surely left.
        for _ in range(5):
            stop.unlink()
            victim = start()
            wait_for_temporary(tmp_path, target.name, victim)
            kill(victim, signal.SIGKILL)
            stop.touch()
            if temporary_of(tmp_path, target.name, victim.pid):
                break
        assert temporary_of(tmp_path, target.name, victim.pid)
    finally:
        for writer in started:
            if writer.poll() is None:
                writer.kill()
                writer.wait()
            writer.stderr.close()
    nn.save({"weights": np.zeros(3), "pid": 0}, target)
    assert sorted(os.listdir(tmp_path)) == ["model.npz", "stop"]
    np.testing.assert_array_equal(nn.load(target)["weights"], np.zeros(3))


def test_only_stale_temporaries_of_the_same_target_are_removed(tmp_path):
    gone, alive = dead_pid(), os.getpid()
    stale = f".model.npz.nnsave.{gone}.{'a' * 12}.tmp"
    kept = [
        f".model.npz.nnsave.{alive}.{'b' * 12}.tmp",  # a live writer (this process)
        f".other.npz.nnsave.{gone}.{'c' * 12}.tmp",  # another target's
        ".model.npz.nnsave.x1.aaaaaaaaaaaa.tmp", ".model.npz.tmp", "model.npz.bak", "notes.txt",
    ]
    for name in [stale, *kept]:
        (tmp_path / name).write_bytes(b"partial")
    directory_like = f".model.npz.nnsave.{gone}.{'d' * 12}.tmp"
    (tmp_path / directory_like).mkdir()
    link_like = f".model.npz.nnsave.{gone}.{'e' * 12}.tmp"
    (tmp_path / link_like).symlink_to(tmp_path / "notes.txt")
    nn.save({"a": np.ones(1)}, tmp_path / "model.npz")
    assert sorted(os.listdir(tmp_path)) == sorted(
        ["model.npz", *kept, directory_like, link_like]
    )
    assert (tmp_path / "notes.txt").read_bytes() == b"partial"


def test_a_locked_temporary_is_kept_even_if_its_pid_is_gone(tmp_path):
    # A writer on another machine sharing the folder: its pid means nothing here, its lock does.
    name = f".model.npz.nnsave.{dead_pid()}.{'a' * 12}.tmp"
    with open(tmp_path / name, "wb") as other_writer:
        fcntl.flock(other_writer.fileno(), fcntl.LOCK_EX)
        nn.save({"a": np.ones(1)}, tmp_path / "model.npz")
        assert name in os.listdir(tmp_path)
    nn.save({"a": np.ones(1)}, tmp_path / "model.npz")  # the lock went with the file's closing
    assert os.listdir(tmp_path) == ["model.npz"]


@pytest.mark.parametrize("length", [200, 238, 250, 255])
def test_names_up_to_name_max_save_and_clean_up(tmp_path, length):
    name = "m" * (length - len(".npz")) + ".npz"
    stem = _atomic_files.temporary_stem(str(tmp_path), name)
    assert (stem == f".{name}.nnsave") == (length <= 255 - 36), stem  # longer ones are hashed
    stale = f"{stem}.{dead_pid()}.{'a' * 12}.tmp"
    other_stem = _atomic_files.temporary_stem(str(tmp_path), "n" + name[1:])
    other = f"{other_stem}.{dead_pid()}.{'a' * 12}.tmp"
    (tmp_path / stale).write_bytes(b"partial")
    (tmp_path / other).write_bytes(b"partial")
    assert len(stale.encode()) <= 255
    nn.save({"a": np.arange(3)}, tmp_path / name)
    np.testing.assert_array_equal(nn.load(tmp_path / name)["a"], np.arange(3))
    assert sorted(os.listdir(tmp_path)) == sorted([name, other])


def test_multibyte_and_too_long_names(tmp_path):
    name = "é" * 125 + ".npz"  # 254 bytes in UTF-8, 129 characters
    nn.save({"a": np.ones(2)}, tmp_path / name)
    assert os.listdir(tmp_path) == [name]
    with pytest.raises(OSError, match="File name too long"):
        nn.save({"a": np.ones(2)}, tmp_path / ("m" * 256))
    assert os.listdir(tmp_path) == [name]
