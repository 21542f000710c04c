"""Hypothesis strategies for cambodefect's models, for our tests and yours.

Long module: one strategy per model and value type, plus whole valid datasets, kept
together as hypothesis users expect (attrs' ``tests/strategies.py`` does the same).

Like ``hypothesis.extra``, this module needs the ``test`` extra
(``pip install 'cambodefect[test]'``). Every strategy generates *valid* values:
whatever it draws passes the models' validators.

Examples:
    >>> from hypothesis import given, settings
    >>> from cambodefect.testing import counts
    >>> @settings(max_examples=20)
    ... @given(counts())
    ... def test_bounds(c):
    ...     assert c.low is None or c.high is None or c.low <= c.high
    >>> test_bounds()
"""

from __future__ import annotations

from datetime import date

from attrs import evolve as attrs_evolve

try:
    from hypothesis import strategies as st
except ImportError as err:  # pragma: no cover - exercised only without the extra
    from cambodefect.errors import MissingExtraError

    raise MissingExtraError("test", "hypothesis") from err

from cambodefect.dataset import Dataset
from cambodefect.enums import (
    Alignment,
    ClaimantKind,
    ClaimKind,
    EventKind,
    PartyKind,
    Precision,
    Qualifier,
    SourceKind,
    Unit,
)
from cambodefect.models import Claim, Event, Party, Person, Source
from cambodefect.values import Claimant, Count, Evidence, FuzzyDate, Overlap, Place, Role

__all__ = [
    "claimants",
    "claims",
    "counts",
    "datasets",
    "events",
    "evidence",
    "fuzzy_dates",
    "overlaps",
    "parties",
    "persons",
    "places",
    "roles",
    "slugs",
    "sources",
    "texts",
]

_KHMER = [
    "ក",
    "ខ",
    "គ",
    "ឃ",
    "ង",
    "ច",
    "ឆ",
    "ជ",
    "ឈ",
    "ញ",
    "ដ",
    "ឋ",
    "ឌ",
    "ឍ",
    "ណ",
    "ត",
    "ថ",
    "ទ",
    "ធ",
    "ន",
    "ប",
    "ផ",
    "ព",
    "ភ",
    "ម",
    "យ",
    "រ",
    "ល",
    "វ",
    "ស",
    "ហ",
    "ឡ",
    "អ",
    "ា",
    "ិ",
    "ី",
    "ុ",
    "ូ",
    "េ",
    "ែ",
    "ៃ",
    "ោ",
    "ៅ",
    "ំ",
    "ះ",
    "្",
]

_MIN_DATE = date(1, 1, 1)
_MAX_DATE = date(9999, 12, 31)


def slugs() -> st.SearchStrategy[str]:
    """Slug IDs such as ``"candlelight-party"``."""
    word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
    return st.lists(word, min_size=1, max_size=4).map("-".join)


def texts(*, max_size: int = 40) -> st.SearchStrategy[str]:
    """Non-blank, stripped text, including Khmer script, curly quotes and other Unicode."""
    khmer = st.lists(st.sampled_from(_KHMER), min_size=1, max_size=12).map("".join)
    anything = st.text(
        st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
        min_size=1,
        max_size=max_size,
    )
    return (
        st.one_of(khmer, anything, st.sampled_from(["Cambodian People’s Party", "ប"]))
        .map(str.strip)
        .filter(bool)
    )


def evidence(source_ids: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Evidence]:
    """Evidence with any line >= 1, citing a source drawn from ``source_ids``."""
    return st.builds(
        Evidence,
        source_id=source_ids if source_ids is not None else slugs(),
        line=st.integers(min_value=1, max_value=2**31 - 1),
        note=texts(),
    )


@st.composite
def counts(draw: st.DrawFn) -> Count:
    """Counts of every qualifier, with bounds consistent with the qualifier."""
    q = draw(st.sampled_from(Qualifier))
    unit = draw(st.sampled_from(Unit))
    text = draw(st.none() | texts())
    n = st.integers(min_value=0, max_value=2**62)
    if q is Qualifier.EXACT:
        return Count.exact(draw(n), unit=unit, text=text)
    if q is Qualifier.APPROXIMATE:
        value = draw(n)
        low = draw(st.none() | st.integers(min_value=0, max_value=value))
        high = draw(st.none() | st.integers(min_value=value, max_value=2**63 - 1))
        return Count(qualifier=q, unit=unit, value=value, low=low, high=high, text=text)
    if q in (Qualifier.AT_LEAST, Qualifier.MORE_THAN):
        return Count(qualifier=q, unit=unit, low=draw(n), text=text)
    if q is Qualifier.FEWER_THAN:
        return Count(qualifier=q, unit=unit, high=draw(n), text=text)
    if q is Qualifier.RANGE:
        a, b = sorted((draw(n), draw(n)))
        return Count.between(a, b, unit=unit, text=text)
    return Count(qualifier=Qualifier.VAGUE, unit=unit, text=text)


