"""Export a dataset to CSV, Parquet, JSON Lines, a Frictionless Data Package or Popolo JSON.

:func:`export` writes one format into a folder and returns the files written. Every
file is first written in full to a hidden staging folder inside the output folder,
then moved into place with :func:`os.replace`; if anything fails (a full disk, an
interrupt), the files already moved are put back, so the folder holds either the
earlier export or the new one, never a half-written file. See ``docs/exports.md``.

Formats (``FORMATS``):

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

Examples:
    >>> import tempfile
    >>> import cambodefect as cd
    >>> from cambodefect.export import export
    >>> tmp = tempfile.TemporaryDirectory()
    >>> [p.name for p in export(cd.load(), "jsonl", tmp.name)]
    ['parties.jsonl', 'persons.jsonl', 'sources.jsonl', 'claims.jsonl']
    >>> export(cd.load(), "xlsx", tmp.name)
    Traceback (most recent call last):
    ...
    cambodefect.export.ExportError: unknown export format 'xlsx'; formats: csv, parquet, ...
    >>> tmp.cleanup()
"""

from __future__ import annotations

# inspect, re, shutil, tempfile, json and pyarrow load on first use, so that importing
# this module (a CLI reading FORMATS, say) stays cheap.
import contextlib
import functools
import os
import typing
from collections.abc import Callable, Iterator, Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs

from cambodefect.errors import CambodefectError
from cambodefect.schema import TABLES

if TYPE_CHECKING:
    import pyarrow as pa

    from cambodefect.dataset import Dataset
    from cambodefect.values import FuzzyDate

__all__ = ["FORMATS", "PARTITIONS", "ExportError", "export"]

FORMATS: Final = ("csv", "parquet", "jsonl", "datapackage", "popolo")
"""The export formats, by name."""

PARTITIONS: Final[dict[str, tuple[str, ...]]] = {"parquet": ("era",)}
"""The ``partition_by`` values each format accepts (formats not listed accept none)."""

_LICENSE: Final = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
"""The data licence, as a Data Package ``licenses`` entry (see docs/dataset-card.md)."""

_STAGING_PREFIX: Final = ".cambodefect-export-"


class ExportError(CambodefectError):
    """An export was refused or failed; the output folder is left as it was.

    Raised for an unknown format or ``partition_by`` (``allowed`` lists the valid
    choices), and for a file that could not be written (``allowed`` is empty and the
    :class:`OSError` is the ``__cause__``).

    Attributes:
        allowed: the valid choices, when the problem is a choice.
    """

    def __init__(self, message: str, allowed: Sequence[str] = ()) -> None:
        self.allowed = tuple(allowed)
        super().__init__(message)


ProgressFn = Callable[[int, int], None]


@attrs.frozen
class _File:
    """One file of an export: its path relative to the output folder, and its bytes."""

    path: str
    render: Callable[[], bytes]


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
            message lists them), or a file could not be written.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; formats: {', '.join(FORMATS)}", FORMATS)
    if partition_by is not None:
        allowed = PARTITIONS.get(fmt, ())
        if partition_by not in allowed:
            where = (
                f"{fmt} accepts partition_by {', '.join(map(repr, allowed))}"
                if allowed
                else "partition_by is only for " + ", ".join(sorted(PARTITIONS))
            )
            raise ExportError(f"cannot partition {fmt} by {partition_by!r}: {where}", allowed)
    files, owned = _plan(ds, fmt, partition_by)
    return _write(Path(out), files, owned, progress)


