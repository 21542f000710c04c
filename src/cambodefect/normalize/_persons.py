"""Person resolution: a printed name, spelling variant or pseudonym to one person ID.

Names match under :func:`~cambodefect.normalize.person_key` (case, spacing, quotes,
possessives and leading honorifics such as "Samdech" do not matter). Spelling
variants match only where the dataset lists them as aliases: two people with similar
names, or sharing a family name, never merge. Part of a name ("Bunthorn", "Hun")
that fits several people is ambiguous; one that fits a single person resolves only
with ``partial=True``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal, overload

from attrs import frozen

from cambodefect._text import fold, nearest
from cambodefect.errors import AmbiguousNameError, CambodefectError, UnknownPersonError
from cambodefect.normalize._common import Failure, Unresolved, cached_for
from cambodefect.normalize._keys import clean_text, person_key, words

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset
    from cambodefect.models import Person

__all__ = ["PersonMatch", "PersonResolver", "find_persons", "resolve_person"]

_NO_SUCH = "no person has this name"


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
        """Always true (an :class:`Unresolved` is always false): ``if found:`` tells them apart."""
        return True


class PersonResolver:
    """Resolves names against one set of persons (one dataset version).

    Examples:
        >>> import cambodefect as cd
        >>> resolver = PersonResolver.from_dataset(cd.load())
        >>> resolver.resolve("Kimsour Phearith").id
        'kimsour-phirith'
    """

    def __init__(self, persons: Iterable[Person]) -> None:
        self._by_id: dict[str, PersonMatch] = {}
        self._index: dict[str, list[str]] = {}
        self._parts: dict[str, list[str]] = {}
        self._names: list[str] = []
        for person in persons:
            self._by_id[person.id] = PersonMatch(person.id, person.name)
            for spelling in (person.id, person.name, *person.aliases):
                _add(self._index, person_key(spelling), person.id)
            for spelling in (person.name, *person.aliases):
                if spelling not in self._names:
                    self._names.append(spelling)
                tokens = person_key(spelling).split()
                if len(tokens) > 1:
                    for part in {tokens[0], tokens[-1], " ".join(tokens[1:])}:
                        _add(self._parts, part, person.id)
        self._longest = max((len(key.split()) for key in self._index), default=0)
        self._first_words = frozenset(key.split()[0] for key in self._index if key)

    @classmethod
    def from_dataset(cls, ds: Dataset) -> PersonResolver:
        """A resolver for the persons table of ``ds``."""
        return cls(ds.iter_persons())

    @property
    def index(self) -> dict[str, tuple[str, ...]]:
        """Every full-name match key and the IDs it resolves to."""
        return {key: tuple(ids) for key, ids in self._index.items()}

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
        """The person ``text`` names; see :func:`resolve_person`."""
        found = self.lookup(text, partial=partial)
        if strict and isinstance(found, Unresolved):
            raise person_error(found)
        return found

    def lookup(
        self, text: str, *, partial: bool = False, suggest: bool = True
    ) -> PersonMatch | Unresolved:
        """Lenient resolution; ``suggest=False`` skips ranking suggestions (faster)."""
        cleaned = clean_text(text)
        if cleaned is None:
            return Unresolved(text=text, failure=Failure.EMPTY, reason="nothing to resolve")
        key = person_key(cleaned)
        ids = self._index.get(key, ())
        if len(ids) == 1:
            return self._by_id[ids[0]]
        exact = self._by_id.get(fold(cleaned))
        if exact is not None:  # an ID is never ambiguous, even where names are
            return exact
        if ids:
            return self._ambiguous(text, ids, f"{len(ids)} people have this name")
        ids = self._parts.get(key, ())
        if len(ids) > 1:
            return self._ambiguous(text, ids, f"part of the names of {len(ids)} people")
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
        hint = tuple(nearest(cleaned, self._names)) if suggest and words(cleaned) else ()
        return Unresolved(text=text, failure=Failure.UNKNOWN, reason=_NO_SUCH, suggestions=hint)

    def _ambiguous(self, text: str, ids: Iterable[str], reason: str) -> Unresolved:
        ordered = sorted(ids)
        return Unresolved(
            text=text,
            failure=Failure.AMBIGUOUS,
            reason=reason,
            suggestions=tuple(self._by_id[i].name for i in ordered),
            candidates=tuple(ordered),
        )

    def find(self, text: str) -> tuple[PersonMatch, ...]:
        """Every person whose full name or alias appears in ``text``; see :func:`find_persons`."""
        tokens = words(text)
        found: dict[str, PersonMatch] = {}
        i = 0
        while i < len(tokens):
            if tokens[i] not in self._first_words:
                i += 1
                continue
            for n in range(min(self._longest, len(tokens) - i), 0, -1):
                ids = self._index.get(" ".join(tokens[i : i + n]), ())
                if len(ids) == 1:
                    found.setdefault(ids[0], self._by_id[ids[0]])
                    i += n
                    break
            else:
                i += 1
        return tuple(found.values())


def _add(index: dict[str, list[str]], key: str, ident: str) -> None:
    ids = index.setdefault(key, [])
    if ident not in ids:
        ids.append(ident)


def person_error(miss: Unresolved) -> CambodefectError:
    """The exception strict mode raises for ``miss`` (a reason it cannot say, as a note)."""
    err: CambodefectError
    if miss.failure is Failure.AMBIGUOUS:
        err = AmbiguousNameError(miss.text, miss.candidates)
    else:
        err = UnknownPersonError(miss.text, miss.suggestions)
    if miss.failure is not Failure.AMBIGUOUS and miss.reason != _NO_SUCH:
        err.add_note(miss.reason)  # what the message cannot say: which part, why
    return err


def person_resolver(ds: Dataset | None = None) -> PersonResolver:
    """The resolver for ``ds`` (default: the newest bundled dataset), built once."""
    return cached_for(ds, PersonResolver.from_dataset)


@overload
def resolve_person(
    text: str, ds: Dataset | None = None, *, strict: Literal[True] = ..., partial: bool = ...
) -> PersonMatch: ...
@overload
def resolve_person(
    text: str, ds: Dataset | None = None, *, strict: bool, partial: bool = ...
) -> PersonMatch | Unresolved: ...
def resolve_person(
    text: str, ds: Dataset | None = None, *, strict: bool = True, partial: bool = False
) -> PersonMatch | Unresolved:
    """The person ``text`` names: a full name, a listed spelling variant, a pseudonym, an ID.

    Leading honorifics ("Samdech", "Prime Minister", "King") are ignored. Part of a
    name (a family or given name alone) resolves only with ``partial=True`` and only
    if it fits one person; if it fits several it is ambiguous either way.

    Raises (strict mode; lenient mode returns an :class:`Unresolved` instead):
        UnknownPersonError: no person has this name (or, without ``partial``, it is
            part of one person's name); ``suggestions`` are the nearest.
        AmbiguousNameError: the name fits several people; ``candidates`` lists them.

    Examples:
        >>> resolve_person("Prime Minister Hun Sen").id
        'hun-sen'
        >>> resolve_person("Soung Sophorn").id
        'suong-sophorn'
        >>> from cambodefect.errors import AmbiguousNameError
        >>> try:
        ...     resolve_person("Bunthorn")
        ... except AmbiguousNameError as err:
        ...     print(err.candidates)
        ('thoeun-bunthorn', 'tum-bunthorn')
        >>> resolve_person("Mas", partial=True).id
        'kong-mas'
    """
    return person_resolver(ds).resolve(text, strict=strict, partial=partial)


def find_persons(text: str, ds: Dataset | None = None) -> tuple[PersonMatch, ...]:
    """Every known person whose full name, alias or pseudonym appears in running ``text``.

    In order of first appearance, each once. Only whole names are found: a
    given name alone ("Bunthorn said") is not, nor is anyone the dataset does not list.

    Examples:
        >>> [m.id for m in find_persons("including Ratanakiri party official Thoeun Bunthorn")]
        ['thoeun-bunthorn']
        >>> [m.id for m in find_persons("Hun Sen\\u2019s talks with Hun Vannak")]
        ['hun-sen', 'hun-vannak']
    """
    return person_resolver(ds).find(text)
