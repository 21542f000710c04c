"""The vectorized counting rules (aggregate._rules) against plain-Python statements of them.

The references below are the rules as first written, one claim at a time: the
vectorized versions must give the same claims, for any valid dataset.
"""

from __future__ import annotations

from typing import Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given
from hypothesis import strategies as st

from cambodefect import testing
from cambodefect._frame import claims_frame
from cambodefect.aggregate import _rules


def _reference_event_duplicates(frame: pa.Table, counted: list[bool], series: bool) -> set[int]:
    """Rows dropped by rule 3: per (claimant, event, unit, parties, persons), all but the
    report of the lowest priority rank, then the first row."""
    rank = _rules.priority(frame).to_pylist()
    rows = frame.to_pylist()
    groups: dict[tuple[Any, ...], list[tuple[int, int]]] = {}
    for i, r in enumerate(rows):
        if not counted[i] or r["event_id"] is None:
            continue
        key = (
            r["claimant"] if series else None,
            r["event_id"],
            r["unit"],
            "+".join(sorted(r["parties"])) or None,
            "+".join(sorted(r["persons"])) or None,
        )
        groups.setdefault(key, []).append((rank[i], i))
    return {i for members in groups.values() for _, i in sorted(members)[1:]}


def _reference_possible_overlaps(
    frame: pa.Table, counted: list[bool], series: bool, selected: list[bool]
) -> tuple[set[int], dict[int, list[int]]]:
    """Rule 5, greedy one claim at a time: the secondary rows and their kept partners."""
    rows = frame.to_pylist()
    index = {r["id"]: i for i, r in enumerate(rows)}
    rank = _rules.priority(frame).to_pylist()

    def anchor(partner: str, me: int) -> int | None:
        i = index.get(partner)
        if i is None or not selected[i]:
            return None  # outside the selection: not in play
        if series and rows[i]["claimant"] != rows[me]["claimant"]:
            return None  # another claimant's claim
        for _ in range(_rules.MAX_DEPTH):
            if i is None or counted[i]:
                break
            up = rows[i]["part_of"] or rows[i]["subset_of"]
            i = index.get(up) if up is not None else None
        if i is None or not counted[i] or i == me:
            return None
        if series and rows[i]["claimant"] != rows[me]["claimant"]:
            return None
        return i

    linked = [i for i, r in enumerate(rows) if counted[i] and r["overlaps"]]

    def order(i: int) -> tuple[int, int, int, int]:
        r = rows[i]
        vouched = r["low"] if r["low"] is not None else r["value"] or 0
        return (rank[i] >= 10**9, -vouched, rank[i], i)

    kept = {i for i, c in enumerate(counted) if c} - set(linked)
    secondary: dict[int, list[int]] = {}
    for me in sorted(linked, key=order):
        anchors = {a for p in rows[me]["overlaps"] if (a := anchor(p, me)) is not None}
        partners = sorted(a for a in anchors if a in kept)
        if partners:
            secondary[me] = partners
        else:
            kept.add(me)
    return set(secondary), secondary


@st.composite
def frames(draw: st.DrawFn) -> pa.Table:
    """Small claims frames (the columns the rules read) from small alphabets, so that
    reports share events, claims point at each other and chains and cycles occur."""
    n = draw(st.integers(1, 12))
    ids = [f"c{i}" for i in range(n)]
    link = st.one_of(st.none(), st.sampled_from(ids))
    small = st.one_of(st.none(), st.integers(0, 5))
    rows = [
        {
            "id": ids[i],
            "claimant": draw(st.sampled_from(["a", "b"])),
            "event_id": draw(st.sampled_from([None, "e1", "e2"])),
            "unit": draw(st.sampled_from(["persons", "officials"])),
            "parties": draw(st.lists(st.sampled_from(["p", "q"]), max_size=2, unique=True)),
            "persons": draw(st.lists(st.sampled_from(["x"]), max_size=1)),
            "qualifier": draw(st.sampled_from([None, "exact", "at_least", "vague"])),
            "value": draw(small),
            "low": draw(small),
            "part_of": draw(link),
            "subset_of": draw(link),
            "overlaps": draw(st.lists(st.sampled_from([*ids, "elsewhere"]), max_size=3)),
        }
        for i in range(n)
    ]
    table = pa.Table.from_pylist(
        rows,
        schema=pa.schema(
            [
                ("id", pa.string()),
                ("claimant", pa.string()),
                ("event_id", pa.string()),
                ("unit", pa.string()),
                ("parties", pa.list_(pa.string())),
                ("persons", pa.list_(pa.string())),
                ("qualifier", pa.string()),
                ("value", pa.int64()),
                ("low", pa.int64()),
                ("part_of", pa.string()),
                ("subset_of", pa.string()),
                ("overlaps", pa.list_(pa.string())),
            ]
        ),
    )
    return table.append_column("party_key", pa.nulls(n, pa.string()))


