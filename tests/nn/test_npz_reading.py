"""Tests of nn/_npz_reading.py through nn.load: broken and hostile archives raise ValueError
naming the file and what is wrong, never anything else and never a silently different result.
A fuzz test flips every byte and cuts the file at every length; hand-made archives lie about
sizes, shapes, names and dtypes with valid CRCs, as an attacker would."""

import json
import os
import re
import struct
import warnings
import zipfile
from unittest import mock

import numpy as np
import pytest

import nn
from tests.checkpoints import assert_same, sample_checkpoint

LEGACY = {"weight": np.arange(6.0).reshape(2, 3), "bias": np.ones(2)}


def legacy_archive(path, zip64=False):
    """A flat archive as nn.save wrote it before checkpoints: weight.npy, bias.npy. With zip64,
    as zipfile writes one over 4 GiB or 65535 members: zip64 sizes, offsets and end records."""
    limits = (100, 1) if zip64 else (zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT)
    with mock.patch.multiple(zipfile, ZIP64_LIMIT=limits[0], ZIP_FILECOUNT_LIMIT=limits[1]), \
            zipfile.ZipFile(path, mode="w") as archive:
        for key, array in LEGACY.items():
            with archive.open(key + ".npy", mode="w", force_zip64=True) as member:
                np.lib.format.write_array(member, array)


def damaged_versions(path, data):
    """Make `path` each damaged version of `data` in turn: cut at every length, every byte
    flipped with three bit patterns. In place, as rewriting a file is slow on some disks."""
    path.write_bytes(data)
    descriptor = os.open(path, os.O_RDWR)
    try:
        for length in range(len(data)):
            os.ftruncate(descriptor, length)
            yield f"cut at {length}"
            os.pwrite(descriptor, data[length:], length)
        for pattern in (0xFF, 0x01, 0x80):
            for position in range(len(data)):
                os.pwrite(descriptor, bytes([data[position] ^ pattern]), position)
                yield f"byte {position} ^ {pattern:#x}"
                os.pwrite(descriptor, data[position:position + 1], position)
    finally:
        os.close(descriptor)


def test_zip64_archives_load(tmp_path):
    path = tmp_path / "zip64.npz"
    legacy_archive(path, zip64=True)
    assert_same(nn.load(path), LEGACY)
    # The end record may also leave every field to the zip64 one, as for a 4 GiB archive.
    data = bytearray(path.read_bytes())
    end = data.rindex(b"PK\x05\x06")
    struct.pack_into("<4H2L", data, end + 4, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 2**32 - 1, 2**32 - 1)
    path.write_bytes(bytes(data))
    assert_same(nn.load(path), LEGACY)
    struct.pack_into("<H", data, end + 8, 3)  # now the two records disagree
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="zip64.npz' is corrupt \\(its two end records disagree"):
        nn.load(path)


@pytest.mark.parametrize("kind", ["checkpoint", "legacy", "zip64"])
def test_every_flipped_byte_and_every_cut_is_refused_or_harmless(tmp_path, kind):
    original = tmp_path / "original.npz"
    if kind == "checkpoint":
        nn.save(sample_checkpoint(), original)
    else:
        legacy_archive(original, zip64=kind == "zip64")
    data = original.read_bytes()
    expected = nn.load(original)
    path = tmp_path / "damaged.npz"
    cases = loaded_equal = 0
    for case in damaged_versions(path, data):
        try:
            result = nn.load(path)
        except ValueError as error:
            assert str(error).startswith(f"nn.load: '{path}' "), f"{case}: {error}"
        else:  # e.g. a changed timestamp: then it must load exactly the same
            assert_same(result, expected, where=case)
            loaded_equal += 1
        cases += 1
    assert cases == 4 * len(data)
    assert 0 < loaded_equal < cases // 4, loaded_equal


