"""Reading the human-editable truth in ``datasets/source/`` into models.

The source folder is plain TOML, readable with the standard library and
reviewable in a diff:

- ``dataset.toml``: ``version`` (semver), ``released`` (a TOML date), and optional
  ``[redirects.<table>]`` tables mapping a retired ID to the ID that replaced it
  (see docs/ids.md);
- ``parties.toml``, ``persons.toml``, ``sources.toml``: arrays of tables named
  ``[[party]]``, ``[[person]]``, ``[[source]]``; more parties and persons may sit in
  ``<prefix>-parties.toml`` and ``<prefix>-persons.toml`` (``web-persons.toml``);
- ``events.toml``: ``[[event]]`` entries (optional);
- ``claims/**/<source-id>.toml``: ``[[claim]]`` entries grouped by the document they
  were read in, in the document's order; such a file may also hold that document's
  ``[[source]]`` record and the ``[[event]]`` entries its claims report.

Each entry has exactly the fields of its model (see `cambodefect.models`);
unknown fields are errors. Every problem in every file is collected before
[`InvalidRecordError`][cambodefect.InvalidRecordError] is raised.

Examples:
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "dataset.toml").write_text('version = "0.0.1"\\nreleased = 2026-01-01\\n')
    >>> read_source(d).version
    '0.0.1'
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import attrs

from cambodefect.converter import structure
from cambodefect.errors import InvalidRecordError, Violation, ViolationCode
from cambodefect.models import Claim, Event, Party, Person, Source
from cambodefect.storage import redirect_violations, redirects_shape_ok

__all__ = ["SourceData", "read_source"]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class SourceData:
    """Everything in a source folder, as models, in file order.

    Attributes:
        version: the dataset version the folder builds.
        released: the release date.
        parties: the parties table's records.
        persons: the persons table's records.
        sources: the sources table's records (``sources.toml``, then claim files').
        events: the events table's records (``events.toml``, then claim files').
        claims: the claims table's records, claim files in path order.
        redirects: table name -> {retired ID: replacing ID}.
    """

    version: str
    released: date
    parties: tuple[Party, ...] = ()
    persons: tuple[Person, ...] = ()
    sources: tuple[Source, ...] = ()
    events: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()
    redirects: dict[str, dict[str, str]] = attrs.field(factory=dict)


def _load_toml(path: Path, problems: list[Violation]) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        problems.append(Violation(ViolationCode.TOML_SYNTAX, path.name, "", str(err)))
        return {}


def _records(path: Path, key: str, cls: type[T], problems: list[Violation], where: str) -> list[T]:
    doc = _load_toml(path, problems)
    extra = sorted(set(doc) - {key})
    if extra:
        problems.append(
            Violation(ViolationCode.UNKNOWN_KEY, where, "", f"unexpected top-level {extra}")
        )
    return _entries(doc, key, cls, problems, where)


def _entries(
    doc: dict[str, Any], key: str, cls: type[T], problems: list[Violation], where: str
) -> list[T]:
    entries = doc.get(key, [])
    if not isinstance(entries, list):
        problems.append(
            Violation(ViolationCode.NOT_A_LIST, where, key, f"[[{key}]] must be an array")
        )
        return []
    out: list[T] = []
    for i, entry in enumerate(entries, start=1):
        name = entry.get("id") if isinstance(entry, dict) else None
        record = f"{where}#{i}" + (f" ({name})" if isinstance(name, str) else "")
        try:
            out.append(structure(entry, cls, record=record))
        except InvalidRecordError as err:
            problems.extend(err.violations)
    return out


def _registry(
    folder: Path, name: str, key: str, cls: type[T], problems: list[Violation]
) -> list[T]:
    """``<name>.toml``, then any ``<prefix>-<name>.toml`` (e.g. ``web-persons.toml``)."""
    paths = [folder / f"{name}.toml", *sorted(folder.glob(f"*-{name}.toml"))]
    out: list[T] = []
    for path in paths:
        out += _records(path, key, cls, problems, path.name)
    return out


def _duplicates(kind: str, ids: Sequence[str], problems: list[Violation]) -> None:
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            problems.append(
                Violation(ViolationCode.DUPLICATE_ID, ident, "id", f"{kind} ID used twice")
            )
        seen.add(ident)


def read_source(folder: Path) -> SourceData:
    """Read a source folder into a `SourceData`, or raise listing every problem."""
    problems: list[Violation] = []
    meta = _load_toml(folder / "dataset.toml", problems)
    version, released = meta.get("version"), meta.get("released")
    if not isinstance(version, str) or not isinstance(released, date):
        problems.append(
            Violation(
                ViolationCode.DATASET_META,
                "dataset.toml",
                "version/released",
                f"needs version (string) and released (date), got {version!r}, {released!r}",
            )
        )
    parties = _registry(folder, "parties", "party", Party, problems)
    persons = _registry(folder, "persons", "person", Person, problems)
    sources = _records(folder / "sources.toml", "source", Source, problems, "sources.toml")
    events = _records(folder / "events.toml", "event", Event, problems, "events.toml")
    claims: list[Claim] = []
    for path in sorted((folder / "claims").rglob("*.toml")):
        # A claims file holds the claims read in one document, and may hold that
        # document's own source record and the events its claims report.
        where = f"claims/{path.relative_to(folder / 'claims').as_posix()}"
        doc = _load_toml(path, problems)
        extra = sorted(set(doc) - {"claim", "event", "source"})
        if extra:
            problems.append(
                Violation(ViolationCode.UNKNOWN_KEY, where, "", f"unexpected top-level {extra}")
            )
        sources += _entries(doc, "source", Source, problems, where)
        events += _entries(doc, "event", Event, problems, where)
        claims += _entries(doc, "claim", Claim, problems, where)
    _duplicates("party", [p.id for p in parties], problems)
    _duplicates("person", [p.id for p in persons], problems)
    _duplicates("source", [s.id for s in sources], problems)
    _duplicates("event", [e.id for e in events], problems)
    _duplicates("claim", [c.id for c in claims], problems)
    redirects = _redirects(meta.get("redirects", {}), problems)

    live = {
        "parties": {p.id for p in parties},
        "persons": {p.id for p in persons},
        "sources": {s.id for s in sources},
        "events": {e.id for e in events},
        "claims": {c.id for c in claims},
    }
    problems += redirect_violations(redirects, live)
    if problems:
        raise InvalidRecordError(problems, where=str(folder))
    assert isinstance(version, str) and isinstance(released, date)  # noqa: S101  # narrowed above
    return SourceData(
        version=version,
        released=released,
        parties=tuple(parties),
        persons=tuple(persons),
        sources=tuple(sources),
        events=tuple(events),
        claims=tuple(claims),
        redirects=redirects,
    )


def _redirects(raw: Any, problems: list[Violation]) -> dict[str, dict[str, str]]:
    from cambodefect.schema import TABLES

    if not redirects_shape_ok(raw):
        problems.append(
            Violation(
                ViolationCode.REDIRECTS,
                "dataset.toml",
                ViolationCode.REDIRECTS,
                f"[redirects.<table>] must map old IDs to new IDs for tables {TABLES}",
            )
        )
        return {}
    return {t: dict(m) for t, m in raw.items()}
