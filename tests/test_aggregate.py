"""Tests for cambodefect.aggregate: the rules hold for any data; the figures for ours."""

from __future__ import annotations

import itertools
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cambodefect as cd
from cambodefect import aggregate as ag
from cambodefect.testing import datasets

slow = settings(
    max_examples=max(10, settings().max_examples // 2),  # dev: fast; ci (HYPOTHESIS_PROFILE): more
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ALL_KINDS = [k.value for k in cd.ClaimKind]


@pytest.fixture(scope="module")
def ds() -> cd.Dataset:
    """The seed-curated release: the example facts below are read from the five seeds."""
    return cd.load("2.0.0")


@pytest.fixture(scope="module")
def web() -> cd.Dataset:
    """The release with the stored news pages (facts marked as such)."""
    return cd.load("3.0.0")


def _total(t: pa.Table, col: str = "count_sum") -> int:
    return int(pc.sum(t.column(col)).as_py() or 0)


def _selected(ds: cd.Dataset, **filters: Any) -> pa.Table:
    from cambodefect.aggregate._steps import select

    pool = filters.pop("pool_claimants", False)
    frame: pa.Table = select(ds, ag.Filters.of(**filters), pool_claimants=pool).selected()
    return frame


# -- properties on generated datasets -------------------------------------------------


def _contributing(frame: pa.Table) -> pa.Table:
    """The selected claims that a result counts (in count_sum) or lists as overlaps."""
    return frame.filter(pc.is_in(frame["role"], pa.array(["counted", "overlap"])))


@slow
@given(datasets(), st.sampled_from(["by_party", "by_claimant", "by_source_alignment"]))
def test_group_sums_add_up_to_the_overall_total(data: cd.Dataset, fn: str) -> None:
    """For one filter, the groups' claims and sums add up to the selection's own totals."""
    result = getattr(ag, fn)(data, kind=ALL_KINDS)
    frame = _selected(data, kind=ALL_KINDS)
    assert _total(result, "claims") + _total(result, "overlapping") == _contributing(frame).num_rows
    counted = frame.filter(pc.equal(frame["role"], "counted"))
    additive = counted.filter(pc.fill_null(pc.not_equal(counted["unit"], "percent"), True))
    best = pc.coalesce(additive["value"], additive["low"], pa.scalar(0, pa.int64()))
    assert _total(result) == int(pc.sum(best).as_py() or 0)


@slow
@given(datasets(), st.sampled_from(["day", "week", "month", "quarter", "year"]))
def test_by_period_partitions_the_claims(data: cd.Dataset, freq: str) -> None:
    """Every counted claim is in exactly one bin (the null bin if it cannot be placed)."""
    result = ag.by_period(data, freq, kind=ALL_KINDS)  # type: ignore[arg-type]
    contributing = _contributing(_selected(data, kind=ALL_KINDS)).num_rows
    assert _total(result, "claims") + _total(result, "overlapping") == contributing


@slow
@given(
    datasets(),
    st.lists(st.sampled_from(ALL_KINDS), min_size=1, unique=True),
    st.booleans(),
    st.sampled_from(["items", "totals"]),
)
def test_unselected_rows_kept_or_copied_out_give_the_same_result(
    data: cd.Dataset, kinds: list[str], disputed: bool, overlap: str
) -> None:
    """A selection keeps its unselected rows (adding nothing) or copies the selected ones
    out of the frame, by their share: either way every grouping is the same."""
    from unittest import mock

    from cambodefect.aggregate import _steps

    def run() -> list[pa.Table]:
        kw: dict[str, Any] = {"kind": kinds, "include_disputed": disputed, "overlap": overlap}
        return [
            ag.by_party(data, **kw),
            ag.by_party(data, joint="each", **kw),
            ag.by_period(data, "month", split="party", **kw),
            ag.by_claimant(data, **kw),
        ]

    with mock.patch.object(_steps, "_FILTER_BELOW", 0.0):
        kept = run()
    with mock.patch.object(_steps, "_FILTER_BELOW", 2.0):
        copied = run()
    for a, b in zip(kept, copied, strict=True):
        assert a.equals(b, check_metadata=True)


@slow
@given(datasets())
def test_cumulative_is_monotone(data: cd.Dataset) -> None:
    """Running totals never decrease within a series; an unbounded upper stays unbounded."""
    result = ag.cumulative(data, "month", kind=ALL_KINDS)
    keys = [k for k in ("claimant", "unit") if k in result.column_names]
    series: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in result.to_pylist():
        series.setdefault(tuple(row[k] for k in keys), []).append(row)
    for rows in series.values():
        for a, b in itertools.pairwise(rows):
            assert b["claims"] >= a["claims"]
            if a["count_sum"] is not None:
                assert b["count_sum"] is not None and b["count_sum"] >= a["count_sum"]
                assert b["lower"] >= a["lower"]
            if a["upper"] is None and a["lower"] is not None:
                assert b["upper"] is None


@slow
@given(datasets(), st.sampled_from(["joint", "each"]), st.sampled_from(["upper", "count"]))
def test_no_upper_falls_below_a_stated_figure_in_its_group(
    data: cd.Dataset, joint: str, possible: str
) -> None:
    """Whatever the relations (breakdowns, subsets, events, possible overlaps), no group's
    upper is below the stated figure of any selected claim in it."""
    result = ag.by_party(
        data,
        kind=ALL_KINDS,
        joint=joint,  # type: ignore[arg-type]
        possible_overlaps=possible,  # type: ignore[arg-type]
    )
    frame = _selected(data, kind=ALL_KINDS)
    uppers = {(r["claimant"], r["party_key"], r["unit"]): r["upper"] for r in result.to_pylist()}
    for row in frame.to_pylist():
        floor = row["low"] if row["low"] is not None else row["value"]
        if not row["holds_upper"]:  # a total stands for its items; reconcile compares them
            continue
        keys = row["parties"] if joint == "each" and row["parties"] else [row["party_key"]]
        for key in keys:
            upper = uppers.get((row["claimant"], key, row["unit"]), "absent")
            if floor is None or upper is None or upper == "absent" or row["unit"] == "percent":
                continue
            assert upper >= floor, (row["id"], key, upper, floor)


@slow
@given(datasets())
def test_a_group_with_no_figure_has_a_null_sum(data: cd.Dataset) -> None:
    """count_sum is null, not 0, exactly where no counted claim of the group has a figure."""
    frame = _selected(data, kind=ALL_KINDS)
    figures: dict[tuple[Any, ...], bool] = {}
    for row in frame.to_pylist():
        key = (row["claimant"], row["party_key"], row["unit"])
        has = row["role"] == "counted" and (row["value"] is not None or row["low"] is not None)
        figures[key] = figures.get(key, False) or has
    for row in ag.by_party(data, kind=ALL_KINDS).to_pylist():
        if row["unit"] == "percent":
            continue
        key = (row["claimant"], row["party_key"], row["unit"])
        assert (row["count_sum"] is not None) == figures[key]


@slow
@given(datasets(), st.data())
def test_filtering_then_aggregating_equals_selecting_groups(
    data: cd.Dataset, pick: st.DataObject
) -> None:
    """by_claimant restricted to one claimant equals that claimant's rows of the full result."""
    full = ag.by_claimant(data, kind=ALL_KINDS)
    claimants = sorted(set(full.column("claimant").to_pylist()))
    if not claimants:
        return
    who = pick.draw(st.sampled_from(claimants))
    only = ag.by_claimant(data, kind=ALL_KINDS, claimant=who)
    assert only.to_pylist() == full.filter(pc.equal(full["claimant"], who)).to_pylist()


@slow
@given(datasets())
def test_lower_count_sum_upper_are_ordered(data: cd.Dataset) -> None:
    """lower <= count_sum <= upper in every group (upper null meaning unbounded)."""
    for row in ag.by_party(data, kind=ALL_KINDS, joint="each").to_pylist():
        if row["count_sum"] is None:
            continue
        assert row["lower"] <= row["count_sum"]
        assert row["upper"] is None or row["count_sum"] <= row["upper"]


@slow
@given(datasets())
def test_reconcile_difference_is_zero_exactly_when_items_add_up(data: cd.Dataset) -> None:
    """difference == 0 iff the exact items sum to the exact stated figure."""
    for row in ag.reconcile(data).to_pylist():
        if row["difference"] is not None:
            assert (row["difference"] == 0) == (row["items_sum"] == row["stated_value"])
            assert row["status"] == ("match" if row["difference"] == 0 else "mismatch")


@slow
@given(datasets())
def test_joint_each_never_undercounts(data: cd.Dataset) -> None:
    """Counting joint claims for each party gives at least the joint total, flagged."""
    joint = ag.by_party(data, kind=ALL_KINDS)
    each = ag.by_party(data, kind=ALL_KINDS, joint="each")
    assert _total(each, "claims") >= _total(joint, "claims")
    if _total(each, "claims") > _total(joint, "claims"):
        assert any(each.column("over_counts").to_pylist())


@slow
@given(datasets(), st.sampled_from(["year", "outlet", "alignment"]))
def test_coverage_groups_partition_the_sources_read(data: cd.Dataset, by: Any) -> None:
    """By year, outlet or alignment, every source read falls in exactly one group, and
    each group's kinds of claims never exceed its claims."""
    t = ag.coverage(data, by=by)
    read = [s for s in data.iter_sources() if s.read_directly]
    assert _total(t, "sources") == len(read)
    assert len(set(t.column(by).to_pylist())) == t.num_rows
    for row in t.to_pylist():
        assert row["defections"] + row["totals"] <= row["claims"]
        assert max(row["counter_claims"], row["contested"]) <= row["claims"]


def test_coverage_by_year_outlet_and_province(web: cd.Dataset) -> None:
    """3.0.0: 142 sources read (5 seeds, 137 pages); the Post carries most of them,
    VOA most claims (the Fresh News tally); Phnom Penh is the most cited province."""
    years = ag.coverage(web, by="year")
    assert _total(years, "sources") == 142
    assert years.column("year").to_pylist()[0] == 2007
    outlets = {r["outlet"]: r for r in ag.coverage(web, by="outlet").to_pylist()}
    assert (outlets["phnom-penh-post"]["sources"], outlets["voa"]["claims"]) == (32, 201)
    places = ag.coverage(web, by="province").to_pylist()
    top = max((r for r in places if r["province"]), key=lambda r: r["claims"])
    assert (top["province"], top["province_name"]) == ("KH-12", "Phnom Penh")
    with pytest.raises(cd.UnknownValueError, match="valid values: year, outlet"):
        ag.coverage(web, by="decade")  # type: ignore[arg-type]


# -- the rules, on the bundled data ---------------------------------------------------


def test_stated_total_is_never_added_to_its_items(ds: cd.Dataset) -> None:
    """Selecting the 6,473 total with its tally rows keeps one level, and says which."""
    items = ag.by_claimant(ds, claimant="fresh-news", kind=["total", "defection"], era="2023-wave")
    totals = ag.by_claimant(
        ds, claimant="fresh-news", kind=["total", "defection"], era="2023-wave", overlap="totals"
    )
    # the 45-person story may overlap a tally row: it widens upper only, in both views
    assert _total(items) == 6476 and _total(items, "upper") == 6476 + 45
    assert _total(totals) == 6473 and _total(totals, "upper") == 6473 + 45
    import json

    meta = json.loads(items.schema.metadata[b"cambodefect.aggregate"])
    assert meta["dropped_overlapping"] == ["voa-media-claims-fresh-news-total-6473"]


def test_claimants_are_never_pooled_silently(ds: cd.Dataset) -> None:
    """Results carry a claimant column unless one claimant is named or pooling is asked by name."""
    assert "claimant" in ag.by_party(ds, kind="total").column_names
    assert "claimant" not in ag.by_party(ds, kind="total", claimant="fresh-news").column_names
    with pytest.raises(ag.AggregationError, match="name the claimants"):
        ag.by_party(ds, kind="total", pool_claimants=True)
    pooled = ag.by_party(
        ds, kind="total", claimant=["fresh-news", "ork-kimhan"], pool_claimants=True
    )
    assert "claimant" not in pooled.column_names


def test_joint_rows_stay_joint_by_default(ds: cd.Dataset) -> None:
    """The CNRP / Candlelight rows form one joint group; 'each' flags the over-count."""
    t = ag.by_party(ds, claimant="fresh-news", era="2023-wave")
    joint = t.filter(pc.equal(t["party_key"], "cambodia-national-rescue-party+candlelight-party"))
    # five tally rows (9, 31, 3, 51, 120 = 214); the 45-activist story (seed 002 line 9)
    # may be the tally's 45-person row of 21/06/2023: it widens upper only (issue 12)
    row = joint.to_pylist()[0]
    assert (row["count_sum"], row["claims"], row["overlapping"], row["upper"]) == (214, 5, 1, 259)
    assert _total(t) == 6476
    story = "voa-media-claims-fresh-news-45-activists"
    assert ag.meta(t)["possible_overlaps"] == [
        {"claim": story, "may_overlap": ["fresh-news-tally-row-028"]}
    ]
    assert joint.to_pylist()[0]["party_kind"] == "joint"
    each = ag.by_party(ds, claimant="fresh-news", era="2023-wave", joint="each")
    assert _total(each) > _total(t)
    cnrp = each.filter(
        pc.and_(
            pc.equal(each["party_key"], "cambodia-national-rescue-party"),
            pc.equal(each["unit"], "persons"),
        )
    ).to_pylist()[0]
    assert cnrp["over_counts"] is True


def test_placeholders_and_labels_are_kept_and_labelled(ds: cd.Dataset) -> None:
    """Unnamed Parties (3 rows: 91 + 7 + 95) and Political Analyst (1) stay, labelled."""
    t = ag.by_party(ds, claimant="fresh-news", era="2023-wave").to_pylist()
    rows = {r["party_key"]: r for r in t if r["unit"] == "persons"}
    assert (rows["unnamed-parties"]["party_kind"], rows["unnamed-parties"]["count_sum"]) == (
        "placeholder",
        193,
    )
    assert (rows["political-analyst"]["party_kind"], rows["political-analyst"]["count_sum"]) == (
        "non_party",
        1,
    )


def test_shares_are_never_summed(ds: cd.Dataset) -> None:
    """Percent groups report their claims but no sums (10-15% twice is not 20-30%)."""
    t = ag.by_claimant(ds, kind="share", claimant="kimsour-phirith")
    row = t.to_pylist()[0]
    # the two estimates may be one (audit of 1.0.0): one counts, one is a possible overlap
    assert (row["unit"], row["claims"], row["overlapping"]) == ("percent", 1, 1)
    assert (row["count_sum"], row["lower"], row["upper"]) == (None, None, None)


def test_more_than_contributes_to_lower_and_unbounds_upper(ds: cd.Dataset) -> None:
    """Fresh News's 'more than 2,000' (seed 003 line 12) adds 2,001 below and nothing above."""
    t = ag.by_claimant(ds, kind="total", claimant="fresh-news", era="2017-drive").to_pylist()
    assert [(r["lower"], r["count_sum"], r["upper"]) for r in t] == [(2001, 2001, None)]


def test_monthly_fresh_news_series_2023(ds: cd.Dataset) -> None:
    """The tally by month: January to June 2023, summing to the rows' 6,476."""
    t = ag.by_period(ds, "month", claimant="fresh-news", era="2023-wave")
    placed = t.filter(pc.is_valid(t["period"]))
    assert [str(p)[:7] for p in placed["period"].to_pylist()] == [
        "2023-01",
        "2023-02",
        "2023-03",
        "2023-04",
        "2023-05",
        "2023-06",
    ]
    assert _total(placed) == 6476
    june = placed.filter(pc.equal(pc.month(placed["period"]), 6)).to_pylist()[0]
    assert june["count_sum"] == 4942


def test_filters_validate_their_values(ds: cd.Dataset) -> None:
    """Unknown filter values are errors that list the valid ones; names resolve."""
    with pytest.raises(ag.AggregationError, match="valid values: 2017-drive, 2023-wave"):
        ag.by_party(ds, era="2020")
    with pytest.raises(ag.AggregationError, match="unknown kind"):
        ag.by_party(ds, kind="defektion")
    with pytest.raises(TypeError, match="unknown argument"):
        ag.by_party(ds, colour="red")  # type: ignore[call-arg]
    by_name = ag.by_party(ds, party="Grassroots Democratic Party", claimant="fresh-news")
    assert _total(by_name) == 99 + 1 + 1
    with pytest.raises(cd.UnknownPartyError):
        ag.by_party(ds, party="Grasroots")


def test_disputed_claims_can_be_left_out(ds: cd.Dataset) -> None:
    """include_disputed=False drops claims that others contest (the 45 activists story)."""
    kept = ag.by_party(ds, claimant="fresh-news", era="2023-wave")
    dropped = ag.by_party(ds, claimant="fresh-news", era="2023-wave", include_disputed=False)
    assert _total(kept) == _total(dropped) == 6476  # the story only widened upper
    assert _total(kept, "upper") - _total(dropped, "upper") == 45


def test_reconcile_lists_every_discrepancy(ds: cd.Dataset) -> None:
    """The 6,473 total against 6,476 in its 110 rows is a mismatch; 774 matches its parts."""
    rows = {r["id"]: r for r in ag.reconcile(ds).to_pylist()}
    tally = rows["voa-media-claims-fresh-news-total-6473"]
    assert (tally["items"], tally["items_sum"], tally["difference"], tally["status"]) == (
        110,
        6476,
        -3,
        "mismatch",
    )
    cpp = rows["ppp-2017-cpp-tally-774"]
    assert (cpp["items_sum"], cpp["difference"], cpp["status"]) == (774, 0, "match")
    assert [r for r in rows.values() if r["status"] in ("mismatch", "contradiction")] == [tally]


def test_running_totals_that_may_overlap_keep_the_largest(web: cd.Dataset) -> None:
    """3.0.0: Fresh News's 23 (30 October 2017) and 59 (5 November) may be inside its later
    'more than 2,000'; the larger one counts (lower 2,001), the others only widen upper."""
    t = ag.by_claimant(web, kind="total", claimant="fresh-news", era="2017-drive").to_pylist()
    assert [(r["claims"], r["overlapping"], r["lower"], r["upper"]) for r in t] == [
        (1, 2, 2001, None)
    ]


def test_reconcile_keeps_a_web_mismatch_beside_the_seed_one(web: cd.Dataset) -> None:
    """3.0.0: the NEC's 5,007 CNRP commune seats against 5,001 in its five shares."""
    rows = ag.reconcile(web).to_pylist()
    bad = {r["id"]: (r["items_sum"], r["difference"]) for r in rows if r["status"] == "mismatch"}
    assert bad == {
        "voa-media-claims-fresh-news-total-6473": (6476, -3),
        "ppp-2017-reallocation-cnrp-5007-seats": (5001, 6),
    }


def test_to_text_renders_nulls_and_lists() -> None:
    """Text rendering shows nulls as '-' and right-aligns numbers."""
    t = pa.table({"a": ["x", None], "n": [1, None], "l": [["p", "q"], []]})
    assert ag.to_text(t).splitlines() == ["a  n  l", "x  1  p; q", "-  -  -"]


def test_era_follows_the_claims_own_date() -> None:
    """A claim dated outside 2017 and 2023 has no era, even if its source is from 2023."""
    frame = ag.claims_frame(cd.load())
    rows = {r["id"]: r["era"] for r in frame.select(["id", "era"]).to_pylist()}
    assert rows["camboja-kong-mas-conviction"] is None  # December 2022
    assert rows["ppp-2017-fresh-news-claim-2000"] == "2017-drive"  # undated: its source's era


def test_filter_types_are_checked(ds: cd.Dataset) -> None:
    """Wrong filter types are AggregationErrors, not raw pyarrow errors."""
    with pytest.raises(ag.AggregationError, match=r"datetime\.date or 'YYYY-MM-DD'"):
        ag.by_party(ds, start="2023/01/01")
    with pytest.raises(ag.AggregationError, match="list of strings"):
        ag.by_party(ds, kind=5)  # type: ignore[arg-type]


@pytest.mark.parametrize("field", ["kind", "claimant", "alignment", "era", "party"])
def test_an_empty_filter_list_selects_nothing(ds: cd.Dataset, field: str) -> None:
    """An empty list for any filter selects no claims: zero rows, same columns, no raw error."""
    filters: dict[str, Any] = {field: []}
    table = ag.by_party(ds, **filters)
    assert table.num_rows == 0
    assert table.schema.names == ag.by_party(ds).schema.names


def test_null_lists_become_empty_whether_or_not_they_span_items() -> None:
    """by_event's lists: a null list is an empty one; a null slot that still spans items
    (allowed by Arrow) is not read as those items."""
    from cambodefect.aggregate._events import _nulls_as_empty

    strings = pa.list_(pa.string())
    empty = pa.scalar([], strings)
    taken = pa.array([["a"], None, ["b", "c"]], strings)
    assert _nulls_as_empty(taken, empty).to_pylist() == [["a"], [], ["b", "c"]]
    spanning = pa.ListArray.from_arrays(
        pa.array([0, 1, 3, 4], pa.int32()),
        pa.array(["a", "x", "y", "b"]),
        type=strings,
        mask=pa.array([False, True, False]),
    )
    assert spanning.to_pylist() == [["a"], None, ["b"]]
    assert _nulls_as_empty(spanning, empty).to_pylist() == [["a"], [], ["b"]]


def _fresh(ds: cd.Dataset) -> cd.Dataset:
    return cd.Dataset(ds.manifest, {name: ds.table(name) for name in ds.manifest.rows})


def test_an_aggregation_builds_only_the_frame_columns_it_reads(ds: cd.Dataset) -> None:
    """A stage that never reads a column never pays for it: by_event builds no eras, cycles
    or joint keys, by_period without a split no places; the full frame still has all."""
    from cambodefect._frame import frame_of

    fresh = _fresh(ds)
    ag.by_event(fresh)
    built = set(frame_of(fresh)._built)
    assert not built & {"era", "cycle", "party_key", "province", "precision"}
    ag.by_period(fresh, "month")
    assert "province" not in frame_of(fresh)._built
    assert ag.claims_frame(fresh).equals(ag.claims_frame(_fresh(ds)))
    assert ag.claims_frame(fresh).column_names[-2:] == ["province", "place"]


def test_a_cached_frame_does_not_keep_its_dataset_alive(ds: cd.Dataset) -> None:
    """The per-dataset caches hold the frame weakly keyed by the dataset: the frame must
    not refer back to it, or no aggregated dataset would ever be freed."""
    import gc
    import weakref

    fresh = _fresh(ds)
    ag.by_party(fresh)
    ag.by_event(fresh)
    alive = weakref.ref(fresh)
    del fresh
    gc.collect()
    assert alive() is None


def test_a_frame_of_no_claims_keeps_every_column_type(ds: cd.Dataset) -> None:
    """With no claims, a column built from a chunked array of no chunks keeps its type
    (a boolean ``disputed`` read as the null type broke the second aggregation)."""
    from cambodefect._frame import frame_of

    tables = {name: ds.table(name) for name in ds.manifest.rows}
    tables["claims"] = pa.Table.from_batches([], ds.claims.schema)
    empty = cd.Dataset(ds.manifest, tables)
    fresh = _fresh(ds)
    full, none = frame_of(fresh), frame_of(empty)
    for name in full.column_names:
        assert none.column(name).type == full.column(name).type, name
    for _ in range(2):
        assert ag.by_party(empty, kind="defection").num_rows == 0


def test_the_event_frame_is_the_frame_of_the_claims_of_events(ds: cd.Dataset) -> None:
    """by_event reads a frame of the claims that report an event: every column of it is
    the full frame's, filtered to those claims, in the same order."""
    from cambodefect._frame import event_frame_of, frame_of

    fresh = _fresh(ds)
    full, events = frame_of(fresh), event_frame_of(fresh)
    names = full.column_names
    has_event = pc.is_valid(full.column("event_id"))
    assert 0 < events.num_rows < full.num_rows
    assert events.select(names).equals(full.select(names).filter(has_event))


def test_by_event_names_claimants_who_report_no_event(ds: cd.Dataset) -> None:
    """A claimant name resolves against every claimant, not only those who report an
    event: one with no event claims gives no rows, not an unknown-name error."""
    without = set(
        ag.claims_frame(ds)
        .filter(pc.is_null(ag.claims_frame(ds)["event_id"]))
        .column("claimant")
        .to_pylist()
    )
    with_event = set(
        ag.claims_frame(ds)
        .filter(pc.is_valid(ag.claims_frame(ds)["event_id"]))
        .column("claimant")
        .to_pylist()
    )
    silent = sorted(c for c in without - with_event if c)
    assert silent
    assert ag.by_event(ds, claimant=silent[0]).num_rows == 0
    with pytest.raises(cd.UnknownClaimantError):
        ag.by_event(ds, claimant="no such claimant at all")


def test_joint_keys_skip_a_null_list_that_spans_values() -> None:
    """A null list slot may still span values in its array (Arrow allows it): the keys
    after it are still their own lists' (reviewer's case)."""
    from cambodefect._frame import joint_keys

    parties = pa.ListArray.from_arrays(
        pa.array([0, 2, 3, 4, 5], pa.int32()),
        pa.array(["x", "y", "a", "b+c", "d"]),
        mask=pa.array([True, False, False, False]),
    )
    assert joint_keys(parties).to_pylist() == [None, "a", "b+c", "d"]


@given(
    st.lists(
        st.one_of(
            st.none(), st.lists(st.sampled_from(["a", "b", "c", "", "b+a", "a+"]), max_size=3)
        ),
        max_size=20,
    )
)
def test_joint_keys_are_the_sorted_ids_joined(rows: list[list[str] | None]) -> None:
    """Each claim's joint key is its party IDs sorted and joined with "+", null for none;
    a claim naming one party is keyed by that ID without sorting, which must change
    nothing, even for odd IDs a slug check would refuse."""
    from cambodefect._frame import joint_keys

    def expected(ids: list[str] | None) -> str | None:
        if not ids:
            return None
        return "+".join(sorted("+".join(ids).split("+"))) or None

    arr = pa.array(rows, pa.list_(pa.string()))
    assert joint_keys(arr).to_pylist() == [expected(r) for r in rows]
    # a slice of a list array starts its offsets past zero
    assert joint_keys(arr.slice(len(rows) // 3)).to_pylist() == [
        expected(r) for r in rows[len(rows) // 3 :]
    ]


@slow
@given(datasets())
def test_by_event_lists_each_sides_figures_and_claimants_in_claim_order(
    data: cd.Dataset,
) -> None:
    """Per event and side, the printed figures in the claims' order, and the claimants
    once each, in the order of their first claim (a statement, claim by claim)."""
    from cambodefect.aggregate._events import COUNTER_KINDS, GOVERNMENT_SIDE

    rows = ag.claims_frame(data).to_pylist()
    # a counter-claim: its kind, or a claim that another claim of an event disputes
    disputing = {d for r in rows if r["event_id"] is not None for d in r["disputed_by"]}
    expected: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    for r in rows:
        if r["event_id"] is None:
            continue
        if r["kind"] in COUNTER_KINDS or r["id"] in disputing:
            side = "counter"
        else:
            side = "claimed" if r["alignment"] in GOVERNMENT_SIDE else "other"
        texts, who = expected.setdefault((r["event_id"], side), ([], []))
        texts.append(r["count_text"] if r["count_text"] is not None else "(no figure)")
        if r["claimant"] not in who:
            who.append(r["claimant"])
    for row in ag.by_event(data).to_pylist():
        for side in ("claimed", "counter", "other"):
            texts, who = expected.get((row["event_id"], side), ([], []))
            assert row[side] == texts
            assert row[f"{side}_by"] == who


def test_by_event_orders_by_date_then_id_whatever_the_events_order(ds: cd.Dataset) -> None:
    """by_event orders its rows by start date, then event ID; an events table in ID
    order lets the rows stand for the IDs, any other order compares the IDs: the same."""
    tables = {name: ds.table(name) for name in ds.manifest.rows}
    events = tables["events"]
    assert events.num_rows > 2
    # every event on one day: only the IDs order them
    i = events.schema.get_field_index("date")
    one_day = pa.repeat(events.column("date")[0], events.num_rows)
    tables["events"] = events.set_column(i, events.schema.field(i), one_day)
    in_order = cd.Dataset(ds.manifest, tables)
    tables["events"] = tables["events"].take(pa.array(range(events.num_rows - 1, -1, -1)))
    reversed_ = cd.Dataset(ds.manifest, tables)
    expected = ag.by_event(in_order)
    assert expected["event_id"].to_pylist() == sorted(expected["event_id"].to_pylist())
    assert ag.by_event(reversed_).equals(expected)
