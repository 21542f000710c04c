"""Stated totals against the sum of their own items (``part_of`` breakdowns)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from cambodefect._frame import claimant_keys
from cambodefect.aggregate._rules import links_of

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = ["reconcile"]


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
    ids = ds.claims.column("id").combine_chunks()
    parent_of = links_of(ds).part_of  # dangling part_of: null here (validate() reports it)
    child_rows = pc.indices_nonzero(pc.is_valid(parent_of))
    parent_row = parent_of.take(child_rows)
    kids = _counts(ds, child_rows)
    kids = kids.append_column("part_of", ids.take(parent_row))
    parent_unit = _counts(ds, parent_row).column("unit")
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
            "row": parent_row,
            "one": pc.cast(pc.fill_null(pa.nulls(kids.num_rows, pa.bool_()), True), pa.int64()),
            "counted": pc.cast(counted, pa.int64()),
            "valued": pc.cast(pc.and_(counted, pc.is_valid(kids.column("value"))), pa.int64()),
            "value": pc.if_else(counted, kids.column("value"), pa.scalar(None, pa.int64())),
            "low": pc.if_else(counted, pc.fill_null(kids.column("low"), zero), zero),
            "inexact": pc.cast(pc.and_(counted, pc.invert(exact)), pa.int64()),
            "excluded": pc.cast(pc.invert(counted), pa.int64()),
        }
    )
    groups = work.group_by("row", use_threads=False).aggregate(
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
        pa.table({"row": parent_row, "reason": reason})
        .filter(pc.invert(counted))
        .group_by("row", use_threads=False)
        .aggregate([("reason", "list")])
    )
    groups = groups.sort_by("row")
    row = groups.column("row")
    where = pc.index_in(row, reasons.column("row"))
    excluded = reasons.column("reason_list").combine_chunks().take(where)
    parent = _counts(ds, row)
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
            "id": ids.take(row),
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


def _counts(ds: Dataset, rows: pa.Array) -> pa.Table:
    """The claims at ``rows``: ID, claimant and count fields, flat (as in the claims
    frame), read from the claims table for those rows only."""
    t = ds.claims
    count = t.column("count").take(rows).combine_chunks()
    qualifier, unit, value, low, high, text = count.flatten()
    claimant = claimant_keys(t.column("claimant").take(rows).combine_chunks())
    return pa.table(
        {
            "id": t.column("id").take(rows),
            "claimant": claimant,
            "qualifier": qualifier.cast(pa.string()),
            "unit": unit.cast(pa.string()),
            "value": value,
            "low": low,
            "high": high,
            "count_text": text,
        }
    )
