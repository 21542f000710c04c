"""Popolo JSON: persons, organizations (the parties table) and memberships (persons'
roles), with our provenance under ``cambodefect:`` keys; validated against the official
Popolo schemas in the tests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cambodefect.export._datapackage import LICENSE
from cambodefect.export._json import dumps

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset
    from cambodefect.values import FuzzyDate

__all__ = ["popolo"]


def _popolo_date(d: FuzzyDate | None) -> str | None:
    """A Popolo date (YYYY-MM-DD, YYYY-MM or YYYY) at the date's precision; none for a range."""
    if d is None or d.start is None:
        return None
    widths = {"day": 10, "month": 7, "year": 4}
    width = widths.get(d.precision.value)
    return d.start.isoformat()[:width] if width else None


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v is not None and v != [] and v != ()}


def popolo(ds: Dataset) -> bytes:
    from cambodefect.converter import unstructure
    from cambodefect.schema import SCHEMA_VERSION

    persons, memberships = [], []
    for p in ds.iter_persons():
        persons.append(
            _compact(
                {
                    "id": p.id,
                    "name": p.name,
                    "other_names": [{"name": a} for a in p.aliases],
                    "cambodefect:evidence": unstructure(p.evidence),
                    "cambodefect:note": p.note,
                }
            )
        )
        for n, role in enumerate(p.roles, 1):
            dated = _popolo_date(role.period)
            memberships.append(
                _compact(
                    {
                        "id": f"{p.id}-role-{n}",
                        "person_id": p.id,
                        "organization_id": role.party_id,
                        "role": role.title,
                        "start_date": dated,
                        "end_date": dated,
                        "cambodefect:place": role.place,
                        "cambodefect:period": unstructure(role.period),
                        "cambodefect:former": role.former,
                        "cambodefect:evidence": [unstructure(role.evidence)],
                    }
                )
            )
    organizations = []
    for party in ds.iter_parties():
        other = [{"name": party.short_name, "note": "short name"}] if party.short_name else []
        other += [{"name": a} for a in party.aliases if a not in (party.name, party.short_name)]
        ids = []
        if party.partyfacts_id is not None:
            ids.append({"scheme": "partyfacts", "identifier": str(party.partyfacts_id)})
        if party.wikidata_id is not None:
            ids.append({"scheme": "wikidata", "identifier": party.wikidata_id})
        organizations.append(
            _compact(
                {
                    "id": party.id,
                    "name": party.name,
                    "classification": party.kind.value,
                    "other_names": other,
                    "identifiers": ids,
                    "dissolution_date": _popolo_date(party.dissolved),
                    "cambodefect:dissolved": unstructure(party.dissolved),
                    "cambodefect:evidence": unstructure(party.evidence),
                    "cambodefect:note": party.note,
                }
            )
        )
    doc = {
        "cambodefect:dataset": {
            "version": ds.version,
            "schema_version": SCHEMA_VERSION,
            "license": LICENSE["name"],
            "note": "Evidence source_ids are IDs in the sources table of the same dataset "
            "version; persons and organizations are named in claims, which are not facts.",
        },
        "persons": persons,
        "organizations": organizations,
        "memberships": memberships,
    }
    return (dumps(doc, indent=2) + "\n").encode("utf-8")
