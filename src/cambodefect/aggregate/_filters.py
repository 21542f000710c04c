"""Stage 2: which claims an aggregation looks at, as one typed, frozen
[`Filters`][cambodefect.aggregate.Filters].

Every aggregation function takes the same filters, either as a
[`Filters`][cambodefect.aggregate.Filters] object or as keyword arguments (``kind=``, ``claimant=``,
...), which build one. Values are converted once, when the object is made: strings or lists of
strings, enum values by their names, dates as `datetime.date` or ISO strings. Names are resolved
against the dataset when the filters are applied
([`Filters.bind`][cambodefect.aggregate.Filters.bind]): ``party=`` and ``person=`` take any name or
alias, ``claimant=`` an ID, a name or an alias of the person, organization or source that made the
claim, or an unnamed group's label. An unknown value raises a typed error naming it and the nearest
valid ones.

An empty list selects nothing; ``None`` (the default) does not filter.

Examples:
    >>> f = Filters(kind="total", start="2023-05-01")
    >>> f.kind, f.start
    ((<ClaimKind.TOTAL: 'total'>,), datetime.date(2023, 5, 1))
    >>> Filters(era="2024-wave")
    Traceback (most recent call last):
    ...
    cambodefect.errors.UnknownFilterValueError: unknown era '2024-wave' (did you mean ...
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

import attrs
import pyarrow as pa
import pyarrow.compute as pc
from attrs import field, frozen

from cambodefect._frame import Cycle, Era
from cambodefect.enums import Alignment, ClaimKind, coerce
from cambodefect.errors import (
    AggregationError,
    ArgumentError,
    UnknownClaimantError,
    UnknownFilterValueError,
    UnknownValueError,
)

if TYPE_CHECKING:
    from enum import StrEnum

    from cambodefect.dataset import Dataset

__all__ = ["FilterArgs", "Filters"]

E = TypeVar("E", bound="StrEnum")

Many = str | Iterable[str] | None


class FilterArgs(TypedDict, total=False):
    """The filters as keyword arguments (see [`Filters`][cambodefect.aggregate.Filters]); editors
    complete them."""

    kind: Many
    claimant: Many
    alignment: Many
    party: Many
    person: Many
    era: Many
    cycle: Many
    start: date | str | None
    end: date | str | None
    include_disputed: bool


def _strings(what: str, value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, Iterable) or not all(isinstance(v, str) for v in items):
        raise AggregationError(f"{what} must be a string or a list of strings, got {value!r}")
    return tuple(dict.fromkeys(items))


def _members(enum: type[E], what: str, value: object) -> tuple[E, ...] | None:
    items = _strings(what, value)
    if items is None:
        return None
    try:
        return tuple(coerce(enum, v, what) for v in items)
    except UnknownValueError as err:
        raise UnknownFilterValueError(err.what, err.value, err.valid, err.suggestions) from None


def _kinds(value: object) -> tuple[ClaimKind, ...] | None:
    return _members(ClaimKind, "kind", value)


def _alignments(value: object) -> tuple[Alignment, ...] | None:
    return _members(Alignment, "alignment", value)


def _eras(value: object) -> tuple[Era, ...] | None:
    return _members(Era, "era", value)


def _cycles(value: object) -> tuple[Cycle, ...] | None:
    return _members(Cycle, "cycle", value)


def _claimants(value: object) -> tuple[str, ...] | None:
    return _strings("claimant", value)


def _parties(value: object) -> tuple[str, ...] | None:
    return _strings("party", value)


def _persons(value: object) -> tuple[str, ...] | None:
    return _strings("person", value)


def _day(value: object) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise AggregationError(f"a date must be a datetime.date or 'YYYY-MM-DD', got {value!r}")


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise AggregationError(f"include_disputed must be True or False, got {value!r}")
    return value


@frozen(kw_only=True)
class Filters:
    """Which claims an aggregation counts. ``None`` means "do not filter on this".

    Attributes:
        kind: claim kinds (default: defections and stated totals; a total is never added
            to its own items, so the two together never double count).
        claimant: who made the claim: IDs, names, aliases or group labels.
        alignment: the claimant's alignment (``"government_aligned"``, ...).
        party: former parties, by any name or alias (a claim matches if it names one).
        person: persons named in the claim, by any name or alias.
        era: ``"2017-drive"`` or ``"2023-wave"`` (dataset 1's two waves).
        cycle: the national election the claim leads up to: ``"2008"``, ``"2013"``,
            ``"2018"``, ``"2023"`` (or ``"2003"``, ``"2028"``).
        start: only claims whose date starts on or after this day.
        end: only claims whose date ends on or before this day.
        include_disputed: keep claims that others dispute (default); ``False`` drops them.
    """

    kind: tuple[ClaimKind, ...] | None = field(
        default=(ClaimKind.DEFECTION, ClaimKind.TOTAL), converter=_kinds
    )
    claimant: tuple[str, ...] | None = field(default=None, converter=_claimants)
    alignment: tuple[Alignment, ...] | None = field(default=None, converter=_alignments)
    party: tuple[str, ...] | None = field(default=None, converter=_parties)
    person: tuple[str, ...] | None = field(default=None, converter=_persons)
    era: tuple[Era, ...] | None = field(default=None, converter=_eras)
    cycle: tuple[Cycle, ...] | None = field(default=None, converter=_cycles)
    start: date | None = field(default=None, converter=_day)
    end: date | None = field(default=None, converter=_day)
    include_disputed: bool = field(default=True, converter=_flag)

    @classmethod
    def of(cls, filters: Filters | None = None, **kw: Any) -> Filters:
        """``filters`` with the keyword arguments applied on top (a new object).

        Raises:
            ArgumentError: a keyword that is not a filter (the message lists them).
        """
        unknown = sorted(set(kw) - _NAMES)
        if unknown:
            raise ArgumentError(
                f"unknown argument(s) {unknown}; filters: {', '.join(sorted(_NAMES))}"
            )
        base = filters if filters is not None else cls()
        if not isinstance(base, Filters):
            raise ArgumentError(f"filters must be a Filters object, got {base!r}")
        return attrs.evolve(base, **kw) if kw else base

    def bind(self, ds: Dataset, frame: pa.Table) -> Filters:
        """These filters with names resolved to the IDs in ``ds`` (claimants, parties,
        persons), raising a typed error with suggestions for any unknown name."""
        changes: dict[str, Any] = {}
        if self.claimant is not None:
            index = claimant_index(ds, frame)
            changes["claimant"] = tuple(_claimant_id(index, c) for c in self.claimant)
        if self.party is not None:
            changes["party"] = tuple(ds.party(p).id for p in self.party)
        if self.person is not None:
            changes["person"] = tuple(ds.person(p).id for p in self.person)
        return attrs.evolve(self, **changes) if changes else self

    def as_dict(self) -> dict[str, Any]:
        """The filters that are set, as plain values (for result metadata)."""
        out: dict[str, Any] = {}
        for name, value in attrs.asdict(self).items():
            if value is None:
                continue
            if isinstance(value, tuple):
                value = [str(v) for v in value]
            out[name] = value
        return out

    def mask(self, frame: pa.Table) -> pa.Array:
        """Which rows of a claims frame these (bound) filters keep."""
        mask = pc.fill_null(pa.nulls(frame.num_rows, pa.bool_()), True)

        def both(m: Any) -> Any:
            return pc.and_kleene(mask, pc.fill_null(m, False))

        def among(column: str, values: tuple[str, ...]) -> Any:
            return pc.is_in(frame.column(column), pa.array(values, pa.string()))

        if self.kind is not None:
            mask = both(among("kind", tuple(k.value for k in self.kind)))
        if self.claimant is not None:
            mask = both(among("claimant", self.claimant))
        if self.alignment is not None:
            mask = both(among("alignment", tuple(a.value for a in self.alignment)))
        if self.era is not None:
            mask = both(among("era", tuple(e.value for e in self.era)))
        if self.cycle is not None:
            mask = both(among("cycle", tuple(c.value for c in self.cycle)))
        if self.party is not None:
            mask = both(_list_has_any(frame.column("parties"), self.party))
        if self.person is not None:
            mask = both(_list_has_any(frame.column("persons"), self.person))
        if self.start is not None:
            mask = both(pc.greater_equal(frame.column("date_start"), pa.scalar(self.start)))
        if self.end is not None:
            mask = both(pc.less_equal(frame.column("date_end"), pa.scalar(self.end)))
        if not self.include_disputed:
            mask = both(pc.invert(frame.column("disputed")))
        out = pc.fill_null(mask, False)
        return out.combine_chunks() if isinstance(out, pa.ChunkedArray) else out


_NAMES = frozenset(f.name for f in attrs.fields(Filters))


def _list_has_any(col: pa.ChunkedArray, values: tuple[str, ...]) -> pa.Array:
    """Per row: does its list hold any of ``values``? (vectorized with prefix sums)"""
    arr = col.combine_chunks()
    flat = pc.cast(pc.is_in(pc.list_flatten(arr), pa.array(values, pa.string())), pa.int64())
    prefix = pa.concat_arrays([pa.array([0], pa.int64()), pc.cumulative_sum(flat)])
    offsets = pc.subtract(arr.offsets, arr.offsets[0])  # a sliced array's offsets start > 0
    ends = prefix.take(offsets.slice(1))
    starts = prefix.take(offsets.slice(0, len(offsets) - 1))
    return pc.greater(pc.subtract(ends, starts), 0)


def claimant_index(ds: Dataset, frame: pa.Table) -> Any:
    """A name index over the claimants in ``frame``: each claimant's ID (or group
    label), plus the names and aliases of the person, organization or source it is."""
    from cambodefect._names.index import NameIndex
    from cambodefect._text import words

    keys = pc.unique(frame.column("claimant").combine_chunks()).to_pylist()
    kinds = dict(
        zip(
            frame.column("claimant").to_pylist(),
            frame.column("claimant_kind").to_pylist(),
            strict=True,
        )
    )
    spellings: dict[str, list[str]] = {k: [k] for k in keys if k is not None}
    tables = {"person": ds.persons, "organization": ds.parties, "source": ds.sources}
    for kind, table in tables.items():
        wanted = [k for k in spellings if kinds.get(k) == kind]
        if not wanted:
            continue
        rows = table.filter(pc.is_in(table.column("id"), pa.array(wanted, pa.string())))
        for row in rows.to_pylist():
            names = [row.get("name"), row.get("short_name"), row.get("title")]
            names += row.get("aliases") or []
            spellings[row["id"]] += [n for n in names if isinstance(n, str) and n]
    entries = [(k, list(dict.fromkeys(v))) for k, v in spellings.items()]
    return NameIndex(entries, key=lambda s: " ".join(words(s)), what="claimant")


def _claimant_id(index: Any, text: str) -> str:
    if text in index:
        return text
    found = index.find(text)
    if isinstance(found, str):
        return found
    if found.candidates:
        from cambodefect.errors import AmbiguousNameError

        raise AmbiguousNameError(text, found.candidates)
    raise UnknownClaimantError(text, found.suggestions)
