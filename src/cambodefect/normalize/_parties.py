"""Party resolution: any printed name, short name, alias or ID to one party-table entry.

Names match under :func:`~cambodefect.normalize.party_key`, so case, spacing, quote
and dash styles, "Cambodia"/"Cambodian", "Democracy"/"Democratic", "the" and a
trailing "Party" do not matter. Placeholders ("Unnamed Parties") and non-party labels
("Political Analyst") resolve to their own entries, whose ``kind`` says what they
are. A near miss is never a match: it is an error (or an :class:`Unresolved`) whose
suggestions name the nearest known spellings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal, overload

from attrs import frozen

from cambodefect._text import fold, nearest
from cambodefect.enums import PartyKind
from cambodefect.errors import AmbiguousNameError, CambodefectError, UnknownPartyError
from cambodefect.normalize._common import Failure, Unresolved, cached_for
from cambodefect.normalize._keys import clean_text, party_key, words

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset
    from cambodefect.models import Party

__all__ = ["LabelPart", "PartyMatch", "PartyResolver", "resolve_party", "split_label"]

_OPEN, _CLOSE, _SLASH = "(\uff08", ")\uff09", "/\uff0f"
_STRUCTURE = frozenset(_OPEN + _CLOSE + _SLASH)
_STRUCTURE_RE = re.compile(f"[{re.escape(_OPEN + _CLOSE + _SLASH)}]")
_INCLUDING_WORDS = frozenset({"including", "includes", "incl", "inc"})
_INCLUDING_RE = re.compile(r"^\W*(?:including|includes|incl|inc)\b[\s.:,]*", re.IGNORECASE)
# A list printed in prose: "X, Y and Z", "X & Y".
_LIST_RE = re.compile(r"\s*(?:[,;]\s*(?:and\s+)?|\s(?:and|&)\s)\s*", re.IGNORECASE)

_NO_SUCH = "no party has this name"


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
        """Always true (an :class:`Unresolved` is always false): ``if found:`` tells them apart."""
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

    Build it once (``PartyResolver.from_dataset(ds)``) and reuse it; the module-level
    functions keep one per dataset for you.

    Examples:
        >>> import cambodefect as cd
        >>> resolver = PartyResolver.from_dataset(cd.load())
        >>> resolver.resolve("grassroots democratic").id
        'grassroots-democracy-party'
    """

    def __init__(self, parties: Iterable[Party]) -> None:
        self._by_id: dict[str, PartyMatch] = {}
        self._index: dict[str, list[str]] = {}
        self._names: list[str] = []
        for party in parties:
            self._by_id[party.id] = PartyMatch(party.id, PartyKind(party.kind), party.name)
            short = (party.short_name,) if party.short_name else ()
            for spelling in (party.id, party.name, *short, *party.aliases):
                ids = self._index.setdefault(party_key(spelling), [])
                if party.id not in ids:
                    ids.append(party.id)
            for spelling in (party.name, *short, *party.aliases):
                if spelling not in self._names:
                    self._names.append(spelling)

    @classmethod
    def from_dataset(cls, ds: Dataset) -> PartyResolver:
        """A resolver for the parties table of ``ds``."""
        return cls(ds.iter_parties())

    @property
    def index(self) -> dict[str, tuple[str, ...]]:
        """Every match key and the IDs it resolves to (more than one: ambiguous)."""
        return {key: tuple(ids) for key, ids in self._index.items()}

    def get(self, ident: str) -> PartyMatch:
        """The entry with this exact ID (``KeyError`` if there is none)."""
        return self._by_id[ident]

    @overload
    def resolve(self, text: str, *, strict: Literal[True] = ...) -> PartyMatch: ...
    @overload
    def resolve(self, text: str, *, strict: bool) -> PartyMatch | Unresolved: ...
    def resolve(self, text: str, *, strict: bool = True) -> PartyMatch | Unresolved:
        """The entry ``text`` names; see :func:`resolve_party`."""
        found = self.lookup(text)
        if strict and isinstance(found, Unresolved):
            raise party_error(found)
        return found

    def quick(self, text: str) -> PartyMatch | None:
        """The common case, fast: ``text`` is one name, of exactly one entry; else ``None``."""
        if _is_structured(text):
            return None
        ids = self._index.get(party_key(text), ())
        return self._by_id[ids[0]] if len(ids) == 1 else None

    def lookup(self, text: str, *, suggest: bool = True) -> PartyMatch | Unresolved:
        """Lenient resolution; ``suggest=False`` skips ranking suggestions (faster)."""
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
        if not _LIST_RE.search(name) or self._index.get(party_key(name)):
            return None
        items = [item for item in _LIST_RE.split(name) if item]
        found = [self._by_name(item, item, suggest=False) for item in items]
        matches = [m for m in found if isinstance(m, PartyMatch)]
        if len(items) < 2 or len(matches) < len(items):
            return None
        return list({m.id: m for m in matches}.values())

    def _by_name(self, text: str, name: str, suggest: bool) -> PartyMatch | Unresolved:
        ids = self._index.get(party_key(name), ())
        if len(ids) == 1:
            return self._by_id[ids[0]]
        exact = self._by_id.get(fold(name))
        if exact is not None:  # an ID is never ambiguous, even where names are
            return exact
        if ids:
            return Unresolved(
                text=text,
                failure=Failure.AMBIGUOUS,
                reason=f"{len(ids)} entries have this name",
                suggestions=tuple(self._by_id[i].name for i in ids),
                candidates=tuple(sorted(ids)),
            )
        hint = tuple(nearest(name, self._names)) if suggest and words(name) else ()
        return Unresolved(text=text, failure=Failure.UNKNOWN, reason=_NO_SUCH, suggestions=hint)


