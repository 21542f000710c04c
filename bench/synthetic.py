"""A synthetic claims table with the real Arrow schema, at any size, built vectorized.

Used by the aggregation benchmark. Rows mimic the bundled data's shape: mostly
single-party defection rows with exact counts, some joint rows, some totals with
``part_of`` items, imprecise counts (more than, approximate, vague), dates at day and
month precision across 2017 and 2023, and a handful of claimants.

Example::

    from bench.synthetic import synthetic_dataset
    ds = synthetic_dataset(10_000)
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa

import cambodefect as cd
from cambodefect.schema import SCHEMAS

_PARTIES = [
    "candlelight-party",
    "cambodia-national-rescue-party",
    "funcinpec",
    "grassroots-democracy-party",
    "khmer-win-party",
    "unnamed-parties",
    "political-analyst",
]
_CLAIMANTS = ["fresh-news", "sok-eysan", "ork-kimhan", "kimsour-phirith"]
_SOURCE = "voa-pro-government-media-claims"


def _arr(values: Any, **kw: Any) -> pa.Array:
    """pa.array, combined into one chunk (numpy string arrays may come back chunked)."""
    out = pa.array(values, **kw)
    return out.combine_chunks() if isinstance(out, pa.ChunkedArray) else out


def _dict(values: np.ndarray, labels: list[str]) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(
        pa.array(values.astype(np.int8)), pa.array(labels, pa.string())
    )


def synthetic_claims(n: int, seed: int = 7) -> pa.Table:
    """``n`` claims with the ``claims`` schema (row 0 of every 100 is a stated total)."""
    rng = np.random.default_rng(seed)
    ids = _arr(np.char.add("c", np.arange(n).astype(str)))
    is_total = (np.arange(n) % 100) == 0
    kind = _dict(np.where(is_total, 1, 0), ["defection", "total"])
    who = rng.choice(len(_CLAIMANTS), size=n, p=[0.85, 0.05, 0.05, 0.05])
    claimant = pa.StructArray.from_arrays(
        [
            _dict(np.where(who == 0, 0, 1), ["organization", "person"]),
            _dict(
                np.where(who == 0, 0, np.where(who == 3, 2, 1)),
                ["government_aligned", "ruling_party", "opposition"],
            ),
            _arr(np.array(_CLAIMANTS)[who]),
            pa.nulls(n, pa.string()),
        ],
        fields=list(SCHEMAS["claims"].field("claimant").type),
    )
    ev_type = SCHEMAS["claims"].field("evidence").type
    evidence_struct = pa.StructArray.from_arrays(
        [
            _arr(np.full(n, _SOURCE)),
            pa.array(rng.integers(1, 137, size=n).astype(np.int32)),
            _arr(np.full(n, "synthetic row")),
        ],
        fields=list(ev_type.value_type),
    )
    evidence = pa.ListArray.from_arrays(
        pa.array(np.arange(n + 1, dtype=np.int32)), evidence_struct, type=ev_type
    )
    q = rng.choice(4, size=n, p=[0.9, 0.04, 0.03, 0.03])  # exact, more_than, approximate, vague
    raw = rng.integers(1, 1000, size=n)
    value = np.where((q == 0) | (q == 2), raw, 0)
    low = np.where(q == 0, raw, np.where(q == 1, raw + 1, 0))
    count = pa.StructArray.from_arrays(
        [
            _dict(q, ["exact", "more_than", "approximate", "vague"]),
            _dict(np.zeros(n), ["persons"]),
            pa.array(value, mask=~((q == 0) | (q == 2))),
            pa.array(low, mask=~((q == 0) | (q == 1))),
            pa.array(raw, mask=q != 0),
            _arr(raw.astype(str)),
        ],
        fields=list(SCHEMAS["claims"].field("count").type),
    )
    joint = rng.random(n) < 0.05
    first = rng.integers(0, len(_PARTIES), size=n)
    second = (first + 1 + rng.integers(0, len(_PARTIES) - 1, size=n)) % len(_PARTIES)
    lengths = np.where(is_total, 0, np.where(joint, 2, 1))
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    flat = np.empty(offsets[-1], dtype=object)
    starts = offsets[:-1]
    names = np.array(_PARTIES, dtype=object)
    single = lengths >= 1
    flat[starts[single]] = names[first[single]]
    flat[starts[joint & ~is_total] + 1] = names[second[joint & ~is_total]]
    strings = SCHEMAS["claims"].field("from_party_ids").type
    from_party = pa.ListArray.from_arrays(
        pa.array(offsets), pa.array(flat, pa.string()), type=strings
    )
    empty = pa.ListArray.from_arrays(
        pa.array(np.zeros(n + 1, dtype=np.int32)), pa.array([], pa.string()), type=strings
    )
    base = np.where(
        rng.random(n) < 0.2,
        (date(2017, 1, 1) - date(1970, 1, 1)).days,
        (date(2023, 1, 1) - date(1970, 1, 1)).days,
    )
    day = base + rng.integers(0, 365, size=n)
    date_type = SCHEMAS["claims"].field("reported").type
    reported = pa.StructArray.from_arrays(
        [
            _dict(np.zeros(n), ["day"]),
            pa.array(day.astype(np.int32)).cast(pa.date32()),
            pa.array(day.astype(np.int32)).cast(pa.date32()),
            pa.nulls(n, pa.string()),
            pa.array(np.zeros(n, dtype=bool)),
        ],
        fields=list(date_type),
    )
    # every non-total row is an item of the nearest total before it
    parent_index = (np.arange(n) // 100) * 100
    part_of = _arr(np.char.add("c", parent_index.astype(str)), mask=is_total)
    columns = {
        "id": ids,
        "kind": kind,
        "claimant": claimant,
        "evidence": evidence,
        "count": count,
        "from_party_ids": from_party,
        "to_party_id": _arr(np.full(n, "cambodian-peoples-party")),
        "person_ids": empty,
        "period": pa.nulls(n, date_type),
        "reported": reported,
        "cited_source_id": pa.nulls(n, pa.string()),
        "part_of": part_of,
        "disputed_by": empty,
        "label": pa.nulls(n, pa.string()),
        "note": pa.nulls(n, pa.string()),
    }
    return pa.table(columns, schema=SCHEMAS["claims"])


def synthetic_dataset(n: int, seed: int = 7) -> cd.Dataset:
    """The bundled parties, persons and sources with ``n`` synthetic claims."""
    real = cd.load()
    tables = {
        "parties": real.parties,
        "persons": real.persons,
        "sources": real.sources,
        "claims": synthetic_claims(n, seed),
    }
    return cd.Dataset(real.manifest, tables)
