"""Stages 3 and 4 of every aggregation: select the claims, then group and sum them.

Every ``by_*`` function is the same pipeline, written once here:

1. [`claims_frame`][cambodefect.aggregate.claims_frame] (stage 1);
2. [`Filters`][cambodefect.aggregate.Filters] bound to the dataset and applied (stage 2);
3. `select`: apply the counting rules (drop the totals whose own items are selected
   too, or the items with ``overlap="totals"``; subsets; event reports; counter-claims;
   possible overlaps) and mark each claim's ``part``;
4. `group`: sum the figures per group and part, then per group by what each part
   adds to ``count_sum``, ``lower`` and ``upper``, always per unit, and per claimant
   unless one claimant is selected or named claimants are pooled; `finish`
   writes what was dropped and why into the result's metadata.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from cambodefect._frame import Frame, frame_of
from cambodefect.aggregate._filters import Filters
from cambodefect.aggregate._rows import filled, marked
from cambodefect.aggregate._rules import MAX_DEPTH, event_duplicates, links_of
from cambodefect.aggregate._rules import possible_overlaps as overlap_rule
from cambodefect.errors import AggregationError, UnknownFilterValueError

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = [
    "COUNTED",
    "DROPPED",
    "META_KEY",
    "OVERLAP",
    "READ_LATER",
    "STANDS_FOR",
    "UNSELECTED",
    "Selection",
    "finish",
    "group",
    "meta",
    "select",
]

META_KEY = b"cambodefect.aggregate"
"""The schema-metadata key holding a result's notes (filters, what was dropped, the rule)."""

Overlap = Literal["items", "totals"]
Approximate = Literal["bounds", "as_value"]
PossibleOverlaps = Literal["upper", "count"]

# The frame columns every selection carries: what `group` sums, and by claimant and unit.
_CONTRIBUTIONS = ("id", "claimant", "unit", "value", "low", "high")

READ_LATER = (
    "alignment",
    "date_start",
    "date_end",
    "era",
    "cycle",
    "parties",
    "party_key",
    "province",
)
"""The other frame columns a selection carries unless the caller names its own."""


# Each row's part in a selection (the ``part`` column), smallest first: what it adds.
COUNTED, OVERLAP, DROPPED, STANDS_FOR, UNSELECTED = range(5)
"""``part`` codes: counted; a possible overlap (widens ``upper`` only); dropped but its
stated figure still holds ``upper`` up (a subset, another report of a counted event);
dropped and standing for others (a total represented by its items, or they by it; a
counter-claim beside what it disputes); outside the filters."""

_ROLES = ("counted", "overlap", "dropped", "dropped", None)

_FILTER_BELOW = 0.5
"""A selection keeping fewer than this share of the claims is copied out of the frame;
a larger one keeps the others as `UNSELECTED` rows (the result is the same)."""


@attrs.frozen
class Selection:
    """The claims an aggregation counts, each with its part, and the notes on why.

    Attributes:
        frame: rows of the claims frame, each with its ``part`` (`COUNTED` ...
            `UNSELECTED`) and the figures `group` sums (``best``, ``lower``, ``upper``,
            ``floor``). Rows outside the filters are kept (as `UNSELECTED`, adding
            nothing) unless they are most of the frame: copying every column to drop a
            few rows would cost more than summing nothing for them.
        notes: filters applied and claims dropped (for the result's metadata).
        series: the grouping keys that keep claimants apart (``["claimant"]``, or none
            when one claimant is selected or named claimants are pooled).
        filters: the filters, with names resolved to IDs.
    """

    frame: pa.Table
    notes: dict[str, Any]
    series: list[str]
    filters: Filters

    def selected(self) -> pa.Table:
        """The selected rows, each with its ``role`` (``counted``, ``overlap`` or
        ``dropped``) and ``holds_upper`` (whether its stated figure still holds its
        group's ``upper`` up): the selection as the package rules state it."""
        part = self.frame.column("part")
        rows = self.frame.filter(pc.not_equal(part, UNSELECTED))
        part = rows.column("part").combine_chunks()
        role = pa.array(_ROLES, pa.string()).take(part)
        return rows.append_column("role", role).append_column(
            "holds_upper", pc.less_equal(part, DROPPED)
        )