@st.composite
def fuzzy_dates(
    draw: st.DrawFn, min_value: date = _MIN_DATE, max_value: date = _MAX_DATE
) -> FuzzyDate:
    """Dates of every precision between ``min_value`` and ``max_value``."""
    p = draw(st.sampled_from(Precision))
    d = draw(st.dates(min_value=min_value, max_value=max_value))
    text = draw(st.none() | texts())
    inferred = draw(st.booleans())
    if p is Precision.DAY:
        return FuzzyDate.day(d, text=text, inferred=inferred)
    if p is Precision.MONTH:
        return FuzzyDate.month(d.year, d.month, text=text, inferred=inferred)
    if p is Precision.YEAR:
        return FuzzyDate.year(d.year, text=text, inferred=inferred)
    other = draw(st.dates(min_value=min_value, max_value=max_value))
    start, end = sorted((d, other))
    shape = draw(st.sampled_from(["closed", "open-end", "open-start"]))
    return FuzzyDate.between(
        None if shape == "open-start" else start,
        None if shape == "open-end" else end,
        text=text,
        inferred=inferred,
    )


def claimants(ids: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Claimant]:
    """Claimants of every kind (groups carry a label and no ID)."""
    ids = ids if ids is not None else slugs()
    named = st.builds(
        Claimant,
        kind=st.sampled_from([k for k in ClaimantKind if k is not ClaimantKind.GROUP]),
        alignment=st.sampled_from(Alignment),
        id=ids,
        label=st.none() | texts(),
    )
    group = st.builds(
        Claimant,
        kind=st.just(ClaimantKind.GROUP),
        alignment=st.sampled_from(Alignment),
        label=texts(),
    )
    return named | group


def places() -> st.SearchStrategy[Place]:
    """Places as printed, with an ISO 3166-2:KH province code or none."""
    codes = [f"KH-{n}" for n in range(1, 26)]
    return st.builds(Place, text=texts(), province=st.none() | st.sampled_from(codes))


def overlaps(claim_ids: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Overlap]:
    """Possible-overlap links to other claims, each with a note."""
    return st.builds(
        Overlap, claim_id=claim_ids if claim_ids is not None else slugs(), note=texts()
    )


