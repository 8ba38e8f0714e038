"""Saving and loading state dicts as `.npz` archives: numeric arrays only, never pickle, and
written atomically (a crash mid-save leaves any previous file intact)."""

import errno
import os
import secrets
import stat
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Mapping

import numpy as np

from autograd_core.tensor import Tensor

_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")  # a zip with members; an empty zip


def save(state_dict, path):
    """Write a mapping name -> array (or Tensor) to `path` as an .npz archive, atomically.

    >>> nn.save(model.state_dict(), "model.npz")
    >>> model.load_state_dict(nn.load("model.npz"))

    Exactly `path` is written (no ".npz" is appended). The archive goes to a temporary file in
    the same directory, is flushed to disk, then renamed over `path` in one step; on any error
    the temporary file is removed and an earlier file at `path` is untouched.
    """
    arrays = _checked_arrays(state_dict)
    name = _path(path, "nn.save")
    directory = os.path.dirname(os.path.abspath(name))
    if not os.path.isdir(directory):
        raise FileNotFoundError(errno.ENOENT, "nn.save: the directory does not exist", directory)
    temporary = os.path.join(directory, f".{os.path.basename(name)}.{secrets.token_hex(6)}.tmp")
    # os.open with O_EXCL (rather than mkstemp) so the new file gets the usual permissions
    # (0o666 minus the umask) instead of mkstemp's owner-only 0o600.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as file:
            _write_npz(file, arrays)
            file.flush()
            os.fsync(file.fileno())
        if os.path.exists(name):
            os.chmod(temporary, stat.S_IMODE(os.stat(name).st_mode))
        os.replace(temporary, name)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    _fsync_directory(directory)


def _path(path, where):
    name = os.fspath(path) if isinstance(path, (str, os.PathLike)) else None
    if not isinstance(name, str) or not name:
        raise TypeError(f"{where}: path must be a non-empty str or pathlib.Path, got {path!r}")
    return name


def _checked_arrays(state_dict):
    if hasattr(state_dict, "state_dict") and callable(state_dict.state_dict):
        raise TypeError("nn.save: pass a state dict (model.state_dict()), not the model itself")
    if not isinstance(state_dict, Mapping):
        raise TypeError(
            f"nn.save: expected a mapping name -> array, got {type(state_dict).__name__}"
        )
    arrays = OrderedDict()
    for key, value in state_dict.items():
        if not isinstance(key, str) or not key:
            raise TypeError(f"nn.save: keys must be non-empty strings, got {key!r}")
        if isinstance(value, Tensor):
            array = value.data
        elif isinstance(value, (np.ndarray, np.generic)):
            array = np.asarray(value)
        else:
            raise TypeError(
                f"nn.save: the value of '{key}' is a {type(value).__name__}; only NumPy arrays "
                "and Tensors can be saved"
            )
        if array.dtype.kind not in "biufc":
            raise TypeError(
                f"nn.save: the value of '{key}' has dtype {array.dtype}; only numeric arrays "
                "can be saved (object arrays would need pickle)"
            )
        arrays[key] = array
    return arrays


def _write_npz(file, arrays):
    # What np.savez does, minus its keyword arguments: np.savez(file, **arrays) would reject or
    # swallow keys named "file" or "allow_pickle". Members are name + ".npy", as np.load expects.
    with zipfile.ZipFile(file, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for key, array in arrays.items():
            with archive.open(key + ".npy", mode="w", force_zip64=True) as member:
                np.lib.format.write_array(member, array, allow_pickle=False)


def _fsync_directory(directory):
    # Make the rename itself durable; not possible (nor needed) on every platform.
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def load(path):
    """Read an .npz archive written by `nn.save` into a dict name -> np.ndarray.

    >>> state = nn.load("model.npz")
    >>> model.load_state_dict(state)

    Pickled content is refused (it could run arbitrary code). Raises FileNotFoundError for a
    missing file and ValueError, naming the file, for a truncated or corrupt one.
    """
    name = _path(path, "nn.load")
    try:
        with open(name, "rb") as file:
            head = file.read(4)
    except FileNotFoundError:
        raise FileNotFoundError(errno.ENOENT, "nn.load: no such file", name) from None
    if head not in _ZIP_SIGNATURES:
        what = "it is empty" if not head else "it does not start with the zip signature"
        raise ValueError(f"nn.load: '{name}' is not an .npz archive ({what})")
    try:
        with np.load(name, allow_pickle=False) as archive:
            state = OrderedDict((key, archive[key]) for key in archive.files)
    except ValueError as error:
        if "pickle" in str(error).lower():
            raise ValueError(
                f"nn.load: '{name}' contains pickled content (object arrays); it is refused, "
                "because unpickling can run arbitrary code"
            ) from None
        raise ValueError(f"nn.load: '{name}' is corrupt: {error}") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError) as error:
        raise ValueError(
            f"nn.load: '{name}' is truncated or corrupt ({type(error).__name__}: {error})"
        ) from None
    for key, value in state.items():
        if not isinstance(value, np.ndarray) or value.dtype.kind not in "biufc":
            raise ValueError(
                f"nn.load: '{name}' holds an entry '{key}' that is not a numeric .npy array"
            )
    return state