def select(
    ds: Dataset,
    filters: Filters,
    *,
    overlap: Overlap = "items",
    approximate: Approximate = "bounds",
    possible_overlaps: PossibleOverlaps = "upper",
    pool_claimants: bool = False,
    with_party_key: bool = True,
    read: tuple[str, ...] = READ_LATER,
) -> Selection:
    """Stages 1 to 3: the frame, the filters and counting rules applied, each claim's part marked.

    Every selected claim is kept in the frame with its ``part``: counted, a possible
    overlap (it widens ``upper`` only) or dropped (a total whose items are counted, a
    subset of a counted claim, another report of a counted event, or a counter-claim
    beside the claim it disputes). A dropped subset or event report adds nothing but
    still holds ``upper`` up to its stated figure; a total is represented by its items
    (``reconcile`` compares them), a counter-claim by itself. `Selection.selected`
    states each selected claim's part as a ``role`` and ``holds_upper``.

    The selection carries the frame columns the contributions need and those in
    ``read`` (the columns the caller groups by): a frame column no stage reads is
    never built.
    """
    if overlap not in ("items", "totals"):
        raise UnknownFilterValueError("overlap", overlap, ("items", "totals"))
    if approximate not in ("bounds", "as_value"):
        raise UnknownFilterValueError("approximate", approximate, ("bounds", "as_value"))
    if possible_overlaps not in ("upper", "count"):
        raise UnknownFilterValueError("possible_overlaps", possible_overlaps, ("upper", "count"))
    del with_party_key  # the frame builds its joint keys only if a stage reads them
    frame = frame_of(ds)
    links = links_of(ds)
    bound = filters.bind(ds, frame)
    series = _series(bound, pool_claimants)
    mask = bound.mask(frame)
    pooled = pool_claimants  # named claimants summed as one series
    ids = frame.column("id").combine_chunks()
    n = frame.num_rows

    # Rule 1: a stated total is never added to its own items (part_of).
    descendants, ancestors = _breakdowns(frame, mask, links.part_of, pooled=pooled)
    drop_rows = pc.unique(ancestors if overlap == "items" else descendants)
    dropped = marked(n, drop_rows)
    breakdown = dropped  # stands for its items (or they for it): no floor on upper
    # Rule 2: a subset never replaces its superset, and is never added to it.
    subsets, _ = _breakdowns(frame, mask, links.subset_of, pooled=pooled)
    subsets = pc.unique(subsets)
    dropped = pc.or_(dropped, marked(n, subsets))
    counted = pc.and_(mask, pc.invert(dropped))
    # Rule 3: within one claimant, the reports of one event count once.
    duplicates, event_notes = event_duplicates(frame, counted, series, links)
    dropped = pc.or_(dropped, duplicates)
    counted = pc.and_(mask, pc.invert(dropped))
    # Rule 4 (pooled series only): a counter-claim stands beside what it disputes.
    beside = _counter_claims(frame, counted) if pooled else []
    counter = pc.is_in(ids, pa.array(beside, pa.string())) if beside else filled(n, False)
    if beside:
        dropped = pc.or_(dropped, counter)
        counted = pc.and_(mask, pc.invert(dropped))
    # Rule 5: a possible overlap widens upper only (unless counted on request).
    secondary, overlap_notes = overlap_rule(frame, counted, series, links, selected=mask)
    if possible_overlaps == "count":
        secondary = filled(n, False)
    # A total standing for its items (or they for it) and a counter-claim beside what it
    # disputes add nothing and set no floor; other dropped claims still hold upper up:
    # no group's upper falls below a figure claimed within it.
    stands_for = pc.or_(breakdown, counter)
    part = pc.if_else(
        dropped,
        pc.if_else(stands_for, STANDS_FOR, DROPPED),
        pc.if_else(secondary, OVERLAP, COUNTED),
    )
    part = pc.if_else(mask, part, UNSELECTED).cast(pa.int8())
    # the qualifier only bounds an approximate figure by its value (as_value)
    qualifier = ["qualifier"] if approximate == "as_value" else []
    carried = list(dict.fromkeys([*_CONTRIBUTIONS, *qualifier, *read]))
    picked = frame.select(carried).append_column("part", part)
    if (pc.sum(mask).as_py() or 0) < n * _FILTER_BELOW:  # copying the few left is cheaper
        picked = picked.filter(mask)

    def listed(index: pa.Array) -> list[str]:
        return sorted(ids.take(index.slice(0, 50)).to_pylist())

    notes: dict[str, Any] = {
        "filters": bound.as_dict(),
        "dropped_overlapping": listed(drop_rows),
        "dropped_overlapping_count": len(drop_rows),
        "overlap": overlap,
        "subsets_within": listed(subsets),
        "event_duplicates": event_notes,
        "counter_claims_beside": sorted(beside),
        "possible_overlaps": overlap_notes,
        "possible_overlaps_rule": possible_overlaps,
    }
    return Selection(_contributions(picked, approximate), notes, series, bound)


