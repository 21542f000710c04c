"""Tests for cambodefect._display: how records read in a REPL, a notebook, a sentence."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
from hypothesis import given

import cambodefect as cd
from cambodefect._display import count_text, date_text, short
from cambodefect.testing import claims, counts, fuzzy_dates
from cambodefect.values import Count, FuzzyDate

DS = cd.load("3.0.0")


def test_every_record_prints_as_one_short_line() -> None:
    """str() of any record is one line naming its ID (the default repr ran to 3 KB)."""
    records: list[Any] = [
        *DS.iter_parties(),
        *DS.iter_persons(),
        *DS.iter_sources(),
        *DS.iter_events(),
        *DS.iter_claims(),
    ]
    lines = [str(r) for r in records]
    assert all(
        "\n" not in line and line.startswith(r.id) for line, r in zip(lines, records, strict=True)
    )
    assert max(len(line) for line in lines) < 400
    assert max(len(repr(r)) for r in records) > 1000  # what str() replaces


def test_dates_keep_their_precision() -> None:
    """A year stays a year, a month a month: never a made-up first day."""
    assert date_text(FuzzyDate.year(2017)) == "2017"
    assert date_text(FuzzyDate.month(2023, 6)) == "2023-06"
    assert date_text(FuzzyDate.day(date(2023, 6, 30))) == "2023-06-30"
    open_range = FuzzyDate(precision="range", start=date(2023, 6, 30))
    assert date_text(open_range) == "2023-06-30/.."


def test_counts_keep_their_qualifier() -> None:
    """Vague stays vague, bounds stay bounds."""
    assert count_text(Count(qualifier="vague", text="hundreds")) == "'hundreds' (vague)"
    assert count_text(Count(qualifier="more_than", low=2001, text="more than 2,000")) == (
        "more than 2,000 persons"
    )
    assert count_text(Count(qualifier="approximate", value=60, text="around 60")) == (
        "about 60 persons"
    )


@given(counts())
def test_any_count_reads_without_inventing_a_figure(count: Count) -> None:
    """Whatever the count, its text names only numbers the count holds."""
    text = count_text(count)
    held = {count.value, count.low, count.high}
    if count.low is not None:
        held.add(count.low - 1)  # "more than N" is stored as low = N + 1
    if count.high is not None:
        held.add(count.high + 1)  # "fewer than N" is stored as high = N - 1
    for word in text.replace(",", "").split():
        if word.isdigit() and not (count.text and word in count.text.replace(",", "")):
            assert int(word) in held, (text, count)


@given(fuzzy_dates())
def test_any_date_reads_at_its_precision(when: FuzzyDate) -> None:
    """Day, month and year dates read at exactly that precision; ranges as intervals."""
    text = date_text(when)
    length = {"day": 10, "month": 7, "year": 4}.get(when.precision.value)
    if length is not None and when.start is not None:
        assert len(text) == length
    else:
        assert "/" in text


@given(claims())
def test_html_escapes_every_value(claim: cd.Claim) -> None:
    """A note holding markup is shown as text in a notebook, never run."""
    planted = attrs.evolve(claim, note="<script>alert(1)</script>")
    page = planted._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_explain_says_who_what_and_where() -> None:
    """One sentence: the claimant by name, the figure as claimed, the source and line."""
    text = DS.claim("ppp-2017-cpp-tally-774").explain(DS)
    assert text.startswith("Ork Kimhan (ruling-party) claimed a total of 774 officials")
    assert "ppp-hun-sen-cut-off-foot, line 28" in text and "http" in text
    web = DS.claim("fn-2023-kampong-cham-5-ex-candlelight-activists-5").explain(DS)
    assert "paragraph 1" in web


def test_the_dataset_shows_its_tables_in_a_notebook() -> None:
    """Dataset._repr_html_ lists every table with its rows."""
    page = DS._repr_html_()
    assert "cambodefect dataset 3.0.0" in page and "<td>claims</td><td>659</td>" in page


def test_short_is_what_str_gives() -> None:
    """str() of a record is _display.short()."""
    claim = next(DS.iter_claims())
    assert str(claim) == short(claim)
