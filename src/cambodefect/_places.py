"""Cambodia's provinces as ISO 3166-2:KH codes, read from pycountry (never typed by hand).

pycountry is imported on first use only. Codes are ``KH-1`` to ``KH-25``; pycountry's
names are the official romanizations ("Kampong Chaam", "Baat Dambang"), which are
not always how English-language news prints them ("Kampong Cham", "Battambang"):
`cambodefect.normalize.resolve_province` maps printed names to codes.

Examples:
    >>> province_name("KH-12")
    'Phnom Penh'
    >>> "KH-25" in province_codes()
    True
"""

from __future__ import annotations

import functools

__all__ = ["province_codes", "province_name", "provinces"]


@functools.cache
def provinces() -> dict[str, str]:
    """ISO 3166-2:KH code -> pycountry's name, in code order."""
    import pycountry

    found = {s.code: s.name for s in pycountry.subdivisions.get(country_code="KH")}  # type: ignore[no-untyped-call]  # pycountry's lookup is untyped
    return dict(sorted(found.items(), key=lambda item: int(item[0].split("-")[1])))


def province_codes() -> frozenset[str]:
    """Every ISO 3166-2:KH code."""
    return frozenset(provinces())


def province_name(code: str) -> str:
    """The name of a province code, without its type word ("Phnom Penh", "Kampong Chaam")."""
    name = provinces()[code]
    for suffix in (" Autonomous municipality", " Province", " Municipality"):
        name = name.removesuffix(suffix)
    return name
