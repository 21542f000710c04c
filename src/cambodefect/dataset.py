"""The [`Dataset`][cambodefect.Dataset] a user loads, and [`load`][cambodefect.load].

The bundled versions themselves (``versions``, ``releases``, version pins) are
`cambodefect._versions`; their names are re-exported here for compatibility.

Every released dataset version is bundled inside the package; loading reads it
with `importlib.resources`, memory-mapped, after checking every file against
its manifest. Nothing is ever fetched from a network.

Examples:
    >>> import cambodefect as cd
    >>> ds = cd.load()
    >>> ds.version == cd.versions()[-1]
    True
    >>> ds.party("CNRP").id
    'cambodia-national-rescue-party'
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import pyarrow as pa

from cambodefect._versions import (
    ENV_VERSION,
    Release,
    content_hash,
    data_root,
    known_versions,
    releases,
    resolve_version,
    root_path,
    versions,
)
from cambodefect.errors import (
    ArgumentError,
    UnknownClaimError,
    UnknownEntityError,
    UnknownEventError,
    UnknownPartyError,
    UnknownPersonError,
    UnknownSourceError,
    UnknownTableError,
    UnknownVersionError,
)
from cambodefect.schema import MODELS, TABLES, iter_records
from cambodefect.storage import Manifest, read_dataset

if TYPE_CHECKING:  # the attrs models load on first use of a typed record only
    from pathlib import Path

    from cambodefect.enums import ClaimKind, PartyKind
    from cambodefect.models import Claim, Event, Party, Person, Source

__all__ = [
    "ENV_VERSION",
    "Dataset",
    "Release",
    "data_root",
    "load",
    "releases",
    "resolve_version",
    "versions",
]

T = TypeVar("T")


def load(
    version: str | None = None, *, path: str | bytes | os.PathLike[str] | None = None
) -> Dataset:
    """Load a bundled dataset version (the newest by default), verified and memory-mapped.

    ``version`` is an exact version (``"1.0.0"``) or a PEP 440 specifier
    (``"~=1.0"``: the newest 1.x). Without it, the environment variable
    ``CAMBODEFECT_DATASET_VERSION`` pins the version for a whole analysis; without
    that, the newest bundled version loads. ``path`` loads a dataset folder from
    disk instead (one written by `cambodefect.build.build` or received from
    someone else); it is verified the same way. Any path the operating system
    accepts works, also one that is not UTF-8 (as ``bytes``, or a ``str`` from
    `os.fsdecode`).

    Raises:
        UnknownVersionError: nothing bundled matches; the error lists what is bundled.
        IntegrityError: a file is missing, changed, truncated or of the wrong schema.

    Examples:
        >>> import cambodefect as cd
        >>> cd.load(version="9.9.9")
        Traceback (most recent call last):
        ...
        cambodefect.errors.UnknownVersionError: unknown dataset version '9.9.9'; ...
    """
    if path is not None:
        if version is not None:
            raise ArgumentError("pass version or path, not both")
        manifest, tables = read_dataset(path)
        return Dataset(manifest, tables)
    root = root_path()
    known = known_versions(root)
    source = None
    if version is None:
        version = os.environ.get(ENV_VERSION) or None
        source = ENV_VERSION if version is not None else None
    if version is None:
        if not known:
            raise UnknownVersionError("newest", known)
        version = known[-1]
    try:
        version = resolve_version(version, known)
    except UnknownVersionError as err:
        if source is None:
            raise
        raise UnknownVersionError(err.version, err.known, source=source) from None
    manifest, tables = read_dataset(os.path.join(root, version))
    return Dataset(manifest, tables)


class Dataset:
    """One dataset version: four Arrow tables plus typed, alias-aware lookups.

    The tables are memory-mapped `pyarrow.Table` objects; typed records
    ([`Party`][cambodefect.Party], [`Person`][cambodefect.Person], [`Source`][cambodefect.Source],
    [`Claim`][cambodefect.Claim]) are built on demand.

    Attributes:
        manifest: the verified manifest (version, checksums, row counts).
        parties: the parties table (parties, placeholders, other organizations).
        persons: the persons table.
        sources: the sources table.
        claims: the claims table.

    Examples:
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
        self.events: pa.Table = tables["events"]
        self.claims: pa.Table = tables["claims"]
        self._rows: dict[str, dict[str, int]] = {}

    @classmethod
    def from_records(
        cls,
        *,
        parties: Iterable[Party] = (),
        persons: Iterable[Person] = (),
        sources: Iterable[Source] = (),
        claims: Iterable[Claim] = (),
        events: Iterable[Event] = (),
        version: str = "0.0.0",
    ) -> Dataset:
        """An in-memory dataset built from model instances (for tests and extensions).

        Examples:
            >>> Dataset.from_records().claims.num_rows
            0
        """
        import hashlib

        from cambodefect.schema import SCHEMA_VERSION, to_table
        from cambodefect.storage import ipc_bytes

        records = {
            "parties": parties,
            "persons": persons,
            "sources": sources,
            "events": events,
            "claims": claims,
        }
        tables = {name: to_table(records[name], name) for name in TABLES}
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

    @property
    def content_sha256(self) -> str:
        """One SHA-256 identifying this version's content: the hash of the lines
        ``"<table> <file SHA-256>"`` for the four tables, in table order."""
        return content_hash(self.manifest)

    def citation(self, format: str = "text") -> str:
        """A citation naming the exact data used: version, release date, content hash.

        ``format`` is ``"text"`` (the default: one plain line) or ``"bibtex"`` (a
        ``@misc`` entry with the title and authors of ``CITATION.cff``, the version and
        release date, and the content SHA-256 in its ``note``). Any other format raises
        [`UnknownValueError`][cambodefect.UnknownValueError] naming the valid ones.

        Examples:
            >>> import cambodefect as cd
            >>> ds = cd.load()
            >>> ds.content_sha256[:12] in ds.citation()
            True
            >>> cd.load("1.0.0").citation("bibtex").splitlines()[0]
            '@misc{cambodefect_dataset_1_0_0,'
        """
        from cambodefect._citation import citation

        return citation(self, format)

    def redirect(self, table: str, ident: str) -> str:
        """The current ID for ``ident``: itself, or where a retired ID now points.

        Redirect chains are followed (an ID merged twice still resolves).
        """
        moves = self.manifest.redirects.get(table, {})
        seen = {ident}
        while ident in moves:
            ident = moves[ident]
            if ident in seen:
                break
            seen.add(ident)
        return ident

    def table(self, name: str) -> pa.Table:
        """A table by name: ``"parties"``, ``"persons"``, ``"sources"``, ``"events"`` or
        ``"claims"``."""
        if name not in TABLES:
            raise UnknownTableError(name, TABLES)
        table: pa.Table = getattr(self, name)
        return table

    def _frame_table(self, table: str, derived: bool) -> pa.Table:
        chosen = self.table(table)
        if table != "claims" or not derived:
            return chosen
        from cambodefect._frame import claims_frame
        from cambodefect.frames import with_derived

        return with_derived(chosen, claims_frame(self))

    def to_pandas(
        self, table: str = "claims", *, flatten: bool = True, derived: bool = True
    ) -> Any:
        """One table as a pandas DataFrame (needs ``cambodefect[pandas]``).

        Enums are categoricals (holding only the values that occur), dates are dates,
        missing numbers ``<NA>``; with ``flatten``, structs become dotted columns such as
        ``count.value``. The claims table also carries, with ``derived`` (the default),
        the columns every aggregation works from: ``date_start``, ``date_end``, ``era``,
        ``party_key`` and ``province``.

        Examples:
            >>> import cambodefect as cd
            >>> df = cd.load().to_pandas("claims")
            >>> str(df["kind"].dtype), str(df["date_start"].dtype)
            ('category', 'date32[day][pyarrow]')
            >>> "" in df["count.qualifier"].cat.categories
            False
        """
        from cambodefect.frames import to_pandas

        return to_pandas(self._frame_table(table, derived), flatten=flatten)

    def to_polars(
        self, table: str = "claims", *, flatten: bool = False, derived: bool = True
    ) -> Any:
        """One table as a Polars DataFrame (needs ``cambodefect[polars]``).

        As [`to_pandas`][cambodefect.Dataset.to_pandas]: enums categorical, dates ``Date``, and for
        the claims table the derived columns; nested values stay structs unless ``flatten=True``.

        Examples:
            >>> import cambodefect as cd
            >>> df = cd.load().to_polars("claims")
            >>> str(df.schema["kind"]), str(df.schema["date_start"])
            ('Categorical', 'Date')
            >>> "count.value" in cd.load().to_polars("claims", flatten=True).columns
            True
        """
        from cambodefect.frames import to_polars

        return to_polars(self._frame_table(table, derived), flatten=flatten)

    def __repr__(self) -> str:
        counts = ", ".join(f"{name}={self.table(name).num_rows}" for name in TABLES)
        return f"<Dataset {self.version}: {counts}>"

    def _repr_html_(self) -> str:
        """A notebook's view: the version, its release and each table's rows."""
        from cambodefect._display import html_table

        released = self.manifest.released or "unreleased"
        return html_table(
            f"cambodefect dataset {self.version} (released {released})",
            ["table", "rows"],
            [(name, f"{self.table(name).num_rows:,}") for name in TABLES],
        )

    # -- typed access -------------------------------------------------------

    def _row_of(self, name: str) -> dict[str, int]:
        """ID -> row number for one table, built on first use (per table)."""
        index = self._rows.get(name)
        if index is None:
            ids = self.table(name).column("id").to_pylist()
            index = self._rows[name] = {ident: i for i, ident in enumerate(ids)}
        return index

    def _get(self, name: str, ident: str, error: type[UnknownEntityError]) -> Any:
        index = self._row_of(name)
        row = index.get(ident)
        if row is None:  # a live ID always wins; only a missing one follows redirects
            target = self.redirect(name, ident)
            row = index.get(target)
            if row is None:
                from cambodefect._text import nearest

                raise error(ident, nearest(ident, list(index)))
        return next(iter_records(self.table(name).slice(row, 1), MODELS[name]))

    def _iter(self, name: str) -> Iterator[Any]:
        return iter_records(self.table(name), MODELS[name])

    def iter_parties(self, kind: PartyKind | str | None = None) -> Iterator[Party]:
        """Every party-table record, in table order; ``kind`` filters (``"party"``).

        An unknown ``kind`` raises [`UnknownValueError`][cambodefect.UnknownValueError]
        listing the valid ones.
        """
        if kind is None:
            return self._iter("parties")
        from cambodefect.enums import PartyKind, coerce

        wanted = coerce(PartyKind, kind, "party kind")
        return (p for p in self._iter("parties") if p.kind is wanted)

    def iter_persons(self) -> Iterator[Person]:
        """Every person, in table order."""
        return self._iter("persons")

    def iter_sources(self) -> Iterator[Source]:
        """Every source, in table order."""
        return self._iter("sources")

    def iter_claims(self, kind: ClaimKind | str | None = None) -> Iterator[Claim]:
        """Every claim, in table order; ``kind`` filters (``"defection"``, ``"total"``, ...).

        An unknown ``kind`` raises [`UnknownValueError`][cambodefect.UnknownValueError]
        listing the valid ones (and the nearest).

        Examples:
            >>> import cambodefect as cd
            >>> cd.load().iter_claims(kind="defections")
            Traceback (most recent call last):
            ...
            cambodefect.errors.UnknownValueError: unknown claim kind 'defections' (did you mean ...
        """
        if kind is None:
            return self._iter("claims")
        from cambodefect.enums import ClaimKind, coerce

        wanted = coerce(ClaimKind, kind, "claim kind")
        return (c for c in self._iter("claims") if c.kind is wanted)

    def iter_events(self) -> Iterator[Event]:
        """Every event, in table order."""
        return self._iter("events")

    def event(self, ident: str) -> Event:
        """The event with this ID."""
        result: Event = self._get("events", ident, UnknownEventError)
        return result

    def source(self, ident: str) -> Source:
        """The source with this ID."""
        result: Source = self._get("sources", ident, UnknownSourceError)
        return result

    def claim(self, ident: str) -> Claim:
        """The claim with this ID."""
        result: Claim = self._get("claims", ident, UnknownClaimError)
        return result

    # -- name lookups ---------------------------------------------------------

    def party(self, name: str) -> Party:
        """The party-table record with this ID, name, short name or alias.

        Resolution is
        [`cambodefect.normalize.resolve_party`][cambodefect.normalize.resolve_party]'s: case,
        spacing, quote and dash styles, "Cambodia"/"Cambodian", "Democracy"/"Democratic" and a
        trailing "Party" do not matter; a near miss raises
        [`UnknownPartyError`][cambodefect.UnknownPartyError] with suggestions, never a guess; a name
        two entries share raises [`AmbiguousNameError`][cambodefect.AmbiguousNameError]. Retired IDs
        follow their redirects.

        Examples:
            >>> import cambodefect as cd
            >>> cd.load().party("Cambodian Peoples Party").short_name
            'CPP'
        """
        from cambodefect._names.cache import cached_for
        from cambodefect._names.parties import PartyResolver

        match = cached_for(self, PartyResolver.from_dataset).resolve(name)
        found: Party = self._get("parties", match.id, UnknownPartyError)
        return found

    def person(self, name: str) -> Person:
        """The person with this ID, name or alias (raises if unknown or ambiguous).

        Resolution is
        [`cambodefect.normalize.resolve_person`][cambodefect.normalize.resolve_person]: spelling
        variants and pseudonyms resolve to one person; people who merely share a family name never
        merge.

        Examples:
            >>> import cambodefect as cd
            >>> cd.load().person("Soung Sophorn").id
            'suong-sophorn'
        """
        from cambodefect._names.cache import cached_for
        from cambodefect._names.persons import PersonResolver

        match = cached_for(self, PersonResolver.from_dataset).resolve(name)
        found: Person = self._get("persons", match.id, UnknownPersonError)
        return found

    # -- validation -------------------------------------------------------------

    def check(self, *, documents: str | Path | None = None) -> None:
        """Raise [`ValidationError`][cambodefect.ValidationError] listing every error
        [`validate`][cambodefect.validate] finds.

        Warnings (such as two organizations printed with the same name) do not raise.

        Examples:
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
        import pyarrow.compute as pc

        bounds: list[date] = []
        for column in ("period", "reported"):
            # flatten() (unlike field()) carries the struct's own nulls into its children.
            for part in self.claims.column(column).combine_chunks().flatten()[1:3]:
                low, high = pc.min_max(part).values()
                bounds += [v.as_py() for v in (low, high) if v.is_valid]
        if not bounds:
            return None
        return min(bounds), max(bounds)

    def summary(self) -> str:
        """A short, human-readable summary: version, rows per table, date range.

        The range's ends are printed at the precision of the claim dated earliest and
        of the claim dated latest ("2017", "2023-06", or an interval for a range), never
        as a made-up first or last day.
        """
        from cambodefect._display import summary

        return summary(self)
