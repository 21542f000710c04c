"""The four entities: [`Party`][cambodefect.Party], [`Person`][cambodefect.Person],
[`Source`][cambodefect.Source] and [`Claim`][cambodefect.Claim].

Models are pure: frozen, slotted, keyword-only attrs classes with no I/O. Each
record carries at least one [`Evidence`][cambodefect.Evidence].

Examples:
    >>> from cambodefect.models import Party
    >>> from cambodefect.enums import PartyKind
    >>> from cambodefect.values import Evidence
    >>> p = Party(id="khmer-win-party", name="Khmer Win Party", kind=PartyKind.PARTY,
    ...           evidence=(Evidence(source_id="camboja-2023-defections", line=20,
    ...                              note="named as the party Soung Sophorn led"),))
    >>> p.names
    ('Khmer Win Party',)
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs
from attrs import field, frozen

from cambodefect import _checks
from cambodefect._checks import doc, documented
from cambodefect.enums import (
    Alignment,
    ClaimKind,
    EventKind,
    Extent,
    PartyKind,
    SourceKind,
    to_alignment,
    to_claim_kind,
    to_event_kind,
    to_extent,
    to_party_kind,
    to_source_kind,
)
from cambodefect.errors import RuleError, ViolationCode
from cambodefect.values import (
    Claimant,
    Count,
    Evidence,
    FuzzyDate,
    Overlap,
    Place,
    Role,
    Stance,
)

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = ["Claim", "Event", "Party", "Person", "Source"]

_QID_RE = re.compile(r"^Q[1-9][0-9]*$")


def _wikidata(_: Any, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and not _QID_RE.fullmatch(value):
        raise ValueError(f"{attribute.name} must be a Wikidata QID like 'Q123', got {value!r}")


def _sha256(_: Any, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and not _checks.SHA256_RE.fullmatch(value):
        raise ValueError(f"{attribute.name} must be 64 lower-case hex digits, got {value!r}")


def _names(name: str, aliases: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((name, *aliases)))


@documented
@frozen(kw_only=True)
class Party:
    """A party, or another organization or label that stands where a party would.

    The table is called ``parties`` because parties are what users count; it also
    holds the outlets, NGOs and state bodies the seeds mention, and the tally's
    non-party labels, each with its [`PartyKind`][cambodefect.PartyKind]. Only
    ``kind == party`` entries are ever counted as parties.
    """

    id: str = field(validator=_checks.slug, metadata=doc("stable slug."))
    name: str = field(validator=_checks.text, metadata=doc("the name as most often printed."))
    kind: PartyKind = field(
        converter=to_party_kind,
        metadata=doc("party, placeholder, non-party label, media, NGO, ..."),
    )
    evidence: tuple[Evidence, ...] = field(
        validator=_checks.non_empty, metadata=doc("where the seeds mention it.")
    )
    short_name: str | None = field(
        default=None,
        validator=_checks.optional_text,
        metadata=doc('an abbreviation the seeds use ("CNRP").'),
    )
    aliases: tuple[str, ...] = field(
        default=(), validator=_checks.texts, metadata=doc("every other spelling seen in the seeds.")
    )
    dissolved: FuzzyDate | None = field(
        default=None, metadata=doc("when it was dissolved, where a seed states it.")
    )
    partyfacts_id: int | None = field(
        default=None, metadata=doc("the Party Facts ID, from ``shared/reference``.")
    )
    wikidata_id: str | None = field(
        default=None,
        validator=_wikidata,
        metadata=doc("the Wikidata QID, from ``shared/reference``."),
    )
    note: str | None = field(
        default=None, validator=_checks.optional_text, metadata=doc("anything else, in our words.")
    )
    stance: Stance | None = field(
        default=None,
        metadata=doc(
            "for an outlet (or other organization): its alignment as a recorded judgement, "
            "with the reason and the sources that describe it."
        ),
    )

    @property
    def names(self) -> tuple[str, ...]:
        """The name, the short name and every alias, without repeats."""
        extra = (self.short_name,) if self.short_name else ()
        return _names(self.name, (*extra, *self.aliases))

    def __str__(self) -> str:
        """One line: the ID and what it is (see `cambodefect._display.short`)."""
        from cambodefect._display import short

        return short(self)

    def _repr_html_(self) -> str:
        """A notebook's view: every field in an HTML table."""
        from cambodefect._display import html_record

        return html_record(self)


