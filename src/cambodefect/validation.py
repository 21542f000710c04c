"""Validate a whole dataset: every violation, not just the first.

:func:`validate` checks the four tables of a :class:`~cambodefect.dataset.Dataset`
(or of any tables with its schemas) and returns a list of
:class:`~cambodefect.errors.Violation`, each with a stable ``code``, the record ID,
the field and a message naming the value. ``Dataset.check()`` raises
:class:`~cambodefect.errors.ValidationError` carrying all of them.

Every code, with its severity and meaning, is a member of
:class:`~cambodefect.errors.ViolationCode` (the table in ``docs/reliability.md`` is
generated from it). Value rules (count bounds, date precision) are the value types'
own: validation builds each :class:`~cambodefect.values.Count` and
:class:`~cambodefect.values.FuzzyDate` and reports the rule they raise. Alias
collisions are found with the very match keys lookup uses
(:mod:`cambodefect._names`), so a name lookup calls ambiguous is always reported.

Examples:
    >>> import cambodefect as cd
    >>> [v for v in cd.validate(cd.load()) if v.severity == "error"]
    []
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cambodefect import enums
from cambodefect._text import fold
from cambodefect.errors import (
    InvalidRecordError,
    RuleError,
    UnknownValueError,
    Violation,
    ViolationCode,
)
from cambodefect.schema import MODELS, TABLES
from cambodefect.storage import redirect_violations
from cambodefect.values import Count, FuzzyDate

if TYPE_CHECKING:
    import pyarrow as pa

    from cambodefect.dataset import Dataset

__all__ = ["redirect_violations", "validate"]  # redirect_violations: from storage

_ENUM_FIELDS: dict[str, dict[str, type[StrEnum]]] = {
    "parties": {"kind": enums.PartyKind},
    "sources": {"kind": enums.SourceKind, "alignment": enums.Alignment},
    "claims": {"kind": enums.ClaimKind},
}
_DATE_FIELDS: dict[str, tuple[str, ...]] = {
    "parties": ("dissolved",),
    "sources": ("published",),
    "claims": ("period", "reported"),
}


def validate(
    ds: Dataset | Mapping[str, pa.Table],
    *,
    documents: str | Path | Mapping[str, Sequence[str]] | None = None,
) -> list[Violation]:
    """Every violation in a dataset, errors and warnings, in table order.

    ``documents`` (a folder of the held documents, or a mapping of file name to its
    lines) enables the checks that need the texts: evidence lines in range and
    document checksums. Without it those checks are skipped.

    Examples:
        >>> import cambodefect as cd
        >>> codes = {v.code for v in cd.validate(cd.load())}
        >>> codes <= {"homonym"}
        True
    """
    tables = {name: ds[name] if isinstance(ds, Mapping) else ds.table(name) for name in TABLES}
    out: list[Violation] = []
    if isinstance(ds, Mapping):
        # Raw tables have not been through load()'s checks: a table whose buffers,
        # schema or values could not safely convert to Python is reported, not read.
        from cambodefect.errors import IntegrityError
        from cambodefect.storage import check_contents

        for name in TABLES:
            try:
                check_contents(tables[name], name, name)
            except IntegrityError as err:
                out.append(Violation(ViolationCode.INVALID_ARROW, name, "", err.reason))
        if out:
            return out
    rows = {name: tables[name].to_pylist() for name in TABLES}
    for name in TABLES:
        out += _row_checks(name, rows[name])
    out += _duplicate_ids(rows)
    out += _references(rows)
    out += _cycles(rows["claims"])
    out += _alias_collisions(rows)
    out += _claim_after_source(rows)
    if not isinstance(ds, Mapping):
        live = {name: {r.get("id") for r in rows[name]} for name in TABLES}
        out += redirect_violations(ds.manifest.redirects, live)
    if documents is not None:
        out += _document_checks(rows, _load_documents(documents))
    return out


# -- per-row checks -----------------------------------------------------------


def _rid(row: Mapping[str, Any], index: int) -> str:
    ident = row.get("id")
    return ident if isinstance(ident, str) and ident else f"#{index}"


def _row_checks(table: str, rows: list[dict[str, Any]]) -> Iterator[Violation]:
    from cambodefect.converter import structure

    for i, row in enumerate(rows):
        rid = _rid(row, i)
        specific = list(_specific(table, row, rid))
        yield from specific
        if specific:
            continue  # the model would only repeat the same problems less precisely
        try:
            structure(row, MODELS[table], record=rid)
        except InvalidRecordError as err:
            for v in err.violations:
                yield Violation(ViolationCode.INVALID_RECORD, rid, v.field, v.message)


def _specific(table: str, row: dict[str, Any], rid: str) -> Iterator[Violation]:
    for field, enum in _ENUM_FIELDS.get(table, {}).items():
        yield from _enum_check(enum, row.get(field), rid, field)
    for field in _DATE_FIELDS.get(table, ()):
        yield from _date_checks(row.get(field), rid, field)
    if table == "claims":
        yield from _count_checks(row.get("count"), rid)
        claimant = row.get("claimant") or {}
        for field, enum in (("kind", enums.ClaimantKind), ("alignment", enums.Alignment)):
            yield from _enum_check(enum, claimant.get(field), rid, f"claimant.{field}")


def _enum_check(enum: type[StrEnum], value: Any, rid: str, field: str) -> Iterator[Violation]:
    try:
        enums.coerce(enum, value, field)
    except UnknownValueError as err:
        yield Violation(ViolationCode.ENUM_UNKNOWN, rid, field, str(err))


def _rule(rid: str, field: str, build: Callable[[], object]) -> Iterator[Violation]:
    """Build a value; report the rule it breaks under the rule's own code."""
    try:
        build()
    except RuleError as err:
        yield Violation(err.code, rid, field, str(err))
    except (ValueError, TypeError) as err:
        yield Violation(ViolationCode.INVALID_RECORD, rid, field, str(err))


