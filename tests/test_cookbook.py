"""The cookbook (docs/cookbook.md): each recipe runs on its own, and its answers agree
with the library computed another way."""

from __future__ import annotations

import doctest
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pytest

import cambodefect as cd
from cambodefect import aggregate as ag
from cambodefect.export import export

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
duckdb = pytest.importorskip("duckdb")

PAGE = Path(__file__).resolve().parents[1] / "docs" / "cookbook.md"
MKDOCS = PAGE.parents[1] / "mkdocs.yml"
VERSION = "3.0.0"
"""The dataset version the cookbook pins."""

_FENCE = re.compile(r"^```(?:python|pycon)\n(.*?)^```", re.DOTALL | re.MULTILINE)

needs_page = pytest.mark.skipif(not PAGE.is_file(), reason="not a source checkout")


def _sections() -> dict[str, str]:
    """The page's numbered sections (one recipe each), by heading number."""
    if not PAGE.is_file():
        return {}
    text = PAGE.read_text(encoding="utf-8")
    parts = re.split(r"^## (\d+)\. .*$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.fixture(scope="module")
def ds() -> cd.Dataset:
    """The dataset version the cookbook pins."""
    return cd.load(version=VERSION)


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory, ds: cd.Dataset) -> Path:
    """The Parquet export of the pinned dataset, in a temporary folder."""
    folder = tmp_path_factory.mktemp("parquet")
    export(ds, "parquet", folder)
    return folder


@needs_page
def test_cookbook_has_five_questions() -> None:
    """The cookbook answers five numbered questions."""
    assert list(_sections()) == ["1", "2", "3", "4", "5"]