@documented
@frozen(kw_only=True)
class Person:
    """A named person. Two people with similar names stay two people."""

    id: str = field(validator=_checks.slug, metadata=doc("stable slug."))
    name: str = field(validator=_checks.text, metadata=doc("the name as most often printed."))
    evidence: tuple[Evidence, ...] = field(
        validator=_checks.non_empty, metadata=doc("where the seeds mention the person.")
    )
    aliases: tuple[str, ...] = field(
        default=(),
        validator=_checks.texts,
        metadata=doc("spelling variants and pseudonyms seen (a Facebook page name)."),
    )
    roles: tuple[Role, ...] = field(
        default=(), metadata=doc("titles held, as stated, each with its evidence.")
    )
    note: str | None = field(
        default=None, validator=_checks.optional_text, metadata=doc("anything else, in our words.")
    )

    @property
    def names(self) -> tuple[str, ...]:
        """The name and every alias, without repeats."""
        return _names(self.name, self.aliases)

    def __str__(self) -> str:
        """One line: the ID and what it is (see `cambodefect._display.short`)."""
        from cambodefect._display import short

        return short(self)

    def _repr_html_(self) -> str:
        """A notebook's view: every field in an HTML table."""
        from cambodefect._display import html_record

        return html_record(self)


@documented
@frozen(kw_only=True)
class Source:
    """Where a claim was made or read: one of the documents we hold, or one they cite."""

    id: str = field(validator=_checks.slug, metadata=doc("stable slug."))
    kind: SourceKind = field(
        converter=to_source_kind, metadata=doc("news article, compiled tally, video, audio, ...")
    )
    alignment: Alignment = field(
        converter=to_alignment, metadata=doc("the publisher's side, as the seeds describe it.")
    )
    read_directly: bool = field(
        metadata=doc(
            "``True`` for what we read ourselves: a document we hold (``document`` names "
            "the file) or a stored web page (``url``); ``False`` for a source only cited "
            "inside them."
        )
    )
    evidence: tuple[Evidence, ...] = field(
        validator=_checks.non_empty,
        metadata=doc(
            "where the seeds state what we record (for a cited source, where it is cited)."
        ),
    )
    title: str | None = field(
        default=None,
        validator=_checks.optional_text,
        metadata=doc("the title as printed, if known."),
    )
    publisher: str | None = field(
        default=None,
        validator=_checks.optional_text,
        metadata=doc("the publisher's name, if known."),
    )
    publisher_id: str | None = field(
        default=None,
        validator=_checks.optional_slug,
        metadata=doc("the publisher's entry in the parties table, if it has one."),
    )
    published: FuzzyDate | None = field(
        default=None, metadata=doc("when it was published, with its precision.")
    )
    document: str | None = field(
        default=None,
        validator=_checks.optional_text,
        metadata=doc("the seed file name, for a document we hold."),
    )
    document_sha256: str | None = field(
        default=None, validator=_sha256, metadata=doc("the SHA-256 of that file.")
    )
    url: str | None = field(
        default=None,
        validator=_checks.optional_text,
        metadata=doc(
            "the address of the stored web page we read (or of a stored copy of a document "
            "we hold), exactly as the store gives it."
        ),
    )
    inferred: tuple[str, ...] = field(
        default=(),
        validator=_checks.texts,
        metadata=doc(
            "the names of fields whose values follow from the seeds but are not "
            "stated in them (the evidence notes say how)."
        ),
    )
    note: str | None = field(
        default=None, validator=_checks.optional_text, metadata=doc("anything else, in our words.")
    )
    mirrors: tuple[str, ...] = field(
        default=(),
        validator=_checks.texts,
        metadata=doc("other addresses carrying the same article (reposts, AMP pages)."),
    )
    accessed: date | None = field(default=None, metadata=doc("the day we read the stored page."))
    extent: Extent | None = field(
        default=None,
        converter=attrs.converters.optional(to_extent),
        metadata=doc(
            "how much of a stored page was read: ``whole``, or only its ``opening`` (the "
            "stored copy stops early; nothing is inferred about the rest)."
        ),
    )
    paragraphs: int | None = field(
        default=None,
        validator=attrs.validators.optional(_checks.positive),
        metadata=doc("how many article-body paragraphs the stored page has."),
    )

    def __attrs_post_init__(self) -> None:
        held = self.document is not None and self.document_sha256 is not None
        if (self.document is None) != (self.document_sha256 is None):
            raise ValueError(f"source {self.id!r}: document and document_sha256 go together")
        if self.read_directly and not (held or self.url):
            raise ValueError(
                f"source {self.id!r}: read_directly=True needs a held document (with its "
                "SHA-256) or the url of the stored page we read"
            )
        if not self.read_directly and held:
            raise ValueError(f"source {self.id!r}: a held document is read directly")
        unknown = [n for n in self.inferred if n not in _SOURCE_FIELDS]
        if unknown:
            raise ValueError(f"source {self.id!r}: inferred names unknown fields {unknown}")

    def __str__(self) -> str:
        """One line: the ID and what it is (see `cambodefect._display.short`)."""
        from cambodefect._display import short

        return short(self)

    def _repr_html_(self) -> str:
        """A notebook's view: every field in an HTML table."""
        from cambodefect._display import html_record

        return html_record(self)


