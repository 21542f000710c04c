"""Stages 3 and 4 of every aggregation: select the claims, then group and sum them.

Every ``by_*`` function is the same pipeline, written once here:

1. :func:`~cambodefect.aggregate.claims_frame` (stage 1);
2. :class:`~cambodefect.aggregate.Filters` bound to the dataset and applied (stage 2);
3. :func:`select`: drop the totals whose own items are selected too (or the items,
   with ``overlap="totals"``), and compute each claim's contribution to ``count_sum``,
   ``lower`` and ``upper``;
4. :func:`group`: sum the contributions per group, always per unit, and per claimant
   unless one claimant is selected or named claimants are pooled; :func:`finish`
   writes what was dropped and why into the result's metadata.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from cambodefect.aggregate._filters import Filters
from cambodefect.aggregate._frame import claims_frame
from cambodefect.errors import AggregationError, UnknownFilterValueError

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = ["META_KEY", "Selection", "finish", "group", "meta", "select"]

META_KEY = b"cambodefect.aggregate"
"""The schema-metadata key holding a result's notes (filters, what was dropped, the rule)."""

Overlap = Literal["items", "totals"]
Approximate = Literal["bounds", "as_value"]
_MAX_DEPTH = 64  # part_of chains are short; validate() reports cycles


@attrs.frozen
class Selection:
    """The claims an aggregation counts, with their contributions, and the notes on why.

    Attributes:
        frame: the selected rows of the claims frame, with the columns ``best_part``,
            ``lower_part``, ``upper_part``, ``unbounded`` and ``unvalued_part``.
        notes: filters applied and claims dropped (for the result's metadata).
        series: the grouping keys that keep claimants apart (``["claimant"]``, or none
            when one claimant is selected or named claimants are pooled).
        filters: the filters, with names resolved to IDs.
    """

    frame: pa.Table
    notes: dict[str, Any]
    series: list[str]
    filters: Filters


def select(
    ds: Dataset,
    filters: Filters,
    *,
    overlap: Overlap = "items",
    approximate: Approximate = "bounds",
    pool_claimants: bool = False,
    with_party_key: bool = True,
) -> Selection:
    """Stages 1 to 3: the frame, filtered, overlaps resolved, contributions computed."""
    if overlap not in ("items", "totals"):
        raise UnknownFilterValueError("overlap", overlap, ("items", "totals"))
    if approximate not in ("bounds", "as_value"):
        raise UnknownFilterValueError("approximate", approximate, ("bounds", "as_value"))
    frame = claims_frame(ds, with_party_key=with_party_key)
    bound = filters.bind(ds, frame)
    series = _series(bound, pool_claimants)
    mask = bound.mask(frame)
    # Claimants are separate series, never summed together unless pooled, so a total
    # only overlaps its items within one claimant's series (or when pooled).
    descendants, ancestors = _overlaps(frame, mask, pooled=not series)
    drop_rows = pc.unique(ancestors if overlap == "items" else descendants)
    if len(drop_rows):
        rows = pc.indices_nonzero(pc.fill_null(pa.nulls(frame.num_rows, pa.bool_()), True))
        mask = pc.and_(mask, pc.invert(pc.is_in(rows, drop_rows)))
    dropped = frame.column("id").combine_chunks().take(drop_rows.slice(0, 50)).to_pylist()
    notes = {
        "filters": bound.as_dict(),
        "dropped_overlapping": sorted(dropped),
        "dropped_overlapping_count": len(drop_rows),
        "overlap": overlap,
    }
    return Selection(_contributions(frame.filter(mask), approximate), notes, series, bound)


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


def _overlaps(frame: pa.Table, selected: pa.Array, *, pooled: bool) -> tuple[pa.Array, pa.Array]:
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


def _contributions(frame: pa.Table, approximate: str) -> pa.Table:
    """Each claim's part of ``count_sum`` (best), ``lower`` and ``upper`` (see the rules)."""
    q = frame.column("qualifier")
    value = frame.column("value")
    is_approx = pc.fill_null(pc.equal(q, "approximate"), False)
    low = frame.column("low")
    high = frame.column("high")
    if approximate == "as_value":
        low = pc.if_else(pc.and_(is_approx, pc.is_null(low)), value, low)
        high = pc.if_else(pc.and_(is_approx, pc.is_null(high)), value, high)
    best = pc.coalesce(value, frame.column("low"), pa.scalar(0, pa.int64()))
    return (
        frame.append_column("best_part", best)
        .append_column("lower_part", pc.fill_null(low, 0))
        .append_column("upper_part", pc.fill_null(high, 0))
        .append_column("unbounded", pc.is_null(high))
        .append_column("unvalued_part", pc.cast(pc.is_null(value), pa.int64()))
    )


def group(frame: pa.Table, keys: list[str], *, over_counts: bool = False) -> pa.Table:
    """Sum the contributions per ``keys`` and unit (persons, officials and percent are
    never summed together; a percent group keeps its claim count but no sums)."""
    keys = [*keys, "unit"]
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
