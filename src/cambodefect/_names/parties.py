"""Party names: the party key, compound labels, and the party resolver.

Names match under [`party_key`][cambodefect.normalize.party_key], so case, spacing, quote and dash
styles, "Cambodia"/"Cambodian", "Democracy"/"Democratic", "the" and a trailing "Party" do not
matter. The generic rules (exact IDs, redirects, ambiguity, suggestions) are `NameIndex`'s; this
module adds what only party labels have: "X / Y" joint labels, "X (including ...)" parentheses and
prose lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Literal, overload

from attrs import frozen

from cambodefect._names.index import Failure, NameIndex, Unresolved, too_long
from cambodefect._text import MAX_NAME_LENGTH, clean_text, words
from cambodefect.enums import PartyKind
from cambodefect.errors import (
    AmbiguousNameError,
    CambodefectError,
    InputTooLongError,
    UnknownPartyError,
)

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset
    from cambodefect.models import Party

__all__ = [
    "LabelPart",
    "MalformedLabelError",
    "PartyMatch",
    "PartyResolver",
    "party_error",
    "party_key",
    "split_label",
]

# Party-name tokens that mean the same; every value maps to itself.
PARTY_SYNONYMS: dict[str, str] = {
    "cambodian": "cambodia",
    "democratic": "democracy",
    "peoples": "people",
}
PARTY_NOISE = frozenset({"the"})


def party_key(text: str) -> str:
    """The key party names match under: equal keys mean the same spelling of a name.

    Beyond `words`: "Cambodian" reads "Cambodia", "Democratic"
    reads "Democracy", "Peoples" reads "People", "the" and a trailing "Party" go.

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


def party_spellings(name: str, short_name: str | None, aliases: Iterable[str]) -> list[str]:
    """A party's spellings in index order: name, short name, aliases, without repeats."""
    short = [short_name] if short_name else []
    return list(dict.fromkeys([name, *short, *aliases]))


_OPEN, _CLOSE, _SLASH = "(\uff08", ")\uff09", "/\uff0f"
_STRUCTURE = frozenset(_OPEN + _CLOSE + _SLASH)
_STRUCTURE_RE = re.compile(f"[{re.escape(_OPEN + _CLOSE + _SLASH)}]")
_INCLUDING_WORDS = frozenset({"including", "includes", "incl", "inc"})
_INCLUDING_RE = re.compile(r"^\W*(?:including|includes|incl|inc)\b[\s.:,]*", re.IGNORECASE)
# A list printed in prose: "X, Y and Z", "X & Y".
_LIST_RE = re.compile(r"\s*(?:[,;]\s*(?:and\s+)?|\s(?:and|&)\s)\s*", re.IGNORECASE)


@frozen
class PartyMatch:
    """The party-table entry a name resolved to.

    Attributes:
        id: the entry's stable ID.
        kind: what it is: a party, a placeholder ("Unnamed Parties"), a non-party
            label ("Political Analyst"), an outlet, an NGO, a state body, ...
        name: its name as most often printed.

    Examples:
        >>> from cambodefect.normalize import resolve_party
        >>> resolve_party("Unnamed Parties").kind.value
        'placeholder'
        >>> resolve_party("CNRP").is_party
        True
    """

    id: str
    kind: PartyKind
    name: str

    def __bool__(self) -> Literal[True]:
        """Always true (an [`Unresolved`][cambodefect.normalize.Unresolved] is always false): ``if
        found:`` tells them apart."""
        return True

    @property
    def is_party(self) -> bool:
        """Whether the entry is a political party (the only kind ever counted as one)."""
        return self.kind is PartyKind.PARTY


@frozen
class LabelPart:
    """One part of a label: a name, and the text of its parenthesis, if any.

    Attributes:
        name: the name before any parenthesis.
        inner: the text inside the parenthesis, if there is one.
        including: for an "(including ...)" parenthesis, its text after that word.
    """

    name: str
    inner: str | None = None
    including: str | None = None


def _including(inner: str | None) -> str | None:
    if inner is None:
        return None
    first = words(inner)[:1]
    if not first or first[0] not in _INCLUDING_WORDS:
        return None
    return _INCLUDING_RE.sub("", inner, count=1).strip()


class MalformedLabelError(ValueError):
    """A label's parentheses or slashes do not parse (internal: becomes Unresolved)."""


