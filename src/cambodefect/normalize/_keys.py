"""Clean text and match keys: the surface noise that never changes what a name means.

:func:`clean_text` tidies a string for display and storage (NFC, invisible
characters dropped, every kind of space made one plain space). The keys go further,
for matching only: they start from :func:`cambodefect._text.fold` (NFKC, case,
quotes, dashes) and drop punctuation and possessives; :func:`party_key` also
unifies "Cambodia"/"Cambodian" and "Democracy"/"Democratic" and drops "the" and a
trailing "Party"; :func:`person_key` drops leading honorifics ("Samdech",
"Prime Minister"). Both are applied alike to the dataset's names and to the query.

Khmer script passes through: its letters, signs and digits are kept as they are.
"""

from __future__ import annotations

import re
import unicodedata

from cambodefect._text import fold

__all__ = ["clean_text", "party_key", "person_key", "words"]

# Invisible characters that carry no meaning in a name (zero-width space, word
# joiner, BOM, soft hyphen, Mongolian vowel separator) and control characters.
# ZWJ/ZWNJ stay in clean text (they shape some scripts' rendering) but not in keys.
_INVISIBLE = {
    **dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad\u180e"), None),
    **{i: None for i in [*range(0x20), *range(0x7F, 0xA0)] if not chr(i).isspace()},
}
_SPACE_RE = re.compile(r"\s+")
_POSSESSIVE_RE = re.compile(r"'s\b")
_ASCII_WORD_RE = re.compile(r"[a-z0-9]+")
_DROP = dict.fromkeys(map(ord, "'."), None)

# Party-name tokens that mean the same; every value maps to itself.
PARTY_SYNONYMS: dict[str, str] = {
    "cambodian": "cambodia",
    "democratic": "democracy",
    "peoples": "people",
}
PARTY_NOISE = frozenset({"the"})

# Honorifics and titles printed before a person's name (folded words), longest first.
TITLES: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(title.split())
            for title in (
                "samdech akka moha sena padei techo",
                "samdech techo",
                "samdech",
                "techo",
                "lok chumteav",
                "oknha",
                "his excellency",
                "her excellency",
                "excellency",
                "his majesty",
                "king",
                "prime minister",
                "pm",
                "mr",
                "mrs",
                "ms",
                "miss",
                "dr",
            )
        ),
        key=len,
        reverse=True,
    )
)


def clean_text(raw: str | None) -> str | None:
    """The text in NFC with invisible characters dropped and spaces tidied; ``None`` if blank.

    Non-breaking, thin and other Unicode spaces, tabs and newlines become one plain
    space; leading and trailing space goes. Letters are never changed: case, quotes
    and Khmer script pass through as they are.

    Examples:
        >>> clean_text("  Candlelight\\u00a0Party\\u200b ")
        'Candlelight Party'
        >>> clean_text("\\u200b \\t") is None
        True
        >>> clean_text("គណបក្ស")
        'គណបក្ស'
    """
    if raw is None:
        return None
    text = unicodedata.normalize("NFC", raw.translate(_INVISIBLE))
    return _SPACE_RE.sub(" ", text).strip() or None


def words(text: str) -> list[str]:
    """The folded words of ``text``: letters, marks and digits; everything else separates.

    Invisible and control characters are dropped as :func:`clean_text` drops them;
    possessive "'s" and apostrophes and dots inside words are dropped too
    (``"People's"`` is ``"peoples"``, ``"C.N.R.P."`` is ``"cnrp"``); "&" reads "and".

    Examples:
        >>> words("Hun Sen\\u2019s  C.N.R.P.-era rivals")
        ['hun', 'sen', 'cnrp', 'era', 'rivals']
    """
    folded = fold(text.translate(_INVISIBLE))
    folded = _POSSESSIVE_RE.sub("", folded).translate(_DROP).replace("&", " and ")
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


def party_key(text: str) -> str:
    """The key party names match under: equal keys mean the same spelling of a name.

    Beyond :func:`words`: "Cambodian" reads "Cambodia", "Democratic" reads
    "Democracy", "Peoples" reads "People", "the" and a trailing "Party" go.

    Examples:
        >>> party_key("The Cambodian People\\u2019s Party")
        'cambodia people'
        >>> party_key("Grassroots Democratic Party") == party_key("grassroots democracy")
        True
    """
    tokens = [PARTY_SYNONYMS.get(w, w) for w in words(text)]
    kept = [w for w in tokens if w not in PARTY_NOISE] or tokens
    while len(kept) > 1 and kept[-1] == "party":
        kept.pop()
    return " ".join(kept)


def person_key(text: str) -> str:
    """The key person names match under; leading honorifics and titles go.

    Spelling variants are *not* folded together ("Suong" and "Soung" differ): the
    dataset lists them as aliases, so only curated variants match.

    Examples:
        >>> person_key("Samdech [Hun Sen]")
        'hun sen'
        >>> person_key("Soung Sophorn") == person_key("Suong Sophorn")
        False
    """
    tokens = words(text)
    stripped = True
    while stripped:
        stripped = False
        for title in TITLES:
            n = len(title)
            if len(tokens) > n and tuple(tokens[:n]) == title:
                tokens = tokens[n:]
                stripped = True
                break
    return " ".join(tokens)
