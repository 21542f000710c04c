"""The contested-events figure: per event, the government side's figure beside the
counter-figure, on a log scale, never summed."""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING, Any, Unpack

from cambodefect import aggregate
from cambodefect.plot._style import Names, caption, has_khmer, new_axes, nothing_to_draw, printed

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from cambodefect.dataset import Dataset

__all__ = ["contested"]

CLAIMED = "#b2182b"  # the government side's figure
COUNTER = "#2166ac"  # the counter-figure
_WRAP = 150  # characters per line of a row's note
NO_COUNTER = "no numeric counter-figure"


def _phrases(texts: list[str]) -> str:
    """Printed figures, quoted, "(no figure)" as is, Khmer replaced (no glyphs)."""
    out = []
    for t in dict.fromkeys(texts):
        if t == "(no figure)":
            out.append("no figure")
        else:
            out.append(printed(t, "a figure"))
    return ", ".join(out) or "none"


def _who(claimants: list[str], names: Names) -> str:
    return "; ".join(names.claimant(c, alignment=False, width=200) for c in sorted(claimants))


def _event_label(row: dict[str, Any]) -> str:
    when = f"{row['date_start']:%-d %b %Y}" if row["date_start"] else "undated"
    place = row["place"]
    if place and has_khmer(place):
        place = f"{row['province']} (place printed in Khmer)" if row["province"] else None
    where = "\n" + textwrap.fill(place, 32) if place else ""
    return f"{when} · {row['event_kind']}{where}"


def _missing(row: dict[str, Any]) -> list[str]:
    """What a row cannot draw: the side, or sides, with no number on a log scale."""
    high, low = row["claimed_high"], row["counter_low"]
    out = []
    if low is None:
        out.append(NO_COUNTER)
    elif low == 0:
        out.append("counter-figure 0: no place on a log scale")
    if high is None:
        out.append("no numeric claimed figure")
    elif high == 0:
        out.append("claimed figure 0: no place on a log scale")
    return out


