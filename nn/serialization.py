"""Saving and loading state dicts and whole training checkpoints as `.npz` archives: numeric
arrays and plain Python values only, never pickle, written atomically (a crash mid-save leaves
any previous file intact), read without trusting a byte of the file.

An archive holds one .npy member per array and a member "__structure__.json" that describes
the saved object as a tree: dicts (with their key order and str or int keys), lists, tuples,
Python numbers, strings and None, with each array standing for a member by name. A top-level
array `key` is the member "key.npy", so np.load sees a state dict's arrays by their names.
Archives written before the structure member existed (a flat name -> array .npz) still load.
"""

import errno
import json
import os
import stat
import zipfile
from collections import OrderedDict
from collections.abc import Mapping

import numpy as np

import autograd_core as ag

from ._atomic_files import write_atomically
from ._npz_reading import Malformed, array_layout, read_array, read_directory, read_member

_STRUCTURE = "__structure__.json"
_FORMAT = "autograd-core nn.save"
_VERSION = 1
_MAX_DEPTH = 64  # far more than a checkpoint needs; stops a dict that contains itself
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")  # a zip with members; an empty zip
_NUMERIC_KINDS = ag.dtypes.NUMERIC_KINDS + "c"  # a checkpoint may hold complex arrays too


def save(obj, path):
    """Write a state dict, or a checkpoint of several, to `path` as an .npz archive, atomically.

    >>> nn.save(model.state_dict(), "model.npz")
    >>> nn.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 3}, path)

    `obj` is a dict whose values are arrays, Tensors (saved as their arrays), NumPy scalars,
    int, float, bool, str, None, or dicts, lists and tuples of these; dict keys are str or int.
    Exactly `path` is written (no ".npz" is appended). The archive goes to a temporary file in
    the same directory, is flushed to disk, then renamed over `path` in one step; on any error
    the temporary file is removed and an earlier file at `path` is untouched. Temporaries that
    an earlier save killed mid-write left behind are removed first.
    """
    if hasattr(obj, "state_dict") and callable(obj.state_dict):
        raise TypeError("nn.save: pass a state dict (model.state_dict()), not the model itself")
    if not isinstance(obj, Mapping):
        raise TypeError(
            "nn.save: expected a state dict or a dict of them (a checkpoint), "
            f"got {type(obj).__name__}"
        )
    arrays = OrderedDict()
    tree = _encode(obj, (), arrays)
    document = json.dumps({"format": _FORMAT, "version": _VERSION, "tree": tree})
    name = _path(path, "nn.save")
    write_atomically(name, lambda file: _write_npz(file, document, arrays))


def _path(path, where):
    name = os.fspath(path) if isinstance(path, (str, os.PathLike)) else None
    if not isinstance(name, str) or not name:
        raise TypeError(f"{where}: path must be a non-empty str or pathlib.Path, got {path!r}")
    return name


def _where(path):
    return "obj" + "".join(f"[{part!r}]" for part in path)


def _encode(value, path, arrays):
    """The JSON node for `value` at `path`; its arrays are added to `arrays` (member -> array).

    A node is a JSON number, string, true/false or null for itself, or an object with a single
    tag: {"array": member}, {"scalar": member} (a NumPy scalar), {"list": [node, ...]},
    {"tuple": [node, ...]} or {"dict": [[key, node], ...]}.
    """
    if len(path) > _MAX_DEPTH:
        raise ValueError(
            f"nn.save: {_where(path[:3])}... is nested more than {_MAX_DEPTH} levels deep "
            "(does it contain itself?)"
        )
    if isinstance(value, ag.Tensor):
        value = value.data
    if isinstance(value, (np.ndarray, np.generic)):
        return _encode_array(value, path, arrays)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Mapping):
        return {"dict": [[_checked_key(key, path), _encode(item, (*path, key), arrays)]
                         for key, item in value.items()]}
    if isinstance(value, (list, tuple)):
        tag = "tuple" if isinstance(value, tuple) else "list"
        return {tag: [_encode(item, (*path, index), arrays) for index, item in enumerate(value)]}
    hint = "; save its state_dict() instead" if hasattr(value, "state_dict") else ""
    raise TypeError(
        f"nn.save: the value of {_where(path)} is a {type(value).__name__}{hint}; nn.save "
        "stores arrays, Tensors, int, float, bool, str, None, and dicts, lists and tuples of them"
    )


