"""Normalization and entity resolution: raw strings in, stable IDs and typed values out.

Users' messy text (headlines, a column of party names, a name transliterated by
another outlet) and the curation pipeline go through the same functions, so the
dataset and its users agree.

- Parties: [`resolve_party`][cambodefect.normalize.resolve_party],
  [`parse_label`][cambodefect.normalize.parse_label] (compound tally labels).
- Persons: [`resolve_person`][cambodefect.normalize.resolve_person],
  [`find_persons`][cambodefect.normalize.find_persons] (names in running text).
- Values: [`parse_count`][cambodefect.normalize.parse_count] to [`Count`][cambodefect.Count],
  [`parse_date`][cambodefect.normalize.parse_date] to [`FuzzyDate`][cambodefect.FuzzyDate].
- Text: [`clean_text`][cambodefect.normalize.clean_text], and the match keys
  [`party_key`][cambodefect.normalize.party_key], [`person_key`][cambodefect.normalize.person_key].
- Columns: [`resolve_party_array`][cambodefect.normalize.resolve_party_array],
  [`explain_party_array`][cambodefect.normalize.explain_party_array],
  [`parse_label_array`][cambodefect.normalize.parse_label_array],
  [`resolve_person_array`][cambodefect.normalize.resolve_person_array] (each distinct value once).
- Limits: `MAX_NAME_LENGTH` characters for a name, label, count or date phrase,
  `MAX_TEXT_LENGTH` for running text; longer input is refused at once
  ([`InputTooLongError`][cambodefect.InputTooLongError], or a ``too_long`` miss).

Every resolver and parser is strict by default: it returns the value or raises a
documented error ([`UnknownPartyError`][cambodefect.UnknownPartyError],
[`UnknownPersonError`][cambodefect.UnknownPersonError],
[`AmbiguousNameError`][cambodefect.AmbiguousNameError],
[`CountParseError`][cambodefect.CountParseError],
[`DateParseError`][cambodefect.DateParseError]). With ``strict=False`` it returns the
value or an [`Unresolved`][cambodefect.normalize.Unresolved] (falsy, with a
[`Failure`][cambodefect.normalize.Failure] code, a reason and suggestions). A fuzzy near miss is
only ever a suggestion, never a match. The ``clean_*`` functions return the value or ``None``.

Examples:
    >>> from cambodefect import normalize as norm
    >>> norm.resolve_party("Grassroots Democratic Party").id
    'grassroots-democracy-party'
    >>> norm.parse_count("more than 2,000").low
    2001
    >>> norm.resolve_party("Candlelite Party", strict=False).failure.value
    'unknown'
"""

from __future__ import annotations

from cambodefect._names.index import Failure, Unresolved
from cambodefect._names.parties import party_key
from cambodefect._names.persons import person_key
from cambodefect._text import MAX_NAME_LENGTH, MAX_RANK_LENGTH, MAX_TEXT_LENGTH, clean_text
from cambodefect.normalize._arrays import (
    explain_party_array,
    parse_label_array,
    resolve_party_array,
    resolve_person_array,
)
from cambodefect.normalize._counts import clean_count, parse_count
from cambodefect.normalize._dates import clean_date, parse_date
from cambodefect.normalize._labels import LabelParse, parse_label
from cambodefect.normalize._parties import PartyMatch, PartyResolver, resolve_party
from cambodefect.normalize._persons import PersonMatch, PersonResolver, find_persons, resolve_person

__all__ = [
    "MAX_NAME_LENGTH",
    "MAX_RANK_LENGTH",
    "MAX_TEXT_LENGTH",
    "Failure",
    "LabelParse",
    "PartyMatch",
    "PartyResolver",
    "PersonMatch",
    "PersonResolver",
    "Unresolved",
    "clean_count",
    "clean_date",
    "clean_text",
    "explain_party_array",
    "find_persons",
    "parse_count",
    "parse_date",
    "parse_label",
    "parse_label_array",
    "party_key",
    "person_key",
    "resolve_party",
    "resolve_party_array",
    "resolve_person",
    "resolve_person_array",
]
