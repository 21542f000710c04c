"""Validate a whole dataset: every violation, not just the first.

[`validate`][cambodefect.validation.validate] checks the four tables of a
[`Dataset`][cambodefect.Dataset] (or of any tables with its schemas) and returns a list of
[`Violation`][cambodefect.Violation], each with a stable ``code``, the record ID, the field and a
message naming the value. ``Dataset.check()`` raises
[`ValidationError`][cambodefect.ValidationError] carrying all of them.

Every code, with its severity and meaning, is a member of
[`ViolationCode`][cambodefect.ViolationCode] (the table in ``docs/reliability.md`` is
generated from it). Value rules (count bounds, date precision) are the value types'
own: validation builds each [`Count`][cambodefect.Count] and
[`FuzzyDate`][cambodefect.FuzzyDate] and reports the rule they raise. Alias
collisions are found with the very match keys lookup uses
(`cambodefect._names`), so a name lookup calls ambiguous is always reported.

Examples:
    >>> import cambodefect as cd
    >>> [v for v in cd.validate(cd.load()) if v.severity == "error"]
    []
"""

from __future__ import annotations

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
    "events": {"kind": enums.EventKind},
    "claims": {"kind": enums.ClaimKind},
}
_DATE_FIELDS: dict[str, tuple[str, ...]] = {
    "parties": ("dissolved",),
    "sources": ("published",),
    "events": ("date",),
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
    if isinstance(ds, Mapping):
        # Raw tables of dataset schema 1 have no events table: treat it as empty.
        from cambodefect.schema import SCHEMAS

        tables = {
            name: ds[name] if name in ds or name != "events" else SCHEMAS[name].empty_table()
            for name in TABLES
        }
    else:
        tables = {name: ds.table(name) for name in TABLES}
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
    out += _cycles(rows["claims"], "part_of", ViolationCode.PART_OF_CYCLE)
    out += _cycles(rows["claims"], "subset_of", ViolationCode.SUBSET_OF_CYCLE)
    out += _subsets(rows["claims"])
    out += _event_dates(rows)
    out += _alias_collisions(rows)
    out += _one_word_aliases(rows)
    out += _source_stances(rows)
    out += _claim_after_source(rows)
    if not isinstance(ds, Mapping):
        live = {name: {r.get("id") for r in rows[name]} for name in TABLES}
        out += redirect_violations(ds.manifest.redirects, live)
    if documents is not None:
        from cambodefect._documents import document_checks, load_documents

        out += document_checks(rows, load_documents(documents))
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
            for v in err.violations:  # a value rule keeps its own code (count-bounds, ...)
                yield Violation(v.code, rid, v.field, v.message)


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
    for i, row in enumerate(rows["events"]):
        yield from evidence(_rid(row, i), "evidence", row.get("evidence") or ())
    for i, row in enumerate(rows["claims"]):
        rid = _rid(row, i)
        yield from evidence(rid, "evidence", row.get("evidence") or ())
        yield from check(rid, "event_id", row.get("event_id"), "events")
        yield from check(rid, "subset_of", row.get("subset_of"), "claims")
        for j, link in enumerate(row.get("may_overlap") or ()):
            if isinstance(link, dict):
                yield from check(rid, f"may_overlap[{j}].claim_id", link.get("claim_id"), "claims")
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


def _cycles(claims: list[dict[str, Any]], field: str, code: ViolationCode) -> Iterator[Violation]:
    """Links of ``field`` (``part_of``, ``subset_of``) that loop back, each loop once."""
    parent = {r.get("id"): r.get(field) for r in claims}
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
                yield Violation(code, node, field, f"{field} loops: {path}")


def _floor(count: Any) -> int | None:
    """The least a count can be: its lower bound, else its point figure."""
    if not isinstance(count, dict):
        return None
    low, value = count.get("low"), count.get("value")
    return low if isinstance(low, int) else value if isinstance(value, int) else None


def _ceiling(count: Any) -> int | None:
    """The most a count can be: its upper bound, else an approximate figure; else none."""
    if not isinstance(count, dict):
        return None
    high = count.get("high")
    if isinstance(high, int):
        return high
    value = count.get("value")
    return value if count.get("qualifier") == "approximate" and isinstance(value, int) else None


def _subsets(claims: list[dict[str, Any]]) -> Iterator[Violation]:
    """A subset ("including ...") can never be larger than its superset (same unit)."""
    by_id = {r.get("id"): r for r in claims}
    for i, row in enumerate(claims):
        parent = by_id.get(row.get("subset_of"))
        if parent is None:
            continue
        mine, theirs = row.get("count"), parent.get("count")
        if not isinstance(mine, dict) or not isinstance(theirs, dict):
            continue
        if mine.get("unit") != theirs.get("unit"):
            continue
        floor, ceiling = _floor(mine), _ceiling(theirs)
        if floor is not None and ceiling is not None and floor > ceiling:
            yield Violation(
                ViolationCode.SUBSET_LARGER,
                _rid(row, i),
                "subset_of",
                f"at least {floor} ({mine.get('text')!r}) but its superset "
                f"{parent.get('id')!r} is at most {ceiling} ({theirs.get('text')!r})",
            )


def _span(value: Any) -> tuple[date | None, date | None] | None:
    if not isinstance(value, dict):
        return None
    start, end = value.get("start"), value.get("end")
    if not isinstance(start, date | None) or not isinstance(end, date | None):
        return None
    return start, end


def _apart(a: tuple[date | None, date | None], b: tuple[date | None, date | None]) -> bool:
    """Whether two date spans cannot hold one common day."""
    (a0, a1), (b0, b1) = a, b
    return (a1 is not None and b0 is not None and a1 < b0) or (
        b1 is not None and a0 is not None and b1 < a0
    )


def _event_dates(rows: Mapping[str, list[dict[str, Any]]]) -> Iterator[Violation]:
    """The claims of one event, and the event itself, must allow one common day."""
    events = {r.get("id"): r for r in rows["events"]}
    by_event: dict[str, list[tuple[str, tuple[date | None, date | None]]]] = {}
    for i, row in enumerate(rows["claims"]):
        span = _span(row.get("period"))
        if row.get("event_id") in events and span is not None:
            by_event.setdefault(row["event_id"], []).append((_rid(row, i), span))
    for event_id, spans in by_event.items():
        own = _span(events[event_id].get("date"))
        if own is not None:
            spans = [(str(event_id), own), *spans]
        for k, (first, a) in enumerate(spans):
            clash = [other for other, b in spans[k + 1 :] if _apart(a, b)]
            if clash:
                yield Violation(
                    ViolationCode.EVENT_DATE_CONFLICT,
                    first,
                    "event_id",
                    f"event {event_id!r}: {first}'s date {a[0]}..{a[1]} cannot be the day of "
                    + ", ".join(clash),
                )
                break


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


def _one_word_aliases(rows: Mapping[str, list[dict[str, Any]]]) -> Iterator[Violation]:
    """Person aliases of one word: a given or family name alone is partial lookup's job.

    As an alias it would resolve without ``partial=True`` and shadow everyone else
    who shares that word.
    """
    from cambodefect._names.persons import person_key

    for i, row in enumerate(rows["persons"]):
        for alias in row.get("aliases") or ():
            if isinstance(alias, str) and len(person_key(alias).split()) == 1:
                yield Violation(
                    ViolationCode.ONE_WORD_ALIAS,
                    _rid(row, i),
                    "aliases",
                    f"alias {alias!r} is one word; drop it (partial lookup finds it)",
                )


def _source_stances(rows: Mapping[str, list[dict[str, Any]]]) -> Iterator[Violation]:
    """A source takes its publisher's stance, or ``unknown`` once the stance has ended.

    Undated sources of a stance that ends may take either.
    """
    stances = {p.get("id"): p.get("stance") for p in rows["parties"]}
    for i, row in enumerate(rows["sources"]):
        stance = stances.get(row.get("publisher_id"))
        if not isinstance(stance, dict):
            continue
        until = stance.get("until")
        published = row.get("published")
        start = published.get("start") if isinstance(published, dict) else None
        allowed = {stance.get("alignment")}
        if isinstance(until, date) and not isinstance(start, date):
            allowed.add("unknown")
        elif isinstance(until, date) and isinstance(start, date) and start > until:
            allowed = {"unknown"}
        if row.get("alignment") not in allowed:
            yield Violation(
                ViolationCode.SOURCE_STANCE,
                _rid(row, i),
                "alignment",
                f"alignment {row.get('alignment')!r}; publisher {row.get('publisher_id')!r} "
                f"gives {' or '.join(sorted(map(str, allowed)))}",
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
