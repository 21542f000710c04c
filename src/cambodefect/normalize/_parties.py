"""Party resolution: any printed name, short name, alias or ID to one party-table entry.

The rules (the party key, compound labels, exact IDs, redirects, ambiguity,
suggestions) live in `cambodefect._names`; this module is their public face for
users' own strings, resolving against a dataset (the newest bundled one by default).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, overload

from cambodefect._names.index import Unresolved
from cambodefect._names.parties import PartyMatch, PartyResolver
from cambodefect.normalize._common import party_resolver

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = ["PartyMatch", "PartyResolver", "party_resolver", "resolve_party"]


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
    [`parse_label`][cambodefect.normalize.parse_label] splits it.

    Raises (strict mode; lenient mode returns an [`Unresolved`][cambodefect.normalize.Unresolved]
    instead):
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
