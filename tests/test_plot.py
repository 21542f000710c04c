"""Tests for cambodefect.plot: the figures draw the aggregates, labelled as claims."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING, cast

import pytest
from hypothesis import HealthCheck, given, settings

import cambodefect as cd
from cambodefect import aggregate as ag
from cambodefect import plot
from cambodefect.enums import Alignment, ClaimantKind, ClaimKind, PartyKind, SourceKind
from cambodefect.testing import datasets
from cambodefect.values import Claimant, Count, Evidence, FuzzyDate, Place

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402 (only once importorskip found matplotlib)
import numpy as np  # noqa: E402 (numpy comes with matplotlib)
from matplotlib.patches import PathPatch, Rectangle  # noqa: E402 (likewise)

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
    """The texts drawn on ``ax`` and on any panel inside it (the reconciliation's
    difference panel is a child Axes)."""
    return [t.get_text() for a in (ax, *ax.child_axes) for t in a.texts]


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


# -- the figures of dataset 3.0.0: flows, contested events, provinces --------------------


@pytest.fixture(scope="module")
def ds3() -> cd.Dataset:
    return cd.load(version="3.0.0")  # the figures below are this release's


def _all_texts(ax: Axes) -> list[str]:
    """Every string a figure shows: texts, titles, tick labels, axis labels, legend."""
    out = _texts(ax)
    for a in (ax, *(cast("Axes", c) for c in ax.child_axes)):
        out += [a.get_title(loc="left"), a.get_xlabel(), a.get_ylabel()]
        out += [t.get_text() for t in (*a.get_xticklabels(), *a.get_yticklabels())]
        legend = a.get_legend()
        if legend is not None:
            out += [t.get_text() for t in legend.get_texts()]
    return out


def _note(ax: Axes) -> str:
    """All the texts of a figure as one line (the caption wraps its notes)."""
    return " ".join(_texts(ax)).replace("\n  ", " ").replace("\n", " ")


def _ribbons(ax: Axes) -> dict[str, float]:
    """Each flow's ribbon, by gid ``flow|cycle|party_key|to_party_id``: its width where
    it leaves the former party."""
    out = {}
    for p in ax.patches:
        gid = str(p.get_gid())
        if isinstance(p, PathPatch) and gid.startswith("flow|"):
            v = np.asarray(p.get_path().vertices, dtype=float)
            out[gid] = float(v[0, 1] - v[7, 1])
    return out


_KHMER = re.compile("[\u1780-\u17ff\u19e0-\u19ff]")  # Khmer, Khmer Symbols

_GROUP = Claimant(kind=ClaimantKind.ORGANIZATION, id="o", alignment=Alignment.RULING_PARTY)


def _records(
    claims: list[cd.Claim], events: tuple[cd.Event, ...] = (), parties: str = "abc"
) -> cd.Dataset:
    """A dataset of ``claims``, with parties ``a``, ``b``, ``c`` (A, B, C), a ruling-party
    organization ``o``, an opposition one ``x``, and one source."""
    found = [
        cd.Party(id=p, name=p.upper(), kind=PartyKind.PARTY, evidence=_EVIDENCE) for p in parties
    ]
    found += [
        cd.Party(id="o", name="O", kind=PartyKind.MEDIA, evidence=_EVIDENCE),
        cd.Party(id="x", name="X", kind=PartyKind.MEDIA, evidence=_EVIDENCE),
    ]
    src = cd.Source(
        id="s",
        kind=SourceKind.REPORT,
        alignment=Alignment.UNKNOWN,
        read_directly=False,
        evidence=_EVIDENCE,
    )
    return cd.Dataset.from_records(parties=found, sources=[src], claims=claims, events=events)


def _defection(ident: str, count: Count | None, frm: tuple[str, ...], **kw: object) -> cd.Claim:
    fields: dict[str, object] = {
        "kind": ClaimKind.DEFECTION,
        "claimant": _GROUP,
        "period": FuzzyDate.month(2023, 5),
        "evidence": _EVIDENCE,
        "to_party_id": "c",
        **kw,
    }
    return cd.Claim(id=ident, count=count, from_party_ids=frm, **fields)  # type: ignore[arg-type]


# -- flows ------------------------------------------------------------------------------


def test_flows_draw_a_ribbon_per_row_of_by_flow(ds3: cd.Dataset) -> None:
    """Fresh News's flows are aggregate.by_flow's rows, each ribbon as wide as its claims."""
    ax = plot.flows(ds3, claimant="fresh-news")
    claims: dict[str, int] = {}
    for r in ag.by_flow(ds3, claimant="fresh-news").to_pylist():
        gid = f"flow|{r['cycle'] or ''}|{r['party_key'] or ''}|{r['to_party_id'] or ''}"
        claims[gid] = claims.get(gid, 0) + r["claims"]
    expected = {k: v for k, v in claims.items() if v}
    ribbons = _ribbons(ax)
    assert set(ribbons) == set(expected)
    assert expected["flow|2023|candlelight-party|cambodian-peoples-party"] == 60
    per_claim = ribbons["flow|2023|candlelight-party|cambodian-peoples-party"] / 60
    for gid, width in ribbons.items():  # one scale for the whole figure
        assert width == pytest.approx(expected[gid] * per_claim)
    texts = _texts(ax)
    assert {"Candlelight Party · 60", "CNRP · 27", "CPP · 111", "CPP · 15"} <= set(texts)


def test_flows_of_claimed_figures_add_no_unit_to_another(ds3: cd.Dataset) -> None:
    """With measure="count_sum", persons are drawn and officials are named as not drawn."""
    ax = plot.flows(ds3, claimant="fresh-news", measure="count_sum")
    texts = _texts(ax)
    assert "Candlelight Party · 4,716" in texts
    assert "CPP · 6,476" in texts  # the 2023 tally rows, not the stated 6,473
    assert "CNRP · 1,252+" in texts  # undated, with a claim that has no upper bound
    assert "persons claimed" in ax.get_title(loc="left")
    assert "Also claimed in officials, not drawn (never added to persons): 4 claims, 2,027" in (
        _note(ax)
    )


def test_flows_by_default_draw_one_claimant_and_say_which(ds3: cd.Dataset) -> None:
    """Without claimant=, the claimant with the most claims is drawn, named in the title,
    and the others are listed as not drawn: never pooled."""
    ax = plot.flows(ds3)
    title = ax.get_title(loc="left")
    assert "Claimed by: Fresh News (government-aligned) (the claimant with the most claims" in title
    assert "never pooled" in title
    assert _ribbons(ax) == _ribbons(plot.flows(ds3, claimant="fresh-news"))
    assert "Other claimants in this selection, with their number of claims, not drawn" in _note(ax)
    assert "CPP (7)" in _note(ax)


def test_flows_refuse_several_claimants(ds3: cd.Dataset) -> None:
    """Naming two claimants is refused: flows draws one series."""
    with pytest.raises(ag.AggregationError, match="never pools"):
        plot.flows(ds3, claimant=["fresh-news", "sok-eysan"])
    with pytest.raises(cd.UnknownFilterValueError, match="people"):
        plot.flows(ds3, measure="people")  # type: ignore[arg-type]  # invalid on purpose


def test_a_joint_row_stays_one_joint_flow() -> None:
    """A claim from A and B together is one joint node and ribbon, never one each for A and B."""
    data = _records(
        [
            _defection("joint", Count.exact(10), ("a", "b")),
            _defection("alone", Count.exact(5), ("a",)),
            _defection("nowhere", Count.exact(2), ("b",), to_party_id=None),
        ]
    )
    ax = plot.flows(data, measure="count_sum")
    assert set(_ribbons(ax)) == {"flow|2023|a+b|c", "flow|2023|a|c", "flow|2023|b|"}
    texts = _texts(ax)
    assert {"A + B (joint row) · 10", "A · 5", "B · 2", "C · 15"} <= set(texts)
    assert "no party joined stated · 2" in texts
    joint = next(p for p in ax.patches if p.get_gid() == "flow|2023|a+b|c")
    assert joint.get_hatch() == "///"
    rows = ag.by_flow(data).to_pylist()
    assert [(r["party_key"], r["party_kind"], r["count_sum"]) for r in rows] == [
        ("a", "party", 5),
        ("a+b", "joint", 10),
        ("b", "party", 2),
    ]


def test_flows_do_not_add_a_total_to_its_items() -> None:
    """A stated total of 9 with items of 4 and 5 is drawn as its items (9), not as 18."""
    data = _records(
        [
            _defection("total", Count.exact(9), ("a",), kind=ClaimKind.TOTAL),
            _defection("i1", Count.exact(4), ("a",), part_of="total"),
            _defection("i2", Count.exact(5), ("a",), part_of="total"),
        ]
    )
    ax = plot.flows(data, measure="count_sum")
    assert {"A · 9", "C · 9"} <= set(_texts(ax))
    assert "1 stated total not added to its own items" in _note(ax)
    assert "A · 2" in _texts(plot.flows(data))  # two claims, the items


# -- contested events -------------------------------------------------------------------


def _markers(ax: Axes) -> dict[str, float]:
    """The claimed and counter markers, by gid ``side|event_id``."""
    return {
        str(m.get_gid()): float(np.asarray(m.get_xdata(), dtype=float)[0])
        for m in ax.lines
        if str(m.get_gid()).startswith(("claimed|", "counter|"))
    }


def test_contested_draws_by_events_figures(ds3: cd.Dataset) -> None:
    """Each contested event is a row; its markers are by_event's claimed_high and counter_low."""
    ax = plot.contested(ds3)
    table = ag.by_event(ds3, contested=True).to_pylist()
    assert len(ax.get_yticks()) == len(table) == 8
    expected = {
        f"{side}|{r['event_id']}": r[column]
        for r in table
        for side, column in (("claimed", "claimed_high"), ("counter", "counter_low"))
        if r[column]
    }
    assert _markers(ax) == expected
    assert expected == {
        "claimed|ev-2009-11-28-meanchey-defection": 128,
        "claimed|ev-2016-10-30-takeo-bati-ceremony": 200,
        "claimed|ev-kampot-chhuk-ceremony-aug-30": 200,
        "counter|ev-kampot-chhuk-ceremony-aug-30": 2,
    }
    assert "claimed / counter = 100" in _texts(ax)
    assert ax.get_xscale() == "log"


