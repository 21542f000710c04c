"""Benchmark: aggregation on 1,000,000 synthetic claims versus DuckDB and Polars.

Run from the repository root (needs the bench tools: ``pip install duckdb polars numpy``)::

    python bench/bench_aggregate.py

Prints Markdown tables; docs/benchmarks.md records the figures. All ratios are
measured in the same run, alternating the contenders.

1. ``by_party`` and ``by_period("month")`` versus the same query in DuckDB and in
   Polars, on the same in-memory Arrow table (target: within 2x of the faster).
2. Peak Arrow memory of each of our calls on a memory-mapped 1M-claim file, in a
   fresh process, against the table's size (target: under 2x).
3. Time per claim from 10k to 1M claims (should be flat: linear scaling).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.synthetic import synthetic_claims, synthetic_dataset
from cambodefect import aggregate as ag
from cambodefect.storage import ipc_bytes


def _interleaved(fns: list[Callable[[], Any]], repeat: int = 5) -> list[float]:
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - t0)
    return best


_DUCK_PARTY = """
SELECT claimant.id AS claimant,
       array_to_string(list_sort(from_party_ids), '+') AS party_key,
       "count".unit AS unit,
       count(*) AS claims,
       sum(coalesce("count".value, "count".low, 0)) AS count_sum,
       sum(CASE WHEN "count".value IS NULL THEN 1 ELSE 0 END) AS unvalued,
       sum(coalesce("count".low, 0)) AS lower,
       CASE WHEN bool_or("count".high IS NULL) THEN NULL ELSE sum("count".high) END AS upper
FROM claims WHERE kind = 'defection'
GROUP BY ALL ORDER BY ALL
"""

_DUCK_MONTH = """
WITH d AS (
  SELECT *, coalesce(period.start, reported.start) AS s, coalesce(period."end", reported."end") AS e
  FROM claims WHERE kind = 'defection')
SELECT claimant.id AS claimant,
       CASE WHEN date_trunc('month', s) = date_trunc('month', e)
            THEN CAST(date_trunc('month', s) AS DATE) END AS period,
       "count".unit AS unit,
       count(*) AS claims,
       sum(coalesce("count".value, "count".low, 0)) AS count_sum,
       sum(CASE WHEN "count".value IS NULL THEN 1 ELSE 0 END) AS unvalued,
       sum(coalesce("count".low, 0)) AS lower,
       CASE WHEN bool_or("count".high IS NULL) THEN NULL ELSE sum("count".high) END AS upper
FROM d GROUP BY ALL ORDER BY ALL
"""


def duck(sql: str, claims: pa.Table) -> pa.Table:
    con = duckdb.connect()
    con.register("claims", claims)
    return con.sql(sql).to_arrow_table()


def _polars_frame(claims: pa.Table) -> pl.LazyFrame:
    df = pl.from_arrow(claims)
    assert isinstance(df, pl.DataFrame)
    return (
        df.lazy()
        .filter(pl.col("kind") == "defection")
        .with_columns(
            claimant=pl.col("claimant").struct.field("id"),
            unit=pl.col("count").struct.field("unit"),
            value=pl.col("count").struct.field("value"),
            low=pl.col("count").struct.field("low"),
            high=pl.col("count").struct.field("high"),
        )
    )


def _polars_aggs() -> list[pl.Expr]:
    return [
        pl.len().alias("claims"),
        pl.coalesce("value", "low", pl.lit(0)).sum().alias("count_sum"),
        pl.col("value").is_null().sum().alias("unvalued"),
        pl.col("low").fill_null(0).sum().alias("lower"),
        pl.when(pl.col("high").is_null().any())
        .then(None)
        .otherwise(pl.col("high").sum())
        .alias("upper"),
    ]


def polars_party(claims: pa.Table) -> pl.DataFrame:
    lf = _polars_frame(claims).with_columns(
        party_key=pl.col("from_party_ids").list.sort().list.join("+")
    )
    return (
        lf.group_by("claimant", "party_key", "unit")
        .agg(_polars_aggs())
        .sort("claimant", "party_key", "unit")
        .collect()
    )


def polars_month(claims: pa.Table) -> pl.DataFrame:
    lf = (
        _polars_frame(claims)
        .with_columns(
            s=pl.coalesce(
                pl.col("period").struct.field("start"), pl.col("reported").struct.field("start")
            ),
            e=pl.coalesce(
                pl.col("period").struct.field("end"), pl.col("reported").struct.field("end")
            ),
        )
        .with_columns(
            period=pl.when(pl.col("s").dt.truncate("1mo") == pl.col("e").dt.truncate("1mo")).then(
                pl.col("s").dt.truncate("1mo")
            )
        )
    )
    return (
        lf.group_by("claimant", "period", "unit")
        .agg(_polars_aggs())
        .sort("claimant", "period", "unit")
        .collect()
    )


def _check_same(ours: pa.Table, duck_t: pa.Table, key: str) -> None:
    """The three engines agree on every group's figures."""
    cols = ["claimant", key, "unit", "claims", "count_sum", "unvalued", "lower", "upper"]

    def rows(t: pa.Table) -> list[tuple[Any, ...]]:
        return sorted(
            (tuple(str(r[c]) for c in cols) for r in t.select(cols).to_pylist()),
        )

    assert rows(ours) == rows(duck_t), "DuckDB and cambodefect disagree"


