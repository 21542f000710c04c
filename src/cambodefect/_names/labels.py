"""Compound labels, as the tally prints them: "X / Y", "X (including <people>)".

A label splits at top-level slashes into parts; each part is one party-table entry,
optionally followed by a parenthesis. An "(including ...)" parenthesis names people,
found by their full names or aliases; any other parenthesis must name the same entry
as the part ("Cambodia National Rescue Party (CNRP)"). Placeholders and non-party
labels stay in the result with their kinds: nothing is dropped.
"""

from __future__ import annotations

from typing import Literal

import attrs
from attrs import frozen

from cambodefect._names.index import Failure, Unresolved, too_long
from cambodefect._names.parties import (
    MalformedLabelError,
    PartyMatch,
    PartyResolver,
    split_label,
)
from cambodefect._names.persons import PersonMatch, PersonResolver
from cambodefect._text import clean_text
from cambodefect.enums import PartyKind

__all__ = ["LabelParse", "label_lookup"]


@frozen(kw_only=True)
class LabelParse:
    """A printed label split into the entries and the people it names.

    Attributes:
        text: the label as given.
        parties: every party-table entry the label names, in printed order: parties,
            placeholders ("Unnamed Parties") and non-party labels alike.
        person_ids: the people its "(including ...)" parentheses name, in printed order.
        including: the text of each "(including ...)" parenthesis, after the word
            "including", as printed (people the dataset does not list stay here only).

    Examples:
        >>> from cambodefect.normalize import parse_label
        >>> parse_label("Candlelight Party / Unnamed Parties").placeholder_ids
        ('unnamed-parties',)
    """

    text: str
    parties: tuple[PartyMatch, ...]
    person_ids: tuple[str, ...] = ()
    including: tuple[str, ...] = ()

    def __bool__(self) -> Literal[True]:
        """Always true (an [`Unresolved`][cambodefect.normalize.Unresolved] is always false): ``if
        found:`` tells them apart."""
        return True

    @property
    def from_party_ids(self) -> tuple[str, ...]:
        """Every entry's ID in printed order, as ``Claim.from_party_ids`` stores them."""
        return tuple(p.id for p in self.parties)

    @property
    def party_ids(self) -> tuple[str, ...]:
        """The IDs of the entries that are political parties."""
        return tuple(p.id for p in self.parties if p.kind is PartyKind.PARTY)

    @property
    def placeholder_ids(self) -> tuple[str, ...]:
        """The IDs of placeholder entries ("Unnamed Parties")."""
        return tuple(p.id for p in self.parties if p.kind is PartyKind.PLACEHOLDER)

    @property
    def non_party_ids(self) -> tuple[str, ...]:
        """The IDs of non-party labels ("Political Analyst")."""
        return tuple(p.id for p in self.parties if p.kind is PartyKind.NON_PARTY)

    @property
    def is_joint(self) -> bool:
        """Whether the label names more than one entry (a joint group: never split silently)."""
        return len(self.parties) > 1


def label_lookup(
    text: str, parties: PartyResolver, persons: PersonResolver, *, suggest: bool = True
) -> LabelParse | Unresolved:
    """Lenient [`parse_label`][cambodefect.normalize.parse_label] against the given resolvers."""
    long = too_long(text)
    if long is not None:
        return long
    single = parties.quick(text)  # the common case: one name
    if single is not None:
        return LabelParse(text=text, parties=(single,))
    cleaned = clean_text(text)
    if cleaned is None:
        return Unresolved(text=text, failure=Failure.EMPTY, reason="nothing to parse")
    try:
        parts = split_label(cleaned)
    except MalformedLabelError as err:
        return Unresolved(text=text, failure=Failure.UNKNOWN, reason=f"malformed label: {err}")
    matches: dict[str, PartyMatch] = {}
    people: dict[str, PersonMatch] = {}
    including: list[str] = []
    for part in parts:
        found = parties.resolve_part(text, part, suggest=False)
        listed = parties.split_list(part.name) if not found and part.inner is None else None
        if listed is not None:
            for match in listed:
                matches.setdefault(match.id, match)
            continue
        if isinstance(found, Unresolved):
            if suggest and found.failure is Failure.UNKNOWN:  # ranking costs most: only now
                hint = parties.resolve_part(text, part, suggest=True)
                found = hint if isinstance(hint, Unresolved) else found
            return attrs.evolve(found, reason=f"part {part.name!r}: {found.reason}")
        matches.setdefault(found.id, found)
        clause = part.including
        if clause is not None:
            including.append(clause)
            for person in persons.find(clause):
                people.setdefault(person.id, person)
    return LabelParse(
        text=text,
        parties=tuple(matches.values()),
        person_ids=tuple(people),
        including=tuple(including),
    )