def _series(filters: Filters, pool_claimants: bool) -> list[str]:
    named = filters.claimant
    if pool_claimants:
        if not named or len(named) < 2:
            raise AggregationError(
                "pool_claimants=True mixes series: name the claimants to pool with claimant=[...]"
            )
        return []
    if named is not None and len(named) == 1:
        return []
    return ["claimant"]


def _breakdowns(
    frame: pa.Table, selected: pa.Array, parent_row: pa.Array, *, pooled: bool
) -> tuple[pa.Array, pa.Array]:
    """(descendants, ancestors): row indices of selected claims with a selected ancestor
    through ``parent_row`` (the rows of their ``part_of`` or ``subset_of`` claims) in the
    same claimant series, and of those ancestors.

    Walks the links one level at a time with vectorized lookups, so the cost is linear
    in the number of claims times the (small) depth of the chains.
    """
    empty = pa.array([], pa.uint64())
    # Shortcut: if no selected claim is anyone's target, nothing overlaps.
    if not pc.any(selected.take(pc.drop_null(parent_row))).as_py():
        return empty, empty
    claimant = frame.column("claimant").combine_chunks()
    origin = pc.indices_nonzero(selected)
    current = origin
    descendants: list[pa.Array] = []
    ancestors: list[pa.Array] = []
    for _ in range(MAX_DEPTH):
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


def _counter_claims(frame: Frame, counted: pa.Array) -> list[str]:
    """Counted claims that dispute another counted claim: in a pooled series they stand
    beside it and are not summed with it."""
    disputed_by = frame.column("disputed_by")
    disputing = pc.and_(counted, pc.greater(pc.list_value_length(disputed_by), 0))
    if not pc.any(disputing).as_py():
        return []
    counted_ids = set(frame.column("id").filter(counted).to_pylist())
    found = {d for row in disputed_by.filter(disputing).to_pylist() for d in row}
    return sorted(found & counted_ids)


def _contributions(frame: pa.Table, approximate: str) -> pa.Table:
    """The figures `group` sums per claim: ``best`` (the value, else the low bound),
    ``lower`` and ``upper`` (the bounds; with ``approximate="as_value"`` an approximate
    claim without bounds is bounded by its value) and ``floor`` (the smallest number
    its figure vouches for: the low bound, else the value). Which of them a claim adds
    is its ``part``'s, decided per group in `group`."""
    value = frame.column("value")
    low = frame.column("low")
    high = frame.column("high")
    lower, upper = low, high
    if approximate == "as_value":
        is_approx = pc.fill_null(pc.equal(frame.column("qualifier"), "approximate"), False)
        lower = pc.if_else(pc.and_(is_approx, pc.is_null(low)), value, low)
        upper = pc.if_else(pc.and_(is_approx, pc.is_null(high)), value, high)
    return (
        frame.append_column("best", pc.coalesce(value, low))
        .append_column("lower", lower)
        .append_column("upper", upper)
        .append_column("floor", pc.coalesce(low, value))
    )


_ONLY_NULL = pc.CountOptions(mode="only_null")


