"""Writing a file atomically, through a temporary in the same folder that is renamed over it,
and removing the temporaries that writers killed mid-save (SIGKILL, SIGTERM, power loss) left.

A temporary for target "model.npz" is named ".model.npz.nnsave.<pid>.<12 hex digits>.tmp": the
target's name, so that cleaning one target never touches another's, and the writer's process
id. When the target's name is too long for that to fit in a file name (NAME_MAX, 255 bytes on
most file systems), the readable part is replaced by a hash of the name:
".nnsave-<32 hex digits>.<pid>.<12 hex digits>.tmp".

Which temporaries are stale: a writer keeps an exclusive flock on its temporary from creation
until after the rename, and the kernel drops that lock when the process dies however it dies.
Before each save, the temporaries of the same target whose process id is not a live process on
this machine AND whose lock nobody holds are removed. The process id check alone would delete
the temporary of a live writer on another machine sharing the folder (NFS) or in another PID
namespace (containers); the lock alone would race with a writer between creating its file and
locking it. Together a live writer's temporary is never removed (on another machine only in
the microseconds before it takes its lock). A dead writer's temporary whose process id was
reused stays until that process ends too: a leak, never a loss. An age threshold was not used:
a large save can legitimately take longer than any threshold, and a short one leaves minutes
of leaks. On Windows (no flock, and os.kill cannot probe a process) nothing is ever removed.
"""

import errno
import hashlib
import os
import re
import secrets
import stat

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

_TAG = "nnsave"
_PID_DIGITS = 10  # process ids fit in 10 decimal digits on every system
_TOKEN_DIGITS = 12
# What a temporary name adds to the target's name: "." + ".nnsave" + ".<pid>.<token>.tmp".
_OVERHEAD = 1 + 1 + len(_TAG) + 1 + _PID_DIGITS + 1 + _TOKEN_DIGITS + len(".tmp")


def temporary_stem(directory, basename):
    """The part of every temporary name of target `basename` in `directory` before ".<pid>"."""
    encoded = os.fsencode(basename)
    if len(encoded) + _OVERHEAD <= _name_max(directory):
        return f".{basename}.{_TAG}"
    return f".{_TAG}-{hashlib.sha256(encoded).hexdigest()[:32]}"


def _name_max(directory):
    try:
        return os.pathconf(directory, "PC_NAME_MAX")
    except (AttributeError, ValueError, OSError):  # no pathconf (Windows) or no answer
        return 255


def write_atomically(name, write):
    """Call `write(file)` on a temporary next to `name`, then fsync it and rename it to `name`.

    >>> write_atomically("model.npz", lambda file: file.write(b"..."))

    On any error (KeyboardInterrupt included) the temporary is removed and an earlier file at
    `name` is untouched. Keeps the permissions of the file it replaces.
    """
    directory, basename = os.path.split(os.path.abspath(name))
    if not os.path.isdir(directory):
        raise FileNotFoundError(errno.ENOENT, "nn.save: the directory does not exist", directory)
    if os.path.isdir(name):
        raise IsADirectoryError(errno.EISDIR, "nn.save: the path is a folder", name)
    stem = temporary_stem(directory, basename)
    remove_stale_temporaries(directory, stem)
    temporary = os.path.join(
        directory, f"{stem}.{os.getpid()}.{secrets.token_hex(_TOKEN_DIGITS // 2)}.tmp"
    )
    # os.open with O_EXCL (rather than mkstemp) so the new file gets the usual permissions
    # (0o666 minus the umask) instead of mkstemp's owner-only 0o600.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as file:
            _lock(file.fileno())
            write(file)
            file.flush()
            os.fsync(file.fileno())
            if os.path.exists(name):
                os.chmod(temporary, stat.S_IMODE(os.stat(name).st_mode))
            if fcntl is None:
                file.close()  # Windows cannot rename a file that is open
            os.replace(temporary, name)  # still locked: no cleaner can have removed it
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    _fsync_directory(directory)


def _lock(descriptor):
    if fcntl is None:
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        pass  # no locks on this file system: the process id in the name still protects it


def remove_stale_temporaries(directory, stem):
    """Remove the temporaries named `stem`.<pid>... in `directory` whose writer is gone."""
    if fcntl is None:
        return
    pattern = re.compile(re.escape(stem) + rf"\.(\d{{1,{_PID_DIGITS}}})\.[0-9a-f]{{12}}\.tmp")
    try:
        entries = os.listdir(directory)
    except OSError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry)
        if match and not _process_exists(int(match[1])):
            _remove_if_unlocked(os.path.join(directory, entry))


def _process_exists(pid):
    if pid <= 0:
        return True  # not a process id we write; keep the file
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):  # PermissionError: it exists, as another user's
        return True
    return True


def _remove_if_unlocked(path):
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return  # gone already, or a symbolic link, which we never create
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # a live writer on another machine or in another PID namespace holds it
        except OSError:
            pass  # no locks on this file system: the process id check has to do
        # Unlink by name only if the name still means the file we hold.
        if os.stat(path, follow_symlinks=False).st_ino == os.fstat(descriptor).st_ino:
            os.unlink(path)
    except OSError:
        pass
    finally:
        os.close(descriptor)


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
