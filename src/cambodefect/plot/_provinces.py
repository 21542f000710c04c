"""The provinces figure: counted claims per province (ISO 3166-2:KH), one segment per
claimant."""

from __future__ import annotations

import textwrap
from collections import defaultdict
from typing import TYPE_CHECKING, Literal, Unpack

from cambodefect import _places, aggregate
from cambodefect._places import province_name
from cambodefect.aggregate import AggregationError
from cambodefect.plot._style import ALIGNMENT, Names, caption, new_axes, nothing_to_draw

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from cambodefect.dataset import Dataset

__all__ = ["provinces"]

# The claimant's alignment, as the colour of its segment.
SIDES = {
    "ruling_party": "#b2182b",
    "government_aligned": "#ef8a62",
    "independent": "#4d9221",
    "opposition": "#2166ac",
    "ngo": "#8073ac",
    "academic": "#c994c7",
    "unknown": "#bababa",
}


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' * (n != 1)}"


def provinces(
    ds: Dataset,
    *,
    ax: Axes | None = None,
    filters: aggregate.Filters | None = None,
    overlap: Literal["items", "totals"] = "items",
    **kw: Unpack[aggregate.FilterArgs],
) -> Axes:
    """Claims per province: one bar per province, one segment per claimant.

    Draws [`cambodefect.aggregate.by_place`][cambodefect.aggregate.by_place] (not ``coverage``): the
    claims counted under the aggregation rules (a total is represented by its own items, one event
    counts once per claimant, a claim that may repeat a counted one is left out), per province (ISO
    3166-2:KH code and name; a claim's own place, else its event's). A bar is a number of *claims*,
    never of people, and never a sum of claimed figures: each claimant is a segment of its own,
    coloured by its alignment, and the text beside the bar names how many claimants made them and
    who made the most. Provinces are sorted by claims, most first.

    The note under the axes says what is not drawn: claims that name no province (with
    how many claimants made them), claims that may repeat a counted one, stated totals
    represented by their items, and the provinces with no claim.

    Args:
        ds: the dataset.
        ax: the matplotlib Axes to draw on; by default a new figure.
        filters: a [`cambodefect.aggregate.Filters`][cambodefect.aggregate.Filters], or the same
            filters as keyword arguments (``kind`` defaults to defections and stated totals).
        overlap: as in [`cambodefect.aggregate`][cambodefect.aggregate].
        **kw: the filters as keyword arguments.

    Returns:
        The Axes drawn on.

    Raises:
        MissingExtraError: matplotlib is not installed.
        AggregationError: a request to pool claimants.

    Examples:
        >>> import cambodefect as cd
        >>> from cambodefect import plot
        >>> ax = plot.provinces(cd.load("3.0.0"))
        >>> [t.get_text() for t in ax.get_yticklabels()][:2]
        ['KH-12 Phnom Penh', 'KH-2 Baat Dambang']
        >>> int(sum(p.get_width() for p in ax.patches if str(p.get_gid()).startswith("KH-12|")))
        10
    """
    if "pool_claimants" in kw:
        raise AggregationError("provinces draws each claimant's claims apart, never pooled")
    table = aggregate.by_place(ds, filters=filters, overlap=overlap, **kw)
    notes_meta = aggregate.meta(table)
    rows = table.to_pylist()
    if "claimant" not in table.column_names:  # one claimant named: no claimant column
        (only,) = notes_meta["filters"]["claimant"]
        for r in rows:
            r["claimant"] = only
    names = Names.of(ds)
    claims: dict[str | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    overlapping: dict[str | None, int] = defaultdict(int)
    for r in rows:
        if r["claims"]:
            claims[r["province"]][r["claimant"]] += r["claims"]
        overlapping[r["province"]] += r["overlapping"]
    unplaced = claims.pop(None, {})
    total = {p: sum(c.values()) for p, c in claims.items()}
    order = sorted(total, key=lambda p: (-total[p], int(str(p).split("-")[1])))
    ax = new_axes(ax, (11.0, 0.32 * len(order) + 3.0))
    from matplotlib.ticker import MaxNLocator

    ys = list(range(len(order)))[::-1]  # most claims on top
    widest = max(total.values(), default=1)
    for y, province in zip(ys, order, strict=True):
        left = 0
        mine = claims[province]
        ranked = sorted(mine, key=lambda c: (-mine[c], c))
        for c in ranked:
            side = names.claimants.get(c, ("", "unknown"))[1]
            ax.barh(
                y,
                mine[c],
                left=left,
                height=0.7,
                color=SIDES.get(side, SIDES["unknown"]),
                edgecolor="white",
                linewidth=1.0,
                gid=f"{province}|{c}",
            )
            left += mine[c]
        top = names.claimant(ranked[0], alignment=False, width=200)
        if len(ranked) == 1:
            who = f"by {top}"
        elif mine[ranked[0]] > mine[ranked[1]]:
            who = f"by {len(ranked)} claimants (most: {top}, {mine[ranked[0]]})"
        else:
            who = f"by {len(ranked)} claimants"
        ax.text(
            total[province] + widest * 0.01,
            y,
            textwrap.fill(f"{_plural(total[province], 'claim')} {who}", 64, subsequent_indent="  "),
            va="center",
            fontsize=8,
            color="#333333",
        )
    ax.set_yticks(ys, [f"{p} {province_name(str(p))}" for p in order], fontsize=9)
    ax.set_xlim(0, widest * 2.2)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(-0.7, max(len(order), 1) - 0.3)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlabel("claims counted (not people, not claimed figures): one segment per claimant")
    kinds = notes_meta["filters"].get("kind")
    what = (
        "Claimed defections and stated totals"
        if kinds == ["defection", "total"]
        else f"Claims of kind {', '.join(kinds)}"
        if kinds
        else "Claims of every kind"
    )
    ax.set_title(
        f"{what} by province (ISO 3166-2:KH), from aggregate.by_place: a count of claims",
        loc="left",
        fontsize=11,
    )
    from matplotlib.patches import Patch

    shown = {names.claimants.get(c, ("", "unknown"))[1] for m in claims.values() for c in m}
    ax.legend(
        handles=[
            Patch(color=colour, label=ALIGNMENT.get(side, side).replace("_", " "))
            for side, colour in SIDES.items()
            if side in shown
        ],
        title="claimant's alignment",
        title_fontsize=8,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=8,
        frameon=False,
    )
    notes = [
        "Claims as stated, counted under the aggregation rules; each claimant's claims are "
        "a segment of their own. A claim's province is its own place's, else its event's."
    ]
    if unplaced:
        n = sum(unplaced.values())
        notes.append(
            f"Not drawn: {_plural(n, 'claim')} by {_plural(len(unplaced), 'claimant')} "
            "name no province."
        )
    repeats = sum(overlapping.values())
    if repeats:
        notes.append(
            f"Not drawn: {_plural(repeats, 'claim')} that may repeat a counted one "
            f"({overlapping.get(None, 0)} of them with no province)."
        )
    dropped = notes_meta.get("dropped_overlapping_count", 0)
    if dropped:
        notes.append(
            f"{_plural(dropped, 'stated total')} represented by "
            f"{'its' if dropped == 1 else 'their'} own items, not counted beside them."
        )
    empty = [f"{code} {province_name(code)}" for code in _places.provinces() if code not in claims]
    if empty:
        notes.append(f"No counted claim placed in {len(empty)} provinces: {', '.join(empty)}.")
    if not order:
        nothing_to_draw(ax, "no claim names a province: see the note below")
    caption(ax, notes)
    return ax