@needs_page
@pytest.mark.parametrize("number", ["1", "2", "3", "4", "5"])
def test_each_recipe_runs_on_its_own(number: str) -> None:
    """Every `>>>` example of one recipe runs as shown, in a fresh namespace (no recipe
    depends on another's variables)."""
    blocks = _FENCE.findall(_sections()[number])
    text = "\n".join(block for block in blocks if ">>>" in block)
    test = doctest.DocTestParser().get_doctest(text, {}, f"cookbook-{number}", str(PAGE), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    failed, attempted = runner.summarize(verbose=False)
    assert attempted > 0
    assert failed == 0, f"{failed} of {attempted} examples failed in recipe {number}"


@needs_page
def test_every_recipe_pins_the_dataset_version() -> None:
    """Every recipe loads the pinned dataset version, never the newest one."""
    for number, section in _sections().items():
        assert f'cd.load(version="{VERSION}")' in section, number
        assert "cd.load()" not in section, number


@needs_page
def test_cookbook_is_in_the_site_nav_after_the_user_guide() -> None:
    """mkdocs.yml lists the cookbook right after the user guide."""
    nav = [line.strip() for line in MKDOCS.read_text(encoding="utf-8").splitlines()]
    assert nav[nav.index("- User guide: guide.md") + 1] == "- Cookbook: cookbook.md"


def test_duckdb_province_counts_on_parquet_equal_coverage(ds: cd.Dataset, parquet: Path) -> None:
    """Claims per province counted by DuckDB on the Parquet export (a claim's own place,
    else its event's) equal aggregate.coverage(by="province"), no-place row included."""
    query = """
        SELECT coalesce(c.place.province, e.place.province), count(*)
        FROM read_parquet($claims) AS c
        LEFT JOIN read_parquet($events) AS e ON e.id = c.event_id
        GROUP BY ALL
    """
    files = {"claims": str(parquet / "claims.parquet"), "events": str(parquet / "events.parquet")}
    rows = duckdb.connect().execute(query, files).fetchall()
    cov = ag.coverage(ds, "province")
    expected = zip(cov["province"].to_pylist(), cov["claims"].to_pylist(), strict=True)
    assert dict(rows) == dict(expected)
    assert dict(rows)[None] == 556
    assert sum(n for _, n in rows) == ds.claims.num_rows


def test_polars_largest_series_is_the_claimants_own_aggregate(ds: cd.Dataset) -> None:
    """Recipe 1's largest government-aligned series in the 2023 cycle is Fresh News's, and
    equals aggregate.by_claimant for Fresh News alone: a maximum, never a pooled sum."""
    per_cycle = pl.from_arrow(ag.by_source_alignment(ds, cycle="2023"))
    gov = per_cycle.filter(
        pl.col("unit") == "persons", pl.col("alignment") == "government_aligned"
    ).sort("count_sum", descending=True, nulls_last=True)
    top: dict[str, Any] = gov.row(0, named=True)
    alone = ag.by_claimant(ds, claimant="fresh-news", cycle="2023")
    persons = alone.filter(pc.field("unit") == "persons").to_pylist()[0]
    assert top["claimant"] == "fresh-news"
    columns = ("claims", "count_sum", "upper")
    assert tuple(top[c] for c in columns) == tuple(persons[c] for c in columns)
    assert tuple(persons[c] for c in columns) == (110, 6476, 6526)


def _value(ds: cd.Dataset, claim_id: str) -> int:
    """A claim's point figure (0 where it has none)."""
    count = ds.claim(claim_id).count
    return (count.value or 0) if count is not None else 0


def test_raw_pandas_sum_double_counts_what_by_party_leaves_out(ds: cd.Dataset) -> None:
    """Recipe 3's raw pandas sum (12,999) is by_party's count_sum plus exactly what the
    rules keep out of it: the stated total and the stories that may repeat tally rows."""
    claims = ds.to_pandas("claims")
    fn = claims[
        (claims["claimant.id"] == "fresh-news")
        & (claims["era"] == "2023-wave")
        & claims["kind"].isin(["defection", "total"])
    ]
    raw = int(fn["count.value"].sum())
    t = ag.by_party(ds, claimant="fresh-news", era="2023-wave")
    notes = ag.meta(t)
    dropped = sum(_value(ds, i) for i in notes["dropped_overlapping"])
    maybe = sum(_value(ds, o["claim"]) for o in notes["possible_overlaps"])
    kept = int(pc.sum(t["count_sum"]).as_py())
    assert (raw, kept, dropped, maybe) == (12999, 6476, 6473, 50)
    assert raw == kept + dropped + maybe
    assert int(pc.sum(t["upper"]).as_py()) == kept + maybe


def test_pandas_item_sums_equal_reconcile_where_items_are_exact(ds: cd.Dataset) -> None:
    """A pandas group-by of the items' point figures equals reconcile's items_sum for every
    total it compares exactly (match or mismatch), and gives 0 for the bound it cannot
    compare, which reconcile calls consistent."""
    claims = ds.to_pandas("claims")
    raw = claims.dropna(subset=["part_of"]).groupby("part_of")["count.value"].sum()
    rec = ag.reconcile(ds).to_pylist()
    assert Counter(r["status"] for r in rec) == {"match": 10, "mismatch": 2, "consistent": 1}
    for row in rec:
        if row["status"] in ("match", "mismatch"):
            assert int(raw[row["id"]]) == row["items_sum"], row["id"]
            assert row["difference"] == row["stated_value"] - row["items_sum"]
        else:
            assert int(raw[row["id"]]) == 0
            assert row["items_sum"] is None and row["items_lower"] > row["stated_low"] - 1
    differences = {r["id"]: r["difference"] for r in rec if r["status"] == "mismatch"}
    assert differences == {
        "voa-media-claims-fresh-news-total-6473": -3,
        "ppp-2017-reallocation-cnrp-5007-seats": 6,
    }


def test_contested_events_put_only_one_figure_against_a_figure(ds: cd.Dataset) -> None:
    """Recipe 2: of the contested events, only the Kampot Chhuk ceremony has a number on
    both sides, and its ratio is the claimed high over the counter low."""
    events = ag.by_event(ds, contested=True)
    assert events.num_rows == 8
    with_ratio = events.filter(pc.field("ratio").is_valid()).to_pylist()
    assert [e["event_id"] for e in with_ratio] == ["ev-kampot-chhuk-ceremony-aug-30"]
    (kampot,) = with_ratio
    assert kampot["ratio"] == kampot["claimed_high"] / kampot["counter_low"] == 100.0
