"""Honest numbers from claims: totals by party, period, claimant and alignment.

Every function takes a :class:`~cambodefect.dataset.Dataset`, applies the same
filters, and returns a :class:`pyarrow.Table` with, per group:

``claims``
    how many claims fall in the group;
``count_sum``
    the best figure the wording allows: each claim adds its point figure (exact or
    approximate) where it has one, else its lower bound ("more than 2,000" adds
    2,001), else nothing ("dozens", no count); so ``lower <= count_sum <= upper``;
``unvalued``
    how many claims have no point figure ("more than 2,000", "dozens", no count);
``lower`` / ``upper``
    bounds on the group's total: a "more than 2,000" adds 2,001 to ``lower`` and makes
    ``upper`` unbounded (null); an "around 60" adds 60 to both only under
    ``approximate="as_value"`` (by default it adds 0 to ``lower`` and makes ``upper``
    null); a vague count adds 0 and makes ``upper`` null.

Every result is also grouped by ``unit``: persons, officials and percentages are
never summed together.

The rules of DESIGN.md section 6 are enforced here, not left to the user:

- **A stated total is never added to its own items.** If a claim and one of its
  ``part_of`` ancestors are both selected, only the most itemized level is kept
  (``overlap="items"``, the default) or only the totals (``overlap="totals"``); the
  dropped IDs are listed in the result's metadata.
- **Claimants are never mixed silently.** Each result is grouped by claimant as well
  as by its own key, unless one claimant is selected or the caller names several and
  passes ``pool_claimants=True``.
- **Joint rows stay joint.** A claim naming several former parties counts once, for
  the joint group ("cambodia-national-rescue-party+candlelight-party"). With
  ``joint="each"`` it counts for each party and the column ``over_counts`` is true
  for every group that received a joint claim: the groups then add up to more than
  the claims.
- **Placeholders and non-party labels are kept and labelled** (``party_kind``).

Filters shared by all functions: ``kind`` (default ``"defection"``), ``claimant``,
``alignment``, ``party``, ``person``, ``era`` (``"2017-drive"`` or ``"2023-wave"``),
``start`` / ``end`` (the claim's date lies within), ``include_disputed`` (default
true: claims that others dispute are kept; false drops them).

Examples:
    >>> import cambodefect as cd
    >>> from cambodefect import aggregate
    >>> t = aggregate.by_party(cd.load(), claimant="fresh-news", era="2023-wave")
    >>> int(sum(t.column("count_sum").to_pylist()))  # 110 tally rows + a 45-person story
    6521
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from cambodefect.errors import AggregationError, ArgumentError

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = [
    "AggregationError",
    "Era",
    "by_claimant",
    "by_party",
    "by_period",
    "by_source_alignment",
    "claims_frame",
    "cumulative",
    "reconcile",
    "to_text",
]

Freq = Literal["day", "week", "month", "quarter", "year"]
_FREQS: tuple[str, ...] = ("day", "week", "month", "quarter", "year")


class Era(StrEnum):
    """The two waves the dataset covers, by the year of a claim's date."""

    DRIVE_2017 = "2017-drive"
    """The 2017 drive around the CNRP's dissolution."""
    WAVE_2023 = "2023-wave"
    """The wave before the July 2023 election."""


_ERA_YEARS = {2017: Era.DRIVE_2017, 2023: Era.WAVE_2023}


# -- the flat frame -------------------------------------------------------------


