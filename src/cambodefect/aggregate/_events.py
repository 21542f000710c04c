"""Contested events: per event, what the government side claimed beside the counter-claims.

A staged defection ceremony is often reported twice: a ruling-party official announces
"1,003" defectors, an opposition official says "just six" actually defected. These
figures are never summed (they are claims about the same people);
[`by_event`][cambodefect.aggregate.by_event] puts them side by side, per event, with the ratio
between them where both are numbers.

Sides, per claim of an event:

- ``counter``: a counter-claim: a claim of kind ``dispute`` or ``refusal``, or a claim
  that another claim of the event lists in ``disputed_by``;
- ``claimed``: any other claim by a government-aligned or ruling-party claimant;
- ``other``: the rest (independent reporting, opposition statements that contest nothing).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Unpack

import pyarrow as pa
import pyarrow.compute as pc

from cambodefect._frame import event_frame_of, frame_of
from cambodefect.aggregate._filters import FilterArgs, Filters
from cambodefect.aggregate._steps import finish

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = ["by_event", "ratio"]

GOVERNMENT_SIDE = ("government_aligned", "ruling_party")
"""Claimant alignments on the government's side."""

COUNTER_KINDS = ("dispute", "refusal")
"""Claim kinds that contest other claims."""

_CLAIMED, _COUNTER, _OTHER = 0, 1, 2  # the sides, as codes


def by_event(
    ds: Dataset,
    *,
    filters: Filters | None = None,
    contested: bool = False,
    **kw: Unpack[FilterArgs],
) -> pa.Table:
    """Per event, the government side's figures beside the counter-figures of the other side.

    Columns: ``event_id``, ``event_kind``, ``date_start``, ``date_end``, ``province``,
    ``place``, ``claims``; per side (``claimed``, ``counter``, ``other``): the figures as
    printed (a list, in the claims' order), the claimants (a list, each once, in the
    order of their first claim) and ``claimed_high`` (the largest claimed figure: a
    point figure or a lower bound), ``counter_low`` (the smallest counter
    figure), and ``ratio`` = ``claimed_high / counter_low`` where both are numbers and
    the counter figure is not 0. ``contested`` is true where the event has a
    counter-claim; ``contested=True`` keeps only those events.

    The filters are those of every aggregation, except that ``kind`` defaults to every
    kind (counter-claims are disputes and refusals).

    Examples:
        >>> import cambodefect as cd
        >>> t = by_event(cd.load())
        >>> t.column_names[:4]
        ['event_id', 'event_kind', 'date_start', 'date_end']
    """
    if filters is None and "kind" not in kw:
        kw = {**kw, "kind": None}
    chosen = Filters.of(filters, **kw)
    # Names resolve against every claimant; the rows are only the claims of events.
    bound = chosen.bind(ds, frame_of(ds))
    frame = event_frame_of(ds)
    read = ["id", "kind", "event_id", "disputed_by", "alignment", "count_text", "claimant"]
    picked = frame.select([*read, "value", "low"]).filter(bound.mask(frame))
    disputing = pc.unique(pc.list_flatten(picked.column("disputed_by").combine_chunks()))
    is_counter = pc.or_(
        pc.is_in(picked.column("kind"), pa.array(COUNTER_KINDS, pa.string())),
        pc.is_in(picked.column("id"), disputing),
    )
    is_government = pc.is_in(picked.column("alignment"), pa.array(GOVERNMENT_SIDE, pa.string()))
    side = pc.if_else(is_counter, _COUNTER, pc.if_else(is_government, _CLAIMED, _OTHER))
    events = ds.events
    event_id = events.column("id").combine_chunks()
    # Each report's event as a row of the events table: one hash of the event IDs, and
    # every grouping below is by that integer (a report of an unknown event has none).
    work = pa.table(
        {
            "event": pc.index_in(picked.column("event_id"), event_id),
            "side": side.cast(pa.int8()),
            "text": pc.coalesce(picked.column("count_text"), pa.scalar("(no figure)")),
            "claimant": picked.column("claimant"),
            "best": pc.coalesce(picked.column("value"), picked.column("low")),
        }
    )
    # One grouping per event and side (a list keeps its rows' order), and one of each
    # claimant's first claim per event and side.
    keys = ["event", "side"]
    grouped = work.group_by(keys, use_threads=False).aggregate(
        [("text", "list"), ("best", "max"), ("best", "min")]
    )
    claimants = _first_reports(work).group_by(keys, use_threads=False)
    claimants = claimants.aggregate([("claimant", "list")])
    sizes = pa.table(
        {"event": grouped["event"], "claims": pc.list_value_length(grouped["text_list"])}
    )
    counts = sizes.group_by("event", use_threads=False).aggregate([("claims", "sum")])
    known = pc.is_valid(counts.column("event"))
    rows = counts.column("event").filter(known).combine_chunks()  # the events reported
    order = _in_order(events, rows, event_id)  # rows are put in order, then columns made
    rows = rows.take(order)
    base = events.take(rows)
    date = base.column("date").combine_chunks()
    _precision, start, end = date.flatten()[:3]
    text, province = base.column("place").combine_chunks().flatten()
    out: dict[str, pa.Array] = {
        "event_id": base.column("id").combine_chunks(),
        "event_kind": base.column("kind").combine_chunks().cast(pa.string()),
        "date_start": start,
        "date_end": end,
        "province": province,
        "place": text,
        "claims": counts.column("claims_sum").filter(known).take(order).cast(pa.int64()),
    }
    strings = pa.list_(pa.string())
    empty = pa.scalar([], strings)
    for name, code in (("claimed", _CLAIMED), ("counter", _COUNTER), ("other", _OTHER)):
        mine = grouped.filter(pc.equal(grouped.column("side"), code))
        where = pc.index_in(rows, mine.column("event"))
        texts = mine.column("text_list").combine_chunks().cast(strings)
        out[name] = _nulls_as_empty(texts.take(where), empty)
        who = claimants.filter(pc.equal(claimants.column("side"), code))
        names = who.column("claimant_list").combine_chunks().cast(strings)
        out[f"{name}_by"] = _nulls_as_empty(names.take(pc.index_in(rows, who["event"])), empty)
        if name == "claimed":
            out["claimed_high"] = mine.column("best_max").combine_chunks().take(where)
        elif name == "counter":
            out["counter_low"] = mine.column("best_min").combine_chunks().take(where)
    out["ratio"] = ratio(out["claimed_high"], out["counter_low"])
    out["contested"] = pc.greater(pc.list_value_length(out["counter"]), 0)
    table = pa.table(out)
    if contested:
        table = table.filter(table.column("contested"))
    notes = {"filters": bound.as_dict(), "sides": {"claimed": list(GOVERNMENT_SIDE)}}
    return finish(table, notes, "by event: claimed beside counter-claimed, never summed")


