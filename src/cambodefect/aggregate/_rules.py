"""Counting rules 3 and 5 of `select`, vectorized.

- Rule 3 (`event_duplicates`): within one claimant series, the reports of one
  event that cover the same people count once; the best report is kept.
- Rule 5 (`possible_overlaps`): of claims that may count the same people, the
  best is counted and the others only widen ``upper``.

"Best" is an order over claims (`priority` and `overlap_order`). Both rules
work on whole columns: their cost grows with the number of claims, not with a Python
loop per claim. Rule 5 is a greedy choice in that order, computed in rounds (each round
decides every claim whose better partners are all decided); the rare claims left after
`_ROUNDS` rounds (a long chain of claims each overlapping the next) are decided
one by one in the same order, so the result never depends on the number of rounds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from cambodefect._frame import joint_keys
from cambodefect._names.cache import cached_for
from cambodefect.aggregate._rows import filled, marked, pairs_once, row_numbers, rows_of

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = [
    "Links",
    "event_duplicates",
    "links_of",
    "overlap_order",
    "possible_overlaps",
    "priority",
]

MAX_DEPTH = 64
"""Longest ``part_of`` / ``subset_of`` chain followed (``validate()`` reports cycles)."""

_ROUNDS = 32

# How precisely a count was stated, best first: the report kept among several.
_PRECISION = {
    "exact": 0,
    "range": 1,
    "approximate": 2,
    "at_least": 3,
    "more_than": 3,
    "fewer_than": 4,
    "vague": 5,
}
_NO_COUNT = 6
_ITEMIZED = 10**9
_QUALIFIER = 10**6


@attrs.frozen
class Links:
    """The rows a frame's ID references point at, looked up once (one hash of the IDs).

    Attributes:
        part_of: per row, the row of its ``part_of`` claim (null if none or unknown).
        subset_of: per row, the row of its ``subset_of`` claim.
        up: per row, the row a covering claim is looked for in: its ``part_of`` if it
            names one, else its ``subset_of`` (null if that ID is not in the frame).
        overlap_owner: per possible overlap between two rows (each pair both ways,
            once, sorted by owner then target), the row it is listed for.
        overlap_target: per possible overlap, the other row.
        has_overlaps: per row, whether it may overlap any claim, declared by it or by
            the other side (one in another dataset, whose row is unknown, included).
        rank: per row, its `priority` rank.
    """

    part_of: pa.Array
    subset_of: pa.Array
    up: pa.Array
    overlap_owner: pa.Array
    overlap_target: pa.Array
    has_overlaps: pa.Array
    rank: pa.Array

    @classmethod
    def of(cls, frame: pa.Table) -> Links:
        """The links of ``frame`` (its ``id``, ``part_of``, ``subset_of``, ``overlaps``)."""
        overlaps = frame.column("overlaps").combine_chunks()
        return cls._build(
            frame,
            owner=pc.list_parent_indices(overlaps),
            listed=pc.list_flatten(overlaps),
            mirror=False,  # the frame lists each overlap on both sides already
        )

    @classmethod
    def _build(cls, frame: pa.Table, *, owner: pa.Array, listed: pa.Array, mirror: bool) -> Links:
        """The links of ``frame``, whose rows ``owner`` list the claim IDs ``listed`` as
        possible overlaps (on one side only, if ``mirror``: each is added both ways)."""
        ids = frame.column("id").combine_chunks()
        part = frame.column("part_of").combine_chunks().cast(pa.string())
        sub = frame.column("subset_of").combine_chunks().cast(pa.string())
        n = len(ids)
        part_row, sub_row, target = rows_of([part, sub, listed.cast(pa.string())], ids)
        owner = owner.cast(pa.int64())
        has_overlaps = marked(n, owner)
        known = pc.is_valid(target)
        owner, target = owner.filter(known), target.filter(known)
        if mirror:
            owner, target = pa.concat_arrays([owner, target]), pa.concat_arrays([target, owner])
            has_overlaps = pc.or_(has_overlaps, marked(n, owner))
        owner, target = pairs_once(owner, target)
        return cls(
            part_of=part_row,
            subset_of=sub_row,
            up=pc.if_else(pc.is_valid(part), part_row, sub_row),
            overlap_owner=owner,
            overlap_target=target,
            has_overlaps=has_overlaps,
            rank=_rank(frame, part_row),
        )


def links_of(ds: Dataset) -> Links:
    """The links of ``ds``'s claims frame, built once per dataset."""
    return cached_for(ds, _links)


