"""Synthetic claims and events with the current Arrow schemas, at any size, vectorized.

Used by the aggregation benchmark (``bench/bench_aggregate.py``) and its reference
tests (``tests/test_bench_references.py``). Every counting rule of
:mod:`cambodefect.aggregate` is exercised, deterministically by a row's position in
its block of :data:`BLOCK` rows, so that a SQL or dataframe reference can reproduce
the rules exactly. Features never share rows (an event row is never an overlap row,
an item never a subset, ...); the other rows are plain claims.

Position in the block (``row % 100``), block ``b = row // 100``:

``0``
    a stated total (kind ``total``, no former party). In even blocks it is a
    breakdown: rows ``1-29`` are its ``part_of`` items, with its claimant, and its
    exact figure equals the items' point figures (``b % 4 == 0``) or exceeds them by 3
    (``b % 4 == 2``). Where ``b % 4 == 0`` or ``b % 8 == 2`` every item is exact and in
    persons (``reconcile`` finds a match, or a mismatch of 3); elsewhere the items'
    counts are drawn like any row's. In odd blocks the total stands alone.
``31``, ``33``, ``35``
    ``subset_of`` the row before (exact, a quarter of its superset's figure); the
    pairs ``30/31`` and ``32/33`` share a claimant, ``34/35`` draw theirs independently
    (a link across claimants drops nothing).
``36-38``, ``68-69``
    the floor on ``upper``, by their own claimant (the group ``"synthetic floor
    group"``): ``36`` (2017) is a superset, ``37`` (2023) its subset naming another
    former party (``khmer-national-united-party``, used nowhere else); ``38`` says 0
    for that party, on ``37``'s day. ``68`` (0) and ``69`` (more than N) report one
    event (``ev-<block>-d``) for that party: ``68`` is kept, ``69`` dropped. The
    groups of that party (and the 2023 months of that claimant) count 0, and their
    ``upper`` is the largest figure a dropped subset or report states.
``41``, ``43``, ``45``, ``47``, ``49``
    ``may_overlap`` the row before (declared on one side only): disjoint pairs, so the
    library's greedy selection is "the worse of each pair is secondary". Pairs
    ``40/41`` to ``46/47`` share a claimant; ``48/49`` draw theirs independently.
``60-62``, ``63-64``, ``66-67``
    events ``ev-<block>-a``, ``-b``, ``-c``: the rows of one event share its former
    parties, unit, day and (empty) named persons; events ``a`` and ``c`` also share a
    claimant (one report is kept, the others dropped), event ``b`` draws its
    claimants independently.
``65``
    in blocks with ``b % 4 == 1`` (contested events): a counter-claim of kind
    ``dispute`` ("only N") by an opposition claimant on event ``c``; row ``66`` lists
    it in ``disputed_by``. Elsewhere a plain row.
``90``
    a ``range`` period of 41 days: it spans two months (``by_period``'s null bin).
``91``
    a month-precision period. ``92-94``: a day period, reported 1 to 5 days later.
``97``
    in odd blocks: no count at all (named people only).

Everything else is drawn at random from ``seed``: the claimant (Fresh News 85%), the
qualifier (Fresh News, the opposition claimant and unnamed groups: exact 80%, then
more than, approximate, vague, range, at least, fewer than; the two ruling-party
claimants only state bounded figures: exact, range, fewer than, so their groups have
an ``upper``), the unit (officials 10%, else persons), the former party (5% joint
rows naming two), the day (20% in 2017, else 2023, day precision). IDs are ``c`` and
the row number padded to nine digits, so they sort in row order. Every row cites
``voa-pro-government-media-claims`` by line. No row names persons.

Example::

    from bench.synthetic import synthetic_dataset
    ds = synthetic_dataset(10_000)
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import cambodefect as cd
from cambodefect.schema import SCHEMAS

__all__ = [
    "BLOCK",
    "CLAIMANTS",
    "PARTIES",
    "synthetic_claims",
    "synthetic_dataset",
    "synthetic_tables",
]

BLOCK: Final = 100
"""Rows per block: every feature sits at fixed positions in each block."""

PARTIES: Final = (
    "candlelight-party",
    "cambodia-national-rescue-party",
    "funcinpec",
    "grassroots-democracy-party",
    "khmer-win-party",
    "sam-rainsy-party",
    "unnamed-parties",
    "political-analyst",
)
"""Former parties drawn from at random (IDs of the bundled parties table)."""

FLOOR_PARTY: Final = "khmer-national-united-party"
"""The former party of the floor rows only (a party no other row names)."""

CLAIMANTS: Final = (
    ("fresh-news", "organization", "government_aligned"),
    ("sok-eysan", "person", "ruling_party"),
    ("ork-kimhan", "person", "ruling_party"),
    ("kimsour-phirith", "person", "opposition"),
)
"""The named claimants (ID, kind, alignment); more claimants are unnamed groups."""

FLOOR_CLAIMANT: Final = "synthetic floor group"
"""The label of the unnamed group that makes the floor rows."""

_BOUNDED = (1, 2)  # the ruling-party claimants: bounded figures only
_OPPOSITION = 3  # kimsour-phirith: makes the counter-claims
_SOURCE = "voa-pro-government-media-claims"
_KINDS = ["defection", "total", "dispute"]
_CLAIMANT_KINDS = ["organization", "person", "group"]
_ALIGNMENTS = ["government_aligned", "ruling_party", "opposition", "unknown"]
_QUALIFIERS = ["exact", "more_than", "approximate", "vague", "range", "at_least", "fewer_than"]
_EXACT, _MORE, _APPROX, _VAGUE, _RANGE, _AT_LEAST, _FEWER = range(7)
_ANY_P = [0.80, 0.05, 0.05, 0.04, 0.02, 0.02, 0.02]
_BOUNDED_P = [0.85, 0.0, 0.0, 0.0, 0.10, 0.0, 0.05]
_UNITS = ["persons", "officials"]
_PRECISIONS = ["day", "month", "range"]
_EVENT_KINDS = ["ceremony", "announcement"]
_EVENTS_PER_BLOCK = 4
_PLACES = (
    ("Phnom Penh", "KH-12"),
    ("Kampong Cham province", "KH-3"),
    ("Battambang province", "KH-2"),
    ("Siem Reap province", "KH-17"),
)
_EPOCH = date(1970, 1, 1)
_Y2017 = (date(2017, 1, 1) - _EPOCH).days
_Y2023 = (date(2023, 1, 1) - _EPOCH).days


def _strings(values: list[str], index: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """``values[index]`` as a string array (null where ``mask``), built by Arrow's take."""
    return pa.array(values, pa.string()).take(pa.array(index.astype(np.int64), mask=mask))


