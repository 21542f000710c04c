"""The reconciliation figure: each stated total beside the sum of its own items."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from cambodefect import aggregate
from cambodefect.plot._style import Names, new_axes, printed

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from cambodefect.dataset import Dataset

__all__ = ["reconciliation"]

_PANEL = 0.72  # where the difference panel starts, as a fraction of the Axes' width


def _figure(value: int | None, qualifier: str | None) -> str:
    if value is None:
        return "no figure"
    mark = {"at_least": "≥ ", "more_than": "≥ ", "fewer_than": "≤ ", "approximate": "~"}
    return f"{mark.get(qualifier or '', '')}{value:,}"


def _items(n: int) -> str:
    return f"{n:,} item{'s' * (n != 1)}"


def _verdict(row: dict[str, Any]) -> tuple[str, str]:
    """The text under a pair's difference, and its colour."""
    status, diff = row["status"], row["difference"]
    left_out = len(row["excluded"] or [])
    extra = f"\n{left_out} item{'s' * (left_out != 1)} left out of the sum" if left_out else ""
    if diff is not None:
        sign = "-" if diff < 0 else ("+" if diff > 0 else "")
        word = "items add up" if diff == 0 else "stated - itemized"
        colour = "#1a7f37" if diff == 0 else "#b2182b"
        return f"difference {sign}{abs(diff):,} ({word}): {status}{extra}", colour
    if status == "contradiction":
        return f"items exceed the stated figure:\n{status}{extra}", "#b2182b"
    if status == "consistent":
        return f"no exact difference (inexact or partial):\n{status}{extra}", "#555555"
    return f"no difference to draw: {status}{extra}", "#555555"


