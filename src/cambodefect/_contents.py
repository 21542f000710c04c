"""What every reader of a table file may assume, checked: schema, buffers, values.

Loading a dataset runs `check_contents` on every file it has not verified in
this process. It must cost little beside reading the file (docs/benchmarks.md): Arrow
validates the buffers, and a walk planned once per schema checks what Arrow does not
(non-nullable fields, dictionaries, Python's date range) on the columns that need it,
reading buffers directly rather than through ``pyarrow.compute`` (whose import costs
more than a load).
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from cambodefect.errors import IntegrityError, SchemaError
from cambodefect.schema import HISTORY, SCHEMA_VERSION, check_schema

__all__ = ["check_contents"]

# The days since 1970-01-01 of datetime.date.min and datetime.date.max: a date32
# outside them cannot become a Python date.
_DATE32_MIN, _DATE32_MAX = -719_162, 2_932_896


def check_contents(table: pa.Table, name: str, where: str, version: str = SCHEMA_VERSION) -> None:
    """Refuse a table whose schema, buffers or values break what every reader assumes.

    The IPC reader trusts the file's offsets and lengths, so a crafted file could
    make a later conversion read out of bounds: ``validate(full=True)`` checks every
    buffer, offset, dictionary index and UTF-8 string. Arrow does not enforce
    ``nullable=False`` nor Python's date range, so those are checked here too; a
    table that passes converts to Python without error.
    """
    try:
        check_schema(table, name, where, version)
    except UnicodeDecodeError as err:
        raise SchemaError(where, f"not the {name!r} schema: a field name is not UTF-8") from err
    try:
        table.validate(full=True)
    except (pa.ArrowException, ValueError) as err:
        raise IntegrityError(where, f"invalid Arrow data ({err})") from err
    # check_schema has shown the table has this version's schema: its plan applies.
    for index, plan in _plan(version, name):
        for chunk in table.column(index).chunks:
            problem = _check_array(chunk, plan, 0)
            if problem:
                raise IntegrityError(where, problem)


# A check plan node: (path, nullable, kind, children); kind is "struct" (children:
# (child index, node) pairs), "list" (children: the value node), "dictionary", "date"
# or "" (nulls only). Fields with nothing to check inside are left out of the plan.
_Node = tuple[str, bool, str, tuple[Any, ...]]
_PLANS: dict[tuple[str, str], list[tuple[int, _Node]]] = {}


def _plan(version: str, name: str) -> list[tuple[int, _Node]]:
    """The columns of table ``name`` (schema ``version``) to check, and how (cached)."""
    key = (version, name)
    if key not in _PLANS:
        fields = HISTORY[version][name]
        nodes = [(i, _node(field, field.name)) for i, field in enumerate(fields)]
        _PLANS[key] = [(i, node) for i, node in nodes if node is not None]
    return _PLANS[key]


def _node(field: pa.Field, path: str) -> _Node | None:
    kind = field.type
    if pa.types.is_struct(kind):
        children = tuple(
            (i, node)
            for i, child in enumerate(kind)
            if (node := _node(child, f"{path}.{child.name}")) is not None
        )
        return (
            (path, field.nullable, "struct", children) if children or not field.nullable else None
        )
    if pa.types.is_list(kind):
        value = _node(kind.value_field, f"{path}[]")
        return (path, field.nullable, "list", (value,)) if value or not field.nullable else None
    if pa.types.is_dictionary(kind):
        return (path, field.nullable, "dictionary", ())
    if pa.types.is_date32(kind):
        return (path, field.nullable, "date", ())
    return None if field.nullable else (path, False, "", ())


def _check_array(arr: pa.Array, node: _Node, parent_nulls: int) -> str | None:
    """What is wrong with ``arr`` (nulls its field forbids, dates out of range), or None.

    ``parent_nulls`` counts the nulls ``arr`` inherits from a null parent struct.
    """
    path, nullable, kind, children = node
    if not nullable and arr.null_count > parent_nulls:
        return f"column {path!r} holds nulls but is not nullable"
    if kind == "struct" and children:
        # Without nulls of its own, a struct's fields are its flattened children;
        # fetching only the checked ones costs less than flattening them all.
        flat = arr.flatten() if arr.null_count else None
        for i, child in children:
            field = arr.field(i) if flat is None else flat[i]
            problem = _check_array(field, child, arr.null_count)
            if problem:
                return problem
    elif kind == "list" and children and children[0] is not None:
        # The values the offsets span (flatten() would import pyarrow.compute); stricter
        # than flatten(), which skips values hidden under null lists. All the values
        # are checked first: they hold the span, so if they pass, so does the span
        # (the usual case, with no offsets read); else the span alone decides.
        if _check_array(arr.values, children[0], 0) is None:
            return None
        start, end = arr.offsets[0].as_py(), arr.offsets[len(arr)].as_py()
        return _check_array(arr.values.slice(start, end - start), children[0], 0)
    elif kind == "dictionary" and arr.dictionary.null_count:
        return f"column {path!r} has a null in its dictionary"
    elif kind == "date" and not _dates_in_range(arr):
        return f"column {path!r} holds a date outside years 1 to 9999"
    return None


_SMALL = 1 << 16
"""Without numpy, date columns up to this length are checked in plain Python."""


def _dates_in_range(arr: pa.Array) -> bool:
    """Whether every valid date32 value of ``arr`` is a Python date (years 1 to 9999).

    Read straight from the (already validated) data buffer: first every slot, null or
    not (the usual case, one pass); only if a slot is out of range, the valid values
    alone. With numpy (which pyarrow imports when it is installed, so it costs nothing
    here) at any length: a ``memoryview`` walk costs about five times as much even on
    a few hundred dates. Without it, small columns use a ``memoryview`` of the buffer
    and large ones ``pyarrow.compute``, whose import costs more than a whole load of
    the bundled data.
    """
    if len(arr) == arr.null_count:
        return True
    data = arr.buffers()[1]
    start, stop = arr.offset, arr.offset + len(arr)
    try:
        import numpy as np
    except ImportError:
        return _dates_in_range_without_numpy(arr, data, start, stop)
    every = np.frombuffer(data, dtype=np.int32)[start:stop]
    if every.min() >= _DATE32_MIN and every.max() <= _DATE32_MAX:
        return True
    validity = arr.buffers()[0]
    if validity is not None and arr.null_count:
        bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")
        every = every[bits[start:stop].astype(bool)]
    return bool(every.min() >= _DATE32_MIN and every.max() <= _DATE32_MAX)


def _dates_in_range_without_numpy(arr: pa.Array, data: pa.Buffer, start: int, stop: int) -> bool:
    """`_dates_in_range` where numpy is not installed."""
    if len(arr) <= _SMALL:
        days = memoryview(data).cast("i")[start:stop]
        if min(days) >= _DATE32_MIN and max(days) <= _DATE32_MAX:
            return True
        valid = [d for d in arr.view(pa.int32()).to_pylist() if d is not None]
        return bool(min(valid) >= _DATE32_MIN and max(valid) <= _DATE32_MAX)
    import pyarrow.compute as pc

    low, high = pc.min_max(arr.view(pa.int32())).values()
    return bool(low.as_py() >= _DATE32_MIN and high.as_py() <= _DATE32_MAX)
