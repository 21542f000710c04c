"""Text rules shared by the whole package: one table of invisible characters, one fold.

Three levels, each built on the one before:

- [`clean_text`][cambodefect.normalize.clean_text] tidies a string for display and storage (NFC,
  invisible and control characters dropped, every kind of space made one plain space). Letters never
  change.
- `fold` is the surface-noise key: NFKC, case-folded, every kind of quote,
  apostrophe, hyphen, dash and space unified. Equal folds mean "the same spelling".
- `words` splits a folded string into words (letters, marks, digits), dropping
  possessives and the dots and apostrophes inside words.

The match keys of parties and persons (``party_key``, ``person_key``) are built on
`words` in their own modules; lookup and validation both use them, so the two
always agree on what collides. Khmer script passes through every level unchanged.

The input limits live here too, in one place: `MAX_NAME_LENGTH` for a name,
label, count or date phrase handed to a resolver or parser, `MAX_TEXT_LENGTH`
for running text (``find_persons``), `MAX_RANK_LENGTH` for the part of a query
that suggestions are ranked on. Below them every normalizer is linear in its input.

Examples:
    >>> fold("  Cambodian People\\u2019s\\u00a0PARTY ") == fold("cambodian people's party")
    True
    >>> clean_text("  Candlelight\\u00a0Party\\u200b ")
    'Candlelight Party'
    >>> words("Hun Sen\\u2019s  C.N.R.P.-era rivals")
    ['hun', 'sen', 'cnrp', 'era', 'rivals']
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = [
    "INVISIBLE",
    "JOINERS",
    "MAX_NAME_LENGTH",
    "MAX_RANK_LENGTH",
    "MAX_TEXT_LENGTH",
    "clean_text",
    "false_digit",
    "fold",
    "nearest",
    "not_a_digit",
    "words",
]

# The longest name, label, count or date phrase a resolver or parser accepts. The
# longest real one in the bundled datasets is a 104-character claim label (party names
# reach 78): this is about a hundred times that, so no real input comes near it, and a
# runaway one (a whole file in one cell) is refused at once instead of costing seconds.
MAX_NAME_LENGTH = 10_000
# The longest running text find_persons searches: a long article is ~100,000 characters.
MAX_TEXT_LENGTH = 1_000_000
# Suggestions for an unknown name are ranked on its first this-many characters (the
# longest known spelling is under 100): fuzzy ranking costs grow with the query.
MAX_RANK_LENGTH = 200

# The one table of characters that carry no meaning in a name: zero-width space, word
# joiner, BOM, soft hyphen, Mongolian vowel separator, and control characters that are
# not whitespace. Dropped by every level.
INVISIBLE: dict[int, None] = {
    **dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad\u180e"), None),
    **{i: None for i in [*range(0x20), *range(0x7F, 0xA0)] if not chr(i).isspace()},
}
# Zero-width joiner and non-joiner shape some scripts' rendering: clean text keeps them,
# folded keys drop them.
JOINERS: dict[int, None] = dict.fromkeys(map(ord, "\u200c\u200d"), None)

_APOSTROPHES = dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032\u02bc\u0060\u00b4"), "'")
_QUOTES = dict.fromkeys(map(ord, "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"), '"')
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"), "-")
_FOLD_TABLE: dict[int, str | None] = {**INVISIBLE, **JOINERS, **_APOSTROPHES, **_QUOTES, **_DASHES}
_SPACE_RE = re.compile(r"\s+")
_POSSESSIVE_RE = re.compile(r"'s\b")
_ASCII_WORD_RE = re.compile(r"[a-z0-9]+")
_DROP = dict.fromkeys(map(ord, "'."), None)


def clean_text(raw: str | None) -> str | None:
    """The text in NFC with invisible characters dropped and spaces tidied; ``None`` if blank.

    Non-breaking, thin and other Unicode spaces, tabs and newlines become one plain
    space; leading and trailing space goes. Letters are never changed: case, quotes
    and Khmer script pass through as they are.

    Examples:
        >>> clean_text("\\u200b \\t") is None
        True
        >>> clean_text("គណបក្ស")
        'គណបក្ស'
    """
    if raw is None:
        return None
    text = unicodedata.normalize("NFC", raw.translate(INVISIBLE))
    return _SPACE_RE.sub(" ", text).strip() or None


def fold(text: str) -> str:
    """Fold surface noise out of ``text``; equal folds mean "the same spelling".

    NFKC, case-folded, invisible characters and joiners dropped, quotes, apostrophes,
    dashes and spaces unified, runs of spaces collapsed.
    """
    text = unicodedata.normalize("NFKC", text).translate(_FOLD_TABLE)
    return _SPACE_RE.sub(" ", text).strip().casefold()


def words(text: str) -> list[str]:
    """The folded words of ``text``: letters, marks and digits; everything else separates.

    Possessive "'s" and apostrophes and dots inside words are dropped (``"People's"`` is
    ``"peoples"``, ``"C.N.R.P."`` is ``"cnrp"``); "&" reads "and".
    """
    folded = _POSSESSIVE_RE.sub("", fold(text)).translate(_DROP).replace("&", " and ")
    if folded.isascii():
        return _ASCII_WORD_RE.findall(folded)
    # Dropping a character can bring a letter and a combining mark together ("c.\u0327"),
    # and case folding can undo NFKC: fold again until nothing changes, so keys are
    # stable under re-keying.
    joined = _letters(folded)
    for _ in range(8):
        again = _letters(_POSSESSIVE_RE.sub("", fold(joined)).translate(_DROP))
        if again == joined:
            break
        joined = again
    return joined.split()


def _letters(folded: str) -> str:
    """Letters, marks and digits kept; anything else a single space between words."""
    kept = (c if unicodedata.category(c)[0] in "LMN" else " " for c in folded)
    return " ".join("".join(kept).split())


def nearest(query: str, choices: list[str], limit: int = 3) -> list[str]:
    """The ``limit`` choices most similar to ``query``, best first (rapidfuzz WRatio).

    Suggestions only: a near miss is never treated as a match. Only the first
    `MAX_RANK_LENGTH` characters of ``query`` are ranked, so the cost is bounded.
    """
    from rapidfuzz import fuzz, process, utils

    found = process.extract(
        query[:MAX_RANK_LENGTH],
        choices,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit,
    )
    return [choice for choice, score, _ in found if score >= 50]


def false_digit(text: str) -> str | None:
    """The first character that NFKC would make a digit but that is not one (else ``None``).

    Superscripts and subscripts ("10\u00b2"), circled and parenthesized numbers
    ("\u2460"), fractions ("\u00bd") and the like: after `fold` they would read as
    plain digits ("10\u00b2" as 102). Decimal digits of any script (Khmer "\u17e1\u17e2",
    fullwidth "\uff11") are digits and are not reported.

    Examples:
        >>> false_digit("10\u00b2 people")
        '\u00b2'
        >>> false_digit("\u17e1\u17e2 people") is None
        True
    """
    if text.isascii():
        return None
    return next((c for c in text if not c.isascii() and _makes_digit(c)), None)


def not_a_digit(char: str) -> str:
    """The reason a phrase with a `false_digit` is refused, naming the character."""
    name = unicodedata.name(char, f"U+{ord(char):04X}")
    return f"{char!r} ({name}) is not a digit here: write the number in plain digits"


@functools.lru_cache(maxsize=4096)
def _makes_digit(char: str) -> bool:
    return not char.isdecimal() and any(c.isdecimal() for c in unicodedata.normalize("NFKC", char))