def test_events_with_no_numeric_counter_figure_are_listed(ds3: cd.Dataset) -> None:
    """The seven events whose counter-claims carry no number are said so, on their rows and
    in the note, never dropped."""
    ax = plot.contested(ds3)
    missing = [
        r["event_id"]
        for r in ag.by_event(ds3, contested=True).to_pylist()
        if r["counter_low"] is None
    ]
    assert len(missing) == 7
    on_rows = [t for t in _texts(ax) if t.startswith("no numeric counter-figure")]
    assert len(on_rows) == 7
    note = _note(ax)
    assert "7 of 8 contested events: no numeric counter-figure" in note
    for event in missing:
        assert event in note


def _event_dataset(counter: Count | None) -> cd.Dataset:
    """One ceremony: the ruling party's "1,003", and an opposition dispute of ``counter``."""
    event = cd.Event(id="ev", kind="ceremony", evidence=_EVIDENCE)
    opposition = Claimant(kind=ClaimantKind.ORGANIZATION, id="x", alignment=Alignment.OPPOSITION)
    claims = [
        _defection(
            "claimed",
            Count.exact(1003, text="1,003"),
            ("a",),
            event_id="ev",
            disputed_by=("counter",),
        ),
        _defection(
            "counter", counter, ("a",), event_id="ev", kind=ClaimKind.DISPUTE, claimant=opposition
        ),
    ]
    return _records(claims, events=(event,))


