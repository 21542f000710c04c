"""Tests for cambodefect.values: counts, fuzzy dates, evidence, claimants."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given

from cambodefect.enums import Alignment, ClaimantKind, Precision, Qualifier, Unit
from cambodefect.testing import counts, fuzzy_dates
from cambodefect.values import Claimant, Count, Evidence, FuzzyDate


@given(counts())
def test_count_bounds_hold_for_any_count(c: Count) -> None:
    """low <= value <= high wherever they are present."""
    if c.low is not None and c.high is not None:
        assert c.low <= c.high
    if c.value is not None:
        assert c.low is None or c.low <= c.value
        assert c.high is None or c.value <= c.high


@given(counts())
def test_exact_counts_have_equal_value_and_bounds(c: Count) -> None:
    """An exact count has value == low == high; a vague one has no numbers."""
    if c.qualifier is Qualifier.EXACT:
        assert c.value == c.low == c.high is not None
    if c.qualifier is Qualifier.VAGUE:
        assert (c.value, c.low, c.high) == (None, None, None)


def test_more_than_excludes_its_number() -> None:
    """'more than 2,000' has a lower bound of 2,001 and no upper bound."""
    c = Count.more_than(2000, unit=Unit.OFFICIALS, text="more than 2,000")
    assert (c.value, c.low, c.high) == (None, 2001, None)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"qualifier": Qualifier.EXACT, "value": 3, "low": 2, "high": 3}, "value == low == high"),
        ({"qualifier": Qualifier.APPROXIMATE, "value": 1, "low": 2}, "below Count.low"),
        ({"qualifier": Qualifier.RANGE, "low": 15, "high": 10}, "exceeds Count.high"),
        ({"qualifier": Qualifier.VAGUE, "value": 1000, "text": "thousands"}, "vague"),
        ({"qualifier": Qualifier.MORE_THAN, "value": 2000}, "more_than"),
        ({"qualifier": Qualifier.APPROXIMATE}, "needs a value"),
        ({"qualifier": Qualifier.EXACT, "value": -1, "low": -1, "high": -1}, "from 0"),
    ],
)
def test_invalid_counts_are_refused_with_a_message(
    kwargs: dict[str, object], fragment: str
) -> None:
    """Count validators name the problem."""
    with pytest.raises(ValueError, match=fragment):
        Count(**kwargs)  # type: ignore[arg-type]


@given(fuzzy_dates())
def test_fuzzy_date_start_not_after_end(d: FuzzyDate) -> None:
    """Any fuzzy date has start <= end where both are known, and contains its ends."""
    if d.start is not None and d.end is not None:
        assert d.start <= d.end
    for end in (d.start, d.end):
        if end is not None:
            assert d.contains(end)


def test_month_and_year_precision_span_whole_periods() -> None:
    """Month and year dates cover their whole month or year."""
    assert FuzzyDate.month(2024, 2).end == date(2024, 2, 29)
    assert FuzzyDate.year(2017).start == date(2017, 1, 1)
    with pytest.raises(ValueError, match=r"do not span one month"):
        FuzzyDate(precision=Precision.MONTH, start=date(2023, 5, 2), end=date(2023, 5, 31))
    with pytest.raises(ValueError, match=r"needs a start or an end"):
        FuzzyDate(precision=Precision.RANGE)
    with pytest.raises(ValueError, match=r"starts .* after it ends"):
        FuzzyDate.between(date(2023, 2, 1), date(2023, 1, 1))


def test_evidence_needs_a_positive_line_and_a_note() -> None:
    """Lines are 1-based; notes are not blank; source IDs are slugs."""
    with pytest.raises(ValueError, match=r"line"):
        Evidence(source_id="a", line=0, note="x")
    with pytest.raises(ValueError, match=r"note"):
        Evidence(source_id="a", line=1, note="  ")
    with pytest.raises(ValueError, match=r"slug"):
        Evidence(source_id="Not A Slug", line=1, note="x")


def test_group_claimants_have_a_label_and_no_id() -> None:
    """A group claimant is described, not referenced; the others are referenced."""
    Claimant(kind=ClaimantKind.GROUP, alignment=Alignment.OPPOSITION, label="ex-officials")
    with pytest.raises(ValueError, match=r"group"):
        Claimant(kind=ClaimantKind.GROUP, alignment=Alignment.OPPOSITION, id="x", label="y")
    with pytest.raises(ValueError, match=r"needs an id"):
        Claimant(kind=ClaimantKind.PERSON, alignment=Alignment.UNKNOWN)