def _date_checks(value: Any, rid: str, field: str) -> Iterator[Violation]:
    if not isinstance(value, dict):
        return
    precision = value.get("precision")
    bad = list(_enum_check(enums.Precision, precision, rid, f"{field}.precision"))
    if bad:
        yield from bad
        return
    yield from _rule(
        rid,
        field,
        lambda: FuzzyDate(
            precision=enums.coerce(enums.Precision, precision),
            start=value.get("start"),
            end=value.get("end"),
        ),
    )


def _count_checks(count: Any, rid: str) -> Iterator[Violation]:
    if not isinstance(count, dict):
        return
    q, unit = count.get("qualifier"), count.get("unit")
    bad = [
        *_enum_check(enums.Qualifier, q, rid, "count.qualifier"),
        *_enum_check(enums.Unit, unit, rid, "count.unit"),
    ]
    if bad:
        yield from bad
        return
    yield from _rule(
        rid,
        "count",
        lambda: Count(
            qualifier=enums.coerce(enums.Qualifier, q),
            unit=enums.coerce(enums.Unit, unit),
            value=count.get("value"),
            low=count.get("low"),
            high=count.get("high"),
        ),
    )


# -- whole-dataset checks -----------------------------------------------------


def _duplicate_ids(rows: Mapping[str, list[dict[str, Any]]]) -> Iterator[Violation]:
    for table in TABLES:
        seen: set[str] = set()
        for i, row in enumerate(rows[table]):
            rid = _rid(row, i)
            if rid in seen:
                yield Violation(ViolationCode.DUPLICATE_ID, rid, "id", f"ID used twice in {table}")
            seen.add(rid)


