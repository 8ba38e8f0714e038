"""Reading the members of an .npz archive while trusting none of its bytes.

zipfile and np.load assume an honest archive: a corrupted size field can make them drop a
member silently, a declared shape can make them allocate terabytes, and their errors range
from NotImplementedError to MemoryError. Here every field is checked against the others and
against the size of the file before anything is allocated:

- the end record, the central directory and each local header must agree exactly, and the
  directory must end where the end record says (so no entry can go missing unnoticed);
- members are stored, not compressed (nn.save and np.savez write them so), hence each one is
  no larger than the bytes it occupies, members may not overlap, and all the arrays together
  never take more memory than the file has bytes: a zip bomb has nothing to inflate;
- every member's CRC-32 is verified, which catches any corruption of up to 32 bits in it.

Problems raise `Malformed`, whose message is a predicate ("is truncated ...") that nn.load
completes with the file name.
"""

import ast
import math
import os
import struct
import zlib
from collections import OrderedDict, namedtuple

import numpy as np

import autograd_core as ag


class Malformed(Exception):
    """What is wrong with an archive; nn.load turns it into a ValueError naming the file."""


# The start of a member's bytes in the file, its size (stored: the same before and after
# "compression"), its CRC-32, and where its local header begins.
Member = namedtuple("Member", ["name", "start", "size", "crc", "header_offset"])

# How an .npy member lays out its array: its data follows the bytes of `header`.
Layout = namedtuple("Layout", ["member", "header", "dtype", "shape", "fortran_order"])

_END = struct.Struct("<4s4H2LH")  # end of central directory record
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_END = struct.Struct("<4sQ2H2L4Q")
_CENTRAL = struct.Struct("<4s6H3L5H2L")  # central directory entry
_LOCAL = struct.Struct("<4s5H3L2H")  # local file header
_SATURATED16, _SATURATED32 = 0xFFFF, 0xFFFFFFFF  # "the real value is in the zip64 record"
_ENCRYPTED, _DATA_DESCRIPTOR, _UTF8_NAME = 0x1, 0x8, 0x800

_NPY_MAGIC = b"\x93NUMPY"
_NPY_MAX_HEADER = 10000  # numpy's own limit on what it will literal_eval
_NUMERIC_KINDS = ag.dtypes.NUMERIC_KINDS + "c"  # a checkpoint may hold complex arrays too
_MAX_DIMENSIONS = 64  # NumPy 2's limit
_CHUNK = 1 << 24  # read arrays in 16 MiB pieces so that no read is over the OS's limit


def read_at(file, offset, length, what):
    """Exactly `length` bytes of `file` from `offset`, or Malformed saying what was cut off."""
    # Checked first: seeking past what the file system allows raises a bare OSError.
    if offset + length > os.fstat(file.fileno()).st_size:
        raise Malformed(f"is truncated or corrupt ({what} is cut off)")
    file.seek(offset)
    data = file.read(length)
    if len(data) != length:
        raise Malformed(f"is truncated or corrupt ({what} is cut off)")
    return data


def read_directory(file, size):
    """OrderedDict name -> Member of the archive in `file` (`size` bytes), in directory order."""
    end, count, directory_size, directory_offset = _end_record(file, size)
    if count * _CENTRAL.size > directory_size:
        raise Malformed(
            f"is truncated or corrupt (its central directory of {directory_size} bytes "
            f"cannot hold the {count} entries it declares)"
        )
    directory = read_at(file, directory_offset, directory_size, "the central directory")
    members = OrderedDict()
    position = 0
    for _ in range(count):
        member, position = _directory_entry(file, directory, position, directory_offset)
        if member.name in members:
            raise Malformed(f"holds member {member.name!r} twice")
        members[member.name] = member
    if position != directory_size:
        raise Malformed(
            f"is truncated or corrupt (its central directory has {directory_size - position} "
            f"bytes after the {count} entries it declares)"
        )
    _check_disjoint(members.values())
    return members


