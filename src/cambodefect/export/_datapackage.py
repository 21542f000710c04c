"""A Frictionless Tabular Data Package: the CSV files plus ``datapackage.json``.

Field descriptions come from the models' field metadata (the same text as their
docstrings' ``Attributes:``), enum fields list their values, and references between
tables are declared as foreign keys where Table Schema can express them.
"""

from __future__ import annotations

import typing
from enum import Enum
from typing import TYPE_CHECKING, Any, Final

import attrs

from cambodefect._checks import field_doc
from cambodefect.export._flat import flat_columns
from cambodefect.export._json import dumps
from cambodefect.schema import TABLES

if TYPE_CHECKING:
    import pyarrow as pa

    from cambodefect.dataset import Dataset

__all__ = ["LICENSE", "datapackage"]

LICENSE: Final = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
"""The data licence, as a Data Package ``licenses`` entry (see docs/dataset-card.md)."""

_DESCRIPTION: Final = (
    "Claimed political defections in Cambodia (the 2017 CNRP dissolution drive and the "
    "2023 pre-election wave). Every count is a claim, not a fact: a figure someone (a "
    "party spokesman, a government-aligned outlet, an NGO) asserted, as read on a line "
    "of a source. Do not sum the claims table naively: a stated total and its own items "
    "(part_of) overlap, and different claimants' series must not be mixed; "
    "cambodefect.aggregate applies these rules. Nested values are flattened to dotted "
    "columns; list values are JSON arrays in the cell."
)

_TABLE_NOTES: Final = {
    "events": "One happening (a ceremony, an announcement, a letter) that claims report; "
    "several claims, by several claimants, can report one event.",
    "parties": "Only rows with kind 'party' are political parties; the table also holds the "
    "tally's placeholder and non-party labels and other organizations.",
    "claims": "Each row is a claim made by its claimant, not an established fact.",
}

_FOREIGN_KEYS: Final = {
    "claims": (
        ("part_of", "claims"),
        ("subset_of", "claims"),
        ("to_party_id", "parties"),
        ("cited_source_id", "sources"),
        ("event_id", "events"),
    ),
    "sources": (("publisher_id", "parties"),),
}

_LIST_REF: Final = (
    " Table Schema foreign keys cannot point from inside a list, so this reference is "
    "not declared as one."
)
_FIELD_NOTES: Final = {
    "evidence": "JSON array of {source_id, line, note, paragraph}: exactly one of line (a "
    "held document's line) and paragraph (a news page's body paragraph); source_id is a "
    "sources.id." + _LIST_REF,
    "aliases": "JSON array of strings.",
    "persons.roles": "JSON array of {title, evidence, party_id, place, period, former}; "
    "party_id is a parties.id." + _LIST_REF,
    "sources.inferred": "JSON array of field names.",
    "sources.mirrors": "JSON array of URLs where the same text is also stored.",
    "parties.stance": "JSON object {alignment, reason, evidence, until} (an outlet's "
    "recorded alignment; until: the last day it holds), or empty.",
    "claims.claimant.id": "A persons.id, parties.id or sources.id, as claimant.kind says; a "
    "reference to one of three tables cannot be a Table Schema foreign key.",
    "claims.from_party_ids": "JSON array of parties.id, in printed order." + _LIST_REF,
    "claims.person_ids": "JSON array of persons.id." + _LIST_REF,
    "claims.disputed_by": "JSON array of claims.id." + _LIST_REF,
    "claims.may_overlap": "JSON array of {claim_id, note}; claim_id is a claims.id." + _LIST_REF,
}

_FIELD_DOCS: Final = {  # replace the model's wording, which is for curators
    "parties.partyfacts_id": "The Party Facts ID (partyfacts.org), to join ParlGov, Manifesto "
    "Project, V-Party and other party datasets; null where Party Facts lists none.",
    "parties.wikidata_id": "The Wikidata QID, e.g. Q769308; null where Wikidata lists none.",
}

_PATTERNS: Final = {"wikidata_id": "Q[1-9][0-9]*", "document_sha256": "[0-9a-f]{64}"}


