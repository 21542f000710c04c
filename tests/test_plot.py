"""Tests for cambodefect.plot: the figures draw the aggregates, labelled as claims."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings

import cambodefect as cd
from cambodefect import aggregate as ag
from cambodefect import plot
from cambodefect.enums import Alignment, ClaimantKind, ClaimKind, PartyKind, SourceKind
from cambodefect.testing import datasets
from cambodefect.values import Claimant, Count, Evidence, FuzzyDate

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402 (only once importorskip found matplotlib)
from matplotlib.patches import Rectangle  # noqa: E402 (likewise)

if TYPE_CHECKING:
    from matplotlib.axes import Axes


@pytest.fixture(scope="module")
def ds() -> cd.Dataset:
    return cd.load(version="1.0.0")  # the figures below are this release's


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def _outlines(ax: Axes) -> dict[str, float]:
    """The claimant outline of each bar, by its gid ``claimant|unit|period``."""
    return {
        str(p.get_gid()): p.get_height()
        for p in ax.patches
        if isinstance(p, Rectangle) and not p.get_fill()
    }


def _segments(ax: Axes) -> dict[str, float]:
    """Each bar's party segments, by gid ``claimant|unit|period|party_key``."""
    return {
        str(p.get_gid()): p.get_height()
        for p in ax.patches
        if isinstance(p, Rectangle) and p.get_fill()
    }


def _texts(ax: Axes) -> list[str]:
    return [t.get_text() for t in ax.texts]


def _legend(ax: Axes) -> list[str]:
    legend = ax.get_legend()
    assert legend is not None
    return [t.get_text() for t in legend.get_texts()]


# -- timeline ---------------------------------------------------------------------------


def test_timeline_draws_one_bar_per_month_of_the_fresh_news_tally(ds: cd.Dataset) -> None:
    """Fresh News's 2023 series is six monthly bars adding up to the 110 tally rows (6,476)."""
    ax = plot.timeline(ds, claimants=["fresh-news"], era="2023-wave")
    bars = _outlines(ax)
    assert bars == {
        "fresh-news|persons|2023-01-01": 688,
        "fresh-news|persons|2023-02-01": 133,
        "fresh-news|persons|2023-03-01": 17,
        "fresh-news|persons|2023-04-01": 8,
        "fresh-news|persons|2023-05-01": 688,
        "fresh-news|persons|2023-06-01": 4942,
    }
    assert sum(bars.values()) == 6476  # seed 002 lines 28-137, summed
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        f"{m}\n2023" for m in ("Jan", "Feb", "Mar", "Apr", "May", "Jun")
    ]


def test_timeline_bars_are_by_period_and_segments_are_by_party(ds: cd.Dataset) -> None:
    """Each bar's height is aggregate.by_period's figure; its segments add up to it."""
    ax = plot.timeline(ds, claimants=["fresh-news"], era="2023-wave")
    expected = ag.by_period(ds, "month", claimant="fresh-news", era="2023-wave")
    placed = {
        f"fresh-news|persons|{r['period'].isoformat()}": r["count_sum"]
        for r in expected.to_pylist()
        if r["period"] is not None and r["unit"] == "persons"
    }
    assert _outlines(ax) == placed
    segments = _segments(ax)
    for bar, height in placed.items():
        assert sum(v for k, v in segments.items() if k.startswith(bar + "|")) == height


def test_joint_rows_and_placeholders_are_segments_of_their_own(ds: cd.Dataset) -> None:
    """June's joint rows and the "Unnamed Parties" placeholder are their own, labelled segments."""
    ax = plot.timeline(ds, claimants=["fresh-news"], era="2023-wave")
    june = {
        k.rsplit("|", 1)[1]: v
        for k, v in _segments(ax).items()
        if k.startswith("fresh-news|persons|2023-06-01|")
    }
    parties = ag.by_party(
        ds, claimant="fresh-news", start=date(2023, 6, 1), end=date(2023, 6, 30)
    ).to_pylist()
    assert june == {r["party_key"] or "": r["count_sum"] for r in parties if r["count_sum"]}
    assert "candlelight-party+unnamed-parties" in june
    assert "unnamed-parties" in june
    labels = _legend(ax)
    assert "CNRP + Candlelight Party (joint row)" in labels
    assert "Candlelight Party + Unnamed Parties (joint row)" in labels
    assert "Unnamed Parties (placeholder)" in labels
    assert "Political Analyst (not a party)" in labels


