"""Stage 1 of every aggregation: the claims frame, one flat row per claim.

[`claims_frame`][cambodefect.aggregate.claims_frame] turns the nested ``claims`` table into the flat
columns every aggregation (and the Hive partitioning of the Parquet export) works on: the claim's
date (its period, else the date it was reported) and era, the claimant, the count's qualifier, unit,
figure and bounds, the former parties and their joint key.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = [
    "ELECTIONS",
    "Cycle",
    "Era",
    "Frame",
    "claims_frame",
    "cycles",
    "event_frame_of",
    "frame_of",
]


class Era(StrEnum):
    """The two waves dataset 1 covers, by the year of a claim's date."""

    DRIVE_2017 = "2017-drive"
    """The 2017 drive around the CNRP's dissolution."""
    WAVE_2023 = "2023-wave"
    """The wave before the July 2023 election."""


_ERA_YEARS = {2017: Era.DRIVE_2017, 2023: Era.WAVE_2023}


class Cycle(StrEnum):
    """The national election a claim's date leads up to: its election cycle.

    A date belongs to the first national election held on or after it (28 July 2013 for
    a claim of October 2012; 23 July 2023 for one of November 2022); claims after July
    2023 lead up to the next election (2028).
    """

    C2003 = "2003"
    C2008 = "2008"
    C2013 = "2013"
    C2018 = "2018"
    C2023 = "2023"
    C2028 = "2028"


ELECTIONS: tuple[tuple[date, Cycle], ...] = (
    (date(2003, 7, 27), Cycle.C2003),
    (date(2008, 7, 27), Cycle.C2008),
    (date(2013, 7, 28), Cycle.C2013),
    (date(2018, 7, 29), Cycle.C2018),
    (date(2023, 7, 23), Cycle.C2023),
)
"""National election days, each with the cycle it closes (later dates: 2028)."""


def claims_frame(ds: Dataset, *, with_party_key: bool = True) -> pa.Table:
    """One flat row per claim: the columns every aggregation works on.

    Columns: ``id``, ``kind``, ``claimant`` (ID, or the label of an unnamed group),
    ``claimant_kind``, ``alignment``, ``qualifier``, ``unit``, ``value``, ``low``,
    ``high``, ``count_text``, ``date_start``, ``date_end`` (the claim's period, else the
    date it was reported), ``precision``, ``era``, ``cycle`` (the election a claim leads up to:
    [`Cycle`][cambodefect.aggregate.Cycle]), ``parties`` (list of former-party
    IDs), ``party_key`` (joint key: IDs joined with ``+``), ``persons``, ``part_of``,
    ``subset_of``, ``overlaps``, ``disputed_by``, ``disputed``, ``event_id``,
    ``province``, ``place``.

    Examples:
        >>> import cambodefect as cd
        >>> claims_frame(cd.load()).num_rows == cd.load().claims.num_rows
        True

    Each column is built once per dataset and kept while the dataset lives: every
    aggregation starts from them, and builds only the columns it reads (`frame_of`).
    ``with_party_key=False`` is kept for callers that passed it: the frame carries its
    joint keys either way (one frame serves all).
    """
    del with_party_key  # one cached frame, always with its keys
    frame = frame_of(ds)
    return frame.select(frame.column_names)


def frame_of(ds: Dataset) -> Frame:
    """The dataset's claims frame, whose columns are built as they are first read."""
    from cambodefect._names.cache import cached_for

    return cached_for(ds, Frame)


def event_frame_of(ds: Dataset) -> Frame:
    """The claims frame of the claims that report an event (``by_event`` reads only
    those: a tenth of the claims or fewer), in the dataset's order."""
    from cambodefect._names.cache import cached_for

    return cached_for(ds, _event_frame)


def _event_frame(ds: Dataset) -> Frame:
    reporting = pc.is_valid(ds.claims.column("event_id").combine_chunks())
    return Frame(ds, pc.indices_nonzero(reporting))