def _checked_key(key, path):
    if isinstance(key, bool) or not isinstance(key, (str, int)):
        raise TypeError(f"nn.save: keys must be str or int, got {key!r} in {_where(path)}")
    return key


def _encode_array(value, path, arrays):
    array = np.asarray(value)
    if array.dtype.kind not in _NUMERIC_KINDS:
        raise TypeError(
            f"nn.save: {_where(path)} has dtype {array.dtype}; only numeric arrays can be saved "
            "(object arrays would need pickle)"
        )
    member = _member_name(path, arrays)
    arrays[member] = array
    return {"scalar" if isinstance(value, np.generic) else "array": member}


def _member_name(path, arrays):
    """A member name for the array at `path`: its keys joined by "/", unless that is taken or
    unfit for a zip (a NUL would cut it short), in which case a numbered one."""
    name = "/".join(str(part) for part in path) + ".npy"
    counter = len(arrays)
    while name in arrays or not _fits_zip(name):
        name = f"~{counter}.npy"
        counter += 1
    return name


def _fits_zip(name):
    try:
        encoded = name.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    # ZipInfo cuts a name at a NUL and turns os.sep into "/"; 255 bytes suit every unzip tool.
    return len(encoded) <= 255 and zipfile.ZipInfo(name).filename == name


