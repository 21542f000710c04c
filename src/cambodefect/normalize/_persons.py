"""Person resolution: a printed name, spelling variant or pseudonym to one person ID.

The rules (the person key, partial names, exact IDs, redirects, ambiguity,
suggestions) live in `cambodefect._names`; this module is their public face for
users' own strings, resolving against a dataset (the newest bundled one by default).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, overload

from cambodefect._names.index import Unresolved
from cambodefect._names.persons import PersonMatch, PersonResolver
from cambodefect.normalize._common import person_resolver

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = ["PersonMatch", "PersonResolver", "find_persons", "person_resolver", "resolve_person"]


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

    Raises (strict mode; lenient mode returns an [`Unresolved`][cambodefect.normalize.Unresolved]
    instead):
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
