"""Tests for party resolution and compound labels (cambodefect.normalize)."""

from __future__ import annotations

import contextlib
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cambodefect as cd
from cambodefect.enums import PartyKind
from cambodefect.errors import AmbiguousNameError, UnknownPartyError
from cambodefect.normalize import (
    Failure,
    LabelParse,
    PartyMatch,
    Unresolved,
    clean_text,
    parse_count,
    parse_date,
    parse_label,
    resolve_party,
)

from .test_normalize import khmer_text, noisy

DS = cd.load()
SPELLINGS = sorted(
    {
        (spelling, p.id)
        for p in DS.iter_parties()
        for spelling in (p.id, p.name, *p.aliases, *([p.short_name] if p.short_name else []))
    }
)
AMBIGUOUS = {"Mother Nature"}
UNAMBIGUOUS = [(s, i) for s, i in SPELLINGS if s not in AMBIGUOUS]

# Every party or organization string as printed in the five seeds (the tally's
# Former Party cells are walked separately): (seed, 1-based line, string, ID).
SEED_PARTIES = [
    ("000", 1, "Cambodian Journalists Alliance Association", "camboja"),
    ("000", 3, "CPP", "cambodian-peoples-party"),
    ("000", 3, "Candlelight", "candlelight-party"),
    ("000", 5, "Freshnews", "fresh-news"),
    ("000", 8, "Cambodian People\u2019s Party", "cambodian-peoples-party"),
    ("000", 10, "CNRP", "cambodia-national-rescue-party"),
    ("000", 10, "Fresh News", "fresh-news"),
    ("000", 18, "CamboJA", "camboja"),
    ("000", 20, "Khmer Win Party", "khmer-win-party"),
    ("000", 20, "Candlelight\u2019s", "candlelight-party"),
    ("000", 22, "Candlelight Party", "candlelight-party"),
    ("000", 28, "Phnom Penh Municipal Court", "phnom-penh-municipal-court"),
    ("000", 33, "Office of Council Minister", "office-of-council-minister"),
    ("000", 39, "Human Rights Watch", "human-rights-watch"),
    ("000", 45, "Khmer Thavrak", "khmer-thavrak"),
    ("000", 51, "Supreme Court", "supreme-court"),
    ("000", 51, "Phnom Penh Court", "phnom-penh-municipal-court"),
    ("000", 53, "Political analyst", "political-analyst"),
    ("001", 3, "VOA", "voa"),
    ("001", 5, "Cambodian People's Party", "cambodian-peoples-party"),
    ("001", 13, "Cambodia National Rescue Party", "cambodia-national-rescue-party"),
    ("001", 17, "Ministry of Labor", "ministry-of-labor"),
    ("001", 41, "Environment Ministry", "environment-ministry"),
    (
        "001",
        49,
        "Coalition of Cambodian Farmer Community",
        "coalition-of-cambodian-farmer-community",
    ),
    ("001", 49, "Ministry of Interior", "ministry-of-interior"),
    ("002", 1, "CPP", "cambodian-peoples-party"),
    ("002", 15, "Candlelight\u2019s", "candlelight-party"),
    ("002", 19, "Grassroots Democratic Party", "grassroots-democracy-party"),
    ("002", 19, "League for Democracy Party", "league-for-democracy-party"),
    (
        "002",
        19,
        "Cambodian Indigenous People\u2019s Democracy Party",
        "cambodia-indigenous-peoples-democracy-party",
    ),
    ("002", 19, "Cambodia Nation Love Party", "cambodia-nation-love-party"),
    ("003", 1, "Phnom Penh Post", "phnom-penh-post"),
    ("003", 12, "CPP\u2019s", "cambodian-peoples-party"),
    ("003", 14, "Senate", "senate"),
    ("003", 16, "CNRP\u2019s", "cambodia-national-rescue-party"),
    ("003", 24, "University of Otago", "university-of-otago"),
    ("003", 32, "UN", "united-nations"),
    ("004", 10, "Sam Rainsy Party", "sam-rainsy-party"),
]

TALLY_LINE_RE = re.compile(r"(\d\d/\d\d/\d{4}) (\d+) (.+)")


def _seed(seeds: dict[str, list[str]], short: str) -> list[str]:
    (name,) = [n for n in seeds if n.startswith(short + "_")]
    return seeds[name]


