"""Durable, atomic file writes: the one helper every writer (storage, export) uses.

`write_atomic` writes bytes to a temporary file beside the target, flushes and
fsyncs it, and renames it over the target, so a reader sees the old file or the new
one, never a part. Files are created with mode ``0o666`` minus the process umask (as
``open()`` does), not ``mkstemp``'s ``0o600``, so others can read what we publish.

`folder_lock` is the advisory lock every writer of a folder holds (``filelock``:
``flock`` on POSIX, ``LockFileEx`` on Windows), so two writers of one folder take
turns. A writer waits up to `LOCK_TIMEOUT` seconds, then raises
[`WriteError`][cambodefect.WriteError]. The lock file is ``.<folder name>.lock``
beside the folder, so the folder holds only what readers read, and it stays after
release (removing it would let two writers lock two different files of one name).
"""

from __future__ import annotations

import contextlib
import errno
import os
from typing import TYPE_CHECKING

from cambodefect.errors import WriteError

if TYPE_CHECKING:  # paths come in as Path objects; reading a dataset never imports this
    from collections.abc import Iterator
    from pathlib import Path

__all__ = [
    "LOCK_TIMEOUT",
    "TMP_SUFFIX",
    "folder_lock",
    "fsync_dir",
    "lock_path",
    "temporary_name",
    "write_atomic",
    "write_new",
]

LOCK_TIMEOUT = 60.0
"""Seconds a writer waits for another writer of the same folder before giving up."""

TMP_SUFFIX = ".tmp"
"""The suffix of the temporary files `write_atomic` leaves only when killed."""


def temporary_name(path: Path) -> Path:
    """A fresh hidden name beside ``path``: ``.<name>.<random>.tmp``."""
    import secrets

    return path.with_name(f".{path.name}.{secrets.token_hex(8)}{TMP_SUFFIX}")


def write_new(path: Path, data: bytes) -> None:
    """Create ``path`` (which must not exist) holding ``data``, flushed to disk."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    tmp = temporary_name(path)
    try:
        write_new(tmp, data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def fsync_dir(folder: Path) -> None:
    """Make the renames in ``folder`` durable (POSIX; a no-op where folders cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def lock_path(folder: Path) -> Path:
    """The lock file of ``folder``: ``.<name>.lock`` in its parent folder."""
    folder = folder.resolve()
    return folder.parent / f".{folder.name or 'root'}.lock"


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the advisory lock of every writer of ``folder`` for the block.

    The parent folder must exist (the lock file is created there).

    Raises:
        WriteError: another writer held the lock for `LOCK_TIMEOUT` seconds
            (``errno.EBUSY``), or the lock file cannot be created (the OS's errno).
    """
    import filelock  # only writers need it

    timeout = LOCK_TIMEOUT  # read at call time (the tests shorten it)
    lock = lock_path(folder)
    held = filelock.FileLock(lock, timeout=timeout)
    try:
        held.acquire()
    except filelock.Timeout as err:
        reason = (
            f"another writer holds its lock {lock} (waited {timeout:g} s); "
            "try again when that write has finished"
        )
        raise WriteError(str(folder), reason, errno.EBUSY) from err
    except OSError as err:
        raise WriteError(
            str(folder), f"cannot create its lock file {lock}: {err}", err.errno
        ) from err
    try:
        yield
    finally:
        held.release()