def contested(
    ds: Dataset,
    *,
    ax: Axes | None = None,
    filters: aggregate.Filters | None = None,
    **kw: Unpack[aggregate.FilterArgs],
) -> Axes:
    """Claimed against counter-claimed figures, per contested event, on a log scale.

    Draws [`cambodefect.aggregate.by_event`][cambodefect.aggregate.by_event] with
    ``contested=True``: one row per event that has a counter-claim, with the government side's
    largest claimed figure (``claimed_high``: a point figure or a lower bound) and the smallest
    counter-figure (``counter_low``) as two markers joined by a line, and their ratio written above
    it. The two are claims about the same event and are never summed. Under each row, the figures as
    printed, side by side with their claimants, and what independent reports printed.

    Events without a number on one side are drawn with the marker they have and
    labelled "no numeric counter-figure" (or claimed figure) on their row, never
    dropped; a counter-figure of 0 has no place on a log scale and is labelled so. The
    note under the axes counts them. Figures printed in Khmer are named, not drawn
    (the default fonts have no Khmer glyphs).

    Args:
        ds: the dataset.
        ax: the matplotlib Axes to draw on; by default a new figure.
        filters: a [`cambodefect.aggregate.Filters`][cambodefect.aggregate.Filters], or the same
            filters as keyword arguments (``kind`` defaults to every kind, as in ``by_event``).
        **kw: the filters as keyword arguments.

    Returns:
        The Axes drawn on.

    Raises:
        MissingExtraError: matplotlib is not installed.

    Examples:
        >>> import cambodefect as cd
        >>> from cambodefect import plot
        >>> ax = plot.contested(cd.load("3.0.0"))
        >>> event = "ev-kampot-chhuk-ceremony-aug-30"
        >>> gids = (f"claimed|{event}", f"counter|{event}")
        >>> {str(m.get_gid()): int(m.get_xdata()[0]) for m in ax.lines if m.get_gid() in gids}
        {'claimed|ev-kampot-chhuk-ceremony-aug-30': 200,
         'counter|ev-kampot-chhuk-ceremony-aug-30': 2}
        >>> [t.get_text() for t in ax.texts if t.get_text().startswith("claimed / counter")]
        ['claimed / counter = 100']
        >>> sum(t.get_text().startswith("no numeric counter-figure") for t in ax.texts)
        7
    """
    table = aggregate.by_event(ds, filters=filters, contested=True, **kw)
    rows = table.to_pylist()
    names = Names.of(ds)
    ax = new_axes(ax, (11.0, 1.0 * len(rows) + 2.6))
    n = len(rows)
    numbers = [
        v for r in rows for v in (r["claimed_high"], r["counter_low"]) if v is not None and v > 0
    ]
    lo = 10 ** math.floor(math.log10(min(numbers, default=1)))
    hi = 10 ** math.ceil(math.log10(max(numbers, default=1000) * 1.01))
    hi = max(hi, lo * 1000)
    ticks: list[float] = []
    labels: list[str] = []
    missing: dict[str, list[str]] = {}
    for i, r in enumerate(rows):
        y = float(n - 1 - i)  # first event on top
        ticks.append(y)
        labels.append(_event_label(r))
        drawn = []
        for side, value, marker, colour in (
            ("claimed", r["claimed_high"], "o", CLAIMED),
            ("counter", r["counter_low"], "D", COUNTER),
        ):
            if value is None or value <= 0:
                continue
            drawn.append(value)
            ax.plot(
                [value],
                [y + 0.12],
                marker=marker,
                color=colour,
                markersize=8,
                ls="",
                gid=f"{side}|{r['event_id']}",
            )
            ax.annotate(
                f"{value:,}",
                (value, y + 0.12),
                xytext=(0, 7),
                textcoords="offset points",
                ha="center",
                fontsize=8,
                color=colour,
            )
        if len(drawn) == 2:
            ax.plot(
                drawn,
                [y + 0.12] * 2,
                color="#888888",
                lw=1.2,
                zorder=1,
                gid=f"pair|{r['event_id']}",
            )
        if r["ratio"] is not None:
            ratio = r["ratio"]
            shown = f"{ratio:,.0f}" if ratio >= 10 else f"{ratio:,.1f}"
            ax.annotate(
                f"claimed / counter = {shown}",
                (math.sqrt(drawn[0] * drawn[1]), y + 0.12),
                xytext=(0, -11),
                textcoords="offset points",
                ha="center",
                fontsize=8,
                color="#333333",
            )
        whys = _missing(r)
        for why in whys:
            missing.setdefault(why, []).append(r["event_id"])
        if whys:
            ax.text(
                0.995,
                y + 0.12,
                "\n".join(whys),
                transform=ax.get_yaxis_transform(),
                ha="right",
                va="center",
                fontsize=8,
                color="#555555",
                style="italic",
            )
        claimed = (
            f"Claimed: {_phrases(r['claimed'])} ({_who(r['claimed_by'], names)})."
            if r["claimed"]
            else "No claim from the government side."
        )
        note = (
            f"{r['event_id']}. {claimed} "
            f"Counter: {_phrases(r['counter'])} ({_who(r['counter_by'], names)})."
        )
        if r["other"]:
            note += f" Also reported: {_phrases(r['other'])} ({_who(r['other_by'], names)})."
        ax.text(
            0.005,
            y - 0.12,
            textwrap.fill(note, _WRAP),
            transform=ax.get_yaxis_transform(),
            ha="left",
            va="top",
            fontsize=7,
            color="#444444",
        )
    ax.set_xscale("log")
    ax.set_xlim(lo / 2, hi * 10)  # the last decade left free for the rows' notes
    ax.xaxis.set_major_formatter("{x:,.0f}")
    ax.set_ylim(-0.75, max(n, 1) - 0.5)
    ax.set_yticks(ticks, labels, fontsize=9)
    ax.grid(axis="x", color="#dddddd", lw=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlabel("figure claimed (log scale)")
    ax.set_title(
        "Contested events: the government side's figure against the counter-figure\n"
        "(claims about the same event, side by side, never summed)",
        loc="left",
        fontsize=11,
        pad=26,
    )
    from matplotlib.lines import Line2D

    ax.legend(
        handles=[
            Line2D(
                [],
                [],
                marker="o",
                color=CLAIMED,
                ls="",
                label="largest claimed figure (government side)",
            ),
            Line2D(
                [],
                [],
                marker="D",
                color=COUNTER,
                ls="",
                label="smallest counter-figure (the other side)",
            ),
        ],
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncols=2,
        fontsize=8,
        frameon=False,
        borderaxespad=0.2,
    )
    notes = [
        "Figures are claims as stated, not verified counts. Government side: claims by "
        "government-aligned or ruling-party claimants; counter-figures: disputes, refusals, "
        "and claims listed in another's disputed_by. A lower bound (“more than 600”) is "
        "drawn at its bound; vague phrases (“a few”, “dozens”) have no number to draw."
    ]
    for why, events in missing.items():
        notes.append(
            f"{len(events)} of {n} contested events: {why} (said on their rows): "
            f"{', '.join(events)}."
        )
    if not rows:
        nothing_to_draw(ax, "no contested event in this selection")
    caption(ax, notes)
    return ax
