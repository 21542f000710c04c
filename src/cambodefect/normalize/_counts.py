"""Count phrases to [`Count`][cambodefect.Count]: "more than 2,000", "10% to 15%", "dozens".

The grammar, on the folded phrase (case and dash styles do not matter)::

    count  := [hedge] (vague | range | number) [more | other] [[of] unit-noun]
    hedge  := more than | over | at least | around | about | nearly | fewer than | ...
    number := digits with thousands separators ["million" ...] | number words
              ("seven", "twenty-five", "a hundred", "a dozen", "half a dozen") [% | percent]
              | once | twice | thrice (counting acts)
    range  := number (to | - | or) number | between number and number | from number to number
    vague  := dozens | hundreds | thousands | "hundreds, thousands" | a handful | several | ...

"more than n" has ``low = n + 1``; "fewer than n" has ``high = n - 1``; a hedge such
as "around" keeps the number as an approximate ``value``; a vague quantity keeps no
number at all ("dozens" is never 24). The phrase as given is kept in ``text``.
"""

from __future__ import annotations

import re
from collections.abc import Container
from contextlib import suppress
from decimal import Decimal
from typing import Literal, overload

from cambodefect._names.index import Failure, Unresolved, too_long
from cambodefect._text import MAX_NAME_LENGTH, clean_text, false_digit, fold, not_a_digit
from cambodefect.enums import Qualifier, Unit
from cambodefect.errors import CountParseError, InputTooLongError
from cambodefect.values import Count

__all__ = ["clean_count", "parse_count"]

_SMALL_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEEN_WORDS = (
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_TENS_WORDS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
SMALL = {w: i for i, w in enumerate(_SMALL_WORDS)}
TEENS = {w: i + 10 for i, w in enumerate(_TEEN_WORDS)}
TENS = {w: (i + 2) * 10 for i, w in enumerate(_TENS_WORDS)}
_BELOW_HUNDRED = frozenset({*SMALL, *TEENS, *TENS})
TIMES = {"once": 1, "twice": 2, "thrice": 3}
SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9}
_NUMBER_WORDS = frozenset({*SMALL, *TEENS, *TENS, *SCALES, "hundred", "dozen", "half", "a", "an"})

HEDGES: dict[tuple[str, ...], Qualifier] = {
    tuple(phrase.split()): qualifier
    for qualifier, phrases in {
        Qualifier.MORE_THAN: ["more than", "over", "upwards of", "in excess of", "greater than"],
        Qualifier.AT_LEAST: ["at least", "no fewer than", "no less than", "not less than"],
        Qualifier.APPROXIMATE: [
            "around",
            "about",
            "approximately",
            "approx",
            "roughly",
            "nearly",
            "almost",
            "close to",
            "some",
            "an estimated",
            "estimated",
            "circa",
            "~",
        ],
        Qualifier.FEWER_THAN: ["fewer than", "less than", "under", "below"],
    }.items()
    for phrase in phrases
}
VAGUE_WORDS = frozenset({"dozens", "scores", "hundreds", "thousands", "millions", "billions"})
VAGUE_PHRASES = frozenset(
    tuple(phrase.split())
    for phrase in (
        "a handful",
        "handful",
        "a few",
        "few",
        "several",
        "many",
        "numerous",
        "countless",
        "some",
        "tens of thousands",
        "hundreds of thousands",
        "several hundred",
        "several hundreds",
        "several thousand",
        "many hundreds",
        "many thousands",
    )
)
_JOINERS = ("to", "-", "or", "and")  # between the two numbers of a range
_VAGUE_JOINERS = frozenset({",", "or", "and", "to", "of"})