def _links(ds: Dataset) -> Links:
    # the few columns links and ranks read, straight from the claims table (building
    # the whole claims frame for them would cost reconcile its time and memory); the
    # possible overlaps as each claim lists them, mirrored here row by row
    t = ds.claims
    count = t.column("count").combine_chunks()
    may_overlap = t.column("may_overlap").combine_chunks()
    frame = pa.table(
        {
            "id": t.column("id"),
            "part_of": t.column("part_of"),
            "subset_of": t.column("subset_of"),
            "qualifier": count.flatten()[0],  # dictionary-encoded, as stored
            "persons": t.column("person_ids"),
        }
    )
    return Links._build(
        frame,
        owner=pc.list_parent_indices(may_overlap),
        listed=pc.struct_field(pc.list_flatten(may_overlap), "claim_id"),
        mirror=True,
    )


def priority(frame: pa.Table, links: Links | None = None) -> pa.Array:
    """A rank per claim (int64), lower kept first: itemized (part of a breakdown or has
    items), then the most precisely stated figure, then the most named people."""
    return (links or Links.of(frame)).rank


def _rank(frame: pa.Table, part_row: pa.Array) -> pa.Array:
    has_items = marked(frame.num_rows, part_row)
    itemized = pc.or_(pc.is_valid(frame.column("part_of").combine_chunks()), has_items)
    quals = frame.column("qualifier").combine_chunks()
    names = pa.array(list(_PRECISION), pa.string())
    if pa.types.is_dictionary(quals.type):  # the claims table's own column: its few values
        codes = pc.index_in(quals.dictionary, names).take(quals.indices)
    else:
        codes = pc.index_in(quals, names)
    index = pc.fill_null(codes.cast(pa.int64()), len(_PRECISION))  # no count: past the last
    precision = pa.array([*_PRECISION.values(), _NO_COUNT], pa.int64()).take(index)
    persons = pc.list_value_length(frame.column("persons").combine_chunks()).cast(pa.int64())
    # itemized first (0), then precision, then people (more first): one sortable integer
    return pc.add(
        pc.multiply(pc.if_else(itemized, 0, 1).cast(pa.int64()), _ITEMIZED),
        pc.subtract(
            pc.multiply(precision, _QUALIFIER), pc.min_element_wise(persons, _QUALIFIER - 1)
        ),
    )


def why(rank: int) -> str:
    """Why the report of this `priority` rank was kept, in words."""
    parts = ["part of a breakdown" if rank < _ITEMIZED else "not itemized"]
    precision = (rank % _ITEMIZED + _QUALIFIER - 1) // _QUALIFIER
    names = {v: k for k, v in _PRECISION.items()}
    parts.append(f"figure {names.get(precision, 'none')}")
    return "kept as the most itemized, then most precisely stated report: " + ", ".join(parts)


