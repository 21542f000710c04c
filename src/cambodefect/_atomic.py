"""Durable, atomic file writes: the one helper every writer (storage, export) uses.

:func:`write_atomic` writes bytes to a temporary file beside the target, flushes and
fsyncs it, and renames it over the target, so a reader sees the old file or the new
one, never a part. Files are created with mode ``0o666`` minus the process umask (as
``open()`` does), not ``mkstemp``'s ``0o600``, so others can read what we publish.
"""

from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # paths come in as Path objects; reading a dataset never imports this
    from pathlib import Path

__all__ = ["TMP_SUFFIX", "fsync_dir", "temporary_name", "write_atomic", "write_new"]

TMP_SUFFIX = ".tmp"
"""The suffix of the temporary files :func:`write_atomic` leaves only when killed."""


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
