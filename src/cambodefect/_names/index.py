"""The generic name index: spelling keys to IDs, for any named table.

One `NameIndex` answers "which record does this spelling name?" for parties,
persons, claimants and events alike. The rules live here once:

1. **An ID is never ambiguous.** Text that folds to a live ID names that record.
2. **Retired IDs follow their redirects** (chains too); a live ID always wins.
3. **Names match under the table's key** (``party_key``, ``person_key``, ...): one ID
   for the key is a match; several are *ambiguous* (the caller gets every candidate).
4. **A near miss is never a match**: it is *unknown*, with fuzzy suggestions.

Table-specific rules (compound party labels, partial person names) wrap the index in
their own modules. `NameIndex.collisions` lists the keys that name several IDs,
with the very keys lookup uses: ``validate()`` reports them.

Examples:
    >>> from cambodefect._text import fold
    >>> index = NameIndex(
    ...     [("funcinpec", ["FUNCINPEC", "Funcinpec Party"]), ("cpp", ["CPP"])],
    ...     key=fold,
    ...     redirects={"fun": "funcinpec"},
    ... )
    >>> index.find("funcinpec party"), index.find("fun"), index.find("CPP")
    ('funcinpec', 'funcinpec', 'cpp')
    >>> index.find("Funcinpek").failure.value
    'unknown'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Literal

from attrs import frozen

from cambodefect._text import MAX_NAME_LENGTH, fold, nearest, words
from cambodefect.errors import InputTooLongError

__all__ = ["Failure", "NameIndex", "Unresolved", "check_length", "too_long"]


class Failure(StrEnum):
    """Why an input did not resolve: a stable, machine-readable code."""

    EMPTY = "empty"
    """Nothing is left once whitespace and invisible characters are removed."""
    UNKNOWN = "unknown"
    """No entity has this name; ``suggestions`` holds the nearest known names."""
    AMBIGUOUS = "ambiguous"
    """Several entities have this name; ``candidates`` lists their IDs."""
    COMPOUND = "compound"
    """A compound label ("X / Y", "X (including ...)"): use ``parse_label``."""
    PARTIAL = "partial"
    """Only part of one person's name; ``partial=True`` accepts it."""
    UNPARSED = "unparsed"
    """A count or date phrase outside the grammar; ``reason`` says where it failed."""
    TOO_LONG = "too_long"
    """Longer than the input limit (``MAX_NAME_LENGTH``); refused before any work."""


@frozen(kw_only=True)
class Unresolved:
    """A lenient-mode miss: the input, why it failed, and what it might have meant.

    Unresolved is always falsy and the match types always truthy, so ``if result:``
    separates hits from misses (and type checkers narrow the union accordingly).

    Attributes:
        text: the input as given.
        failure: the machine-readable reason.
        reason: the reason in words.
        suggestions: nearest known names, best first; suggestions only, never a match.
        candidates: IDs of every entity the input fits (ambiguous or compound input).

    Examples:
        >>> from cambodefect.normalize import resolve_party
        >>> miss = resolve_party("Candlelite Party", strict=False)
        >>> bool(miss), miss.failure.value, miss.suggestions[0]
        (False, 'unknown', 'Candlelight Party')
    """

    text: str
    failure: Failure
    reason: str
    suggestions: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()

    def __bool__(self) -> Literal[False]:
        return False


def too_long(text: str, limit: int = MAX_NAME_LENGTH) -> Unresolved | None:
    """A lenient-mode miss if ``text`` is longer than ``limit`` characters, else ``None``."""
    if len(text) <= limit:
        return None
    return Unresolved(
        text=text,
        failure=Failure.TOO_LONG,
        reason=f"{len(text):,} characters; the limit is {limit:,}",
    )


def check_length(text: str, limit: int = MAX_NAME_LENGTH) -> None:
    """Strict mode's length check: [`InputTooLongError`][cambodefect.InputTooLongError] if over."""
    if len(text) > limit:
        raise InputTooLongError(text, limit)


Entry = tuple[str, Sequence[str]]
"""One record of a named table: its ID and its spellings (name, short name, aliases)."""