def ratio(high: pa.Array, low: pa.Array) -> pa.Array:
    """``high / low`` as floats where both are numbers and ``low`` is not 0, else null.
    A float holds integers exactly only up to 2**53: larger counts are rounded to the
    nearest it holds (the ratio is approximate anyway), not refused.

    Examples:
        >>> ratio(pa.array([10, 5, None, 2**53 + 1]), pa.array([4, 0, 3, 1])).to_pylist()
        [2.5, None, None, 9007199254740992.0]
    """
    usable = pc.and_(pc.is_valid(high), pc.fill_null(pc.greater(low, 0), False))
    as_float = partial(pc.cast, target_type=pa.float64(), safe=False)
    return pc.if_else(usable, pc.divide(as_float(high), as_float(low)), None)


def _first_reports(reports: pa.Table) -> pa.Table:
    """Per event and side, each claimant's first report, in the reports' order: the
    claimants of an event listed once each, in the order they first reported it."""
    # one array, even of no rows (pyarrow 20 crashes on a chunked array of no chunks here)
    named = pc.is_valid(reports.column("claimant").combine_chunks())
    position = pc.indices_nonzero(named)
    keys = ["event", "side", "claimant"]
    pairs = reports.select(keys).filter(named).append_column("position", position)
    first = pairs.group_by(keys, use_threads=False).aggregate([("position", "min")])
    positions = first.column("position_min").combine_chunks()
    return reports.take(positions.take(pc.sort_indices(positions)))


def _in_order(events: pa.Table, rows: pa.Array, event_id: pa.Array) -> pa.Array:
    """The order of the events at ``rows`` of ``events``: by start date, then ID. When
    the events table lists its IDs in order (as the package writes it), the rows order
    the IDs as well and the IDs themselves are not compared."""
    _precision, start = events.column("date").combine_chunks().flatten()[:2]
    n = len(event_id)
    ascending = pc.all(pc.less(event_id.slice(0, max(n - 1, 0)), event_id.slice(1))).as_py()
    then = rows if n < 2 or ascending else event_id.take(rows)
    keys = pa.table({"start": start.take(rows), "then": then})
    return pc.sort_indices(keys, [("start", "ascending"), ("then", "ascending")])


def _nulls_as_empty(values: pa.ListArray, empty: pa.Scalar) -> pa.Array:
    """``values`` with each null list an empty one. When every null slot already spans no
    items (as ``take`` leaves them), only the validity is dropped: no copy of the items."""
    if values.null_count == 0:
        return values
    offsets = values.offsets
    spans = pc.subtract(offsets.slice(1), offsets.slice(0, len(offsets) - 1))
    if pc.max(spans.filter(pc.is_null(values))).as_py() == 0:
        return pa.ListArray.from_arrays(offsets, values.values, type=values.type)
    return pc.if_else(pc.is_valid(values), values, empty)