def claims_frame(ds: Dataset, *, with_party_key: bool = True) -> pa.Table:
    """One flat row per claim: the columns every aggregation works on.

    Columns: ``id``, ``kind``, ``claimant`` (ID, or the label of an unnamed group),
    ``claimant_kind``, ``alignment``, ``qualifier``, ``unit``, ``value``, ``low``,
    ``high``, ``count_text``, ``date_start``, ``date_end`` (the claim's period, else the date it was
    reported), ``precision``, ``era``, ``parties`` (list of former-party IDs),
    ``party_key`` (joint key: IDs joined with ``+``), ``persons``, ``part_of``,
    ``disputed``.

    Examples:
        >>> import cambodefect as cd
        >>> claims_frame(cd.load()).num_rows == cd.load().claims.num_rows
        True
    """
    t = ds.claims
    claimant = t.column("claimant").combine_chunks()
    count = t.column("count").combine_chunks()
    period = t.column("period").combine_chunks()
    reported = t.column("reported").combine_chunks()
    c_kind, c_align, c_id, c_label = claimant.flatten()
    q, unit, value, low, high, count_text = count.flatten()
    p_prec, p_start, p_end = period.flatten()[:3]
    r_prec, r_start, r_end = reported.flatten()[:3]
    has_period = pc.is_valid(period)
    start = pc.if_else(has_period, p_start, r_start)
    end = pc.if_else(has_period, p_end, r_end)
    precision = pc.if_else(has_period, p_prec.cast(pa.string()), r_prec.cast(pa.string()))
    era_names = _eras(start, end)
    undated = pc.is_null(start)
    if pc.any(undated).as_py():
        era_names = pc.replace_with_mask(era_names, undated, _source_eras(ds, t.filter(undated)))
    strings = pa.list_(pa.string())
    parties = t.column("from_party_ids").combine_chunks().cast(strings)
    party_key = _joint_keys(parties) if with_party_key else pa.nulls(len(parties), pa.string())
    disputed = pc.greater(pc.list_value_length(t.column("disputed_by").combine_chunks()), 0)
    # exact and approximate counts give a value; a missing low bound is 0 (people
    # cannot be fewer than none); an exact count's bounds are its value.
    return pa.table(
        {
            "id": t.column("id"),
            "kind": t.column("kind").cast(pa.string()),
            "claimant": pc.coalesce(c_id, c_label),
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
            "parties": parties,
            "party_key": party_key,
            "persons": t.column("person_ids").combine_chunks().cast(strings),
            "part_of": t.column("part_of"),
            "disputed": disputed,
        }
    )


def _eras(start: pa.Array, end: pa.Array) -> pa.Array:
    """The era of each date span: its start year's era, where the span ends in that
    same year or is open-ended ("on or after 24 November 2017")."""
    year = pc.year(start)
    same = pc.fill_null(pc.or_kleene(pc.equal(year, pc.year(end)), pc.is_null(end)), False)
    out = pa.nulls(len(start), pa.string())
    for y, era in _ERA_YEARS.items():
        out = pc.if_else(pc.and_(same, pc.fill_null(pc.equal(year, y), False)), era.value, out)
    return out


def _source_eras(ds: Dataset, claims: pa.Table) -> pa.Array:
    """For undated claims: the era of the source their first evidence line is in."""
    sources = ds.sources
    published = sources.column("published").combine_chunks()
    _p, p_start, p_end = published.flatten()[:3]
    source_era = _eras(p_start, p_end)
    first = pc.list_element(claims.column("evidence").combine_chunks(), 0)
    first_source = pc.struct_field(first, "source_id")
    index = pc.index_in(first_source, sources.column("id").combine_chunks())
    return source_era.take(index)


def _joint_keys(parties: pa.Array) -> pa.Array:
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


# -- filtering ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Filters:
    kind: tuple[str, ...] | None
    claimant: tuple[str, ...] | None
    alignment: tuple[str, ...] | None
    party: tuple[str, ...] | None
    person: tuple[str, ...] | None
    era: tuple[str, ...] | None
    start: date | None
    end: date | None
    include_disputed: bool