def overlap_order(frame: pa.Table, rank: pa.Array) -> pa.Array:
    """Each row's place (0 = kept first) among claims that may count the same people.

    Itemized first (a breakdown stays whole), then the largest figure a claim vouches
    for (its ``low``, else its ``value``): sets that may overlap hold at least as many
    people as the largest of them, so keeping that one gives the tightest honest
    ``lower`` (a running total of 23 beside a later "more than 2,000" keeps the
    2,001), then the `priority` rank (precision, named people), then row order.
    """
    vouched = pc.coalesce(frame.column("low"), frame.column("value"), pa.scalar(0, pa.int64()))
    keys = pa.table(
        {
            "itemized": pc.greater_equal(rank, _ITEMIZED),
            "vouched": pc.negate(vouched.combine_chunks()),
            "rank": rank,
            "row": row_numbers(frame.num_rows),
        }
    )
    permutation = pc.sort_indices(keys, sort_keys=[(k, "ascending") for k in keys.column_names])
    return pc.sort_indices(permutation)  # the inverse permutation: each row's place


def event_duplicates(
    frame: pa.Table, counted: pa.Array, series: list[str], links: Links | None = None
) -> tuple[pa.Array, list[dict[str, Any]]]:
    """Counted claims that report an event another counted claim of the same series,
    unit, former parties and named persons already reports (all but the one kept, the
    lowest `priority`, then the first row), and notes on the first 50 groups."""
    n = frame.num_rows
    with_event = pc.fill_null(pc.and_(counted, pc.is_valid(frame.column("event_id"))), False)
    if not pc.any(with_event).as_py():
        return filled(n, False), []
    # only the reports of events are keyed (a tenth of the claims, or fewer)
    taken = pc.indices_nonzero(with_event)
    # the joint keys of these rows only (the whole frame's are built only if read)
    reports = frame.select(["claimant", "event_id", "unit", "parties", "persons"])
    reports = reports.take(taken)
    key = joint_keys(reports.column("parties").combine_chunks())
    rank = priority(frame, links).take(taken)
    m = len(taken)
    table = pa.table(
        {
            "claimant": reports.column("claimant") if series else pa.nulls(m, pa.string()),
            "event_id": reports.column("event_id"),
            "unit": reports.column("unit"),
            "party_key": key,
            "persons_key": joint_keys(reports.column("persons").combine_chunks()),
            # rank, then row, as one non-negative integer (a rank can be -999,999):
            # the smallest in a group is the one kept
            "order": pc.add(pc.multiply(pc.add(rank, _QUALIFIER), n), taken.cast(pa.int64())),
        }
    )
    # Reports of one happening cover the same people as far as they say: the same former
    # parties, unit and named persons (two people at one ceremony are two defections).
    keys = ["claimant", "event_id", "unit", "party_key", "persons_key"]
    groups = table.group_by(keys, use_threads=False).aggregate(
        [("order", "min"), ("order", "count")]
    )
    shared = groups.filter(pc.greater(groups.column("order_count"), 1))
    if shared.num_rows == 0:
        return filled(n, False), []
    first = groups.column("order_min").combine_chunks()  # one report per group is kept
    kept = pc.subtract(first, pc.multiply(pc.divide(first, n), n))
    # Decided among the reports only, then spread over every row: the reports are the
    # rows with_event marks, in order (probing n rows would cost ten times as much).
    dropped_reports = pc.invert(pc.is_in(taken.cast(pa.int64()), kept))
    if isinstance(with_event, pa.ChunkedArray):  # a frame's column is chunked
        with_event = with_event.combine_chunks()
    drop = pc.replace_with_mask(filled(n, False), with_event, dropped_reports)
    return drop, _event_notes(frame, table, shared, keys, n)


