"""Person names: the person key, partial names, and the person resolver.

Names match under [`person_key`][cambodefect.normalize.person_key] (case, spacing, quotes,
possessives and leading honorifics such as "Samdech" do not matter). Spelling variants match only
where the dataset lists them as aliases: two people with similar names, or sharing a family name,
never merge. The generic rules are `NameIndex`'s; this module adds what only person names have: part
of a name ("Bunthorn", "Hun") and finding names in running text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Literal, overload

from attrs import frozen

from cambodefect._names.index import Failure, NameIndex, Unresolved, check_length, too_long
from cambodefect._text import MAX_NAME_LENGTH, MAX_TEXT_LENGTH, clean_text, words
from cambodefect.errors import (
    AmbiguousNameError,
    CambodefectError,
    InputTooLongError,
    UnknownPersonError,
)

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset
    from cambodefect.models import Person

__all__ = ["TITLES", "PersonMatch", "PersonResolver", "person_error", "person_key"]

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


_TITLES_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _title in TITLES:  # longest first, as in TITLES
    _TITLES_BY_FIRST.setdefault(_title[0], []).append(_title)


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
    start = 0  # one pass over the tokens, trying only the titles that start with each
    while start < len(tokens):
        for title in _TITLES_BY_FIRST.get(tokens[start], ()):
            end = start + len(title)
            if len(tokens) > end and tuple(tokens[start:end]) == title:
                start = end
                break
        else:
            break
    return " ".join(tokens[start:])


@frozen
class PersonMatch:
    """The person a name resolved to.

    Attributes:
        id: the person's stable ID.
        name: their name as most often printed.

    Examples:
        >>> from cambodefect.normalize import resolve_person
        >>> resolve_person("Pey Pey Ly")
        PersonMatch(id='thy-sokha', name='Thy Sokha')
    """

    id: str
    name: str

    def __bool__(self) -> Literal[True]:
        """Always true (an [`Unresolved`][cambodefect.normalize.Unresolved] is always false): ``if
        found:`` tells them apart."""
        return True


class PersonResolver:
    """Resolves names against one set of persons (one dataset version).

    Examples:
        >>> import cambodefect as cd
        >>> resolver = PersonResolver.from_dataset(cd.load())
        >>> resolver.resolve("Kimsour Phearith").id
        'kimsour-phirith'
    """

    def __init__(
        self, persons: Iterable[Person], *, redirects: Mapping[str, str] | None = None
    ) -> None:
        self._by_id: dict[str, PersonMatch] = {}
        self._parts: dict[str, list[str]] = {}
        entries = []
        for person in persons:
            self._by_id[person.id] = PersonMatch(person.id, person.name)
            spellings = list(dict.fromkeys((person.name, *person.aliases)))
            entries.append((person.id, spellings))
            for spelling in spellings:
                tokens = person_key(spelling).split()
                if len(tokens) > 1:
                    for part in {tokens[0], tokens[-1], " ".join(tokens[1:])}:
                        ids = self._parts.setdefault(part, [])
                        if person.id not in ids:
                            ids.append(person.id)
        self.names = NameIndex(entries, key=person_key, redirects=redirects, what="person")
        full = self.names.index
        self._longest = max((len(key.split()) for key in full), default=0)
        self._first_words = frozenset(key.split()[0] for key in full if key)

    @classmethod
    def from_dataset(cls, ds: Dataset) -> PersonResolver:
        """A resolver for the persons table of ``ds`` (following its redirects)."""
        return cls(ds.iter_persons(), redirects=ds.manifest.redirects.get("persons", {}))

    @property
    def index(self) -> dict[str, tuple[str, ...]]:
        """Every full-name match key and the IDs it resolves to."""
        return self.names.index

    def get(self, ident: str) -> PersonMatch:
        """The person with this exact ID (``KeyError`` if there is none)."""
        return self._by_id[ident]

    @overload
    def resolve(
        self, text: str, *, strict: Literal[True] = ..., partial: bool = ...
    ) -> PersonMatch: ...
    @overload
    def resolve(
        self, text: str, *, strict: bool, partial: bool = ...
    ) -> PersonMatch | Unresolved: ...
    def resolve(
        self, text: str, *, strict: bool = True, partial: bool = False
    ) -> PersonMatch | Unresolved:
        """The person ``text`` names; see
        [`cambodefect.normalize.resolve_person`][cambodefect.normalize.resolve_person]."""
        found = self.lookup(text, partial=partial)
        if strict and isinstance(found, Unresolved):
            raise person_error(found)
        return found

    def lookup(
        self, text: str, *, partial: bool = False, suggest: bool = True
    ) -> PersonMatch | Unresolved:
        """Lenient resolution; ``suggest=False`` skips ranking suggestions (faster).

        Text longer than ``MAX_NAME_LENGTH`` is a ``too_long`` miss, at once.
        """
        long = too_long(text)
        if long is not None:
            return long
        cleaned = clean_text(text)
        if cleaned is None:
            return Unresolved(text=text, failure=Failure.EMPTY, reason="nothing to resolve")
        found = self.names.find(cleaned, suggest=False)
        if isinstance(found, str):
            return self._by_id[found]
        if found.failure is Failure.AMBIGUOUS:
            return self.names.ambiguous(text, found.candidates, found.reason)
        ids = self._parts.get(person_key(cleaned), ())
        if len(ids) > 1:
            return self.names.ambiguous(text, ids, f"part of the names of {len(ids)} people")
        if ids:
            match = self._by_id[ids[0]]
            if partial:
                return match
            return Unresolved(
                text=text,
                failure=Failure.PARTIAL,
                reason=f"only part of the name {match.name}; partial=True accepts it",
                suggestions=(match.name,),
                candidates=(match.id,),
            )
        hint = self.names.suggest(cleaned) if suggest else ()
        return Unresolved(
            text=text, failure=Failure.UNKNOWN, reason=self.names.no_such, suggestions=hint
        )

    def find(self, text: str) -> tuple[PersonMatch, ...]:
        """Every person whose full name or alias appears in ``text``, first appearance first.

        Raises:
            InputTooLongError: ``text`` is longer than ``MAX_TEXT_LENGTH``.
        """
        check_length(text, MAX_TEXT_LENGTH)
        tokens = words(text)
        found: dict[str, PersonMatch] = {}
        i = 0
        while i < len(tokens):
            if tokens[i] not in self._first_words:
                i += 1
                continue
            for n in range(min(self._longest, len(tokens) - i), 0, -1):
                ids = self.names.by_key(" ".join(tokens[i : i + n]))
                if len(ids) == 1:
                    found.setdefault(ids[0], self._by_id[ids[0]])
                    i += n
                    break
            else:
                i += 1
        return tuple(found.values())


def person_error(miss: Unresolved) -> CambodefectError:
    """The exception strict mode raises for ``miss`` (a reason it cannot say, as a note)."""
    err: CambodefectError
    if miss.failure is Failure.TOO_LONG:
        return InputTooLongError(miss.text, MAX_NAME_LENGTH)
    if miss.failure is Failure.AMBIGUOUS:
        err = AmbiguousNameError(miss.text, miss.candidates)
    else:
        err = UnknownPersonError(miss.text, miss.suggestions)
    if miss.failure is not Failure.AMBIGUOUS and miss.reason != "no person has this name":
        err.add_note(miss.reason)  # what the message cannot say: which part, why
    return err
