"""Tests for the vectorized path: Arrow columns in, Arrow columns of IDs out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cambodefect as cd
from cambodefect._names.labels import label_lookup
from cambodefect.normalize import (
    Unresolved,
    explain_party_array,
    parse_label,
    parse_label_array,
    resolve_party,
    resolve_party_array,
    resolve_person,
    resolve_person_array,
)
from cambodefect.normalize._arrays import prekey
from cambodefect.normalize._common import person_resolver
from cambodefect.normalize._parties import PartyResolver, party_resolver

from .test_normalize import noisy

DS = cd.load()
PARTY_NAMES = sorted(
    {s for p in DS.iter_parties() for s in (p.name, p.short_name or p.name, *p.aliases)}
)
LABELS = sorted({c.label for c in DS.iter_claims() if c.label})
PERSON_NAMES = sorted({s for p in DS.iter_persons() for s in (p.name, *p.aliases)})


def _column(names: list[str]) -> st.SearchStrategy[list[str | None]]:
    value = st.one_of(st.sampled_from(names).flatmap(noisy), st.sampled_from(names), st.text())
    return st.lists(st.one_of(st.none(), value), max_size=40)


def _id(found: Any) -> str | None:
    return None if isinstance(found, Unresolved) else found.id


def _label_ids(text: str) -> tuple[list[str], list[str]] | None:
    found = parse_label(text, strict=False)
    if isinstance(found, Unresolved):
        return None
    return list(found.from_party_ids), list(found.person_ids)


@given(_column(PARTY_NAMES + LABELS))
def test_party_array_equals_the_scalar_function(values: list[str | None]) -> None:
    """Row for row, the vectorized IDs are what resolve_party gives (null where it fails)."""
    ids = resolve_party_array(pa.array(values, pa.string())).to_pylist()
    assert ids == [None if v is None else _id(resolve_party(v, strict=False)) for v in values]


def _assert_label_rows_are_the_scalar_parse(values: list[str | None]) -> None:
    rows = parse_label_array(pa.array(values, pa.string())).to_pylist()
    for value, row in zip(values, rows, strict=True):
        if value is None:
            assert row is None
            continue
        expected = _label_ids(value)
        got = None if row["failure"] else (row["from_party_ids"], row["person_ids"])
        assert got == expected
        found = label_lookup(value, party_resolver(None), person_resolver(None), suggest=False)
        if isinstance(found, Unresolved):
            assert (row["failure"], row["reason"]) == (found.failure.value, found.reason)


@given(_column(LABELS + PARTY_NAMES))
def test_label_array_equals_the_scalar_function(values: list[str | None]) -> None:
    """Row for row, the vectorized label parse is what parse_label gives: the IDs, and
    for a failure its kind and its reason, which quotes the label as written (labels
    are parsed once per prekey; failures again from each spelling)."""
    _assert_label_rows_are_the_scalar_parse(values)


@given(st.lists(st.sampled_from(LABELS + PARTY_NAMES).flatmap(noisy), min_size=1, max_size=8))
def test_label_spellings_sharing_a_prekey_keep_their_own_failure_reasons(
    values: list[str],
) -> None:
    """Noisy spellings of one label share a prekey, yet each failure's reason quotes its
    own spelling."""
    _assert_label_rows_are_the_scalar_parse([*values, *(v.upper() for v in values)])


@given(_column(PERSON_NAMES), st.booleans())
def test_person_array_equals_the_scalar_function(values: list[str | None], partial: bool) -> None:
    """Row for row, the vectorized IDs are what resolve_person gives."""
    ids = resolve_person_array(pa.array(values, pa.string()), partial=partial).to_pylist()
    expected = [
        None if v is None else _id(resolve_person(v, strict=False, partial=partial)) for v in values
    ]
    assert ids == expected


def test_explain_gives_kind_or_failure_reason_and_suggestions() -> None:
    """explain_party_array says what each value is, or why it is not."""
    rows = explain_party_array(
        pa.array(["Political Analyst", "Candlelite", "Mother Nature", None])
    ).to_pylist()
    assert rows[0] == {
        "id": "political-analyst",
        "kind": "non_party",
        "failure": None,
        "reason": None,
        "suggestions": [],
    }
    assert (rows[1]["failure"], rows[1]["suggestions"][0]) == ("unknown", "Candlelight")
    assert rows[2]["failure"] == "ambiguous"
    assert rows[3] is None


@pytest.mark.parametrize(
    "make",
    [
        lambda v: pa.array(v, pa.string()),
        lambda v: pa.array(v, pa.large_string()),
        lambda v: pa.array(v, pa.string_view()),
        lambda v: pa.array(v, pa.string()).dictionary_encode(),
        lambda v: pa.chunked_array([v[:2], v[2:], []], pa.string()),
        lambda v: pa.chunked_array(
            [pa.array(v[:3]).dictionary_encode(), pa.array(v[3:]).dictionary_encode()]
        ),
    ],
    ids=["string", "large_string", "string_view", "dictionary", "chunked", "chunked-dictionary"],
)
def test_every_string_layout_gives_the_same_ids(make: Callable[[list[str | None]], Any]) -> None:
    """Plain, large, view, dictionary and chunked columns all resolve alike."""
    values = ["CNRP", None, "Candlelight", "cnrp", "Nowhere"]
    out = resolve_party_array(make(values))
    assert out.type == pa.string()
    assert out.to_pylist() == [
        "cambodia-national-rescue-party",
        None,
        "candlelight-party",
        "cambodia-national-rescue-party",
        None,
    ]
    assert isinstance(out, pa.ChunkedArray) == isinstance(make(values), pa.ChunkedArray)


def test_empty_and_all_null_columns() -> None:
    """Empty and all-null columns give columns of the same length, all null."""
    assert resolve_party_array(pa.array([], pa.string())).to_pylist() == []
    assert resolve_party_array(pa.array([None, None])).to_pylist() == [None, None]
    assert resolve_party_array(pa.chunked_array([], pa.string())).to_pylist() == []


@pytest.mark.parametrize("bad", [pa.array([1, 2]), ["CNRP"], pa.array([b"CNRP"])])
def test_non_string_columns_are_refused(bad: Any) -> None:
    """Only Arrow string (or dictionary-of-string) columns are accepted."""
    with pytest.raises(TypeError):
        resolve_party_array(bad)


def test_each_distinct_value_is_resolved_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A million rows of three distinct labels cost two resolutions, not a million: "CNRP"
    and "cnrp" differ only in ASCII case, which the resolver folds, so one lookup serves
    both (prekey)."""
    resolver = PartyResolver.from_dataset(DS)
    calls: list[str] = []
    lookup = resolver.lookup

    def counting(text: str, **kwargs: Any) -> Any:
        calls.append(text)
        return lookup(text, **kwargs)

    monkeypatch.setattr(resolver, "lookup", counting)
    monkeypatch.setattr("cambodefect.normalize._arrays.party_resolver", lambda ds: resolver)
    column = pa.chunked_array([pa.array(["CNRP", "Funcinpec", None, "cnrp"] * 125_000)] * 2)
    ids = resolve_party_array(column)
    assert len(ids) == 1_000_000
    assert sorted(calls) == ["cnrp", "funcinpec"]
    assert ids.null_count == 250_000


