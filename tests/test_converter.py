"""Tests for cambodefect.converter: the one converter and its error reporting."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cambodefect.converter import converter, make_converter, structure, unstructure
from cambodefect.errors import InvalidRecordError
from cambodefect.models import Claim, Party, Person, Source
from cambodefect.testing import claims, counts, fuzzy_dates, parties, persons, sources
from cambodefect.values import Count, FuzzyDate

MODELS: list[tuple[st.SearchStrategy[Any], type[Any]]] = [
    (parties(), Party),
    (persons(), Person),
    (sources(), Source),
    (claims(), Claim),
    (counts(), Count),
    (fuzzy_dates(), FuzzyDate),
]


@pytest.mark.parametrize(("strategy", "cls"), MODELS, ids=lambda x: getattr(x, "__name__", ""))
def test_structure_inverts_unstructure(strategy: st.SearchStrategy[Any], cls: type[Any]) -> None:
    """structure(unstructure(x)) == x for every model."""

    @given(strategy)
    def check(x: Any) -> None:
        assert structure(unstructure(x), cls) == x

    check()


def test_enums_unstructure_to_plain_strings() -> None:
    """Unstructured data holds enum values, not enum members."""
    data = unstructure(Count.vague("dozens"))
    assert type(data["qualifier"]) is str
    assert data["qualifier"] == "vague"


def test_every_problem_is_reported_at_once() -> None:
    """A bad record lists every bad field, with the record named."""
    bad = {
        "id": "c1",
        "kind": "defektion",
        "claimant": {"kind": "person", "alignment": "sideways", "id": "x"},
        "evidence": [],
        "colour": "red",
    }
    with pytest.raises(InvalidRecordError) as info:
        structure(bad, Claim)
    messages = [str(v) for v in info.value.violations]
    assert len(messages) == 3, messages
    assert any("defektion" in m for m in messages)
    assert any("sideways" in m for m in messages)
    assert any("colour" in m for m in messages)
    assert all(v.record == "c1" for v in info.value.violations)


def test_validator_messages_survive() -> None:
    """A validator's message (not just 'invalid value') reaches the user."""
    with pytest.raises(InvalidRecordError, match=r"exceeds Count.high"):
        structure({"qualifier": "range", "low": 15, "high": 10}, Count)


def test_dates_accept_iso_strings_but_not_datetimes() -> None:
    """Dates structure from ISO strings; a datetime is refused, not truncated."""
    d = structure({"precision": "day", "start": "2023-06-30", "end": "2023-06-30"}, FuzzyDate)
    assert d.start is not None and d.start.isoformat() == "2023-06-30"
    import datetime

    with pytest.raises(InvalidRecordError):
        structure(
            {"precision": "day", "start": datetime.datetime(2023, 6, 30), "end": "2023-06-30"},
            FuzzyDate,
        )


def test_make_converter_builds_independent_converters() -> None:
    """make_converter gives a fresh converter; the module one is never cattrs' global."""
    import cattrs

    assert make_converter() is not converter
    assert converter is not cattrs.global_converter
