"""The package's one cattrs converter, and friendly wrappers around it.

Never use cattrs' global converter: `converter` is configured here once, with
``forbid_extra_keys`` so a misspelt field in a source file is an error, not a
silently dropped value.

Examples:
    >>> from cambodefect.converter import structure, unstructure
    >>> from cambodefect.values import Count
    >>> c = structure({"qualifier": "more_than", "low": 2001, "text": "more than 2,000"}, Count)
    >>> unstructure(c)["qualifier"]
    'more_than'
    >>> structure(unstructure(c), Count) == c
    True
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from cambodefect import enums
from cambodefect.errors import InvalidRecordError, RuleError, Violation, ViolationCode

__all__ = ["converter", "make_converter", "structure", "unstructure"]

T = TypeVar("T")


def _structure_date(value: Any, _: type) -> date:
    if isinstance(value, datetime):
        raise TypeError(f"expected a date without a time, got {value!r}")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value)
    raise TypeError(f"expected a date or an ISO date string, got {value!r}")


def _enum_value(member: Enum) -> Any:
    return member.value


def make_converter() -> cattrs.Converter:
    """Build a converter configured for cambodefect's models.

    Dates stay `datetime.date` when unstructured (Arrow and TOML both hold
    dates natively) and are structured from dates or ISO strings; enums become
    their string values; unknown keys are rejected.
    """
    conv = cattrs.Converter(forbid_extra_keys=True)
    conv.register_structure_hook(date, _structure_date)
    conv.register_unstructure_hook(date, lambda d: d)
    for enum in enums.ENUMS:
        conv.register_unstructure_hook(enum, _enum_value)
    return conv


converter = make_converter()
"""The module-level converter every part of cambodefect uses."""


def unstructure(obj: Any) -> Any:
    """Turn a model (or a tuple of models) into plain Python data."""
    return converter.unstructure(obj)


def structure(data: Any, cls: type[T], *, record: str | None = None) -> T:
    """Build a ``cls`` from plain data, or raise
    [`InvalidRecordError`][cambodefect.InvalidRecordError] listing every problem.

    ``record`` names the record in error messages (its ID, or a file and position).
    """
    try:
        return converter.structure(data, cls)
    except (ClassValidationError, IterableValidationError, ForbiddenExtraKeysError) as err:
        name = record or (data.get("id") if isinstance(data, dict) else None) or "?"
        raise InvalidRecordError(_violations(err, str(name))) from err
    except (ValueError, TypeError, KeyError) as err:
        name = record or (data.get("id") if isinstance(data, dict) else None) or "?"
        code = err.code if isinstance(err, RuleError) else ViolationCode.INVALID_RECORD
        raise InvalidRecordError([Violation(code, str(name), "", str(err))]) from err


def _violations(err: BaseException, record: str) -> list[Violation]:
    out: list[Violation] = []
    for message in cattrs.transform_error(err, path="", format_exception=_format):
        where, _, what = message.partition(" @ ")
        code, _, where = where.partition(_SEP)
        path = what.removeprefix("$").lstrip(".") if what else ""
        out.append(Violation(code, record, path or "", where))
    return out


_SEP = "\x1f"  # between a violation code and its message, inside cattrs' formatting


def _format(exc: BaseException, type_: type | None) -> str:
    """``<code><_SEP><message>`` for one leaf error (the code of a value rule, if any)."""
    code = exc.code if isinstance(exc, RuleError) else ViolationCode.INVALID_RECORD
    return f"{code.value}{_SEP}{_message(exc, type_)}"


def _message(exc: BaseException, type_: type | None) -> str:
    if isinstance(exc, ForbiddenExtraKeysError):
        return f"unknown field(s): {', '.join(sorted(exc.extra_fields))}"
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, ValueError | TypeError) and str(exc):
        expected = f" (expected {getattr(type_, '__name__', type_)})" if type_ else ""
        return f"{exc}{expected}"
    return cattrs.v.format_exception(exc, type_)
