"""Tests for the input limits of cambodefect.normalize: long input refused at once.

Every resolver and parser refuses a string longer than ``MAX_NAME_LENGTH`` (running
text: ``MAX_TEXT_LENGTH``) before doing any work, and below the limits runs in time
linear in its input. No test here times anything: the limits are tested by the error
they raise, linearity by inputs that would take minutes if the code were quadratic
(bench/bench_normalize.py measures the times).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cambodefect as cd
from cambodefect import normalize as norm
from cambodefect.errors import CountParseError, InputTooLongError
from cambodefect.normalize import (
    MAX_NAME_LENGTH,
    MAX_RANK_LENGTH,
    MAX_TEXT_LENGTH,
    Failure,
    Unresolved,
)

STRICT: dict[str, Callable[[str], object]] = {
    "resolve_party": norm.resolve_party,
    "resolve_person": norm.resolve_person,
    "parse_label": norm.parse_label,
    "parse_count": norm.parse_count,
    "parse_date": norm.parse_date,
}
LENIENT: dict[str, Callable[[str], object]] = {
    "resolve_party": lambda t: norm.resolve_party(t, strict=False),
    "resolve_person": lambda t: norm.resolve_person(t, strict=False),
    "parse_label": lambda t: norm.parse_label(t, strict=False),
    "parse_count": lambda t: norm.parse_count(t, strict=False),
    "parse_date": lambda t: norm.parse_date(t, strict=False),
}


@st.composite
def too_long(draw: st.DrawFn, limit: int = MAX_NAME_LENGTH) -> str:
    """Any text (a short random piece, repeated) just over ``limit`` or far over it."""
    piece = draw(st.text(min_size=1, max_size=12))
    size = limit + draw(st.one_of(st.integers(1, 3), st.integers(1, 5 * limit)))
    return (piece * (size // len(piece) + 1))[:size]


@given(text=too_long())
def test_any_string_over_the_limit_is_refused_by_every_parser(text: str) -> None:
    """Any string over MAX_NAME_LENGTH: InputTooLongError naming length and limit, strictly;
    a too_long miss leniently; None from the clean_* functions."""
    for name, parse in STRICT.items():
        with pytest.raises(InputTooLongError) as caught:
            parse(text)
        assert (caught.value.length, caught.value.limit) == (len(text), MAX_NAME_LENGTH), name
        assert len(str(caught.value)) < 600, name  # only its first 40 characters, escaped
    for name, lenient in LENIENT.items():
        miss = lenient(text)
        assert isinstance(miss, Unresolved), name
        assert miss.failure is Failure.TOO_LONG, name
    assert norm.clean_count(text) is None
    assert norm.clean_date(text) is None


def test_the_limit_itself_is_accepted() -> None:
    """A string of exactly MAX_NAME_LENGTH characters is parsed, not refused."""
    text = "x" * MAX_NAME_LENGTH
    for lenient in LENIENT.values():
        miss = lenient(text)
        assert isinstance(miss, Unresolved)
        assert miss.failure is not Failure.TOO_LONG


def test_input_too_long_is_a_value_error_and_public() -> None:
    """InputTooLongError is exported, a CambodefectError and a ValueError."""
    assert issubclass(cd.InputTooLongError, cd.CambodefectError)
    assert issubclass(cd.InputTooLongError, ValueError)


# -- the reproductions: each took seconds to minutes before the limits -----------------


def test_a_huge_digit_run_is_refused_at_once() -> None:
    """320,000 nines (6.9 s, quadratic in int(Decimal)) and 10 MB are refused."""
    assert norm.clean_count("9" * 320_000) is None
    with pytest.raises(InputTooLongError):
        norm.parse_count("9" * 320_000)
    with pytest.raises(InputTooLongError):
        norm.parse_count("9" * 10_000_000)


def test_digit_runs_are_bounded_before_conversion() -> None:
    """A digit run below the limit but beyond any count fails before it is converted."""
    with pytest.raises(CountParseError, match="beyond any count"):
        norm.parse_count("9" * MAX_NAME_LENGTH)
    assert norm.parse_count("9" * 18).value == 10**18 - 1


def test_a_wall_of_titles_is_refused_and_below_the_limit_linear() -> None:
    """'mr ' x 100,000 + 'hun sen' (28.7 s, quadratic stripping) is refused; the most
    titles that fit under the limit are all stripped."""
    with pytest.raises(InputTooLongError):
        norm.resolve_person("mr " * 100_000 + "hun sen")
    titles = (MAX_NAME_LENGTH - len("hun sen")) // 3
    assert norm.resolve_person("mr " * titles + "hun sen").id == "hun-sen"
    assert norm.person_key("samdech prime minister mr " * 300 + "Hun Sen") == "hun sen"


def test_a_huge_party_name_is_refused() -> None:
    """'x' x 1,000,000 (22 s) and a 10 MB string (80 s in ranking) are refused."""
    with pytest.raises(InputTooLongError):
        norm.resolve_party("x" * 1_000_000)
    with pytest.raises(InputTooLongError):
        norm.resolve_person("Candlelite " * 1_000_000)


def test_suggestions_rank_a_bounded_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fuzzy ranking sees at most MAX_RANK_LENGTH characters of the query."""
    from rapidfuzz import process

    seen: list[int] = []
    extract = process.extract

    def spy(query: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(len(query))
        return extract(query, *args, **kwargs)

    monkeypatch.setattr(process, "extract", spy)
    miss = norm.resolve_party("Candlelite " + "z" * (MAX_NAME_LENGTH - 20), strict=False)
    assert isinstance(miss, Unresolved)
    assert seen
    assert max(seen) <= MAX_RANK_LENGTH
    assert any(name.startswith("Candlelight") for name in miss.suggestions)


def test_running_text_has_its_own_limit() -> None:
    """find_persons reads up to MAX_TEXT_LENGTH characters of running text, no more."""
    sentence = "Hun Sen said so. "
    text = sentence * (MAX_TEXT_LENGTH // len(sentence))
    assert [m.id for m in norm.find_persons(text)] == ["hun-sen"]
    with pytest.raises(InputTooLongError):
        norm.find_persons(text + "x" * len(sentence))


# -- columns: a too-long value is one null, as an unknown one is ------------------------


def test_array_resolvers_give_null_for_a_too_long_value() -> None:
    """Too-long values give null IDs and a too_long failure; the rest of the column resolves.

    "CNRP" followed by 20,000 spaces is refused too, although its prekey is short:
    the column agrees with the scalar resolver.
    """
    column = pa.array(["CNRP", "CNRP" + " " * 20_000, "x" * 20_000, None, "Hun Sen"])
    assert norm.resolve_party_array(column).to_pylist() == [
        "cambodia-national-rescue-party",
        None,
        None,
        None,
        None,
    ]
    assert norm.resolve_person_array(column).to_pylist() == [None, None, None, None, "hun-sen"]
    failures = norm.explain_party_array(column).field("failure").to_pylist()
    assert failures == [None, "too_long", "too_long", None, "unknown"]
    labels = norm.parse_label_array(column).field("failure").to_pylist()
    assert labels == [None, "too_long", "too_long", None, "unknown"]
    scalar = norm.resolve_party("CNRP" + " " * 20_000, strict=False)
    assert isinstance(scalar, Unresolved)
    assert scalar.failure is Failure.TOO_LONG