def _plan(ds: Dataset, fmt: str, partition_by: str | None) -> tuple[list[_File], tuple[str, ...]]:
    """The files of an export, and glob patterns of earlier files it replaces as a whole."""
    if fmt == "csv":
        return [_File(f"{t}.csv", functools.partial(_csv, ds, t)) for t in TABLES], ()
    if fmt == "jsonl":
        return [_File(f"{t}.jsonl", functools.partial(_jsonl, ds, t)) for t in TABLES], ()
    if fmt == "popolo":
        return [_File("popolo.json", functools.partial(_popolo, ds))], ()
    if fmt == "datapackage":
        rendered: dict[str, bytes] = {}

        def csv(table: str) -> bytes:
            rendered[table] = _csv(ds, table)
            return rendered[table]

        files = [_File(f"{t}.csv", functools.partial(csv, t)) for t in TABLES]
        return [*files, _File("datapackage.json", lambda: _datapackage(ds, rendered))], ()
    # parquet
    if partition_by is None:
        return [_File(f"{t}.parquet", functools.partial(_parquet, ds, t)) for t in TABLES], ()
    files = [_File(f"{t}.parquet", functools.partial(_parquet, ds, t)) for t in TABLES[:-1]]
    for path, render in _claims_by_era(ds):
        files.append(_File(path, render))
    return files, ("claims/era=*/*.parquet",)


# -- writing -------------------------------------------------------------------