def _references(rows: Mapping[str, list[dict[str, Any]]]) -> Iterator[Violation]:
    ids = {table: {r.get("id") for r in rows[table]} for table in TABLES}
    claimant_tables = {"person": "persons", "organization": "parties", "source": "sources"}

    def check(rid: str, field: str, value: Any, table: str) -> Iterator[Violation]:
        if value is not None and value not in ids[table]:
            yield Violation(
                ViolationCode.DANGLING_REF, rid, field, f"{value!r} is not an ID in {table}"
            )

    def evidence(rid: str, field: str, items: Iterable[Any]) -> Iterator[Violation]:
        for j, ev in enumerate(items or ()):
            if isinstance(ev, dict):
                yield from check(rid, f"{field}[{j}].source_id", ev.get("source_id"), "sources")

    for i, row in enumerate(rows["parties"]):
        yield from evidence(_rid(row, i), "evidence", row.get("evidence") or ())
    for i, row in enumerate(rows["persons"]):
        rid = _rid(row, i)
        yield from evidence(rid, "evidence", row.get("evidence") or ())
        for j, role in enumerate(row.get("roles") or ()):
            yield from check(rid, f"roles[{j}].party_id", role.get("party_id"), "parties")
            yield from evidence(rid, f"roles[{j}].evidence", [role.get("evidence")])
    for i, row in enumerate(rows["sources"]):
        rid = _rid(row, i)
        yield from evidence(rid, "evidence", row.get("evidence") or ())
        yield from check(rid, "publisher_id", row.get("publisher_id"), "parties")
    for i, row in enumerate(rows["claims"]):
        rid = _rid(row, i)
        yield from evidence(rid, "evidence", row.get("evidence") or ())
        for j, party in enumerate(row.get("from_party_ids") or ()):
            yield from check(rid, f"from_party_ids[{j}]", party, "parties")
        yield from check(rid, "to_party_id", row.get("to_party_id"), "parties")
        for j, person in enumerate(row.get("person_ids") or ()):
            yield from check(rid, f"person_ids[{j}]", person, "persons")
        yield from check(rid, "cited_source_id", row.get("cited_source_id"), "sources")
        yield from check(rid, "part_of", row.get("part_of"), "claims")
        for j, other in enumerate(row.get("disputed_by") or ()):
            yield from check(rid, f"disputed_by[{j}]", other, "claims")
        claimant = row.get("claimant") or {}
        table = claimant_tables.get(str(claimant.get("kind")))
        if table is not None:
            yield from check(rid, "claimant.id", claimant.get("id"), table)


def _cycles(claims: list[dict[str, Any]]) -> Iterator[Violation]:
    parent = {r.get("id"): r.get("part_of") for r in claims}
    reported: set[str] = set()
    for start in parent:
        seen: list[str] = []
        node = start
        while node is not None and node in parent and node not in seen:
            seen.append(node)
            node = parent[node]
        if node is not None and node in seen:
            loop = seen[seen.index(node) :]
            if not reported & set(loop):
                reported |= set(loop)
                path = " -> ".join([*loop, node])
                yield Violation(
                    ViolationCode.PART_OF_CYCLE, node, "part_of", f"part_of loops: {path}"
                )


def _alias_collisions(rows: Mapping[str, list[dict[str, Any]]]) -> Iterator[Violation]:
    """Spellings that name several entities, under the keys lookup uses.

    Entities that print the very same name are deliberate homonyms (a warning: the
    name is ambiguous on lookup, by design); any other collision is an error.
    """
    from cambodefect._names.index import NameIndex
    from cambodefect._names.parties import party_key, party_spellings
    from cambodefect._names.persons import person_key

    def spellings(table: str, row: Mapping[str, Any]) -> list[str]:
        name = row.get("name")
        name = name if isinstance(name, str) else ""
        aliases = [a for a in row.get("aliases") or () if isinstance(a, str) and a]
        if table == "parties":
            short = row.get("short_name")
            return party_spellings(name, short if isinstance(short, str) else None, aliases)
        return list(dict.fromkeys([name, *aliases]))

    keys: dict[str, Callable[[str], str]] = {"parties": party_key, "persons": person_key}
    for table, key in keys.items():
        entries = [(_rid(row, i), spellings(table, row)) for i, row in enumerate(rows[table])]
        printed = {rid: fold(names[0]) if names else "" for rid, names in entries}
        index = NameIndex(entries, key=key, what=table)
        for spelling_key, ids in sorted(index.collisions().items()):
            homonym = len({printed[r] for r in ids}) == 1
            code = ViolationCode.HOMONYM if homonym else ViolationCode.ALIAS_COLLISION
            listing = ", ".join(sorted(ids))
            for rid in sorted(ids):
                yield Violation(
                    code,
                    rid,
                    "aliases",
                    f"{spelling_key!r} names several {table}: {listing}"
                    + (" (same printed name: ambiguous on lookup)" if homonym else ""),
                )


