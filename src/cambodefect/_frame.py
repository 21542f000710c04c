"""Stage 1 of every aggregation: the claims frame, one flat row per claim.

[`claims_frame`][cambodefect.aggregate.claims_frame] turns the nested ``claims`` table into the flat
columns every aggregation (and the Hive partitioning of the Parquet export) works on: the claim's
date (its period, else the date it was reported) and era, the claimant, the count's qualifier, unit,
figure and bounds, the former parties and their joint key.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = ["ELECTIONS", "Cycle", "Era", "claims_frame", "cycles"]


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
    ``disputed``.

    Examples:
        >>> import cambodefect as cd
        >>> claims_frame(cd.load()).num_rows == cd.load().claims.num_rows
        True

    The frame is built once per dataset and kept while the dataset lives: every
    aggregation starts from it. ``with_party_key=False`` is kept for callers that
    passed it: the frame carries its joint keys either way (one frame serves all).
    """
    from cambodefect._names.cache import cached_for

    del with_party_key  # one cached frame, always with its keys
    return cached_for(ds, _frame)


def _frame(ds: Dataset) -> pa.Table:
    return _build(ds, with_party_key=True)


def _build(ds: Dataset, *, with_party_key: bool) -> pa.Table:
    t = ds.claims
    claimant = t.column("claimant").combine_chunks()
    count = t.column("count").combine_chunks()
    period = t.column("period").combine_chunks()
    reported = t.column("reported").combine_chunks()
    c_kind, c_align, _c_id, _c_label = claimant.flatten()
    q, unit, value, low, high, count_text = count.flatten()
    p_prec, p_start, p_end = period.flatten()[:3]
    r_prec, r_start, r_end = reported.flatten()[:3]
    has_period = pc.is_valid(period)
    start = pc.if_else(has_period, p_start, r_start)
    end = pc.if_else(has_period, p_end, r_end)
    precision = pc.if_else(has_period, p_prec.cast(pa.string()), r_prec.cast(pa.string()))
    era_names = eras(start, end)
    cycle_names = cycles(start, end)
    undated = pc.is_null(start)
    if pc.any(undated).as_py():
        era_names = pc.replace_with_mask(era_names, undated, _source_eras(ds, t.filter(undated)))
        cycle_names = pc.replace_with_mask(
            cycle_names, undated, _source_eras(ds, t.filter(undated), cycles)
        )
    strings = pa.list_(pa.string())
    parties = t.column("from_party_ids").combine_chunks().cast(strings)
    party_key = joint_keys(parties) if with_party_key else pa.nulls(len(parties), pa.string())
    disputed_by = t.column("disputed_by").combine_chunks().cast(strings)
    disputed = pc.greater(pc.list_value_length(disputed_by), 0)
    event_id = t.column("event_id").combine_chunks()
    province, place = _places(ds, t, event_id)
    return pa.table(
        {
            "id": t.column("id"),
            "kind": t.column("kind").cast(pa.string()),
            "claimant": claimant_keys(claimant),
            "claimant_kind": c_kind.cast(pa.string()),
            "alignment": c_align.cast(pa.string()),
            "qualifier": q.cast(pa.string()),
            "unit": unit.cast(pa.string()),
            "value": value,
            "low": low,
            "high": high,
            "count_text": count_text,
            "date_start": start,
            "date_end": end,
            "precision": precision,
            "era": era_names,
            "cycle": cycle_names,
            "parties": parties,
            "party_key": party_key,
            "persons": t.column("person_ids").combine_chunks().cast(strings),
            "part_of": t.column("part_of"),
            "subset_of": t.column("subset_of"),
            "overlaps": claim_overlaps(ds),
            "disputed_by": disputed_by,
            "disputed": disputed,
            "event_id": event_id,
            "province": province,
            "place": place,
        }
    )


def _places(ds: Dataset, t: pa.Table, event_id: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Each claim's province and printed place: its own, else its event's."""
    own = t.column("place").combine_chunks()
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
    ds: Dataset, claims: pa.Table, of: Callable[[pa.Array, pa.Array], pa.Array] | None = None
) -> pa.Array:
    """For undated claims: the era (or cycle) of the source their first evidence cites."""
    sources = ds.sources
    published = sources.column("published").combine_chunks()
    _p, p_start, p_end = published.flatten()[:3]
    source_era = (of or eras)(p_start, p_end)
    first = pc.list_element(claims.column("evidence").combine_chunks(), 0)
    first_source = pc.struct_field(first, "source_id")
    index = pc.index_in(first_source, sources.column("id").combine_chunks())
    return source_era.take(index)


def joint_keys(parties: pa.Array) -> pa.Array:
    """One key per claim: its party IDs, sorted, joined with ``+`` (null if none).

    Sorting makes "CNRP / Candlelight" and "Candlelight and CNRP" one joint group.
    Only the distinct printed combinations are sorted in Python; rows are mapped back
    with a vectorized take.
    """
    joined = pc.binary_join(parties, "+")
    encoded = pc.dictionary_encode(joined)
    canonical = pa.array(
        ["+".join(sorted(v.split("+"))) if v else None for v in encoded.dictionary.to_pylist()],
        pa.string(),
    )
    keys = canonical.take(encoded.indices)
    return pc.if_else(pc.equal(pc.list_value_length(parties), 0), None, keys)
