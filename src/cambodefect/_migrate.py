"""Reading older schema versions: each step upgrades one version's tables to the next.

A released dataset version is never rewritten (docs/ids.md), so files keep the schema
version they were written in. `upgrade` turns tables read and verified under
their own schema into tables of the current `SCHEMA_VERSION`,
in memory: fields added since are null (or empty lists), tables added since are empty.
Nothing is guessed: a field that did not exist holds no value.

Examples:
    >>> import cambodefect as cd
    >>> ds = cd.load("1.0.0")            # written in schema version 1
    >>> ds.events.num_rows, ds.claims.schema.field("may_overlap").type.value_type.names
    (0, ['claim_id', 'note'])
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc

from cambodefect.schema import HISTORY, SCHEMA_VERSION, SCHEMAS

__all__ = ["upgrade"]

Tables = dict[str, pa.Table]


def _empty_lists(n: int, type_: pa.DataType) -> pa.Array:
    offsets = pc.fill_null(pa.nulls(n + 1, pa.int32()), 0)
    return pa.ListArray.from_arrays(offsets, pa.array([], type_.value_type), type=type_)


def _missing(n: int, field: pa.Field) -> pa.Array:
    """A column for a field that did not exist: empty lists where it must not be null."""
    if pa.types.is_list(field.type) and not field.nullable:
        return _empty_lists(n, field.type)
    return pa.nulls(n, field.type)


def conform(array: pa.Array, target: pa.DataType) -> pa.Array:
    """``array`` as type ``target``, where ``target`` only adds (nullable) struct fields or
    relaxes nullability, at any depth: the new fields are null."""
    if array.type == target:
        return array
    if pa.types.is_struct(target):
        children = []
        for field in target:
            index = array.type.get_field_index(field.name)
            children.append(
                conform(array.field(index), field.type)
                if index >= 0
                else _missing(len(array), field)
            )
        mask = array.is_null() if array.null_count else None
        return pa.StructArray.from_arrays(children, fields=list(target), mask=mask)
    if pa.types.is_list(target):
        values = conform(array.values, target.value_type)
        mask = array.is_null() if array.null_count else None
        return pa.ListArray.from_arrays(array.offsets, values, type=target, mask=mask)
    return array.cast(target)


def _conform(table: pa.Table, name: str, version: str) -> pa.Table:
    """``table`` in the field order and types of schema ``version``, with missing fields
    filled (nulls, or empty lists for non-nullable lists) at any depth."""
    schema = HISTORY[version][name]
    columns = []
    for field in schema:
        if field.name in table.column_names:
            column = table.column(field.name)
            columns.append(
                pa.chunked_array([conform(c, field.type) for c in column.chunks], field.type)
            )
        else:
            columns.append(_missing(table.num_rows, field))
    return pa.Table.from_arrays(columns, schema=schema)


def _v1_to_v2(tables: Tables) -> Tables:
    out = {name: _conform(tables[name], name, "2") for name in ("parties", "persons", "sources")}
    out["events"] = SCHEMAS["events"].empty_table()
    out["claims"] = _conform(tables["claims"], "claims", "2")
    return out


def _v2_to_v3(tables: Tables) -> Tables:
    return {name: _conform(table, name, "3") for name, table in tables.items()}


_STEPS: dict[str, tuple[str, Callable[[Tables], Tables]]] = {
    "1": ("2", _v1_to_v2),
    "2": ("3", _v2_to_v3),
}
"""From version -> (to version, the step)."""


def upgrade(tables: Tables, version: str) -> Tables:
    """Tables of schema ``version`` as tables of the current schema version."""
    while version != SCHEMA_VERSION:
        version, step = _STEPS[version]
        tables = step(tables)
    return tables