@documented
@frozen(kw_only=True)
class Claim:
    """Something a claimant asserted, as we read it in a source, on a line."""

    id: str = field(validator=_checks.slug, metadata=doc("stable slug."))
    kind: ClaimKind = field(
        converter=to_claim_kind, metadata=doc("defection, total, share, refusal, ...")
    )
    claimant: Claimant = field(metadata=doc("who made the claim."))
    evidence: tuple[Evidence, ...] = field(
        validator=_checks.non_empty, metadata=doc("where we read it (one or more source lines).")
    )
    count: Count | None = field(
        default=None, metadata=doc("the number claimed, if any, with its qualifier and unit.")
    )
    from_party_ids: tuple[str, ...] = field(
        default=(),
        validator=_checks.slugs,
        metadata=doc(
            "the former party or parties as stated (joint rows keep all; may be a "
            "placeholder or non-party label)."
        ),
    )
    to_party_id: str | None = field(
        default=None,
        validator=_checks.optional_slug,
        metadata=doc("the party joined, for a defection."),
    )
    person_ids: tuple[str, ...] = field(
        default=(), validator=_checks.slugs, metadata=doc("the named people the claim covers.")
    )
    period: FuzzyDate | None = field(
        default=None, metadata=doc("the date or period the claim is about.")
    )
    reported: FuzzyDate | None = field(
        default=None,
        metadata=doc("the date the claim was reported, where it differs or is stated."),
    )
    cited_source_id: str | None = field(
        default=None,
        validator=_checks.optional_slug,
        metadata=doc("the cited source the claimant made it in, if named."),
    )
    part_of: str | None = field(
        default=None,
        validator=_checks.optional_slug,
        metadata=doc("the claim this one itemizes (a tally row's stated total)."),
    )
    subset_of: str | None = field(
        default=None,
        validator=_checks.optional_slug,
        metadata=doc(
            'the claim this one is a subset of ("around 60, including one lawmaker"): never '
            "a breakdown, never summed with it."
        ),
    )
    may_overlap: tuple[Overlap, ...] = field(
        default=(),
        metadata=doc("other claims that might count some of the same people, each with why."),
    )
    disputed_by: tuple[str, ...] = field(
        default=(), validator=_checks.slugs, metadata=doc("claims that contest this one.")
    )
    event_id: str | None = field(
        default=None,
        validator=_checks.optional_slug,
        metadata=doc("the event (ceremony, announcement, ...) the claim reports, if known."),
    )
    place: Place | None = field(
        default=None, metadata=doc("where the claim says it happened, as printed.")
    )
    label: str | None = field(
        default=None,
        validator=_checks.optional_text,
        metadata=doc('a raw label as printed (the tally\'s "Former Party" cell).'),
    )
    note: str | None = field(
        default=None, validator=_checks.optional_text, metadata=doc("anything else, in our words.")
    )

    def __attrs_post_init__(self) -> None:
        if self.part_of == self.id:
            raise ValueError(f"claim {self.id!r} is part_of itself")
        if self.subset_of == self.id:
            raise ValueError(f"claim {self.id!r} is subset_of itself")
        if self.id in self.disputed_by:
            raise ValueError(f"claim {self.id!r} is disputed_by itself")
        others = [o.claim_id for o in self.may_overlap]
        if self.id in others:
            raise RuleError(
                ViolationCode.MAY_OVERLAP_SELF,
                f"claim {self.id!r} has a may_overlap link to itself",
            )
        if len(set(others)) != len(others):
            raise ValueError(f"claim {self.id!r} repeats a may_overlap link: {others}")

    @property
    def date(self) -> FuzzyDate | None:
        """The date the claim is about, else the date it was reported."""
        return self.period if self.period is not None else self.reported

    def explain(self, ds: Dataset | None = None) -> str:
        """The claim in one sentence: who claimed what, when, and where we read it.

        With ``ds``, the claimant is named and the source's address is given.

        Examples:
            >>> import cambodefect as cd
            >>> ds = cd.load("3.0.0")
            >>> text = ds.claim("ppp-2017-cpp-tally-774").explain(ds)
            >>> text.split(" from ")[0]
            'Ork Kimhan (ruling-party) claimed a total of 774 officials'
            >>> text.split("; ")[1].split(" (")[0]
            'read in ppp-hun-sen-cut-off-foot, line 28'
        """
        from cambodefect._display import explain

        return explain(self, ds)

    def __str__(self) -> str:
        """One line: the ID and what it is (see `cambodefect._display.short`)."""
        from cambodefect._display import short

        return short(self)

    def _repr_html_(self) -> str:
        """A notebook's view: every field in an HTML table."""
        from cambodefect._display import html_record

        return html_record(self)


