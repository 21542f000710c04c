"""Writing an export's files: staged in full, then moved into place all at once.

Every file is first written to a hidden staging folder inside the output folder, then
moved into place with :func:`os.replace`; if anything fails (a full disk, an
interrupt), the files already moved are put back, so the folder holds the earlier
export or the new one, never a half-written file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

import attrs

from cambodefect._atomic import write_new
from cambodefect.errors import ExportError

__all__ = ["STAGING_PREFIX", "File", "ProgressFn", "write_files"]

STAGING_PREFIX = ".cambodefect-export-"

ProgressFn = Callable[[int, int], None]


@attrs.frozen
class File:
    """One file of an export: its path relative to the output folder, and its bytes."""

    path: str
    render: Callable[[], bytes]


def write_files(
    folder: Path, files: list[File], owned: tuple[str, ...], progress: ProgressFn | None
) -> list[Path]:
    """Stage every file, then move them all into place (undoing the moves on failure)."""
    import shutil
    import tempfile

    created: list[Path] = []
    staging: Path | None = None
    written: list[Path] = []
    stale: set[Path] = set()
    try:
        if folder.exists() and not folder.is_dir():
            raise ExportError(f"cannot export to {folder}: it exists and is not a folder")
        created += _makedirs(folder)
        staging = Path(tempfile.mkdtemp(dir=folder, prefix=STAGING_PREFIX, suffix=".tmp"))
        moves: list[tuple[Path | None, Path]] = []
        for n, file in enumerate(files, 1):
            final = folder / file.path
            created += _makedirs(final.parent)
            tmp = staging / f"{n}.part"
            write_new(tmp, file.render())
            moves.append((tmp, final))
            if progress is not None:
                progress(n, len(files))
        written = [final for _, final in moves]
        stale = {p for pattern in owned for p in folder.glob(pattern)} - set(written)
        moves += [(None, p) for p in sorted(stale)]
        _commit(moves, staging)
    except BaseException as err:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        for d in reversed(created):
            with contextlib.suppress(OSError):
                d.rmdir()
        if isinstance(err, OSError):
            raise ExportError(f"export to {folder} failed, nothing was changed: {err}") from err
        raise
    shutil.rmtree(staging, ignore_errors=True)
    for path in stale:
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # an era that no longer has claims
    return written


def _makedirs(path: Path) -> list[Path]:
    """Create ``path`` and missing parents; return the folders created, outermost first."""
    missing: list[Path] = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    created = []
    for d in reversed(missing):
        with contextlib.suppress(FileExistsError):
            d.mkdir()
            created.append(d)
    return created


def _commit(moves: list[tuple[Path | None, Path]], staging: Path) -> None:
    """Move staged files into place (``None`` removes the target), all or none."""
    import shutil

    done: list[tuple[Path, Path | None]] = []
    try:
        for n, (tmp, final) in enumerate(moves):
            backup = None
            if final.exists():
                backup = staging / f"{n}.bak"
                try:
                    os.link(final, backup)  # the old file stays in place meanwhile
                except OSError:
                    shutil.copy2(final, backup)  # a file system without hard links
            done.append((final, backup))
            if tmp is None:
                final.unlink()
            else:
                os.replace(tmp, final)
    except BaseException:
        for final, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is None:
                    final.unlink(missing_ok=True)
                else:
                    os.replace(backup, final)
        raise
