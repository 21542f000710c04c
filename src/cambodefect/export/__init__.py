"""Export a dataset to CSV, Parquet, JSON Lines, a Data Package, Popolo JSON or Croissant.

[`export`][cambodefect.export.export] writes one format into a folder and returns the files written.
The files are committed as one set: each is first written in full to a hidden staging folder inside
the output folder, then all are moved into place with `os.replace` under a journal
(``.cambodefect-export.journal``). If anything fails (a full disk, an interrupt), the files already
moved are put back, so the folder holds the earlier export or the new one, never a mix; a process
killed mid-commit leaves the journal, and the next export into the folder rolls the mix back first.
Exports into one folder take turns (a lock file ``.<folder name>.lock`` beside it). See
``docs/exports.md``.

One module per format (``_csv``, ``_parquet``, ``_jsonl``, ``_datapackage``,
``_popolo``, ``_croissant``), a registry of formats (``_registry``) and one writer
(``_commit``, on the package's atomic-write helper). Formats (``FORMATS``):

``csv``
    ``<table>.csv`` per table: structs flattened to dotted columns (``count.value``),
    lists (and lists of structs) as JSON arrays in the cell, enums as strings,
    dates ISO.
``parquet``
    ``<table>.parquet`` per table with the real nested Arrow schema and its metadata;
    ``partition_by="era"`` writes the claims as the Hive-partitioned dataset
    ``claims/era=<era>/part-0.parquet``.
``jsonl``
    ``<table>.jsonl`` per table: one unstructured record per line, dates ISO.
``datapackage``
    the CSV files plus ``datapackage.json``: a Frictionless Tabular Data Package.
``popolo``
    ``popolo.json``: persons, organizations (the parties table) and memberships
    (persons' roles) as Popolo, with our provenance under ``cambodefect:`` keys.
``croissant``
    the CSV files plus ``croissant.json``: MLCommons Croissant 1.0 metadata (JSON-LD)
    listing each file with its SHA-256 and each table's columns with their types.

Examples:
    >>> import tempfile
    >>> import cambodefect as cd
    >>> from cambodefect.export import export
    >>> tmp = tempfile.TemporaryDirectory()
    >>> [p.name for p in export(cd.load(), "jsonl", tmp.name)]
    ['parties.jsonl', 'persons.jsonl', 'sources.jsonl', 'events.jsonl', 'claims.jsonl']
    >>> export(cd.load(), "xlsx", tmp.name)
    Traceback (most recent call last):
    ...
    cambodefect.errors.ExportError: unknown export format 'xlsx'; formats: csv, parquet, ...
    >>> tmp.cleanup()
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Final

from cambodefect.errors import ExportError
from cambodefect.export._commit import ProgressFn, write_files
from cambodefect.export._registry import REGISTRY

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = ["FORMATS", "PARTITIONS", "ExportError", "ProgressFn", "export"]

FORMATS: Final = tuple(REGISTRY)
"""The export formats, by name."""

PARTITIONS: Final[dict[str, tuple[str, ...]]] = {
    name: fmt.partitions for name, fmt in REGISTRY.items() if fmt.partitions
}
"""The ``partition_by`` values each format accepts (formats not listed accept none)."""


def export(
    ds: Dataset,
    fmt: str,
    out: str | Path,
    *,
    partition_by: str | None = None,
    progress: ProgressFn | None = None,
) -> list[Path]:
    """Write ``ds`` in format ``fmt`` into the folder ``out``; return the files written.

    ``out`` is created if needed; files of the same names are replaced. Every file is
    complete before any is moved into place, and a failure puts back the files
    already replaced. ``progress(done, total)`` is called after each file is written.

    Raises:
        ExportError: ``fmt`` or ``partition_by`` is not one of the allowed values (the
            message lists them), a file could not be written (the ``OSError`` is the
            cause; the message names the folder and the reason), or another export
            into ``out`` held its lock too long.
    """
    found = REGISTRY.get(fmt)
    if found is None:
        raise ExportError(f"unknown export format {fmt!r}; formats: {', '.join(FORMATS)}", FORMATS)
    if partition_by is not None and partition_by not in found.partitions:
        where = (
            f"{fmt} accepts partition_by {', '.join(map(repr, found.partitions))}"
            if found.partitions
            else "partition_by is only for " + ", ".join(sorted(PARTITIONS))
        )
        raise ExportError(f"cannot partition {fmt} by {partition_by!r}: {where}", found.partitions)
    files, owned = found.plan(ds, partition_by)
    return write_files(Path(out), files, owned, progress)
