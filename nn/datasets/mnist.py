"""Readers and a writer for the IDX format used by MNIST, plus ``load_mnist``.

MNIST itself is not shipped; ``load_mnist`` reads the four standard files from a
directory the user provides.

An IDX file starts with a 4-byte magic number: two zero bytes, a dtype code and
the number of dimensions. Then come the dimensions as big-endian uint32 values,
then the data in C order, big-endian.
"""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path

import numpy as np

__all__ = ["load_mnist", "read_idx", "write_idx"]

# IDX dtype code -> big-endian NumPy dtype.
_CODE_TO_DTYPE: dict[int, np.dtype] = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_KIND_TO_CODE = {dt.newbyteorder("=").str[1:]: code for code, dt in _CODE_TO_DTYPE.items()}

_MNIST_PREFIX = {"train": "train", "test": "t10k"}
_GZIP_MAGIC = b"\x1f\x8b"


def _read_bytes(path: Path) -> bytes:
    raw = path.read_bytes()
    # Decide on decompression from the content, so a misnamed file still works.
    if raw[:2] != _GZIP_MAGIC:
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        raise ValueError(f"{path}: cannot decompress gzip data ({exc})") from exc


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an IDX file (plain or gzip-compressed) into a native-endian NumPy array.

    Supported dtype codes: 0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int,
    0x0D float, 0x0E double. Raises ``ValueError`` naming the file for a bad
    magic number, an unknown dtype code, or a truncated or oversized payload.

    Example:
        >>> write_idx("/tmp/a.idx", np.arange(6, dtype=np.uint8).reshape(2, 3))
        >>> read_idx("/tmp/a.idx").shape
        (2, 3)
    """
    path = Path(path)
    raw = _read_bytes(path)
    if len(raw) < 4:
        raise ValueError(f"{path}: truncated IDX header, file holds only {len(raw)} bytes")
    if raw[0] != 0 or raw[1] != 0:
        magic = int.from_bytes(raw[:4], "big")
        raise ValueError(
            f"{path}: bad IDX magic number 0x{magic:08X}; expected two zero bytes, "
            "a dtype code and the number of dimensions (e.g. 0x00000803)"
        )
    code, ndim = raw[2], raw[3]
    if code not in _CODE_TO_DTYPE:
        known = ", ".join(f"0x{c:02X}" for c in _CODE_TO_DTYPE)
        raise ValueError(f"{path}: unknown IDX dtype code 0x{code:02X} (known: {known})")
    header_len = 4 + 4 * ndim
    if len(raw) < header_len:
        raise ValueError(
            f"{path}: truncated IDX header, expected {header_len} bytes for {ndim} "
            f"dimensions but the file holds {len(raw)}"
        )
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    dtype = _CODE_TO_DTYPE[code]
    count = 1
    for d in shape:
        count *= d
    expected = count * dtype.itemsize
    actual = len(raw) - header_len
    if actual != expected:
        what = "truncated" if actual < expected else "oversized"
        raise ValueError(
            f"{path}: {what} IDX data, shape {shape} of {dtype.name} needs {expected} "
            f"bytes but the file holds {actual} after the header"
        )
    data = np.frombuffer(raw, dtype=dtype, count=count, offset=header_len)
    return data.reshape(shape).astype(dtype.newbyteorder("="))


def write_idx(path: str | os.PathLike, array: np.ndarray) -> None:
    """Write ``array`` to ``path`` in IDX format, gzip-compressed if the name ends in ``.gz``.

    The dtype must be one IDX can hold: uint8, int8, int16, int32, float32 or
    float64 (cast other dtypes first). Arrays need at least one dimension.

    Example:
        >>> write_idx("/tmp/labels-idx1-ubyte.gz", np.array([3, 1, 4], dtype=np.uint8))
        >>> read_idx("/tmp/labels-idx1-ubyte.gz").tolist()
        [3, 1, 4]
    """
    path = Path(path)
    array = np.asarray(array)
    key = array.dtype.newbyteorder("=").str[1:]
    if key not in _KIND_TO_CODE:
        raise ValueError(
            f"cannot write dtype {array.dtype} to {path}: IDX supports uint8, int8, "
            "int16, int32, float32 and float64"
        )
    if not 1 <= array.ndim <= 255:
        raise ValueError(f"cannot write a {array.ndim}-d array to {path}: IDX needs 1..255 dims")
    if any(d >= 2**32 for d in array.shape):
        raise ValueError(f"cannot write shape {array.shape} to {path}: dims must fit in uint32")
    code = _KIND_TO_CODE[key]
    header = bytes([0, 0, code, array.ndim])
    header += b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    payload = header + np.ascontiguousarray(array, dtype=_CODE_TO_DTYPE[code]).tobytes()
    if path.name.endswith(".gz"):
        # mtime=0 keeps the output byte-for-byte reproducible.
        payload = gzip.compress(payload, mtime=0)
    path.write_bytes(payload)


def _find_file(root: Path, name: str) -> Path:
    for candidate in (root / name, root / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"MNIST file not found in {root}: looked for '{name}' and '{name}.gz'")


def load_mnist(root: str | os.PathLike, kind: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """Load MNIST (or a drop-in such as Fashion-MNIST) from the IDX files in ``root``.

    ``kind="train"`` reads ``train-images-idx3-ubyte`` and ``train-labels-idx1-ubyte``;
    ``kind="test"`` reads the ``t10k-`` pair. Each may also be gzipped (``.gz``).
    Returns ``images`` uint8 of shape (N, rows, cols) as given by the header, and
    ``labels`` int64 of shape (N,). A missing file raises ``FileNotFoundError``;
    a malformed file or an image/label count mismatch raises ``ValueError``.

    Example:
        >>> images, labels = load_mnist("~/data/mnist", kind="test")
        >>> images.shape, labels.dtype
        ((10000, 28, 28), dtype('int64'))
    """
    if kind not in _MNIST_PREFIX:
        raise ValueError(f"kind must be 'train' or 'test', got {kind!r}")
    root = Path(root).expanduser()
    prefix = _MNIST_PREFIX[kind]
    image_path = _find_file(root, f"{prefix}-images-idx3-ubyte")
    label_path = _find_file(root, f"{prefix}-labels-idx1-ubyte")
    images = read_idx(image_path)
    labels = read_idx(label_path)
    if images.dtype != np.uint8 or images.ndim != 3:
        raise ValueError(
            f"{image_path}: expected a 3-d uint8 image array, got {images.ndim}-d {images.dtype}"
        )
    if labels.dtype != np.uint8 or labels.ndim != 1:
        raise ValueError(
            f"{label_path}: expected a 1-d uint8 label array, got {labels.ndim}-d {labels.dtype}"
        )
    if images.shape[0] != labels.shape[0]:
        raise ValueError(
            f"image/label count mismatch: {image_path} holds {images.shape[0]} images "
            f"but {label_path} holds {labels.shape[0]} labels"
        )
    return images, labels.astype(np.int64)
