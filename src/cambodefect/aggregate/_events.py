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

from typing import TYPE_CHECKING, Unpack

import pyarrow as pa
import pyarrow.compute as pc

from cambodefect._frame import event_frame_of, frame_of
from cambodefect.aggregate._filters import FilterArgs, Filters
from cambodefect.aggregate._steps import finish

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = ["by_event"]

GOVERNMENT_SIDE = ("government_aligned", "ruling_party")
"""Claimant alignments on the government's side."""

COUNTER_KINDS = ("dispute", "refusal")
"""Claim kinds that contest other claims."""


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
    printed (a list), the claimants (a list) and ``claimed_high`` (the largest claimed
    figure: a point figure or a lower bound), ``counter_low`` (the smallest counter
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
    side = pc.if_else(is_counter, "counter", pc.if_else(is_government, "claimed", "other"))
    best = pc.coalesce(picked.column("value"), picked.column("low"))
    work = pa.table(
        {
            "event_id": picked.column("event_id"),
            "side": side,
            "text": pc.coalesce(picked.column("count_text"), pa.scalar("(no figure)")),
            "claimant": picked.column("claimant"),
            "best": best,
        }
    )
    events = ds.events
    ids = pc.unique(work.column("event_id").combine_chunks())
    base = events.filter(pc.is_in(events.column("id"), ids))
    order = pc.index_in(ids, base.column("id").combine_chunks())  # every id is an event
    base = base.take(pc.drop_null(order)) if len(ids) else base.slice(0, 0)
    event_ids = base.column("id").combine_chunks()
    date = base.column("date").combine_chunks()
    _precision, start, end = date.flatten()[:3]
    text, province = base.column("place").combine_chunks().flatten()
    counts = work.group_by("event_id", use_threads=False).aggregate([("side", "count")])
    out: dict[str, pa.Array] = {
        "event_id": event_ids,
        "event_kind": base.column("kind").combine_chunks().cast(pa.string()),
        "date_start": start,
        "date_end": end,
        "province": province,
        "place": text,
        "claims": counts.column("side_count").take(pc.index_in(event_ids, counts["event_id"])),
    }
    strings = pa.list_(pa.string())
    for name, extreme in (("claimed", "max"), ("counter", "min"), ("other", None)):
        part = work.filter(pc.equal(work.column("side"), name))
        aggs: list[tuple[str, str]] = [("text", "list"), ("claimant", "distinct")]
        if extreme:
            aggs.append(("best", extreme))
        grouped = part.group_by("event_id", use_threads=False).aggregate(aggs)
        where = pc.index_in(event_ids, grouped.column("event_id"))
        empty = pa.scalar([], strings)
        for column, label in (("text_list", name), ("claimant_distinct", f"{name}_by")):
            values = grouped.column(column).combine_chunks().cast(strings).take(where)
            out[label] = _nulls_as_empty(values, empty)
        if extreme:
            label = "claimed_high" if name == "claimed" else "counter_low"
            out[label] = grouped.column(f"best_{extreme}").combine_chunks().take(where)
    high, low = out["claimed_high"], out["counter_low"]
    usable = pc.and_(pc.is_valid(high), pc.fill_null(pc.greater(low, 0), False))
    out["ratio"] = pc.if_else(
        usable, pc.divide(pc.cast(high, pa.float64()), pc.cast(low, pa.float64())), None
    )
    out["contested"] = pc.greater(pc.list_value_length(out["counter"]), 0)
    table = pa.table(out)
    if contested:
        table = table.filter(table.column("contested"))
    table = table.sort_by([("date_start", "ascending"), ("event_id", "ascending")])
    notes = {"filters": bound.as_dict(), "sides": {"claimed": list(GOVERNMENT_SIDE)}}
    return finish(table, notes, "by event: claimed beside counter-claimed, never summed")


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
