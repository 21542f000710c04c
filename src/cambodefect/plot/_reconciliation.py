"""The reconciliation figure: each stated total beside the sum of its own items."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cambodefect import aggregate
from cambodefect.plot._style import Names, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from cambodefect.dataset import Dataset

__all__ = ["reconciliation"]


def _figure(value: int | None, qualifier: str | None) -> str:
    if value is None:
        return "no figure"
    mark = {"at_least": "≥ ", "more_than": "≥ ", "fewer_than": "≤ ", "approximate": "~"}
    return f"{mark.get(qualifier or '', '')}{value:,}"


def _printed(text: str | None, value: int | None) -> str:
    """The stated phrase in quotes, or, where the default fonts cannot draw its script
    (Khmer), the figure with a note that it was printed in Khmer."""
    if text and any("\u1780" <= ch <= "\u17ff" or "\u19e0" <= ch <= "\u19ff" for ch in text):
        return f"{_figure(value, None)} (printed in Khmer)"
    return f"“{text}”"


def _items(n: int) -> str:
    return f"{n:,} item{'s' * (n != 1)}"


def _verdict(row: dict[str, Any]) -> tuple[str, str]:
    """The text beside a pair, and its colour."""
    status, diff = row["status"], row["difference"]
    left_out = len(row["excluded"] or [])
    extra = f"; {left_out} item{'s' * (left_out != 1)} left out" if left_out else ""
    if diff is not None:
        sign = "-" if diff < 0 else ("+" if diff > 0 else "")
        word = "items add up" if diff == 0 else "stated - itemized"
        colour = "#1a7f37" if diff == 0 else "#b2182b"
        return f"difference {sign}{abs(diff):,} ({word}): {status}{extra}", colour
    if status == "contradiction":
        return f"items exceed the stated figure: {status}{extra}", "#b2182b"
    if status == "consistent":
        return f"no exact difference (inexact or partial): {status}{extra}", "#555555"
    return f"{status}{extra}", "#555555"


def reconciliation(ds: Dataset, *, ax: Axes | None = None) -> Axes:
    """Each stated total beside the sum of its own items, with the difference written out.

    One pair of bars per row of :func:`cambodefect.aggregate.reconcile`: the total as
    stated (its printed phrase, e.g. "6,473" or "at least seven") and the sum of the
    items that point to it with ``part_of``, with the difference and the status
    (match, mismatch, consistent, contradiction, not comparable). Each pair is drawn
    to its own linear scale, longest bar full width, because the totals range from a
    handful to thousands; the numbers are written on the bars. Each pair is labelled
    with its claimant, the claim ID and where in the source it was read (line or paragraph).

    Args:
        ds: the dataset.
        ax: the matplotlib Axes to draw on; by default a new figure.

    Returns:
        The Axes drawn on.

    Raises:
        MissingExtraError: matplotlib is not installed.

    Examples:
        >>> import cambodefect as cd
        >>> from cambodefect import plot
        >>> ax = plot.reconciliation(cd.load("1.0.0"))
        >>> [t.get_text() for t in ax.texts if t.get_text().startswith("difference")]
        ['difference 0 (items add up): match', 'difference -3 (stated - itemized): mismatch']
    """
    ax = new_axes(ax, (11.0, 6.0))
    names = Names.of(ds)
    rows = aggregate.reconcile(ds).to_pylist()
    n = len(rows)
    height = 0.34
    ticks: list[float] = []
    labels: list[str] = []
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
            ax.text(
                length + 0.01,
                y + dy,
                text,
                va="center",
                ha="left",
                fontsize=9,
            )
        verdict, colour = _verdict(r)
        ax.text(1.32, y, verdict, va="center", ha="left", fontsize=9, color=colour)
        ev = claim.evidence[0]
        ax.text(
            0,
            y + height + 0.08,
            f"{r['id']} · {ev.source_id}, {ev.locator}",
            va="bottom",
            ha="left",
            fontsize=7,
            color="#666666",
        )
        ticks.append(y)
        claimant = names.claimant(r["claimant"], alignment=False, width=40)
        labels.append(f"{claimant}\nstated {_printed(r['stated_text'], stated)} {unit}".rstrip())
    ax.set_yticks(ticks, labels, fontsize=9)
    ax.set_ylim(-0.7, max(n, 1) - 0.2)
    ax.set_xlim(0, 2.35)
    ax.set_xticks([])
    ax.spines[["top", "right", "bottom"]].set_visible(False)
    ax.set_xlabel("each pair drawn to its own linear scale (the larger figure is full width)")
    ax.set_title(
        "Stated totals against the sum of their own items (claims, as stated)\n"
        "difference = stated total - sum of the items that point to it (part_of)",
        loc="left",
        fontsize=11,
    )
    from matplotlib.patches import Patch

    ax.legend(
        handles=[
            Patch(color="#4c72b0", label="total, as stated"),
            Patch(color="#dd8452", label="sum of its items"),
        ],
        loc="lower right",
        fontsize=8,
        frameon=False,
    )
    if not rows:
        ax.text(0.5, 0.5, "no stated total has items", ha="center", transform=ax.transAxes)
    return ax