def _as_tuple(value: str | Iterable[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _known(name: str, given: tuple[str, ...] | None, allowed: Iterable[str]) -> None:
    if given is None:
        return
    allowed = sorted(set(allowed))
    unknown = [g for g in given if g not in allowed]
    if unknown:
        raise AggregationError(f"unknown {name} {unknown}; known: {', '.join(allowed)}")


def _filters(ds: Dataset, frame: pa.Table, **kw: Any) -> _Filters:
    from cambodefect.enums import Alignment, ClaimKind

    for key in ("start", "end"):
        value = kw.get(key)
        if value is not None and (not isinstance(value, date) or isinstance(value, datetime)):
            raise AggregationError(f"{key} must be a datetime.date, got {value!r}")
    for key in ("kind", "claimant", "alignment", "party", "person", "era"):
        value = kw.get(key)
        if value is None:
            continue
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, Iterable) or not all(isinstance(v, str) for v in items):
            raise AggregationError(f"{key} must be a string or a list of strings, got {value!r}")

    f = _Filters(
        kind=_as_tuple(kw.get("kind", "defection")),
        claimant=_as_tuple(kw.get("claimant")),
        alignment=_as_tuple(kw.get("alignment")),
        party=_as_tuple(kw.get("party")),
        person=_as_tuple(kw.get("person")),
        era=_as_tuple(kw.get("era")),
        start=kw.get("start"),
        end=kw.get("end"),
        include_disputed=bool(kw.get("include_disputed", True)),
    )
    _known("kind", f.kind, [k.value for k in ClaimKind])
    _known("alignment", f.alignment, [a.value for a in Alignment])
    _known("era", f.era, [e.value for e in Era])
    claimants = pc.unique(frame.column("claimant")).to_pylist()
    _known("claimant", f.claimant, [c for c in claimants if c])
    if f.party is not None:
        f = attrs.evolve(f, party=tuple(ds.party(p).id for p in f.party))
    if f.person is not None:
        f = attrs.evolve(f, person=tuple(ds.person(p).id for p in f.person))
    return f


def _mask(frame: pa.Table, f: _Filters) -> pa.ChunkedArray | pa.Array:
    mask = _filled(frame.num_rows, True)

    def both(m: Any) -> Any:
        return pc.and_kleene(mask, pc.fill_null(m, False))

    if f.kind is not None:
        mask = both(pc.is_in(frame.column("kind"), pa.array(f.kind)))
    if f.claimant is not None:
        mask = both(pc.is_in(frame.column("claimant"), pa.array(f.claimant)))
    if f.alignment is not None:
        mask = both(pc.is_in(frame.column("alignment"), pa.array(f.alignment)))
    if f.era is not None:
        mask = both(pc.is_in(frame.column("era"), pa.array(f.era)))
    if f.party is not None:
        mask = both(_list_has_any(frame.column("parties"), f.party))
    if f.person is not None:
        mask = both(_list_has_any(frame.column("persons"), f.person))
    if f.start is not None:
        mask = both(pc.greater_equal(frame.column("date_start"), pa.scalar(f.start)))
    if f.end is not None:
        mask = both(pc.less_equal(frame.column("date_end"), pa.scalar(f.end)))
    if not f.include_disputed:
        mask = both(pc.invert(frame.column("disputed")))
    return mask


def _list_has_any(col: pa.ChunkedArray, values: tuple[str, ...]) -> pa.Array:
    """Per row: does its list hold any of ``values``? (vectorized with prefix sums)"""
    arr = col.combine_chunks()
    flat = pc.cast(pc.is_in(pc.list_flatten(arr), pa.array(values, pa.string())), pa.int64())
    prefix = pa.concat_arrays([pa.array([0], pa.int64()), pc.cumulative_sum(flat)])
    offsets = pc.subtract(arr.offsets, arr.offsets[0])  # a sliced array's offsets start > 0
    ends = prefix.take(offsets.slice(1))
    starts = prefix.take(offsets.slice(0, len(offsets) - 1))
    return pc.greater(pc.subtract(ends, starts), 0)


_MAX_DEPTH = 64  # part_of chains are short; validate() reports cycles


def _overlaps(frame: pa.Table, selected: pa.Array, pooled: bool) -> tuple[pa.Array, pa.Array]:
    """(descendants, ancestors): row indices of selected claims with a selected
    ``part_of`` ancestor in the same claimant series, and of those ancestors.

    Walks ``part_of`` one level at a time with vectorized lookups, so the cost is
    linear in the number of claims times the (small) depth of the chains.
    """
    ids = frame.column("id").combine_chunks()
    part_of = frame.column("part_of").combine_chunks()
    empty = pa.array([], pa.uint64())
    # Shortcut: if no selected claim is anyone's part_of target, nothing overlaps.
    if not pc.any(pc.is_in(ids.filter(selected), pc.unique(part_of))).as_py():
        return empty, empty
    parent_row = pc.index_in(part_of, ids)
    claimant = frame.column("claimant").combine_chunks()
    origin = pc.indices_nonzero(selected)
    current = origin
    descendants: list[pa.Array] = []
    ancestors: list[pa.Array] = []
    for _ in range(_MAX_DEPTH):
        up = parent_row.take(current)
        has = pc.is_valid(up)
        if not pc.any(has).as_py():
            break
        origin, up = origin.filter(has), up.filter(has)
        same = pa.scalar(True) if pooled else pc.equal(claimant.take(up), claimant.take(origin))
        hit = pc.fill_null(pc.and_(selected.take(up), same), False)
        descendants.append(origin.filter(hit))
        ancestors.append(up.filter(hit))
        current = up
    return (
        pa.concat_arrays([empty, *(a.cast(pa.uint64()) for a in descendants)]),
        pa.concat_arrays([empty, *(a.cast(pa.uint64()) for a in ancestors)]),
    )


def _select(
    ds: Dataset, overlap: Literal["items", "totals"], **kw: Any
) -> tuple[pa.Table, dict[str, Any]]:
    if overlap not in ("items", "totals"):
        raise AggregationError(f"overlap must be 'items' or 'totals', got {overlap!r}")
    frame = claims_frame(ds, with_party_key=bool(kw.get("with_party_key", True)))
    f = _filters(
        ds, frame, **{k: v for k, v in kw.items() if k not in ("pool_claimants", "with_party_key")}
    )
    mask = pc.fill_null(_mask(frame, f), False)
    if isinstance(mask, pa.ChunkedArray):
        mask = mask.combine_chunks()
    # Claimants are separate series, never summed together unless pooled, so a total
    # only overlaps its items within one claimant's series (or when pooled).
    descendants, ancestors = _overlaps(frame, mask, bool(kw.get("pool_claimants")))
    drop_rows = pc.unique(ancestors if overlap == "items" else descendants)
    if len(drop_rows):
        mask = pc.and_(mask, pc.invert(pc.is_in(_arange(frame.num_rows), drop_rows)))
    dropped = frame.column("id").combine_chunks().take(drop_rows.slice(0, 50)).to_pylist()
    notes = {
        "filters": {k: v for k, v in attrs.asdict(f).items() if v is not None},
        "dropped_overlapping": sorted(dropped),
        "dropped_overlapping_count": len(drop_rows),
        "overlap": overlap,
    }
    return frame.filter(mask), notes


def _filled(n: int, value: bool) -> pa.Array:
    """A boolean array of ``n`` copies of ``value``, built without a Python loop."""
    return pc.fill_null(pa.nulls(n, pa.bool_()), value)


def _arange(n: int) -> pa.Array:
    """Row indices 0..n-1 (uint64), built without a Python loop."""
    return pc.indices_nonzero(_filled(n, True))


# -- contributions and grouping -------------------------------------------------


def _contributions(frame: pa.Table, approximate: str) -> pa.Table:
    if approximate not in ("bounds", "as_value"):
        raise AggregationError(f"approximate must be 'bounds' or 'as_value', got {approximate!r}")
    q = frame.column("qualifier")
    value = frame.column("value")
    is_approx = pc.fill_null(pc.equal(q, "approximate"), False)
    low = frame.column("low")
    high = frame.column("high")
    if approximate == "as_value":
        low = pc.if_else(pc.and_(is_approx, pc.is_null(low)), value, low)
        high = pc.if_else(pc.and_(is_approx, pc.is_null(high)), value, high)
    lower = pc.fill_null(low, 0)
    unbounded = pc.is_null(high)
    best = pc.coalesce(value, frame.column("low"), pa.scalar(0, pa.int64()))
    frame = frame.append_column("best_part", best)
    return (
        frame.append_column("lower_part", lower)
        .append_column("upper_part", pc.fill_null(high, 0))
        .append_column("unbounded", unbounded)
        .append_column("unvalued_part", pc.cast(pc.is_null(value), pa.int64()))
    )


def _group(frame: pa.Table, keys: list[str], *, over_counts: bool = False) -> pa.Table:
    keys = [*keys, "unit"]  # persons, officials and percent are never summed together
    aggs: list[tuple[str, str]] = [
        ("id", "count"),
        ("best_part", "sum"),
        ("unvalued_part", "sum"),
        ("lower_part", "sum"),
        ("upper_part", "sum"),
        ("unbounded", "any"),
    ]
    if over_counts:
        aggs.append(("joint_row", "any"))
    grouped = frame.group_by(keys, use_threads=False).aggregate(aggs)
    upper = pc.if_else(grouped.column("unbounded_any"), None, grouped.column("upper_part_sum"))
    # Shares are not additive: a percent group keeps its claim count but no sums.
    additive = pc.fill_null(pc.not_equal(grouped.column("unit"), "percent"), True)
    null = pa.scalar(None, pa.int64())
    out = {k: grouped.column(k) for k in keys}
    out.update(
        {
            "claims": grouped.column("id_count"),
            "count_sum": pc.if_else(additive, grouped.column("best_part_sum"), null),
            "unvalued": grouped.column("unvalued_part_sum"),
            "lower": pc.if_else(additive, grouped.column("lower_part_sum"), null),
            "upper": pc.if_else(additive, upper, null),
        }
    )
    if over_counts:
        out["over_counts"] = grouped.column("joint_row_any")
    table = pa.table(out)
    return table.sort_by([(k, "ascending") for k in keys])


def _claimant_keys(frame: pa.Table, kw: dict[str, Any]) -> list[str]:
    named = _as_tuple(kw.get("claimant"))
    if kw.get("pool_claimants"):
        if not named or len(named) < 2:
            raise AggregationError(
                "pool_claimants=True mixes series: name the claimants to pool with claimant=[...]"
            )
        return []
    if named is not None and len(named) == 1:
        return []
    return ["claimant"]


def _finish(table: pa.Table, notes: dict[str, Any], rule: str) -> pa.Table:
    notes = {**notes, "rule": rule}
    meta = {b"cambodefect.aggregate": json.dumps(notes, default=str, sort_keys=True).encode()}
    return table.replace_schema_metadata(meta)


_AGG_KW = (
    "kind",
    "claimant",
    "alignment",
    "party",
    "person",
    "era",
    "start",
    "end",
    "include_disputed",
)


def _split_kw(kw: dict[str, Any]) -> dict[str, Any]:
    allowed = (*_AGG_KW, "pool_claimants")
    unknown = sorted(set(kw) - set(allowed))
    if unknown:
        raise ArgumentError(f"unknown argument(s) {unknown}; filters: {', '.join(_AGG_KW)}")
    return {k: v for k, v in kw.items() if k in _AGG_KW}


def by_party(
    ds: Dataset,
    *,
    joint: Literal["joint", "each"] = "joint",
    overlap: Literal["items", "totals"] = "items",
    approximate: Literal["bounds", "as_value"] = "bounds",
    **filters: Any,
) -> pa.Table:
    """Claims summed by former party (joint rows as one joint group by default).

    Columns: [``claimant``,] ``party_key``, ``party_kind``, ``unit``, ``claims``, ``count_sum``,
    ``unvalued``, ``lower``, ``upper``, ``over_counts``. ``party_key`` is null for
    claims that name no former party.

    Examples:
        >>> import cambodefect as cd
        >>> t = by_party(cd.load(), claimant="fresh-news", era="2023-wave")
        >>> row = t.filter(pc.equal(t["party_key"], "unnamed-parties")).to_pylist()[0]
        >>> (row["party_kind"], row["count_sum"])
        ('placeholder', 193)
    """
    sel_kw = _split_kw(filters)
    frame, notes = _select(ds, overlap, pool_claimants=filters.get("pool_claimants"), **sel_kw)
    frame = _contributions(frame, approximate)
    if joint == "each":
        joint_flag = pc.greater(pc.list_value_length(frame.column("parties")), 1)
        idx = pc.list_parent_indices(frame.column("parties").combine_chunks())
        exploded = frame.take(idx)
        exploded = exploded.set_column(
            exploded.schema.get_field_index("party_key"),
            "party_key",
            pc.list_flatten(frame.column("parties").combine_chunks()),
        )
        exploded = exploded.append_column("joint_row", joint_flag.take(idx))
        no_party = frame.filter(pc.equal(pc.list_value_length(frame.column("parties")), 0))
        no_party = no_party.append_column("joint_row", _filled(no_party.num_rows, False))
        frame = pa.concat_tables([exploded, no_party])
        rule = "joint=each: a claim naming several parties counts for each; groups over-count"
    elif joint == "joint":
        frame = frame.append_column("joint_row", _filled(frame.num_rows, False))
        rule = "joint=joint: a claim naming several parties counts once, for the joint group"
    else:
        raise AggregationError(f"joint must be 'joint' or 'each', got {joint!r}")
    keys = [*_claimant_keys(frame, filters), "party_key"]
    grouped = _group(frame, keys, over_counts=True)
    kinds = _party_kinds(ds)
    party_kind = [
        None if k is None else ("joint" if "+" in k else kinds.get(k))
        for k in grouped.column("party_key").to_pylist()
    ]
    grouped = grouped.add_column(
        grouped.schema.get_field_index("party_key") + 1,
        "party_kind",
        pa.array(party_kind, pa.string()),
    )
    return _finish(grouped, notes, rule)


def _party_kinds(ds: Dataset) -> dict[str, str]:
    ids = ds.parties.column("id").to_pylist()
    kinds = ds.parties.column("kind").cast(pa.string()).to_pylist()
    return dict(zip(ids, kinds, strict=True))


def _bins(frame: pa.Table, freq: str) -> pa.Array:
    if freq not in _FREQS:
        raise AggregationError(f"freq must be one of {', '.join(_FREQS)}, got {freq!r}")
    start, end = frame.column("date_start"), frame.column("date_end")
    if freq == "day":
        a, b = start, end
    else:
        opts: dict[str, Any] = {"unit": freq}
        if freq == "week":
            opts["week_starts_monday"] = True
        a = pc.floor_temporal(start, **opts)
        b = pc.floor_temporal(end, **opts)
    # A claim whose date spans more than one bin cannot be placed: its bin is null.
    return pc.if_else(pc.fill_null(pc.equal(a, b), False), a, pa.scalar(None, a.type))


def by_period(
    ds: Dataset,
    freq: Freq = "month",
    *,
    overlap: Literal["items", "totals"] = "items",
    approximate: Literal["bounds", "as_value"] = "bounds",
    **filters: Any,
) -> pa.Table:
    """Claims summed by calendar period (day, week, month, quarter, year).

    Each claim lands in exactly one bin: the one holding its whole date. A claim whose
    date is too imprecise for the bin (a month-precision date in a weekly series) or
    missing lands in the null bin, never split and never lost.

    Examples:
        >>> import cambodefect as cd
        >>> t = by_period(cd.load(), "month", claimant="fresh-news", era="2023-wave")
        >>> [str(d)[:7] for d in t.column("period").to_pylist()][:2]
        ['2023-01', '2023-02']
    """
    sel_kw = _split_kw(filters)
    frame, notes = _select(
        ds, overlap, with_party_key=False, pool_claimants=filters.get("pool_claimants"), **sel_kw
    )
    frame = _contributions(frame, approximate).append_column("period", _bins(frame, freq))
    keys = [*_claimant_keys(frame, filters), "period"]
    return _finish(_group(frame, keys), {**notes, "freq": freq}, f"by {freq}")


def by_claimant(
    ds: Dataset,
    *,
    overlap: Literal["items", "totals"] = "items",
    approximate: Literal["bounds", "as_value"] = "bounds",
    **filters: Any,
) -> pa.Table:
    """Claims summed by claimant (with the claimant's alignment).

    Examples:
        >>> import cambodefect as cd
        >>> t = by_claimant(cd.load())
        >>> "fresh-news" in t.column("claimant").to_pylist()
        True
    """
    sel_kw = _split_kw(filters)
    frame, notes = _select(
        ds, overlap, with_party_key=False, pool_claimants=filters.get("pool_claimants"), **sel_kw
    )
    frame = _contributions(frame, approximate)
    return _finish(_group(frame, ["claimant", "alignment"]), notes, "by claimant")


def by_source_alignment(
    ds: Dataset,
    *,
    overlap: Literal["items", "totals"] = "items",
    approximate: Literal["bounds", "as_value"] = "bounds",
    **filters: Any,
) -> pa.Table:
    """Claims summed by the alignment of whoever made them (government-aligned, ...).

    Series stay apart by claimant within each alignment unless one claimant is named
    or ``pool_claimants=True`` with named claimants.

    Examples:
        >>> import cambodefect as cd
        >>> t = by_source_alignment(cd.load(), pool_claimants=True,
        ...                         claimant=["fresh-news", "sok-eysan"], kind="total")
        >>> t.column_names[:3]
        ['alignment', 'unit', 'claims']
    """
    sel_kw = _split_kw(filters)
    frame, notes = _select(
        ds, overlap, with_party_key=False, pool_claimants=filters.get("pool_claimants"), **sel_kw
    )
    frame = _contributions(frame, approximate)
    keys = ["alignment", *_claimant_keys(frame, filters)]
    return _finish(_group(frame, keys), notes, "by claimant alignment")


def cumulative(
    ds: Dataset,
    freq: Freq = "day",
    *,
    overlap: Literal["items", "totals"] = "items",
    approximate: Literal["bounds", "as_value"] = "bounds",
    **filters: Any,
) -> pa.Table:
    """Running totals over time (``by_period`` then cumulative sums, per claimant).

    The null bin (claims too imprecise to place) is left out of the running total and
    reported in the metadata as ``unplaced_claims``.

    Examples:
        >>> import cambodefect as cd
        >>> t = cumulative(cd.load(), claimant="fresh-news", era="2023-wave")
        >>> t.column("count_sum").to_pylist()[-1]
        6476
    """
    periods = by_period(ds, freq, overlap=overlap, approximate=approximate, **filters)
    meta = json.loads(periods.schema.metadata[b"cambodefect.aggregate"])
    placed = periods.filter(pc.is_valid(periods.column("period")))
    meta["unplaced_claims"] = int(
        pc.sum(periods.filter(pc.is_null(periods["period"]))["claims"]).as_py() or 0
    )
    series_keys = [c for c in ("claimant", "unit") if c in placed.column_names]
    pieces = []
    series = sorted(
        {tuple(r[k] for k in series_keys) for r in placed.select(series_keys).to_pylist()},
        key=lambda t: tuple("" if v is None else str(v) for v in t),
    )
    groups = []
    for values in series:
        mask = _filled(placed.num_rows, True)
        for key, value in zip(series_keys, values, strict=True):
            col = placed[key]
            hit = pc.is_null(col) if value is None else pc.fill_null(pc.equal(col, value), False)
            mask = pc.and_(mask, hit)
        groups.append(placed.filter(mask))
    for part in groups:
        part = part.sort_by("period")
        cols = {n: part.column(n) for n in part.column_names}
        for name in ("claims", "count_sum", "unvalued", "lower"):
            cols[name] = pc.cumulative_sum(part.column(name))
        upper = part.column("upper")
        unbounded_so_far = pc.cumulative_sum(pc.cast(pc.is_null(upper), pa.int64()))
        cols["upper"] = pc.if_else(
            pc.greater(unbounded_so_far, 0), None, pc.cumulative_sum(pc.fill_null(upper, 0))
        )
        pieces.append(pa.table(cols))
    result = pa.concat_tables(pieces) if pieces else placed
    return _finish(result, meta, f"cumulative by {freq}")


def reconcile(ds: Dataset) -> pa.Table:
    """Every claim with items (``part_of`` children): stated count against item sum.

    Columns: ``id``, ``claimant``, ``stated_text``, ``stated_qualifier``,
    ``stated_value`` (the point figure, else null), ``stated_low``, ``stated_high``,
    ``items`` (number of child claims), ``counted_items`` (those with a count in the
    same unit), ``items_sum`` (sum of their point figures), ``items_lower``,
    ``difference`` (stated_value - items_sum, where both are exact), ``status``,
    ``excluded`` (child IDs left out of the sum, each with its reason).

    ``status`` is ``match`` (exact total equals exact items), ``mismatch`` (they
    differ), ``consistent`` (a bound or partial breakdown the items do not
    contradict), ``contradiction`` (the items exceed a stated upper figure or bound),
    or ``not comparable`` (no numbers to compare).

    Examples:
        >>> import cambodefect as cd
        >>> t = reconcile(cd.load())
        >>> row = t.filter(pc.equal(t["status"], "mismatch")).to_pylist()[0]
        >>> (row["stated_value"], row["items_sum"], row["difference"])
        (6473, 6476, -3)
    """
    frame = claims_frame(ds, with_party_key=False)
    ids = frame.column("id").combine_chunks()
    kids = frame.filter(pc.is_valid(frame.column("part_of")))
    parent_row = pc.index_in(kids.column("part_of"), ids)
    kids = kids.filter(pc.is_valid(parent_row))  # dangling part_of: validate() reports it
    parent_row = parent_row.filter(pc.is_valid(parent_row))
    parent_unit = frame.column("unit").combine_chunks().take(parent_row)
    no_count = pc.is_null(kids.column("qualifier"))
    unit_differs = pc.fill_null(pc.not_equal(kids.column("unit"), parent_unit), False)
    counted = pc.invert(pc.or_(no_count, unit_differs))
    reason = pc.if_else(
        no_count,
        pc.binary_join_element_wise(kids.column("id"), "no count", ": "),
        pc.binary_join_element_wise(
            kids.column("id"),
            pc.binary_join_element_wise(
                "unit ", kids.column("unit"), " differs from ", parent_unit, ""
            ),
            ": ",
        ),
    )
    exact = pc.fill_null(pc.equal(kids.column("qualifier"), "exact"), False)
    zero = pa.scalar(0, pa.int64())
    work = pa.table(
        {
            "part_of": kids.column("part_of"),
            "one": pc.cast(_filled(kids.num_rows, True), pa.int64()),
            "counted": pc.cast(counted, pa.int64()),
            "valued": pc.cast(pc.and_(counted, pc.is_valid(kids.column("value"))), pa.int64()),
            "value": pc.if_else(counted, kids.column("value"), pa.scalar(None, pa.int64())),
            "low": pc.if_else(counted, pc.fill_null(kids.column("low"), zero), zero),
            "inexact": pc.cast(pc.and_(counted, pc.invert(exact)), pa.int64()),
            "excluded": pc.cast(pc.invert(counted), pa.int64()),
        }
    )
    groups = work.group_by("part_of", use_threads=False).aggregate(
        [
            ("one", "sum"),
            ("counted", "sum"),
            ("valued", "sum"),
            ("value", "sum"),
            ("low", "sum"),
            ("inexact", "sum"),
            ("excluded", "sum"),
        ]
    )
    reasons = (
        pa.table({"part_of": kids.column("part_of"), "reason": reason})
        .filter(pc.invert(counted))
        .group_by("part_of", use_threads=False)
        .aggregate([("reason", "list")])
    )
    row = pc.index_in(groups.column("part_of"), ids)
    groups = groups.append_column("row", row).sort_by("row")
    row = groups.column("row")
    where = pc.index_in(groups.column("part_of"), reasons.column("part_of"))
    excluded = reasons.column("reason_list").combine_chunks().take(where)
    parent = frame.take(row)
    items_sum = pc.if_else(
        pc.greater(groups.column("valued_sum"), 0), groups.column("value_sum"), None
    )
    comparable_exactly = pc.and_(
        pc.and_(
            pc.fill_null(pc.equal(parent.column("qualifier"), "exact"), False),
            pc.equal(groups.column("inexact_sum"), 0),
        ),
        pc.and_(pc.equal(groups.column("excluded_sum"), 0), pc.is_valid(items_sum)),
    )
    difference = pc.if_else(
        comparable_exactly, pc.subtract(parent.column("value"), items_sum), None
    )
    items_lower = groups.column("low_sum")
    ceiling = pc.if_else(
        pc.fill_null(pc.equal(parent.column("qualifier"), "approximate"), False),
        pa.scalar(None, pa.int64()),
        parent.column("high"),
    )
    status = pc.case_when(
        pc.make_struct(
            pc.fill_null(pc.equal(difference, 0), False),
            pc.is_valid(difference),
            pc.or_(
                pc.equal(groups.column("counted_sum"), 0), pc.is_null(parent.column("qualifier"))
            ),
            pc.fill_null(pc.greater(items_lower, ceiling), False),
        ),
        "match",
        "mismatch",
        "not comparable",
        "contradiction",
        "consistent",
    )
    empty_list = pa.array([], pa.list_(pa.string()))
    result = pa.table(
        {
            "id": groups.column("part_of"),
            "claimant": parent.column("claimant"),
            "stated_text": parent.column("count_text"),
            "stated_qualifier": parent.column("qualifier"),
            "stated_value": parent.column("value"),
            "stated_low": parent.column("low"),
            "stated_high": parent.column("high"),
            "items": groups.column("one_sum"),
            "counted_items": groups.column("counted_sum"),
            "items_sum": items_sum,
            "items_lower": items_lower,
            "difference": difference,
            "status": status,
            "excluded": pc.if_else(pc.is_null(excluded), pa.scalar([], excluded.type), excluded)
            if groups.num_rows
            else empty_list,
        }
    )
    return result


def to_text(table: pa.Table, *, max_rows: int = 50) -> str:
    """Render a result table as aligned plain text (nulls shown as ``-``).

    Examples:
        >>> print(to_text(pa.table({"party_key": ["funcinpec"], "count_sum": [472]})))
        party_key  count_sum
        funcinpec        472
    """
    names = table.column_names
    rows = table.slice(0, max_rows).to_pylist()

    def cell(v: Any) -> str:
        if v is None:
            return "-"
        if isinstance(v, list):
            return "; ".join(map(str, v)) or "-"
        return str(v)

    cells = [[cell(r[n]) for n in names] for r in rows]
    numeric = [
        pa.types.is_integer(table.schema.field(n).type)
        or pa.types.is_floating(table.schema.field(n).type)
        for n in names
    ]
    widths = [max([len(n), *(len(c[i]) for c in cells)]) for i, n in enumerate(names)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    out = [line(names), *(line(c) for c in cells)]
    if table.num_rows > max_rows:
        out.append(f"... {table.num_rows - max_rows} more rows")
    return "\n".join(out)