@documented
@frozen(kw_only=True)
class Event:
    """One happening that claims report: a ceremony, a letter, an announcement, an arrest.

    Several claims, by one or several claimants, in one or several sources, can report
    one event (``Claim.event_id``). Two reports are one event only where the sources make
    it plain (same place and date, or one cites the other); otherwise they are two events,
    and their claims may carry a possible-overlap link.

    Examples:
        >>> from cambodefect.values import Evidence
        >>> Event(id="ev-2023-06-21-fresh-news-45", kind="announcement",
        ...       evidence=(Evidence(source_id="voa-pro-government-media-claims", line=9,
        ...                          note="story of 45 activists joining in one day"),)).kind
        <EventKind.ANNOUNCEMENT: 'announcement'>
    """

    id: str = field(validator=_checks.slug, metadata=doc("stable slug."))
    kind: EventKind = field(
        converter=to_event_kind, metadata=doc("ceremony, announcement, letter, arrest, ...")
    )
    evidence: tuple[Evidence, ...] = field(
        validator=_checks.non_empty, metadata=doc("where the sources report it.")
    )
    date: FuzzyDate | None = field(
        default=None, metadata=doc("when it happened, with its precision, if printed.")
    )
    place: Place | None = field(default=None, metadata=doc("where it happened, as printed."))
    note: str | None = field(
        default=None, validator=_checks.optional_text, metadata=doc("anything else, in our words.")
    )

    def __str__(self) -> str:
        """One line: the ID and what it is (see `cambodefect._display.short`)."""
        from cambodefect._display import short

        return short(self)

    def _repr_html_(self) -> str:
        """A notebook's view: every field in an HTML table."""
        from cambodefect._display import html_record

        return html_record(self)


_SOURCE_FIELDS = frozenset(f.name for f in attrs.fields(Source))
