"""The ``by_*`` aggregations and ``cumulative``: each one pipeline of shared steps.

Each takes the dataset, optional [`Filters`][cambodefect.aggregate.Filters] (or the same
filters as keyword arguments), and the counting options, and returns a
`pyarrow.Table` with one row per group (see the package docstring for the
columns and rules).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Unpack

import pyarrow as pa
import pyarrow.compute as pc

from cambodefect.aggregate._calendar import Freq, bins, check_freq
from cambodefect.aggregate._filters import FilterArgs, Filters
from cambodefect.aggregate._steps import (
    Approximate,
    Overlap,
    PossibleOverlaps,
    finish,
    group,
    meta,
    select,
)
from cambodefect.errors import UnknownFilterValueError

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = [
    "by_claimant",
    "by_party",
    "by_period",
    "by_place",
    "by_source_alignment",
    "cumulative",
]

Joint = Literal["joint", "each"]


def by_party(
    ds: Dataset,
    *,
    filters: Filters | None = None,
    joint: Joint = "joint",
    overlap: Overlap = "items",
    approximate: Approximate = "bounds",
    possible_overlaps: PossibleOverlaps = "upper",
    pool_claimants: bool = False,
    **kw: Unpack[FilterArgs],
) -> pa.Table:
    """Claims summed by former party (joint rows as one joint group by default).

    Columns: [``claimant``,] ``party_key``, ``party_kind``, ``unit``, ``claims``,
    ``count_sum``, ``unvalued``, ``lower``, ``upper``, ``over_counts``. ``party_key`` is
    null for claims that name no former party.

    Examples:
        >>> import cambodefect as cd
        >>> t = by_party(cd.load(), claimant="Fresh News", era="2023-wave")
        >>> row = t.filter(pc.equal(t["party_key"], "unnamed-parties")).to_pylist()[0]
        >>> (row["party_kind"], row["count_sum"])
        ('placeholder', 193)
    """
    picked = select(
        ds,
        Filters.of(filters, **kw),
        overlap=overlap,
        approximate=approximate,
        possible_overlaps=possible_overlaps,
        pool_claimants=pool_claimants,
        read=("parties", "party_key"),
    )
    frame, rule = _party_rows(picked.frame, joint)
    grouped = group(frame, [*picked.series, "party_key"], over_counts=True)
    grouped = grouped.add_column(
        grouped.schema.get_field_index("party_key") + 1,
        "party_kind",
        party_kinds(ds, grouped.column("party_key")),
    )
    return finish(grouped, picked.notes, rule)


def _party_rows(frame: pa.Table, joint: str) -> tuple[pa.Table, str]:
    """The rows to group by party: joint rows once (``joint``) or once per party (``each``)."""
    parties = frame.column("parties").combine_chunks()
    if joint == "joint":
        flag = pc.fill_null(pa.nulls(frame.num_rows, pa.bool_()), False)
        rule = "joint=joint: a claim naming several parties counts once, for the joint group"
        return frame.append_column("joint_row", flag), rule
    if joint != "each":
        raise UnknownFilterValueError("joint", joint, ("joint", "each"))
    joint_flag = pc.greater(pc.list_value_length(parties), 1)
    idx = pc.list_parent_indices(parties)
    exploded = frame.take(idx)
    exploded = exploded.set_column(
        exploded.schema.get_field_index("party_key"), "party_key", pc.list_flatten(parties)
    ).append_column("joint_row", joint_flag.take(idx))
    no_party = frame.filter(pc.equal(pc.list_value_length(parties), 0))
    no_party = no_party.append_column(
        "joint_row", pc.fill_null(pa.nulls(no_party.num_rows, pa.bool_()), False)
    )
    rule = "joint=each: a claim naming several parties counts for each; groups over-count"
    return pa.concat_tables([exploded, no_party]), rule


def party_kinds(ds: Dataset, keys: pa.ChunkedArray | pa.Array) -> pa.Array:
    """The kind of each ``party_key``: the entry's kind, ``"joint"`` for joint keys."""
    ids = ds.parties.column("id").combine_chunks()
    kinds = ds.parties.column("kind").combine_chunks().cast(pa.string())
    looked_up = kinds.take(pc.index_in(keys, ids))
    is_joint = pc.fill_null(pc.match_substring(keys, "+"), False)
    out = pc.if_else(is_joint, "joint", looked_up)
    return out.combine_chunks() if isinstance(out, pa.ChunkedArray) else out