def split_label(text: str) -> list[LabelPart]:
    """Split a printed label at top-level slashes, each part into a name and its parenthesis.

    Raises:
        MalformedLabelError: unbalanced or nested parentheses, text after a closing
            parenthesis, or an empty part.

    Examples:
        >>> [part.name for part in split_label("Candlelight Party / Unnamed Parties")]
        ['Candlelight Party', 'Unnamed Parties']
        >>> split_label("Funcinpec (including Mr X)")[0].including
        'Mr X'
    """
    pieces: list[str] = []
    depth, start = 0, 0
    for found in _STRUCTURE_RE.finditer(text):
        char, i = found[0], found.start()
        if char in _OPEN:
            depth += 1
            if depth > 1:
                raise MalformedLabelError("nested parentheses")
        elif char in _CLOSE:
            depth -= 1
            if depth < 0:
                raise MalformedLabelError("a ')' without its '('")
        elif depth == 0:
            pieces.append(text[start:i])
            start = i + 1
    if depth:
        raise MalformedLabelError("a '(' without its ')'")
    pieces.append(text[start:])
    parts = []
    for piece in pieces:
        bracket = _STRUCTURE_RE.search(piece)
        if bracket is None:
            name, inner = piece.strip(), None
        else:
            closing = _STRUCTURE_RE.search(piece, bracket.end())
            end = closing.start() if closing else len(piece)
            if piece[end + 1 :].strip():
                raise MalformedLabelError(f"text after a parenthesis: {piece.strip()!r}")
            name, inner = piece[: bracket.start()].strip(), piece[bracket.end() : end].strip()
        if not words(name):
            raise MalformedLabelError(f"a part with no name: {piece.strip()!r}")
        parts.append(LabelPart(name, inner, _including(inner)))
    return parts


def _is_structured(text: str) -> bool:
    return not _STRUCTURE.isdisjoint(text)