def test_claimants_are_separate_bars_never_pooled(ds: cd.Dataset) -> None:
    """In May 2023 Fresh News (688) and VOA (10) are two bars, not one bar of 698."""
    ax = plot.timeline(ds, era="2023-wave")
    bars = _outlines(ax)
    assert bars["fresh-news|persons|2023-05-01"] == 688
    assert bars["voa-many-opposition-defect|persons|2023-05-01"] == 10
    assert 698 not in bars.values()
    labels = _legend(ax)
    assert "Fresh News" in labels
    assert any(label.startswith("VOA, “Many opposition members") for label in labels)
    assert {"688", "10", "4,942"} <= set(_texts(ax))


def test_title_and_axis_say_these_are_claims_and_by_whom(ds: cd.Dataset) -> None:
    """The title names the claimant and its alignment; the y-axis says the unit claimed."""
    ax = plot.timeline(ds, claimants=["fresh-news"], era="2023-wave")
    title = ax.get_title(loc="left")
    assert title.startswith("Claimed defections per month")
    assert "Claimed by: Fresh News (government-aligned)" in title
    assert ax.get_ylabel() == "persons claimed (sum of stated figures)"


def test_the_note_counts_what_is_not_drawn_from_the_aggregate_metadata(ds: cd.Dataset) -> None:
    """The caption gives the unplaced claims that aggregate.cumulative reports."""
    ax = plot.timeline(ds, claimants=["fresh-news"], era="2023-wave")
    meta = ag.cumulative(ds, "month", claimant="fresh-news", era="2023-wave").schema.metadata
    assert b'"unplaced_claims": 2' in meta[b"cambodefect.aggregate"]
    note = " ".join(_texts(ax)).replace("\n", " ")
    assert "claims as stated, not verified counts" in note
    assert "Not drawn for Fresh News: 2 claims without a date that fits one month" in note


def test_default_names_the_claimants_it_leaves_out(ds: cd.Dataset) -> None:
    """Claimants whose claims carry no figure are listed as not drawn, not silently dropped."""
    ax = plot.timeline(ds, era="2023-wave")
    note = " ".join(_texts(ax)).replace("\n", " ")
    assert "Claimants with no figure in any month, not drawn: CamboJA" in note


def test_timeline_refuses_to_pool_claimants(ds: cd.Dataset) -> None:
    """claimant= and pool_claimants= are refused: series are named with claimants=[...]."""
    with pytest.raises(ag.AggregationError, match="never pools"):
        plot.timeline(ds, claimant="fresh-news")
    with pytest.raises(ag.AggregationError, match="never pools"):
        plot.timeline(  # type: ignore[call-arg]
            ds, claimants=["fresh-news", "sok-eysan"], pool_claimants=True
        )


def test_timeline_passes_unknown_values_to_aggregate_errors(ds: cd.Dataset) -> None:
    """An unknown claimant or frequency raises aggregate's own error, naming the value."""
    with pytest.raises(ag.AggregationError, match="nobody"):
        plot.timeline(ds, claimants=["nobody"])
    with pytest.raises(ag.AggregationError, match="fortnight"):
        plot.timeline(ds, freq="fortnight")  # type: ignore[arg-type]  # invalid on purpose


def test_timeline_draws_on_the_axes_it_is_given(ds: cd.Dataset) -> None:
    """With ax=, the figure is drawn there and that Axes is returned."""
    fig, ax = plt.subplots()
    assert plot.timeline(ds, claimants=["fresh-news"], ax=ax) is ax
    assert len(fig.axes) == 1


def test_an_empty_selection_draws_no_bar_and_says_why(ds: cd.Dataset) -> None:
    """A claimant with no figure draws no bar, and the note says so."""
    ax = plot.timeline(ds, claimants=["ppp-former-cnrp-officials-distrust"])
    assert _outlines(ax) == {}
    assert "no figure to draw: see the note below" in _texts(ax)


_EVIDENCE = (Evidence(source_id="s", line=1, note="test"),)


def _two_era_dataset() -> cd.Dataset:
    """One claimant: a total dated June 2023 whose item is dated May 2023, another
    claim in June, and one in November 2017."""
    who = Claimant(kind=ClaimantKind.ORGANIZATION, id="o", alignment=Alignment.UNKNOWN)
    party = cd.Party(id="p", name="P", kind=PartyKind.PARTY, evidence=_EVIDENCE)
    org = cd.Party(id="o", name="O", kind=PartyKind.MEDIA, evidence=_EVIDENCE)
    src = cd.Source(
        id="s",
        kind=SourceKind.REPORT,
        alignment=Alignment.UNKNOWN,
        read_directly=False,
        evidence=_EVIDENCE,
    )

    def claim(ident: str, n: int, when: FuzzyDate, part_of: str | None = None) -> cd.Claim:
        return cd.Claim(
            id=ident,
            kind=ClaimKind.DEFECTION,
            claimant=who,
            count=Count.exact(n),
            from_party_ids=("p",),
            period=when,
            part_of=part_of,
            evidence=_EVIDENCE,
        )

    claims = [
        claim("total", 50, FuzzyDate.month(2023, 6)),
        claim("item", 50, FuzzyDate.month(2023, 5), part_of="total"),
        claim("other", 7, FuzzyDate.month(2023, 6)),
        claim("old", 3, FuzzyDate.month(2017, 11)),
    ]
    return cd.Dataset.from_records(parties=[party, org], sources=[src], claims=claims)


