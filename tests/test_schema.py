"""Tests for cambodefect.schema: schemas match models; model -> Arrow -> model is lossless."""

from __future__ import annotations

import types
import typing
from typing import Any

import attrs
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cambodefect.schema import MODELS, SCHEMA_VERSION, SCHEMAS, TABLES, from_table, to_table
from cambodefect.testing import claims, events, parties, persons, sources

STRATEGIES: dict[str, st.SearchStrategy[Any]] = {
    "parties": parties(),
    "persons": persons(),
    "sources": sources(),
    "events": events(),
    "claims": claims(),
}


def _inner(tp: Any) -> Any:
    """The attrs class inside ``X | None`` or ``tuple[X, ...]``, if any."""
    for arg in typing.get_args(tp):
        if arg is not type(None) and arg is not Ellipsis:
            found = _inner(arg) if typing.get_args(arg) else arg
            if attrs.has(found):
                return found
    return tp


def _assert_matches(cls: type[Any], struct: pa.StructType | pa.Schema, path: str) -> None:
    hints = typing.get_type_hints(cls)
    names = [f.name for f in attrs.fields(cls)]
    arrow_names = (
        [struct.field(i).name for i in range(struct.num_fields)]
        if isinstance(struct, pa.StructType)
        else struct.names
    )
    assert arrow_names == names, f"{path}: {arrow_names} != {names}"
    for name in names:
        inner = _inner(hints[name])
        if attrs.has(inner):
            arrow_type = struct.field(name).type
            if pa.types.is_list(arrow_type):
                arrow_type = arrow_type.value_type
            _assert_matches(inner, arrow_type, f"{path}.{name}")
        else:
            optional = type(None) in typing.get_args(hints[name]) or isinstance(
                hints[name], types.UnionType
            )
            assert struct.field(name).nullable == optional, f"{path}.{name} nullability"


@pytest.mark.parametrize("table", TABLES)
def test_schema_fields_match_model_fields(table: str) -> None:
    """Each Arrow schema has the model's fields, in order, recursively, nullable iff optional."""
    _assert_matches(MODELS[table], SCHEMAS[table], table)


@pytest.mark.parametrize("table", TABLES)
def test_schema_carries_version_and_table_name(table: str) -> None:
    """The schema metadata names the schema version and the table."""
    meta = SCHEMAS[table].metadata
    assert meta[b"cambodefect.schema_version"] == SCHEMA_VERSION.encode()
    assert meta[b"cambodefect.table"] == table.encode()


@pytest.mark.parametrize("table", TABLES)
def test_model_to_arrow_to_model_is_lossless(table: str) -> None:
    """Any list of records survives a trip through an Arrow table unchanged."""

    @given(st.lists(STRATEGIES[table], max_size=5))
    def check(records: list[Any]) -> None:
        arrow = to_table(records, table)
        arrow.validate(full=True)
        assert arrow.schema.equals(SCHEMAS[table], check_metadata=True)
        assert from_table(arrow, MODELS[table]) == records

    check()


def test_enums_are_dictionary_encoded_and_dates_are_date32() -> None:
    """Enum columns are dictionary<int8, string>; dates are date32."""
    claims_schema = SCHEMAS["claims"]
    assert pa.types.is_dictionary(claims_schema.field("kind").type)
    assert claims_schema.field("period").type.field("start").type == pa.date32()