def _numbered(prefix: str, numbers: np.ndarray, width: int, suffix: Any = None) -> Any:
    """``prefix`` + ``numbers`` zero-padded to ``width`` (+ ``suffix``), vectorized."""
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers.astype(np.int64)), pa.string()), width, "0")
    parts = [pa.scalar(prefix), digits] + ([suffix] if suffix is not None else [])
    return pc.binary_join_element_wise(*parts, "")


def _dict(codes: np.ndarray, labels: list[str], mask: np.ndarray | None = None) -> pa.Array:
    return pa.DictionaryArray.from_arrays(
        pa.array(codes.astype(np.int8), mask=mask), pa.array(labels, pa.string())
    )


def _dates(days: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    return pa.array(days.astype(np.int32), pa.int32(), mask=mask).cast(pa.date32())


def _lists(lengths: np.ndarray, values: pa.Array, type_: pa.DataType) -> pa.Array:
    offsets = np.zeros(len(lengths) + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), values, type=type_)


def _struct(type_: pa.DataType, arrays: list[Any], mask: np.ndarray | None = None) -> Any:
    return pa.StructArray.from_arrays(
        arrays, fields=list(type_), mask=None if mask is None else pa.array(mask)
    )


def _evidence(n: int, lines: np.ndarray, note: str) -> pa.Array:
    """One evidence item per row, citing the source by line."""
    type_ = SCHEMAS["claims"].field("evidence").type
    zeros = np.zeros(n, dtype=np.int64)
    items = _struct(
        type_.value_type,
        [
            _strings([_SOURCE], zeros),
            pa.array(lines.astype(np.int32)),
            _strings([note], zeros),
            pa.nulls(n, pa.int32()),
        ],
    )
    return _lists(np.ones(n, dtype=np.int32), items, type_)


def _date_struct(
    type_: pa.DataType,
    precision: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    missing: np.ndarray | None = None,
) -> Any:
    """A FuzzyDate column; where ``missing``, the struct and its fields are null."""
    n = len(start)
    return _struct(
        type_,
        [
            _dict(precision, _PRECISIONS, missing),
            _dates(start, missing),
            _dates(end, missing),
            pa.nulls(n, pa.string()),
            pa.array(np.zeros(n, dtype=bool), mask=missing),
        ],
        missing,
    )


