"""Compound labels, as the tally prints them: "X / Y", "X (including <people>)".

The rules live in `cambodefect._names.labels`; this is their public face,
resolving against a dataset (the newest bundled one by default).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, overload

from cambodefect._names.index import Unresolved
from cambodefect._names.labels import LabelParse, label_lookup
from cambodefect._names.parties import party_error
from cambodefect.normalize._common import party_resolver, person_resolver

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = ["LabelParse", "parse_label"]


@overload
def parse_label(
    text: str, ds: Dataset | None = None, *, strict: Literal[True] = ...
) -> LabelParse: ...
@overload
def parse_label(
    text: str, ds: Dataset | None = None, *, strict: bool
) -> LabelParse | Unresolved: ...
def parse_label(
    text: str, ds: Dataset | None = None, *, strict: bool = True
) -> LabelParse | Unresolved:
    """Split a printed party label into its entries and the people it names.

    A plain name gives one entry; "X / Y" gives both, in printed order (a joint
    group), as does a list in prose ("X, Y and Z", only if every item resolves);
    "X (including ...)" gives X and the people the parenthesis names, found by full
    name or alias (see [`find_persons`][cambodefect.normalize.find_persons]).

    Raises (strict mode; lenient mode returns an [`Unresolved`][cambodefect.normalize.Unresolved]
    instead):
        UnknownPartyError: a part names no entry (the note says which part).
        AmbiguousNameError: a part names several entries.

    Examples:
        >>> row = parse_label("Cambodia National Rescue Party / Candlelight Party")
        >>> row.from_party_ids, row.is_joint
        (('cambodia-national-rescue-party', 'candlelight-party'), True)
        >>> row = parse_label("Candlelight Party (including Pey Pey Ly, youth CNRP activist)")
        >>> row.from_party_ids, row.person_ids
        (('candlelight-party',), ('thy-sokha',))
        >>> parse_label("Political Analyst").non_party_ids
        ('political-analyst',)
    """
    found = label_lookup(text, party_resolver(ds), person_resolver(ds))
    if strict and isinstance(found, Unresolved):
        raise party_error(found)
    return found