class PartyResolver:
    """Resolves names against one set of party-table entries (one dataset version).

    Build it once and reuse it: ``ds.party()`` and the functions of
    [`cambodefect.normalize`][cambodefect.normalize] keep one per dataset for you.

    Examples:
        >>> import cambodefect as cd
        >>> resolver = PartyResolver.from_dataset(cd.load())
        >>> resolver.resolve("grassroots democratic").id
        'grassroots-democracy-party'
    """

    def __init__(
        self,
        parties: Iterable[Party],
        *,
        redirects: Mapping[str, str] | None = None,
        person_names: Mapping[str, str] | None = None,
    ) -> None:
        self._by_id: dict[str, PartyMatch] = {}
        self._spelled: dict[str, set[tuple[str, ...]]] = {}
        entries = []
        for party in parties:
            self._by_id[party.id] = PartyMatch(party.id, PartyKind(party.kind), party.name)
            spellings = party_spellings(party.name, party.short_name, party.aliases)
            entries.append((party.id, spellings))
            self._spelled[party.id] = {tuple(words(s)) for s in spellings}
        self.names = NameIndex(entries, key=party_key, redirects=redirects, what="party")
        self._person_names = dict(person_names or {})

    @classmethod
    def from_dataset(cls, ds: Dataset) -> PartyResolver:
        """A resolver for the parties table of ``ds`` (following its redirects).

        It knows the persons' names too, so that a person's name is never taken for
        the party named after them ("Sam Rainsy" is not the Sam Rainsy Party).
        """
        people = {
            " ".join(words(name)): person.id
            for person in ds.iter_persons()
            for name in (person.name, *person.aliases)
        }
        return cls(
            ds.iter_parties(),
            redirects=ds.manifest.redirects.get("parties", {}),
            person_names=people,
        )

    def _a_person(self, text: str, found: PartyMatch) -> Unresolved | None:
        """An [`Unresolved`][cambodefect.normalize.Unresolved] if ``text`` matched ``found`` only by
        leaving out the word "party" and is, as written, a person's name; else ``None``."""
        said = tuple(words(text))
        person = self._person_names.get(" ".join(said))
        if person is None or "party" in said or said in self._spelled.get(found.id, ()):
            return None
        return Unresolved(
            text=text,
            failure=Failure.UNKNOWN,
            reason=f"names a person ({person}), not the party {found.name}",
            suggestions=(found.name,),
        )

    @property
    def index(self) -> dict[str, tuple[str, ...]]:
        """Every match key and the IDs it resolves to (more than one: ambiguous)."""
        return self.names.index

    def get(self, ident: str) -> PartyMatch:
        """The entry with this exact ID (``KeyError`` if there is none)."""
        return self._by_id[ident]

    @overload
    def resolve(self, text: str, *, strict: Literal[True] = ...) -> PartyMatch: ...
    @overload
    def resolve(self, text: str, *, strict: bool) -> PartyMatch | Unresolved: ...
    def resolve(self, text: str, *, strict: bool = True) -> PartyMatch | Unresolved:
        """The entry ``text`` names; see
        [`cambodefect.normalize.resolve_party`][cambodefect.normalize.resolve_party]."""
        found = self.lookup(text)
        if strict and isinstance(found, Unresolved):
            raise party_error(found)
        return found

    def quick(self, text: str) -> PartyMatch | None:
        """The common case, fast: ``text`` is one name, of exactly one entry; else ``None``."""
        if _is_structured(text):
            return None
        ids = self.names.keyed(text)
        return self._by_id[ids[0]] if len(ids) == 1 else None

    def lookup(self, text: str, *, suggest: bool = True) -> PartyMatch | Unresolved:
        """Lenient resolution; ``suggest=False`` skips ranking suggestions (faster).

        Text longer than ``MAX_NAME_LENGTH`` is a ``too_long`` miss, at once.
        """
        long = too_long(text)
        if long is not None:
            return long
        found = self._lookup(text, suggest=suggest)
        if isinstance(found, PartyMatch) and self._person_names:
            person = self._a_person(text, found)
            if person is not None:  # (an Unresolved is falsy: no `or` here)
                return person
        return found

    def _lookup(self, text: str, *, suggest: bool) -> PartyMatch | Unresolved:
        exact = self.names.exact(text)
        if exact is not None:
            return self._by_id[exact]
        quick = self.quick(text)
        if quick is not None:
            return quick
        cleaned = clean_text(text)
        if cleaned is None:
            return Unresolved(text=text, failure=Failure.EMPTY, reason="nothing to resolve")
        if not _is_structured(cleaned):
            found = self._by_name(text, cleaned, suggest=False)
            if not isinstance(found, Unresolved) or found.failure is not Failure.UNKNOWN:
                return found
            listed = self.split_list(cleaned)
            if listed is None:
                return self._by_name(text, cleaned, suggest) if suggest else found
            return Unresolved(
                text=text,
                failure=Failure.COMPOUND,
                reason=f"a list of {len(listed)} names; parse_label splits it",
                suggestions=tuple(m.name for m in listed),
                candidates=tuple(m.id for m in listed),
            )
        try:
            parts = split_label(cleaned)
        except MalformedLabelError as err:
            return Unresolved(text=text, failure=Failure.UNKNOWN, reason=f"malformed label: {err}")
        if len(parts) == 1 and parts[0].including is None:
            return self.resolve_part(text, parts[0], suggest=suggest)
        hits = [self._by_name(p.name, p.name, suggest=False) for p in parts]
        matched = [hit for hit in hits if isinstance(hit, PartyMatch)]
        return Unresolved(
            text=text,
            failure=Failure.COMPOUND,
            reason=f"a compound label of {len(parts)} part(s); parse_label splits it",
            suggestions=tuple(dict.fromkeys(m.name for m in matched)),
            candidates=tuple(dict.fromkeys(m.id for m in matched)),
        )

    def resolve_part(
        self, text: str, part: LabelPart, *, suggest: bool = True
    ) -> PartyMatch | Unresolved:
        """One label part: its name, and a parenthesis that must name the same entry."""
        found = self._by_name(text, part.name, suggest)
        if part.inner is None or part.including is not None or not found:
            return found
        again = self._by_name(part.inner, part.inner, suggest=False)
        if again and again.id == found.id:
            return found
        return Unresolved(
            text=text,
            failure=Failure.UNKNOWN,
            reason=f"the parenthesis ({part.inner}) does not name {found.name}",
            suggestions=(found.name,),
        )

    def split_list(self, name: str) -> list[PartyMatch] | None:
        """The entries a prose list names ("X, Y and Z"), if it is one and each item resolves.

        A name that resolves as a whole is never split; any item that does not resolve
        exactly means it is not a list.
        """
        if not _LIST_RE.search(name) or self.names.keyed(name):
            return None
        items = [item for item in _LIST_RE.split(name) if item]
        found = [self._by_name(item, item, suggest=False) for item in items]
        matches = [m for m in found if isinstance(m, PartyMatch)]
        if len(items) < 2 or len(matches) < len(items):
            return None
        return list({m.id: m for m in matches}.values())

    def _by_name(self, text: str, name: str, suggest: bool) -> PartyMatch | Unresolved:
        found = self.names.find(name, suggest=suggest)
        if isinstance(found, Unresolved):
            if found.text != text:
                return Unresolved(
                    text=text,
                    failure=found.failure,
                    reason=found.reason,
                    suggestions=found.suggestions,
                    candidates=found.candidates,
                )
            return found
        return self._by_id[found]


def party_error(miss: Unresolved) -> CambodefectError:
    """The exception strict mode raises for ``miss`` (a reason it cannot say, as a note)."""
    err: CambodefectError
    if miss.failure is Failure.TOO_LONG:
        return InputTooLongError(miss.text, MAX_NAME_LENGTH)
    if miss.failure is Failure.AMBIGUOUS:
        err = AmbiguousNameError(miss.text, miss.candidates)
    else:
        err = UnknownPartyError(miss.text, miss.suggestions)
    if miss.failure is not Failure.AMBIGUOUS and miss.reason != "no party has this name":
        err.add_note(miss.reason)  # what the message cannot say: which part, why
    return err