def test_a_counter_claim_without_a_figure_is_listed_not_dropped() -> None:
    """A dispute that prints no number keeps its event on the figure, labelled so."""
    ax = plot.contested(_event_dataset(Count.vague("only a few")))
    assert _markers(ax) == {"claimed|ev": 1003}
    assert "no numeric counter-figure" in _texts(ax)
    note = _note(ax)
    assert "1 of 1 contested events: no numeric counter-figure (said on their rows): ev." in note
    assert "Counter: “only a few” (X)" in note


def test_a_counter_figure_is_drawn_beside_the_claim_never_added() -> None:
    """1,003 claimed against 6 counter-claimed: two markers, the ratio, and no sum."""
    ax = plot.contested(_event_dataset(Count.exact(6, text="just six")))
    assert _markers(ax) == {"claimed|ev": 1003, "counter|ev": 6}
    texts = _texts(ax)
    assert "claimed / counter = 167" in texts
    assert not any("1,009" in t for t in texts)


def test_a_counter_figure_of_zero_has_no_place_on_a_log_scale() -> None:
    """A counter-figure of 0 is not drawn on the log axis and the row says why."""
    ax = plot.contested(_event_dataset(Count.exact(0, text="nobody")))
    assert _markers(ax) == {"claimed|ev": 1003}
    assert "counter-figure 0: no place on a log scale" in _texts(ax)