# -- hand-made hostile archives (their CRCs are right: only what they declare is wrong) -------
def write_zip(path, members):
    """A stored zip of (name, bytes) members; duplicate names are allowed on purpose."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile's "Duplicate name"
        with zipfile.ZipFile(path, mode="w") as archive:
            for name, content in members:
                archive.writestr(name, content)


def npy(header, data=b""):
    """An .npy member with the given header dict text, padded as NumPy pads it."""
    text = header.encode("latin1")
    text += b" " * (-(10 + len(text) + 1) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text + data


def npy_of(array):
    return npy(f"{{'descr': {np.lib.format.dtype_to_descr(array.dtype)!r}, 'fortran_order': "
               f"False, 'shape': {array.shape}, }}", array.tobytes())


def structure(tree):
    return json.dumps({"format": "autograd-core nn.save", "version": 1, "tree": tree})


def refused(tmp_path, members, match):
    path = tmp_path / "hostile.npz"
    write_zip(path, members)
    with pytest.raises(ValueError, match=f"nn.load: '{re.escape(str(path))}' {match}"):
        nn.load(path)


@pytest.mark.parametrize("shape, problem", [
    ("(1099511627776,)", r"its header declares shape \(1099511627776,\) of float64, "
                         r"8796093022208 bytes, but it holds 8"),
    ("(4611686018427387904, 4611686018427387904)", r"its header declares shape \(46"),
    ("(2**40,)", "its .npy header is not readable"),  # not a literal
    ("(1 << 62, 1 << 62)", "its .npy header is not readable"),
    ("(1,) * 65", "its .npy header is not readable"),
    (str((1,) * 65), r"its .npy shape \(1, 1, .*\) is not valid"),
    ("(-1, 0)", r"its .npy shape \(-1, 0\) is not valid"),
    ("(True,)", r"its .npy shape \(True,\) is not valid"),
])
def test_huge_or_impossible_declared_shapes_are_refused_before_allocating(tmp_path, shape,
                                                                          problem):
    header = f"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}"
    refused(tmp_path, [("w.npy", npy(header, b"\x00" * 8))],
            rf"member 'w.npy' is corrupt \({problem}")


@pytest.mark.parametrize("array, match", [
    (np.array([{"code": 1}], dtype=object),
     r"contains pickled content \(object arrays, in member 'x.npy'\); it is refused"),
    (np.zeros(2, dtype="V8"), r"member 'x.npy' has dtype \|V8, which nn.load does not read"),
    (np.zeros(2, dtype=[("a", "<f8")]), "member 'x.npy' has a structured dtype"),
    (np.zeros(2, dtype="M8[s]"), r"member 'x.npy' has dtype datetime64\[s\]"),
    (np.array(["abc"]), "member 'x.npy' has dtype <U3"),
    (np.array([b"abc"]), r"member 'x.npy' has dtype \|S3"),
])
def test_dtypes_that_are_not_plain_numbers_are_refused(tmp_path, array, match):
    path = tmp_path / "dtype.npz"
    with zipfile.ZipFile(path, mode="w") as archive:
        with archive.open("x.npy", mode="w") as member:
            np.lib.format.write_array(member, array, allow_pickle=True)
    with pytest.raises(ValueError, match=f"'{re.escape(str(path))}' {match}"):
        nn.load(path)


def test_headers_and_bytes_that_lie_are_refused(tmp_path):
    refused(tmp_path, [("w.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
                                     b"\x00" * 24))],
            r"member 'w.npy' is corrupt \(its header declares shape \(2,\) of float64, 16 bytes, "
            r"but it holds 24\)")
    refused(tmp_path, [("w.npy", npy("{'descr': '<f8', 'shape': (1,), }", b"\x00" * 8))],
            r"member 'w.npy' is corrupt \(its .npy header is not readable\)")
    refused(tmp_path, [("w.npy", npy("__import__('os').system('true')", b""))],
            r"member 'w.npy' is corrupt \(its .npy header is not readable\)")
    refused(tmp_path, [("w.npy", npy("{'descr': '<q9', 'fortran_order': False, 'shape': (), }"))],
            "member 'w.npy' has an unknown dtype '<q9'")
    refused(tmp_path, [("b.npy", npy_of(np.array([1, 2], dtype=np.uint8)).replace(
        b"'|u1'", b"'|b1'"))], "member 'b.npy' holds booleans that are neither 0 nor 1")
    long_header = b"\x93NUMPY\x01\x00" + struct.pack("<H", 60000) + b" " * 60000
    refused(tmp_path, [("w.npy", long_header)],
            r"member 'w.npy' is corrupt \(its .npy header is too long\)")
    refused(tmp_path, [("w.npy", b"\x93NUMPY\x03\x00" + b"\x00" * 60)],
            r"member 'w.npy' has an unsupported .npy version b'\\x03\\x00'")


def test_members_and_structures_that_disagree_are_refused(tmp_path):
    weight = npy_of(np.ones(2))
    refused(tmp_path, [("a.npy", weight), ("a.npy", weight)], "holds member 'a.npy' twice")
    refused(tmp_path, [("__structure__.json", structure({"dict": [["a", {"array": "a.npy"}]]}))],
            "its structure refers to a member 'a.npy' that it does not hold")
    refused(tmp_path, [("__structure__.json", structure({"dict": []})), ("bias.npy", weight)],
            r"holds members its structure does not mention: \['bias.npy'\]")
    refused(tmp_path, [("__structure__.json", structure(
        {"dict": [["a", {"array": "a.npy"}], ["b", {"array": "a.npy"}]]})), ("a.npy", weight)],
        "its structure refers to member 'a.npy' twice")
    refused(tmp_path, [("__structure__.json", structure({"dict": [["a", {"scalar": "a.npy"}]]})),
                       ("a.npy", weight)],
            r"member 'a.npy' should hold a scalar, but has shape \(2,\)")
    refused(tmp_path, [("__structure__.json", structure({"dict": [["a", 1], ["a", 2]]}))],
            "its structure repeats the dict key 'a'")
    refused(tmp_path, [("__structure__.json", structure({"dict": [[True, 1]]}))],
            "its structure holds a dict key that is not str or int: True")
    refused(tmp_path, [("__structure__.json", structure({"dict": [["a", {"set": [1]}]]}))],
            "its structure holds an entry nn.save does not write")
    refused(tmp_path, [("__structure__.json", structure({"dict": [["a", [1, 2]]]}))],
            "its structure holds an entry nn.save does not write")
    deep = {"dict": [["a", json.loads("[" * 70 + "]" * 70)]]}
    refused(tmp_path, [("__structure__.json", structure(deep))],
            "its structure holds an entry nn.save does not write")
    nested = {"list": []}
    for _ in range(70):
        nested = {"list": [nested]}
    refused(tmp_path, [("__structure__.json", structure({"dict": [["a", nested]]}))],
            "its structure is nested more than 64 levels deep")
    refused(tmp_path, [("__structure__.json", "[" * 100_000)],
            "member '__structure__.json' is not valid JSON")
    refused(tmp_path, [("__structure__.json", b"\xff\xfe")],
            "member '__structure__.json' is not valid JSON")
    refused(tmp_path, [("__structure__.json", '{"tree": 1, "tree": 2}')],
            "member '__structure__.json' is not valid JSON")
    refused(tmp_path, [("__structure__.json", json.dumps({"format": "x", "tree": {}}))],
            "member '__structure__.json' is not an nn.save structure")
    refused(tmp_path, [("__structure__.json", json.dumps(
        {"format": "autograd-core nn.save", "version": 2, "tree": {"dict": []}}))],
        "was written in format version 2; this nn.load reads version 1")
    refused(tmp_path, [("__structure__.json", structure({"list": []}))],
            "member '__structure__.json' does not describe a dict")
    refused(tmp_path, [("notes.txt", b"hi")], "holds an entry 'notes.txt' that is not a numeric")


def patched(path, changes):
    """Rewrite `path` with struct-packed values at the given offsets: [(offset, fmt, value)]."""
    data = bytearray(path.read_bytes())
    for offset, fmt, value in changes:
        struct.pack_into(fmt, data, offset, value)
    path.write_bytes(bytes(data))


def layout(path):
    """Offsets of the central directory entries, local headers and end record of `path`."""
    data = path.read_bytes()
    end = data.rindex(b"PK\x05\x06")
    directory_offset = struct.unpack_from("<L", data, end + 16)[0]
    entries, position = [], directory_offset
    while position < end:
        name_length, extra_length, comment_length = struct.unpack_from("<3H", data, position + 28)
        local = struct.unpack_from("<L", data, position + 42)[0]
        entries.append((position, local))
        position += 46 + name_length + extra_length + comment_length
    return entries, end


def test_directory_fields_that_lie_are_refused(tmp_path):
    path = tmp_path / "hostile.npz"

    def check(changes, match):
        legacy_archive(path)
        entries, end = layout(path)
        patched(path, changes(entries, end))
        with pytest.raises(ValueError, match=f"'{re.escape(str(path))}' .*{match}"):
            nn.load(path)

    # The end record drops the last entry ("bias") by shrinking the directory consistently:
    # zipfile would read "weight" alone, without a word.
    check(lambda entries, end: [(end + 8, "<H", 1), (end + 10, "<H", 1),
                                (end + 12, "<L", entries[1][0] - entries[0][0])],
          "its central directory does not end where the end-of-archive record says")
    check(lambda entries, end: [(end + 8, "<H", 9000), (end + 10, "<H", 9000)],
          "cannot hold the 9000 entries it declares")
    # A 2 GiB member declared in a file of a few hundred bytes, in both headers.
    check(lambda entries, end: [(entries[0][0] + 20, "<L", 2**31), (entries[0][0] + 24, "<L",
                                                                      2**31)],
          "member 'weight.npy' is corrupt \\(its local header disagrees")
    check(lambda entries, end: [(entries[0][0] + 8, "<H", 1), (entries[0][1] + 6, "<H", 1)],
          "member 'weight.npy' is encrypted")
    check(lambda entries, end: [(entries[1][0] + 42, "<L", entries[0][1])],
          "member 'bias.npy' is corrupt \\(its local header names it b'weight.npy'\\)")


def test_a_stored_member_larger_than_the_file_is_refused(tmp_path):
    path = tmp_path / "bomb.npz"
    legacy_archive(path)
    entries, end = layout(path)
    local = entries[1][1]  # bias.npy's sizes live in the zip64 extra of both headers
    data = path.read_bytes()
    local_extra = local + 30 + len("bias.npy")
    assert struct.unpack_from("<H", data, local_extra)[0] == 1
    huge = 2 * 2**30
    patched(path, [(local_extra + 4, "<Q", huge), (local_extra + 12, "<Q", huge),
                   (entries[1][0] + 20, "<L", 0xFFFFFFFF), (entries[1][0] + 24, "<L", 0xFFFFFFFF),
                   (entries[1][0] + 30, "<H", 20)])
    # The central directory entry now needs a zip64 extra of its own: splice one in.
    data = bytearray(path.read_bytes())
    name_end = entries[1][0] + 46 + len("bias.npy")
    data[name_end:name_end] = struct.pack("<HHQQ", 1, 16, huge, huge)
    struct.pack_into("<L", data, end + 20 + 12, struct.unpack_from("<L", data, end + 20 + 12)[0]
                     + 20)
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="member 'bias.npy' is corrupt \\(it runs into the "
                                         "central directory\\)"):
        nn.load(path)


def test_overlapping_members_are_refused(tmp_path):
    path = tmp_path / "overlap.npz"
    inner = tmp_path / "inner.zip"
    write_zip(inner, [("b.npy", npy_of(np.ones(2)))])
    inner_member = inner.read_bytes()[:inner.read_bytes().index(b"PK\x01\x02")]
    write_zip(path, [("a.npy", inner_member), ("b.npy", npy_of(np.ones(2)))])
    entries, end = layout(path)
    # b's directory entry now points at the copy of its local header inside a's bytes.
    patched(path, [(entries[1][0] + 42, "<L", entries[0][1] + 30 + len("a.npy"))])
    with pytest.raises(ValueError, match="members 'a.npy' and 'b.npy' overlap"):
        nn.load(path)
