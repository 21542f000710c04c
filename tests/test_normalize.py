"""Tests for cambodefect.normalize: surface, text cleaning and match keys, the docs page.

The other tests of the subpackage sit beside this file, one per concept:
``test_normalize_parties.py``, ``_persons``, ``_counts``, ``_dates``, ``_arrays``.
The noise strategies they share are defined here. The modules' docstring examples
run in ``test_doctests.py`` with every other module's.
"""

from __future__ import annotations

import doctest
import inspect
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cambodefect as cd
from cambodefect import normalize as norm
from cambodefect._names.parties import PartyResolver
from cambodefect._names.persons import PersonResolver
from cambodefect._text import words
from cambodefect.normalize import Failure, Unresolved, clean_text, party_key, person_key

REPO = Path(__file__).resolve().parents[1]

# -- shared strategies ---------------------------------------------------------

_SPACES = [" ", "  ", "\u00a0", "\t", " \u200b", "\u2009", "\u202f", "\n"]
_QUOTES = {"\u2019": "'", "'": "\u2019", "\u2018": "'", "\u201c": '"', "\u201d": '"', '"': "\u201d"}
KHMER = "\u1780\u1781\u1782\u1783\u1784\u1785\u17b6\u17b7\u17b8\u17c1\u17c6\u17d2\u17e0\u17e9"
KHMER_WORDS = ["កម្ពុជា", "គណបក្សប្រជាជនកម្ពុជា", "ហ៊ុន សែន", "៦៤៧៣"]


@st.composite
def noisy(draw: st.DrawFn, text: str) -> str:
    """``text`` with surface noise: case, spacing, invisible characters, quotes, NFC/NFD."""
    upper = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    out = []
    for char, up in zip(text, upper, strict=True):
        if char == " ":
            out.append(draw(st.sampled_from(_SPACES)))
        elif char in _QUOTES and draw(st.booleans()):
            out.append(_QUOTES[char])
        elif char == "-" and draw(st.booleans()):
            out.append(draw(st.sampled_from(["\u2010", "\u2013", "\u2014"])))
        else:
            out.append(char.upper() if up else char.lower())
        if draw(st.integers(0, 9)) == 0:
            out.append(draw(st.sampled_from(["\u200b", "\ufeff", "\u2060", "\u00ad"])))
    noise = draw(st.sampled_from(["", " ", "\u00a0", "\t\n"]))
    result = noise + "".join(out) + draw(st.sampled_from(["", " ", "\u3000"]))
    return unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD", "NFKC"])), result)


def khmer_text() -> st.SearchStrategy[str]:
    """Khmer-script strings (letters, signs, digits), single-spaced, in NFC."""
    word = st.text(alphabet=KHMER, min_size=1, max_size=8)
    return st.lists(word, min_size=1, max_size=4).map(
        lambda ws: unicodedata.normalize("NFC", " ".join(ws))
    )


# -- surface -------------------------------------------------------------------


def test_all_is_sorted_and_complete() -> None:
    """normalize.__all__ is sorted (constants first, as ruff's RUF022) and every name exists."""
    assert list(norm.__all__) == sorted(norm.__all__, key=lambda name: (not name.isupper(), name))
    for name in norm.__all__:
        assert hasattr(norm, name), name


def test_every_public_function_has_a_runnable_example() -> None:
    """Every public function and class of normalize documents itself with an example."""
    for name in norm.__all__:
        obj = getattr(norm, name)
        if inspect.isfunction(obj) or (inspect.isclass(obj) and name != "Failure"):
            assert obj.__doc__ and ">>>" in obj.__doc__, name


def test_docs_page_examples_run() -> None:
    """Every ``pycon`` example in docs/normalize.md runs and prints what it shows."""
    text = (REPO / "docs" / "normalize.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```pycon\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) >= 8
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    globs: dict[str, object] = {}
    for i, block in enumerate(blocks):
        test = parser.get_doctest(block, globs, f"normalize.md[{i}]", "docs/normalize.md", 0)
        runner.run(test, clear_globs=False)
        globs.update(test.globs)  # a DocTest copies its globals: carry names forward
    assert runner.tries >= 40
    assert runner.failures == 0


def test_unresolved_is_falsy_and_explains() -> None:
    """A lenient miss is falsy and carries its failure code and reason."""
    miss = Unresolved(text="x", failure=Failure.UNKNOWN, reason="no party has this name")
    assert not miss
    assert (miss.failure.value, miss.suggestions, miss.candidates) == ("unknown", (), ())


# -- clean_text ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("  Candlelight\u00a0Party ", "Candlelight Party"),
        ("Cambodia\u200b National\u2060 Rescue\ufeff Party", "Cambodia National Rescue Party"),
        ("Cambodian People\u2019s\tParty", "Cambodian People\u2019s Party"),
        ("Khmer\u202fWin\u2009Party", "Khmer Win Party"),
        ("Caf\u0065\u0301", "Caf\u00e9"),
        ("", None),
        ("\u200b \u00a0\n", None),
        (None, None),
    ],
)
def test_clean_text_tidies_spaces_and_invisible_characters(
    raw: str | None, cleaned: str | None
) -> None:
    """clean_text: NFC, zero-width characters dropped, every space one plain space."""
    assert clean_text(raw) == cleaned