def test_a_dataset_can_be_passed_explicitly() -> None:
    """The ds argument selects the dataset; its resolver is built once and reused."""
    ds = cd.load()
    assert resolve_party_array(pa.array(["CPP"]), ds).to_pylist() == ["cambodian-peoples-party"]
    assert party_resolver(ds) is party_resolver(ds)


# The characters prekey() touches, and the ones it must be careful around.
_TRICKY = st.sampled_from(
    [
        " ",
        "  ",
        "\u00a0",
        "\t",
        "\u200b",
        "\u200b\u0301",
        "\u0301",
        "\u2019",
        "\u2018",
        "'",
        "A",
        "a",
        "I",
        "\u0130",
        "\u00df",
        "-",
        "\u2013",
        "\u200c",
        "\u00c5",
        "\u030a",
    ]
)


def _noisy_names(names: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(names).flatmap(noisy),
        st.lists(st.one_of(_TRICKY, st.sampled_from(names)), max_size=6).map("".join),
        st.text(max_size=12),
    )


@given(_noisy_names(PARTY_NAMES))
def test_prekey_never_changes_what_a_party_resolves_to(text: str) -> None:
    """The distinct-value shortcut is sound: a value and its prekey resolve alike, so
    values sharing a prekey are never merged unless the resolver merges them too."""
    key = prekey(pa.array([text]))[0].as_py()
    resolver = party_resolver(None)
    assert _outcome(resolver.lookup(text, suggest=False)) == _outcome(
        resolver.lookup(key, suggest=False)
    )