def _write(
    folder: Path, files: list[_File], owned: tuple[str, ...], progress: ProgressFn | None
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
        staging = Path(tempfile.mkdtemp(dir=folder, prefix=_STAGING_PREFIX, suffix=".tmp"))
        moves: list[tuple[Path | None, Path]] = []
        for n, file in enumerate(files, 1):
            final = folder / file.path
            created += _makedirs(final.parent)
            tmp = staging / f"{n}.part"
            with open(tmp, "xb") as fh:
                fh.write(file.render())
                fh.flush()
                os.fsync(fh.fileno())
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


# -- rendering ------------------------------------------------------------------


def _iso(value: object) -> str:
    from datetime import date

    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON: {value!r}")


# Characters that JSON leaves raw but str.splitlines() and some readers take for line
# ends; escaped so that a JSON Lines record is always exactly one line.
_LINE_BREAKS: Final = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def _dumps(value: Any, *, indent: int | None = None) -> str:
    import json

    separators = None if indent else (",", ":")
    text = json.dumps(value, ensure_ascii=False, indent=indent, separators=separators, default=_iso)
    return text.translate(_LINE_BREAKS)


def _jsonl(ds: Dataset, table: str) -> bytes:
    from cambodefect.converter import unstructure
    from cambodefect.schema import MODELS, iter_records

    lines = [_dumps(unstructure(r)) + "\n" for r in iter_records(ds.table(table), MODELS[table])]
    return "".join(lines).encode("utf-8")


def _parquet_bytes(table: pa.Table, version: str) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    meta = {**(table.schema.metadata or {}), b"cambodefect.dataset_version": version.encode()}
    sink = pa.BufferOutputStream()
    # Lists keep Arrow's child name ("item"), so the schema reads back exactly; every
    # Parquet reader (Spark, DuckDB, Polars) reads such three-level lists.
    pq.write_table(table.replace_schema_metadata(meta), sink, use_compliant_nested_type=False)
    return bytes(sink.getvalue())


def _parquet(ds: Dataset, table: str) -> bytes:
    return _parquet_bytes(ds.table(table), ds.version)


def _claims_by_era(ds: Dataset) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """The Hive partition files of the claims table, one per era."""
    from urllib.parse import quote

    import pyarrow.compute as pc

    from cambodefect.aggregate import claims_frame

    eras = claims_frame(ds, with_party_key=False).column("era")
    values: list[str | None] = sorted(
        pc.unique(eras).to_pylist(), key=lambda v: (v is None, v or "")
    )
    for value in values:
        mask = pc.is_null(eras) if value is None else pc.fill_null(pc.equal(eras, value), False)
        segment = "__HIVE_DEFAULT_PARTITION__" if value is None else quote(value, safe="")
        part = ds.claims.filter(mask)
        yield (
            f"claims/era={segment}/part-0.parquet",
            functools.partial(_parquet_bytes, part, ds.version),
        )


@attrs.frozen
class _Column:
    """One flat column: dotted name, Arrow array, Table Schema type, required."""

    name: str
    array: Any
    type: str
    required: bool


def _flat_columns(table: pa.Table) -> list[_Column]:
    """Structs flattened to dotted columns, lists as JSON text, enums as strings."""
    import pyarrow as pa

    out: list[_Column] = []

    def walk(name: str, type_: Any, array: Any, required: bool) -> None:
        if pa.types.is_struct(type_):
            for child, values in zip(
                [type_.field(i) for i in range(type_.num_fields)], array.flatten(), strict=True
            ):
                walk(f"{name}.{child.name}", child.type, values, required and not child.nullable)
        elif pa.types.is_list(type_):
            cells = [None if v is None else _dumps(v) for v in array.to_pylist()]
            out.append(_Column(name, pa.array(cells, pa.string()), "array", required))
        elif pa.types.is_dictionary(type_) or pa.types.is_string(type_):
            out.append(_Column(name, array.cast(pa.string()), "string", required))
        elif pa.types.is_integer(type_):
            out.append(_Column(name, array, "integer", required))
        elif pa.types.is_boolean(type_):
            out.append(_Column(name, array, "boolean", required))
        elif pa.types.is_date32(type_):
            out.append(_Column(name, array, "date", required))
        else:  # pragma: no cover - the schemas use no other type
            raise TypeError(f"no flat CSV form for column {name!r} of type {type_}")

    for field in table.schema:
        walk(field.name, field.type, table.column(field.name).combine_chunks(), not field.nullable)
    return out


def _csv(ds: Dataset, table: str) -> bytes:
    import pyarrow as pa
    import pyarrow.csv as pcsv

    flat = pa.table({c.name: c.array for c in _flat_columns(ds.table(table))})
    sink = pa.BufferOutputStream()
    pcsv.write_csv(flat, sink)
    return bytes(sink.getvalue())


# -- Data Package ---------------------------------------------------------------

_DESCRIPTION: Final = (
    "Claimed political defections in Cambodia (the 2017 CNRP dissolution drive and the "
    "2023 pre-election wave). Every count is a claim, not a fact: a figure someone (a "
    "party spokesman, a government-aligned outlet, an NGO) asserted, as read on a line "
    "of a source. Do not sum the claims table naively: a stated total and its own items "
    "(part_of) overlap, and different claimants' series must not be mixed; "
    "cambodefect.aggregate applies these rules. Nested values are flattened to dotted "
    "columns; list values are JSON arrays in the cell."
)

_TABLE_NOTES: Final = {
    "parties": "Only rows with kind 'party' are political parties; the table also holds the "
    "tally's placeholder and non-party labels and other organizations.",
    "claims": "Each row is a claim made by its claimant, not an established fact.",
}

_FOREIGN_KEYS: Final = {
    "claims": (("part_of", "claims"), ("to_party_id", "parties"), ("cited_source_id", "sources")),
    "sources": (("publisher_id", "parties"),),
}

_LIST_REF: Final = (
    " Table Schema foreign keys cannot point from inside a list, so this reference is "
    "not declared as one."
)
_FIELD_NOTES: Final = {
    "evidence": "JSON array of {source_id, line, note}; source_id is a sources.id." + _LIST_REF,
    "aliases": "JSON array of strings.",
    "persons.roles": "JSON array of {title, evidence, party_id, place, period, former}; "
    "party_id is a parties.id." + _LIST_REF,
    "sources.inferred": "JSON array of field names.",
    "claims.claimant.id": "A persons.id, parties.id or sources.id, as claimant.kind says; a "
    "reference to one of three tables cannot be a Table Schema foreign key.",
    "claims.from_party_ids": "JSON array of parties.id, in printed order." + _LIST_REF,
    "claims.person_ids": "JSON array of persons.id." + _LIST_REF,
    "claims.disputed_by": "JSON array of claims.id." + _LIST_REF,
}

_FIELD_DOCS: Final = {  # replace the model's wording, which is for curators
    "parties.partyfacts_id": "The Party Facts ID (partyfacts.org), to join ParlGov, Manifesto "
    "Project, V-Party and other party datasets; null where Party Facts lists none.",
    "parties.wikidata_id": "The Wikidata QID, e.g. Q769308; null where Wikidata lists none.",
}

_PATTERNS: Final = {"wikidata_id": "Q[1-9][0-9]*", "document_sha256": "[0-9a-f]{64}"}


def _datapackage(ds: Dataset, csv_bytes: dict[str, bytes]) -> bytes:
    """``datapackage.json`` for the CSV files already rendered into ``csv_bytes``."""
    import hashlib
    import inspect

    from cambodefect.schema import MODELS, SCHEMA_VERSION

    resources = []
    for table in TABLES:
        data = csv_bytes[table]
        model = MODELS[table]
        summary = (inspect.getdoc(model) or "").split("\n", 1)[0]
        resources.append(
            {
                "name": table,
                "path": f"{table}.csv",
                "profile": "tabular-data-resource",
                "title": f"{table} ({model.__name__} records)",
                "description": " ".join(filter(None, [summary, _TABLE_NOTES.get(table)])),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(data),
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                "schema": _table_schema(ds.table(table), table),
            }
        )
    sources = [
        {"title": f"{s.title} ({s.publisher})" if s.publisher else str(s.title)}
        for s in ds.iter_sources()
        if s.read_directly
    ]
    package = {
        "profile": "tabular-data-package",
        "name": "cambodefect",
        "title": "cambodefect: claimed political defections in Cambodia",
        "description": _DESCRIPTION,
        "version": ds.version,
        "keywords": ["cambodia", "politics", "defections", "claims"],
        "licenses": [_LICENSE],
        "sources": sources,
        "cambodefect:schema_version": SCHEMA_VERSION,
        "resources": resources,
    }
    return (_dumps(package, indent=2) + "\n").encode("utf-8")


def _table_schema(table: pa.Table, name: str) -> dict[str, Any]:
    from cambodefect.schema import MODELS

    info = _model_fields(MODELS[name])
    fields = []
    for col in _flat_columns(table.slice(0, 0)):
        enum, doc = info.get(col.name, (None, ""))
        doc = _FIELD_DOCS.get(f"{name}.{col.name}", doc)
        notes = [doc, _FIELD_NOTES.get(f"{name}.{col.name}", _FIELD_NOTES.get(col.name, ""))]
        notes += [
            f"Foreign key to {t}.id." for f, t in _FOREIGN_KEYS.get(name, ()) if f == col.name
        ]
        constraints: dict[str, Any] = {}
        if col.required:
            constraints["required"] = True
        if enum:
            constraints["enum"] = list(enum)
        if col.name in _PATTERNS:
            constraints["pattern"] = _PATTERNS[col.name]
        if col.name.startswith("count.") and col.type == "integer":
            constraints["minimum"] = 0
        field: dict[str, Any] = {"name": col.name, "type": col.type}
        field["description"] = " ".join(n for n in notes if n)
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    foreign_keys = [
        {"fields": f, "reference": {"resource": "" if t == name else t, "fields": "id"}}
        for f, t in _FOREIGN_KEYS.get(name, ())
    ]
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""], "primaryKey": ["id"]}
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def _model_fields(cls: type, prefix: str = "") -> dict[str, tuple[tuple[str, ...] | None, str]]:
    """Dotted field name -> (enum values or None, description), through nested models."""
    hints = typing.get_type_hints(cls)
    docs = _attribute_docs(cls)
    out: dict[str, tuple[tuple[str, ...] | None, str]] = {}
    for field in attrs.fields(cls):
        type_ = hints[field.name]
        args = [a for a in typing.get_args(type_) if a is not type(None)]
        if len(args) == 1 and type(None) in typing.get_args(type_):
            type_ = args[0]
        name = prefix + field.name
        is_enum = isinstance(type_, type) and issubclass(type_, Enum)
        values = tuple(m.value for m in type_) if is_enum else None
        out[name] = (values, docs.get(field.name, ""))
        if isinstance(type_, type) and attrs.has(type_):
            out.update(_model_fields(type_, name + "."))
    return out


