"""Calendar bins, shared by [`by_period`][cambodefect.aggregate.by_period] and the figures.

A bin is named by its first day: the day itself, the Monday of a week, the first of a
month, quarter or year. A claim lands in the bin holding its whole date; a date that
spans several bins (a month-precision date in a weekly series) has no bin.

Examples:
    >>> from datetime import date
    >>> bin_end(date(2023, 4, 1), "quarter")
    datetime.date(2023, 6, 30)
    >>> label(date(2023, 5, 1), "month")
    'May\\n2023'
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, Literal

import pyarrow as pa
import pyarrow.compute as pc

from cambodefect.errors import UnknownFilterValueError

__all__ = ["FREQS", "Freq", "bin_end", "bins", "check_freq", "label", "next_bin", "slots"]

Freq = Literal["day", "week", "month", "quarter", "year"]
FREQS: tuple[str, ...] = ("day", "week", "month", "quarter", "year")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def check_freq(freq: object) -> Freq:
    """``freq`` if it is a bin width, else
    [`UnknownFilterValueError`][cambodefect.UnknownFilterValueError] listing them."""
    if freq not in FREQS:
        raise UnknownFilterValueError("freq", freq, FREQS)
    return freq  # type: ignore[return-value]  # narrowed by the membership test


def bins(start: pa.ChunkedArray | pa.Array, end: pa.ChunkedArray | pa.Array, freq: str) -> Any:
    """The bin (its first day) of each date span, or null where the span crosses bins."""
    check_freq(freq)
    if freq == "day":
        a, b = start, end
    else:
        opts: dict[str, Any] = {"unit": freq}
        if freq == "week":
            opts["week_starts_monday"] = True
        a = pc.floor_temporal(start, **opts)
        b = pc.floor_temporal(end, **opts)
    return pc.if_else(pc.fill_null(pc.equal(a, b), False), a, pa.scalar(None, a.type))


def bin_end(start: date, freq: str) -> date:
    """The last day of the bin that starts on ``start``."""
    if freq == "day":
        return start
    if freq == "week":
        return start + timedelta(days=6)
    if freq == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if freq == "quarter":
        last = start.month + 2
        return start.replace(month=last, day=calendar.monthrange(start.year, last)[1])
    return start.replace(month=12, day=31)


def next_bin(start: date, freq: str) -> date:
    """The first day of the bin after the one that starts on ``start``."""
    return bin_end(start, freq) + timedelta(days=1)


def label(start: date, freq: str) -> str:
    """A two-line axis label for the bin that starts on ``start``."""
    if freq == "month":
        return f"{_MONTHS[start.month - 1]}\n{start.year}"
    if freq == "quarter":
        return f"Q{(start.month - 1) // 3 + 1}\n{start.year}"
    if freq == "year":
        return str(start.year)
    return f"{start.day} {_MONTHS[start.month - 1]}\n{start.year}"  # a day, or a week's Monday


def slots(periods: Sequence[date], freq: str) -> list[date | None]:
    """Every bin from the first period to the last, empty bins included; a gap of
    more than a year becomes one break slot (``None``) instead of empty bins."""
    out: list[date | None] = []
    for i, p in enumerate(periods):
        out.append(p)
        if i + 1 == len(periods):
            break
        nxt = periods[i + 1]
        if (nxt - p).days > 366:
            out.append(None)
            continue
        b = next_bin(p, freq)
        while b < nxt:
            out.append(b)
            b = next_bin(b, freq)
    return out