def _outcome(found: PartyMatch | Unresolved) -> object:
    if isinstance(found, Unresolved):
        return (found.failure, found.candidates)
    return found.id


# -- the seeds -------------------------------------------------------------------


@pytest.mark.parametrize(("seed", "line", "printed", "ident"), SEED_PARTIES)
def test_every_party_string_in_the_seeds_resolves(
    seeds: dict[str, list[str]], seed: str, line: int, printed: str, ident: str
) -> None:
    """Each party or organization name, as printed in a seed, resolves to its entry."""
    assert printed in _seed(seeds, seed)[line - 1]
    assert resolve_party(printed).id == ident


def test_the_tally_rows_parse_to_their_curated_claims(seeds: dict[str, list[str]]) -> None:
    """Every tally row (seed 002 lines 28-137): label, count and date parse as curated."""
    lines = _seed(seeds, "002")
    assert len(lines) == 137  # line 137 has no trailing newline: still a line
    for number, line in enumerate(lines[27:137], start=1):
        match = TALLY_LINE_RE.fullmatch(line)
        assert match, line
        reported, count, label = match.groups()
        claim = DS.claim(f"fresh-news-tally-row-{number:03d}")
        parsed = parse_label(label)
        assert parsed.from_party_ids == claim.from_party_ids, label
        assert parsed.person_ids == claim.person_ids, label
        assert parse_count(count) == claim.count
        assert parse_date(reported) == claim.reported


def test_every_curated_label_parses_to_its_claim() -> None:
    """Each seed tally label (2.0.0) parses to the claim's parties (and people, where named)."""
    labelled = [c for c in cd.load("2.0.0").iter_claims() if c.label]
    assert len(labelled) >= 110
    for claim in labelled:
        parsed = parse_label(claim.label or "")
        assert parsed.from_party_ids == claim.from_party_ids, claim.id
        assert set(parsed.person_ids) <= set(claim.person_ids), claim.id


def test_printed_labels_of_news_pages_agree_or_refuse() -> None:
    """3.0.0 labels are phrases as printed ('opposition party', 'partito di opposizione'):
    each parses to its claim's parties or raises a typed error; none parses wrongly."""
    refused = 0
    labelled = [c for c in cd.load("3.0.0").iter_claims() if c.label]
    for claim in labelled:
        try:
            parsed = parse_label(claim.label or "")
        except (UnknownPartyError, AmbiguousNameError):
            refused += 1
            continue
        assert parsed.from_party_ids == claim.from_party_ids, claim.id
        assert set(parsed.person_ids) <= set(claim.person_ids), claim.id
    assert (len(labelled), refused) == (138, 26)  # measured; a change is worth a look


def test_mother_nature_is_ambiguous() -> None:
    """The name two organizations share (seed 001 l.41) raises, listing both."""
    with pytest.raises(AmbiguousNameError) as err:
        resolve_party("Mother Nature")
    assert err.value.candidates == ("mother-nature", "mother-nature-government")
    miss = resolve_party("mother  nature", strict=False)
    assert isinstance(miss, Unresolved)
    assert miss.failure is Failure.AMBIGUOUS
    assert resolve_party("mother-nature-government").id == "mother-nature-government"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Unnamed Parties", PartyKind.PLACEHOLDER),
        ("Political Analyst", PartyKind.NON_PARTY),
        ("Fresh News", PartyKind.MEDIA),
        ("Khmer Thavrak", PartyKind.NGO),
        ("Candlelight Party", PartyKind.PARTY),
    ],
)
def test_labels_resolve_to_their_own_kinds(name: str, kind: PartyKind) -> None:
    """Placeholders and non-party labels resolve to themselves, never to an error or a party."""
    found = resolve_party(name)
    assert found.kind is kind
    assert found.is_party is (kind is PartyKind.PARTY)


# -- compound labels -------------------------------------------------------------


def test_joint_rows_keep_both_parties_in_printed_order() -> None:
    """ "X / Y" gives both entries, in printed order, flagged as a joint group."""
    row = parse_label("Candlelight Party / Unnamed Parties")
    assert row.from_party_ids == ("candlelight-party", "unnamed-parties")
    assert (row.party_ids, row.placeholder_ids, row.is_joint) == (
        ("candlelight-party",),
        ("unnamed-parties",),
        True,
    )


