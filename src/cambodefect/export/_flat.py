"""Flat columns for tabular formats: structs dotted, lists as JSON text, enums as strings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from cambodefect.export._json import dumps

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["Column", "flat_columns"]


@attrs.frozen
class Column:
    """One flat column: dotted name, Arrow array, Table Schema type, required."""

    name: str
    array: Any
    type: str
    required: bool


def flat_columns(table: pa.Table) -> list[Column]:
    """Structs flattened to dotted columns, lists as JSON text, enums as strings."""
    import pyarrow as pa

    out: list[Column] = []

    def walk(name: str, type_: Any, array: Any, required: bool) -> None:
        if pa.types.is_struct(type_):
            for child, values in zip(
                [type_.field(i) for i in range(type_.num_fields)], array.flatten(), strict=True
            ):
                walk(f"{name}.{child.name}", child.type, values, required and not child.nullable)
        elif pa.types.is_list(type_):
            cells = [None if v is None else dumps(v) for v in array.to_pylist()]
            out.append(Column(name, pa.array(cells, pa.string()), "array", required))
        elif pa.types.is_dictionary(type_) or pa.types.is_string(type_):
            out.append(Column(name, array.cast(pa.string()), "string", required))
        elif pa.types.is_integer(type_):
            out.append(Column(name, array, "integer", required))
        elif pa.types.is_boolean(type_):
            out.append(Column(name, array, "boolean", required))
        elif pa.types.is_date32(type_):
            out.append(Column(name, array, "date", required))
        else:  # pragma: no cover - the schemas use no other type
            raise TypeError(f"no flat CSV form for column {name!r} of type {type_}")

    for field in table.schema:
        walk(field.name, field.type, table.column(field.name).combine_chunks(), not field.nullable)
    return out