def by_period(
    ds: Dataset,
    freq: Freq = "month",
    *,
    filters: Filters | None = None,
    split: Literal["party"] | None = None,
    overlap: Overlap = "items",
    approximate: Approximate = "bounds",
    possible_overlaps: PossibleOverlaps = "upper",
    pool_claimants: bool = False,
    **kw: Unpack[FilterArgs],
) -> pa.Table:
    """Claims summed by calendar period (day, week, month, quarter, year).

    Each claim lands in exactly one bin: the one holding its whole date. A claim whose
    date is too imprecise for the bin (a month-precision date in a weekly series) or
    missing lands in the null bin, never split and never lost. ``split="party"`` also
    groups each period by former party (``party_key``, joint rows joint), from the same
    selection, so the parts of a period always add up to its total.

    Examples:
        >>> import cambodefect as cd
        >>> t = by_period(cd.load(), "month", claimant="fresh-news", era="2023-wave")
        >>> [str(d)[:7] for d in t.column("period").to_pylist()][:2]
        ['2023-01', '2023-02']
    """
    check_freq(freq)
    if split not in (None, "party"):
        raise UnknownFilterValueError("split", split, ("party",))
    picked = select(
        ds,
        Filters.of(filters, **kw),
        overlap=overlap,
        approximate=approximate,
        possible_overlaps=possible_overlaps,
        pool_claimants=pool_claimants,
        read=("date_start", "date_end", *(["party_key"] if split == "party" else [])),
    )
    frame = picked.frame
    frame = frame.append_column("period", bins(frame["date_start"], frame["date_end"], freq))
    keys = [*picked.series, "period"]
    if split == "party":
        keys.append("party_key")
    return finish(group(frame, keys), {**picked.notes, "freq": freq}, f"by {freq}")


def by_claimant(
    ds: Dataset,
    *,
    filters: Filters | None = None,
    overlap: Overlap = "items",
    approximate: Approximate = "bounds",
    possible_overlaps: PossibleOverlaps = "upper",
    pool_claimants: bool = False,
    **kw: Unpack[FilterArgs],
) -> pa.Table:
    """Claims summed by claimant (with the claimant's alignment).

    Examples:
        >>> import cambodefect as cd
        >>> t = by_claimant(cd.load())
        >>> "fresh-news" in t.column("claimant").to_pylist()
        True
    """
    picked = select(
        ds,
        Filters.of(filters, **kw),
        overlap=overlap,
        approximate=approximate,
        possible_overlaps=possible_overlaps,
        pool_claimants=pool_claimants,
        with_party_key=False,
        read=("alignment",),
    )
    return finish(group(picked.frame, ["claimant", "alignment"]), picked.notes, "by claimant")


def by_source_alignment(
    ds: Dataset,
    *,
    filters: Filters | None = None,
    overlap: Overlap = "items",
    approximate: Approximate = "bounds",
    possible_overlaps: PossibleOverlaps = "upper",
    pool_claimants: bool = False,
    **kw: Unpack[FilterArgs],
) -> pa.Table:
    """Claims summed by the alignment of whoever made them (government-aligned, ...).

    Series stay apart by claimant within each alignment unless one claimant is named
    or ``pool_claimants=True`` with named claimants.

    Examples:
        >>> import cambodefect as cd
        >>> t = by_source_alignment(cd.load(), pool_claimants=True,
        ...                         claimant=["fresh-news", "sok-eysan"], kind="total")
        >>> t.column_names[:3]
        ['alignment', 'unit', 'claims']
    """
    picked = select(
        ds,
        Filters.of(filters, **kw),
        overlap=overlap,
        approximate=approximate,
        possible_overlaps=possible_overlaps,
        pool_claimants=pool_claimants,
        with_party_key=False,
        read=("alignment",),
    )
    grouped = group(picked.frame, ["alignment", *picked.series])
    return finish(grouped, picked.notes, "by claimant alignment")


def cumulative(
    ds: Dataset,
    freq: Freq = "day",
    *,
    filters: Filters | None = None,
    overlap: Overlap = "items",
    approximate: Approximate = "bounds",
    possible_overlaps: PossibleOverlaps = "upper",
    pool_claimants: bool = False,
    **kw: Unpack[FilterArgs],
) -> pa.Table:
    """Running totals over time (``by_period`` then cumulative sums, per series).

    A series is one claimant and unit. The null bin (claims too imprecise to place) is
    left out of the running total and reported in the metadata as ``unplaced_claims``.
    ``upper`` stays null from the first period with no upper bound on. Vectorized: one
    sort and a few cumulative sums, whatever the number of series.

    Examples:
        >>> import cambodefect as cd
        >>> t = cumulative(cd.load(), claimant="fresh-news", era="2023-wave")
        >>> t.column("count_sum").to_pylist()[-1]
        6476
    """
    periods = by_period(
        ds,
        freq,
        filters=filters,
        overlap=overlap,
        approximate=approximate,
        possible_overlaps=possible_overlaps,
        pool_claimants=pool_claimants,
        **kw,
    )
    notes = meta(periods)
    unplaced = periods.filter(pc.is_null(periods["period"]))
    notes["unplaced_claims"] = int(pc.sum(unplaced["claims"]).as_py() or 0)
    series = [c for c in ("claimant", "unit") if c in periods.column_names]
    placed = periods.filter(pc.is_valid(periods["period"])).sort_by(
        [(k, "ascending") for k in [*series, "period"]]
    )
    return finish(_running(placed, series), notes, f"cumulative by {freq}")


