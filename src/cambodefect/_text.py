"""Surface-noise folding for names: the key under which aliases are matched.

Folding is Unicode NFKC, case-folded, with zero-width characters dropped, every
kind of quote, apostrophe, hyphen, dash and space unified, and runs of spaces
collapsed. Khmer script passes through (NFKC leaves it as it is).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "nearest"]

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_APOSTROPHES = dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032\u02bc\u0060\u00b4"), "'")
_QUOTES = dict.fromkeys(map(ord, "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"), '"')
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"), "-")
_TABLE = {**_ZERO_WIDTH, **_APOSTROPHES, **_QUOTES, **_DASHES}
_SPACE_RE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Fold surface noise out of ``text``; equal folds mean "the same spelling".

    Examples:
        >>> fold("  Cambodian People\u2019s\u00a0PARTY ") == fold("cambodian people's party")
        True
    """
    text = unicodedata.normalize("NFKC", text).translate(_TABLE)
    return _SPACE_RE.sub(" ", text).strip().casefold()


def nearest(query: str, choices: list[str], limit: int = 3) -> list[str]:
    """The ``limit`` choices most similar to ``query``, best first (rapidfuzz WRatio).

    Suggestions only: a near miss is never treated as a match.
    """
    from rapidfuzz import fuzz, process, utils

    found = process.extract(
        query, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit
    )
    return [choice for choice, score, _ in found if score >= 50]
