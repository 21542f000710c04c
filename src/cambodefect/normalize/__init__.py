"""Normalization and entity resolution: raw strings in, stable IDs and typed values out.

Users' messy text (headlines, a column of party names, a name transliterated by
another outlet) and the curation pipeline go through the same functions, so the
dataset and its users agree.

- Parties: :func:`resolve_party`, :func:`parse_label` (compound tally labels).
- Persons: :func:`resolve_person`, :func:`find_persons` (names in running text).
- Values: :func:`parse_count` to :class:`~cambodefect.values.Count`,
  :func:`parse_date` to :class:`~cambodefect.values.FuzzyDate`.
- Text: :func:`clean_text`, and the match keys :func:`party_key`, :func:`person_key`.
- Columns: :func:`resolve_party_array`, :func:`explain_party_array`,
  :func:`parse_label_array`, :func:`resolve_person_array` (each distinct value once).
- Limits: :data:`MAX_NAME_LENGTH` characters for a name, label, count or date phrase,
  :data:`MAX_TEXT_LENGTH` for running text; longer input is refused at once
  (:class:`~cambodefect.errors.InputTooLongError`, or a ``too_long`` miss).

Every resolver and parser is strict by default: it returns the value or raises a
documented error (:class:`~cambodefect.errors.UnknownPartyError`,
:class:`~cambodefect.errors.UnknownPersonError`,
:class:`~cambodefect.errors.AmbiguousNameError`,
:class:`~cambodefect.errors.CountParseError`,
:class:`~cambodefect.errors.DateParseError`). With ``strict=False`` it returns the
value or an :class:`Unresolved` (falsy, with a :class:`Failure` code, a reason and
suggestions). A fuzzy near miss is only ever a suggestion, never a match. The
``clean_*`` functions return the value or ``None``.

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