def _running(table: pa.Table, series: list[str]) -> pa.Table:
    """Cumulative sums of a table sorted by ``series`` keys, restarting at each series."""
    n = table.num_rows
    if n == 0:
        return table
    start = pa.concat_arrays([pa.array([True]), pc.fill_null(pa.nulls(n - 1, pa.bool_()), False)])
    for key in series:
        col = table.column(key).combine_chunks()
        prev, cur = col.slice(0, n - 1), col.slice(1)
        same = pc.or_(
            pc.fill_null(pc.equal(prev, cur), False),
            pc.and_(pc.is_null(prev), pc.is_null(cur)),
        )
        start = pc.or_(start, pa.concat_arrays([pa.array([True]), pc.invert(same)]))
    starts = pc.indices_nonzero(start)
    which = pc.subtract(pc.cumulative_sum(pc.cast(start, pa.int64())), 1)

    def running(col: pa.Array) -> pa.Array:
        total = pc.cumulative_sum(col)
        base = pc.subtract(total.take(starts), col.take(starts))
        return pc.subtract(total, base.take(which))

    def running_or_null(col: pa.Array) -> pa.Array:
        """Running sums; null from the first null of its series on."""
        nulls_so_far = running(pc.cast(pc.is_null(col), pa.int64()))
        sums = running(pc.fill_null(col, 0))
        return pc.if_else(pc.greater(nulls_so_far, 0), pa.scalar(None, sums.type), sums)

    cols = {name: table.column(name).combine_chunks() for name in table.column_names}
    for name in ("claims", "overlapping", "unvalued"):
        cols[name] = running(cols[name])
    # count_sum: null until the series has a figure (a period with no figure adds 0)
    figures_so_far = running(pc.cast(pc.is_valid(cols["count_sum"]), pa.int64()))
    sums = running(pc.fill_null(cols["count_sum"], 0))
    percent = pc.fill_null(pc.equal(cols["unit"], "percent"), False)
    cols["count_sum"] = pc.if_else(
        pc.or_(pc.equal(figures_so_far, 0), percent), pa.scalar(None, sums.type), sums
    )
    for name in ("lower", "upper"):  # null: non-additive (percent), or upper unbounded
        cols[name] = running_or_null(cols[name])
    return pa.table(cols)


def by_place(
    ds: Dataset,
    *,
    filters: Filters | None = None,
    overlap: Overlap = "items",
    approximate: Approximate = "bounds",
    possible_overlaps: PossibleOverlaps = "upper",
    pool_claimants: bool = False,
    **kw: Unpack[FilterArgs],
) -> pa.Table:
    """Claims summed by province (ISO 3166-2:KH code; null where no province is printed).

    A claim's province is its own place's, else its event's. Columns: [``claimant``,]
    ``province``, ``province_name``, ``unit``, ``claims``, ``overlapping``, ``count_sum``,
    ``unvalued``, ``lower``, ``upper``.

    Examples:
        >>> import cambodefect as cd
        >>> t = by_place(cd.load(), kind=["defection", "total"])
        >>> "province_name" in t.column_names
        True
    """
    picked = select(
        ds,
        Filters.of(filters, **kw),
        overlap=overlap,
        approximate=approximate,
        possible_overlaps=possible_overlaps,
        pool_claimants=pool_claimants,
        with_party_key=False,
        read=("province",),
    )
    grouped = group(picked.frame, [*picked.series, "province"])
    names = [None if c is None else _province_name(c) for c in grouped["province"].to_pylist()]
    grouped = grouped.add_column(
        grouped.schema.get_field_index("province") + 1,
        "province_name",
        pa.array(names, pa.string()),
    )
    return finish(grouped, picked.notes, "by province")


def _province_name(code: str) -> str:
    from cambodefect._places import province_name

    return province_name(code)