class Frame:
    """The claims frame of one dataset, built column by column on first use.

    It reads like the `pyarrow.Table` [`claims_frame`][cambodefect.aggregate.claims_frame]
    returns (``column``, ``select``, ``num_rows``, ``column_names``), but a column
    costs nothing until a stage reads it: ``by_event`` never builds eras or joint
    keys, ``by_party`` never builds places (docs/decisions.md 33).
    """

    def __init__(self, ds: Dataset, rows: pa.Array | None = None) -> None:
        # A weak reference: the per-dataset cache holds this frame only while the
        # dataset lives, so the frame must not keep the dataset alive.
        self._ds = weakref.ref(ds)
        self._take = rows  # the claims (row numbers) of a frame of some claims only
        self._rows = ds.claims.num_rows if rows is None else len(rows)
        self._built: dict[str, pa.ChunkedArray] = {}
        self._fields: dict[str, list[pa.Array]] = {}
        self._source: dict[str, pa.ChunkedArray] = {}

    @property
    def num_rows(self) -> int:
        """The number of claims."""
        return int(self._rows)

    @property
    def column_names(self) -> list[str]:
        """Every column, in the order of `claims_frame`."""
        return list(_BUILDERS)

    def column(self, name: str) -> pa.ChunkedArray:
        """Column ``name``, built now if no stage has read it yet (``KeyError`` if no
        such column)."""
        if name not in self._built:
            ds = self._ds()
            if ds is None:
                raise ReferenceError("the dataset of this claims frame no longer exists")
            for key, value in _BUILDERS[name](ds, self).items():
                # (wrapping a chunked array of no chunks would lose its type)
                chunked = value if isinstance(value, pa.ChunkedArray) else pa.chunked_array([value])
                self._built.setdefault(key, chunked)
        return self._built[name]

    def select(self, names: list[str] | tuple[str, ...]) -> pa.Table:
        """A table of the columns ``names``, in that order."""
        return pa.table({name: self.column(name) for name in names})

    def claims_column(self, ds: Dataset, name: str) -> pa.ChunkedArray:
        """Column ``name`` of the claims table, for this frame's claims."""
        if name not in self._source:
            self._source[name] = self.of_claims(ds.claims.column(name))
        return self._source[name]

    def of_claims(self, column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
        """``column`` (one value per claim of the dataset) for this frame's claims."""
        return column if self._take is None else column.take(self._take)

    def fields(self, ds: Dataset, name: str) -> list[pa.Array]:
        """The fields of the claims table's struct column ``name``, flattened once."""
        if name not in self._fields:
            column = self.claims_column(ds, name).combine_chunks()
            self._fields[name] = list(column.flatten())
        return self._fields[name]


def _claimant(ds: Dataset, f: Frame) -> dict[str, pa.Array]:
    return {"claimant": claimant_keys(f.claims_column(ds, "claimant").combine_chunks())}


def _claimant_field(index: int, name: str) -> _Builder:
    def build(ds: Dataset, f: Frame) -> dict[str, pa.Array]:
        return {name: f.fields(ds, "claimant")[index].cast(pa.string())}

    return build


def _count_field(index: int, name: str) -> _Builder:
    def build(ds: Dataset, f: Frame) -> dict[str, pa.Array]:
        fields = f.fields(ds, "count")
        if index < 2:  # qualifier, unit: dictionaries, cast each on its own
            return {name: fields[index].cast(pa.string())}
        return dict(zip(("value", "low", "high", "count_text"), fields[2:], strict=True))

    return build


def _column(name: str, *, as_: str | None = None, cast: pa.DataType | None = None) -> _Builder:
    def build(ds: Dataset, f: Frame) -> dict[str, pa.Array]:
        column = f.claims_column(ds, name).combine_chunks()
        return {as_ or name: column if cast is None else column.cast(cast)}

    return build


def _dates(ds: Dataset, f: Frame) -> dict[str, pa.Array]:
    p_start, p_end = f.fields(ds, "period")[1:3]
    r_start, r_end = f.fields(ds, "reported")[1:3]
    has_period = pc.is_valid(f.claims_column(ds, "period").combine_chunks())
    return {
        "date_start": pc.if_else(has_period, p_start, r_start),
        "date_end": pc.if_else(has_period, p_end, r_end),
    }


def _precision(ds: Dataset, f: Frame) -> dict[str, pa.Array]:
    p_prec, r_prec = f.fields(ds, "period")[0], f.fields(ds, "reported")[0]
    has_period = pc.is_valid(f.claims_column(ds, "period").combine_chunks())
    return {"precision": pc.if_else(has_period, p_prec.cast(pa.string()), r_prec.cast(pa.string()))}


def _spans(of: Callable[[pa.Array, pa.Array], pa.Array], name: str) -> _Builder:
    def build(ds: Dataset, f: Frame) -> dict[str, pa.Array]:
        start = f.column("date_start").combine_chunks()
        names = of(start, f.column("date_end").combine_chunks())
        undated = pc.is_null(start)
        if pc.any(undated).as_py():
            evidence = f.claims_column(ds, "evidence").filter(undated)
            names = pc.replace_with_mask(names, undated, _source_eras(ds, evidence, of))
        return {name: names}

    return build


def _party_key(ds: Dataset, f: Frame) -> dict[str, pa.Array]:
    return {"party_key": joint_keys(f.column("parties").combine_chunks())}


def _disputed(ds: Dataset, f: Frame) -> dict[str, pa.Array]:
    return {"disputed": pc.greater(pc.list_value_length(f.column("disputed_by")), 0)}


def _overlaps(ds: Dataset, f: Frame) -> dict[str, pa.Array]:
    return {"overlaps": f.of_claims(claim_overlaps(ds))}


def _where(ds: Dataset, f: Frame) -> dict[str, pa.Array]:
    own = f.claims_column(ds, "place").combine_chunks()
    province, place = _places(ds, own, f.column("event_id").combine_chunks())
    return {"province": province, "place": place}


def _places(ds: Dataset, own: pa.Array, event_id: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Each claim's province and printed place: its own (``own``, the claims' ``place``
    column), else its event's."""
    own_text, own_province = own.flatten()
    events = ds.events
    if events.num_rows == 0:
        return own_province, own_text
    ev_text, ev_province = events.column("place").combine_chunks().flatten()
    row = pc.index_in(event_id, events.column("id").combine_chunks())
    has_own = pc.is_valid(own)
    return (
        pc.if_else(has_own, own_province, ev_province.take(row)),
        pc.if_else(has_own, own_text, ev_text.take(row)),
    )


def claimant_keys(claimant: pa.Array) -> pa.Array:
    """Each claim's claimant key (a ``claimant`` struct column): its ID, else the label
    of an unnamed group ("pro-government media")."""
    _kind, _alignment, ids, labels = claimant.flatten()
    return pc.coalesce(ids, labels)


def claim_overlaps(ds: Dataset) -> pa.Array:
    """`overlap_links` of the dataset's claims, built once per dataset (the claims frame
    and the aggregation's links both read it)."""
    from cambodefect._names.cache import cached_for

    return cached_for(ds, _claim_overlaps)


def _claim_overlaps(ds: Dataset) -> pa.Array:
    return overlap_links(ds.claims)


def overlap_links(t: pa.Table) -> pa.Array:
    """Per claim, the IDs of the claims it may overlap, from either side's declaration."""
    links = t.column("may_overlap").combine_chunks()
    strings = pa.list_(pa.string())
    ids = t.column("id").combine_chunks()
    n = len(ids)
    flat = pc.list_flatten(links)
    if len(flat) == 0:
        offsets = pc.fill_null(pa.nulls(n + 1, pa.int32()), 0)
        return pa.ListArray.from_arrays(offsets, pa.array([], pa.string()), type=strings)
    owner = pc.list_parent_indices(links)
    other = pc.struct_field(flat, "claim_id")
    pairs = pa.table(
        {
            "a": pa.concat_arrays([ids.take(owner), other]),
            "b": pa.concat_arrays([other, ids.take(owner)]),
        }
    )
    grouped = pairs.group_by("a", use_threads=False).aggregate([("b", "distinct")])
    where = pc.index_in(ids, grouped.column("a"))
    found = grouped.column("b_distinct").combine_chunks().take(where)
    empty = pa.scalar([], strings)
    return pc.if_else(pc.is_valid(found), found, empty).cast(strings)


def eras(start: pa.Array, end: pa.Array) -> pa.Array:
    """The era of each date span: its start year's era, where the span ends in that
    same year or is open-ended ("on or after 24 November 2017")."""
    year = pc.year(start)
    same = pc.fill_null(pc.or_kleene(pc.equal(year, pc.year(end)), pc.is_null(end)), False)
    out = pa.nulls(len(start), pa.string())
    for y, era in _ERA_YEARS.items():
        out = pc.if_else(pc.and_(same, pc.fill_null(pc.equal(year, y), False)), era.value, out)
    return out


def _cycle_of(day: pa.Array) -> pa.Array:
    # the number of elections held before the day picks its cycle (integers, not strings)
    count = pa.scalar(0, pa.int8())
    for held, _cycle in ELECTIONS:
        count = pc.add(count, pc.greater(day, pa.scalar(held)).cast(pa.int8()))
    names = pa.array([cycle.value for _held, cycle in ELECTIONS] + [Cycle.C2028.value])
    return names.take(count)


def cycles(start: pa.Array, end: pa.Array) -> pa.Array:
    """The election cycle of each date span: that of its start, where its end falls in
    the same cycle or is open."""
    first, last = _cycle_of(start), _cycle_of(end)
    same = pc.fill_null(pc.or_kleene(pc.equal(first, last), pc.is_null(end)), False)
    return pc.if_else(same, first, pa.scalar(None, pa.string()))


def _source_eras(
    ds: Dataset, evidence: pa.ChunkedArray, of: Callable[[pa.Array, pa.Array], pa.Array]
) -> pa.Array:
    """For undated claims (their ``evidence`` column): the era (or cycle) of the source
    their first evidence cites."""
    sources = ds.sources
    published = sources.column("published").combine_chunks()
    _p, p_start, p_end = published.flatten()[:3]
    source_era = of(p_start, p_end)
    first = pc.list_element(evidence.combine_chunks(), 0)
    first_source = pc.struct_field(first, "source_id")
    index = pc.index_in(first_source, sources.column("id").combine_chunks())
    return source_era.take(index)


def joint_keys(parties: pa.Array) -> pa.Array:
    """One key per claim: its party IDs, sorted, joined with ``+`` (null if none).

    Sorting makes "CNRP / Candlelight" and "Candlelight and CNRP" one joint group.
    A claim naming one party is keyed by that ID, read straight from the list; only
    the distinct combinations of several are joined and sorted, in Python, and mapped
    back to their rows with a vectorized take.
    """
    lengths = pc.list_value_length(parties)
    one = pc.fill_null(pc.equal(lengths, 1), False)
    # where each list starts among the flattened values (a null list adds none of its own)
    spans = pc.fill_null(lengths, 0).cast(pa.int64())
    starts = pc.subtract(pc.cumulative_sum(spans), spans)
    keys = pc.list_flatten(parties).take(pc.if_else(one, starts, None))
    # Several parties need joining and sorting; one party's ID only if a slug check
    # would refuse it (it holds a "+", which sorting splits on, or is empty: no key).
    odd = pc.fill_null(pc.or_(pc.match_substring(keys, "+"), pc.equal(keys, "")), False)
    joined = pc.or_(pc.fill_null(pc.greater(lengths, 1), False), odd)
    if pc.any(joined).as_py():
        encoded = pc.dictionary_encode(pc.binary_join(parties.filter(joined), "+"))
        canonical = pa.array(
            ["+".join(sorted(v.split("+"))) if v else None for v in encoded.dictionary.to_pylist()],
            pa.string(),
        )
        keys = pc.replace_with_mask(keys, joined, canonical.take(encoded.indices))
    return keys


_Builder = Callable[["Dataset", Frame], dict[str, pa.Array]]
_STRINGS = pa.list_(pa.string())

# Each column's builder, in the frame's column order; a builder may return more than one.
_BUILDERS: dict[str, _Builder] = {
    "id": _column("id"),
    "kind": _column("kind", cast=pa.string()),
    "claimant": _claimant,
    "claimant_kind": _claimant_field(0, "claimant_kind"),
    "alignment": _claimant_field(1, "alignment"),
    "qualifier": _count_field(0, "qualifier"),
    "unit": _count_field(1, "unit"),
    "value": _count_field(2, "value"),
    "low": _count_field(3, "low"),
    "high": _count_field(4, "high"),
    "count_text": _count_field(5, "count_text"),
    "date_start": _dates,
    "date_end": _dates,
    "precision": _precision,
    "era": _spans(eras, "era"),
    "cycle": _spans(cycles, "cycle"),
    "parties": _column("from_party_ids", as_="parties", cast=_STRINGS),
    "party_key": _party_key,
    "persons": _column("person_ids", as_="persons", cast=_STRINGS),
    "part_of": _column("part_of"),
    "subset_of": _column("subset_of"),
    "overlaps": _overlaps,
    "disputed_by": _column("disputed_by", cast=_STRINGS),
    "disputed": _disputed,
    "event_id": _column("event_id"),
    "province": _where,
    "place": _where,
}
