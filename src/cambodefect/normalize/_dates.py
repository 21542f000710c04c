"""Date phrases to [`FuzzyDate`][cambodefect.FuzzyDate]: a date and how precisely it is known.

The grammar, on the folded phrase (case, commas and dots do not matter)::

    phrase := [in | on | during] (point | range | open)
    point  := [early | mid | late] (dd/mm/yyyy | yyyy-mm-dd | yyyy-mm | yyyy
              | day month [year] | month [day] [year] | the day of month [year])
    range  := between point and point | [from] point (to | - | until | through) point
    open   := (since | from) point | (until | till) point | after point | before point

The slash form is day-first, as the tally prints it ("30/06/2023"). "early",
"mid" and "late" keep the precision of what they modify ("late October" is known to
the month; no sub-month range is invented). A phrase without a year takes it from
``reference`` (a date or a year) and is marked ``inferred``; the two ends of a range
share a year printed once ("Between January and June 2023").
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Literal, overload

from attrs import frozen

from cambodefect._names.index import Failure, Unresolved, too_long
from cambodefect._text import MAX_NAME_LENGTH, clean_text, false_digit, fold, not_a_digit
from cambodefect.errors import DateParseError, InputTooLongError
from cambodefect.values import FuzzyDate

__all__ = ["clean_date", "parse_date"]

MONTHS: dict[str, int] = {
    **{name.lower(): i for i, name in enumerate(calendar.month_name) if name},
    **{name.lower(): i for i, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}
PARTS = frozenset({"early", "mid", "late"})
RELATIVE = frozenset(
    {
        "yesterday",
        "today",
        "tomorrow",
        "last",
        "next",
        "this",
        "ago",
        "week",
        *(day.lower() for day in calendar.day_name),
    }
)
_TO = ("to", "-", "until", "till", "through")
_TOKEN_RE = re.compile(
    r"(?P<dmy>\d{1,2}([/.-])\d{1,2}\2\d+(?!\d))"
    r"|(?P<iso>\d{4}-\d{1,2}(?:-\d{1,2})?(?!\d))"
    r"|(?P<num>\d+)(?:st|nd|rd|th)?"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<sep>[\s,.]+)"
    r"|(?P<sym>.)"
)


class _ParseFailure(Exception):  # noqa: N818  # internal control flow, never raised out
    """Internal: the phrase does not parse; the message says where."""


@frozen
class _Point:
    year: int | None
    month: int | None = None
    day: int | None = None

    def with_year(self, year: int) -> _Point:
        return _Point(year, self.month, self.day)

    def first(self) -> date:
        if self.year is None:
            raise _ParseFailure("no year")
        return date(self.year, self.month or 1, self.day or 1)

    def last(self) -> date:
        if self.year is None:
            raise _ParseFailure("no year")
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])


class _Tokens:
    def __init__(self, phrase: str) -> None:
        self.items: list[tuple[str, str]] = [
            (m.lastgroup or "", m["num"] if m.lastgroup == "num" else m[0])
            for m in _TOKEN_RE.finditer(phrase)
            if m.lastgroup != "sep"
        ]
        self.pos = 0

    def peek(self, ahead: int = 0) -> tuple[str, str]:
        i = self.pos + ahead
        return self.items[i] if i < len(self.items) else ("", "")

    def take(self, *words: str) -> str | None:
        kind, text = self.peek()
        if kind in ("word", "sym") and text in words:
            self.pos += 1
            return text
        return None

    def rest(self) -> str:
        return " ".join(text for _, text in self.items[self.pos :]) or "the end"


def _year(text: str) -> int:
    if len(text) != 4:
        raise _ParseFailure(f"{text!r} is not a four-digit year")
    return int(text)


def _day(text: str) -> int:
    if len(text) > 2:
        raise _ParseFailure(f"{text!r} is not a day of the month")
    return int(text)


def _optional(tokens: _Tokens, size: Literal["day", "year"]) -> int | None:
    kind, text = tokens.peek()
    if kind != "num" or (len(text) == 4) != (size == "year"):
        return None
    tokens.pos += 1
    return _year(text) if size == "year" else _day(text)


def _month(tokens: _Tokens) -> int:
    kind, text = tokens.peek()
    if kind != "word" or text not in MONTHS:
        raise _ParseFailure(f"expected a month at {tokens.rest()!r}")
    tokens.pos += 1
    return MONTHS[text]


def _point(tokens: _Tokens) -> _Point:
    part = tokens.take(*PARTS)
    if part is not None:
        tokens.take("-")
    kind, text = tokens.peek()
    if kind == "dmy":
        tokens.pos += 1
        day, month, year = re.split(r"[/.-]", text)
        point = _Point(_year(year), int(month), _day(day))
    elif kind == "iso":
        tokens.pos += 1
        year, month, *day = text.split("-")
        point = _Point(_year(year), int(month), _day(day[0]) if day else None)
    elif kind == "num" and len(text) == 4:
        tokens.pos += 1
        point = _Point(_year(text))
    elif kind == "num" or tokens.take("the"):
        day_text = tokens.peek()
        if day_text[0] != "num":
            raise _ParseFailure(f"expected a day at {tokens.rest()!r}")
        tokens.pos += 1
        tokens.take("of")
        day, month = _day(day_text[1]), _month(tokens)
        point = _Point(_optional(tokens, "year"), month, day)
    elif kind == "word" and text in MONTHS:
        month = _month(tokens)
        day_or_none = _optional(tokens, "day")
        point = _Point(_optional(tokens, "year"), month, day_or_none)
    elif kind == "word" and text in RELATIVE:
        raise _ParseFailure(f"a relative date ({text!r}) needs a calendar date")
    else:
        raise _ParseFailure(f"expected a date at {tokens.rest()!r}")
    if part is not None and point.day is not None:
        raise _ParseFailure(f"{part!r} with a day")
    if point.month is not None and not 1 <= point.month <= 12:
        raise _ParseFailure(f"no month {point.month} (the slash form is day-first)")
    return point


def _reference_year(reference: date | int | None) -> int | None:
    if reference is None:
        return None
    if isinstance(reference, bool) or not isinstance(reference, int | date):
        raise TypeError(f"reference must be a date or a year, got {reference!r}")
    year = reference if isinstance(reference, int) else reference.year
    if not 1 <= year <= 9999:
        raise ValueError(f"reference year must be from 1 to 9999, got {year}")
    return year


def _parse(phrase: str, year: int | None) -> FuzzyDate:
    tokens = _Tokens(fold(phrase))
    text = phrase.strip()
    tokens.take("in", "on", "during")
    start: _Point | None
    end: _Point | None
    opener = tokens.take("between", "since", "from", "until", "till", "after", "before")
    if opener in ("until", "till", "before"):
        start, end = None, _point(tokens)
    else:
        start = _point(tokens)
        end = None
        if opener == "between":
            if tokens.take("and") is None:
                raise _ParseFailure("'between' needs 'and'")
            end = _point(tokens)
        elif tokens.take(*_TO):
            end = _point(tokens)
    if tokens.pos < len(tokens.items):
        raise _ParseFailure(f"unexpected {tokens.rest()!r}")
    points = [p for p in (start, end) if p is not None]
    printed = {p.year for p in points if p.year is not None}
    inferred = False
    if len(printed) == 0:
        if year is None:
            raise _ParseFailure("no year: pass reference= (a date or a year)")
        printed, inferred = {year}, True
    if start is not None and start.year is None:
        start = start.with_year(min(printed))
    if end is not None and end.year is None:
        end = end.with_year(max(printed))
    if opener is None and end is None and start is not None:
        if start.day is not None:
            return FuzzyDate.day(start.first(), text=text, inferred=inferred)
        if start.month is not None:
            return FuzzyDate.month(start.first().year, start.month, text=text, inferred=inferred)
        return FuzzyDate.year(start.first().year, text=text, inferred=inferred)
    if opener in ("since", "from") and end is None and start is not None:
        return FuzzyDate.between(start.first(), None, text=text, inferred=inferred)
    if opener == "after" and start is not None:
        return FuzzyDate.between(
            start.last() + timedelta(days=1), None, text=text, inferred=inferred
        )
    if opener in ("until", "till") and end is not None:
        return FuzzyDate.between(None, end.last(), text=text, inferred=inferred)
    if opener == "before" and end is not None:
        return FuzzyDate.between(
            None, end.first() - timedelta(days=1), text=text, inferred=inferred
        )
    if start is None or end is None:
        raise _ParseFailure(f"'{opener}' does not take a range")
    first, last = start.first(), end.last()
    if first > last:
        raise _ParseFailure(f"the range ends ({last}) before it starts ({first})")
    return FuzzyDate.between(first, last, text=text, inferred=inferred)


def date_lookup(text: str, reference: date | int | None = None) -> FuzzyDate | Unresolved:
    """Lenient [`parse_date`][cambodefect.normalize.parse_date]."""
    year = _reference_year(reference)
    if (long := too_long(text)) is not None:
        return long
    if clean_text(text) is None:
        return Unresolved(text=text, failure=Failure.EMPTY, reason="nothing to parse")
    if (char := false_digit(text)) is not None:  # NFKC would read "0\u00b9" as 01
        return Unresolved(text=text, failure=Failure.UNPARSED, reason=not_a_digit(char))
    try:
        return _parse(text, year)
    except _ParseFailure as err:
        return Unresolved(text=text, failure=Failure.UNPARSED, reason=str(err))
    except (ValueError, OverflowError) as err:  # no such day, or beyond the calendar
        return Unresolved(text=text, failure=Failure.UNPARSED, reason=f"no such date: {err}")


@overload
def parse_date(
    text: str, reference: date | int | None = None, *, strict: Literal[True] = ...
) -> FuzzyDate: ...
@overload
def parse_date(
    text: str, reference: date | int | None = None, *, strict: bool
) -> FuzzyDate | Unresolved: ...
def parse_date(
    text: str, reference: date | int | None = None, *, strict: bool = True
) -> FuzzyDate | Unresolved:
    """Parse a date phrase into a [`FuzzyDate`][cambodefect.FuzzyDate] with its precision.

    ``reference`` (a date, or a year) supplies the year a phrase omits ("May 6");
    such a result has ``inferred=True``. Its year is taken as it is: nothing guesses
    that "December" said in January meant the year before.

    Raises (strict mode; lenient mode returns an [`Unresolved`][cambodefect.normalize.Unresolved]
    instead):
        DateParseError: outside the grammar, no such day, or no year and no reference.
        TypeError: ``reference`` is neither a date nor an int.

    Examples:
        >>> d = parse_date("30/06/2023")
        >>> (d.precision.value, d.start.isoformat())
        ('day', '2023-06-30')
        >>> d = parse_date("late October", reference=2017)
        >>> (d.precision.value, d.start.isoformat(), d.end.isoformat(), d.inferred)
        ('month', '2017-10-01', '2017-10-31', True)
        >>> parse_date("Feb. 11, 2023").start
        datetime.date(2023, 2, 11)
        >>> d = parse_date("Between January and June 2023")
        >>> (d.precision.value, d.start.isoformat(), d.end.isoformat(), d.inferred)
        ('range', '2023-01-01', '2023-06-30', False)
        >>> parse_date("May 6")
        Traceback (most recent call last):
        ...
        cambodefect.errors.DateParseError: cannot parse date 'May 6': no year: pass reference= ...
    """
    found = date_lookup(text, reference)
    if strict and isinstance(found, Unresolved):
        if found.failure is Failure.TOO_LONG:
            raise InputTooLongError(text, MAX_NAME_LENGTH)
        raise DateParseError(text, found.reason)
    return found


def clean_date(raw: str | None, reference: date | int | None = None) -> FuzzyDate | None:
    """The [`FuzzyDate`][cambodefect.FuzzyDate] a phrase states, or ``None``.

    Never raises for any text (a bad ``reference`` still raises ``TypeError``).

    Examples:
        >>> clean_date("2017").precision.value
        'year'
        >>> clean_date("on Saturday") is None
        True
    """
    if raw is None:
        return None
    found = date_lookup(raw, reference)
    return found if isinstance(found, FuzzyDate) else None
