"""Honest numbers from claims: totals by party, period, claimant and alignment.

Every function takes a [`Dataset`][cambodefect.Dataset], applies the same
filters, and returns a `pyarrow.Table` with, per group:

``claims``
    how many claims fall in the group;
``count_sum``
    the best figure the wording allows: each claim adds its point figure (exact or
    approximate) where it has one, else its lower bound ("more than 2,000" adds
    2,001), else nothing ("dozens", no count); so ``lower <= count_sum <= upper``;
``unvalued``
    how many claims have no point figure ("more than 2,000", "dozens", no count);
``lower`` / ``upper``
    bounds on the group's total: a "more than 2,000" adds 2,001 to ``lower`` and makes
    ``upper`` unbounded (null); an "around 60" adds 60 to both only under
    ``approximate="as_value"`` (by default it adds 0 to ``lower`` and makes ``upper``
    null); a vague count adds 0 and makes ``upper`` null.

Every result is also grouped by ``unit``: persons, officials and percentages are
never summed together.

The rules of DESIGN.md section 6 are enforced here, not left to the user:

- **A stated total is never added to its own items.** If a claim and one of its
  ``part_of`` ancestors are both selected, only the most itemized level is kept
  (``overlap="items"``, the default) or only the totals (``overlap="totals"``); the
  dropped IDs are listed in the result's metadata.
- **Claimants are never mixed silently.** Each result is grouped by claimant as well
  as by its own key, unless one claimant is selected or the caller names several and
  passes ``pool_claimants=True``.
- **Joint rows stay joint.** A claim naming several former parties counts once, for
  the joint group ("cambodia-national-rescue-party+candlelight-party"). With
  ``joint="each"`` it counts for each party and the column ``over_counts`` is true
  for every group that received a joint claim: the groups then add up to more than
  the claims.
- **Placeholders and non-party labels are kept and labelled** (``party_kind``).

Filters shared by all functions, as a [`Filters`][cambodefect.aggregate.Filters] object
(``filters=``) or as keyword arguments: ``kind`` (default ``"defection"``), ``claimant`` (ID, name,
alias or group label), ``alignment``, ``party``, ``person``, ``era`` (``"2017-drive"`` or
``"2023-wave"``), ``start`` / ``end`` (the claim's date lies within; a date or an ISO string),
``include_disputed`` (default true: claims that others dispute are kept; false drops them).

The pipeline, one module per stage: [`claims_frame`][cambodefect.aggregate.claims_frame]
(``_frame``: one flat row per claim) -> [`Filters`][cambodefect.aggregate.Filters] (``_filters``) ->
selection and contributions (``_steps``) -> grouping (``_steps``, ``_groupings``);
[`reconcile`][cambodefect.aggregate.reconcile] (``_reconcile``),
[`by_event`][cambodefect.aggregate.by_event] (``_events``),
[`by_flow`][cambodefect.aggregate.by_flow] (``_flows``: by election cycle, former party and party
joined), [`coverage`][cambodefect.aggregate.coverage] (``_coverage``: sources and claims, not
people, per year, outlet, alignment or province) and the calendar bins shared with
[`cambodefect.plot`][cambodefect.plot] (``_calendar``) sit beside it.

Examples:
    >>> import cambodefect as cd
    >>> import pyarrow.compute as pc
    >>> from cambodefect import aggregate
    >>> t = aggregate.by_party(cd.load(), claimant="fresh-news", era="2023-wave")
    >>> int(pc.sum(t.column("count_sum")).as_py())  # the 110 tally rows
    6476
    >>> int(pc.sum(t.column("upper")).as_py())  # + stories of 45 and 5 that may repeat rows
    6526
"""

from __future__ import annotations

from cambodefect._frame import Cycle, Era, claims_frame
from cambodefect.aggregate._calendar import Freq
from cambodefect.aggregate._coverage import CoverageKey, coverage
from cambodefect.aggregate._events import by_event
from cambodefect.aggregate._filters import FilterArgs, Filters
from cambodefect.aggregate._flows import by_flow
from cambodefect.aggregate._groupings import (
    by_claimant,
    by_party,
    by_period,
    by_place,
    by_source_alignment,
    cumulative,
)
from cambodefect.aggregate._reconcile import reconcile
from cambodefect.aggregate._steps import meta
from cambodefect.aggregate._text import to_text
from cambodefect.errors import AggregationError

__all__ = [
    "AggregationError",
    "CoverageKey",
    "Cycle",
    "Era",
    "FilterArgs",
    "Filters",
    "Freq",
    "by_claimant",
    "by_event",
    "by_flow",
    "by_party",
    "by_period",
    "by_place",
    "by_source_alignment",
    "claims_frame",
    "coverage",
    "cumulative",
    "meta",
    "reconcile",
    "to_text",
]
