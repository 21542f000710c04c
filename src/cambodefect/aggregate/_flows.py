"""Flows between parties: claims summed by election cycle, former party and party joined.

A flow is one (``cycle``, former party, party joined) triple: "Candlelight Party ->
Cambodian People's Party, in the run-up to the 2023 election". Former parties are the
``party_key`` of every aggregation (a joint row, "CNRP / Candlelight Party", is one
joint group unless ``joint="each"``); the party joined is the claim's ``to_party_id``,
null where the claim does not say.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Unpack

import pyarrow.compute as pc

from cambodefect.aggregate._filters import FilterArgs, Filters
from cambodefect.aggregate._groupings import Joint, _party_rows, party_kinds
from cambodefect.aggregate._steps import (
    Approximate,
    Overlap,
    PossibleOverlaps,
    finish,
    group,
    select,
)

if TYPE_CHECKING:
    import pyarrow as pa

    from cambodefect.dataset import Dataset

__all__ = ["by_flow"]


def by_flow(
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
    """Claims summed by election cycle, former party and party joined.

    The same selection as every ``by_*`` function (the counting rules of the package
    apply: a total is never added to its own items, claimants are separate series,
    one event counts once per claimant), grouped by ``cycle`` (the national election
    a claim's date leads up to, null where undated), ``party_key`` (joint rows as one
    joint group by default, as in [`by_party`][cambodefect.aggregate.by_party]) and ``to_party_id``.

    Columns: [``claimant``,] ``cycle``, ``party_key``, ``party_kind``, ``to_party_id``,
    ``to_party_kind``, ``unit``, ``claims``, ``overlapping``, ``count_sum``,
    ``unvalued``, ``lower``, ``upper``, ``over_counts``. ``party_key`` is null for
    claims that name no former party, ``to_party_id`` for claims that name no party
    joined.

    Raises:
        UnknownFilterValueError: ``joint``, ``overlap``, ``approximate`` or a filter
            value is not one of the valid ones.
        AggregationError: ``pool_claimants=True`` without naming the claimants.

    Examples:
        >>> import cambodefect as cd
        >>> t = by_flow(cd.load("3.0.0"), claimant="fresh-news", cycle="2023")
        >>> row = t.sort_by([("count_sum", "descending")]).to_pylist()[0]
        >>> row["party_key"], row["to_party_id"], row["claims"], row["count_sum"]
        ('candlelight-party', 'cambodian-peoples-party', 60, 4716)
    """
    picked = select(
        ds,
        Filters.of(filters, **kw),
        overlap=overlap,
        approximate=approximate,
        possible_overlaps=possible_overlaps,
        pool_claimants=pool_claimants,
        read=("cycle", "parties", "party_key"),
    )
    frame = picked.frame
    claims = ds.claims
    where = pc.index_in(frame.column("id"), claims.column("id"))
    to_party = claims.column("to_party_id").combine_chunks().take(where)
    frame, rule = _party_rows(frame.append_column("to_party_id", to_party), joint)
    keys = [*picked.series, "cycle", "party_key", "to_party_id"]
    grouped = group(frame, keys, over_counts=True)
    grouped = grouped.add_column(
        grouped.schema.get_field_index("party_key") + 1,
        "party_kind",
        party_kinds(ds, grouped.column("party_key")),
    )
    grouped = grouped.add_column(
        grouped.schema.get_field_index("to_party_id") + 1,
        "to_party_kind",
        party_kinds(ds, grouped.column("to_party_id")),
    )
    return finish(grouped, picked.notes, f"by flow (cycle, former party, party joined); {rule}")
