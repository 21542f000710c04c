"""What the dataset covers: the sources read and the claims they carry, per group.

A count of sources and claims, never of people: it says where the record is thick or
thin (which years, which outlets, which sides, which provinces), so that a reader can
weigh any figure the other functions give.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Literal, get_args

import pyarrow as pa

from cambodefect._frame import frame_of
from cambodefect._places import province_name
from cambodefect.errors import UnknownFilterValueError

if TYPE_CHECKING:
    from collections.abc import Hashable

    from cambodefect.dataset import Dataset

__all__ = ["CoverageKey", "coverage"]

CoverageKey = Literal["year", "outlet", "alignment", "province"]
"""What [`coverage`][cambodefect.aggregate.coverage] groups by."""

COUNTER_KINDS = frozenset({"dispute", "refusal"})
"""Claim kinds that contest other claims (as in [`by_event`][cambodefect.aggregate.by_event])."""


def coverage(ds: Dataset, by: CoverageKey = "year") -> pa.Table:
    """Sources read and claims carried, per publication year, outlet, alignment or province.

    Columns: the key (``year``: the source's publication year, null where undated;
    ``outlet``: the publisher's ID, with ``outlet_name``; ``alignment``: the source's
    alignment; ``province``: the claim's ISO 3166-2:KH code, its own or its event's,
    null where no place is given, with ``province_name``), then

    ``sources``
        sources we read (``read_directly``) in the group; for ``province``, those
        that carry a claim placed there;
    ``claims``
        claims whose evidence cites one of those sources (a claim citing two
        sources of one group counts once);
    ``defections`` / ``totals``
        of which claims of kind ``defection`` / ``total``;
    ``counter_claims``
        of which counter-claims: disputes, refusals, or claims another claim lists in
        ``disputed_by``;
    ``contested``
        of which claims that another claim disputes.

    Rows are sorted by key, nulls last.

    Raises:
        UnknownFilterValueError: ``by`` is not one of year, outlet, alignment, province.

    Examples:
        >>> import cambodefect as cd
        >>> t = coverage(cd.load("2.0.0"), by="outlet")
        >>> t.select(["outlet", "sources", "claims"]).to_pylist()[0]
        {'outlet': 'camboja', 'sources': 1, 'claims': 24}
        >>> coverage(cd.load("2.0.0"), by="decade")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        cambodefect.errors.UnknownFilterValueError: unknown by 'decade'; valid values: year, ...
    """
    keys = get_args(CoverageKey)
    if by not in keys:
        raise UnknownFilterValueError("by", by, keys)
    read = {s.id: s for s in ds.iter_sources() if s.read_directly}
    frame = frame_of(ds).select(["id", "province"])
    province = dict(zip(*(frame.column(c).to_pylist() for c in ("id", "province")), strict=True))
    disputers = {d for c in ds.iter_claims() for d in c.disputed_by}

    def group_of(source_id: str, claim_id: str | None) -> Hashable:
        src = read[source_id]
        if by == "year":
            start = src.published.start if src.published else None
            return start.year if start else None
        if by == "outlet":
            return src.publisher_id
        if by == "alignment":
            return src.alignment.value
        return province.get(claim_id) if claim_id else None

    sources: dict[Hashable, set[str]] = defaultdict(set)
    claims: dict[Hashable, dict[str, tuple[bool, bool, bool, bool]]] = defaultdict(dict)
    if by != "province":
        for sid in read:
            sources[group_of(sid, None)].add(sid)
    for claim in ds.iter_claims():
        flags = (
            claim.kind.value == "defection",
            claim.kind.value == "total",
            claim.kind.value in COUNTER_KINDS or claim.id in disputers,
            bool(claim.disputed_by),
        )
        for ev in claim.evidence:
            if ev.source_id in read:
                key = group_of(ev.source_id, claim.id)
                sources[key].add(ev.source_id)
                claims[key][claim.id] = flags
    order = sorted(sources, key=_sort_key)
    columns: dict[str, pa.Array] = {
        by: pa.array(order, pa.int32() if by == "year" else pa.string()),
    }
    if by == "outlet":
        names = {p.id: p.name for p in ds.iter_parties()}
        columns["outlet_name"] = pa.array([names.get(str(k)) for k in order], pa.string())
    if by == "province":
        named = [province_name(str(k)) if k is not None else None for k in order]
        columns["province_name"] = pa.array(named, pa.string())
    columns["sources"] = pa.array([len(sources[k]) for k in order], pa.int64())
    columns["claims"] = pa.array([len(claims[k]) for k in order], pa.int64())
    for i, name in enumerate(("defections", "totals", "counter_claims", "contested")):
        values = [sum(f[i] for f in claims[k].values()) for k in order]
        columns[name] = pa.array(values, pa.int64())
    return pa.table(columns)


def _sort_key(key: Hashable) -> tuple[bool, int, str]:
    """Nulls last; years and province numbers (KH-2 before KH-12) in numeric order."""
    if key is None:
        return (True, 0, "")
    if isinstance(key, int):
        return (False, key, "")
    text = str(key)
    number = text.removeprefix("KH-")
    return (False, int(number), "") if number.isdigit() else (False, 0, text)