def _end_record(file, size):
    """(where the central directory must end, entry count, its size, its offset)."""
    tail_start = max(0, size - _END.size - 0xFFFF)  # the record, then a comment of <= 64 KiB
    tail = read_at(file, tail_start, size - tail_start, "the end of the archive")
    position = tail.rfind(b"PK\x05\x06")
    while position >= 0:
        if len(tail) - position >= _END.size:
            fields = _END.unpack_from(tail, position)
            if position + _END.size + fields[-1] == len(tail):
                return _directory_bounds(file, tail_start + position, fields[1:-1])
        position = tail.rfind(b"PK\x05\x06", 0, position)
    raise Malformed("is truncated or corrupt (it has no end-of-archive record)")


def _directory_bounds(file, end, fields):
    disk, directory_disk, count_here, count, directory_size, directory_offset = fields
    if directory_offset + directory_size != end:
        # Not where a plain archive's directory would end: zip64 records come first.
        end, fields = _zip64_end_record(file, end, fields)
        disk, directory_disk, count_here, count, directory_size, directory_offset = fields
    if disk != 0 or directory_disk != 0 or count_here != count:
        raise Malformed("is corrupt (it claims to span several disks)")
    if directory_offset + directory_size != end:
        raise Malformed("is corrupt (its zip64 end record is damaged)")
    return end, count, directory_size, directory_offset


def _zip64_end_record(file, end, plain):
    misplaced = Malformed("is truncated or corrupt (its central directory does not end where "
                          "the end-of-archive record says)")
    if end < _ZIP64_LOCATOR.size:
        raise misplaced
    signature, _, record_offset, _ = _ZIP64_LOCATOR.unpack(
        read_at(file, end - _ZIP64_LOCATOR.size, _ZIP64_LOCATOR.size, "the zip64 locator")
    )
    if signature != b"PK\x06\x07":
        raise misplaced
    if record_offset + _ZIP64_END.size > end - _ZIP64_LOCATOR.size:
        raise Malformed("is corrupt (its zip64 end record is out of place)")
    record = read_at(file, record_offset, _ZIP64_END.size, "the zip64 end record")
    signature, record_size, _, _, *fields = _ZIP64_END.unpack(record)
    if signature != b"PK\x06\x06" or record_offset + 12 + record_size != end - _ZIP64_LOCATOR.size:
        raise Malformed("is corrupt (its zip64 end record is damaged)")
    limits = (_SATURATED16,) * 4 + (_SATURATED32,) * 2
    for value, short, limit in zip(fields, plain, limits):
        if short != limit and short != value:
            raise Malformed("is corrupt (its two end records disagree)")
    return record_offset, fields


def _directory_entry(file, directory, position, directory_offset):
    """The Member described at `position` of the central directory, and where the next begins."""
    if position + _CENTRAL.size > len(directory):
        raise Malformed("is truncated or corrupt (its central directory is cut short)")
    (signature, _, _, flags, method, _, _, crc, packed, size, name_length, extra_length,
     comment_length, disk, _, _, header_offset) = _CENTRAL.unpack_from(directory, position)
    if signature != b"PK\x01\x02":
        raise Malformed("is corrupt (an entry of its central directory is damaged)")
    name_start = position + _CENTRAL.size
    extra_start = name_start + name_length
    following = extra_start + extra_length + comment_length
    if following > len(directory):
        raise Malformed("is truncated or corrupt (its central directory is cut short)")
    raw_name = directory[name_start:extra_start]
    name = _decoded_name(raw_name, flags)
    saturated = [value == _SATURATED32 for value in (size, packed, header_offset)]
    wide = iter(_zip64_values(directory[extra_start:extra_start + extra_length], sum(saturated),
                              name))
    size, packed, header_offset = (
        next(wide) if is_saturated else value
        for value, is_saturated in zip((size, packed, header_offset), saturated)
    )
    if disk not in (0, _SATURATED16):
        raise Malformed(f"member {name!r} claims to be on another disk")
    if flags & _ENCRYPTED:
        raise Malformed(f"member {name!r} is encrypted")
    if method != 0:
        raise Malformed(
            f"member {name!r} is compressed (zip method {method}); nn.load reads uncompressed "
            "archives only, as nn.save and np.savez write them (load it with np.load and "
            "save it again with nn.save)"
        )
    if packed != size:
        raise Malformed(f"member {name!r} is corrupt (its two sizes disagree)")
    start = _check_local_header(file, header_offset, raw_name, name, flags, crc, size)
    if start + size > directory_offset:
        raise Malformed(f"member {name!r} is corrupt (it runs into the central directory)")
    return Member(name, start, size, crc, header_offset), following