@given(st.text())
def test_clean_text_is_idempotent(text: str) -> None:
    """Cleaning cleaned text changes nothing."""
    once = clean_text(text)
    assert clean_text(once) == once


@given(st.text())
def test_keys_are_idempotent(text: str) -> None:
    """Keying a key changes nothing: party_key and person_key are projections."""
    assert party_key(party_key(text)) == party_key(text)
    assert person_key(person_key(text)) == person_key(text)


@given(st.text())
def test_canonically_equivalent_text_cleans_and_keys_alike(text: str) -> None:
    """NFC and NFD spellings of the same text clean and key identically."""
    nfc, nfd = unicodedata.normalize("NFC", text), unicodedata.normalize("NFD", text)
    assert clean_text(nfc) == clean_text(nfd)
    assert party_key(nfc) == party_key(nfd)
    assert person_key(nfc) == person_key(nfd)


@given(khmer_text())
def test_khmer_passes_through_unchanged(text: str) -> None:
    """Khmer script is never mangled: clean text and keys keep it as it is."""
    assert clean_text(text) == text
    assert party_key(text) == text
    assert person_key(text) == text


@pytest.mark.parametrize("text", KHMER_WORDS)
def test_real_khmer_words_pass_through(text: str) -> None:
    """Real Khmer words (including coeng subscripts and Khmer digits) survive cleaning."""
    assert clean_text(text) == text
    assert words(text) == text.split()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Cambodian People's Party", "the CAMBODIA peoples party"),
        ("Grassroots Democratic Party", "Grassroots Democracy"),
        (
            "Cambodia Indigenous People\u2019s Democracy Party",
            "Cambodian Indigenous Peoples Democratic",
        ),
        ("C.N.R.P.", "cnrp"),
        ("Candlelight\u2019s", "Candlelight"),
        ("Khmer-Win Party", "Khmer Win"),
    ],
)
def test_party_key_folds_surface_noise(a: str, b: str) -> None:
    """Cambodia/Cambodian, Democracy/Democratic, possessives, dots, "the" and "Party" fold."""
    assert party_key(a) == party_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Cambodia National Rescue Party", "Cambodia Nation Love Party"),
        ("Khmer National United Party", "Cambodia National Rescue Party"),
        ("Unnamed Parties", "Unnamed Party"),
        ("Party", "the"),
    ],
)
def test_party_key_keeps_different_names_apart(a: str, b: str) -> None:
    """The folding never merges different words."""
    assert party_key(a) != party_key(b)


def test_person_key_drops_honorifics_but_not_spelling() -> None:
    """Titles go; transliteration variants stay different (only curated aliases match)."""
    assert person_key("Samdech [Hun Sen]") == person_key("Prime Minister Hun Sen") == "hun sen"
    assert person_key("King Norodom Sihamoni") == "norodom sihamoni"
    assert person_key("Hun Sen\u2019s") == "hun sen"
    assert person_key("Suong Sophorn") != person_key("Soung Sophorn")
    assert person_key("Samdech") == "samdech"


def test_folded_keys_of_different_parties_never_coincide() -> None:
    """No key resolves to two parties, except the one name two organizations share."""
    index = PartyResolver.from_dataset(cd.load()).index
    shared = {key: ids for key, ids in index.items() if len(ids) > 1}
    assert shared == {"mother nature": ("mother-nature", "mother-nature-government")}


def test_folded_keys_of_different_people_never_coincide() -> None:
    """No full-name key resolves to two people, except the one name two people share
    (3.0.0: a 2023 Kandal defector and a 2011 Takeo lawmaker, both printed Tok Vanchan)."""
    index = PersonResolver.from_dataset(cd.load("2.0.0")).index
    assert {key: ids for key, ids in index.items() if len(ids) > 1} == {}
    index = PersonResolver.from_dataset(cd.load("3.0.0")).index
    shared = {key: ids for key, ids in index.items() if len(ids) > 1}
    assert shared == {"tok vanchan": ("tok-vanchan", "tok-vanchan-takeo")}