def datapackage(ds: Dataset, csv_bytes: dict[str, bytes]) -> bytes:
    """``datapackage.json`` for the CSV files already rendered into ``csv_bytes``."""
    import hashlib
    import inspect

    from cambodefect.schema import MODELS, SCHEMA_VERSION

    resources = []
    for table in TABLES:
        data = csv_bytes[table]
        model = MODELS[table]
        summary = (inspect.getdoc(model) or "").split("\n", 1)[0]
        resources.append(
            {
                "name": table,
                "path": f"{table}.csv",
                "profile": "tabular-data-resource",
                "title": f"{table} ({model.__name__} records)",
                "description": " ".join(filter(None, [summary, _TABLE_NOTES.get(table)])),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(data),
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                "schema": _table_schema(ds.table(table), table),
            }
        )
    sources = [
        {
            "title": f"{s.title} ({s.publisher})" if s.publisher else str(s.title),
            **({"path": s.url} if s.url else {}),
        }
        for s in ds.iter_sources()
        if s.read_directly
    ]
    package = {
        "profile": "tabular-data-package",
        "name": "cambodefect",
        "title": "cambodefect: claimed political defections in Cambodia",
        "description": _DESCRIPTION,
        "version": ds.version,
        "keywords": ["cambodia", "politics", "defections", "claims"],
        "licenses": [LICENSE],
        "sources": sources,
        "cambodefect:schema_version": SCHEMA_VERSION,
        "resources": resources,
    }
    return (dumps(package, indent=2) + "\n").encode("utf-8")


def _table_schema(table: pa.Table, name: str) -> dict[str, Any]:
    from cambodefect.schema import MODELS

    info = _model_fields(MODELS[name])
    fields = []
    for col in flat_columns(table.slice(0, 0)):
        enum, doc = info.get(col.name, (None, ""))
        doc = _FIELD_DOCS.get(f"{name}.{col.name}", doc)
        notes = [doc, _FIELD_NOTES.get(f"{name}.{col.name}", _FIELD_NOTES.get(col.name, ""))]
        notes += [
            f"Foreign key to {t}.id." for f, t in _FOREIGN_KEYS.get(name, ()) if f == col.name
        ]
        constraints: dict[str, Any] = {}
        if col.required:
            constraints["required"] = True
        if enum:
            constraints["enum"] = list(enum)
        if col.name in _PATTERNS:
            constraints["pattern"] = _PATTERNS[col.name]
        if col.name.startswith("count.") and col.type == "integer":
            constraints["minimum"] = 0
        field: dict[str, Any] = {"name": col.name, "type": col.type}
        field["description"] = " ".join(n for n in notes if n)
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    foreign_keys = [
        {"fields": f, "reference": {"resource": "" if t == name else t, "fields": "id"}}
        for f, t in _FOREIGN_KEYS.get(name, ())
    ]
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""], "primaryKey": ["id"]}
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def _model_fields(cls: type, prefix: str = "") -> dict[str, tuple[tuple[str, ...] | None, str]]:
    """Dotted field name -> (enum values or None, description), through nested models."""
    hints = typing.get_type_hints(cls)
    docs = {field.name: _plain(field_doc(field)) for field in attrs.fields(cls)}
    out: dict[str, tuple[tuple[str, ...] | None, str]] = {}
    for field in attrs.fields(cls):
        type_ = hints[field.name]
        args = [a for a in typing.get_args(type_) if a is not type(None)]
        if len(args) == 1 and type(None) in typing.get_args(type_):
            type_ = args[0]
        name = prefix + field.name
        is_enum = isinstance(type_, type) and issubclass(type_, Enum)
        values = tuple(m.value for m in type_) if is_enum else None
        out[name] = (values, docs[field.name])
        if isinstance(type_, type) and attrs.has(type_):
            out.update(_model_fields(type_, name + "."))
    return out


def _plain(text: str) -> str:
    """A field description as plain text: no reST markup, first letter upper-case."""
    text = text.replace("``", "")
    return text[:1].upper() + text[1:]