def test_a_gap_of_years_is_a_break_not_empty_months() -> None:
    """November 2017 and May-June 2023 are three bars with one break between, not 68 months."""
    ax = plot.timeline(_two_era_dataset())
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["Nov\n2017", "gap", "May\n2023", "Jun\n2023"]


def test_a_total_is_not_added_to_its_items_across_periods() -> None:
    """A total and its item in different months: only the item counts (by_period's rule),
    and every bar is split by party from the same selection, so its segments add up."""
    data = _two_era_dataset()
    ax = plot.timeline(data, kind=["defection"])
    assert _outlines(ax) == {
        "o|persons|2017-11-01": 3,
        "o|persons|2023-05-01": 50,
        "o|persons|2023-06-01": 7,  # the June total of 50 is not added: its item counts
    }
    segments = _segments(ax)
    assert segments["o|persons|2023-06-01|p"] == 7
    assert segments["o|persons|2023-05-01|p"] == 50
    note = " ".join(_texts(ax)).replace("\n", " ")
    assert "1 stated total not added to its own items" in note
    assert "not split by party" not in note


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_timeline_draws_by_periods_figures_for_any_dataset(data: cd.Dataset) -> None:
    """For any valid dataset and all claim kinds, every bar is by_period's figure."""
    kinds = [k.value for k in ClaimKind]
    ax = plot.timeline(data, kind=kinds)
    expected = {}
    for r in ag.by_period(data, "month", kind=kinds).to_pylist():
        if r["period"] is not None and r["unit"] not in (None, "percent") and r["count_sum"]:
            expected[f"{r['claimant']}|{r['unit']}|{r['period'].isoformat()}"] = r["count_sum"]
    drawn = {k: v for k, v in _outlines(ax).items() if v}
    assert drawn == expected
    plt.close("all")


# -- reconciliation ---------------------------------------------------------------------


def test_reconciliation_draws_a_pair_of_bars_per_stated_total(ds: cd.Dataset) -> None:
    """One stated and one itemized bar for each of the four totals with items."""
    ax = plot.reconciliation(ds)
    ids = ag.reconcile(ds)["id"].to_pylist()
    gids = [p.get_gid() for p in ax.patches]
    assert gids == [f"{i}|{what}" for i in ids for what in ("stated", "items")]
    assert len(gids) == 8


def test_reconciliation_annotates_the_differences(ds: cd.Dataset) -> None:
    """6,473 stated against 6,476 itemized is -3, a mismatch; 774 against 774 matches."""
    ax = plot.reconciliation(ds)
    texts = _texts(ax)
    assert "difference -3 (stated - itemized): mismatch" in texts
    assert "difference 0 (items add up): match" in texts
    assert {"6,473", "6,476 (110 items)", "774", "774 (3 items)", "≥ 7", "~60"} <= set(texts)


def test_reconciliation_labels_claimant_claim_and_line(ds: cd.Dataset) -> None:
    """Each pair names its claimant, its printed figure, its claim ID and its source line."""
    ax = plot.reconciliation(ds)
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert "Fresh News\nstated “6,473” persons" in ticks
    assert "Ork Kimhan\nstated “774” officials" in ticks
    assert (
        "voa-media-claims-fresh-news-total-6473 · voa-pro-government-media-claims, line 5"
        in _texts(ax)
    )
    assert ax.get_legend() is not None
    assert _legend(ax) == ["total, as stated", "sum of its items"]


def test_reconciliation_of_a_dataset_without_totals() -> None:
    """A dataset with no itemized total draws no bar and says so."""
    ax = plot.reconciliation(cd.Dataset.from_records())
    assert len(ax.patches) == 0
    assert "no stated total has items" in _texts(ax)


# -- the optional extra -----------------------------------------------------------------


@pytest.mark.parametrize("draw", [plot.timeline, plot.reconciliation])
def test_without_matplotlib_the_error_names_the_extra(
    ds: cd.Dataset, draw: Callable[[cd.Dataset], Axes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without matplotlib, MissingExtraError names the plot extra (and is an ImportError)."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(cd.MissingExtraError, match=r"cambodefect\[plot\]") as info:
        draw(ds)
    assert info.value.extra == "plot"
    assert isinstance(info.value, ImportError)