def _claim_after_source(rows: Mapping[str, list[dict[str, Any]]]) -> Iterator[Violation]:
    published: dict[str, date] = {}
    for row in rows["sources"]:
        pub = row.get("published")
        if isinstance(pub, dict) and isinstance(pub.get("end"), date):
            published[row["id"]] = pub["end"]
    for i, row in enumerate(rows["claims"]):
        rid = _rid(row, i)
        for field in ("period", "reported"):
            value = row.get(field)
            start = value.get("start") if isinstance(value, dict) else None
            if not isinstance(start, date):
                continue
            for ev in row.get("evidence") or ():
                latest = published.get(str(ev.get("source_id"))) if isinstance(ev, dict) else None
                if latest is not None and start > latest:
                    yield Violation(
                        ViolationCode.DATE_AFTER_SOURCE,
                        rid,
                        field,
                        f"starts {start}, after {ev['source_id']} was published (by {latest})",
                    )


def _load_documents(documents: str | Path | Mapping[str, Sequence[str]]) -> dict[str, Any]:
    if isinstance(documents, Mapping):
        return {name: list(lines) for name, lines in documents.items()}
    folder = Path(documents)
    if not folder.is_dir():
        from cambodefect.errors import IntegrityError

        raise IntegrityError(str(folder), "documents folder not found")
    return {p.name: p for p in sorted(folder.iterdir()) if p.is_file()}


def _document_checks(
    rows: Mapping[str, list[dict[str, Any]]], docs: Mapping[str, Any]
) -> Iterator[Violation]:
    lengths: dict[str, int] = {}
    for i, row in enumerate(rows["sources"]):
        name = row.get("document")
        if not row.get("read_directly") or not isinstance(name, str):
            continue
        rid = _rid(row, i)
        doc = docs.get(name)
        if doc is None:
            yield Violation(ViolationCode.DOCUMENT_MISSING, rid, "document", f"{name!r} not found")
            continue
        if isinstance(doc, Path):
            data = doc.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if digest != row.get("document_sha256"):
                yield Violation(
                    ViolationCode.DOCUMENT_SHA256,
                    rid,
                    "document_sha256",
                    f"{name} has SHA-256 {digest}, the record says {row.get('document_sha256')}",
                )
            lines = data.decode("utf-8", "replace").splitlines()
        else:
            lines = doc
        lengths[rid] = len(lines)

    def evidence(rid: str, field: str, items: Iterable[Any]) -> Iterator[Violation]:
        for j, ev in enumerate(items):
            if not isinstance(ev, dict):
                continue
            n = lengths.get(str(ev.get("source_id")))
            line = ev.get("line")
            if n is not None and isinstance(line, int) and line > n:
                yield Violation(
                    ViolationCode.EVIDENCE_LINE,
                    rid,
                    f"{field}[{j}].line",
                    f"line {line} is past the end of {ev.get('source_id')} ({n} lines)",
                )

    for table in TABLES:
        for i, row in enumerate(rows[table]):
            rid = _rid(row, i)
            yield from evidence(rid, "evidence", row.get("evidence") or ())
            for j, role in enumerate(row.get("roles") or ()):
                yield from evidence(rid, f"roles[{j}].evidence", [role.get("evidence")])