@pytest.mark.parametrize(
    ("label", "party", "person", "including"),
    [
        (
            "Cambodia National Rescue Party (including mass trial defendant Long Phary)",
            "cambodia-national-rescue-party",
            "long-phary",
            "mass trial defendant Long Phary",
        ),
        (
            "Candlelight Party (including Ratanakiri party official Thoeun Bunthorn, who was "
            "arrested for plotting)",
            "candlelight-party",
            "thoeun-bunthorn",
            "Ratanakiri party official Thoeun Bunthorn, who was arrested for plotting",
        ),
        (
            "Candlelight Party (including Pey Pey Ly, prominent youth CNRP activist)",
            "candlelight-party",
            "thy-sokha",
            "Pey Pey Ly, prominent youth CNRP activist",
        ),
        (
            "Khmer Win Party (including party president Suong Sophorn)",
            "khmer-win-party",
            "suong-sophorn",
            "party president Suong Sophorn",
        ),
    ],
)
def test_including_clauses_name_people_not_parties(
    label: str, party: str, person: str, including: str
) -> None:
    """ "(including ...)" gives the people it names; a party named inside it is not added."""
    row = parse_label(label)
    assert (row.from_party_ids, row.person_ids, row.including) == (
        (party,),
        (person,),
        (including,),
    )


def test_a_clause_with_no_known_person_is_kept_as_text() -> None:
    """People the dataset does not list are not guessed: the clause text keeps them."""
    row = parse_label("Funcinpec (including three commune chiefs)")
    assert (row.from_party_ids, row.person_ids) == (("funcinpec",), ())
    assert row.including == ("three commune chiefs",)


def test_a_prose_list_splits_only_if_every_item_resolves() -> None:
    """ "X, Y and Z" (seed 002 l.19) gives all three; a list with an unknown item fails."""
    row = parse_label(
        "League for Democracy Party, Cambodian Indigenous People\u2019s Democracy Party "
        "and Cambodia Nation Love Party"
    )
    assert row.from_party_ids == (
        "league-for-democracy-party",
        "cambodia-indigenous-peoples-democracy-party",
        "cambodia-nation-love-party",
    )
    with pytest.raises(UnknownPartyError):
        parse_label("Candlelight Party and Friends")


def test_a_name_with_its_abbreviation_resolves() -> None:
    """ "Name (SHORT)" resolves when both name the same entry, and only then."""
    assert resolve_party("Cambodia National Rescue Party (CNRP)").id == (
        "cambodia-national-rescue-party"
    )
    with pytest.raises(UnknownPartyError):
        resolve_party("Cambodia National Rescue Party (CPP)")


@pytest.mark.parametrize(
    "label",
    [
        "Cambodia National Rescue Party / Candlelight Party",
        "Candlelight Party (including lawyer Ket Khy)",
        "CNRP and Candlelight",
    ],
)
def test_resolve_party_refuses_compound_labels(label: str) -> None:
    """A compound label is not one party: strict raises, lenient says "compound"."""
    with pytest.raises(UnknownPartyError) as err:
        resolve_party(label)
    assert "parse_label" in " ".join(getattr(err.value, "__notes__", []))
    miss = resolve_party(label, strict=False)
    assert isinstance(miss, Unresolved)
    assert miss.failure is Failure.COMPOUND
    assert miss.candidates == parse_label(label).from_party_ids


@pytest.mark.parametrize(
    "label",
    ["Candlelight Party (", "Candlelight Party / ", "(CNRP)", "X (a) (b)", "A ((b))", "CNRP ) ("],
)
def test_malformed_labels_fail_with_a_reason(label: str) -> None:
    """Unbalanced, nested or empty parts are refused, never half-read."""
    miss = parse_label(label, strict=False)
    assert isinstance(miss, Unresolved)
    assert miss.reason
    with pytest.raises(UnknownPartyError):
        parse_label(label)


# -- unknown input ---------------------------------------------------------------


