"""Benchmark: aggregation on synthetic claims, against DuckDB and Polars doing the same work.

Run from the repository root (needs the bench tools: ``pip install '.[bench]'`` and
matplotlib)::

    python bench/bench_aggregate.py                          # 100k, 1M and 10M claims
    python bench/bench_aggregate.py --sizes 100000,1000000   # fewer sizes
    python bench/bench_aggregate.py --quick                  # 100k only, fewer repeats

Prints Markdown tables; docs/benchmarks.md records the figures. The data are
``bench/synthetic.py``'s: claims laid out so that every counting rule applies
(stated totals with their items, subsets, several reports of one event, possible
overlaps, imprecise counts, joint rows, several claimants).

The references (DuckDB SQL and Polars lazy queries, below) implement the counting
rules of :mod:`cambodefect.aggregate` themselves: a total is dropped when its items
are selected, a subset when its superset is, all but the best report of an event, the
worse claim of each possible-overlap pair widens ``upper`` only, and a dropped subset
or report still holds ``upper`` up to its figure. Before anything is timed, every
engine's result is checked value for value against cambodefect's (same groups; the
columns ``claims``, ``overlapping``, ``count_sum``, ``unvalued``, ``lower``, ``upper``,
nulls included). The references are exact on data that meet
:func:`reference_assumptions` (one-level ``part_of`` and ``subset_of`` links, disjoint
overlap pairs of plain claims, IDs in row order), which is checked too. The two
references settle the possible overlaps differently (DuckDB: a window over each
disjoint pair; Polars: a join of each claim to its partner and a comparison), so they
check each other as well as the library. The counter-claim rule (rule 4) applies to
pooled claimants only and is not exercised: the queries use default arguments.
tests/test_bench_references.py runs the same check on 5,000 claims, and shows that
leaving any one rule out of the DuckDB reference changes its result.

What is timed (each section's heading says it again):

1. Per query (``by_party``, ``by_period("month")``, ``by_event``) and size: wall time of
   one call, best of N, the three engines alternated within every repeat. Like with
   like: the synthetic Arrow tables are in memory; DuckDB's connection is created and
   the tables registered before timing, Polars' ``pl.from_arrow`` is done once before
   timing and the lazy plan built before timing (only ``collect()`` is timed).
   cambodefect is timed from the dataset (its ``claims_frame`` included: that is part
   of every call).
2. Peak RSS of one call per engine and query, each in a fresh process on
   memory-mapped IPC files of the synthetic tables: the RSS once the tables are mapped
   and the engine set up, and the peak during the call (``ru_maxrss``, after resetting
   the peak through ``/proc/self/clear_refs``; the process is started by a small shell,
   since Linux carries the peak across ``exec``), beside the tables' size.
3. ``reconcile`` at 1M claims against a DuckDB join and group-by doing the same thing
   (each total against the sum of its ``part_of`` items): time and peak RSS.
4. ``plot.timeline(ds)`` at 1M claims against one ``by_period`` call, and
   ``cumulative`` at a fixed number of claims with 40, 400 and 4,000 claimants.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import cambodefect as cd  # noqa: E402
from bench.synthetic import BLOCK, synthetic_tables  # noqa: E402
from cambodefect import aggregate as ag  # noqa: E402

# -- the counting rules, written again --------------------------------------------------

PRECISION: dict[str, int] = {
    "exact": 0,
    "range": 1,
    "approximate": 2,
    "at_least": 3,
    "more_than": 3,
    "fewer_than": 4,
    "vague": 5,
}
"""How precisely a count is stated, best first (the report of an event that is kept)."""
NO_COUNT = 6
"""The precision rank of a claim with no count (after every qualifier)."""
GOVERNMENT_SIDE = ("government_aligned", "ruling_party")
COUNTER_KINDS = ("dispute", "refusal")
SIDES = ("claimed", "counter", "other")

GROUP_COLUMNS = ("claims", "overlapping", "count_sum", "unvalued", "lower", "upper")
"""The columns of a ``by_*`` result compared value for value."""
EVENT_COLUMNS = (
    "event_kind",
    "date_start",
    "date_end",
    "province",
    "place",
    "claims",
    "claimed",
    "claimed_by",
    "claimed_high",
    "counter",
    "counter_by",
    "counter_low",
    "other",
    "other_by",
    "ratio",
    "contested",
)
"""The columns of ``by_event`` compared (lists as sorted lists)."""
RECONCILE_COLUMNS = (
    "claimant",
    "stated_text",
    "stated_qualifier",
    "stated_value",
    "stated_low",
    "stated_high",
    "items",
    "counted_items",
    "items_sum",
    "items_lower",
    "difference",
    "status",
)

# -- DuckDB ---------------------------------------------------------------------------

_PRECISION_SQL = (
    "CASE {q} "
    + " ".join(f"WHEN '{name}' THEN {rank}" for name, rank in PRECISION.items())
    + f" ELSE {NO_COUNT} END"
)


def _rank_sql(t: str, itemized: str) -> str:
    """The report rank (lower kept first): itemized, then precision, then named people."""
    precision = _PRECISION_SQL.format(q=f"{t}.qualifier")
    return (
        f"(CASE WHEN {itemized} THEN 0 ELSE 1 END) * 1000000000"
        f" + ({precision}) * 1000000 - least({t}.persons, 999999)"
    )


_FLAT_SQL = """
flat AS (
    SELECT
        id,
        CAST(kind AS VARCHAR) AS kind,
        coalesce(claimant.id, claimant.label) AS claimant,
        CAST(claimant.alignment AS VARCHAR) AS alignment,
        CAST("count".qualifier AS VARCHAR) AS qualifier,
        CAST("count".unit AS VARCHAR) AS unit,
        "count".value AS value,
        "count".low AS low,
        "count".high AS high,
        "count".text AS count_text,
        CASE WHEN period IS NOT NULL THEN period.start ELSE reported.start END AS date_start,
        CASE WHEN period IS NOT NULL THEN period."end" ELSE reported."end" END AS date_end,
        CASE WHEN len(from_party_ids) > 0
             THEN array_to_string(list_sort(from_party_ids), '+') END AS party_key,
        CASE WHEN len(person_ids) > 0
             THEN array_to_string(list_sort(person_ids), '+') END AS persons_key,
        len(person_ids) AS persons,
        part_of, subset_of, event_id, may_overlap, disputed_by
    FROM claims
)"""

_RULES_SQL = f"""
sel AS (SELECT * FROM flat WHERE kind IN ('defection', 'total')),
-- rule 1: a selected total with a selected item of its claimant is dropped (its items
-- stand for it, and it puts no floor under upper)
targets AS (SELECT DISTINCT part_of AS id FROM flat WHERE part_of IS NOT NULL),
broken AS (SELECT DISTINCT part_of AS id, claimant FROM sel WHERE part_of IS NOT NULL),
step2 AS (
    SELECT s.*,
        b.id IS NOT NULL AS breakdown,
        -- rule 2: a subset of a selected claim of its claimant is dropped
        b.id IS NOT NULL OR u.id IS NOT NULL AS dropped,
        {_rank_sql("s", "s.part_of IS NOT NULL OR t.id IS NOT NULL")} AS rank
    FROM sel s
    LEFT JOIN broken b ON b.id = s.id AND b.claimant = s.claimant
    LEFT JOIN sel u ON u.id = s.subset_of AND u.claimant = s.claimant
    LEFT JOIN targets t ON t.id = s.id
),
-- rule 3: of the counted reports of one event (same claimant, unit, parties, persons),
-- the best ranked is kept
duplicates AS (
    SELECT id FROM (
        SELECT id, row_number() OVER (
            PARTITION BY claimant, event_id, unit, party_key, persons_key ORDER BY rank, id
        ) AS k
        FROM step2 WHERE NOT dropped AND event_id IS NOT NULL
    ) WHERE k > 1
),
step3 AS (
    SELECT s.* REPLACE (s.dropped OR d.id IS NOT NULL AS dropped)
    FROM step2 s LEFT JOIN duplicates d ON d.id = s.id
),
-- rule 5: of two counted claims of one claimant that may overlap, the one ordered
-- second (itemized first, then the larger figure, then the rank, then row order)
-- widens upper only. "Itemized" is as documented: part of a breakdown, or a claim whose
-- items are linked too. (The library reads it off the rank, ``rank // 10**9``, which
-- also takes a non-itemized exact claim naming persons for itemized; the synthetic
-- claims name no persons, so the two agree here.)
declared AS (
    SELECT a, link.claim_id AS b
    FROM (SELECT id AS a, unnest(may_overlap) AS link FROM flat WHERE len(may_overlap) > 0)
),
links AS (SELECT a, b FROM declared UNION SELECT b, a FROM declared),
linked AS (SELECT * FROM step3 WHERE NOT dropped AND id IN (SELECT a FROM links)),
linked_totals AS (SELECT DISTINCT part_of AS id FROM linked WHERE part_of IS NOT NULL),
ordered AS (
    SELECT l.id, l.claimant,
        CASE WHEN l.part_of IS NOT NULL OR t.id IS NOT NULL THEN 0 ELSE 1 END AS last,
        -coalesce(l.low, l.value, 0) AS neg_figure,
        {_rank_sql("l", "l.part_of IS NOT NULL OR t.id IS NOT NULL")} AS rank
    FROM linked l LEFT JOIN linked_totals t ON t.id = l.id
),
-- (pairs are disjoint: the second of a pair whose two claims are counted and share a
-- claimant is the secondary one)
pairs AS (
    SELECT o.*, least(o.id, k.b) || ' ' || greatest(o.id, k.b) AS pair
    FROM ordered o JOIN links k ON k.a = o.id
),
secondary AS (
    SELECT id FROM (
        SELECT id, count(*) OVER w AS members,
            row_number() OVER (w ORDER BY last, neg_figure, rank, id) AS k
        FROM pairs WINDOW w AS (PARTITION BY pair, claimant)
    ) WHERE members = 2 AND k = 2
),
contrib AS (
    SELECT s.*,
        CASE WHEN s.dropped THEN 'dropped' WHEN x.id IS NOT NULL THEN 'overlap'
             ELSE 'counted' END AS role
    FROM step3 s LEFT JOIN secondary x ON x.id = s.id
)"""  # noqa: S608  # fixed text: no value is spliced in

_GROUP_SQL = """
SELECT {keys}, unit,
    CAST(sum(CASE WHEN role = 'counted' THEN 1 ELSE 0 END) AS BIGINT) AS claims,
    CAST(sum(CASE WHEN role = 'overlap' THEN 1 ELSE 0 END) AS BIGINT) AS overlapping,
    CASE WHEN unit = 'percent'
              OR NOT bool_or(role = 'counted' AND (value IS NOT NULL OR low IS NOT NULL))
         THEN NULL
         ELSE CAST(sum(CASE WHEN role = 'counted' THEN coalesce(value, low, 0) ELSE 0 END)
                   AS BIGINT) END AS count_sum,
    CAST(sum(CASE WHEN role = 'counted' AND value IS NULL THEN 1 ELSE 0 END) AS BIGINT)
        AS unvalued,
    CASE WHEN unit = 'percent' THEN NULL
         ELSE CAST(sum(CASE WHEN role = 'counted' THEN coalesce(low, 0) ELSE 0 END) AS BIGINT)
         END AS "lower",
    -- a dropped subset or event report (not a total dropped for its items) still holds
    -- upper up to its figure
    CASE WHEN unit = 'percent' OR bool_or(role <> 'dropped' AND high IS NULL) THEN NULL
         ELSE CAST(greatest(
             sum(CASE WHEN role <> 'dropped' THEN coalesce(high, 0) ELSE 0 END),
             coalesce(max(CASE WHEN NOT breakdown THEN coalesce(low, value) END), 0))
             AS BIGINT) END AS "upper"