UNIT_NOUNS: dict[tuple[str, ...], Unit] = {
    tuple(noun.split()): unit
    for unit, nouns in {
        Unit.PERSONS: (  # noqa: SIM905  # a word list, wrapped to the line length
            "person persons people member members activist activists defector defectors"
            " supporter supporters colleague colleagues individual individuals observer"
            " observers adviser advisers advisor advisors"
        ).split(),
        Unit.OFFICIALS: [
            "official",
            "officials",
            "lawmaker",
            "lawmakers",
            "councillor",
            "councillors",
            "councilor",
            "councilors",
            "commune chief",
            "commune chiefs",
            "deputy commune chief",
            "deputy commune chiefs",
            "commune councillor",
            "commune councillors",
            "commune council member",
            "commune council members",
            "district councillor",
            "district councillors",
            "district councilor",
            "district councilors",
            "provincial councillor",
            "provincial councillors",
            "provincial councilor",
            "provincial councilors",
            "opposition lawmaker",
            "opposition lawmakers",
            "legislator",
            "legislators",
            "parliamentarian",
            "parliamentarians",
            "senator",
            "senators",
        ],
        Unit.POSITIONS: ["position", "positions", "seat", "seats"],
        Unit.ACTS: ["act", "acts", "attack", "attacks", "beating", "beatings", "times"],
        Unit.REPORTS: [
            "report",
            "reports",
            "article",
            "articles",
            "news item",
            "news items",
            "item",
            "items",
            "story",
            "stories",
            "post",
            "posts",
        ],
        Unit.YEARS: ["year", "years"],
    }.items()
    for noun in nouns
}
_LONGEST_NOUN = max(map(len, UNIT_NOUNS))
_LONGEST_HEDGE = max(map(len, HEDGES))
# A count fits in int64 (19 digits); with separators and decimals, 40 characters is ample.
_LONGEST_DIGITS = 40

# Thousands grouped with no-break or thin spaces ("6 473"): the spaces go first.
_SPACED_THOUSANDS_RE = re.compile(r"(?<=\d)[\u00a0\u202f\u2009\u2007](?=\d{3}(?!\d))")
# A dash with space around it separates a range ("twenty - one hundred"); one without
# may join number words ("twenty-one hundred" is 2,100).
_SPACED_DASH_RE = re.compile(r"\s+-\s*|\s*-\s+")
_TOKEN_RE = re.compile(
    r"(?P<num>(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?)"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<space>[\s.]+)"
    r"|(?P<sym>.)"
)


_Context = tuple[Qualifier | None, str, Unit | None]  # hedge, phrase, unit argument


class _ParseFailure(Exception):  # noqa: N818  # internal control flow, never raised out
    """Internal: the phrase does not parse; the message says where."""


class _Tokens:
    def __init__(self, items: list[str], pos: int = 0) -> None:
        self.items, self.pos = items, pos

    def peek(self, ahead: int = 0) -> str | None:
        i = self.pos + ahead
        return self.items[i] if i < len(self.items) else None

    def take(self, *expected: str) -> bool:
        """Consume ``expected`` if the next tokens are exactly it."""
        n = len(expected)
        if tuple(self.items[self.pos : self.pos + n]) == expected:
            self.pos += n
            return True
        return False

    def longest(self, table: Container[tuple[str, ...]], n: int) -> tuple[str, ...] | None:
        for size in range(n, 0, -1):
            candidate = tuple(self.items[self.pos : self.pos + size])
            if len(candidate) == size and candidate in table:
                self.pos += size
                return candidate
        return None

    def rest(self) -> str:
        return " ".join(self.items[self.pos :])


def _is_number_start(tok: str | None, after: str | None) -> bool:
    if tok is None:
        return False
    if tok[0].isdecimal() or tok in TIMES:
        return True
    if tok in ("a", "an"):
        return after in ("hundred", "dozen", "half", *SCALES)
    if tok == "half":
        return after in ("a", "dozen")
    return tok in _NUMBER_WORDS


def _digits(tokens: _Tokens) -> int:
    tok = tokens.items[tokens.pos]
    tokens.pos += 1
    if len(tok) > _LONGEST_DIGITS:  # bounded before Decimal: int(Decimal) is quadratic
        raise _ParseFailure(f"a number of {len(tok):,} characters is beyond any count")
    amount = Decimal(tok.replace(",", ""))
    word = tokens.peek()
    if word is not None and word in SCALES:
        amount *= SCALES[word]
        tokens.pos += 1
    elif "." in tok:
        raise _ParseFailure(f"{tok} is not a whole number")
    if amount != amount.to_integral_value():
        raise _ParseFailure(f"{tok} {word} is not a whole number")
    return int(amount)