_ROLE_RE: Final = r":\w+:`~?(?:[\w.]+\.)?(\w+)`"  # :class:`~a.b.Name` -> Name
_ENTRY_RE: Final = r"    (\w+): (.*)"


@functools.cache
def _attribute_docs(cls: type) -> dict[str, str]:
    """The ``Attributes:`` section of a model's docstring, as plain sentences."""
    import inspect
    import re

    section = (inspect.getdoc(cls) or "").partition("Attributes:\n")[2]
    docs: dict[str, str] = {}
    name = None
    for line in section.splitlines():
        if line.strip() and not line.startswith("    "):
            break  # the next section
        match = re.fullmatch(_ENTRY_RE, line)
        if match:
            name, docs[match[1]] = match[1], match[2]
        elif name and line.strip():
            docs[name] += " " + line.strip()
    plain = {k: re.sub(_ROLE_RE, r"\1", v).replace("``", "") for k, v in docs.items()}
    return {k: v[:1].upper() + v[1:] for k, v in plain.items()}


# -- Popolo ------------------------------------------------------------------------


def _popolo_date(d: FuzzyDate | None) -> str | None:
    """A Popolo date (YYYY-MM-DD, YYYY-MM or YYYY) at the date's precision; none for a range."""
    if d is None or d.start is None:
        return None
    widths = {"day": 10, "month": 7, "year": 4}
    width = widths.get(d.precision.value)
    return d.start.isoformat()[:width] if width else None


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v is not None and v != [] and v != ()}


