"""Closed vocabularies of the data model, as string enums.

Each member's value is the string stored in files and Arrow tables; the Arrow
schema stores them dictionary-encoded.

Examples:
    >>> from cambodefect.enums import Qualifier
    >>> Qualifier("more_than") is Qualifier.MORE_THAN
    True
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from cambodefect.errors import UnknownValueError

__all__ = [
    "ENUMS",
    "Alignment",
    "ClaimKind",
    "ClaimantKind",
    "EventKind",
    "Extent",
    "PartyKind",
    "Precision",
    "Qualifier",
    "SourceKind",
    "Unit",
    "coerce",
]

E = TypeVar("E", bound=StrEnum)


def coerce(cls: type[E], value: object, what: str | None = None) -> E:
    """``value`` as a member of ``cls``, or [`UnknownValueError`][cambodefect.UnknownValueError]
    listing the valid ones.

    Members pass through; strings are looked up by value. The error's suggestions are
    the nearest valid values (a typo such as ``"defections"`` names ``"defection"``).

    Examples:
        >>> coerce(Qualifier, "more_than") is Qualifier.MORE_THAN
        True
        >>> coerce(ClaimKind, "defections", "kind")
        Traceback (most recent call last):
        ...
        cambodefect.errors.UnknownValueError: unknown kind 'defections' (did you mean ...
    """
    if isinstance(value, cls):
        return value
    if isinstance(value, str):
        try:
            return cls(value)
        except ValueError:
            pass
    valid = [m.value for m in cls]
    hint: list[str] = []
    if isinstance(value, str) and value:
        import difflib

        hint = difflib.get_close_matches(value.casefold(), valid, n=2, cutoff=0.75)
    raise UnknownValueError(what or _what(cls), value, valid, hint)


def _what(cls: type[StrEnum]) -> str:
    """``ClaimKind`` -> ``"claim kind"``."""
    name = cls.__name__
    return "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip()


class Qualifier(StrEnum):
    """How exactly a count was stated."""

    EXACT = "exact"
    """A plain number: "774"."""
    APPROXIMATE = "approximate"
    """A number hedged: "around 60"."""
    AT_LEAST = "at_least"
    """A lower bound that includes itself: "at least seven"."""
    MORE_THAN = "more_than"
    """A lower bound that excludes itself: "more than 2,000", "over a hundred"."""
    FEWER_THAN = "fewer_than"
    """An upper bound that excludes itself: "fewer than ten"."""
    RANGE = "range"
    """Two bounds: "10% to 15%"."""
    VAGUE = "vague"
    """No number at all: "dozens", "hundreds, thousands"."""


class Unit(StrEnum):
    """What a count counts."""

    PERSONS = "persons"
    OFFICIALS = "officials"
    """Elected or appointed office holders."""
    POSITIONS = "positions"
    """Elected seats or posts, not people."""
    PERCENT = "percent"
    ACTS = "acts"
    """Acts such as attacks or beatings."""
    REPORTS = "reports"
    """News items, articles or posts."""
    YEARS = "years"
    """A duration, e.g. a sentence."""


class Precision(StrEnum):
    """How precisely a date is known."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    RANGE = "range"
    """Known only to lie between two dates, either of which may be open."""


class PartyKind(StrEnum):
    """What kind of organization, or label, a party-table entry is."""

    PARTY = "party"
    """A political party."""
    PLACEHOLDER = "placeholder"
    """A label standing for parties not named, such as "Unnamed Parties"."""
    NON_PARTY = "non_party"
    """A label in a party column that is not a party, such as "Political Analyst"."""
    MEDIA = "media"
    NGO = "ngo"
    """A non-governmental organization or civil-society group."""
    GOVERNMENT = "government"
    """A ministry, office, court or other state body."""
    ACADEMIC = "academic"
    INTERNATIONAL = "international"
    """An international body, such as the UN."""


class SourceKind(StrEnum):
    """What kind of thing a source is."""

    NEWS_ARTICLE = "news_article"
    COMPILED_TALLY = "compiled_tally"
    STATEMENT = "statement"
    REPORT = "report"
    VIDEO = "video"
    AUDIO = "audio"
    SOCIAL_POST = "social_post"
    SPEECH = "speech"
    INTERVIEW = "interview"


class Alignment(StrEnum):
    """Whose side a source or claimant is on, as the seeds describe it."""

    INDEPENDENT = "independent"
    GOVERNMENT_ALIGNED = "government_aligned"
    RULING_PARTY = "ruling_party"
    OPPOSITION = "opposition"
    NGO = "ngo"
    ACADEMIC = "academic"
    UNKNOWN = "unknown"


class ClaimKind(StrEnum):
    """What a claim asserts."""

    DEFECTION = "defection"
    """Someone (a count of people, or named people) left a party for another."""
    TOTAL = "total"
    """A stated total of defections over a period; its items point to it with ``part_of``."""
    SHARE = "share"
    """A proportion, e.g. "10% to 15%" of a leadership."""
    REFUSAL = "refusal"
    """Someone declined to defect, or denied having done so."""
    APOLOGY = "apology"
    ARREST = "arrest"
    CHARGE = "charge"
    """Criminal charges brought against someone."""
    CONVICTION = "conviction"
    SENTENCE = "sentence"
    PARDON = "pardon"
    APPOINTMENT = "appointment"
    RESIGNATION = "resignation"
    DISSOLUTION = "dissolution"
    DISQUALIFICATION = "disqualification"
    SUSPENSION = "suspension"
    """An order to stop operating, temporarily."""
    VIOLENCE = "violence"
    ELECTION_RESULT = "election_result"
    PUBLICATION = "publication"
    """A count of news items or articles published."""
    DISPUTE = "dispute"
    """A claim that contests another (see ``Claim.disputed_by``)."""
    STATEMENT = "statement"
    """An assertion with no figure and no event of the kinds above: an offer, a deadline,
    an allegation of coercion, an analysis, a party's stance."""


class EventKind(StrEnum):
    """What kind of happening an [`Event`][cambodefect.Event] is."""

    CEREMONY = "ceremony"
    """A welcoming or induction ceremony for defectors."""
    ANNOUNCEMENT = "announcement"
    """A statement, press conference, broadcast or post announcing defections."""
    LETTER = "letter"
    """A letter, petition or request (to join, to be rehabilitated)."""
    MEETING = "meeting"
    RALLY = "rally"
    ARREST = "arrest"
    COURT_RULING = "court_ruling"
    """A court decision, such as a party's dissolution."""
    DEADLINE = "deadline"
    """A deadline or offer set for defecting."""
    ELECTION = "election"
    INTERVIEW = "interview"
    OTHER = "other"


class Extent(StrEnum):
    """How much of a stored web page was read."""

    WHOLE = "whole"
    """The whole article."""
    OPENING = "opening"
    """Only its opening: the stored copy stops before the article ends."""


class ClaimantKind(StrEnum):
    """What a claimant reference points to."""

    PERSON = "person"
    ORGANIZATION = "organization"
    """An entry of the parties table (a party, an outlet, an NGO)."""
    SOURCE = "source"
    GROUP = "group"
    """People the seed does not name ("ex-opposition officials"); described by a label."""


# attrs converters for enum-typed fields (named functions, so type checkers follow them).


def to_qualifier(value: Qualifier | str) -> Qualifier:
    """A [`Qualifier`][cambodefect.Qualifier] from a member or its value (``UnknownValueError``
    otherwise)."""
    return coerce(Qualifier, value, "qualifier")


def to_unit(value: Unit | str) -> Unit:
    """A [`Unit`][cambodefect.Unit] from a member or its value (``UnknownValueError`` otherwise)."""
    return coerce(Unit, value, "unit")


def to_precision(value: Precision | str) -> Precision:
    """A [`Precision`][cambodefect.Precision] from a member or its value (``UnknownValueError``
    otherwise)."""
    return coerce(Precision, value, "precision")


def to_party_kind(value: PartyKind | str) -> PartyKind:
    """A [`PartyKind`][cambodefect.PartyKind] from a member or its value (``UnknownValueError``
    otherwise)."""
    return coerce(PartyKind, value, "party kind")


def to_source_kind(value: SourceKind | str) -> SourceKind:
    """A [`SourceKind`][cambodefect.SourceKind] from a member or its value (``UnknownValueError``
    otherwise)."""
    return coerce(SourceKind, value, "source kind")


def to_alignment(value: Alignment | str) -> Alignment:
    """An [`Alignment`][cambodefect.Alignment] from a member or its value (``UnknownValueError``
    otherwise)."""
    return coerce(Alignment, value, "alignment")


def to_claim_kind(value: ClaimKind | str) -> ClaimKind:
    """A [`ClaimKind`][cambodefect.ClaimKind] from a member or its value (``UnknownValueError``
    otherwise)."""
    return coerce(ClaimKind, value, "claim kind")


def to_claimant_kind(value: ClaimantKind | str) -> ClaimantKind:
    """A [`ClaimantKind`][cambodefect.ClaimantKind] from a member or its value
    (``UnknownValueError`` otherwise)."""
    return coerce(ClaimantKind, value, "claimant kind")


ENUMS: tuple[type[StrEnum], ...] = (
    Qualifier,
    Unit,
    Precision,
    PartyKind,
    SourceKind,
    Alignment,
    ClaimKind,
    ClaimantKind,
    EventKind,
    Extent,
)
"""Every closed vocabulary of the data model."""


def to_event_kind(value: EventKind | str) -> EventKind:
    """An [`EventKind`][cambodefect.EventKind] from a member or its value (``UnknownValueError``
    otherwise)."""
    return coerce(EventKind, value, "event kind")


def to_extent(value: Extent | str) -> Extent:
    """An `Extent` from a member or its value (``UnknownValueError`` otherwise)."""
    return coerce(Extent, value, "extent")