def events(
    ids: st.SearchStrategy[str] | None = None, source_ids: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[Event]:
    """Events of every kind, with optional date and place."""
    return st.builds(
        Event,
        id=ids if ids is not None else slugs(),
        kind=st.sampled_from(EventKind),
        evidence=_evidences(source_ids),
        date=st.none() | fuzzy_dates(),
        place=st.none() | places(),
        note=st.none() | texts(),
    )


def roles(source_ids: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Role]:
    """Roles with optional party, place and period."""
    return st.builds(
        Role,
        title=texts(),
        evidence=evidence(source_ids),
        party_id=st.none() | slugs(),
        place=st.none() | texts(),
        period=st.none() | fuzzy_dates(),
        former=st.booleans(),
    )


def _unique_texts() -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(texts(), max_size=4, unique=True).map(tuple)


def _evidences(
    source_ids: st.SearchStrategy[str] | None,
) -> st.SearchStrategy[tuple[Evidence, ...]]:
    return st.lists(evidence(source_ids), min_size=1, max_size=3).map(tuple)


def parties(
    ids: st.SearchStrategy[str] | None = None, source_ids: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[Party]:
    """Party-table records of every kind."""
    return st.builds(
        Party,
        id=ids if ids is not None else slugs(),
        name=texts(),
        kind=st.sampled_from(PartyKind),
        evidence=_evidences(source_ids),
        short_name=st.none() | texts(max_size=8),
        aliases=_unique_texts(),
        dissolved=st.none() | fuzzy_dates(),
        partyfacts_id=st.none() | st.integers(min_value=1, max_value=10**9),
        wikidata_id=st.none() | st.integers(min_value=1, max_value=10**9).map(lambda n: f"Q{n}"),
        note=st.none() | texts(),
    )


def persons(
    ids: st.SearchStrategy[str] | None = None, source_ids: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[Person]:
    """Persons with aliases and roles."""
    return st.builds(
        Person,
        id=ids if ids is not None else slugs(),
        name=texts(),
        evidence=_evidences(source_ids),
        aliases=_unique_texts(),
        roles=st.lists(roles(source_ids), max_size=3).map(tuple),
        note=st.none() | texts(),
    )


@st.composite
def sources(
    draw: st.DrawFn,
    ids: st.SearchStrategy[str] | None = None,
    source_ids: st.SearchStrategy[str] | None = None,
) -> Source:
    """Sources, held (with a document and checksum) or only cited."""
    held = draw(st.booleans())
    return Source(
        id=draw(ids if ids is not None else slugs()),
        kind=draw(st.sampled_from(SourceKind)),
        alignment=draw(st.sampled_from(Alignment)),
        read_directly=held,
        evidence=draw(_evidences(source_ids)),
        title=draw(st.none() | texts()),
        publisher=draw(st.none() | texts()),
        publisher_id=draw(st.none() | slugs()),
        published=draw(st.none() | fuzzy_dates()),
        document=draw(texts()) if held else None,
        document_sha256=draw(st.binary(min_size=32, max_size=32)).hex() if held else None,
        inferred=draw(
            st.lists(st.sampled_from(["publisher", "published", "title"]), unique=True).map(tuple)
        ),
        note=draw(st.none() | texts()),
    )


@st.composite
def claims(
    draw: st.DrawFn,
    ids: st.SearchStrategy[str] | None = None,
    refs: st.SearchStrategy[str] | None = None,
) -> Claim:
    """Claims with every optional field sometimes set; ``refs`` draws referenced IDs."""
    ident = draw(ids if ids is not None else slugs())
    ref = refs if refs is not None else slugs()
    others = ref.filter(lambda r: r != ident)
    return Claim(
        id=ident,
        kind=draw(st.sampled_from(ClaimKind)),
        claimant=draw(claimants(ref)),
        evidence=draw(_evidences(ref)),
        count=draw(st.none() | counts()),
        from_party_ids=tuple(draw(st.lists(ref, max_size=3, unique=True))),
        to_party_id=draw(st.none() | ref),
        person_ids=tuple(draw(st.lists(ref, max_size=3, unique=True))),
        period=draw(st.none() | fuzzy_dates()),
        reported=draw(st.none() | fuzzy_dates()),
        cited_source_id=draw(st.none() | ref),
        part_of=draw(st.none() | others),
        subset_of=draw(st.none() | others),
        may_overlap=tuple(
            {o.claim_id: o for o in draw(st.lists(overlaps(others), max_size=2))}.values()
        ),
        disputed_by=tuple(draw(st.lists(others, max_size=2, unique=True))),
        event_id=draw(st.none() | ref),
        place=draw(st.none() | places()),
        label=draw(st.none() | texts()),
        note=draw(st.none() | texts()),
    )


def _labelled(base: st.SearchStrategy[str], tag: str) -> st.SearchStrategy[str]:
    """``base`` with a unique ASCII tag appended, so spellings never collide."""
    return base.map(lambda t: f"{t} {tag}")


@st.composite
def datasets(draw: st.DrawFn, max_size: int = 3) -> Dataset:
    """Whole valid datasets: every reference resolves, ``part_of`` and ``subset_of`` are
    acyclic, no subset exceeds its superset, claims of an event share its date, no two
    entities share a spelling, no person alias is one word, and no claim is dated after its sources.

    Examples:
        >>> from hypothesis import given, settings
        >>> import cambodefect as cd
        >>> @settings(max_examples=5, deadline=None)
        ... @given(datasets())
        ... def test_valid(ds):
        ...     assert [v for v in cd.validate(ds) if v.severity == "error"] == []
        >>> test_valid()
    """
    n_src = draw(st.integers(min_value=1, max_value=max_size))
    n_party = draw(st.integers(min_value=1, max_value=max_size))
    n_person = draw(st.integers(min_value=0, max_value=max_size))
    n_claim = draw(st.integers(min_value=0, max_value=max_size))
    n_event = draw(st.integers(min_value=0, max_value=max_size))
    src_ids = [f"s{i}" for i in range(n_src)]
    party_ids = [f"p{i}" for i in range(n_party)]
    person_ids = [f"h{i}" for i in range(n_person)]
    source_ref = st.sampled_from(src_ids)
    party_ref = st.sampled_from(party_ids)
    late = fuzzy_dates(min_value=date(2100, 1, 1), max_value=date(2200, 12, 31))
    early = fuzzy_dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))

    def evid() -> st.SearchStrategy[tuple[Evidence, ...]]:
        return _evidences(source_ref)

    srcs = []
    for ident in src_ids:
        s = draw(sources(ids=st.just(ident), source_ids=source_ref))
        srcs.append(
            attrs_evolve(
                s, published=draw(st.none() | late), publisher_id=draw(st.none() | party_ref)
            )
        )
    ptys = []
    for i, ident in enumerate(party_ids):
        p = draw(parties(ids=st.just(ident), source_ids=source_ref))
        ptys.append(
            attrs_evolve(
                p,
                name=draw(_labelled(texts(), f"p{i}")),
                short_name=None,
                aliases=tuple(
                    draw(_labelled(texts(), f"p{i}a{j}")) for j in range(draw(st.integers(0, 2)))
                ),
                evidence=draw(evid()),
            )
        )
    people = []
    for i, ident in enumerate(person_ids):
        h = draw(persons(ids=st.just(ident), source_ids=source_ref))
        people.append(
            attrs_evolve(
                h,
                name=draw(_labelled(texts(), f"h{i}")),
                aliases=tuple(
                    # two words at least: a one-word person alias is invalid
                    draw(_labelled(texts(), f"h{i} a{j}"))
                    for j in range(draw(st.integers(0, 2)))
                ),
                roles=tuple(attrs_evolve(r, party_id=draw(st.none() | party_ref)) for r in h.roles),
            )
        )
    evts = [
        attrs_evolve(
            draw(events(ids=st.just(f"e{i}"), source_ids=source_ref)),
            date=draw(st.none() | early),
        )
        for i in range(n_event)
    ]
    clms: list[Claim] = []
    for i in range(n_claim):
        ident = f"c{i}"
        c = draw(claims(ids=st.just(ident), refs=party_ref))
        earlier = [x.id for x in clms]
        kind = draw(st.sampled_from(ClaimantKind))
        pool = {
            ClaimantKind.PERSON: person_ids,
            ClaimantKind.ORGANIZATION: party_ids,
            ClaimantKind.SOURCE: src_ids,
        }.get(kind)
        if kind is ClaimantKind.GROUP or not pool:
            who = Claimant(kind=ClaimantKind.GROUP, alignment=c.claimant.alignment, label="x")
        else:
            who = Claimant(
                kind=kind, alignment=c.claimant.alignment, id=draw(st.sampled_from(pool))
            )
        event = draw(st.none() | st.sampled_from(evts)) if evts else None
        superset = draw(st.none() | st.sampled_from(clms)) if clms else None
        count = c.count
        if superset is not None and count is not None and superset.count is not None:
            count = _within(draw, count, superset.count)
        clms.append(
            attrs_evolve(
                c,
                count=count,
                subset_of=None if superset is None else superset.id,
                may_overlap=tuple(
                    Overlap(claim_id=other, note="x")
                    for other in draw(st.lists(st.sampled_from(earlier), unique=True, max_size=2))
                )
                if earlier
                else (),
                event_id=None if event is None else event.id,
                claimant=who,
                evidence=draw(evid()),
                person_ids=tuple(
                    draw(st.lists(st.sampled_from(person_ids), unique=True, max_size=2))
                )
                if person_ids
                else (),
                # a claim of an event is dated as the event (or not at all)
                period=(draw(st.none() | early) if event is None else event.date),
                reported=draw(st.none() | early),
                cited_source_id=draw(st.none() | source_ref),
                part_of=draw(st.none() | st.sampled_from(earlier)) if earlier else None,
                disputed_by=tuple(draw(st.lists(st.sampled_from(earlier), unique=True, max_size=2)))
                if earlier
                else (),
            )
        )
    return Dataset.from_records(
        parties=ptys, persons=people, sources=srcs, events=evts, claims=clms
    )


def _within(draw: st.DrawFn, count: Count, superset: Count) -> Count:
    """``count``, or a smaller exact count, so a subset never exceeds its superset."""
    if count.unit != superset.unit:
        return count
    ceiling = superset.high
    if ceiling is None and superset.qualifier is Qualifier.APPROXIMATE:
        ceiling = superset.value
    floor = count.low if count.low is not None else count.value
    if ceiling is None or floor is None or floor <= ceiling:
        return count
    return Count.exact(draw(st.integers(0, ceiling)), unit=count.unit)
