"""Build ``datasets/<version>/`` from ``datasets/source/``, deterministically.

Building twice gives byte-identical files: records keep file order, the manifest
is written with sorted keys, and the Arrow IPC files are uncompressed.

The version in ``dataset.toml`` names the folder written, so it must be a plain
``MAJOR.MINOR.PATCH`` version (the only folder names [`cambodefect.versions`][cambodefect.versions]
finds, and a PEP 440 version too): ``"../../x"`` or an absolute path is refused
before anything is written, and the folder is checked to lie inside ``datasets``.

Examples:
    >>> import pathlib, tempfile
    >>> src = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (src / "dataset.toml").write_text('version = "0.0.1"\\nreleased = 2026-01-01\\n')
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> build(src, out).name
    '0.0.1'
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from cambodefect._versions import _SEMVER_RE
from cambodefect.errors import InvalidRecordError, Violation, ViolationCode
from cambodefect.schema import TABLES, to_table
from cambodefect.sourcefiles import read_source
from cambodefect.storage import write_dataset

__all__ = ["build", "stale_files"]


def build(source: Path, datasets: Path) -> Path:
    """Build the source folder into ``datasets/<version>/``; return that folder.

    Raises:
        InvalidRecordError: a source record is invalid, or the version is not
            ``MAJOR.MINOR.PATCH`` (a ``dataset-meta`` violation naming it).
        WriteError: the folder cannot be written (an `OSError` too).
    """
    data = read_source(source)
    folder = _folder(source, datasets, data.version)
    tables = {name: to_table(getattr(data, name), name) for name in TABLES}
    write_dataset(
        folder,
        tables,
        version=data.version,
        released=data.released.isoformat(),
        redirects=data.redirects,
    )
    return folder


def _folder(source: Path, datasets: Path, version: str) -> Path:
    """``datasets/<version>``, refusing a version that is not a plain version number."""
    folder = datasets / version
    # Defence in depth: a version passing the pattern cannot leave ``datasets``.
    inside = folder.resolve().parent == datasets.resolve()
    if _SEMVER_RE.fullmatch(version) is None or not inside:
        shown = version if len(version) <= 80 else version[:77] + "..."
        problem = Violation(
            ViolationCode.DATASET_META,
            "dataset.toml",
            "version",
            f"version {shown!r} is not a MAJOR.MINOR.PATCH version such as '3.0.0'; "
            "it names the folder written under the datasets folder",
        )
        raise InvalidRecordError([problem], where=str(source))
    return folder


def stale_files(source: Path, datasets: Path) -> list[str]:
    """Names of built files that differ from what ``source`` builds to (empty if current)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = build(source, Path(tmp))
        committed = datasets / fresh.name
        stale = []
        for path in sorted(fresh.iterdir()):
            other = committed / path.name
            if not other.is_file() or other.read_bytes() != path.read_bytes():
                stale.append(f"{fresh.name}/{path.name}")
        return stale
