"""Value types: counts, dates with their precision, evidence, roles and claimants.

All are frozen, slotted and keyword-only; validators enforce at construction what
the types cannot say, with messages that name the field and the value.

Examples:
    >>> from cambodefect.values import Count, FuzzyDate
    >>> Count.more_than(2000, text="more than 2,000").low
    2001
    >>> FuzzyDate.month(2023, 5).end
    datetime.date(2023, 5, 31)
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from typing import Any

import attrs
from attrs import field, frozen

from cambodefect import _checks
from cambodefect._checks import doc, documented
from cambodefect.enums import (
    Alignment,
    ClaimantKind,
    Precision,
    Qualifier,
    Unit,
    to_alignment,
    to_claimant_kind,
    to_precision,
    to_qualifier,
    to_unit,
)
from cambodefect.errors import RuleError, ViolationCode

__all__ = [
    "Claimant",
    "Count",
    "Evidence",
    "FuzzyDate",
    "Overlap",
    "Place",
    "Role",
    "Stance",
]


def _count_int(_: Any, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"Count.{attribute.name} must be an integer, got {value!r}")
    if not 0 <= value <= _checks.INT64_MAX:
        raise ValueError(
            f"Count.{attribute.name} must be from 0 to {_checks.INT64_MAX}, got {value!r}"
        )


# Which of (value, low, high) a count of this qualifier must have; others: see below.
_PRESENT: dict[Qualifier, tuple[bool, bool, bool]] = {
    Qualifier.EXACT: (True, True, True),
    Qualifier.RANGE: (False, True, True),
    Qualifier.VAGUE: (False, False, False),
}


@documented
@frozen(kw_only=True)
class Count:
    """A number as a source stated it, with how exactly it was stated.

    ``value`` is the point figure where the wording gives one (exact or
    approximate); ``low`` and ``high`` are inclusive bounds where the wording
    implies them. A vague count ("dozens") has no number at all: it stays vague.

    Examples:
        >>> Count.exact(774, unit=Unit.OFFICIALS, text="774").high
        774
        >>> Count(qualifier=Qualifier.VAGUE, text="hundreds, thousands").value is None
        True
    """

    qualifier: Qualifier = field(converter=to_qualifier, metadata=doc("how the number was hedged."))
    unit: Unit = field(default=Unit.PERSONS, converter=to_unit, metadata=doc("what is counted."))
    value: int | None = field(
        default=None,
        validator=_count_int,
        metadata=doc("the point figure, if the wording gives one."),
    )
    low: int | None = field(
        default=None, validator=_count_int, metadata=doc("the inclusive lower bound, if known.")
    )
    high: int | None = field(
        default=None, validator=_count_int, metadata=doc("the inclusive upper bound, if known.")
    )
    text: str | None = field(
        default=None,
        validator=_checks.optional_text,
        metadata=doc('the phrase as printed, e.g. ``"more than 2,000"``.'),
    )

    def __attrs_post_init__(self) -> None:
        problem = self._problem()
        if problem:
            raise RuleError(ViolationCode.COUNT_BOUNDS, f"{problem} ({self.text!r})")

    def _problem(self) -> str | None:
        """What breaks the count rules, or ``None``: the one home of those rules."""
        v, lo, hi, q = self.value, self.low, self.high, self.qualifier
        if lo is not None and hi is not None and lo > hi:
            return f"Count.low {lo} exceeds Count.high {hi}"
        if v is not None and lo is not None and v < lo:
            return f"Count.value {v} is below Count.low {lo}"
        if v is not None and hi is not None and v > hi:
            return f"Count.value {v} is above Count.high {hi}"
        present = (v is not None, lo is not None, hi is not None)
        if q in _PRESENT and present != _PRESENT[q]:
            return (
                f"Count with qualifier {q.value!r} needs value/low/high present as "
                f"{_PRESENT[q]}, got value={v!r}, low={lo!r}, high={hi!r}"
            )
        if q is Qualifier.EXACT and not v == lo == hi:
            return f"exact Count needs value == low == high, got {v}, {lo}, {hi}"
        if q is Qualifier.APPROXIMATE and v is None:
            return "approximate Count needs a value"
        if q in (Qualifier.AT_LEAST, Qualifier.MORE_THAN) and (lo is None or hi is not None):
            return f"{q.value} Count needs low and no high, got low={lo!r}, high={hi!r}"
        if q is Qualifier.FEWER_THAN and (hi is None or lo is not None):
            return f"fewer_than Count needs high and no low, got {lo!r}, {hi!r}"
        bounded = (Qualifier.AT_LEAST, Qualifier.MORE_THAN, Qualifier.FEWER_THAN, Qualifier.RANGE)
        if q in bounded and v is not None:
            return f"{q.value} Count has bounds, not a value; got value={v!r}"
        return None

    @classmethod
    def exact(cls, n: int, *, unit: Unit = Unit.PERSONS, text: str | None = None) -> Count:
        """A plain number: value, low and high all ``n``."""
        return cls(qualifier=Qualifier.EXACT, unit=unit, value=n, low=n, high=n, text=text)

    @classmethod
    def approximate(cls, n: int, *, unit: Unit = Unit.PERSONS, text: str | None = None) -> Count:
        """A hedged number ("around 60"): a value, no bounds."""
        return cls(qualifier=Qualifier.APPROXIMATE, unit=unit, value=n, text=text)

    @classmethod
    def at_least(cls, n: int, *, unit: Unit = Unit.PERSONS, text: str | None = None) -> Count:
        """An inclusive lower bound ("at least seven"): low is ``n``."""
        return cls(qualifier=Qualifier.AT_LEAST, unit=unit, low=n, text=text)

    @classmethod
    def more_than(cls, n: int, *, unit: Unit = Unit.PERSONS, text: str | None = None) -> Count:
        """An exclusive lower bound ("more than 2,000"): low is ``n + 1``."""
        return cls(qualifier=Qualifier.MORE_THAN, unit=unit, low=n + 1, text=text)

    @classmethod
    def between(
        cls, low: int, high: int, *, unit: Unit = Unit.PERSONS, text: str | None = None
    ) -> Count:
        """An inclusive range ("10% to 15%")."""
        return cls(qualifier=Qualifier.RANGE, unit=unit, low=low, high=high, text=text)

    @classmethod
    def vague(cls, text: str, *, unit: Unit = Unit.PERSONS) -> Count:
        """A quantity with no number ("dozens"): only the phrase is kept."""
        return cls(qualifier=Qualifier.VAGUE, unit=unit, text=text)


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@documented
@frozen(kw_only=True)
class FuzzyDate:
    """A date known to a stated precision: a day, a month, a year, or a range.

    ``start`` and ``end`` are the first and last days it may be (inclusive). For
    ``range`` either end may be open (``None``), e.g. "published after 30 June 2023".

    Examples:
        >>> d = FuzzyDate.day(date(2023, 6, 30), text="30/06/2023")
        >>> (d.precision.value, d.start == d.end)
        ('day', True)
        >>> FuzzyDate.year(2017).contains(date(2017, 11, 16))
        True
    """

    precision: Precision = field(
        converter=to_precision, metadata=doc("how precisely the date is known.")
    )
    start: date | None = field(default=None, metadata=doc("the earliest day it may be."))
    end: date | None = field(default=None, metadata=doc("the latest day it may be."))
    text: str | None = field(
        default=None,
        validator=_checks.optional_text,
        metadata=doc('the phrase as printed, if any (``"late October"``).'),
    )
    inferred: bool = field(
        default=False,
        metadata=doc(
            "``True`` when the seed does not state the date but it follows from "
            "what the seeds do state (the evidence note says how)."
        ),
    )

    def __attrs_post_init__(self) -> None:
        p, s, e = self.precision, self.start, self.end
        for name, d in (("start", s), ("end", e)):
            if d is not None and (not isinstance(d, date) or isinstance(d, datetime)):
                raise TypeError(f"FuzzyDate.{name} must be a date (no time), got {d!r}")
        if s is not None and e is not None and s > e:
            raise RuleError(
                ViolationCode.DATE_ORDER, f"date starts {s} after it ends {e} ({self.text!r})"
            )
        if p is Precision.RANGE:
            if s is None and e is None:
                raise RuleError(
                    ViolationCode.DATE_PRECISION,
                    f"a range date needs a start or an end ({self.text!r})",
                )
            return
        if s is None or e is None:
            raise RuleError(
                ViolationCode.DATE_PRECISION,
                f"a {p.value}-precision date needs start and end, got {s}, {e}",
            )
        if p is Precision.DAY:
            ok = s == e
        elif p is Precision.MONTH:
            ok = s.day == 1 and e == _last_day(s.year, s.month)
        else:
            ok = (s.month, s.day) == (1, 1) and e == date(s.year, 12, 31)
        if not ok:
            raise RuleError(
                ViolationCode.DATE_PRECISION,
                f"start {s} and end {e} do not span one {p.value} ({self.text!r})",
            )

    @classmethod
    def day(cls, d: date, *, text: str | None = None, inferred: bool = False) -> FuzzyDate:
        """A date known to the day."""
        return cls(precision=Precision.DAY, start=d, end=d, text=text, inferred=inferred)

    @classmethod
    def month(
        cls, year: int, month: int, *, text: str | None = None, inferred: bool = False
    ) -> FuzzyDate:
        """A date known to the month."""
        return cls(
            precision=Precision.MONTH,
            start=date(year, month, 1),
            end=_last_day(year, month),
            text=text,
            inferred=inferred,
        )

    @classmethod
    def year(cls, year: int, *, text: str | None = None, inferred: bool = False) -> FuzzyDate:
        """A date known to the year."""
        return cls(
            precision=Precision.YEAR,
            start=date(year, 1, 1),
            end=date(year, 12, 31),
            text=text,
            inferred=inferred,
        )

    @classmethod
    def between(
        cls,
        start: date | None,
        end: date | None,
        *,
        text: str | None = None,
        inferred: bool = False,
    ) -> FuzzyDate:
        """A date known only to lie in ``[start, end]``; either end may be open."""
        return cls(precision=Precision.RANGE, start=start, end=end, text=text, inferred=inferred)

    def contains(self, d: date) -> bool:
        """Whether ``d`` may be this date."""
        return (self.start is None or self.start <= d) and (self.end is None or d <= self.end)


@documented
@frozen(kw_only=True)
class Evidence:
    """Where a record comes from: a source, where in it, and our note.

    A document we hold is cited by its 1-based ``line``; a stored web page by its 1-based
    ``paragraph`` (counting the article body from the top as stored, headline, byline and
    captions excluded). Exactly one of the two is set.

    Examples:
        >>> Evidence(source_id="voa-2023-fresh-news-tally", line=28, note="first tally row").line
        28
        >>> Evidence(source_id="rfa-2017-ceremony", paragraph=3, note="the figure").paragraph
        3
    """

    source_id: str = field(
        validator=_checks.slug, metadata=doc("the ID of the source the record was read in.")
    )
    line: int | None = field(
        default=None,
        validator=attrs.validators.optional(_checks.positive),
        metadata=doc("the 1-based line in a held document's text."),
    )
    note: str = field(
        validator=_checks.text,
        metadata=doc("a short note in our own words (never the source's prose)."),
    )
    paragraph: int | None = field(
        default=None,
        validator=attrs.validators.optional(_checks.positive),
        metadata=doc("the 1-based paragraph of a stored web page's article body."),
    )

    def __attrs_post_init__(self) -> None:
        if (self.line is None) == (self.paragraph is None):
            raise ValueError(
                f"evidence in {self.source_id!r} cites a line or a paragraph (exactly one), "
                f"got line={self.line!r}, paragraph={self.paragraph!r}"
            )

    @property
    def locator(self) -> str:
        """Where in the source: ``"line 28"`` or ``"paragraph 3"``."""
        return f"line {self.line}" if self.line is not None else f"paragraph {self.paragraph}"


@documented
@frozen(kw_only=True)
class Role:
    """A title a person held, as a seed states it."""

    title: str = field(
        validator=_checks.text,
        metadata=doc('the title in our words ("commune councillor", "spokesman").'),
    )
    evidence: Evidence = field(metadata=doc("where the seed states it."))
    party_id: str | None = field(
        default=None,
        validator=_checks.optional_slug,
        metadata=doc("the party or organization the title is held in, if stated."),
    )
    place: str | None = field(
        default=None,
        validator=_checks.optional_text,
        metadata=doc("the province, commune or city, if stated."),
    )
    period: FuzzyDate | None = field(default=None, metadata=doc("when it was held, if stated."))
    former: bool = field(
        default=False, metadata=doc("``True`` when the seed calls it a former role.")
    )


@documented
@frozen(kw_only=True)
class Claimant:
    """Who made a claim: a person, an organization, a source, or an unnamed group.

    Examples:
        >>> Claimant(kind=ClaimantKind.ORGANIZATION, id="fresh-news",
        ...          alignment=Alignment.GOVERNMENT_ALIGNED).id
        'fresh-news'
    """

    kind: ClaimantKind = field(converter=to_claimant_kind, metadata=doc("what ``id`` points to."))
    alignment: Alignment = field(
        converter=to_alignment,
        metadata=doc("whose side the claimant is on, as the seeds describe it."),
    )
    id: str | None = field(
        default=None,
        validator=_checks.optional_slug,
        metadata=doc("the person, party-table or source ID; ``None`` only for a group."),
    )
    label: str | None = field(
        default=None,
        validator=_checks.optional_text,
        metadata=doc('our short description, required for a group ("ex-opposition officials").'),
    )

    def __attrs_post_init__(self) -> None:
        if self.kind is ClaimantKind.GROUP:
            if self.id is not None or self.label is None:
                raise ValueError(f"a group claimant has a label and no id, got id={self.id!r}")
        elif self.id is None:
            raise ValueError(f"a {self.kind.value} claimant needs an id")


def _province(_: Any, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is None:
        return
    from cambodefect._places import province_codes

    if value not in province_codes():
        raise RuleError(
            ViolationCode.PROVINCE_UNKNOWN,
            f"Place.province must be an ISO 3166-2:KH code (KH-1 to KH-25), got {value!r}",
        )


@documented
@frozen(kw_only=True)
class Place:
    """Where something happened, as a source prints it.

    Only what the source prints: the province code is set only when a province (or a
    place the page itself ties to one) is printed; the printed text keeps district,
    commune or village as they appear.

    Examples:
        >>> Place(province="KH-3", text="Cheung Prey district, Kampong Cham province").province
        'KH-3'
        >>> Place(province="KH-99", text="nowhere")
        Traceback (most recent call last):
        ...
        cambodefect.errors.RuleError: Place.province must be an ISO 3166-2:KH code ...
    """

    text: str = field(
        validator=_checks.text, metadata=doc("the place as printed (province, district, commune).")
    )
    province: str | None = field(
        default=None,
        validator=_province,
        metadata=doc("the province as an ISO 3166-2:KH code (``KH-3``), where one is printed."),
    )


@documented
@frozen(kw_only=True)
class Overlap:
    """A possible overlap: another claim that might count some of the same people.

    The link is symmetric in meaning (declared on either claim, read both ways); in a sum
    one of the two counts and the other only widens ``upper`` (see
    [`cambodefect.aggregate`][cambodefect.aggregate]).

    Examples:
        >>> Overlap(claim_id="fresh-news-tally-row-101", note="same day, same party").claim_id
        'fresh-news-tally-row-101'
    """

    claim_id: str = field(validator=_checks.slug, metadata=doc("the other claim's ID."))
    note: str = field(
        validator=_checks.text, metadata=doc("why the two might count the same people.")
    )


@documented
@frozen(kw_only=True)
class Stance:
    """An outlet's (or organization's) alignment, as a recorded judgement with its reason.

    Never assumed: the alignment rests on sources that describe the outlet; with none,
    it is ``unknown``. A judgement can end (``until``: a sale, a closure): the outlet's
    sources published after that day take ``unknown``.

    Examples:
        >>> Stance(alignment="unknown", reason="no stored page describes it").alignment.value
        'unknown'
        >>> from datetime import date
        >>> Stance(alignment="independent", reason="...", until=date(2018, 5, 7)).holds_on(
        ...     date(2023, 1, 1)
        ... )
        False
    """

    alignment: Alignment = field(
        converter=to_alignment, metadata=doc("the alignment judged (independent, ...).")
    )
    reason: str = field(validator=_checks.text, metadata=doc("why, in our words."))
    evidence: tuple[Evidence, ...] = field(
        default=(), metadata=doc("the sources that describe the outlet so.")
    )
    until: date | None = field(
        default=None,
        validator=attrs.validators.optional(attrs.validators.instance_of(date)),
        metadata=doc("the last day the judgement holds (a sale, a closure); null: no end known."),
    )

    def holds_on(self, day: date) -> bool:
        """Whether the judgement covers something published on ``day``."""
        return self.until is None or day <= self.until
