"""One Arrow schema per table, and the lossless model <-> Arrow conversion.

Nested values are Arrow structs and lists, enums are dictionary-encoded strings,
dates are ``date32``. Every file carries `SCHEMA_VERSION` and its table name
in the schema metadata. A test asserts that each schema's fields match the
model's ``attrs`` fields, recursively, so the two cannot drift.

Examples:
    >>> from cambodefect.schema import SCHEMAS, to_table, from_table
    >>> SCHEMAS["claims"].field("count").type.field("qualifier").type
    DictionaryType(dictionary<values=string, indices=int8, ordered=0>)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Final, TypeVar

import pyarrow as pa

from cambodefect.errors import SchemaError

__all__ = [
    "HISTORY",
    "MODELS",
    "SCHEMAS",
    "SCHEMA_VERSION",
    "TABLES",
    "check_schema",
    "from_table",
    "iter_records",
    "tables_of",
    "to_table",
]

SCHEMA_VERSION: Final = "3"
"""Bumped on any change to a table's fields or types (a major dataset change). Files of
older schema versions still load: `cambodefect._migrate` upgrades them in memory."""

T = TypeVar("T")

_ENUM = pa.dictionary(pa.int8(), pa.string())


def _f(name: str, type_: pa.DataType, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable)


_DATE = pa.struct(
    [
        _f("precision", _ENUM, False),
        _f("start", pa.date32()),
        _f("end", pa.date32()),
        _f("text", pa.string()),
        _f("inferred", pa.bool_(), False),
    ]
)
_COUNT = pa.struct(
    [
        _f("qualifier", _ENUM, False),
        _f("unit", _ENUM, False),
        _f("value", pa.int64()),
        _f("low", pa.int64()),
        _f("high", pa.int64()),
        _f("text", pa.string()),
    ]
)
_CLAIMANT = pa.struct(
    [
        _f("kind", _ENUM, False),
        _f("alignment", _ENUM, False),
        _f("id", pa.string()),
        _f("label", pa.string()),
    ]
)
_STRINGS = pa.list_(pa.field("item", pa.string(), False))
_PLACE = pa.struct([_f("text", pa.string(), False), _f("province", pa.string())])
_OVERLAPS = pa.list_(
    pa.field(
        "item",
        pa.struct([_f("claim_id", pa.string(), False), _f("note", pa.string(), False)]),
        False,
    )
)


def _schema(table: str, fields: Sequence[pa.Field], version: str = SCHEMA_VERSION) -> pa.Schema:
    meta = {"cambodefect.schema_version": version, "cambodefect.table": table}
    return pa.schema(fields, metadata=meta)


def _build(version: int) -> dict[str, pa.Schema]:
    """Every table's schema in schema version ``version``, frozen once written.

    1 (dataset 1.0.0): four tables. 2 (2.0.0): the ``events`` table; claims gain
    ``subset_of``, ``may_overlap``, ``event_id``, ``place``. 3: evidence cites a line
    or a paragraph (``line`` nullable, ``paragraph`` added); sources gain ``mirrors``,
    ``accessed``, ``extent``, ``paragraphs``; parties gain ``stance`` (alignment, reason,
    evidence, ``until``).
    """
    web = version >= 3
    evidence = pa.struct(
        [
            _f("source_id", pa.string(), False),
            _f("line", pa.int32(), web),
            _f("note", pa.string(), False),
            *([_f("paragraph", pa.int32())] if web else []),
        ]
    )
    evidences = pa.list_(pa.field("item", evidence, False))
    role = pa.struct(
        [
            _f("title", pa.string(), False),
            _f("evidence", evidence, False),
            _f("party_id", pa.string()),
            _f("place", pa.string()),
            _f("period", _DATE),
            _f("former", pa.bool_(), False),
        ]
    )
    stance = pa.struct(
        [
            _f("alignment", _ENUM, False),
            _f("reason", pa.string(), False),
            _f("evidence", evidences, False),
            _f("until", pa.date32()),
        ]
    )
    claims = [
        _f("id", pa.string(), False),
        _f("kind", _ENUM, False),
        _f("claimant", _CLAIMANT, False),
        _f("evidence", evidences, False),
        _f("count", _COUNT),
        _f("from_party_ids", _STRINGS, False),
        _f("to_party_id", pa.string()),
        _f("person_ids", _STRINGS, False),
        _f("period", _DATE),
        _f("reported", _DATE),
        _f("cited_source_id", pa.string()),
        _f("part_of", pa.string()),
    ]
    if version >= 2:
        claims += [_f("subset_of", pa.string()), _f("may_overlap", _OVERLAPS, False)]
    claims.append(_f("disputed_by", _STRINGS, False))
    if version >= 2:
        claims += [_f("event_id", pa.string()), _f("place", _PLACE)]
    claims += [_f("label", pa.string()), _f("note", pa.string())]
    tag = str(version)
    out = {
        "parties": _schema(
            "parties",
            [
                _f("id", pa.string(), False),
                _f("name", pa.string(), False),
                _f("kind", _ENUM, False),
                _f("evidence", evidences, False),
                _f("short_name", pa.string()),
                _f("aliases", _STRINGS, False),
                _f("dissolved", _DATE),
                _f("partyfacts_id", pa.int64()),
                _f("wikidata_id", pa.string()),
                _f("note", pa.string()),
                *([_f("stance", stance)] if web else []),
            ],
            tag,
        ),
        "persons": _schema(
            "persons",
            [
                _f("id", pa.string(), False),
                _f("name", pa.string(), False),
                _f("evidence", evidences, False),
                _f("aliases", _STRINGS, False),
                _f("roles", pa.list_(pa.field("item", role, False)), False),
                _f("note", pa.string()),
            ],
            tag,
        ),
        "sources": _schema(
            "sources",
            [
                _f("id", pa.string(), False),
                _f("kind", _ENUM, False),
                _f("alignment", _ENUM, False),
                _f("read_directly", pa.bool_(), False),
                _f("evidence", evidences, False),
                _f("title", pa.string()),
                _f("publisher", pa.string()),
                _f("publisher_id", pa.string()),
                _f("published", _DATE),
                _f("document", pa.string()),
                _f("document_sha256", pa.string()),
                _f("url", pa.string()),
                _f("inferred", _STRINGS, False),
                _f("note", pa.string()),
                *(
                    [
                        _f("mirrors", _STRINGS, False),
                        _f("accessed", pa.date32()),
                        _f("extent", _ENUM),
                        _f("paragraphs", pa.int32()),
                    ]
                    if web
                    else []
                ),
            ],
            tag,
        ),
    }
    if version >= 2:
        out["events"] = _schema(
            "events",
            [
                _f("id", pa.string(), False),
                _f("kind", _ENUM, False),
                _f("evidence", evidences, False),
                _f("date", _DATE),
                _f("place", _PLACE),
                _f("note", pa.string()),
            ],
            tag,
        )
    out["claims"] = _schema("claims", claims, tag)
    return out


HISTORY: Final[dict[str, dict[str, pa.Schema]]] = {str(v): _build(v) for v in (1, 2, 3)}
"""Every schema version this library reads: version -> table name -> schema (in table
order). Older versions stay readable: `cambodefect._migrate` upgrades them."""

SCHEMAS: Final[dict[str, pa.Schema]] = HISTORY[SCHEMA_VERSION]
"""The Arrow schema of each table, by table name."""


class _Models(Mapping[str, type[Any]]):
    """Table name -> model class, importing the attrs models on first use only (loading
    a dataset never needs them; they are a third of a cold ``load()``'s imports)."""

    @functools.cached_property
    def _by_name(self) -> dict[str, type[Any]]:
        from cambodefect.models import Claim, Event, Party, Person, Source

        return {
            "parties": Party,
            "persons": Person,
            "sources": Source,
            "events": Event,
            "claims": Claim,
        }

    def __getitem__(self, name: str) -> type[Any]:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)


