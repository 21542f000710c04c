"""Figures of the claims, each answering one question from one aggregation.

- [`timeline`][cambodefect.plot.timeline]: how many defections did each claimant claim, per period,
  and from which parties? (``aggregate.by_period``)
- [`flows`][cambodefect.plot.flows]: from which party to which, by election cycle, says one
  claimant? (``aggregate.by_flow``)
- [`contested`][cambodefect.plot.contested]: how far apart are the claimed figure and the
  counter-figure of each contested event? (``aggregate.by_event``)
- [`provinces`][cambodefect.plot.provinces]: where do the claims place the defections?
  (``aggregate.by_place``)
- [`reconciliation`][cambodefect.plot.reconciliation]: does each stated total equal the sum of its
  own items, and by how much does it differ? (``aggregate.reconcile``)
- [`coverage`][cambodefect.plot.coverage]: where is the record thick or thin?
  (``aggregate.coverage``)

Needs the ``plot`` extra (``pip install 'cambodefect[plot]'``); without matplotlib,
each function raises [`MissingExtraError`][cambodefect.MissingExtraError]. matplotlib is
imported only when a function is called, so ``import cambodefect.plot`` stays cheap.

The figures draw what [`cambodefect.aggregate`][cambodefect.aggregate] computes and nothing else,
under the same rules: every bar is a *claim* by a named claimant, claimants are never pooled, joint
rows stay joint, placeholders and non-party labels are drawn and labelled as what they are, and what
could not be drawn is said on the figure.

Examples:
    >>> import cambodefect as cd
    >>> from cambodefect import plot
    >>> ax = plot.timeline(cd.load("1.0.0"), claimants=["fresh-news"], era="2023-wave")
    >>> [label.get_text() for label in ax.get_xticklabels()]
    ['Jan\\n2023', 'Feb\\n2023', 'Mar\\n2023', 'Apr\\n2023', 'May\\n2023', 'Jun\\n2023']
"""

from __future__ import annotations

from cambodefect.plot._contested import contested
from cambodefect.plot._coverage import coverage
from cambodefect.plot._flows import flows
from cambodefect.plot._provinces import provinces
from cambodefect.plot._reconciliation import reconciliation
from cambodefect.plot._timeline import draw_timeline, timeline

__all__ = [
    "contested",
    "coverage",
    "draw_timeline",
    "flows",
    "provinces",
    "reconciliation",
    "timeline",
]