def test_khmer_figures_are_named_never_drawn() -> None:
    """A figure printed in Khmer (no glyphs in the default fonts) is replaced by a note."""
    ax = plot.contested(_event_dataset(Count.exact(6, text="\u17e6 \u1793\u17b6\u1780\u17cb")))
    assert "Counter: a figure (printed in Khmer) (X)" in _note(ax)
    assert not any(_KHMER.search(t) for t in _all_texts(ax))


# -- provinces --------------------------------------------------------------------------


def _segments_by_province(ax: Axes) -> dict[str, dict[str, float]]:
    """Each province's bar, by its segments ``province|claimant``."""
    out: dict[str, dict[str, float]] = {}
    for p in ax.patches:
        gid = str(p.get_gid())
        if isinstance(p, Rectangle) and gid.startswith("KH-"):
            province, claimant = gid.split("|", 1)
            out.setdefault(province, {})[claimant] = p.get_width()
    return out


def test_provinces_draw_by_places_claims_one_segment_per_claimant(ds3: cd.Dataset) -> None:
    """Every bar is aggregate.by_place's claims for its province, split by claimant."""
    ax = plot.provinces(ds3)
    expected: dict[str, dict[str, int]] = {}
    for r in ag.by_place(ds3).to_pylist():
        if r["province"] is not None and r["claims"]:
            mine = expected.setdefault(r["province"], {})
            mine[r["claimant"]] = mine.get(r["claimant"], 0) + r["claims"]
    assert _segments_by_province(ax) == expected
    assert sum(expected["KH-12"].values()) == 10
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[:3] == ["KH-12 Phnom Penh", "KH-2 Baat Dambang", "KH-7 Kampot"]
    assert "aggregate.by_place" in ax.get_title(loc="left")


def test_provinces_say_how_many_claims_name_no_place(ds3: cd.Dataset) -> None:
    """Claims with no province are counted in the note, with their claimants."""
    ax = plot.provinces(ds3)
    unplaced = [r for r in ag.by_place(ds3).to_pylist() if r["province"] is None]
    claims = sum(r["claims"] for r in unplaced)
    claimants = len({r["claimant"] for r in unplaced if r["claims"]})
    assert (claims, claimants) == (230, 72)
    assert "Not drawn: 230 claims by 72 claimants name no province." in _note(ax)
    assert "No counted claim placed in 8 provinces: KH-4 Kampong Chhnang" in _note(ax)


def test_provinces_count_a_total_as_its_items() -> None:
    """A total placed in Phnom Penh with two items there is two claims, not three; a claim
    with no place is in the note."""
    here = Place(text="Phnom Penh", province="KH-12")
    data = _records(
        [
            _defection("total", Count.exact(9), ("a",), kind=ClaimKind.TOTAL, place=here),
            _defection("i1", Count.exact(4), ("a",), part_of="total", place=here),
            _defection("i2", Count.exact(5), ("a",), part_of="total", place=here),
            _defection("elsewhere", Count.exact(1), ("b",)),
        ]
    )
    ax = plot.provinces(data)
    assert _segments_by_province(ax) == {"KH-12": {"o": 2}}
    assert "2 claims by O" in _texts(ax)
    note = _note(ax)
    assert "Not drawn: 1 claim by 1 claimant name no province." in note
    assert "1 stated total represented by its own items" in note


