"""Writing an export's files as one set: staged in full, then committed under a journal.

An export into a folder (``out``) runs under the folder's lock (the file ``.out.lock``
beside it, see `cambodefect._atomic.folder_lock`), so two exports into one
folder take turns:

1. an interrupted earlier export, if any, is rolled back (its journal says how) and
   staging folders of killed exports are removed;
2. every file is written in full to a fresh hidden staging folder
   (``out/.cambodefect-export-*.tmp``);
3. each file the export replaces or removes is hard-linked (or copied) into the
   staging folder as a backup, then the journal ``out/.cambodefect-export.journal``
   is written: it lists the files and whether each existed before;
4. the staged files are moved into place with `os.replace`;
5. the journal is removed: this is the commit point. The staging folder goes too.

A failure in step 4 moves the backups back and removes the journal, so the folder
holds the earlier export. A process killed in step 4 leaves the journal: its
presence says the folder is mid-commit (files of two exports side by side), and the
next export into the folder rolls it back before writing. Files are kept in place
(``out/claims.csv``), so they can be opened directly; see ``docs/exports.md``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

import attrs

from cambodefect._atomic import folder_lock, fsync_dir, write_new
from cambodefect.errors import ExportError

__all__ = [
    "JOURNAL",
    "STAGING_PREFIX",
    "File",
    "ProgressFn",
    "recover",
    "write_files",
]

STAGING_PREFIX = ".cambodefect-export-"
"""Staging folders are ``<STAGING_PREFIX><random>.tmp`` inside the output folder."""

JOURNAL = ".cambodefect-export.journal"
"""Present in an output folder only while (or because) a commit was interrupted."""

_STAGING_RE = re.compile(rf"{re.escape(STAGING_PREFIX)}[A-Za-z0-9_]+\.tmp")

ProgressFn = Callable[[int, int], None]


@attrs.frozen
class File:
    """One file of an export: its path relative to the output folder, and its bytes."""

    path: str
    render: Callable[[], bytes]


def write_files(
    folder: Path, files: list[File], owned: tuple[str, ...], progress: ProgressFn | None
) -> list[Path]:
    """Write ``files`` into ``folder`` as one set (see the module's docstring).

    ``owned`` are glob patterns of earlier files the set replaces as a whole (stale
    ones are removed). Returns the files written.

    Raises:
        ExportError: ``folder`` is a file, another export held it too long, or a file
            could not be written (the ``OSError`` is the cause); nothing was changed.
    """
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"cannot export to {folder}: it exists and is not a folder")
    created: list[Path] = []
    try:
        created += _makedirs(folder)
        with folder_lock(folder):
            recover(folder)
            return _write(folder, files, owned, progress, created)
    except BaseException as err:
        for d in reversed(created):
            with contextlib.suppress(OSError):
                d.rmdir()
        if isinstance(err, OSError):
            raise ExportError(f"export to {folder} failed, nothing was changed: {err}") from err
        raise


def recover(folder: Path) -> bool:
    """Roll back an export into ``folder`` that was killed mid-commit, and remove the
    staging folders killed exports left. Returns whether there was a commit to undo.

    The caller holds the folder's lock, so no staging folder belongs to a live export.
    """
    import shutil

    journal = folder / JOURNAL
    undone = journal.exists()
    if undone:
        staging, entries = _read_journal(folder)
        _roll_back(folder, staging, entries)
    for entry in os.scandir(folder):
        if _STAGING_RE.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
    return undone


def _write(
    folder: Path,
    files: list[File],
    owned: tuple[str, ...],
    progress: ProgressFn | None,
    created: list[Path],
) -> list[Path]:
    """Stage every file, then commit them all (under the lock)."""
    import shutil
    import tempfile

    staging = Path(tempfile.mkdtemp(dir=folder, prefix=STAGING_PREFIX, suffix=".tmp"))
    try:
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
        _commit(folder, moves, staging)
    finally:
        if not (folder / JOURNAL).exists():  # else the next export needs the backups
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


def _commit(folder: Path, moves: list[tuple[Path | None, Path]], staging: Path) -> None:
    """Back up what the moves replace, write the journal, move, remove the journal."""
    import shutil

    entries: list[dict[str, Any]] = []
    for n, (_, final) in enumerate(moves):
        existed = final.exists()
        if existed:
            backup = staging / f"{n}.bak"
            try:
                os.link(final, backup)  # the old file stays in place meanwhile
            except OSError:
                shutil.copy2(final, backup)  # a file system without hard links
        entries.append({"path": final.relative_to(folder).as_posix(), "existed": existed})
    doc = {"staging": staging.name, "files": entries}
    write_new(staging / "journal", json.dumps(doc, indent=1).encode("utf-8"))
    os.replace(staging / "journal", folder / JOURNAL)
    fsync_dir(folder)
    try:
        for tmp, final in moves:
            if tmp is None:
                final.unlink(missing_ok=True)
            else:
                os.replace(tmp, final)
        for parent in sorted({final.parent for _, final in moves}):
            fsync_dir(parent)
    except BaseException:
        # Put the old files back; if that fails too, the journal stays for the next run.
        with contextlib.suppress(OSError):
            _roll_back(folder, staging, entries)
        raise
    (folder / JOURNAL).unlink()
    fsync_dir(folder)


def _roll_back(folder: Path, staging: Path, entries: list[dict[str, Any]]) -> None:
    """Restore every file a commit touched from its backup (or remove it if it is new),
    then remove the journal. Safe to run again if it is itself interrupted."""
    for n in reversed(range(len(entries))):
        final = folder / entries[n]["path"]
        if not entries[n]["existed"]:
            final.unlink(missing_ok=True)
            continue
        backup = staging / f"{n}.bak"
        if backup.exists():  # a missing backup was already moved back
            os.replace(backup, final)
    for parent in sorted({(folder / e["path"]).parent for e in entries}):
        fsync_dir(parent)
    (folder / JOURNAL).unlink(missing_ok=True)
    fsync_dir(folder)


def _read_journal(folder: Path) -> tuple[Path, list[dict[str, Any]]]:
    """The staging folder and entries of ``folder``'s journal, every path checked to lie
    inside ``folder`` (``ExportError`` naming the journal if it is not ours)."""
    where = folder / JOURNAL

    def bad(reason: str) -> ExportError:
        return ExportError(
            f"{where}: the journal of an interrupted export {reason}; "
            "check the folder's files, then delete the journal"
        )

    try:
        doc = json.loads(where.read_bytes())
    except (OSError, ValueError, RecursionError) as err:
        raise bad(f"is unreadable ({err})") from err
    staging = doc.get("staging") if isinstance(doc, dict) else None
    entries = doc.get("files") if isinstance(doc, dict) else None
    if not isinstance(staging, str) or not _STAGING_RE.fullmatch(staging):
        raise bad("names no staging folder")
    if not isinstance(entries, list) or not all(_entry_ok(e) for e in entries):
        raise bad("lists a file outside the folder or of the wrong shape")
    return folder / staging, entries


def _entry_ok(entry: object) -> bool:
    """Whether a journal entry is ``{"path": <relative path inside>, "existed": bool}``."""
    if not isinstance(entry, dict) or not isinstance(entry.get("existed"), bool):
        return False
    path = entry.get("path")
    if not isinstance(path, str) or not path or "\\" in path or "\0" in path:
        return False
    parts = PurePosixPath(path).parts
    return not PurePosixPath(path).is_absolute() and ".." not in parts and parts[0] != JOURNAL