def party_error(miss: Unresolved) -> CambodefectError:
    """The exception strict mode raises for ``miss`` (a reason it cannot say, as a note)."""
    err: CambodefectError
    if miss.failure is Failure.AMBIGUOUS:
        err = AmbiguousNameError(miss.text, miss.candidates)
    else:
        err = UnknownPartyError(miss.text, miss.suggestions)
    if miss.failure is not Failure.AMBIGUOUS and miss.reason != _NO_SUCH:
        err.add_note(miss.reason)  # what the message cannot say: which part, why
    return err


def party_resolver(ds: Dataset | None = None) -> PartyResolver:
    """The resolver for ``ds`` (default: the newest bundled dataset), built once."""
    return cached_for(ds, PartyResolver.from_dataset)


@overload
def resolve_party(
    text: str, ds: Dataset | None = None, *, strict: Literal[True] = ...
) -> PartyMatch: ...
@overload
def resolve_party(
    text: str, ds: Dataset | None = None, *, strict: bool
) -> PartyMatch | Unresolved: ...
def resolve_party(
    text: str, ds: Dataset | None = None, *, strict: bool = True
) -> PartyMatch | Unresolved:
    """The party-table entry ``text`` names (a name, short name, alias or ID).

    ``ds`` is the dataset to resolve against (default: the newest bundled one).
    A name with a parenthesis that names the same entry ("Cambodia National Rescue
    Party (CNRP)") resolves; a compound label ("X / Y", "X (including ...)") does not:
    :func:`parse_label` splits it.

    Raises (strict mode; lenient mode returns an :class:`Unresolved` instead):
        UnknownPartyError: no entry has this name; ``suggestions`` are the nearest.
        AmbiguousNameError: several entries have this name; ``candidates`` lists them.

    Examples:
        >>> resolve_party("  cambodian peoples PARTY ").id
        'cambodian-peoples-party'
        >>> resolve_party("Political Analyst").kind.value
        'non_party'
        >>> resolve_party("Mother Nature")
        Traceback (most recent call last):
        ...
        cambodefect.errors.AmbiguousNameError: 'Mother Nature' is ambiguous; candidates: ...
        >>> resolve_party("Candlelite", strict=False).suggestions[:1]
        ('Candlelight',)
    """
    return party_resolver(ds).resolve(text, strict=strict)