# -- reconciliation: the difference on its own axis -------------------------------------


def test_reconciliation_draws_the_difference_on_its_own_axis(ds: cd.Dataset) -> None:
    """6,473 against 6,476 is a bar of -3 on the difference axis, beside its pair; 774
    against 774 is a point at 0."""
    ax = plot.reconciliation(ds)
    (panel,) = ax.child_axes
    points = {str(m.get_gid()): m for m in panel.lines if m.get_gid()}
    rows = ag.reconcile(ds).to_pylist()
    assert {k: float(np.asarray(m.get_xdata(), dtype=float)[0]) for k, m in points.items()} == {
        f"{r['id']}|difference": r["difference"] for r in rows if r["difference"] is not None
    }
    bars = {str(p.get_gid()): p for p in panel.patches if isinstance(p, Rectangle)}
    mismatch = bars["voa-media-claims-fresh-news-total-6473|difference-bar"]
    assert mismatch.get_width() == -3
    stated = next(
        p for p in ax.patches if p.get_gid() == "voa-media-claims-fresh-news-total-6473|stated"
    )
    assert isinstance(stated, Rectangle)
    assert stated.get_y() < mismatch.get_y() + mismatch.get_height()  # the same row
    assert mismatch.get_y() < stated.get_y() + 2 * stated.get_height()
    low, high = panel.get_xlim()
    assert low < -3 and high > 3
    assert panel.get_xlabel().startswith("stated - itemized")


def test_reconciliation_wraps_long_labels_never_cuts_them(ds3: cd.Dataset) -> None:
    """A long source title as claimant is wrapped over lines, whole, with no ellipsis."""
    ax = plot.reconciliation(ds3)
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert not any("…" in t for t in ticks)
    flat = [t.replace("\n", " ") for t in ticks]
    long = next(t for t in flat if "no headline in the stored copy" in t)
    assert "requests to re-enter politics]”" in long
    assert max(len(line) for t in ticks for line in t.splitlines()) <= 32
    assert "Fresh News\nstated 25 (printed in Khmer)\npersons" in ticks


@pytest.mark.parametrize(
    "draw", [plot.flows, plot.contested, plot.provinces, plot.reconciliation, plot.timeline]
)
def test_no_figure_draws_khmer_text(ds3: cd.Dataset, draw: Callable[[cd.Dataset], Axes]) -> None:
    """The default fonts have no Khmer glyphs: no figure of 3.0.0 draws Khmer script."""
    ax = draw(ds3)
    assert not any(_KHMER.search(t) for t in _all_texts(ax))


@pytest.mark.parametrize("draw", [plot.flows, plot.contested, plot.provinces])
def test_the_new_figures_without_matplotlib_name_the_extra(
    ds: cd.Dataset, draw: Callable[[cd.Dataset], Axes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without matplotlib, flows, contested and provinces raise MissingExtraError."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(cd.MissingExtraError, match=r"cambodefect\[plot\]"):
        draw(ds)


def test_timeline_claimants_are_read_as_aggregate_reads_claimant(ds: cd.Dataset) -> None:
    """`timeline(claimants=...)` takes what `aggregate(claimant=...)` takes (a name, an
    alias or an ID) and refuses what it refuses, with the same suggestions."""
    by_name = plot.timeline(ds, claimants=["Fresh News"], era="2023-wave")
    by_id = plot.timeline(ds, claimants=["fresh-news"], era="2023-wave")
    assert _segments(by_name) == _segments(by_id) and _segments(by_id)
    with pytest.raises(cd.UnknownClaimantError) as from_plot:
        plot.timeline(ds, claimants=["Fresh Newz"])
    with pytest.raises(cd.UnknownClaimantError) as from_aggregate:
        ag.by_party(ds, claimant="Fresh Newz")
    assert str(from_plot.value) == str(from_aggregate.value)