def _parts(frame: pa.Table, keys: list[str], over_counts: bool) -> pa.Table:
    """Each claim's contribution to its group, by its part (see the package rules),
    summed first per group and part: the rules applied to a few rows per group, not to
    every claim."""
    aggs: list[tuple[str, str] | tuple[str, str, pc.FunctionOptions]] = [
        ("part", "count"),
        ("best", "sum"),
        ("best", "count"),
        ("value", "count", _ONLY_NULL),
        ("lower", "sum"),
        ("upper", "sum"),
        ("upper", "count", _ONLY_NULL),
        ("floor", "max"),
    ]
    if over_counts:
        aggs.append(("joint_row", "any"))
    sums = frame.group_by([*keys, "part"], use_threads=False).aggregate(aggs)
    part = sums.column("part")
    rows = sums.column("part_count")
    counted = pc.equal(part, COUNTED)
    adds_upper = pc.less_equal(part, OVERLAP)
    zero = pa.scalar(0, pa.int64())
    out = {k: sums.column(k) for k in keys}
    out.update(
        {
            "counted_part": pc.if_else(counted, rows, zero),
            "overlap_part": pc.if_else(pc.equal(part, OVERLAP), rows, zero),
            "best_part": pc.if_else(counted, pc.fill_null(sums.column("best_sum"), 0), zero),
            "figure_part": pc.and_(counted, pc.greater(sums.column("best_count"), 0)),
            "unvalued_part": pc.if_else(counted, sums.column("value_count"), zero),
            "lower_part": pc.if_else(counted, pc.fill_null(sums.column("lower_sum"), 0), zero),
            "upper_part": pc.if_else(adds_upper, pc.fill_null(sums.column("upper_sum"), 0), zero),
            "unbounded": pc.and_(adds_upper, pc.greater(sums.column("upper_count"), 0)),
            "floor_part": pc.if_else(
                pc.less_equal(part, DROPPED), sums.column("floor_max"), pa.scalar(None, pa.int64())
            ),
        }
    )
    if over_counts:
        selected = pc.not_equal(part, UNSELECTED)
        out["joint_row"] = pc.and_(selected, pc.fill_null(sums.column("joint_row_any"), False))
    return pa.table(out)


def group(frame: pa.Table, keys: list[str], *, over_counts: bool = False) -> pa.Table:
    """Sum the contributions per ``keys`` and unit (persons, officials and percent are
    never summed together; a percent group keeps its claim count but no sums).

    A group whose claims carry no figure at all has a null ``count_sum``; its ``upper``
    is never below the stated figure of any claim in it (counted or not).
    """
    keys = [*keys, "unit"]
    aggs: list[tuple[str, str]] = [
        ("counted_part", "sum"),
        ("overlap_part", "sum"),
        ("best_part", "sum"),
        ("figure_part", "any"),
        ("unvalued_part", "sum"),
        ("lower_part", "sum"),
        ("upper_part", "sum"),
        ("unbounded", "any"),
        ("floor_part", "max"),
    ]
    if over_counts:
        aggs.append(("joint_row", "any"))
    parts = _parts(frame, keys, over_counts)
    grouped = parts.group_by(keys, use_threads=False).aggregate(aggs)
    live = pc.greater(
        pc.add(grouped.column("counted_part_sum"), grouped.column("overlap_part_sum")), 0
    )
    grouped = grouped.filter(live)
    upper = pc.max_element_wise(
        grouped.column("upper_part_sum"), grouped.column("floor_part_max"), skip_nulls=True
    )
    upper = pc.if_else(grouped.column("unbounded_any"), None, upper)
    additive = pc.fill_null(pc.not_equal(grouped.column("unit"), "percent"), True)
    null = pa.scalar(None, pa.int64())
    count_sum = pc.if_else(grouped.column("figure_part_any"), grouped.column("best_part_sum"), null)
    out = {k: grouped.column(k) for k in keys}
    out.update(
        {
            "claims": grouped.column("counted_part_sum"),
            "overlapping": grouped.column("overlap_part_sum"),
            "count_sum": pc.if_else(additive, count_sum, null),
            "unvalued": grouped.column("unvalued_part_sum"),
            "lower": pc.if_else(additive, grouped.column("lower_part_sum"), null),
            "upper": pc.if_else(additive, upper, null),
        }
    )
    if over_counts:
        out["over_counts"] = grouped.column("joint_row_any")
    table = pa.table(out)
    return table.sort_by([(k, "ascending") for k in keys])


def finish(table: pa.Table, notes: dict[str, Any], rule: str) -> pa.Table:
    """``table`` with ``notes`` and the rule applied in its schema metadata."""
    notes = {**notes, "rule": rule}
    data = json.dumps(notes, default=str, sort_keys=True).encode()
    return table.replace_schema_metadata({META_KEY: data})


def meta(table: pa.Table) -> dict[str, Any]:
    """The notes an aggregation wrote into its result (filters, dropped IDs, rule)."""
    raw = (table.schema.metadata or {}).get(META_KEY, b"{}")
    notes: dict[str, Any] = json.loads(raw)
    return notes
