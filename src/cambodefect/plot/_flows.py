"""The flows figure: one claimant's claimed moves from former party to party joined, by
election cycle (an alluvial diagram, one band per cycle)."""

from __future__ import annotations

import textwrap
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Literal, Unpack

import attrs

from cambodefect import aggregate
from cambodefect._frame import ELECTIONS
from cambodefect.aggregate import AggregationError
from cambodefect.errors import UnknownFilterValueError
from cambodefect.plot._style import (
    HATCH,
    NO_PARTY_COLOUR,
    PALETTE,
    Names,
    caption,
    new_axes,
    nothing_to_draw,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from cambodefect.dataset import Dataset

__all__ = ["flows"]

Measure = Literal["claims", "count_sum"]
Flow = tuple[str | None, str | None, str | None]  # (cycle, party_key, to_party_id)
Value = tuple[int, bool]  # (the number drawn, open-ended: some claim has no upper bound)

_NODE = 0.025  # node width, in x units (the ribbons run from 0 to 1)
_MIN = 0.05  # the thinnest node drawn, in text lines (a hairline): thinner ones are widened
_GAP = 0.5  # the least space between two nodes, in text lines
_SCALE = 12.0  # the fullest side of any band is this many text lines tall
_HEADER = 1.8  # a band's title, in text lines
_WRAP = 36  # characters per line of a node's label
_INCH = 0.16  # one text line (8 pt type), in inches
_NB = "\u00a0"  # a no-break space (textwrap breaks at ASCII whitespace only)


def _cycle_title(cycle: str | None) -> str:
    if cycle is None:
        return "Undated claims (no election cycle)"
    held = {c.value: day for day, c in ELECTIONS}.get(cycle)
    if held is None:
        last = ELECTIONS[-1][0]
        return f"{cycle} cycle: claims dated after the election of {last:%-d %B %Y}"
    return f"{cycle} cycle: claims dated up to the election of {held:%-d %B %Y}"


def _number(value: Value) -> str:
    return f"{value[0]:,}{'+' if value[1] else ''}"


def _add(a: Value | None, b: Value) -> Value:
    return b if a is None else (a[0] + b[0], a[1] or b[1])


@attrs.frozen
class _Node:
    key: str | None
    value: Value
    top: float  # in text lines, downwards from 0
    height: float
    label: str


@attrs.frozen
class _Band:
    cycle: str | None
    top: float
    left: tuple[_Node, ...]
    right: tuple[_Node, ...]
    flows: tuple[tuple[str | None, str | None, Value], ...]  # (from, to, value)


def _stack(
    totals: dict[str | None, Value], labels: dict[str | None, str], scale: float
) -> tuple[list[_Node], float]:
    """One side of a band, largest first, each node in a slot tall enough for its
    label; and the side's height (in text lines), from a top of 0."""
    order = sorted(totals, key=lambda k: (-totals[k][0], k or "~"))
    nodes: list[_Node] = []
    y = 0.0
    for key in order:
        # The number stays on the line of the name's last word (no-break spaces).
        text = textwrap.fill(labels[key], _WRAP, subsequent_indent="   ").replace(_NB, " ")
        height = max(totals[key][0] * scale, _MIN)
        slot = max(height, text.count("\n") + 1.0)
        nodes.append(_Node(key, totals[key], y - (slot - height) / 2, height, text))
        y -= slot + _GAP
    return nodes, -y - _GAP


def _layout(values: dict[Flow, Value], names: Names) -> tuple[list[_Band], float]:
    """The bands, top to bottom, and the height of them all (in text lines)."""
    cycles = sorted({f[0] for f in values}, key=lambda c: (c is None, c or ""))
    fullest = max((v[0] for v in values.values()), default=0)
    for c in cycles:
        fullest = max(fullest, sum(v[0] for f, v in values.items() if f[0] == c))
    scale = min(_SCALE / max(fullest, 1), 1.5)  # at most 1.5 lines a claim or person
    bands: list[_Band] = []
    y = 0.0
    for c in cycles:
        mine = [(f[1], f[2], v) for f, v in values.items() if f[0] == c]
        out: dict[str | None, Value] = {}
        into: dict[str | None, Value] = {}
        for a, b, v in mine:
            out[a] = _add(out.get(a), v)
            into[b] = _add(into.get(b), v)
        left_labels = {}
        for a in out:
            ends = [(b, v) for x, b, v in mine if x == a]
            split = (
                " (" + "; ".join(f"→ {_to_name(b, names)} {_number(v)}" for b, v in ends) + ")"
                if len(ends) > 1
                else ""
            )
            left_labels[a] = f"{names.party(a)[0]}{_NB}·{_NB}{_number(out[a])}{split}"
        right_labels = {b: f"{_to_name(b, names)}{_NB}·{_NB}{_number(into[b])}" for b in into}
        left, lh = _stack(out, left_labels, scale)
        right, rh = _stack(into, right_labels, scale)
        tall = max(lh, rh)
        top = y - _HEADER
        bands.append(
            _Band(
                c,
                y,
                _moved(left, top - (tall - lh) / 2),
                _moved(right, top - (tall - rh) / 2),
                tuple(mine),
            )
        )
        y = top - tall - 1.0
    return bands, -y


def _moved(nodes: list[_Node], by: float) -> tuple[_Node, ...]:
    return tuple(attrs.evolve(n, top=n.top + by) for n in nodes)


def _to_name(key: str | None, names: Names) -> str:
    return "no party joined stated" if key is None else names.party(key)[0]


def _values(
    rows: list[dict[str, Any]], measure: Measure, unit: str | None
) -> tuple[dict[Flow, Value], list[str], str]:
    """The number drawn per flow, the notes on what is not drawn, and what is drawn."""
    values: dict[Flow, Value] = {}
    notes: list[str] = []
    overlapping = sum(r["overlapping"] for r in rows)
    if overlapping:
        notes.append(
            f"{overlapping} claim{'s' * (overlapping != 1)} that may repeat a counted one "
            "(counted in upper only, never in a sum) not drawn."
        )
    if measure == "claims":
        for r in rows:
            if r["claims"]:
                key = (r["cycle"], r["party_key"], r["to_party_id"])
                values[key] = _add(values.get(key), (r["claims"], False))
        return values, notes, "number of claims (of any unit, with or without a figure)"
    with_figure: dict[str, int] = defaultdict(int)
    for r in rows:
        if r["count_sum"] is not None and r["unit"] not in (None, "percent"):
            with_figure[r["unit"]] += r["claims"]
    drawn = unit or min(with_figure, key=lambda u: (-with_figure[u], u), default="persons")
    no_figure = shares = 0
    for r in rows:
        if r["unit"] == "percent":
            shares += r["claims"]
        elif r["count_sum"] is None:
            no_figure += r["claims"]
        elif r["unit"] == drawn and r["count_sum"]:
            key = (r["cycle"], r["party_key"], r["to_party_id"])
            values[key] = _add(values.get(key), (r["count_sum"], r["upper"] is None))
    for u in sorted(set(with_figure) - {drawn}):
        total = sum(r["count_sum"] or 0 for r in rows if r["unit"] == u)
        notes.append(
            f"Also claimed in {u}, not drawn (never added to {drawn}): {with_figure[u]} "
            f"claim{'s' * (with_figure[u] != 1)}, {total:,} (draw them with unit={u!r})."
        )
    if no_figure:
        notes.append(
            f"{no_figure} claim{'s' * (no_figure != 1)} with no figure (vague, or named "
            "people only) not drawn."
        )
    if shares:
        notes.append(f"{shares} share{'s' * (shares != 1)} in percent (not additive) not drawn.")
    return values, notes, f"{drawn} claimed (sum of stated figures; + where open-ended)"


def flows(
    ds: Dataset,
    *,
    measure: Measure = "claims",
    unit: str | None = None,
    ax: Axes | None = None,
    filters: aggregate.Filters | None = None,
    overlap: Literal["items", "totals"] = "items",
    approximate: Literal["bounds", "as_value"] = "bounds",
    **kw: Unpack[aggregate.FilterArgs],
) -> Axes:
    """One claimant's claimed flows from former party to party joined, by election cycle.

    Draws [`cambodefect.aggregate.by_flow`][cambodefect.aggregate.by_flow] for one claimant: one
    band per election cycle (the national election a claim's date leads up to; undated claims last),
    in each band the former parties on the left, the parties joined on the right, and a ribbon per
    flow, as wide as its number of claims (``measure="claims"``: claims of any unit, with or without
    a figure) or its claimed figure (``measure="count_sum"``: the ``count_sum`` of one unit; ``+``
    where some claim has no upper bound). One scale holds for the whole figure, so bands compare;
    nodes too thin to see are drawn as hairlines, and every node is labelled with its number (a
    former party that splits between several parties lists the split). A joint row ("CNRP /
    Candlelight Party") is one hatched node of its own, never split among its parties; placeholders
    and non-party labels are hatched and labelled as what they are.

    Claimants are never pooled: the figure draws the series of the claimant named with
    ``claimant=`` or, by default, of the claimant with the most counted claims in the
    selection, and says so in its title. The note under the axes lists the other
    claimants and what is not drawn: other units, claims with no figure, claims that
    may repeat a counted one, stated totals represented by their items.

    Args:
        ds: the dataset.
        measure: ``"claims"`` (number of claims) or ``"count_sum"`` (claimed figure).
        unit: with ``measure="count_sum"``, the unit drawn (``"persons"``,
            ``"officials"``, ...); by default the unit of most of the series' claims
            with a figure.
        ax: the matplotlib Axes to draw on; by default a new figure sized to the bands.
        filters: a [`cambodefect.aggregate.Filters`][cambodefect.aggregate.Filters], or the same
            filters as keyword arguments (``claimant`` names at most one claimant).
        overlap: as in [`cambodefect.aggregate`][cambodefect.aggregate].
        approximate: as in [`cambodefect.aggregate`][cambodefect.aggregate].
        **kw: the filters as keyword arguments.

    Returns:
        The Axes drawn on.

    Raises:
        MissingExtraError: matplotlib is not installed.
        AggregationError: several claimants named, or a request to pool them.
        UnknownFilterValueError: ``measure`` is not ``"claims"`` or ``"count_sum"``.

    Examples:
        >>> import cambodefect as cd
        >>> from cambodefect import plot
        >>> ax = plot.flows(cd.load("3.0.0"), claimant="fresh-news", cycle="2018")
        >>> ax.get_title(loc="left").splitlines()[1]
        'Claimed by: Fresh News (government-aligned)'
        >>> [p.get_gid() for p in ax.patches if str(p.get_gid()).startswith("flow|")]
        ['flow|2018|cambodia-national-rescue-party|cambodian-peoples-party']
        >>> [t.get_text() for t in ax.texts if t.get_text().startswith("CNRP")]
        ['CNRP · 5']
    """
    if measure not in ("claims", "count_sum"):
        raise UnknownFilterValueError("measure", measure, ("claims", "count_sum"))
    if "pool_claimants" in kw:
        raise AggregationError("flows draws one claimant's series and never pools claimants")
    chosen = aggregate.Filters.of(filters, **kw)
    if chosen.claimant is not None and len(chosen.claimant) > 1:
        raise AggregationError(
            "flows draws one claimant's series and never pools claimants: name one "
            "claimant with claimant=..., and draw the others one by one"
        )
    options: dict[str, Any] = {"overlap": overlap, "approximate": approximate}
    others: list[tuple[str, int]] = []
    named = chosen.claimant is not None
    if not named:
        per: dict[str, int] = defaultdict(int)
        for r in aggregate.by_flow(ds, filters=chosen, **options).to_pylist():
            per[r["claimant"]] += r["claims"]
        ranked = sorted((c for c in per if per[c]), key=lambda c: (-per[c], c))
        if ranked:
            chosen = attrs.evolve(chosen, claimant=(ranked[0],))
            others = [(c, per[c]) for c in ranked[1:]]
    names = Names.of(ds)
    rows: list[dict[str, Any]] = []
    notes_meta: dict[str, Any] = {}
    who = None
    if chosen.claimant is not None:
        table = aggregate.by_flow(ds, filters=chosen, **options)
        rows, notes_meta = table.to_pylist(), aggregate.meta(table)
        who = notes_meta["filters"]["claimant"][0]
    values, notes, what = _values(rows, measure, unit)
    bands, height = _layout(values, names)
    ax = new_axes(ax, (11.0, min(3.0 + _INCH * height, 40.0)))
    _draw(ax, bands, names, height)
    if who is None:
        claimed_by = "no claimant: no claim in this selection"
    else:
        claimed_by = names.claimant(who, width=200)
        if not named:
            claimed_by += " (the claimant with the most claims here; one series, never pooled)"
    ax.set_title(
        f"Claimed flows from former party to party joined, by election cycle: {what}\n"
        + textwrap.fill(f"Claimed by: {claimed_by}", 120),
        loc="left",
        fontsize=11,
    )
    ax.set_xlabel(
        "former party as stated (left) → party joined as stated (right); "
        "ribbon width ∝ the number drawn, one scale for the whole figure"
    )
    n = notes_meta.get("dropped_overlapping_count", 0)
    if n:
        notes.append(
            f"{n} stated total{'s' * (n != 1)} not added to {'its' if n == 1 else 'their'} "
            "own items (the items are drawn)."
        )
    dupes = sum(len(e["dropped"]) for e in notes_meta.get("event_duplicates", []))
    if dupes:
        notes.append(f"{dupes} more report{'s' * (dupes != 1)} of an event already counted.")
    if others:
        listed = "; ".join(
            f"{names.claimant(c, alignment=False, width=200)} ({k})" for c, k in others[:5]
        )
        more = f"; and {len(others) - 5} more" if len(others) > 5 else ""
        notes.append(
            "Other claimants in this selection, with their number of claims, not drawn "
            f"(each is its own series; draw one with claimant=...): {listed}{more}."
        )
    notes.insert(
        0,
        "Flows are claims as stated by one claimant, not verified counts. A joint row "
        "(several former parties printed together) is one node, never split; nodes too "
        "thin to see are hairlines.",
    )
    caption(ax, notes)
    return ax


def _draw(ax: Axes, bands: list[_Band], names: Names, height: float) -> None:
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path

    totals: dict[str | None, int] = defaultdict(int)
    for band in bands:
        for node in (*band.left, *band.right):
            totals[node.key] += node.value[0]
    order = sorted((k for k in totals if k is not None), key=lambda k: (-totals[k], k))
    colour: dict[str | None, str] = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(order)}
    colour[None] = NO_PARTY_COLOUR
    for band in bands:
        ax.text(0, band.top - 0.3, _cycle_title(band.cycle), va="top", fontsize=10, weight="bold")
        out_at = {n.key: n.top for n in band.left}
        in_at = {n.key: n.top for n in band.right}
        left = {n.key: n for n in band.left}
        right = {n.key: n for n in band.right}
        rank_right = {n.key: i for i, n in enumerate(band.right)}
        rank_left = {n.key: i for i, n in enumerate(band.left)}
        for a, b, v in sorted(band.flows, key=lambda f: (rank_left[f[0]], rank_right[f[1]])):
            h0 = left[a].height * v[0] / left[a].value[0]
            h1 = right[b].height * v[0] / right[b].value[0]
            y0, y1 = out_at[a], in_at[b]
            out_at[a], in_at[b] = y0 - h0, y1 - h1
            x0, x1, xm = _NODE, 1 - _NODE, 0.5
            path = Path(
                [
                    (x0, y0),
                    (xm, y0),
                    (xm, y1),
                    (x1, y1),
                    (x1, y1 - h1),
                    (xm, y1 - h1),
                    (xm, y0 - h0),
                    (x0, y0 - h0),
                    (x0, y0),
                ],
                [Path.MOVETO, *[Path.CURVE4] * 3, Path.LINETO, *[Path.CURVE4] * 3, Path.CLOSEPOLY],
            )
            kind = names.party(a)[1]
            ax.add_patch(
                PathPatch(
                    path,
                    facecolor=colour[a],
                    alpha=0.45,
                    hatch=HATCH.get(kind),
                    edgecolor=colour[a],
                    linewidth=0.4,
                    gid=f"flow|{band.cycle or ''}|{a or ''}|{b or ''}",
                )
            )
        for side, nodes, x, ha, tx in (
            ("from", band.left, 0.0, "right", -0.012),
            ("to", band.right, 1 - _NODE, "left", 1.012),
        ):
            for n in nodes:
                ax.add_patch(
                    Rectangle(
                        (x, n.top - n.height),
                        _NODE,
                        n.height,
                        facecolor=colour[n.key],
                        hatch=HATCH.get(names.party(n.key)[1]),
                        edgecolor="#333333",
                        linewidth=0.4,
                        gid=f"node|{band.cycle or ''}|{side}|{n.key or ''}",
                    )
                )
                ax.text(tx, n.top - n.height / 2, n.label, ha=ha, va="center", fontsize=8)
    # Room for the labels beside the nodes (8 pt DejaVu Sans: about 0.068 inch a character).
    fig = ax.get_figure(root=True)
    inches = ax.get_position().width * (fig.get_figwidth() if fig is not None else 11.0)
    widest = [
        max((len(line) for n in nodes for line in n.label.splitlines()), default=0) * 0.068
        for nodes in ([n for b in bands for n in b.left], [n for b in bands for n in b.right])
    ]
    span = max(inches - sum(widest) - 0.5, 2.0)  # the ribbons' width, in inches
    ax.set_xlim(-(widest[0] + 0.2) / span, 1 + (widest[1] + 0.2) / span)
    ax.set_ylim(-max(height, 1.0), 0.2)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.spines[["top", "right", "bottom", "left"]].set_visible(False)
    if not bands:
        nothing_to_draw(ax, "no flow to draw: see the note below")
