"""attrs validators shared by the models: rules the types cannot say."""

from __future__ import annotations

import re
from collections.abc import Sized
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # annotations only: loading a dataset imports this module, not attrs
    import attrs

T = TypeVar("T")

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def slug(_: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a lower-case ASCII slug such as ``candlelight-party``."""
    if not isinstance(value, str) or not SLUG_RE.fullmatch(value):
        raise ValueError(
            f"{attribute.name} must be a slug (lower-case a-z, 0-9 and single hyphens), "
            f"got {value!r}"
        )


def optional_slug(inst: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """Like `slug`, but ``None`` is allowed."""
    if value is not None:
        slug(inst, attribute, value)


def slugs(inst: Any, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    """Require every member of a tuple to be a slug, with no repeats."""
    for item in value:
        slug(inst, attribute, item)
    if len(set(value)) != len(value):
        raise ValueError(f"{attribute.name} repeats an ID: {value!r}")


def non_empty(_: Any, attribute: attrs.Attribute[Any], value: Sized) -> None:
    """Require a non-empty string or collection."""
    if len(value) == 0:
        raise ValueError(f"{attribute.name} must not be empty")


def text(_: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    """Require a non-blank string without leading or trailing whitespace."""
    if not value.strip():
        raise ValueError(f"{attribute.name} must not be blank, got {value!r}")
    if value != value.strip():
        raise ValueError(f"{attribute.name} has leading or trailing whitespace: {value!r}")


def optional_text(inst: Any, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """Like `text`, but ``None`` is allowed."""
    if value is not None:
        text(inst, attribute, value)


def texts(inst: Any, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    """Require every member of a tuple of strings to pass `text`, with no repeats."""
    for item in value:
        text(inst, attribute, item)
    if len(set(value)) != len(value):
        raise ValueError(f"{attribute.name} repeats a value: {value!r}")


INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1


def positive(_: Any, attribute: attrs.Attribute[Any], value: int) -> None:
    """Require an integer from 1 to 2**31 - 1 (line numbers are 1-based, stored as int32)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= INT32_MAX:
        raise ValueError(
            f"{attribute.name} must be an integer from 1 to {INT32_MAX}, got {value!r}"
        )


def doc(text: str) -> dict[str, str]:
    """Field metadata carrying the field's description (read by `documented`,
    the exports' field descriptions and the docs)."""
    return {"doc": text}


def field_doc(field: attrs.Attribute[Any]) -> str:
    """A field's description, from its metadata (empty if it has none)."""
    return str(field.metadata.get("doc", ""))


def documented(cls: type[T]) -> type[T]:
    """Add an ``Attributes:`` section, built from the fields' ``doc`` metadata, to a
    class docstring (before its ``Examples:`` section): one home for each description."""
    import textwrap

    import attrs

    lines = ["Attributes:"]
    for field in attrs.fields(cls):  # type: ignore[arg-type]  # an attrs class
        text = field_doc(field)
        if not text:
            raise TypeError(f"{cls.__name__}.{field.name} has no doc metadata")
        wrapped = textwrap.wrap(f"{field.name}: {text}", 84, subsequent_indent="    ")
        lines += [f"    {w}" for w in wrapped]
    section = "\n".join(f"    {line}" for line in lines)
    head = (cls.__doc__ or "").rstrip()
    marker = "\n    Examples:"
    if marker in head:
        before, after = head.split(marker, 1)
        cls.__doc__ = f"{before.rstrip()}\n\n{section}\n{marker}{after}\n    "
    else:
        cls.__doc__ = f"{head}\n\n{section}\n    "
    return cls