def synthetic_tables(n: int, seed: int = 7, *, claimants: int = 4) -> dict[str, pa.Table]:
    """``{"claims": ..., "events": ...}``: ``n`` synthetic claims (see the module
    docstring for the layout) and the events they report.

    ``claimants`` (at least 4) sets how many claimants make the random rows: the four
    named ones and ``claimants - 4`` unnamed groups (``"synthetic group 17"``); with
    more than four, Fresh News makes half of them and the others share the rest evenly.
    The floor rows always have their own claimant besides.
    """
    if claimants < len(CLAIMANTS):
        raise ValueError(f"claimants must be at least {len(CLAIMANTS)}, got {claimants}")
    rng = np.random.default_rng(seed)
    row = np.arange(n, dtype=np.int64)
    pos = row % BLOCK
    block = row // BLOCK
    start = block * BLOCK
    even = block % 2 == 0
    contested = block % 4 == 1

    is_total = pos == 0
    breakdown = is_total & even & (start + 1 < n)  # an even block's total, with items
    is_item = even & (pos >= 1) & (pos <= 29)
    is_subset = np.isin(pos, (31, 33, 35, 37))
    is_linked = np.isin(pos, (41, 43, 45, 47, 49))
    is_counter = contested & (pos == 65)
    is_disputed = contested & (pos == 66)
    is_floor = np.isin(pos, (36, 37, 38, 68, 69))
    floor_party = np.isin(pos, (37, 38, 68, 69))
    event_group = np.full(n, -1, dtype=np.int64)  # 0-3: events a-d of the block
    event_group[np.isin(pos, (60, 61, 62))] = 0
    event_group[np.isin(pos, (63, 64))] = 1
    event_group[np.isin(pos, (66, 67)) | is_counter] = 2
    event_group[np.isin(pos, (68, 69))] = 3
    in_event = event_group >= 0
    no_count = ~even & (pos == 97)

    # Which row each row copies shared attributes from (itself unless a feature says
    # so). The row copied from is never a copy itself, so one lookup suffices.
    def copies(groups: tuple[tuple[int, tuple[int, ...]], ...]) -> np.ndarray:
        out = row.copy()
        for first, rest in groups:
            where = np.isin(pos, rest)
            out[where] = start[where] + first
        return out

    pairs = ((30, (31,)), (32, (33,)), (40, (41,)), (42, (43,)), (44, (45,)), (46, (47,)))
    same_claimant = copies((*pairs, (60, (61, 62)), (66, (67,))))
    same_claimant[is_item] = start[is_item]
    same_event = copies(((60, (61, 62)), (63, (64,)), (66, (67,))))  # parties, unit
    same_day = copies(((60, (61, 62)), (63, (64,)), (66, (67,)), (37, (38,)), (68, (69,))))
    led = contested & np.isin(pos, (66, 67))  # a contested event starts at its counter-claim
    same_day[led] = start[led] + 65

    # claimants: index < claimants draws at random; index == claimants: the floor group
    if claimants == len(CLAIMANTS):
        p = np.array([0.85, 0.05, 0.05, 0.05])
    else:
        p = np.full(claimants, 0.5 / (claimants - 1))
        p[0] = 0.5
    who = rng.choice(claimants, size=n, p=p / p.sum())[same_claimant]
    who[is_counter] = _OPPOSITION
    who[is_floor] = claimants
    named = who < len(CLAIMANTS)
    groups = claimants + 1 - len(CLAIMANTS)
    kinds_of = [_CLAIMANT_KINDS.index(k) for _, k, _ in CLAIMANTS] + [2] * groups
    aligns_of = [_ALIGNMENTS.index(a) for _, _, a in CLAIMANTS] + [3] * groups
    group_label = pc.if_else(
        pa.array(is_floor),
        pa.scalar(FLOOR_CLAIMANT),
        _numbered("synthetic group ", np.where(named, 0, who - len(CLAIMANTS)), 1),
    )
    claimant = _struct(
        SCHEMAS["claims"].field("claimant").type,
        [
            _dict(np.array(kinds_of)[who], _CLAIMANT_KINDS),
            _dict(np.array(aligns_of)[who], _ALIGNMENTS),
            _strings([c for c, _, _ in CLAIMANTS], np.where(named, who, 0), ~named),
            pc.if_else(pa.array(named), pa.scalar(None, pa.string()), group_label),
        ],
    )

    # counts
    q = np.where(
        np.isin(who, _BOUNDED),
        rng.choice(len(_QUALIFIERS), size=n, p=_BOUNDED_P),
        rng.choice(len(_QUALIFIERS), size=n, p=_ANY_P),
    )
    raw = rng.integers(1, 1000, size=n)
    unit = (rng.random(n) < 0.1).astype(np.int64)[same_event]
    exact_items = is_item & ((block % 4 == 0) | (block % 8 == 2))
    q[breakdown | exact_items | is_subset | is_counter | is_floor] = _EXACT
    q[pos == 69] = _MORE
    unit[breakdown | exact_items | is_counter | is_floor] = 0
    raw[is_subset] = np.maximum(1, raw[row[is_subset] - 1] // 4)
    raw[is_counter] = raw[is_counter] // 100 + 1
    raw[np.isin(pos, (38, 68))] = 0

    def bounds() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """value, low, high of each row's count (-1 where absent)."""
        value = np.where((q == _EXACT) | (q == _APPROX), raw, -1)
        low = np.select(
            [q == _EXACT, q == _MORE, q == _RANGE, q == _AT_LEAST], [raw, raw + 1, raw, raw], -1
        )
        high = np.select(
            [q == _EXACT, q == _RANGE, q == _FEWER], [raw, raw + raw // 2 + 1, raw], -1
        )
        return value, low, high

    value, _, _ = bounds()
    # an even block's total: its items' point figures (+ 3 where b % 4 == 2)
    blocks = int(block[-1]) + 1 if n else 0
    sums = np.bincount(block[is_item], weights=np.maximum(value[is_item], 0), minlength=blocks)
    raw[breakdown] = sums.astype(np.int64)[block[breakdown]] + 3 * (block[breakdown] % 4 == 2)
    value, low, high = bounds()
    digits = pc.cast(pa.array(raw), pa.string())
    prefixes = ["", "more than ", "around ", "", "", "at least ", "fewer than "]
    text = pc.binary_join_element_wise(_strings(prefixes, q), digits, "")
    text = pc.if_else(pa.array(q == _VAGUE), pa.scalar("dozens"), text)
    range_text = pc.binary_join_element_wise(digits, pc.cast(pa.array(high), pa.string()), " to ")
    text = pc.if_else(pa.array(q == _RANGE), range_text, text)
    only = pc.binary_join_element_wise(pa.scalar("only "), digits, "")
    text = pc.if_else(pa.array(is_counter), only, text)
    count = _struct(
        SCHEMAS["claims"].field("count").type,
        [
            _dict(q, _QUALIFIERS, no_count),
            _dict(unit, _UNITS, no_count),
            pa.array(value, mask=(value < 0) | no_count),
            pa.array(low, mask=(low < 0) | no_count),
            pa.array(high, mask=(high < 0) | no_count),
            pc.if_else(pa.array(no_count), pa.scalar(None, pa.string()), text),
        ],
        no_count,
    )

    # former parties: none for totals and counter-claims; 5% joint rows
    parties = [*PARTIES, FLOOR_PARTY]
    first = rng.integers(0, len(PARTIES), size=n)[same_event]
    second = ((first + 1 + rng.integers(0, len(PARTIES) - 1, size=n)) % len(PARTIES))[same_event]
    joint = (rng.random(n) < 0.05)[same_event] & ~floor_party
    first[floor_party] = len(PARTIES)
    lengths = np.where(is_total | is_counter, 0, np.where(joint, 2, 1)).astype(np.int32)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    flat = np.zeros(int(offsets[-1]), dtype=np.int64)
    flat[offsets[:-1][lengths >= 1]] = first[lengths >= 1]
    flat[offsets[:-1][lengths == 2] + 1] = second[lengths == 2]
    strings_type = SCHEMAS["claims"].field("from_party_ids").type
    from_party = _lists(lengths, _strings(parties, flat), strings_type)
    no_items = _lists(np.zeros(n, dtype=np.int32), pa.array([], pa.string()), strings_type)

    # dates: day precision, 2017 or 2023, day of year < 300 (so +41 days stays in year)
    year = np.where(rng.random(n) < 0.2, _Y2017, _Y2023)
    year[pos == 36] = _Y2017
    year[floor_party] = _Y2023
    day = (year + rng.integers(0, 300, size=n))[same_day]
    later = rng.integers(1, 6, size=n)
    has_period = np.isin(pos, (90, 91, 92, 93, 94))
    month = day.astype("datetime64[D]").astype("datetime64[M]")
    month_first = month.astype("datetime64[D]").astype(np.int64)
    one_month, one_day = np.timedelta64(1, "M"), np.timedelta64(1, "D")
    month_last = ((month + one_month).astype("datetime64[D]") - one_day).astype(np.int64)
    p_precision = np.select([pos == 90, pos == 91], [2, 1], 0)
    p_start = np.where(pos == 91, month_first, day)
    p_end = np.select([pos == 90, pos == 91], [day + 40, month_last], day)
    shift = np.select([pos == 90, np.isin(pos, (92, 93, 94))], [41, later], 0)
    date_type = SCHEMAS["claims"].field("reported").type
    period = _date_struct(date_type, p_precision, p_start, p_end, ~has_period)
    reported = _date_struct(date_type, np.zeros(n), day + shift, day + shift)

    # links: always to an earlier row of the block
    ids = _numbered("c", row, 9)
    overlap_type = SCHEMAS["claims"].field("may_overlap").type
    linked_rows = row[is_linked]
    links = _struct(
        overlap_type.value_type,
        [
            ids.take(pa.array(linked_rows - 1)),
            _strings(["same day and party: may count the same people"], linked_rows * 0),
        ],
    )
    suffixes = _strings(["-a", "-b", "-c", "-d"], np.maximum(event_group, 0))
    columns: dict[str, Any] = {
        "id": ids,
        "kind": _dict(np.select([is_total, is_counter], [1, 2], 0), _KINDS),
        "claimant": claimant,
        "evidence": _evidence(n, 1 + row % 136, "synthetic row"),
        "count": count,
        "from_party_ids": from_party,
        "to_party_id": _strings(["cambodian-peoples-party"], row * 0, is_counter),
        "person_ids": no_items,
        "period": period,
        "reported": reported,
        "cited_source_id": pa.nulls(n, pa.string()),
        "part_of": ids.take(pa.array(start, mask=~is_item)),
        "subset_of": ids.take(pa.array(row - 1, mask=~is_subset)),
        "may_overlap": _lists(is_linked.astype(np.int32), links, overlap_type),
        "disputed_by": _lists(
            is_disputed.astype(np.int32), ids.take(pa.array(row[is_disputed] - 1)), strings_type
        ),
        "event_id": pc.if_else(
            pa.array(in_event), _numbered("ev-", block, 7, suffixes), pa.scalar(None, pa.string())
        ),
        "place": pa.nulls(n, SCHEMAS["claims"].field("place").type),
        "label": pa.nulls(n, pa.string()),
        "note": pa.nulls(n, pa.string()),
    }
    schema = SCHEMAS["claims"]
    claims = pa.table([columns[f.name] for f in schema], schema=schema)

    # events: one per (block, event) that some row reports, dated by its first row
    event_no = block * _EVENTS_PER_BLOCK + event_group
    used, first_index = np.unique(event_no[in_event], return_index=True)
    first_row = row[in_event][first_index]
    e_block, e_group = used // _EVENTS_PER_BLOCK, used % _EVENTS_PER_BLOCK
    m = len(used)
    no_place = e_block % 5 == 4
    place_no = e_block % len(_PLACES)
    events_schema = SCHEMAS["events"]
    event_columns: dict[str, Any] = {
        "id": _numbered("ev-", e_block, 7, _strings(["-a", "-b", "-c", "-d"], e_group)),
        "kind": _dict(np.where(e_group == 1, 1, 0), _EVENT_KINDS),
        "evidence": _evidence(m, 1 + e_block % 136, "synthetic event"),
        "date": _date_struct(
            events_schema.field("date").type, np.zeros(m), day[first_row], day[first_row]
        ),
        "place": _struct(
            events_schema.field("place").type,
            [
                _strings([t for t, _ in _PLACES], place_no, no_place),
                _strings([p for _, p in _PLACES], place_no, no_place),
            ],
            no_place,
        ),
        "note": pa.nulls(m, pa.string()),
    }
    events = pa.table([event_columns[f.name] for f in events_schema], schema=events_schema)
    return {"claims": claims, "events": events}


def synthetic_claims(n: int, seed: int = 7, *, claimants: int = 4) -> pa.Table:
    """``n`` claims with the ``claims`` schema (see the module docstring)."""
    return synthetic_tables(n, seed, claimants=claimants)["claims"]


def synthetic_dataset(n: int, seed: int = 7, *, claimants: int = 4) -> cd.Dataset:
    """The bundled parties, persons and sources with ``n`` synthetic claims and their
    events (the bundled events are left out: no synthetic claim reports them)."""
    real = cd.load()
    made = synthetic_tables(n, seed, claimants=claimants)
    tables = {
        "parties": real.parties,
        "persons": real.persons,
        "sources": real.sources,
        "events": made["events"],
        "claims": made["claims"],
    }
    return cd.Dataset(real.manifest, tables)