def _words(tokens: _Tokens) -> int:
    """Number words: "seven", "twenty-five", "a hundred and five", "half a dozen"."""
    total, current, last, scale_cap = 0, 0, "", 10**12
    start = tokens.pos
    while (tok := tokens.peek()) is not None:
        if tok in ("a", "an") and last == "" and _is_number_start(tok, tokens.peek(1)):
            current, last = 1, "a"
        elif tokens.take("half", "a", "dozen") or tokens.take("half", "dozen"):
            if last not in ("", "a"):
                raise _ParseFailure("'half a dozen' inside a larger number")
            current, last = 6, "dozen"
            continue
        elif tok in SMALL and last in ("", "tens", "tens-", "hundred", "scale", "and"):
            current, last = current + SMALL[tok], "unit"
        elif tok in TEENS and last in ("", "hundred", "scale", "and"):
            current, last = current + TEENS[tok], "unit"
        elif tok in TENS and last in ("", "hundred", "scale", "and"):
            current, last = current + TENS[tok], "tens"
        elif tok == "-" and last == "tens" and tokens.peek(1) in SMALL:
            last = "tens-"
        elif tok == "hundred" and last in ("", "a", "unit") and current < 100 < scale_cap:
            current, last = (current or 1) * 100, "hundred"
        elif tok == "dozen" and last in ("a", "unit"):
            current, last = current * 12, "dozen"
        elif tok in SCALES and last in ("", "a", "unit", "tens", "hundred"):
            scale = SCALES[tok]
            if scale >= scale_cap:
                raise _ParseFailure(f"'{tok}' out of order")
            total, current, last, scale_cap = total + (current or 1) * scale, 0, "scale", scale
        elif tok == "and" and last in ("hundred", "scale") and tokens.peek(1) in _BELOW_HUNDRED:
            last, scale_cap = "and", 1 if last == "scale" else scale_cap  # "a thousand and one"
        else:
            break
        tokens.pos += 1
    if tokens.pos == start or last in ("a", "and", "tens-"):
        raise _ParseFailure(f"not a number: {tokens.rest() or 'nothing'}")
    return total + current


def _number(tokens: _Tokens) -> tuple[int, Unit | None]:
    """A number, and the unit it states itself (percent for "10%", acts for "twice")."""
    tok = tokens.peek()
    if tok in TIMES:
        tokens.pos += 1
        return TIMES[tok], Unit.ACTS
    if tok is None or not _is_number_start(tok, tokens.peek(1)):
        raise _ParseFailure(f"expected a number at {tokens.rest() or 'the end'!r}")
    value = _digits(tokens) if tok[0].isdecimal() else _words(tokens)
    percent = tokens.take("%") or tokens.take("percent") or tokens.take("per", "cent")
    return value, Unit.PERCENT if percent else None


def _vague(tokens: _Tokens) -> bool:
    """Consume a vague quantity ("dozens", "hundreds, thousands", "a handful")."""
    if tokens.peek() in VAGUE_WORDS:
        tokens.pos += 1
        while tokens.peek() in _VAGUE_JOINERS and tokens.peek(1) in VAGUE_WORDS:
            tokens.pos += 2
        return True
    if tokens.peek() == "some" and _is_number_start(tokens.peek(1), tokens.peek(2)):
        return False
    return tokens.longest(VAGUE_PHRASES, 3) is not None


def _tail(tokens: _Tokens, *, vague: bool) -> Unit | None:
    """What may follow the quantity: "more"/"other", then a unit noun; then the end."""
    tokens.take("more") or tokens.take("other")
    tokens.take("-")
    if vague:
        tokens.take("of")
    noun = tokens.longest(UNIT_NOUNS, _LONGEST_NOUN)
    if tokens.peek() is not None:
        raise _ParseFailure(f"unexpected {tokens.rest()!r}")
    return UNIT_NOUNS[noun] if noun is not None else None


