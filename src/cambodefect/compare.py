"""Compare dataset versions: what changed between two of them, record by record, field by field.

Records are matched by their stable ID. A record present only in the newer version
is *added*, one only in the older is *removed* (unless a redirect in the newer
version says it was merged into another record: then it is *redirected*), and one
in both whose fields differ is *changed*, with each differing field listed.

Examples:
    >>> import cambodefect as cd
    >>> d = cd.diff("1.0.0", "1.0.0")
    >>> d.is_empty()
    True
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs

from cambodefect.schema import TABLES

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = ["Change", "DatasetDiff", "TableDiff", "diff"]


@attrs.frozen
class Change:
    """One field of one record that differs.

    Attributes:
        field: the field name (dotted for nested fields, e.g. ``count.value``).
        old: the value in the older version.
        new: the value in the newer version.
    """

    field: str
    old: Any
    new: Any


@attrs.frozen
class TableDiff:
    """The differences in one table.

    Attributes:
        table: the table name.
        added: IDs only in the newer version.
        removed: IDs only in the older version, with no redirect.
        redirected: retired ID -> the ID that now stands for it.
        changed: ID -> the fields that differ.
    """

    table: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    redirected: dict[str, str] = attrs.field(factory=dict)
    changed: dict[str, tuple[Change, ...]] = attrs.field(factory=dict)

    def is_empty(self) -> bool:
        """Whether the table is unchanged."""
        return not (self.added or self.removed or self.redirected or self.changed)


@attrs.frozen
class DatasetDiff:
    """The differences between two versions, per table.

    Attributes:
        old: the older version's identifier.
        new: the newer version's identifier.
        tables: one [`TableDiff`][cambodefect.compare.TableDiff] per table.
    """

    old: str
    new: str
    tables: tuple[TableDiff, ...]

    def is_empty(self) -> bool:
        """Whether the two versions hold the same records."""
        return all(t.is_empty() for t in self.tables)

    def table(self, name: str) -> TableDiff:
        """The diff of one table."""
        for t in self.tables:
            if t.table == name:
                return t
        raise KeyError(f"unknown table {name!r}; tables: {', '.join(TABLES)}")

    def lines(self) -> Iterator[str]:
        """A readable report, one line per added, removed, redirected or changed record."""
        yield f"diff {self.old} -> {self.new}"
        for t in self.tables:
            counts = f"+{len(t.added)} -{len(t.removed)} ~{len(t.changed)} >{len(t.redirected)}"
            yield f"{t.table}: {counts}"
            for ident in t.added:
                yield f"  + {ident}"
            for ident in t.removed:
                yield f"  - {ident}"
            for old, new in sorted(t.redirected.items()):
                yield f"  > {old} -> {new}"
            for ident, changes in sorted(t.changed.items()):
                for c in changes:
                    yield f"  ~ {ident}.{c.field}: {c.old!r} -> {c.new!r}"

    def __str__(self) -> str:
        return "\n".join(self.lines())


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, inner in value.items():
            out.update(_flat(inner, f"{prefix}.{key}" if prefix else key))
        return out
    return {prefix: value}


def _rows(ds: Dataset, table: str) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in ds.table(table).to_pylist()}


def _table_diff(old: Dataset, new: Dataset, table: str) -> TableDiff:
    a, b = _rows(old, table), _rows(new, table)
    moves = new.manifest.redirects.get(table, {})
    gone = sorted(set(a) - set(b))
    redirected = {i: new.redirect(table, i) for i in gone if i in moves}
    changed: dict[str, tuple[Change, ...]] = {}
    for ident in sorted(set(a) & set(b)):
        fa, fb = _flat(a[ident]), _flat(b[ident])
        diffs = tuple(
            Change(field, fa.get(field), fb.get(field))
            for field in sorted(fa.keys() | fb.keys())
            if fa.get(field) != fb.get(field)
        )
        if diffs:
            changed[ident] = diffs
    return TableDiff(
        table=table,
        added=tuple(sorted(set(b) - set(a))),
        removed=tuple(i for i in gone if i not in redirected),
        redirected=redirected,
        changed=changed,
    )


def diff(old: Dataset | str, new: Dataset | str) -> DatasetDiff:
    """Compare two datasets (or bundled versions by number): added, removed,
    redirected and changed records per table, with field-level changes.

    Examples:
        >>> import cambodefect as cd
        >>> print(cd.diff("1.0.0", cd.load("1.0.0")).tables[0])  # doctest: +ELLIPSIS
        TableDiff(table='parties', added=(), removed=(), redirected={}, changed={})
    """
    from cambodefect.dataset import load

    a = load(old) if isinstance(old, str) else old
    b = load(new) if isinstance(new, str) else new
    return DatasetDiff(
        old=a.version,
        new=b.version,
        tables=tuple(_table_diff(a, b, table) for table in TABLES),
    )
