"""The :class:`Dataset` a user loads, and :func:`load` / :func:`versions`.

Every released dataset version is bundled inside the package; loading reads it
with :mod:`importlib.resources`, memory-mapped, after checking every file against
its manifest. Nothing is ever fetched from a network.

Example:
    >>> import cambodefect as cd
    >>> ds = cd.load()
    >>> ds.version == cd.versions()[-1]
    True
    >>> ds.party("CNRP").id
    'cambodia-national-rescue-party'
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Iterator
from datetime import date
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa

from cambodefect._text import fold, nearest
from cambodefect.enums import ClaimKind, PartyKind
from cambodefect.errors import (
    AmbiguousNameError,
    UnknownEntityError,
    UnknownPartyError,
    UnknownPersonError,
    UnknownVersionError,
)
from cambodefect.models import Claim, Party, Person, Source
from cambodefect.schema import MODELS, TABLES, iter_records
from cambodefect.storage import MANIFEST, Manifest, read_dataset

__all__ = ["Dataset", "data_root", "load", "versions"]

T = TypeVar("T")
_SEMVER_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


@functools.cache
def data_root() -> Path:
    """The folder holding one sub-folder per bundled dataset version.

    In an installed package that is ``cambodefect/_bundled``; in a source checkout
    (an editable install) it is the repository's ``datasets/`` folder. The bundle
    never changes while a process runs, so the answer is computed once.
    """
    bundled = resources.files("cambodefect") / "_bundled"
    if bundled.is_dir():
        return Path(str(bundled))
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file() and (checkout / "datasets").is_dir():
        return checkout / "datasets"
    return Path(str(bundled))


def _semver(version: str) -> tuple[int, int, int]:
    m = _SEMVER_RE.fullmatch(version)
    if m is None:
        raise ValueError(f"not a semver version: {version!r}")
    return int(m[1]), int(m[2]), int(m[3])


def versions() -> list[str]:
    """The bundled dataset versions, oldest first.

    Example:
        >>> import cambodefect as cd
        >>> all(v.count(".") == 2 for v in cd.versions())
        True
    """
    return list(_versions(data_root()))


def _versions(root: Path) -> tuple[str, ...]:
    try:
        entries = list(os.scandir(root))
    except FileNotFoundError:
        return ()
    found = [
        e.name
        for e in entries
        if _SEMVER_RE.fullmatch(e.name) and os.path.isfile(os.path.join(e.path, MANIFEST))
    ]
    return tuple(sorted(found, key=_semver))


def load(version: str | None = None, *, path: str | Path | None = None) -> Dataset:
    """Load a bundled dataset version (the newest by default), verified and memory-mapped.

    ``path`` loads a dataset folder from disk instead (one written by
    :func:`cambodefect.build.build` or received from someone else); it is verified
    the same way.

    Raises:
        UnknownVersionError: ``version`` is not bundled; the error lists those that are.
        IntegrityError: a file is missing, changed, truncated or of the wrong schema.

    Example:
        >>> import cambodefect as cd
        >>> cd.load(version="9.9.9")
        Traceback (most recent call last):
        ...
        cambodefect.errors.UnknownVersionError: unknown dataset version '9.9.9'; ...
    """
    if path is not None:
        if version is not None:
            raise TypeError("pass version or path, not both")
        manifest, tables = read_dataset(Path(path))
        return Dataset(manifest, tables)
    root = data_root()
    known = _versions(root)
    if version is None:
        if not known:
            raise UnknownVersionError("newest", known)
        version = known[-1]
    if version not in known:
        raise UnknownVersionError(version, known)
    manifest, tables = read_dataset(root / version)
    return Dataset(manifest, tables)


class Dataset:
    """One dataset version: four Arrow tables plus typed, alias-aware lookups.

    The tables are memory-mapped :class:`pyarrow.Table` objects; typed records
    (:class:`Party`, :class:`Person`, :class:`Source`, :class:`Claim`) are built on
    demand.

    Attributes:
        manifest: the verified manifest (version, checksums, row counts).
        parties: the parties table (parties, placeholders, other organizations).
        persons: the persons table.
        sources: the sources table.
        claims: the claims table.

    Example:
        >>> import cambodefect as cd
        >>> ds = cd.load()
        >>> ds.claims.num_rows == sum(1 for _ in ds.iter_claims())
        True
    """

    def __init__(self, manifest: Manifest, tables: dict[str, pa.Table]) -> None:
        self.manifest = manifest
        self.parties: pa.Table = tables["parties"]
        self.persons: pa.Table = tables["persons"]
        self.sources: pa.Table = tables["sources"]
        self.claims: pa.Table = tables["claims"]

    @classmethod
    def from_records(
        cls,
        *,
        parties: Iterable[Party] = (),
        persons: Iterable[Person] = (),
        sources: Iterable[Source] = (),
        claims: Iterable[Claim] = (),
        version: str = "0.0.0",
    ) -> Dataset:
        """An in-memory dataset built from model instances (for tests and extensions).

        Example:
            >>> Dataset.from_records().claims.num_rows
            0
        """
        import hashlib

        from cambodefect.schema import SCHEMA_VERSION, to_table
        from cambodefect.storage import ipc_bytes

        tables = {
            "parties": to_table(parties, "parties"),
            "persons": to_table(persons, "persons"),
            "sources": to_table(sources, "sources"),
            "claims": to_table(claims, "claims"),
        }
        manifest = Manifest(
            version=version,
            schema_version=SCHEMA_VERSION,
            released="",
            files={name: f"{name}.arrow" for name in TABLES},
            rows={name: tables[name].num_rows for name in TABLES},
            sha256={name: hashlib.sha256(ipc_bytes(tables[name])).hexdigest() for name in TABLES},
        )
        return cls(manifest, tables)

    @property
    def version(self) -> str:
        """The dataset version, e.g. ``"1.0.0"``."""
        return self.manifest.version

    def table(self, name: str) -> pa.Table:
        """A table by name: ``"parties"``, ``"persons"``, ``"sources"`` or ``"claims"``."""
        if name not in TABLES:
            raise KeyError(f"unknown table {name!r}; tables: {', '.join(TABLES)}")
        table: pa.Table = getattr(self, name)
        return table

    def __repr__(self) -> str:
        counts = ", ".join(f"{name}={self.table(name).num_rows}" for name in TABLES)
        return f"<Dataset {self.version}: {counts}>"

    # -- typed access -------------------------------------------------------

    @cached_property
    def _row_of(self) -> dict[str, dict[str, int]]:
        return {
            name: {ident: i for i, ident in enumerate(self.table(name).column("id").to_pylist())}
            for name in TABLES
        }

    def _get(self, name: str, ident: str, error: type[UnknownEntityError]) -> Any:
        row = self._row_of[name].get(ident)
        if row is None:
            raise error(ident, nearest(ident, list(self._row_of[name])))
        return next(iter_records(self.table(name).slice(row, 1), MODELS[name]))

    def _iter(self, name: str, cls: type[T]) -> Iterator[T]:
        return iter_records(self.table(name), cls)

    def iter_parties(self, kind: PartyKind | str | None = None) -> Iterator[Party]:
        """Every party-table record, in table order; ``kind`` filters (``"party"``)."""
        for party in self._iter("parties", Party):
            if kind is None or party.kind == kind:
                yield party

    def iter_persons(self) -> Iterator[Person]:
        """Every person, in table order."""
        return self._iter("persons", Person)

    def iter_sources(self) -> Iterator[Source]:
        """Every source, in table order."""
        return self._iter("sources", Source)

    def iter_claims(self, kind: ClaimKind | str | None = None) -> Iterator[Claim]:
        """Every claim, in table order; ``kind`` filters (``"defection"``, ``"total"``, ...)."""
        for claim in self._iter("claims", Claim):
            if kind is None or claim.kind == kind:
                yield claim

    def source(self, ident: str) -> Source:
        """The source with this ID."""
        result: Source = self._get("sources", ident, UnknownEntityError)
        return result

    def claim(self, ident: str) -> Claim:
        """The claim with this ID."""
        result: Claim = self._get("claims", ident, UnknownEntityError)
        return result

    # -- name lookups ---------------------------------------------------------

    @cached_property
    def _names(self) -> dict[str, dict[str, list[str]]]:
        index: dict[str, dict[str, list[str]]] = {"parties": {}, "persons": {}}
        for name in index:
            table = self.table(name)
            cols = [table.column("id").to_pylist(), table.column("name").to_pylist()]
            aliases = table.column("aliases").to_pylist()
            shorts = (
                table.column("short_name").to_pylist()
                if name == "parties"
                else [None] * len(aliases)
            )
            for ident, main, alias, short in zip(*cols, aliases, shorts, strict=True):
                for text in {ident, main, *(alias or ()), *([short] if short else [])}:
                    ids = index[name].setdefault(fold(text), [])
                    if ident not in ids:
                        ids.append(ident)
        return index

    def _by_name(self, name: str, query: str, error: type[UnknownEntityError]) -> Any:
        ids = self._names[name].get(fold(query), [])
        if len(ids) > 1:
            raise AmbiguousNameError(query, sorted(ids))
        if not ids:
            table = self.table(name)
            choices = table.column("name").to_pylist()
            for aliases in table.column("aliases").to_pylist():
                choices += aliases or []
            raise error(query, nearest(query, choices))
        return self._get(name, ids[0], error)

    def party(self, name: str) -> Party:
        """The party-table record with this ID, name, short name or alias.

        Case, spacing, quote and dash styles do not matter; a near miss raises
        :class:`UnknownPartyError` with suggestions, never a guess.
        """
        result: Party = self._by_name("parties", name, UnknownPartyError)
        return result

    def person(self, name: str) -> Person:
        """The person with this ID, name or alias (raises if unknown or ambiguous)."""
        result: Person = self._by_name("persons", name, UnknownPersonError)
        return result

    # -- validation -------------------------------------------------------------

    def check(self, *, documents: str | Path | None = None) -> None:
        """Raise :class:`ValidationError` listing every error :func:`validate` finds.

        Warnings (such as two organizations printed with the same name) do not raise.

        Example:
            >>> import cambodefect as cd
            >>> cd.load().check()
        """
        from cambodefect.errors import ValidationError
        from cambodefect.validation import validate

        errors = [v for v in validate(self, documents=documents) if v.severity == "error"]
        if errors:
            raise ValidationError(errors, where=f"dataset {self.version}")

    # -- summary --------------------------------------------------------------

    def date_range(self) -> tuple[date, date] | None:
        """The earliest and latest dates the claims are about (or were reported on)."""
        lows: list[date] = []
        highs: list[date] = []
        for column in ("period", "reported"):
            # flatten() (unlike field()) carries the struct's own nulls into its children.
            start, end = self.claims.column(column).combine_chunks().flatten()[1:3]
            lows += [v for v in start.to_pylist() if v is not None]
            highs += [v for v in end.to_pylist() if v is not None]
        if not lows and not highs:
            return None
        everything = lows + highs
        return min(everything), max(everything)

    def summary(self) -> str:
        """A short, human-readable summary: version, rows per table, date range."""
        lines = [f"cambodefect dataset {self.version} (released {self.manifest.released})"]
        for name in TABLES:
            lines.append(f"  {name:<8} {self.table(name).num_rows:>5} rows")
        span = self.date_range()
        lines.append(
            f"  claims dated {span[0].isoformat()} to {span[1].isoformat()}"
            if span
            else "  claims carry no dates"
        )
        return "\n".join(lines)