FROM {source}
GROUP BY {keys}, unit
HAVING sum(CASE WHEN role <> 'dropped' THEN 1 ELSE 0 END) > 0
ORDER BY {keys}, unit
"""

DUCK_BY_PARTY = f"WITH {_FLAT_SQL},{_RULES_SQL}" + _GROUP_SQL.format(
    keys="claimant, party_key", source="contrib"
)
"""``by_party(ds)`` in DuckDB SQL (groups: claimant, joint party key, unit)."""

DUCK_BY_PERIOD = f"WITH {_FLAT_SQL},{_RULES_SQL}" + _GROUP_SQL.format(  # noqa: S608
    keys="claimant, period",
    source="""(
    SELECT *, CASE WHEN date_trunc('month', date_start) = date_trunc('month', date_end)
                   THEN CAST(date_trunc('month', date_start) AS DATE) END AS period
    FROM contrib)""",
)
"""``by_period(ds, "month")`` in DuckDB SQL: a claim's month is that of its date (its
period, else the date reported) where the date lies in one month, else null."""

DUCK_BY_EVENT = f"""
WITH {_FLAT_SQL},
picked AS (SELECT * FROM flat WHERE event_id IS NOT NULL),
disputing AS (SELECT DISTINCT unnest(disputed_by) AS id FROM picked),
sided AS (
    SELECT p.event_id, p.claimant,
        coalesce(p.value, p.low) AS best,
        coalesce(p.count_text, '(no figure)') AS text,
        CASE WHEN p.kind IN {COUNTER_KINDS} OR d.id IS NOT NULL THEN 'counter'
             WHEN p.alignment IN {GOVERNMENT_SIDE} THEN 'claimed'
             ELSE 'other' END AS side
    FROM picked p LEFT JOIN disputing d ON d.id = p.id
),
per_event AS (
    SELECT event_id, CAST(count(*) AS BIGINT) AS claims,
        {
    ", ".join(
        f"coalesce(list_sort(list(text) FILTER (WHERE side = '{s}')), []::VARCHAR[]) AS {s}, "
        f"coalesce(list_sort(list(DISTINCT claimant) FILTER (WHERE side = '{s}')), "
        f"[]::VARCHAR[]) AS {s}_by"
        for s in SIDES
    )
},
        max(best) FILTER (WHERE side = 'claimed') AS claimed_high,
        min(best) FILTER (WHERE side = 'counter') AS counter_low
    FROM sided GROUP BY event_id
)
SELECT g.event_id, CAST(e.kind AS VARCHAR) AS event_kind,
    e.date.start AS date_start, e.date."end" AS date_end,
    e.place.province AS province, e.place.text AS place,
    g.claims, g.claimed, g.claimed_by, g.claimed_high, g.counter, g.counter_by, g.counter_low,
    g.other, g.other_by,
    CASE WHEN g.claimed_high IS NOT NULL AND g.counter_low > 0
         THEN CAST(g.claimed_high AS DOUBLE) / g.counter_low END AS ratio,
    len(g.counter) > 0 AS contested