def _unit(stated: Unit | None, wanted: Unit | None) -> Unit:
    if stated is not None and wanted is not None and stated is not wanted:
        raise _ParseFailure(f"the phrase counts {stated.value} but unit={wanted.value!r}")
    return stated or wanted or Unit.PERSONS


def _parse(phrase: str, wanted: Unit | None) -> Count:
    folded = _SPACED_DASH_RE.sub(" to ", fold(_SPACED_THOUSANDS_RE.sub("", phrase)))
    tokens = _Tokens([m[0] for m in _TOKEN_RE.finditer(folded) if m.lastgroup != "space"])
    text = phrase.strip()
    hedge: Qualifier | None = None
    vague = _vague(tokens)
    if not vague:
        found = tokens.longest(HEDGES, _LONGEST_HEDGE)
        hedge = HEDGES[found] if found else None
        vague = _vague(tokens)
    if vague:
        return Count.vague(text, unit=_unit(_tail(tokens, vague=True), wanted))
    ctx = (hedge, text, wanted)
    if tokens.take("between") or tokens.take("from"):
        return _between(tokens, ctx)
    return _rest(tokens, _number(tokens), ctx, between=False)


def _between(tokens: _Tokens, ctx: _Context) -> Count:
    """ "between A and B", where A may hold "and" itself: each joiner A's words reach is
    tried as the separator (a few: scales strictly decrease); the one split that reads
    as a valid range is taken, and a phrase with two is refused as ambiguous."""
    items, start = tokens.items, tokens.pos
    probe = _Tokens(items, start)
    with suppress(_ParseFailure):  # probe.pos is where the words stop
        _number(probe)
    readings: list[Count] = []
    failure: _ParseFailure | None = None
    for split in range(start + 1, min(probe.pos, len(items) - 1) + 1):
        if items[split] not in _JOINERS or (items[split] == "-" and split < probe.pos):
            continue  # a dash inside the words joins them: "twenty-one"
        first = _Tokens(items[start:split])
        try:
            low = _number(first)
            if first.peek() is None:  # else A is no whole number: not this split
                readings.append(_rest(_Tokens(items, split), low, ctx, between=True))
        except _ParseFailure as err:
            failure = err  # the last one kept: the split with the longest first number
    if len(readings) > 1:
        ways = " or as ".join(f"{c.low} to {c.high}" for c in readings)
        raise _ParseFailure(f"ambiguous: it reads as {ways}")
    if readings or failure is None:  # no split: the usual error
        return readings[0] if readings else _rest(tokens, _number(tokens), ctx, between=True)
    raise failure


def _rest(
    tokens: _Tokens, first: tuple[int, Unit | None], ctx: _Context, *, between: bool
) -> Count:
    """The count, given its first number: a "+" or a second number, then the tail."""
    (low, stated), (hedge, text, wanted) = first, ctx
    plus = tokens.take("+")
    high = None
    joiner = tokens.peek()
    if joiner in _JOINERS and _is_number_start(tokens.peek(1), tokens.peek(2)):
        if joiner == "and" and not between:
            raise _ParseFailure("'and' joins a range only after 'between'")
        tokens.pos += 1
        high, high_stated = _number(tokens)
        if stated is not high_stated and stated is not None and high_stated is not None:
            raise _ParseFailure(f"two units: {stated.value} and {high_stated.value}")
        stated = stated or high_stated
    elif between:
        raise _ParseFailure("'between' or 'from' needs a second number")
    noun = _tail(tokens, vague=False)
    if stated is not None and noun is not None:
        raise _ParseFailure(f"two units: {stated.value} and {noun.value}")
    unit = _unit(stated or noun, wanted)
    if high is not None:
        if hedge is not None or plus:
            raise _ParseFailure("a hedged range has no Count form")
        if low > high:
            raise _ParseFailure(f"the range runs backwards ({low} > {high})")
        return Count.between(low, high, unit=unit, text=text)
    if plus:
        if hedge is not None:
            raise _ParseFailure("a hedge and a '+' together")
        return Count.at_least(low, unit=unit, text=text)
    if hedge is Qualifier.MORE_THAN:
        return Count.more_than(low, unit=unit, text=text)
    if hedge is Qualifier.AT_LEAST:
        return Count.at_least(low, unit=unit, text=text)
    if hedge is Qualifier.APPROXIMATE:
        return Count.approximate(low, unit=unit, text=text)
    if hedge is Qualifier.FEWER_THAN:
        if low == 0:
            raise _ParseFailure("fewer than zero")
        return Count(qualifier=Qualifier.FEWER_THAN, unit=unit, high=low - 1, text=text)
    return Count.exact(low, unit=unit, text=text)