@given(_noisy_names(PERSON_NAMES), st.booleans())
def test_prekey_never_changes_what_a_person_resolves_to(text: str, partial: bool) -> None:
    """The same for people, with and without partial matching."""
    key = prekey(pa.array([text]))[0].as_py()
    resolver = person_resolver(None)
    assert _outcome(resolver.lookup(text, partial=partial, suggest=False)) == _outcome(
        resolver.lookup(key, partial=partial, suggest=False)
    )


def _prekey_by_expressions(values: pa.Array) -> pa.Array:
    """prekey() as first written, one regular expression per step: the reference."""
    out = pc.ascii_lower(values)
    out = pc.replace_substring_regex(out, "[\u2018\u2019]", "'")
    out = pc.replace_substring_regex(out, r"\x{200B}+(\PM|$)", r"\1")
    out = pc.replace_substring_regex(out, "[ \t\n\r\f\v\u00a0]+", " ")
    return pc.utf8_trim(out, " ")


@given(st.lists(st.one_of(st.none(), st.lists(_TRICKY, max_size=8).map("".join), st.text())))
def test_prekey_is_its_regular_expressions(texts: list[str | None]) -> None:
    """The literal replacements and the split on whitespace give exactly what the
    regular expressions gave, zero-width spaces before combining marks included."""
    column = pa.array(texts, pa.string())
    assert prekey(column).to_pylist() == _prekey_by_expressions(column).to_pylist()


@given(_noisy_names(LABELS + PARTY_NAMES))
def test_prekey_never_changes_what_a_label_parses_to(text: str) -> None:
    """The distinct-value shortcut is sound for labels too: a label and its prekey give
    the same IDs, or fail the same way."""
    key = prekey(pa.array([text]))[0].as_py()
    parties, persons = party_resolver(None), person_resolver(None)
    assert _parse_outcome(label_lookup(text, parties, persons, suggest=False)) == _parse_outcome(
        label_lookup(key, parties, persons, suggest=False)
    )


def _parse_outcome(found: Any) -> object:
    if isinstance(found, Unresolved):
        return (found.failure, found.candidates)
    return (found.from_party_ids, found.person_ids)


def _outcome(found: Any) -> object:
    return (found.failure, found.candidates) if isinstance(found, Unresolved) else found.id


def test_prekey_folds_the_noise_of_a_real_column() -> None:
    """Case, spaces, curly quotes and zero-width spaces collapse; other letters do not."""
    column = pa.array(["CNRP", "cnrp", " cnrp\u00a0", "cn\u200brp", "Hun Sen\u2019s", "Hun Sen's"])
    assert prekey(column).to_pylist() == ["cnrp"] * 4 + ["hun sen's"] * 2
    assert prekey(pa.array(["\u00c5", "\u00e5"])).to_pylist() == ["\u00c5", "\u00e5"]