def reconciliation(ds: Dataset, *, ax: Axes | None = None) -> Axes:
    """Each stated total beside the sum of its own items, and the difference on its own axis.

    One row per row of [`cambodefect.aggregate.reconcile`][cambodefect.aggregate.reconcile]. On the
    left, a pair of
    bars: the total as stated (its printed phrase, e.g. "6,473" or "at least seven") and
    the sum of the items that point to it with ``part_of``. Each pair is drawn to its
    own linear scale, longest bar full width, because the totals range from a handful
    to thousands; the numbers are written on the bars. On the right, a panel with one
    axis for every row: the difference, stated - itemized, as a bar from zero with its
    value, so that 6,473 against 6,476 shows as -3, not as two equal bars; under it the
    status (match, mismatch, consistent, contradiction, not comparable). A row with no
    exact difference (a bound, an inexact figure) has no bar there and says why.

    Each pair is labelled with its claimant, the stated phrase (a phrase printed in
    Khmer is given as its figure: the default fonts have no Khmer glyphs), the claim ID
    and where in the source it was read (line or paragraph). Long labels are wrapped,
    never cut.

    Args:
        ds: the dataset.
        ax: the matplotlib Axes to draw on (the difference panel is drawn inside its
            right part); by default a new figure.

    Returns:
        The Axes drawn on (the difference panel is its one child Axes).

    Raises:
        MissingExtraError: matplotlib is not installed.

    Examples:
        >>> import cambodefect as cd
        >>> from cambodefect import plot
        >>> ax = plot.reconciliation(cd.load("1.0.0"))
        >>> (panel,) = ax.child_axes
        >>> {str(m.get_gid()): int(m.get_xdata()[0]) for m in panel.lines if m.get_gid()}
        {'ppp-2017-cpp-tally-774|difference': 0,
         'voa-media-claims-fresh-news-total-6473|difference': -3}
        >>> [t.get_text() for t in panel.texts if t.get_text().startswith("difference")]
        ['difference 0 (items add up): match', 'difference -3 (stated - itemized): mismatch']
    """
    rows = aggregate.reconcile(ds).to_pylist()
    n = len(rows)
    ax = new_axes(ax, (12.0, 0.8 * n + 2.6))
    panel = ax.inset_axes((_PANEL, 0.0, 1 - _PANEL, 1.0), sharey=ax)
    names = Names.of(ds)
    height = 0.34
    ticks: list[float] = []
    labels: list[str] = []
    diffs = [abs(r["difference"]) for r in rows if r["difference"] is not None]
    reach = max(5.0, 1.5 * max(diffs, default=0))
    for i, r in enumerate(rows):
        y = float(n - 1 - i)  # first row on top
        claim = ds.claim(r["id"])
        unit = claim.count.unit.value if claim.count is not None else ""
        stated = r["stated_value"]
        if stated is None:
            stated = r["stated_low"] if r["stated_low"] is not None else r["stated_high"]
        items = r["items_sum"] if r["items_sum"] is not None else r["items_lower"]
        scale = max(stated or 0, items or 0) or 1
        for what, value, dy, colour, text in (
            ("stated", stated, height / 2, "#4c72b0", _figure(stated, r["stated_qualifier"])),
            (
                "items",
                items,
                -height / 2,
                "#dd8452",
                f"{_figure(items, None)} ({_items(r['items'])})",
            ),
        ):
            length = (value or 0) / scale
            ax.barh(
                y + dy, length, height, color=colour, edgecolor="white", gid=f"{r['id']}|{what}"
            )
            ax.text(length + 0.01, y + dy, text, va="center", ha="left", fontsize=9)
        ev = claim.evidence[0]
        ax.text(
            0.01,
            y + height + 0.08,
            f"{r['id']} · {ev.source_id}, {ev.locator}",
            va="bottom",
            ha="left",
            fontsize=7,
            color="#666666",
        )
        _difference(panel, r, y, reach)
        ticks.append(y)
        claimant = textwrap.fill(names.claimant(r["claimant"], alignment=False, width=500), 32)
        phrase = f"stated {printed(r['stated_text'], _figure(stated, None))} {unit}".rstrip()
        labels.append(f"{claimant}\n{textwrap.fill(phrase, 32)}")
    ax.set_yticks(ticks, labels, fontsize=9)
    ax.set_ylim(-0.7, max(n, 1) - 0.2)
    ax.set_xlim(0, 2.2)  # bars end at 1, their figures after them; the panel sits at the right
    ax.set_xticks([])
    ax.spines[["top", "right", "bottom"]].set_visible(False)
    ax.set_xlabel(
        "each pair drawn to its own linear scale (the larger figure is full width)", loc="left"
    )
    ax.set_title(
        "Stated totals against the sum of their own items (claims, as stated)\n"
        "right: the difference, stated total - sum of the items that point to it (part_of)",
        loc="left",
        fontsize=11,
        pad=20,
    )
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    ax.legend(
        handles=[
            Patch(color="#4c72b0", label="total, as stated"),
            Patch(color="#dd8452", label="sum of its items"),
        ],
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncols=2,
        fontsize=8,
        frameon=False,
        borderaxespad=0.1,
    )
    panel.axvline(0, color="#333333", lw=0.8)
    panel.set_xlim(-reach, reach)
    panel.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True, symmetric=True))
    panel.xaxis.set_major_formatter(lambda x, _: f"{x:+,.0f}" if x else "0")
    panel.tick_params(axis="y", left=False, labelleft=False)
    panel.tick_params(axis="x", labelsize=8)
    panel.spines[["top", "right", "left"]].set_visible(False)
    panel.set_xlabel("stated - itemized (the total's unit)", fontsize=9)
    panel.set_facecolor("#f7f7f7")
    if not rows:
        ax.text(0.5, 0.5, "no stated total has items", ha="center", transform=ax.transAxes)
    return ax


def _difference(panel: Axes, row: dict[str, Any], y: float, reach: float) -> None:
    """One row of the difference panel: a bar from zero, its value, the status under it."""
    verdict, colour = _verdict(row)
    diff = row["difference"]
    if diff is not None:
        panel.barh(y + 0.1, diff, 0.3, color=colour, gid=f"{row['id']}|difference-bar")
        panel.plot([diff], [y + 0.1], marker="o", ms=5, color=colour, gid=f"{row['id']}|difference")
    panel.text(
        -reach * 0.96,
        y - 0.12,
        verdict,
        va="top",
        ha="left",
        fontsize=7.5,
        color=colour,
        bbox={"facecolor": "#f7f7f7", "edgecolor": "none", "pad": 0.5},
    )
