"""Reading the files of a dataset folder that may come from anyone: regular files only,
bounded reads, memory maps of the file checked, JSON without ambiguity.

A FIFO, a device or a directory where a file should be is refused before it is
opened (reading it could block forever, or never end: ``/dev/zero``); symbolic links
to regular files are followed. The open itself cannot block, and the open file is
checked again (``fstat``), so a path swapped in between is caught. Every failure is an
[`IntegrityError`][cambodefect.IntegrityError] naming the file.
"""

from __future__ import annotations

import json
import mmap
import os
import stat
import sys
from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from cambodefect.errors import IntegrityError

__all__ = [
    "Stamp",
    "loads_strict",
    "map_file",
    "open_regular",
    "read_bounded",
    "short",
    "strings",
]

Stamp = tuple[int, int, int, int]
"""A file's stat identity: (inode, size, mtime_ns, ctime_ns)."""

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def short(text: str) -> str:
    """``text`` as a printable literal (escaped: no control characters, no lone
    surrogates), cut after 60 characters."""
    return repr(text) if len(text) <= 60 else f"{text[:60]!r}... ({len(text)} characters)"


def open_regular(where: str, what: str) -> tuple[int, os.stat_result]:
    """A read-only descriptor of the regular file ``where`` (symbolic links followed),
    and its stat; ``what`` names the file in errors ("manifest", "file")."""
    fd = -1
    try:
        st = os.stat(where)
        if stat.S_ISREG(st.st_mode):
            fd = os.open(where, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            st = os.fstat(fd)
    except FileNotFoundError as err:
        raise IntegrityError(where, f"{what} is missing") from err
    except (OSError, ValueError) as err:  # ValueError: a NUL in the folder's path
        if fd >= 0:
            os.close(fd)
        raise IntegrityError(where, f"cannot open {what} ({err})") from err
    if not stat.S_ISREG(st.st_mode):
        if fd >= 0:
            os.close(fd)
        kind = next((name for test, name in _KINDS if test(st.st_mode)), "a special file")
        raise IntegrityError(where, f"{what} is {kind}, not a regular file")
    return fd, st


def read_bounded(where: str, what: str, limit: int) -> bytes:
    """The bytes of the regular file ``where``; ``IntegrityError`` if over ``limit``
    (refused from its size before reading, or once a growing file passes it)."""
    fd, st = open_regular(where, what)
    try:
        size, data = st.st_size, bytearray()
        while size <= limit:
            chunk = os.read(fd, limit + 1 - len(data))
            if not chunk:
                return bytes(data)
            data += chunk
            size = max(size, len(data))
    except OSError as err:
        raise IntegrityError(where, f"cannot read {what} ({err})") from err
    finally:
        os.close(fd)
    raise IntegrityError(where, f"{what} is {size:,} bytes; the limit is {limit:,}")


def map_file(where: str) -> tuple[pa.Buffer, Stamp]:
    """The regular file's bytes, memory-mapped, and the stat identity of the file mapped
    (not of whatever the path names later)."""
    fd, st = open_regular(where, "file")
    try:
        if st.st_size == 0:  # mmap refuses empty files
            buf = pa.py_buffer(b"")
        elif sys.version_info >= (3, 13):
            buf = pa.py_buffer(mmap.mmap(fd, 0, access=mmap.ACCESS_READ, trackfd=False))
        else:  # before 3.13 the map holds a duplicate of fd while it is in use
            buf = pa.py_buffer(mmap.mmap(fd, 0, access=mmap.ACCESS_READ))
    except (OSError, ValueError) as err:
        raise IntegrityError(where, f"cannot map file ({err})") from err
    finally:
        os.close(fd)
    return buf, (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def loads_strict(data: bytes, where: str, what: str, string_limit: int) -> Any:
    """``data`` parsed as UTF-8 JSON, refusing a key repeated in an object (Python would
    keep the last silently) and any string, key or value, longer than
    ``string_limit`` characters."""

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) < len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    raise IntegrityError(where, f"{what} repeats the key {short(key)}")
                seen.add(key)
        return obj

    try:
        doc = json.loads(data.decode("utf-8"), object_pairs_hook=unique)
    except (ValueError, RecursionError) as err:
        # ValueError covers bad UTF-8, bad JSON and over-long integers; RecursionError,
        # JSON nested too deeply. All are a malformed file, never a raw error.
        raise IntegrityError(where, f"{what} is not readable JSON ({err})") from err
    for text in strings(doc):
        if len(text) > string_limit:
            raise IntegrityError(
                where, f"{what} string {short(text)} is longer than {string_limit} characters"
            )
    return doc


def strings(doc: Any) -> Iterator[str]:
    """Every string in a parsed JSON document, keys and values, at any depth."""
    stack = [doc]
    while stack:  # a loop, not recursion: deep nesting must not exhaust the stack
        item = stack.pop()
        if isinstance(item, dict):
            stack += [*item, *item.values()]
        elif isinstance(item, list):
            stack += item
        elif isinstance(item, str):
            yield item
