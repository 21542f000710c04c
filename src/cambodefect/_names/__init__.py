"""Names to IDs: the generic name index and the party and person rules built on it.

Layer: below `cambodefect.dataset` (which builds resolvers for its tables) and
[`cambodefect.validation`][cambodefect.validation] (which checks alias collisions with the same
keys); [`cambodefect.normalize`][cambodefect.normalize] is the public face for users' own strings.

- `index`: `NameIndex`, [`Unresolved`][cambodefect.normalize.Unresolved],
  [`Failure`][cambodefect.normalize.Failure].
- `parties`: ``party_key``, compound labels, [`PartyResolver`][cambodefect.normalize.PartyResolver].
- `persons`: ``person_key``, partial names,
  [`PersonResolver`][cambodefect.normalize.PersonResolver].
- `labels`: tally labels naming parties and people.
"""

from __future__ import annotations

from cambodefect._names.index import Failure, NameIndex, Unresolved
from cambodefect._names.parties import PartyMatch, PartyResolver, party_key
from cambodefect._names.persons import PersonMatch, PersonResolver, person_key

__all__ = [
    "Failure",
    "NameIndex",
    "PartyMatch",
    "PartyResolver",
    "PersonMatch",
    "PersonResolver",
    "Unresolved",
    "party_key",
    "person_key",
]
