"""The timeline figure: claimed defections per period, one bar per claimant, split by party."""

from __future__ import annotations

import contextlib
import gc
import textwrap
from collections.abc import Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, Unpack

import attrs
import pyarrow as pa

from cambodefect import aggregate
from cambodefect.aggregate import AggregationError, Freq
from cambodefect.aggregate._calendar import label as bin_label
from cambodefect.aggregate._calendar import slots as calendar_slots
from cambodefect.plot._style import (
    ALIGNMENT,
    HATCH,
    MAX_LABELLED,
    NO_PARTY_COLOUR,
    OUTLINES,
    PALETTE,
    Names,
    caption,
    new_axes,
    nothing_to_draw,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from cambodefect.dataset import Dataset

__all__ = ["draw_timeline", "series_of", "timeline"]


@attrs.frozen
class _Bar:
    """One claimant's claims of one unit in one period, split by former party."""

    period: date
    total: int
    open_ended: bool  # some claim has no upper bound (or no figure at all)
    segments: tuple[tuple[str | None, int], ...]  # (party_key, count_sum), nonzero only


@attrs.frozen
class _Series:
    claimant: str
    unit: str
    bars: tuple[_Bar, ...]


def series_of(table: pa.Table) -> tuple[list[str], list[_Series], dict[str, list[str]]]:
    """Bars from one ``by_period(..., split="party")`` table: the claimants with a figure
    (largest first), their series (one per unit), and per claimant what is not drawn."""
    # read column by column (a dict per row costs several times as much)
    names = ("claimant", "period", "unit", "claims", "overlapping", "count_sum", "upper")
    columns = [table.column(name).to_pylist() for name in (*names, "party_key")]
    notes: dict[str, list[str]] = {}
    totals: dict[str, int] = {}
    bars: dict[tuple[str, str], dict[date, list[tuple[str | None, int, bool]]]] = {}
    unplaced: dict[str, int] = {}
    no_figure: dict[str, int] = {}
    shares: dict[str, int] = {}
    for c, period, unit, claims, overlapping, count_sum, upper, key in zip(*columns, strict=True):
        totals.setdefault(c, 0)
        if period is None:
            unplaced[c] = unplaced.get(c, 0) + claims + overlapping
        elif unit is None:
            no_figure[c] = no_figure.get(c, 0) + claims
        elif unit == "percent":
            shares[c] = shares.get(c, 0) + claims
        elif count_sum is not None:
            totals[c] += count_sum
            bars.setdefault((c, unit), {}).setdefault(period, []).append(
                (key, count_sum, upper is None)
            )
    for c, n in unplaced.items():
        if not n:
            continue
        notes.setdefault(c, []).append(
            f"{n} claim{'s' * (n != 1)} without a date that fits one period"
        )
    for c, n in no_figure.items():
        notes.setdefault(c, []).append(
            f"{n} dated claim{'s' * (n != 1)} with no figure (named people only)"
        )
    for c, n in shares.items():
        notes.setdefault(c, []).append(f"{n} share{'s' * (n != 1)} in percent (not additive)")
    drawn = sorted((c for c, v in totals.items() if v > 0), key=lambda c: (-totals[c], c))
    series = []
    for c in drawn:
        for unit in sorted(u for (cc, u) in bars if cc == c):
            by_period = bars[(c, unit)]
            series.append(
                _Series(
                    c,
                    unit,
                    tuple(
                        _Bar(
                            period,
                            sum(figure for _key, figure, _open in parts),
                            any(open_ for _key, _figure, open_ in parts),
                            tuple((key, figure) for key, figure, _open in parts if figure),
                        )
                        for period, parts in sorted(by_period.items())
                    ),
                )
            )
    return drawn, series, notes


def timeline(
    ds: Dataset,
    *,
    freq: Freq = "month",
    claimants: Sequence[str] | None = None,
    ax: Axes | None = None,
    filters: aggregate.Filters | None = None,
    overlap: Literal["items", "totals"] = "items",
    approximate: Literal["bounds", "as_value"] = "bounds",
    **kw: Unpack[aggregate.FilterArgs],
) -> Axes:
    """Claimed defections over time: one bar per claimant and period, split by former party.

    The figures come from one call,
    [`cambodefect.aggregate.by_period`][cambodefect.aggregate.by_period] with ``split="party"``, so
    they follow the aggregation rules and a bar's segments always add up to it: each claimant is its
    own series, in its own bar, never pooled; a joint row ("CNRP / Candlelight") is one hatched
    segment of its own; placeholders and non-party labels are drawn, hatched and labelled. Units are
    never stacked together (persons and officials are separate bars).

    A note under the axes says what is not drawn, per claimant: claims whose date
    does not fit one period, dated claims with no figure, shares, and, when
    ``claimants`` is not given, the claimants whose claims carry no figure. A bar's
    height is the best figure the wording allows (``count_sum``: "more than 2,000" adds
    2,001); its label ends in ``+`` when the group has no upper bound (some claim gives
    only a lower bound, an approximate figure, or none). Periods with no claim are shown
    empty; a gap of more than a year is drawn as a break.

    Args:
        ds: the dataset.
        freq: the period of a bar: ``"day"``, ``"week"``, ``"month"``, ``"quarter"``
            or ``"year"``.
        claimants: the claimants to draw (IDs, names or aliases, as ``claimant=`` of
            [`cambodefect.aggregate`][cambodefect.aggregate] takes them), each as its own series; by
            default every claimant with a figure in some period, largest first.
        ax: the matplotlib Axes to draw on; by default a new figure.
        filters: a [`cambodefect.aggregate.Filters`][cambodefect.aggregate.Filters], or the same
            filters as keyword arguments (``kind``, ``era``, ``alignment``, ``party``, ``person``,
            ``start``, ``end``, ``include_disputed``).
        overlap: as in [`cambodefect.aggregate`][cambodefect.aggregate].
        approximate: as in [`cambodefect.aggregate`][cambodefect.aggregate].
        **kw: the filters as keyword arguments.

    Returns:
        The Axes drawn on.

    Raises:
        MissingExtraError: matplotlib is not installed.
        AggregationError: a request to pool claimants, or ``claimant=`` instead of
            ``claimants=``.

    Examples:
        >>> import cambodefect as cd
        >>> from cambodefect import plot
        >>> ax = plot.timeline(cd.load("1.0.0"), era="2023-wave")
        >>> ax.get_title(loc="left").splitlines()[0]
        'Claimed defections per month, by former party as stated'
        >>> [t.get_text() for t in ax.texts if t.get_text().startswith("4,942")]
        ['4,942']
    """
    if "claimant" in kw or "pool_claimants" in kw:
        raise AggregationError(
            "timeline draws one series per claimant and never pools them: "
            "name the claimants with claimants=[...]"
        )
    chosen_filters = aggregate.Filters.of(filters, **kw)
    if claimants is not None:
        chosen_filters = attrs.evolve(chosen_filters, claimant=tuple(claimants))
    table = aggregate.by_period(
        ds,
        freq,
        filters=chosen_filters,
        split="party",
        overlap=overlap,
        approximate=approximate,
    )
    notes_meta = aggregate.meta(table)
    if "claimant" not in table.column_names:  # one claimant named: no claimant column
        (only,) = notes_meta["filters"]["claimant"]
        table = table.append_column("claimant", pa.array([only] * table.num_rows, pa.string()))
    return draw_timeline(table, Names.of(ds), freq=freq, ax=ax, named=claimants is not None)


def draw_timeline(
    table: pa.Table,
    names: Names,
    *,
    freq: str,
    ax: Axes | None = None,
    named: bool = False,
) -> Axes:
    """Draw a ``by_period(..., split="party")`` table (with a ``claimant`` column)."""
    notes_meta = aggregate.meta(table)
    drawn, series, why = series_of(table)
    notes: list[str] = []
    if named:
        chosen = list(dict.fromkeys(notes_meta["filters"].get("claimant", drawn)))
    else:
        chosen = drawn
        silent = sorted(c for c in {r for r in table.column("claimant").to_pylist()} - set(drawn))
        if silent:
            listed = "; ".join(names.claimant(c, alignment=False, width=500) for c in silent if c)
            notes.append(f"Claimants with no figure in any {freq}, not drawn: {listed}.")
    # A new figure is as tall as its legend (one line of 8 pt type: about 0.2 inch).
    parties = {key for s in series for b in s.bars for key, _ in b.segments}
    lines = 2 + len(parties)
    for c in chosen:
        label = names.claimant(c, alignment=False, width=500) + " [persons]"
        lines += len(textwrap.wrap(label, 46))
    ax = new_axes(ax, (11.0, max(6.0, 0.2 * lines + 1.6)))
    for c in chosen:
        if why.get(c):
            reasons = "; ".join(why[c]).replace("one period", f"one {freq}")
            who = names.claimant(c, alignment=False, width=500)
            notes.append(f"Not drawn for {who}: {reasons}.")
    n = notes_meta.get("dropped_overlapping_count", 0)
    if n:
        their = "its" if n == 1 else "their"
        notes.append(f"{n} stated total{'s' * (n != 1)} not added to {their} own items.")
    kinds = notes_meta["filters"].get("kind", [])
    with _collections_paused():
        _draw_timeline(ax, chosen, series, names, freq, kinds)
    notes.insert(
        0,
        "Figures are claims as stated, not verified counts; each claimant is a separate "
        "bar, never added to another's.",
    )
    fig = ax.get_figure(root=True)
    inches = fig.get_figwidth() if fig is not None else 11.0
    # The legend stands right of the axes, down past them: keep the note left of it.
    caption(ax, notes, width=max(60, int((inches - 4.4) / 0.061)))
    return ax


@contextlib.contextmanager
def _collections_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while thousands of artists are made.

    Each matplotlib artist allocates several container objects; with a large dataset
    loaded, the collections they trigger scan the whole heap and took about a third of
    the figure's time at 1M claims (bench/bench_aggregate.py). Reference counting still
    frees everything; the collector is re-enabled (if it was) however the block ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _draw_timeline(
    ax: Axes,
    by: list[str],
    series: list[_Series],
    names: Names,
    freq: str,
    kinds: list[str],
) -> None:
    from matplotlib.patches import Patch, Rectangle
    from matplotlib.ticker import MaxNLocator
    from matplotlib.transforms import TransformedPatchPath

    what = (
        "Claimed defections"
        if kinds and set(kinds) <= {"defection", "total"}
        else f"Claims of kind {', '.join(kinds)}"
    )
    multi_unit = len({s.unit for s in series}) > 1
    if len(by) <= 3:
        who = "; ".join(names.claimant(c, width=500) for c in by) or "no claimant with a figure"
    else:  # the legend names them, in full
        sides: dict[str, int] = {}
        for c in by:
            side = names.claimants.get(c, ("", "unknown"))[1]
            sides[side] = sides.get(side, 0) + 1
        who = (
            f"{len(by)} claimants, each its own bar, never pooled ("
            + ", ".join(f"{k} {ALIGNMENT.get(side, side)}" for side, k in sorted(sides.items()))
            + ")"
        )
    ax.set_title(
        f"{what} per {freq}, by former party as stated\n"
        + textwrap.fill(f"Claimed by: {who}", 110),
        loc="left",
        fontsize=11,
    )
    units = sorted({s.unit for s in series})
    ax.set_ylabel(
        "number claimed (unit per bar, see legend)"
        if multi_unit
        else f"{units[0] if units else 'persons'} claimed (sum of stated figures)"
    )
    span = "week (from its Monday)" if freq == "week" else freq
    ax.set_xlabel(f"{span} of the claim's date (claims spanning several are left out)")
    periods = sorted({b.period for s in series for b in s.bars})
    slots = calendar_slots(periods, freq)
    position = {p: i for i, p in enumerate(slots) if p is not None}
    totals: dict[str | None, int] = {}
    for s in series:
        for b in s.bars:
            for key, v in b.segments:
                totals[key] = totals.get(key, 0) + v
    order = sorted(totals, key=lambda k: (-totals[k], k or ""))
    colour: dict[str | None, str] = {}
    for i, key in enumerate(k for k in order if k is not None):
        colour[key] = PALETTE[i % len(PALETTE)]
    colour[None] = NO_PARTY_COLOUR
    width = 0.8 / max(len(series), 1)
    upright = len(series) > 2
    clip = TransformedPatchPath(ax.patch)  # one clip path shared by every rectangle
    top = max((b.total for s in series for b in s.bars), default=0)
    for n, s in enumerate(series):
        edge, style = OUTLINES[by.index(s.claimant) % len(OUTLINES)]
        for b in s.bars:
            x = position[b.period] - 0.4 + width * (n + 0.5)
            # IDs that name what each bar is (kept in SVG output; the tests read them).
            gid = f"{s.claimant}|{s.unit}|{b.period.isoformat()}"
            bottom = 0
            for key, v in sorted(b.segments, key=lambda kv: order.index(kv[0])):
                kind = names.party(key)[1]
                # add_artist, not bar/add_patch: the limits are set below, so the
                # per-patch data-limit update (most of the drawing time) is not needed
                ax.add_artist(
                    Rectangle(
                        (x - width / 2, bottom),
                        width,
                        v,
                        facecolor=colour[key],
                        hatch=HATCH.get(kind),
                        edgecolor="#333333",
                        linewidth=0.3,
                        gid=f"{gid}|{key or ''}",
                        clip_path=clip,
                    )
                )
                bottom += v
            ax.add_artist(
                Rectangle(
                    (x - width / 2, 0),
                    width,
                    max(b.total, 0),
                    fill=False,
                    edgecolor=edge,
                    linestyle=style,
                    linewidth=1.4,
                    gid=gid,
                    clip_path=clip,
                )
            )
            if len(slots) > MAX_LABELLED:
                continue  # too narrow to label each bar: the y-axis gives the scale
            label = f"{b.total:,}{'+' if b.open_ended else ''}" if b.total else "no figure"
            ax.annotate(
                label,
                (x, b.total),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8,
                color=edge,
                rotation=90 if upright else 0,  # side by side, level labels would collide
            )
    ax.set_xticks(range(len(slots)))
    step = max(1, -(-len(slots) // 12))
    ax.set_xticklabels(
        [
            "gap" if p is None else (bin_label(p, freq) if i % step == 0 else "")
            for i, p in enumerate(slots)
        ],
        fontsize=9,
    )
    for i, p in enumerate(slots):
        if p is None:
            ax.axvline(i, color="#999999", linestyle=(0, (2, 3)), linewidth=1)
    ax.set_xlim(-0.6, max(len(slots), 1) - 0.4)
    if top:
        ax.set_ylim(0, top * (1.2 if upright else 1.08))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 2.5, 5, 10]))
        ax.yaxis.set_major_formatter("{x:,.0f}")
    else:
        ax.set_yticks([])
        nothing_to_draw(ax, "no figure to draw: see the note below")
    ax.spines[["top", "right"]].set_visible(False)
    handles: list[Any] = [Patch(visible=False, label="Former party, as stated:")] if order else []
    for key in order:
        label, kind = names.party(key)
        handles.append(
            Patch(
                facecolor=colour[key],
                hatch=HATCH.get(kind),
                edgecolor="#333333",
                linewidth=0.3,
                label=label,
            )
        )
    handles.append(Patch(visible=False, label="Claimant (bar outline):"))
    for c in by:
        edge, style = OUTLINES[by.index(c) % len(OUTLINES)]
        units_of = [s.unit for s in series if s.claimant == c]
        suffix = f" [{', '.join(units_of)}]" if multi_unit else ""
        handles.append(
            Patch(
                fill=False,
                edgecolor=edge,
                linestyle=style,
                linewidth=1.4,
                label=textwrap.fill(names.claimant(c, alignment=False, width=500) + suffix, 46),
            )
        )
    if by:
        ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            fontsize=8,
            frameon=False,
            handlelength=2.2,
        )