def _write_npz(file, document, arrays):
    # What np.savez does, minus its keyword arguments: np.savez(file, **arrays) would reject or
    # swallow keys named "file" or "allow_pickle". Members are name + ".npy", as np.load expects.
    with zipfile.ZipFile(file, mode="w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(_STRUCTURE, document.encode("ascii"))
        for member, array in arrays.items():
            with archive.open(member, mode="w", force_zip64=True) as output:
                np.lib.format.write_array(output, array, allow_pickle=False)


def load(path):
    """Read an archive written by `nn.save`: the same dicts, lists, tuples and values, with
    np.ndarray (same dtype and shape) for arrays and Tensors.

    >>> model.load_state_dict(nn.load("model.npz"))
    >>> checkpoint = nn.load("ckpt.npz"); optimizer.load_state_dict(checkpoint["optimizer"])

    Dicts come back as OrderedDicts in the saved order. Nothing in the file is trusted: a
    missing file raises FileNotFoundError, and any malformed or hostile one (truncated,
    corrupt, a folder, pickled content, sizes it cannot hold) raises ValueError naming the file
    and what is wrong, before anything large is allocated.
    """
    name = _path(path, "nn.load")
    try:
        with _open_regular_file(name) as file:
            return _read_archive(file)
    except Malformed as problem:
        raise ValueError(f"nn.load: '{name}' {problem}") from None


def _open_regular_file(name):
    # O_NONBLOCK so that a named pipe cannot hang the open; it changes nothing for files.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(name, flags)
    except FileNotFoundError:
        raise FileNotFoundError(errno.ENOENT, "nn.load: no such file", name) from None
    except OSError:
        if os.path.isdir(name):  # Windows cannot open a folder at all
            raise Malformed("is a folder, not a file") from None
        raise
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise Malformed(
            "is a folder, not a file" if stat.S_ISDIR(mode)
            else "is not a regular file (a device, pipe or socket)"
        )
    return os.fdopen(descriptor, "rb")


def _read_archive(file):
    size = os.fstat(file.fileno()).st_size
    head = file.read(4)
    if head not in _ZIP_SIGNATURES:
        what = "it is empty" if not head else "it does not start with the zip signature"
        raise Malformed(f"is not an .npz archive ({what})")
    members = read_directory(file, size)
    if _STRUCTURE in members:
        tree = _read_structure(file, members.pop(_STRUCTURE))
    else:  # written before checkpoints: a flat name -> array archive, as np.savez writes
        for member in members:
            if not member.endswith(".npy"):
                raise Malformed(f"holds an entry {member!r} that is not a numeric .npy array")
        tree = {"dict": [[member[:-len(".npy")], {"array": member}] for member in members]}
    kinds = {}
    _decode(tree, lambda member, kind: _claim(member, kind, members, kinds))
    unclaimed = [member for member in members if member not in kinds]
    if unclaimed:
        raise Malformed(f"holds members its structure does not mention: {unclaimed}")
    # Every header and size is checked before the first array is allocated.
    layouts = {member: array_layout(file, members[member]) for member in kinds}
    for member, kind in kinds.items():
        if kind == "scalar" and layouts[member].shape != ():
            raise Malformed(f"member {member!r} should hold a scalar, but has shape "
                            f"{layouts[member].shape}")
    arrays = {member: read_array(file, layout) for member, layout in layouts.items()}
    return _decode(tree, lambda member, kind: arrays[member][()] if kind == "scalar"
                   else arrays[member])


def _read_structure(file, member):
    try:
        document = json.loads(read_member(file, member).decode("utf-8"),
                              object_pairs_hook=_unique_keys)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError included
        raise Malformed(f"member {_STRUCTURE!r} is not valid JSON") from None
    if not isinstance(document, dict) or document.get("format") != _FORMAT:
        raise Malformed(f"member {_STRUCTURE!r} is not an nn.save structure")
    version = document.get("version")
    if version != _VERSION:
        raise Malformed(f"was written in format version {version!r}; this nn.load reads "
                        f"version {_VERSION}")
    tree = document.get("tree")
    if not (isinstance(tree, dict) and set(tree) == {"dict"}):
        raise Malformed(f"member {_STRUCTURE!r} does not describe a dict")
    return tree


def _unique_keys(pairs):
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("a JSON object repeats a key")
    return result


def _claim(member, kind, members, kinds):
    """Record that the structure uses `member` as an array of `kind`, after checking it may."""
    if not isinstance(member, str) or member not in members:
        raise Malformed(f"its structure refers to a member {member!r} that it does not hold")
    if member in kinds:
        raise Malformed(f"its structure refers to member {member!r} twice")
    kinds[member] = kind


def _decode(node, array_of, depth=0):
    """The value a JSON node of `_encode` stands for; `array_of(member, kind)` gives arrays."""
    if depth > _MAX_DEPTH:
        raise Malformed(f"its structure is nested more than {_MAX_DEPTH} levels deep")
    if node is None or isinstance(node, (bool, int, float, str)):
        return node
    if isinstance(node, dict) and len(node) == 1:
        (tag, body), = node.items()
        if tag in ("array", "scalar"):
            return array_of(body, tag)
        if tag in ("list", "tuple") and isinstance(body, list):
            items = [_decode(item, array_of, depth + 1) for item in body]
            return items if tag == "list" else tuple(items)
        if tag == "dict" and isinstance(body, list):
            return _decode_dict(body, array_of, depth)
    raise Malformed(f"its structure holds an entry nn.save does not write: {str(node)[:80]}")


def _decode_dict(items, array_of, depth):
    result = OrderedDict()
    for item in items:
        if not (isinstance(item, list) and len(item) == 2):
            raise Malformed(f"its structure holds a damaged dict entry: {str(item)[:80]}")
        key, node = item
        if isinstance(key, bool) or not isinstance(key, (str, int)):
            raise Malformed(f"its structure holds a dict key that is not str or int: {key!r}")
        if key in result:
            raise Malformed(f"its structure repeats the dict key {key!r}")
        result[key] = _decode(node, array_of, depth + 1)
    return result