FROM per_event g JOIN events e ON e.id = g.event_id
ORDER BY date_start, event_id
"""  # noqa: S608
"""``by_event(ds)`` in DuckDB SQL: per event, the claimed side's figures beside the
counter-claims' (never summed)."""

DUCK_RECONCILE = f"""
WITH {_FLAT_SQL},
kids AS (
    SELECT k.part_of, k.qualifier, k.value, k.low,
        k.qualifier IS NOT NULL AND NOT coalesce(k.unit <> p.unit, false) AS counted
    FROM flat k JOIN flat p ON p.id = k.part_of
),
sums AS (
    SELECT part_of AS id,
        count(*) AS items,
        sum(CASE WHEN counted THEN 1 ELSE 0 END) AS counted_items,
        sum(CASE WHEN counted AND value IS NOT NULL THEN 1 ELSE 0 END) AS valued,
        sum(CASE WHEN counted THEN value END) AS value_sum,
        sum(CASE WHEN counted THEN coalesce(low, 0) ELSE 0 END) AS items_lower,
        sum(CASE WHEN counted AND qualifier <> 'exact' THEN 1 ELSE 0 END) AS inexact,
        sum(CASE WHEN counted THEN 0 ELSE 1 END) AS excluded
    FROM kids GROUP BY part_of
),
compared AS (
    SELECT s.*, p.claimant, p.count_text AS stated_text, p.qualifier AS stated_qualifier,
        p.value AS stated_value, p.low AS stated_low, p.high AS stated_high,
        CASE WHEN s.valued > 0 THEN s.value_sum END AS items_sum
    FROM sums s JOIN flat p ON p.id = s.id
),
differences AS (
    SELECT *,
        CASE WHEN coalesce(stated_qualifier = 'exact', false) AND inexact = 0
                  AND excluded = 0 AND items_sum IS NOT NULL
             THEN stated_value - items_sum END AS difference
    FROM compared
)
SELECT id, claimant, stated_text, stated_qualifier, stated_value, stated_low, stated_high,
    CAST(items AS BIGINT) AS items, CAST(counted_items AS BIGINT) AS counted_items,
    CAST(items_sum AS BIGINT) AS items_sum, CAST(items_lower AS BIGINT) AS items_lower,
    CAST(difference AS BIGINT) AS difference,
    CASE WHEN difference = 0 THEN 'match'
         WHEN difference IS NOT NULL THEN 'mismatch'
         WHEN counted_items = 0 OR stated_qualifier IS NULL THEN 'not comparable'
         WHEN items_lower > CASE WHEN stated_qualifier = 'approximate' THEN NULL
                                 ELSE stated_high END THEN 'contradiction'
         ELSE 'consistent' END AS status
FROM differences
ORDER BY id
"""  # noqa: S608
"""``reconcile(ds)`` in DuckDB SQL: each stated total against the sum of its items."""