def compare(n: int) -> list[str]:
    ds = synthetic_dataset(n)
    claims = ds.claims
    ours_party = ag.by_party(ds)
    _check_same(ours_party, duck(_DUCK_PARTY, claims), "party_key")
    ours_month = ag.by_period(ds, "month")
    _check_same(ours_month, duck(_DUCK_MONTH, claims), "period")
    assert polars_party(claims).height == ours_party.num_rows
    assert polars_month(claims).height == ours_month.num_rows
    lines = []
    for name, fns in {
        "by_party": [
            lambda: ag.by_party(ds),
            lambda: duck(_DUCK_PARTY, claims),
            lambda: polars_party(claims),
        ],
        'by_period("month")': [
            lambda: ag.by_period(ds, "month"),
            lambda: duck(_DUCK_MONTH, claims),
            lambda: polars_month(claims),
        ],
    }.items():
        ours, d, p = _interleaved(fns)
        fastest = min(d, p)
        lines.append(
            f"| {name} | {n:,} | {ours * 1e3:.0f} ms | {d * 1e3:.0f} ms | {p * 1e3:.0f} ms | "
            f"{ours / fastest:.2f}x | <= 2x |"
        )
    return lines


_MEMORY_CHILD = """
import json, resource, sys
import pyarrow as pa
sys.path.insert(0, {root!r})
import cambodefect as cd
from cambodefect import aggregate as ag
from bench.synthetic import synthetic_dataset
real = cd.load()
with pa.memory_map({path!r}) as src:
    claims = pa.ipc.open_file(src).read_all()
ds = cd.Dataset(real.manifest, {{"parties": real.parties, "persons": real.persons,
                                "sources": real.sources, "claims": claims}})
pool = pa.default_memory_pool()
before = pool.bytes_allocated()
{call}
print(json.dumps({{"peak": pool.max_memory() - before, "size": claims.nbytes}}))
"""


def memory(n: int) -> list[str]:
    claims = synthetic_claims(n)
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "claims.arrow")
        Path(path).write_bytes(ipc_bytes(claims))
        for name, call in {
            "by_party": "ag.by_party(ds)",
            'by_period("month")': "ag.by_period(ds, 'month')",
            "reconcile": "ag.reconcile(ds)",
        }.items():
            code = _MEMORY_CHILD.format(
                root=str(Path(__file__).resolve().parents[1]), path=path, call=call
            )
            out = subprocess.run(  # noqa: S603  # our own interpreter, fixed code
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
            got = json.loads(out)
            lines.append(
                f"| {name} | {n:,} | {got['peak'] / 1e6:.0f} MB | {got['size'] / 1e6:.0f} MB | "
                f"{got['peak'] / got['size']:.2f}x | < 2x |"
            )
    return lines


def scaling() -> list[str]:
    lines = []
    base: float | None = None
    for n in (10_000, 100_000, 1_000_000):
        ds = synthetic_dataset(n)

        def run(ds: Any = ds) -> None:
            ag.by_party(ds)

        (t,) = _interleaved([run], repeat=3)
        per = t / n * 1e9
        base = base or per
        lines.append(f"| {n:,} | {t * 1e3:.0f} ms | {per:.0f} ns | {per / base:.2f}x |")
    return lines


def main() -> None:
    n = int(os.environ.get("BENCH_CLAIMS", "1000000"))
    print(f"pyarrow {pa.__version__}, duckdb {duckdb.__version__}, polars {pl.__version__}")
    print()
    print("| query | claims | cambodefect | DuckDB | Polars | vs faster | target |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(compare(n)))
    print()
    print("| call | claims | peak Arrow memory | table size | ratio | target |")
    print("|---|---|---|---|---|---|")
    print("\n".join(memory(n)))
    print()
    print("| claims | by_party | per claim | per claim vs 10k |")
    print("|---|---|---|---|")
    print("\n".join(scaling()))


if __name__ == "__main__":
    main()