@given(
    frame=st.one_of(frames(), testing.datasets(max_size=6).map(claims_frame)),
    series=st.booleans(),
    data=st.data(),
)
def test_rules_match_their_one_claim_at_a_time_statement(
    frame: pa.Table, series: bool, data: st.DataObject
) -> None:
    counted = data.draw(st.lists(st.booleans(), min_size=frame.num_rows, max_size=frame.num_rows))
    mask = pa.array(counted, pa.bool_())
    keys = ["claimant"] if series else []

    dropped, _notes = _rules.event_duplicates(frame, mask, keys)
    assert set(pc.indices_nonzero(dropped).to_pylist()) == _reference_event_duplicates(
        frame, counted, series
    )

    # the selection: every counted claim, and some that are not (dropped ones, say)
    extra = data.draw(st.lists(st.booleans(), min_size=frame.num_rows, max_size=frame.num_rows))
    selected = [c or e for c, e in zip(counted, extra, strict=True)]
    secondary, notes = _rules.possible_overlaps(
        frame, mask, keys, selected=pa.array(selected, pa.bool_())
    )
    expected, partners = _reference_possible_overlaps(frame, counted, series, selected)
    assert set(pc.indices_nonzero(secondary).to_pylist()) == expected
    ids = frame.column("id").to_pylist()
    for note in notes:
        me = ids.index(note["claim"])
        assert note["may_overlap"] == sorted(ids[a] for a in partners[me])


def _reference_greedy(
    size: int, place: list[int], forced: set[int], edges: list[tuple[int, int]]
) -> list[int]:
    points: dict[int, list[int]] = {}
    for a, b in edges:
        points.setdefault(a, []).append(b)
    status = [0] * size
    for i in sorted(range(size), key=lambda k: place[k]):
        if i in forced or any(status[j] == 1 for j in points.get(i, ())):
            status[i] = 2
        else:
            status[i] = 1
    return status


@given(
    size=st.integers(1, 80),
    data=st.data(),
)
def test_greedy_rounds_and_their_tail_decide_as_one_pass_does(
    size: int, data: st.DataObject
) -> None:
    """Any order, any edges pointing earlier, any forced nodes; chains longer than the
    vectorized rounds are finished one node at a time with the same answer."""
    place = data.draw(st.permutations(range(size)))
    pairs = data.draw(
        st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)), max_size=200)
    )
    edges = [(a, b) for a, b in pairs if place[b] < place[a]]
    forced = data.draw(st.sets(st.integers(0, size - 1), max_size=size // 4))
    status = _rules._greedy(
        size,
        pa.array(place, pa.uint64()),
        pa.array(sorted(forced), pa.int64()),
        pa.array([a for a, _ in edges], pa.int64()),
        pa.array([b for _, b in edges], pa.int64()),
    )
    assert status.to_pylist() == _reference_greedy(size, place, forced, edges)


def test_a_chain_longer_than_the_rounds_alternates() -> None:
    """Each claim overlapping the one before it: kept, secondary, kept, ... to the end,
    past the rounds the vectorized pass runs."""
    size = 3 * _rules._ROUNDS
    nodes = list(range(size))
    status = _rules._greedy(
        size,
        pa.array(nodes, pa.uint64()),
        pa.array([], pa.int64()),
        pa.array(nodes[1:], pa.int64()),
        pa.array(nodes[:-1], pa.int64()),
    )
    assert status.to_pylist() == [1 if i % 2 == 0 else 2 for i in nodes]


@given(frames())
def test_the_rank_reads_a_dictionary_qualifier_as_its_strings(frame: pa.Table) -> None:
    """The links rank the claims table's dictionary-encoded qualifiers without casting
    them: the ranks are those of the same qualifiers as strings."""
    i = frame.schema.get_field_index("qualifier")
    encoded = frame.set_column(i, "qualifier", pc.dictionary_encode(frame.column("qualifier")))
    assert _rules.priority(encoded).equals(_rules.priority(frame))


@given(testing.datasets(max_size=6))
def test_the_links_of_a_dataset_are_those_of_its_frame(ds: Any) -> None:
    """Built from the claims table (dictionary qualifiers, only the referenced IDs
    hashed), the dataset's links are those of its claims frame."""
    mine, frames_ = _rules.links_of(ds), _rules.Links.of(claims_frame(ds))
    for field in attrs.fields_dict(_rules.Links):
        assert getattr(mine, field).equals(getattr(frames_, field)), field


@given(frames())
def test_overlaps_mirrored_row_by_row_are_those_mirrored_by_id(frame: pa.Table) -> None:
    """A dataset's links mirror each declared overlap between rows (``may_overlap`` is
    declared on one side); the claims frame mirrors them between IDs (`overlap_links`).
    Either way the links are the same, with unknown IDs, self-links and repeats."""
    from cambodefect._frame import overlap_links

    declared = frame.column("overlaps").combine_chunks()
    notes = pa.StructArray.from_arrays(
        [pc.list_flatten(declared), pa.nulls(len(pc.list_flatten(declared)), pa.string())],
        names=["claim_id", "note"],
    )
    may_overlap = pa.ListArray.from_arrays(declared.offsets, notes)
    both_ways = overlap_links(pa.table({"id": frame.column("id"), "may_overlap": may_overlap}))
    by_id = _rules.Links.of(
        frame.set_column(frame.schema.get_field_index("overlaps"), "overlaps", both_ways)
    )
    by_row = _rules.Links._build(
        frame,
        owner=pc.list_parent_indices(declared),
        listed=pc.list_flatten(declared),
        mirror=True,
    )
    for field in ("overlap_owner", "overlap_target", "has_overlaps", "up", "rank"):
        assert getattr(by_row, field).equals(getattr(by_id, field)), field