def _decoded_name(raw_name, flags):
    try:
        return raw_name.decode("utf-8" if flags & _UTF8_NAME else "cp437")
    except UnicodeDecodeError:
        raise Malformed(f"is corrupt (the member name {raw_name!r} is not valid UTF-8)") from None


def _zip64_values(extra, wanted, name):
    """The first `wanted` 8-byte values of the zip64 field among `extra`'s fields."""
    position = 0
    found = b""
    while position < len(extra):
        if position + 4 > len(extra):
            raise Malformed(f"member {name!r} has a damaged extra field")
        tag, length = struct.unpack_from("<HH", extra, position)
        body = extra[position + 4:position + 4 + length]
        if len(body) != length:
            raise Malformed(f"member {name!r} has a damaged extra field")
        if tag == 1:
            found = body
        position += 4 + length
    if len(found) < 8 * wanted:
        raise Malformed(f"member {name!r} lacks the zip64 sizes its header calls for")
    return struct.unpack_from(f"<{wanted}Q", found)


def _check_local_header(file, offset, raw_name, name, flags, crc, size):
    """Where the member's bytes begin, after checking its local header against the directory."""
    header = read_at(file, offset, _LOCAL.size, f"the local header of member {name!r}")
    (signature, _, local_flags, method, _, _, local_crc, local_packed, local_size,
     name_length, extra_length) = _LOCAL.unpack(header)
    if signature != b"PK\x03\x04":
        raise Malformed(f"member {name!r} is corrupt (its local header is missing or damaged)")
    tail = read_at(file, offset + _LOCAL.size, name_length + extra_length,
                   f"the local header of member {name!r}")
    if tail[:name_length] != raw_name:
        raise Malformed(
            f"member {name!r} is corrupt (its local header names it {tail[:name_length]!r})"
        )
    if local_flags != flags or method != 0:
        raise Malformed(f"member {name!r} is corrupt (its local header disagrees with the "
                        "central directory)")
    if not flags & _DATA_DESCRIPTOR:  # otherwise the local header leaves these fields zero
        if _SATURATED32 in (local_packed, local_size):
            local_size, local_packed = _zip64_values(tail[name_length:], 2, name)
        if (local_crc, local_packed, local_size) != (crc, size, size):
            raise Malformed(f"member {name!r} is corrupt (its local header disagrees with the "
                            "central directory)")
    return offset + _LOCAL.size + name_length + extra_length


def _check_disjoint(members):
    """Refuse members that share bytes: stored data read twice would break the size bound."""
    previous = None
    for member in sorted(members, key=lambda member: member.header_offset):
        if previous is not None and previous.start + previous.size > member.header_offset:
            raise Malformed(f"members {previous.name!r} and {member.name!r} overlap")
        previous = member


def read_member(file, member):
    """The bytes of `member`, after checking its CRC-32."""
    data = read_at(file, member.start, member.size, f"member {member.name!r}")
    _check_crc(member, zlib.crc32(data))
    return data


def _check_crc(member, crc):
    if crc != member.crc:
        raise Malformed(f"member {member.name!r} is corrupt (CRC mismatch)")