def _event_notes(
    frame: pa.Table, table: pa.Table, shared: pa.Table, keys: list[str], n: int
) -> list[dict[str, Any]]:
    """The first 50 groups of reports (in key order): kept, dropped and why."""
    first = shared.sort_by([(k, "ascending") for k in keys]).slice(0, 50)
    wanted = {tuple(r[k] for k in keys) for r in first.select(keys).to_pylist()}
    members: dict[tuple[Any, ...], list[int]] = {k: [] for k in wanted}
    # only rows of the chosen groups' events are read into Python
    events = pc.is_in(table.column("event_id"), first.column("event_id").combine_chunks())
    for r in table.filter(events).to_pylist():
        k = tuple(r[c] for c in keys)
        if k in members:
            members[k].append(r["order"])
    ids = frame.column("id").combine_chunks()
    notes: list[dict[str, Any]] = []
    for r in first.select(keys).to_pylist():
        orders = sorted(members[tuple(r[k] for k in keys)])
        notes.append(
            {
                "event": r["event_id"],
                "kept": ids[orders[0] % n].as_py(),
                "dropped": [ids[o % n].as_py() for o in orders[1:]],
                "why": why(orders[0] // n - _QUALIFIER),
            }
        )
    return notes


def possible_overlaps(
    frame: pa.Table,
    counted: pa.Array,
    series: list[str],
    links: Links | None = None,
    selected: pa.Array | None = None,
) -> tuple[pa.Array, list[dict[str, Any]]]:
    """Of claims (in one series) that may overlap, those that only widen ``upper``: a
    mask over the frame's rows, and notes on the first 50 in `overlap_order`.

    Greedy in `overlap_order`: a counted claim listing ``overlaps`` is secondary if
    one of its partners is kept, where kept are counted claims that list no overlaps
    and linked claims earlier in the order that were kept themselves.

    A partner that is not counted itself but is covered by a counted claim (an item of a
    counted total, a subset of a counted claim) stands for that claim: a story that may
    overlap one tally row also may overlap the tally's stated total. Only partners in
    ``selected`` (the filtered claims; all if None) and, per series, of the same
    claimant count, so selecting one claimant gives that claimant's rows of the result
    for all claimants.
    """
    n = frame.num_rows
    links = links or Links.of(frame)
    linked = pc.fill_null(pc.and_(counted, links.has_overlaps), False)
    if not pc.any(linked).as_py():
        return filled(n, False), []
    ids = frame.column("id").combine_chunks()
    linked_rows = pc.indices_nonzero(linked).cast(pa.int64())
    listed = linked.take(links.overlap_owner)
    me = links.overlap_owner.filter(listed)
    partner = links.overlap_target.filter(listed)
    anchor = _anchors(counted, links.up, partner)
    ok = pc.and_(pc.is_valid(anchor), pc.not_equal(anchor, me))
    if selected is not None:  # a partner outside the selection is not in play
        ok = pc.and_(ok, selected.take(partner))
    if series:  # nor is one of another claimant, or covered by another's claim
        claimant = frame.column("claimant").combine_chunks()

        def of(rows: pa.Array) -> pa.Array:  # no claimant matches no claimant
            return pc.fill_null(claimant.take(rows), "")

        same = pc.and_(pc.equal(of(partner), of(me)), pc.equal(of(anchor), of(me)))
        ok = pc.and_(ok, same)
    ok = pc.fill_null(ok, False)
    me, anchor = me.filter(ok), anchor.filter(ok)
    # Nodes: the linked claims, numbered in row order; their place in the greedy order.
    node = pc.subtract(pc.cumulative_sum(linked.cast(pa.int64())), 1)
    figures = frame.select(["low", "value"]).take(linked_rows)
    place = overlap_order(figures, priority(frame, links).take(linked_rows))
    edges_me = node.take(me)
    to_linked = linked.take(anchor)
    # a kept claim that lists no overlaps makes each claim pointing at it secondary
    forced = edges_me.filter(pc.invert(to_linked))
    edges_anchor = node.take(anchor.filter(to_linked))
    edges_me = edges_me.filter(to_linked)
    earlier = pc.less(place.take(edges_anchor), place.take(edges_me))
    status = _greedy(
        len(linked_rows), place, forced, edges_me.filter(earlier), edges_anchor.filter(earlier)
    )
    no_node = pa.scalar(None, pa.int64())
    secondary = pc.fill_null(
        pc.equal(status.take(pc.if_else(linked, node, no_node)), _SECONDARY), False
    )
    return secondary, _overlap_notes(ids, linked_rows, place, status, node, me, anchor, linked)


_UNDECIDED, _KEPT, _SECONDARY = 0, 1, 2


def _anchors(counted: pa.Array, up: pa.Array, target: pa.Array) -> pa.Array:
    """For each partner row, the counted claim that stands for it: itself if counted,
    else the first counted claim up its ``part_of`` (else ``subset_of``) chain; null if
    there is none (or the partner is not in the frame)."""
    current = target
    for _ in range(MAX_DEPTH):
        pending = pc.fill_null(pc.invert(counted.take(current)), False)
        if not pc.any(pending).as_py():
            break
        current = pc.if_else(pending, up.take(current), current)
    return pc.if_else(pc.fill_null(counted.take(current), False), current, None)


def _greedy(
    size: int, place: pa.Array, forced: pa.Array, later: pa.Array, earlier: pa.Array
) -> pa.Array:
    """Each node's status: secondary if forced or if an earlier node it points at is
    kept, else kept; edges go from ``later`` to ``earlier`` nodes in ``place`` order."""
    status = pc.if_else(marked(size, forced), _SECONDARY, _UNDECIDED).cast(pa.int8())
    for _ in range(_ROUNDS):
        open_ = pc.equal(status.take(later), _UNDECIDED)
        later, earlier = later.filter(open_), earlier.filter(open_)
        target = status.take(earlier)
        hit = later.filter(pc.equal(target, _KEPT))
        waiting = later.filter(pc.equal(target, _UNDECIDED))
        undecided = pc.equal(status, _UNDECIDED)
        if not pc.any(undecided).as_py():
            return status
        status = pc.if_else(
            pc.and_(undecided, marked(size, hit)),
            _SECONDARY,
            pc.if_else(pc.and_(undecided, pc.invert(marked(size, waiting))), _KEPT, status),
        ).cast(pa.int8())
    # Left after the rounds: decide one by one, in order (every edge points earlier).
    values = status.to_pylist()
    points: dict[int, list[int]] = {}
    for a, b in zip(later.to_pylist(), earlier.to_pylist(), strict=True):
        points.setdefault(a, []).append(b)
    order = pc.sort_indices(place).to_pylist()
    for i in order:
        if values[i] == _UNDECIDED:
            kept = any(values[j] == _KEPT for j in points.get(i, ()))
            values[i] = _SECONDARY if kept else _KEPT
    return pa.array(values, pa.int8())


def _overlap_notes(
    ids: pa.Array,
    linked_rows: pa.Array,
    place: pa.Array,
    status: pa.Array,
    node: pa.Array,
    me: pa.Array,
    anchor: pa.Array,
    linked: pa.Array,
) -> list[dict[str, Any]]:
    """The first 50 secondary claims in order, each with the kept partners it overlaps."""
    secondary = pc.indices_nonzero(pc.equal(status, _SECONDARY))
    if len(secondary) == 0:
        return []
    chosen = secondary.take(pc.sort_indices(place.take(secondary)).slice(0, 50))
    rows = linked_rows.take(chosen)
    pick = pc.is_in(me, rows)
    me, anchor = me.filter(pick), anchor.filter(pick)
    anchor_node = pc.if_else(linked.take(anchor), node.take(anchor), pa.scalar(None, pa.int64()))
    # a partner counts if it lists no overlaps (always kept) or was kept before this one
    before = pc.and_(
        pc.equal(status.take(anchor_node), _KEPT),
        pc.less(place.take(anchor_node), place.take(node.take(me))),
    )
    partner = pc.fill_null(pc.or_kleene(pc.is_null(anchor_node), before), False)
    partners: dict[int, set[str]] = {}
    found = ids.take(anchor.filter(partner)).to_pylist()
    for m, a in zip(me.filter(partner).to_pylist(), found, strict=True):
        partners.setdefault(m, set()).add(a)
    return [{"claim": ids[r].as_py(), "may_overlap": sorted(partners[r])} for r in rows.to_pylist()]
