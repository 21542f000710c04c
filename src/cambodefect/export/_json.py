"""JSON text as every export writes it: UTF-8, ISO dates, one record per line."""

from __future__ import annotations

from typing import Any, Final

__all__ = ["dumps"]


def _iso(value: object) -> str:
    from datetime import date

    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON: {value!r}")


# Characters that JSON leaves raw but str.splitlines() and some readers take for line
# ends; escaped so that a JSON Lines record is always exactly one line.
_LINE_BREAKS: Final = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def dumps(value: Any, *, indent: int | None = None) -> str:
    import json

    separators = None if indent else (",", ":")
    text = json.dumps(value, ensure_ascii=False, indent=indent, separators=separators, default=_iso)
    return text.translate(_LINE_BREAKS)
