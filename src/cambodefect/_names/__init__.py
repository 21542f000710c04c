"""Names to IDs: the generic name index and the party and person rules built on it.

Layer: below :mod:`cambodefect.dataset` (which builds resolvers for its tables) and
:mod:`cambodefect.validation` (which checks alias collisions with the same keys);
:mod:`cambodefect.normalize` is the public face for users' own strings.

- :mod:`~cambodefect._names.index`: :class:`NameIndex`, :class:`Unresolved`, :class:`Failure`.
- :mod:`~cambodefect._names.parties`: ``party_key``, compound labels, :class:`PartyResolver`.
- :mod:`~cambodefect._names.persons`: ``person_key``, partial names, :class:`PersonResolver`.
- :mod:`~cambodefect._names.labels`: tally labels naming parties and people.
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
