"""Build ``datasets/<version>/`` from ``datasets/source/``, deterministically.

Building twice gives byte-identical files: records keep file order, the manifest
is written with sorted keys, and the Arrow IPC files are uncompressed.

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

from cambodefect.schema import TABLES, to_table
from cambodefect.sourcefiles import read_source
from cambodefect.storage import write_dataset

__all__ = ["build", "stale_files"]


def build(source: Path, datasets: Path) -> Path:
    """Build the source folder into ``datasets/<version>/``; return that folder."""
    data = read_source(source)
    tables = {name: to_table(getattr(data, name), name) for name in TABLES}
    folder = datasets / data.version
    write_dataset(
        folder,
        tables,
        version=data.version,
        released=data.released.isoformat(),
        redirects=data.redirects,
    )
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