def duck_connect(tables: Mapping[str, pa.Table]) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the ``claims`` and ``events`` tables registered (any
    spill goes to the system's temporary directory, not the working directory)."""
    con = duckdb.connect()
    con.execute("SET temp_directory = ?", [os.path.join(tempfile.gettempdir(), "duckdb-bench")])
    # give freed memory back to the system within a second, as Polars' allocator does,
    # instead of keeping it for the next query (with all engines in one process at 10M
    # claims, kept memory adds up to the machine's)
    con.execute("SET allocator_background_threads = true")
    for name in ("claims", "events"):
        con.register(name, tables[name])
    return con


def _duck_run(con: duckdb.DuckDBPyConnection, sql: str) -> pa.Table:
    return con.sql(sql).to_arrow_table()


def duck_by_party(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """``by_party(ds)`` (default arguments) in DuckDB."""
    return con.sql(DUCK_BY_PARTY).to_arrow_table()


def duck_by_period(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """``by_period(ds, "month")`` in DuckDB."""
    return con.sql(DUCK_BY_PERIOD).to_arrow_table()


def duck_by_event(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """``by_event(ds)`` in DuckDB."""
    return con.sql(DUCK_BY_EVENT).to_arrow_table()


def duck_reconcile(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """``reconcile(ds)`` in DuckDB."""
    return con.sql(DUCK_RECONCILE).to_arrow_table()


# -- Polars ---------------------------------------------------------------------------

c = pl.col


def _pl_joint(column: str) -> pl.Expr:
    """IDs sorted and joined with ``+``; null for an empty list."""
    ids = c(column)
    return pl.when(ids.list.len() > 0).then(ids.list.sort().list.join("+"))


def _pl_flat(lf: pl.LazyFrame) -> pl.LazyFrame:
    claimant, count = c("claimant"), c("count")
    has_period = c("period").is_not_null()

    def date(end: str) -> pl.Expr:
        return (
            pl.when(has_period)
            .then(c("period").struct.field(end))
            .otherwise(c("reported").struct.field(end))
        )

    return lf.select(
        c("id"),
        c("kind").cast(pl.String),
        pl.coalesce(claimant.struct.field("id"), claimant.struct.field("label")).alias("claimant"),
        claimant.struct.field("alignment").cast(pl.String).alias("alignment"),
        count.struct.field("qualifier").cast(pl.String).alias("qualifier"),
        count.struct.field("unit").cast(pl.String).alias("unit"),
        count.struct.field("value").alias("value"),
        count.struct.field("low").alias("low"),
        count.struct.field("high").alias("high"),
        count.struct.field("text").alias("count_text"),
        date("start").alias("date_start"),
        date("end").alias("date_end"),
        _pl_joint("from_party_ids").alias("party_key"),
        _pl_joint("person_ids").alias("persons_key"),
        c("person_ids").list.len().cast(pl.Int64).alias("persons"),
        c("part_of"),
        c("subset_of"),
        c("event_id"),
        c("may_overlap"),
        c("disputed_by"),
    )


def _pl_rank(itemized: pl.Expr) -> pl.Expr:
    precision = (
        c("qualifier")
        .replace_strict(PRECISION, default=NO_COUNT, return_dtype=pl.Int64)
        .fill_null(NO_COUNT)
    )
    first = pl.when(itemized).then(pl.lit(0, pl.Int64)).otherwise(pl.lit(1, pl.Int64))
    persons = pl.min_horizontal(c("persons"), pl.lit(999_999, pl.Int64))
    return first * 1_000_000_000 + precision * 1_000_000 - persons


def _pl_roles(lf: pl.LazyFrame) -> pl.LazyFrame:
    """The selected claims with their ``role`` (counted, overlap, dropped) and whether
    they were dropped as a total standing for its items (``breakdown``)."""
    flat = _pl_flat(lf)
    sel = flat.filter(c("kind").is_in(["defection", "total"]))
    # rule 1: a selected total with a selected item of its claimant is dropped
    targets = flat.select(c("part_of").alias("id")).drop_nulls().unique()
    broken = sel.select(c("part_of").alias("id"), "claimant").drop_nulls().unique()
    # rule 2: a subset of a selected claim of its claimant is dropped
    supersets = sel.select(c("id").alias("subset_of"), "claimant")
    step2 = (
        sel.join(broken.with_columns(breakdown=pl.lit(True)), on=["id", "claimant"], how="left")
        .join(supersets.with_columns(subset=pl.lit(True)), on=["subset_of", "claimant"], how="left")
        .join(targets.with_columns(target=pl.lit(True)), on="id", how="left")
        .with_columns(
            breakdown=c("breakdown").fill_null(False),
            dropped=c("breakdown").fill_null(False) | c("subset").fill_null(False),
            rank=_pl_rank(c("part_of").is_not_null() | c("target").fill_null(False)),
        )
    )
    # rule 3: of the counted reports of one event, the best ranked (then first) is kept
    keys = ["claimant", "event_id", "unit", "party_key", "persons_key"]
    candidates = step2.filter(~c("dropped") & c("event_id").is_not_null())
    kept = candidates.group_by(keys).agg(c("id").sort_by(["rank", "id"]).first())
    duplicates = candidates.join(kept.select("id"), on="id", how="anti").select(
        "id", duplicate=pl.lit(True)
    )
    step3 = step2.join(duplicates, on="id", how="left").with_columns(
        dropped=c("dropped") | c("duplicate").fill_null(False)
    )
    # rule 5: of two counted claims of one claimant that may overlap, the one ordered
    # second widens upper only
    declared = (
        flat.filter(c("may_overlap").list.len() > 0)
        .select(c("id").alias("a"), c("may_overlap").alias("b"))
        .explode("b")
        .select("a", c("b").struct.field("claim_id").alias("b"))
    )
    links = pl.concat([declared, declared.select(a=c("b"), b=c("a"))]).unique()
    linked = step3.filter(~c("dropped")).join(
        links.select("a").unique(), left_on="id", right_on="a", how="semi"
    )
    has_items = linked.select(c("part_of").alias("id")).drop_nulls().unique()
    itemized = c("part_of").is_not_null() | c("has_items").fill_null(False)
    flagged = linked.join(has_items.with_columns(has_items=pl.lit(True)), on="id", how="left")
    ordered = flagged.select(
        "id",
        "claimant",
        pl.when(itemized).then(0).otherwise(1).alias("last"),
        (-pl.coalesce("low", "value", pl.lit(0, pl.Int64))).alias("neg_figure"),
        _pl_rank(itemized).alias("rank"),
    )
    partner = ordered.select(
        c("id").alias("b"),
        c("claimant").alias("p_claimant"),
        c("last").alias("p_last"),
        c("neg_figure").alias("p_neg_figure"),
        c("rank").alias("p_rank"),
    )
    earlier = (c("p_last") < c("last")) | (
        (c("p_last") == c("last"))
        & (
            (c("p_neg_figure") < c("neg_figure"))
            | (
                (c("p_neg_figure") == c("neg_figure"))
                & ((c("p_rank") < c("rank")) | ((c("p_rank") == c("rank")) & (c("b") < c("id"))))
            )
        )
    )
    secondary = (
        ordered.join(links, left_on="id", right_on="a")
        .join(partner, on="b")
        .filter((c("p_claimant") == c("claimant")) & earlier)
        .select("id")
        .unique()
        .with_columns(secondary=pl.lit(True))
    )
    role = (
        pl.when(c("dropped"))
        .then(pl.lit("dropped"))
        .when(c("secondary").fill_null(False))
        .then(pl.lit("overlap"))
        .otherwise(pl.lit("counted"))
    )
    return step3.join(secondary, on="id", how="left").with_columns(role=role)


def _pl_group(roles: pl.LazyFrame, keys: Sequence[str]) -> pl.LazyFrame:
    counted = c("role") == "counted"
    live = c("role") != "dropped"
    additive = (c("unit") != "percent").fill_null(True)
    zero = pl.lit(0, pl.Int64)
    return (
        roles.group_by([*keys, "unit"])
        .agg(
            claims=counted.sum().cast(pl.Int64),
            overlapping=(c("role") == "overlap").sum().cast(pl.Int64),
            live=live.sum(),
            best=pl.when(counted).then(pl.coalesce("value", "low", zero)).otherwise(zero).sum(),
            figure=(counted & (c("value").is_not_null() | c("low").is_not_null())).any(),
            unvalued=(counted & c("value").is_null()).sum().cast(pl.Int64),
            lower=pl.when(counted).then(c("low").fill_null(0)).otherwise(zero).sum(),
            upper_sum=pl.when(live).then(c("high").fill_null(0)).otherwise(zero).sum(),
            unbounded=(live & c("high").is_null()).any(),
            floor=pl.when(~c("breakdown")).then(pl.coalesce("low", "value")).max(),
        )
        .filter(c("live") > 0)
        .select(
            *keys,
            "unit",
            "claims",
            "overlapping",
            pl.when(additive & c("figure")).then(c("best")).alias("count_sum"),
            "unvalued",
            pl.when(additive).then(c("lower")).alias("lower"),
            pl.when(additive & ~c("unbounded"))
            .then(pl.max_horizontal("upper_sum", "floor"))
            .alias("upper"),
        )
        .sort([*keys, "unit"], nulls_last=True)
    )


def polars_by_party(lf: pl.LazyFrame) -> pl.LazyFrame:
    """``by_party(ds)`` (default arguments) as a Polars lazy query."""
    return _pl_group(_pl_roles(lf), ["claimant", "party_key"])


def polars_by_period(lf: pl.LazyFrame) -> pl.LazyFrame:
    """``by_period(ds, "month")`` as a Polars lazy query."""
    start, end = c("date_start").dt.truncate("1mo"), c("date_end").dt.truncate("1mo")
    roles = _pl_roles(lf).with_columns(period=pl.when(start == end).then(start))
    return _pl_group(roles, ["claimant", "period"])


def polars_by_event(lf: pl.LazyFrame, events: pl.LazyFrame) -> pl.LazyFrame:
    """``by_event(ds)`` as a Polars lazy query."""
    picked = _pl_flat(lf).filter(c("event_id").is_not_null())
    disputing = (
        picked.select(c("disputed_by").alias("id")).explode("id").drop_nulls().unique()
    ).with_columns(disputing=pl.lit(True))
    side = (
        pl.when(c("kind").is_in(COUNTER_KINDS) | c("disputing").fill_null(False))
        .then(pl.lit("counter"))
        .when(c("alignment").is_in(GOVERNMENT_SIDE))
        .then(pl.lit("claimed"))
        .otherwise(pl.lit("other"))
    )
    sided = picked.join(disputing, on="id", how="left").select(
        "event_id",
        "claimant",
        side.alias("side"),
        pl.coalesce("value", "low").alias("best"),
        c("count_text").fill_null("(no figure)").alias("text"),
    )
    lists: list[pl.Expr] = []
    for s in SIDES:
        on = c("side") == s
        lists += [
            c("text").filter(on).sort().alias(s),
            c("claimant").filter(on).unique().sort().alias(f"{s}_by"),
        ]
    per_event = sided.group_by("event_id").agg(
        pl.len().cast(pl.Int64).alias("claims"),
        *lists,
        c("best").filter(c("side") == "claimed").max().alias("claimed_high"),
        c("best").filter(c("side") == "counter").min().alias("counter_low"),
    )
    info = events.select(
        c("id").alias("event_id"),
        c("kind").cast(pl.String).alias("event_kind"),
        c("date").struct.field("start").alias("date_start"),
        c("date").struct.field("end").alias("date_end"),
        c("place").struct.field("province").alias("province"),
        c("place").struct.field("text").alias("place"),
    )
    usable = c("claimed_high").is_not_null() & (c("counter_low") > 0).fill_null(False)
    return (
        per_event.join(info, on="event_id")
        .select(
            "event_id",
            *EVENT_COLUMNS[:5],
            "claims",
            *(name for s in SIDES for name in (s, f"{s}_by")),
            "claimed_high",
            "counter_low",
            pl.when(usable)
            .then(c("claimed_high").cast(pl.Float64) / c("counter_low"))
            .alias("ratio"),
            (c("counter").list.len() > 0).alias("contested"),
        )
        .sort("date_start", "event_id")
    )


# -- checks -------------------------------------------------------------------------------


def reference_assumptions(claims: pa.Table) -> list[str]:
    """What, in ``claims``, the references above would not reproduce exactly (empty if
    nothing): chains of ``part_of`` or ``subset_of`` links (the references follow one
    level), a claim in several possible-overlap pairs or one that is also an item, a
    subset, a total or an event report (the library's greedy choice and its anchors
    are then more than "the worse of the pair"), IDs out of row order (the references
    break ties by ID where the library breaks them by row)."""
    problems: list[str] = []
    ids = claims.column("id").combine_chunks()
    if len(ids) > 1 and not pc.all(pc.less(ids.slice(0, len(ids) - 1), ids.slice(1))).as_py():
        problems.append("IDs are not in increasing row order")
    for link in ("part_of", "subset_of"):
        parent = claims.column(link).combine_chunks()
        row = pc.index_in(parent, ids)
        grand = parent.take(pc.drop_null(row))
        if pc.any(pc.is_valid(grand)).as_py():
            problems.append(f"{link} links more than one level deep")
    both = pc.and_(pc.is_valid(claims.column("part_of")), pc.is_valid(claims.column("subset_of")))
    if pc.any(both).as_py():
        problems.append("a claim is both part_of and subset_of another")
    links = claims.column("may_overlap").combine_chunks()
    owner = ids.take(pc.list_parent_indices(links))
    other = pc.struct_field(pc.list_flatten(links), "claim_id")
    members = pa.concat_arrays([owner, other])
    if len(pc.unique(members)) != len(members):
        problems.append("a claim is in more than one possible-overlap pair")
    featured = pa.concat_arrays(
        [
            ids.filter(pc.is_valid(claims.column("part_of")).combine_chunks()),
            ids.filter(pc.is_valid(claims.column("subset_of")).combine_chunks()),
            ids.filter(pc.is_valid(claims.column("event_id")).combine_chunks()),
            pc.drop_null(claims.column("part_of").combine_chunks()),
            pc.drop_null(claims.column("subset_of").combine_chunks()),
        ]
    )
    if pc.any(pc.is_in(members, featured)).as_py():
        problems.append("a possible-overlap claim is also an item, total, subset or event report")
    return problems


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(sorted(value, key=lambda v: (v is None, v)))
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    return value


def differences(
    ours: pa.Table, theirs: pa.Table | pl.DataFrame, keys: Sequence[str], columns: Sequence[str]
) -> list[str]:
    """Every difference between two results, group by group (keyed by ``keys``) and
    value by value over ``columns``, nulls included; lists compare as sorted lists."""
    other = theirs.to_arrow() if isinstance(theirs, pl.DataFrame) else theirs
    found: list[str] = []

    def rows(table: pa.Table, who: str) -> dict[tuple[Any, ...], tuple[Any, ...]]:
        missing = [k for k in (*keys, *columns) if k not in table.column_names]
        if missing:
            found.append(f"{who} has no column {missing}")
            return {}
        out: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        for r in table.select([*keys, *columns]).to_pylist():
            key = tuple(r[k] for k in keys)
            if key in out:
                found.append(f"{who}: group {key} appears twice")
            out[key] = tuple(_plain(r[k]) for k in columns)
        return out

    a, b = rows(ours, "cambodefect"), rows(other, "reference")
    for key in sorted(a.keys() | b.keys(), key=repr):
        if key not in b:
            found.append(f"{key}: only in cambodefect")
        elif key not in a:
            found.append(f"{key}: only in the reference")
        elif a[key] != b[key]:
            diff = [
                f"{col} {x!r} != {y!r}"
                for col, x, y in zip(columns, a[key], b[key], strict=True)
                if x != y
            ]
            found.append(f"{key}: " + ", ".join(diff))
    return found


def assert_same(
    what: str,
    ours: pa.Table,
    theirs: pa.Table | pl.DataFrame,
    keys: Sequence[str],
    columns: Sequence[str],
) -> None:
    """Raise AssertionError listing the first differences, if there are any."""
    found = differences(ours, theirs, keys, columns)
    if found:
        shown = "\n  ".join(found[:12])
        raise AssertionError(f"{what}: {len(found)} difference(s):\n  {shown}")


# -- the queries, per engine ---------------------------------------------------------------

Ours = Callable[[cd.Dataset], pa.Table]
PolarsQuery = Callable[[pl.LazyFrame, pl.LazyFrame], pl.LazyFrame]

QUERIES: dict[str, tuple[Ours, str, PolarsQuery | None, tuple[str, ...], tuple[str, ...]]] = {
    "by_party": (
        ag.by_party,
        DUCK_BY_PARTY,
        lambda lf, _events: polars_by_party(lf),
        ("claimant", "party_key", "unit"),
        GROUP_COLUMNS,
    ),
    'by_period("month")': (
        lambda ds: ag.by_period(ds, "month"),
        DUCK_BY_PERIOD,
        lambda lf, _events: polars_by_period(lf),
        ("claimant", "period", "unit"),
        GROUP_COLUMNS,
    ),
    "by_event": (ag.by_event, DUCK_BY_EVENT, polars_by_event, ("event_id",), EVENT_COLUMNS),
    "reconcile": (ag.reconcile, DUCK_RECONCILE, None, ("id",), RECONCILE_COLUMNS),
}
"""name -> (cambodefect call, DuckDB SQL, Polars query or None, keys, compared columns)."""


def dataset(tables: Mapping[str, pa.Table]) -> cd.Dataset:
    """The bundled parties, persons and sources with the synthetic claims and events."""
    real = cd.load()
    return cd.Dataset(
        real.manifest,
        {
            "parties": real.parties,
            "persons": real.persons,
            "sources": real.sources,
            "events": tables["events"],
            "claims": tables["claims"],
        },
    )


POLARS_COLUMNS = (
    "id",
    "kind",
    "claimant",
    "count",
    "from_party_ids",
    "person_ids",
    "period",
    "reported",
    "part_of",
    "subset_of",
    "may_overlap",
    "disputed_by",
    "event_id",
)
"""The claims columns the Polars references read (the only ones converted: DuckDB and
cambodefect read only what they need from the Arrow table too)."""


def polars_frames(tables: Mapping[str, pa.Table]) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """The claims and events as Polars lazy frames (converted from Arrow once)."""
    claims = pl.from_arrow(tables["claims"].select(list(POLARS_COLUMNS)))
    events = pl.from_arrow(tables["events"])
    assert isinstance(claims, pl.DataFrame) and isinstance(events, pl.DataFrame)
    return claims.lazy(), events.lazy()


def check_engines(tables: Mapping[str, pa.Table], names: Sequence[str] | None = None) -> None:
    """Run the queries on the three engines and assert they agree value for value (one
    engine at a time, so that only one engine's copy of the data is alive)."""
    problems = reference_assumptions(tables["claims"])
    assert not problems, f"the references would not be exact on these data: {problems}"
    chosen = list(names or QUERIES)
    ds = dataset(tables)
    ours = {name: QUERIES[name][0](ds) for name in chosen}
    del ds
    release(1.0)
    con = duck_connect(tables)
    for name in chosen:
        _fn, sql, _polars, keys, columns = QUERIES[name]
        assert_same(f"{name}: DuckDB", ours[name], _duck_run(con, sql), keys, columns)
    con.close()
    del con
    release(1.0)
    if any(QUERIES[name][2] is not None for name in chosen):
        lf, events = polars_frames(tables)
        for name in chosen:
            _fn, _sql, polars_fn, keys, columns = QUERIES[name]
            if polars_fn is not None:
                theirs = polars_fn(lf, events).collect()
                assert_same(f"{name}: Polars", ours[name], theirs, keys, columns)


# -- timing -----------------------------------------------------------------------------------


def release(pause: float = 0.0) -> None:
    """Hand freed memory back to the system (Python's, pyarrow's and, after ``pause``
    seconds, DuckDB's and Polars' allocators, which do it in the background), so that
    one engine's leftovers neither crowd nor slow the next."""
    gc.collect()
    pa.default_memory_pool().release_unused()
    if pause:
        time.sleep(pause)
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None).malloc_trim(0)  # glibc only


def best_of(fns: Sequence[Callable[[], object]], repeat: int) -> list[float]:
    """Best wall time of each function over ``repeat`` rounds; every round runs each
    function once, the order rotated from round to round (contenders alternated).
    Between calls (untimed) memory is released: :func:`release`."""
    best = [math.inf] * len(fns)
    for r in range(repeat):
        for k in range(len(fns)):
            i = (k + r) % len(fns)
            t0 = time.perf_counter()
            result = fns[i]()
            elapsed = time.perf_counter() - t0
            best[i] = min(best[i], elapsed)
            del result
            release(min(1.0, elapsed))
    return best


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.0f} ms" if seconds >= 0.01 else f"{seconds * 1e3:.1f} ms"


def _per(seconds: float, n: int) -> str:
    return f"{seconds / n * 1e9:,.0f} ns"


def _mb(nbytes: float) -> str:
    return f"{nbytes / 1e6:,.0f} MB"


def _on_new_dataset(fn: Callable[[cd.Dataset], object], ds: cd.Dataset) -> object:
    """``fn`` on a `Dataset` made afresh from ``ds``'s tables: nothing cached yet."""
    tables = {name: getattr(ds, name) for name in ("parties", "persons", "sources", "events")}
    return fn(cd.Dataset(ds.manifest, {**tables, "claims": ds.claims}))


def queries_section(sizes: Sequence[int], repeat: Callable[[int], int]) -> list[str]:
    out = [
        "### Per query: wall time of one call, best of N, engines alternated",
        "",
        "Each engine starts from the same in-memory Arrow tables; DuckDB's connection and",
        "registration and Polars' `pl.from_arrow` and plan are made before timing (their",
        "cost is listed under the table). Every result was first checked value for value",
        "against cambodefect's. cambodefect runs on one thread; DuckDB and Polars use all",
        f"{os.cpu_count()} cores. cambodefect keeps each dataset's claims frame and links",
        "once built (docs/decisions.md 31), so its best-of-N call is a warm one; the",
        '"new dataset" column times the same call on a `Dataset` made afresh from the same',
        "tables each time, so the frame and links are built inside the call, as DuckDB and",
        "Polars build everything inside theirs.",
        "",
        "| query | claims | N | cambodefect | DuckDB | Polars | cambodefect / faster "
        "| cambodefect, new dataset | new dataset / faster "
        "| per claim: cambodefect | DuckDB | Polars |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    setup: list[str] = []
    for n in sizes:
        tables = synthetic_tables(n)
        check_engines(tables, [q for q in QUERIES if q != "reconcile"])
        release(1.0)
        ds = dataset(tables)
        t0 = time.perf_counter()
        con = duck_connect(tables)
        t1 = time.perf_counter()
        lf, events = polars_frames(tables)
        t2 = time.perf_counter()
        setup.append(
            f"{n:,} claims: DuckDB connect and register {_ms(t1 - t0)}; "
            f"Polars `from_arrow` {_ms(t2 - t1)}"
        )
        for name, (ours_fn, sql, polars_fn, _keys, _cols) in QUERIES.items():
            if polars_fn is None:
                continue
            plan = polars_fn(lf, events)
            k = repeat(n)
            mine, duck, polars, fresh = best_of(
                [
                    partial(ours_fn, ds),
                    partial(_duck_run, con, sql),
                    plan.collect,
                    partial(_on_new_dataset, ours_fn, ds),
                ],
                k,
            )
            faster = min(duck, polars)
            out.append(
                f"| `{name}` | {n:,} | {k} | {_ms(mine)} | {_ms(duck)} | {_ms(polars)} | "
                f"{mine / faster:.2f}x | {_ms(fresh)} | {fresh / faster:.2f}x | "
                f"{_per(mine, n)} | {_per(duck, n)} | {_per(polars, n)} |"
            )
        del ds, con, lf, events, plan
        release(1.0)
    return [*out, "", "Set-up, not timed above: " + "; ".join(setup) + "."]


# -- memory: one call per fresh process ------------------------------------------------------


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _hwm() -> int:
    """This memory image's peak RSS (``VmHWM``: what the reset clears), in bytes."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return -1


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return False
    return True


def child(engine: str, query: str, claims_path: str, events_path: str) -> dict[str, Any]:
    """In a fresh process: map the tables, set the engine up, run one call; the RSS
    before it and the peak during it."""
    tables = {
        name: pa.ipc.open_file(pa.memory_map(path)).read_all()
        for name, path in (("claims", claims_path), ("events", events_path))
    }
    ours_fn, sql, polars_fn, _keys, _cols = QUERIES[query]
    run: Callable[[], object]
    if engine == "cambodefect":
        ds = dataset(tables)

        def run() -> object:
            return ours_fn(ds)
    elif engine == "DuckDB":
        con = duck_connect(tables)

        def run() -> object:
            return con.sql(sql).to_arrow_table()
    else:
        assert polars_fn is not None
        lf, events = polars_frames(tables)
        run = polars_fn(lf, events).collect
    release(1.0)
    base = _rss()
    reset = _reset_peak()
    t0 = time.perf_counter()
    result = run()
    elapsed = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    del result
    return {
        "base": base,
        "peak": peak,
        "hwm": _hwm(),
        "reset": reset,
        "seconds": elapsed,
        "size": tables["claims"].nbytes + tables["events"].nbytes,
        "pool": pa.default_memory_pool().max_memory(),
    }


def _write(table: pa.Table, path: str) -> None:
    with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def _measure(engine: str, query: str, paths: tuple[str, str]) -> dict[str, Any]:
    """Run :func:`child` in a fresh interpreter, started by a small shell.

    Linux carries a process's peak RSS across ``exec`` (``ru_maxrss`` starts at the
    peak of the memory image it replaces), so an interpreter forked straight from this
    large benchmark process would report this process's peak. The shell forks the
    interpreter from its own small image instead (``; exit`` keeps it from ``exec``-ing).
    """
    args = [sys.executable, str(Path(__file__).resolve()), "--child", engine, query, *paths]
    shell = ["/bin/sh", "-c", '"$@"; exit $?', "sh", *args]
    done = subprocess.run(shell, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise RuntimeError(f"{engine} {query} child failed:\n{done.stderr[-3000:]}")
    got: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return got


def memory_rows(n: int, queries: Sequence[str], engines: Sequence[str]) -> list[str]:
    rows: list[str] = []
    tables = synthetic_tables(n)
    with tempfile.TemporaryDirectory() as tmp:
        paths = (os.path.join(tmp, "claims.arrow"), os.path.join(tmp, "events.arrow"))
        _write(tables["claims"], paths[0])
        _write(tables["events"], paths[1])
        del tables
        release()
        for query in queries:
            for engine in engines:
                if engine == "Polars" and QUERIES[query][2] is None:
                    continue
                got = _measure(engine, query, paths)
                grew = got["peak"] - got["base"]
                pool = _mb(got["pool"]) if engine == "cambodefect" else "-"
                rows.append(
                    f"| `{query}` | {engine} | {n:,} | {_mb(got['size'])} | {_mb(got['base'])} | "
                    f"{_mb(got['peak'])} | {_mb(grew)} | {grew / got['size']:.2f}x | {pool} | "
                    f"{_ms(got['seconds'])} |"
                    + ("" if got["reset"] else " (peak not reset: includes set-up)")
                )
    return rows


_MEMORY_HEADER = [
    "| query | engine | claims | tables' size | RSS after set-up | peak RSS in the call "
    "| increase | increase / size | Arrow pool peak | that call's time |",
    "|---|---|---|---|---|---|---|---|---|---|",
]


def memory_section(sizes: Sequence[int]) -> list[str]:
    out = [
        "### Peak RSS of one call, each in a fresh process on memory-mapped IPC files",
        "",
        "RSS after set-up: the process once the tables are mapped and the engine is ready",
        "(Python, pyarrow, DuckDB and Polars imported in every process; DuckDB: tables",
        "registered; Polars: `pl.from_arrow` done, which copies the data). Peak: `ru_maxrss`",
        "during the call, the peak reset just before it. The increase includes the pages",
        "of the mapped files the call reads. Arrow pool peak: pyarrow's allocator only",
        "(`max_memory()`, cambodefect's rows; the rest of the increase is outside it).",
        "Time: that single, cold call.",
        "",
        *_MEMORY_HEADER,
    ]
    queries = [q for q in QUERIES if q != "reconcile"]
    for n in sizes:
        out += memory_rows(n, queries, ("cambodefect", "DuckDB", "Polars"))
    return out


# -- reconcile, timeline, cumulative ----------------------------------------------------------


def reconcile_section(n: int, repeat: int) -> list[str]:
    tables = synthetic_tables(n)
    check_engines(tables, ["reconcile"])
    ds, con = dataset(tables), duck_connect(tables)
    ours, duck = best_of([partial(ag.reconcile, ds), partial(duck_reconcile, con)], repeat)
    totals = ag.reconcile(ds).num_rows
    return [
        f"### `reconcile` at {n:,} claims ({totals:,} stated totals with items)",
        "",
        "Time: best of N, alternated, from in-memory tables (DuckDB registered before",
        "timing). Results checked value for value. Memory: as above, in fresh processes.",
        "",
        "| engine | N | time | vs DuckDB |",
        "|---|---|---|---|",
        f"| cambodefect `reconcile(ds)` | {repeat} | {_ms(ours)} | {ours / duck:.2f}x |",
        f"| DuckDB join + group-by | {repeat} | {_ms(duck)} | 1.00x |",
        "",
        *_MEMORY_HEADER,
        *memory_rows(n, ["reconcile"], ("cambodefect", "DuckDB")),
    ]


def timeline_section(n: int, repeat: int) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cambodefect import plot

    ds = dataset(synthetic_tables(n))

    def draw() -> None:
        plot.timeline(ds)
        plt.close("all")

    draw()
    timeline, period, split = best_of(
        [draw, partial(ag.by_period, ds, "month"), partial(ag.by_period, ds, split="party")],
        repeat,
    )
    return [
        f"### `plot.timeline(ds)` at {n:,} claims against one `by_period` call",
        "",
        "Best of N, alternated. The figure is drawn on matplotlib's Agg backend and",
        "closed; nothing is saved to a file.",
        "",
        '| call | N | time | vs `by_period(ds, "month")` |',
        "|---|---|---|---|",
        f"| `plot.timeline(ds)` | {repeat} | {_ms(timeline)} | {timeline / period:.2f}x |",
        f'| `by_period(ds, split="party")` (what it aggregates) | {repeat} | {_ms(split)} | '
        f"{split / period:.2f}x |",
        f'| `by_period(ds, "month")` | {repeat} | {_ms(period)} | 1.00x |',
    ]


def cumulative_section(n: int, repeat: int, counts: Sequence[int] = (40, 400, 4000)) -> list[str]:
    out = [
        f"### `cumulative(ds)` at {n:,} claims with 40, 400 and 4,000 claimants",
        "",
        'Best of N, alternated with the `by_period(ds, "day")` call it is built on (its',
        "running sums are the difference). With the claims fixed, time linear in the",
        "claimants would grow with them; the rows out (claimant, day, unit) bound the work.",
        "",
        '| claimants | N | rows out | `cumulative` | vs 40 claimants | `by_period("day")` '
        "| `cumulative` / `by_period` |",
        "|---|---|---|---|---|---|---|",
    ]
    first: float | None = None
    for k in counts:
        ds = dataset(synthetic_tables(n, claimants=k))
        rows = ag.cumulative(ds).num_rows
        total, base = best_of(
            [partial(ag.cumulative, ds), partial(ag.by_period, ds, "day")], repeat
        )
        first = first or total
        out.append(
            f"| {k:,} | {repeat} | {rows:,} | {_ms(total)} | {total / first:.2f}x | "
            f"{_ms(base)} | {total / base:.2f}x |"
        )
        del ds
        release(1.0)
    return out


# -- main ---------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--sizes",
        help="claims per run, comma-separated (default 100000,1000000,10000000; --quick: 100000)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer repeats; 100k claims unless --sizes; reconcile, timeline and "
        "cumulative at the largest size up to 1M",
    )
    parser.add_argument("--child", nargs=4, metavar=("ENGINE", "QUERY", "CLAIMS", "EVENTS"))
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    default = "100000" if args.quick else "100000,1000000,10000000"
    sizes = [int(s) for s in (args.sizes or default).split(",") if s.strip()]
    if any(n < BLOCK for n in sizes):
        parser.error(f"sizes must be at least {BLOCK} claims")

    def repeat(n: int) -> int:
        if args.quick:
            return 2
        return 5 if n <= 100_000 else 3 if n <= 1_000_000 else 2

    fixed = max((n for n in sizes if n <= 1_000_000), default=min(sizes))
    if not args.quick:
        fixed = 1_000_000
    print(
        f"Python {sys.version.split()[0]}, pyarrow {pa.__version__}, numpy {np.__version__}, "
        f"DuckDB {duckdb.__version__}, Polars {pl.__version__}, cambodefect {cd.__version__}; "
        f"{os.cpu_count()} cores. Synthetic data: bench/synthetic.py, seed 7."
    )
    sections: list[Callable[[], list[str]]] = [
        lambda: queries_section(sizes, repeat),
        lambda: memory_section(sizes),
        lambda: reconcile_section(fixed, repeat(fixed)),
        lambda: timeline_section(fixed, repeat(fixed)),
        lambda: cumulative_section(fixed, repeat(fixed)),
    ]
    for section in sections:
        lines = section()
        print()
        print("\n".join(lines), flush=True)
        release(1.0)


if __name__ == "__main__":
    main()