def count_lookup(text: str, unit: Unit | str | None = None) -> Count | Unresolved:
    """Lenient [`parse_count`][cambodefect.normalize.parse_count]."""
    want = Unit(unit) if unit is not None else None
    if (long := too_long(text)) is not None:
        return long
    if clean_text(text) is None:
        return Unresolved(text=text, failure=Failure.EMPTY, reason="nothing to parse")
    if (char := false_digit(text)) is not None:  # NFKC would read "10\u00b2" as 102
        return Unresolved(text=text, failure=Failure.UNPARSED, reason=not_a_digit(char))
    try:
        return _parse(text, want)
    except _ParseFailure as err:
        return Unresolved(text=text, failure=Failure.UNPARSED, reason=str(err))
    except (ValueError, ArithmeticError) as err:  # a Count validator: beyond int64
        return Unresolved(text=text, failure=Failure.UNPARSED, reason=f"out of range: {err}")


@overload
def parse_count(
    text: str, unit: Unit | str | None = None, *, strict: Literal[True] = ...
) -> Count: ...
@overload
def parse_count(
    text: str, unit: Unit | str | None = None, *, strict: bool
) -> Count | Unresolved: ...
def parse_count(
    text: str, unit: Unit | str | None = None, *, strict: bool = True
) -> Count | Unresolved:
    """Parse a count phrase into a [`Count`][cambodefect.Count], keeping the phrase.

    ``unit`` says what is counted (default persons); a phrase that states its own unit
    ("10%", "27 years", "three beatings") sets it, and one that contradicts ``unit``
    is refused rather than relabelled.

    Raises (strict mode; lenient mode returns an [`Unresolved`][cambodefect.normalize.Unresolved]
    instead):
        CountParseError: the phrase is outside the grammar; the reason says where.
        ValueError: ``unit`` is not a [`Unit`][cambodefect.Unit] value.

    Examples:
        >>> parse_count("more than 2,000", unit="officials").low
        2001
        >>> c = parse_count("10% to 15%")
        >>> (c.qualifier.value, c.low, c.high, c.unit.value)
        ('range', 10, 15, 'percent')
        >>> c = parse_count("hundreds, thousands")
        >>> (c.qualifier.value, c.value, c.low, c.high, c.text)
        ('vague', None, None, None, 'hundreds, thousands')
        >>> parse_count("more than half dozen").low
        7
        >>> parse_count("around 60").value
        60
    """
    found = count_lookup(text, unit)
    if strict and isinstance(found, Unresolved):
        if found.failure is Failure.TOO_LONG:
            raise InputTooLongError(text, MAX_NAME_LENGTH)
        raise CountParseError(text, found.reason)
    return found


def clean_count(raw: str | None, unit: Unit | str | None = None) -> Count | None:
    """The [`Count`][cambodefect.Count] a phrase states, or ``None``.

    Never raises for any text (a bad ``unit`` still raises ``ValueError``).

    Examples:
        >>> clean_count("at least seven").low
        7
        >>> clean_count("the sheer volume") is None
        True
    """
    if raw is None:
        return None
    found = count_lookup(raw, unit)
    return found if isinstance(found, Count) else None
