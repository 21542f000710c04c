"""The coverage figure: how many sources we read, and the claims they carry, per group."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cambodefect import aggregate
from cambodefect.plot._style import caption, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from cambodefect.aggregate import CoverageKey
    from cambodefect.dataset import Dataset

__all__ = ["coverage"]

_TITLES = {
    "year": "publication year",
    "outlet": "outlet",
    "alignment": "the source's alignment",
    "province": "province (of the claims' places)",
}


def coverage(
    ds: Dataset, by: CoverageKey = "year", *, top: int = 20, ax: Axes | None = None
) -> Axes:
    """Sources read per group (bars), with the claims they carry written beside each bar.

    Draws [`cambodefect.aggregate.coverage`][cambodefect.aggregate.coverage]: one horizontal bar per
    year, outlet, alignment or province, in the table's order (outlets: most sources first, at most
    ``top`` bars; the rest are summed in the caption). Undated sources and claims with no place are
    drawn as their own bar, labelled so. It shows where the record is thick or thin; it counts
    sources and claims, never people.

    Args:
        ds: the dataset.
        by: ``"year"``, ``"outlet"``, ``"alignment"`` or ``"province"``.
        top: the most bars drawn (the rest are summed in the caption).
        ax: the matplotlib Axes to draw on; by default a new figure.

    Returns:
        The Axes drawn on.

    Raises:
        MissingExtraError: matplotlib is not installed.
        UnknownFilterValueError: ``by`` is not a coverage key.

    Examples:
        >>> import cambodefect as cd
        >>> from cambodefect import plot
        >>> ax = plot.coverage(cd.load("2.0.0"), by="year")
        >>> [t.get_text() for t in ax.get_yticklabels()]
        ['2017', '2023']
    """
    table = aggregate.coverage(ds, by=by)
    if by == "outlet":
        table = table.sort_by([("sources", "descending"), ("claims", "descending")])
    rows = table.to_pylist()
    shown, rest = rows[:top], rows[top:]
    ax = new_axes(ax, (9.0, 0.3 * len(shown) + 1.8))
    labels = []
    for row in shown:
        key = row[by]
        if key is None:
            labels.append("undated" if by == "year" else "no place given")
        elif by == "outlet":
            labels.append(str(row["outlet_name"] or key))
        elif by == "province":
            labels.append(f"{row['province_name']} ({key})")
        else:
            labels.append(str(key))
    ys = list(range(len(shown)))[::-1]  # first row on top
    values = [row["sources"] for row in shown]
    ax.barh(ys, values, color="#4c72b0", height=0.7)
    widest = max(values, default=1) or 1
    for y, row in zip(ys, shown, strict=True):
        n = row["claims"]
        ax.text(
            row["sources"] + widest * 0.01,
            y,
            f"{n} claim{'s' * (n != 1)}",
            va="center",
            fontsize=8,
            color="#333333",
        )
    ax.set_yticks(ys, labels, fontsize=9)
    ax.set_xlim(0, widest * 1.18)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlabel("sources read")
    ax.set_title(
        f"cambodefect {ds.version}: sources read, and the claims they carry, by {_TITLES[by]}",
        loc="left",
        fontsize=11,
    )
    notes = ["A count of sources and claims, not of people: where the record is thick or thin."]
    if rest:
        notes.append(
            f"{len(rest)} more groups not drawn: {sum(r['sources'] for r in rest)} sources, "
            f"{sum(r['claims'] for r in rest)} claims."
        )
    caption(ax, notes)
    return ax