MODELS: Final[Mapping[str, type[Any]]] = _Models()
"""The model class of each table, by table name."""

TABLES: Final = ("parties", "persons", "sources", "events", "claims")
"""The table names, in the order they are built and listed."""


def tables_of(version: str) -> tuple[str, ...]:
    """The table names of a schema version, in order (``KeyError`` if unknown)."""
    return tuple(HISTORY[version])


def _plain(type_: pa.DataType) -> pa.DataType:
    """``type_`` with every dictionary type replaced by its value type, recursively."""
    if pa.types.is_dictionary(type_):
        return type_.value_type
    if pa.types.is_struct(type_):
        return pa.struct([f.with_type(_plain(f.type)) for f in type_])
    if pa.types.is_list(type_):
        return pa.list_(type_.value_field.with_type(_plain(type_.value_type)))
    return type_


_PLAIN: Final[dict[str, pa.Schema]] = {
    name: pa.schema([f.with_type(_plain(f.type)) for f in schema], metadata=schema.metadata)
    for name, schema in SCHEMAS.items()
}


def to_table(records: Iterable[Any], table: str) -> pa.Table:
    """Build the Arrow table ``table`` from model instances, in the order given.

    Enum columns are built as strings and then cast to dictionaries: building a
    dictionary column directly would leave out-of-range indices under null structs,
    which a full Arrow validation rejects.

    Examples:
        >>> to_table([], "claims").num_rows
        0
    """
    from cambodefect.converter import unstructure  # cattrs loads on first use only

    rows = [unstructure(r) for r in records]
    plain = pa.Table.from_pylist(rows, schema=_PLAIN[table])
    return plain.cast(SCHEMAS[table]).replace_schema_metadata(SCHEMAS[table].metadata)