def _popolo(ds: Dataset) -> bytes:
    from cambodefect.converter import unstructure
    from cambodefect.schema import SCHEMA_VERSION

    persons, memberships = [], []
    for p in ds.iter_persons():
        persons.append(
            _compact(
                {
                    "id": p.id,
                    "name": p.name,
                    "other_names": [{"name": a} for a in p.aliases],
                    "cambodefect:evidence": unstructure(p.evidence),
                    "cambodefect:note": p.note,
                }
            )
        )
        for n, role in enumerate(p.roles, 1):
            dated = _popolo_date(role.period)
            memberships.append(
                _compact(
                    {
                        "id": f"{p.id}-role-{n}",
                        "person_id": p.id,
                        "organization_id": role.party_id,
                        "role": role.title,
                        "start_date": dated,
                        "end_date": dated,
                        "cambodefect:place": role.place,
                        "cambodefect:period": unstructure(role.period),
                        "cambodefect:former": role.former,
                        "cambodefect:evidence": [unstructure(role.evidence)],
                    }
                )
            )
    organizations = []
    for party in ds.iter_parties():
        other = [{"name": party.short_name, "note": "short name"}] if party.short_name else []
        other += [{"name": a} for a in party.aliases if a not in (party.name, party.short_name)]
        ids = []
        if party.partyfacts_id is not None:
            ids.append({"scheme": "partyfacts", "identifier": str(party.partyfacts_id)})
        if party.wikidata_id is not None:
            ids.append({"scheme": "wikidata", "identifier": party.wikidata_id})
        organizations.append(
            _compact(
                {
                    "id": party.id,
                    "name": party.name,
                    "classification": party.kind.value,
                    "other_names": other,
                    "identifiers": ids,
                    "dissolution_date": _popolo_date(party.dissolved),
                    "cambodefect:dissolved": unstructure(party.dissolved),
                    "cambodefect:evidence": unstructure(party.evidence),
                    "cambodefect:note": party.note,
                }
            )
        )
    doc = {
        "cambodefect:dataset": {
            "version": ds.version,
            "schema_version": SCHEMA_VERSION,
            "license": _LICENSE["name"],
            "note": "Evidence source_ids are IDs in the sources table of the same dataset "
            "version; persons and organizations are named in claims, which are not facts.",
        },
        "persons": persons,
        "organizations": organizations,
        "memberships": memberships,
    }
    return (_dumps(doc, indent=2) + "\n").encode("utf-8")