def test_a_near_miss_is_a_suggestion_not_a_match() -> None:
    """A misspelling raises with the nearest names; lenient mode returns them, unresolved."""
    with pytest.raises(UnknownPartyError) as err:
        resolve_party("Candlelite Party")
    assert err.value.query == "Candlelite Party"
    assert "Candlelight Party" in err.value.suggestions
    miss = resolve_party("Cambodia National Rescue Pary", strict=False)
    assert isinstance(miss, Unresolved)
    assert miss.failure is Failure.UNKNOWN
    assert miss.suggestions[0] == "Cambodia National Rescue Party"


@pytest.mark.parametrize("text", ["", "   ", "\u200b"])
def test_empty_input_is_its_own_failure(text: str) -> None:
    """Blank input fails as "empty" (strict: UnknownPartyError), never as a match."""
    miss = resolve_party(text, strict=False)
    assert isinstance(miss, Unresolved)
    assert miss.failure is Failure.EMPTY
    with pytest.raises(UnknownPartyError):
        resolve_party(text)


# -- properties ------------------------------------------------------------------


@given(st.sampled_from(UNAMBIGUOUS))
def test_any_alias_resolves_to_its_entity(pair: tuple[str, str]) -> None:
    """Resolving any name, short name, alias or ID of an entry gives that entry."""
    spelling, ident = pair
    assert resolve_party(spelling).id == ident
    assert parse_label(spelling).from_party_ids == (ident,)


@given(st.sampled_from(SPELLINGS).flatmap(lambda pair: st.tuples(st.just(pair[0]), noisy(pair[0]))))
def test_surface_noise_never_changes_the_result(pair: tuple[str, str]) -> None:
    """Case, spacing, invisible characters, quote and dash styles, NFC/NFD: same result."""
    clean, noise = pair
    assert _outcome(resolve_party(noise, strict=False)) == _outcome(
        resolve_party(clean, strict=False)
    )


@given(st.sampled_from(SPELLINGS))
def test_resolving_is_idempotent(pair: tuple[str, str]) -> None:
    """Resolving the name or the ID of a resolved entry gives the same entry."""
    found = resolve_party(pair[0], strict=False)
    if isinstance(found, PartyMatch):
        assert resolve_party(found.id) == found
        if found.name not in AMBIGUOUS:
            assert resolve_party(found.name) == found


_VOCAB = [s for s, _ in SPELLINGS] + ["/", "(", ")", "including", ",", " and ", "Party", "the"]
_MESSY = st.one_of(
    st.text(),
    st.lists(st.sampled_from(_VOCAB)).map(" ".join).flatmap(noisy),
    st.lists(st.sampled_from([*_VOCAB, "\x01", "\u180e", "\u200b", "\u00a0"])).map("".join),
)


@given(_MESSY)
def test_cleaning_first_never_changes_the_result(text: str) -> None:
    """Resolving the cleaned text gives what resolving the raw text gives."""
    cleaned = clean_text(text) or ""
    assert _outcome(resolve_party(cleaned, strict=False)) == _outcome(
        resolve_party(text, strict=False)
    )


@given(st.one_of(st.text(), khmer_text(), st.lists(st.sampled_from(_VOCAB)).map(" ".join)))
def test_arbitrary_text_raises_only_documented_errors(text: str) -> None:
    """Any text: a match, or UnknownPartyError / AmbiguousNameError; lenient never raises."""
    try:
        found = resolve_party(text)
        assert isinstance(found, PartyMatch)
    except (UnknownPartyError, AmbiguousNameError) as err:
        assert getattr(err, "query", text) == text
    with contextlib.suppress(UnknownPartyError, AmbiguousNameError):
        assert isinstance(parse_label(text), LabelParse)
    assert resolve_party(text, strict=False) is not None
    assert parse_label(text, strict=False) is not None


def test_a_persons_name_is_not_the_party_named_after_them() -> None:
    """ "Sam Rainsy" is a person: it does not resolve to the Sam Rainsy Party (the word
    "party" was left out, not a spelling of the party); the error suggests the party."""
    with pytest.raises(UnknownPartyError) as err:
        resolve_party("Sam Rainsy")
    assert err.value.suggestions == ("Sam Rainsy Party",)
    assert any("names a person (sam-rainsy)" in note for note in err.value.__notes__)
    assert resolve_party("Sam Rainsy Party").id == "sam-rainsy-party"
    assert resolve_party("the Sam Rainsy party").id == "sam-rainsy-party"
    assert resolve_party("Candlelight").id == "candlelight-party"  # no person is Candlelight