class NameIndex:
    """Spelling keys -> IDs for one table, with the exact-ID, redirect and fuzzy rules.

    ``entries`` gives each record's ID and spellings, in table order; the ID is keyed
    too. ``key`` maps a spelling to its match key. ``redirects`` maps retired IDs to the
    IDs that replaced them. ``what`` names the table's records in reasons ("party").
    """

    def __init__(
        self,
        entries: Iterable[Entry],
        *,
        key: Callable[[str], str],
        redirects: Mapping[str, str] | None = None,
        what: str = "record",
    ) -> None:
        self.key = key
        self.what = what
        self._ids: dict[str, None] = {}
        self._keys: dict[str, list[str]] = {}
        self._names: dict[str, None] = {}
        self._first: dict[str, str] = {}
        for ident, spellings in entries:
            self._ids[ident] = None
            self._first.setdefault(ident, spellings[0] if spellings else ident)
            for spelling in (ident, *spellings):
                ids = self._keys.setdefault(key(spelling), [])
                if ident not in ids:
                    ids.append(ident)
            for spelling in spellings:
                self._names[spelling] = None
        self._redirects = dict(redirects or {})

    # -- what the index holds ---------------------------------------------------

    def __contains__(self, ident: object) -> bool:
        return ident in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> tuple[str, ...]:
        """Every live ID, in table order."""
        return tuple(self._ids)

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling, without repeats, in table order (what suggestions rank)."""
        return tuple(self._names)

    def name_of(self, ident: str) -> str:
        """The first spelling (the printed name) of a live ID."""
        return self._first[ident]

    @property
    def index(self) -> dict[str, tuple[str, ...]]:
        """Every match key and the IDs it names (more than one: ambiguous)."""
        return {k: tuple(ids) for k, ids in self._keys.items()}

    def collisions(self) -> dict[str, tuple[str, ...]]:
        """The keys that name more than one ID: what lookup would call ambiguous."""
        return {k: tuple(ids) for k, ids in self._keys.items() if len(ids) > 1}

    # -- the rules ------------------------------------------------------------

    def exact(self, text: str) -> str | None:
        """The live ID ``text`` spells (rule 1), or the one a retired ID redirects to (2)."""
        ident = fold(text)
        if ident in self._ids:
            return ident
        seen = {ident}
        while ident in self._redirects:
            ident = self._redirects[ident]
            if ident in self._ids:
                return ident
            if ident in seen:
                return None
            seen.add(ident)
        return None

    def keyed(self, text: str) -> tuple[str, ...]:
        """The IDs whose spellings share ``text``'s key (rule 3), in table order."""
        return tuple(self._keys.get(self.key(text), ()))

    def by_key(self, key: str) -> tuple[str, ...]:
        """The IDs a ready-made match key names (no keying of the input)."""
        return tuple(self._keys.get(key, ()))

    def suggest(self, text: str, limit: int = 3) -> tuple[str, ...]:
        """The nearest spellings to ``text``, best first (rule 4): suggestions, not matches."""
        return tuple(nearest(text, list(self._names), limit)) if words(text) else ()

    def find(self, text: str, *, suggest: bool = True) -> str | Unresolved:
        """The ID ``text`` names, or an [`Unresolved`][cambodefect.normalize.Unresolved] saying why
        not.

        ``suggest=False`` skips ranking suggestions for unknown names (faster).
        """
        found = self.exact(text)
        if found is not None:
            return found
        ids = self.keyed(text)
        if len(ids) == 1:
            return ids[0]
        if ids:
            return self.ambiguous(text, ids, f"{len(ids)} {self.what} entries have this name")
        hint = self.suggest(text) if suggest else ()
        return Unresolved(text=text, failure=Failure.UNKNOWN, reason=self.no_such, suggestions=hint)

    @property
    def no_such(self) -> str:
        """The reason given for a name no record has."""
        return f"no {self.what} has this name"

    def ambiguous(self, text: str, ids: Iterable[str], reason: str) -> Unresolved:
        """An ambiguous miss listing every candidate (sorted IDs, with their names)."""
        ordered = sorted(ids)
        return Unresolved(
            text=text,
            failure=Failure.AMBIGUOUS,
            reason=reason,
            suggestions=tuple(self._first[i] for i in ordered),
            candidates=tuple(ordered),
        )
