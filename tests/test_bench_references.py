"""The aggregation benchmark's data and references (bench/synthetic.py, bench/bench_aggregate.py).

The synthetic claims must be valid data that exercise every counting rule, and the
DuckDB and Polars references the benchmark times must give cambodefect's results,
value for value: otherwise the benchmark compares unlike work.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest

import cambodefect as cd
from cambodefect import aggregate as ag
from cambodefect.storage import check_contents

pytest.importorskip("numpy")

from bench.synthetic import (  # numpy first: a bench tool
    FLOOR_CLAIMANT,
    FLOOR_PARTY,
    synthetic_claims,
    synthetic_dataset,
    synthetic_tables,
)


def test_synthetic_claims_pass_the_storage_checks() -> None:
    claims = synthetic_claims(1000)
    assert claims.num_rows == 1000
    check_contents(claims, "claims", "synthetic claims")
    events = synthetic_tables(1000)["events"]
    assert events.num_rows == 40  # four events per block of 100
    check_contents(events, "events", "synthetic events")


def test_synthetic_claims_are_deterministic() -> None:
    assert synthetic_claims(1000, seed=3).equals(synthetic_claims(1000, seed=3))
    assert not synthetic_claims(1000, seed=3).equals(synthetic_claims(1000, seed=4))


def test_synthetic_dataset_validates() -> None:
    ds = synthetic_dataset(1000)
    errors = [v for v in cd.validate(ds) if v.severity == "error"]
    assert errors == []


def test_synthetic_claims_exercise_every_rule() -> None:
    ds = synthetic_dataset(1000)
    party = ag.by_party(ds)
    notes = ag.meta(party)
    assert notes["dropped_overlapping_count"] == 5  # the five breakdown totals
    assert notes["subsets_within"]
    assert notes["event_duplicates"]
    assert notes["possible_overlaps"]
    assert pc.sum(party["overlapping"]).as_py() > 0
    # the floor: a group counting 0 whose upper is a dropped subset's or report's figure
    (floor,) = party.filter(
        pc.and_(
            pc.equal(party["claimant"], FLOOR_CLAIMANT), pc.equal(party["party_key"], FLOOR_PARTY)
        )
    ).to_pylist()
    assert floor["count_sum"] == 0
    assert floor["upper"] > 0
    assert party["upper"].null_count < party.num_rows  # some groups are bounded
    period = ag.by_period(ds, "month")
    assert period["period"].null_count > 0  # claims spanning two months
    events = ag.by_event(ds)
    assert pc.sum(events["contested"]).as_py() > 0
    assert events["ratio"].null_count < events.num_rows
    statuses = set(ag.reconcile(ds)["status"].to_pylist())
    assert {"match", "mismatch"} <= statuses


def _engines(n: int) -> tuple[Any, cd.Dataset, Any, Any, Any]:
    pytest.importorskip("duckdb")
    pytest.importorskip("polars")
    from bench import bench_aggregate as bench

    tables = synthetic_tables(n)
    assert bench.reference_assumptions(tables["claims"]) == []
    lf, events = bench.polars_frames(tables)
    return bench, bench.dataset(tables), bench.duck_connect(tables), lf, events


@pytest.mark.slow
def test_references_agree_with_cambodefect_value_for_value() -> None:
    bench, ds, con, lf, events = _engines(5000)
    for name, (ours_fn, sql, polars_fn, keys, columns) in bench.QUERIES.items():
        ours = ours_fn(ds)
        assert ours.num_rows >= 25, name
        duck = con.sql(sql).to_arrow_table()
        assert bench.differences(ours, duck, keys, columns) == [], name
        if polars_fn is not None:
            polars = polars_fn(lf, events).collect()
            assert bench.differences(ours, polars, keys, columns) == [], name


# Each rule left out of the DuckDB reference: the data exercise it, so the results differ.
_WITHOUT = {
    "a total beside its items": ("b.id IS NOT NULL OR u.id IS NOT NULL", "u.id IS NOT NULL"),
    "a subset beside its superset": ("OR u.id IS NOT NULL AS dropped", "AS dropped"),
    "every report of an event": ("WHERE k > 1", "WHERE k > 100"),
    "possible overlaps counted": ("WHERE members = 2 AND k = 2", "WHERE false"),
    "no floor on upper": (
        "coalesce(max(CASE WHEN NOT breakdown THEN coalesce(low, value) END), 0)",
        "0",
    ),
    "ties by last row": ("ORDER BY rank, id", "ORDER BY rank, id DESC"),
}


@pytest.mark.slow
@pytest.mark.parametrize("rule", sorted(_WITHOUT))
def test_each_rule_changes_the_result(rule: str) -> None:
    bench, ds, con, _lf, _events = _engines(5000)
    old, new = _WITHOUT[rule]
    found = 0
    for name, query in (
        ("by_party", bench.DUCK_BY_PARTY),
        ('by_period("month")', bench.DUCK_BY_PERIOD),
    ):
        assert old in query
        ours_fn, _sql, _polars, keys, columns = bench.QUERIES[name]
        wrong = con.sql(query.replace(old, new)).to_arrow_table()
        found += len(bench.differences(ours_fn(ds), wrong, keys, columns))
    assert found > 0


@pytest.mark.slow
def test_differences_sees_one_changed_value() -> None:
    bench, ds, con, _lf, _events = _engines(1000)
    ours = ag.by_party(ds)
    duck = con.sql(bench.DUCK_BY_PARTY).to_arrow_table()
    assert (
        bench.differences(ours, duck, ("claimant", "party_key", "unit"), bench.GROUP_COLUMNS) == []
    )
    upper = ours["upper"].to_pylist()
    i = next(k for k, v in enumerate(upper) if v is not None)
    upper[i] += 1
    changed = ours.set_column(ours.schema.get_field_index("upper"), "upper", pa.array(upper))
    found = bench.differences(changed, duck, ("claimant", "party_key", "unit"), bench.GROUP_COLUMNS)
    assert len(found) == 1
    assert "upper" in found[0]
    fewer = bench.differences(ours.slice(1), duck, ("claimant", "party_key", "unit"), ("claims",))
    assert len(fewer) == 1
    assert fewer[0].endswith("only in the reference")