def iter_records(table: pa.Table, cls: type[T]) -> Iterator[T]:
    """Yield each row of an Arrow table as a ``cls`` instance, one batch at a time."""
    from cambodefect.converter import structure  # cattrs loads on first use only

    for batch in table.to_batches():
        for row in batch.to_pylist():
            yield structure(row, cls)


def from_table(table: pa.Table, cls: type[T]) -> list[T]:
    """Turn every row of an Arrow table back into model instances (lossless)."""
    return list(iter_records(table, cls))


@functools.cache
def _serialized(version: str, name: str) -> pa.Buffer:
    """The IPC bytes of table ``name``'s schema in schema ``version`` (comparing them is
    about half the cost of `pyarrow.Schema.equals` on the nested claim schema)."""
    return HISTORY[version][name].serialize()


def check_schema(table: pa.Table, name: str, where: str, version: str = SCHEMA_VERSION) -> None:
    """Raise [`SchemaError`][cambodefect.SchemaError] unless ``table`` has exactly the schema of
    ``name`` in schema version ``version``."""
    expected = HISTORY[version][name]
    got = table.schema
    if got.serialize().equals(_serialized(version, name)):
        return  # the usual case: the same bytes are the same schema, metadata included
    if got.equals(expected, check_metadata=True):
        return  # the same schema serialized differently (another pyarrow wrote it)
    if not got.equals(expected, check_metadata=False):
        want = {f.name: str(f.type) for f in expected}
        have = {f.name: str(f.type) for f in got}
        diff = sorted(
            f"{k}: expected {want.get(k, 'absent')}, found {have.get(k, 'absent')}"
            for k in want.keys() | have.keys()
            if want.get(k) != have.get(k)
        ) or ["field nullability or order differs"]
        raise SchemaError(where, f"not the {name!r} schema: " + "; ".join(diff))
    meta = got.metadata or {}
    version_found = meta.get(b"cambodefect.schema_version", b"").decode("utf-8", "replace")
    if version_found != version:
        raise SchemaError(
            where, f"schema version {version_found or 'missing'!r}, the manifest says {version!r}"
        )
    table_name = meta.get(b"cambodefect.table", b"").decode("utf-8", "replace")
    if table_name != name:
        raise SchemaError(where, f"file holds table {table_name or 'unnamed'!r}, not {name!r}")
