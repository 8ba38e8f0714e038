"""Tests for nn/datasets/text.py: the bundled makemore names and tiny Shakespeare (offline)."""

from __future__ import annotations

import builtins
import gzip
import hashlib
import io
import string
from pathlib import Path

import pytest

import nn.datasets
from nn.datasets import load_names, load_tinyshakespeare

DATA_DIR = Path(nn.datasets.__file__).parent / "data"


def test_names_size_order_and_alphabet():
    names = load_names()
    assert isinstance(names, list) and len(names) == 32_033
    assert names[:3] == ["emma", "olivia", "ava"] and names[-1] == "zzyzx"
    assert set("".join(names)) == set(string.ascii_lowercase)
    assert min(map(len, names)) == 2 and max(map(len, names)) == 15
    assert len(set(names)) == 29_494  # the file keeps its duplicates


def test_tinyshakespeare_size_ends_and_characters():
    text = load_tinyshakespeare()
    assert isinstance(text, str) and len(text) == 1_115_394
    assert text.startswith("First Citizen:\nBefore we proceed any further, hear me speak.")
    assert text.endswith("Whiles thou art waking.\n")
    chars = set(text)
    assert len(chars) == 65
    assert chars == set(string.ascii_letters) | set("\n !$&',-.3:;?")


def test_bundled_files_are_the_recorded_originals():
    # The sha256 sums are those recorded in nn/datasets/data/README.md.
    names = (DATA_DIR / "names.txt").read_bytes()
    text = gzip.decompress((DATA_DIR / "tinyshakespeare.txt.gz").read_bytes())
    assert hashlib.sha256(names).hexdigest() == (
        "0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d"
    )
    assert hashlib.sha256(text).hexdigest() == (
        "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"
    )
    assert "MIT License" in (DATA_DIR / "names.LICENSE").read_text()
    readme = (DATA_DIR / "README.md").read_text()
    for fact in (
        "names.txt",
        "makemore",
        "MIT",
        "tinyshakespeare.txt.gz",
        "char-rnn",
        "public domain",
    ):
        assert fact in readme, fact


def test_loaders_read_only_from_the_package(monkeypatch):
    # Any open() of a path outside nn/datasets/data (a shared data folder, the working
    # directory) fails the test; the loaders must still return the full data.
    real_open = builtins.open
    real_io_open = io.open
    opened = []

    def guarded(opener):
        def open_inside_package(file, *args, **kwargs):
            path = Path(file).resolve() if isinstance(file, (str, Path)) else None
            if path is not None and DATA_DIR.resolve() not in path.parents:
                raise AssertionError(f"loader opened {path}, outside {DATA_DIR}")
            opened.append(path)
            return opener(file, *args, **kwargs)

        return open_inside_package

    monkeypatch.setattr(builtins, "open", guarded(real_open))
    monkeypatch.setattr(io, "open", guarded(real_io_open))
    assert len(load_names()) == 32_033
    assert len(load_tinyshakespeare()) == 1_115_394
    assert {p.name for p in opened if p is not None} >= {"names.txt", "tinyshakespeare.txt.gz"}


def test_package_data_covers_the_bundled_files():
    pyproject = (Path(__file__).parents[2] / "pyproject.toml").read_text()
    tomllib = pytest.importorskip("tomllib")
    patterns = tomllib.loads(pyproject)["tool"]["setuptools"]["package-data"]["nn.datasets"]
    for name in ("names.txt", "names.LICENSE", "tinyshakespeare.txt.gz", "digits.npz"):
        assert any(Path("data", name).match(p) for p in patterns), (name, patterns)