def array_layout(file, member):
    """The Layout of the .npy array in `member`, checked against the member's size."""
    prelude = read_at(file, member.start, min(member.size, 12), f"member {member.name!r}")
    if not prelude.startswith(_NPY_MAGIC) or len(prelude) < 10:
        raise Malformed(f"holds an entry {member.name!r} that is not a numeric .npy array")
    version = prelude[6:8]
    if version == b"\x01\x00":
        text_start = 10
        header_size = text_start + struct.unpack_from("<H", prelude, 8)[0]
    elif version == b"\x02\x00" and len(prelude) == 12:
        text_start = 12
        header_size = text_start + struct.unpack_from("<L", prelude, 8)[0]
    else:
        raise Malformed(f"member {member.name!r} has an unsupported .npy version {version!r}")
    if header_size > min(member.size, 12 + _NPY_MAX_HEADER):
        raise Malformed(f"member {member.name!r} is corrupt (its .npy header is too long)")
    header = read_at(file, member.start, header_size, f"member {member.name!r}")
    dtype, shape, fortran_order = _parse_npy_header(header[text_start:], member.name)
    data_size = math.prod(shape) * dtype.itemsize
    if header_size + data_size != member.size:
        raise Malformed(
            f"member {member.name!r} is corrupt (its header declares shape {shape} of "
            f"{dtype}, {data_size} bytes, but it holds {member.size - header_size})"
        )
    return Layout(member, header, dtype, shape, fortran_order)


def _parse_npy_header(text, name):
    """(dtype, shape, fortran_order) from the dict literal of an .npy header."""
    try:
        header = ast.literal_eval(text.decode("latin1"))
    # Python's parser reports too deep a nesting as MemoryError or RecursionError; the text is
    # at most _NPY_MAX_HEADER bytes, so these cannot mean that memory is really short.
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        header = None
    if not isinstance(header, dict) or set(header) != {"descr", "fortran_order", "shape"}:
        raise Malformed(f"member {name!r} is corrupt (its .npy header is not readable)")
    shape, fortran_order, descr = header["shape"], header["fortran_order"], header["descr"]
    if not (isinstance(shape, tuple) and len(shape) <= _MAX_DIMENSIONS
            and all(type(extent) is int and extent >= 0 for extent in shape)):
        raise Malformed(f"member {name!r} is corrupt (its .npy shape {shape!r} is not valid)")
    if not isinstance(fortran_order, bool):
        raise Malformed(f"member {name!r} is corrupt (its .npy header is not readable)")
    dtype = _dtype(descr, name)
    return dtype, shape, fortran_order


def _dtype(descr, name):
    if not isinstance(descr, str):  # a list or tuple describes a structured or sub-array dtype
        raise Malformed(f"member {name!r} has a structured dtype, which nn.load does not read "
                        "(only bool, integer, float and complex arrays)")
    try:
        dtype = np.dtype(descr)
    except (TypeError, ValueError):
        raise Malformed(f"member {name!r} has an unknown dtype {descr!r}") from None
    if dtype.hasobject:
        raise Malformed(
            f"contains pickled content (object arrays, in member {name!r}); it is refused, "
            "because unpickling can run arbitrary code"
        )
    if dtype.kind not in _NUMERIC_KINDS or dtype.shape or dtype.names is not None:
        raise Malformed(f"member {name!r} has dtype {dtype}, which nn.load does not read "
                        "(only bool, integer, float and complex arrays)")
    return dtype


def read_array(file, layout):
    """The array of `layout`, read straight into its own memory and CRC-checked."""
    member = layout.member
    data_size = member.size - len(layout.header)
    raw = np.empty(data_size, dtype=np.uint8)
    file.seek(member.start + len(layout.header))
    view = memoryview(raw)
    crc = zlib.crc32(layout.header)
    filled = 0
    while filled < data_size:
        count = file.readinto(view[filled:filled + _CHUNK])
        if not count:
            raise Malformed(f"is truncated or corrupt (member {member.name!r} is cut off)")
        crc = zlib.crc32(view[filled:filled + count], crc)
        filled += count
    _check_crc(member, crc)
    if layout.dtype.kind == "b" and data_size and raw.max() > 1:
        raise Malformed(f"member {member.name!r} holds booleans that are neither 0 nor 1")
    order = "F" if layout.fortran_order else "C"
    try:
        return raw.view(layout.dtype).reshape(layout.shape, order=order)
    except ValueError:  # more dimensions than this NumPy supports
        raise Malformed(f"member {member.name!r} has shape {layout.shape}, which this NumPy "
                        "cannot represent") from None
