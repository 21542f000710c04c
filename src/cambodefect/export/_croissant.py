"""MLCommons Croissant 1.0: the CSV files plus ``croissant.json`` describing them.

``croissant.json`` is JSON-LD: the dataset's metadata (name, description, licence,
version, release date, the BibTeX of [`Dataset.citation`][cambodefect.Dataset.citation] as
``citeAs``), one ``cr:FileObject`` per CSV file written beside it (relative ``contentUrl``, byte
size, SHA-256), and one ``cr:RecordSet`` per table with a ``cr:Field`` per CSV column: its type
mapped from the Arrow schema, its description (as in ``datapackage.json``), the column it is read
from. Foreign keys are named in the field descriptions ("Foreign key to parties.id."), not declared
as ``references``: mlcroissant reads a field with ``references`` by joining the record set it points
to, which fails for a reference within one table (``claims.part_of``) and for an empty table. No
``url`` is given: the project states none.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, Final

from cambodefect._citation import CITATION_AUTHORS, CITATION_TITLE, bibtex
from cambodefect.export._datapackage import (
    _DESCRIPTION,
    _TABLE_NOTES,
    LICENSE,
    _table_schema,
)
from cambodefect.export._json import dumps
from cambodefect.schema import TABLES

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = ["CONFORMS_TO", "DATA_TYPES", "croissant"]

CONFORMS_TO: Final = "http://mlcommons.org/croissant/1.0"
"""The Croissant version the file follows."""

DATA_TYPES: Final = {
    "string": "sc:Text",
    "array": "sc:Text",  # a JSON array in the cell, as the CSV export writes it
    "integer": "sc:Integer",
    "boolean": "sc:Boolean",
    "date": "sc:Date",
}
"""Flat column type (``cambodefect.export._flat``) -> Croissant ``dataType``."""

# The JSON-LD @context of the Croissant 1.0 specification (its Appendix 1), plus the two
# terms mlcroissant expects of every 1.0 file (both in the cr: namespace).
_CONTEXT: Final = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

_KEYWORDS: Final = ["cambodia", "politics", "defections", "claims"]


def croissant(ds: Dataset, csv_bytes: dict[str, bytes]) -> bytes:
    """``croissant.json`` for the CSV files already rendered into ``csv_bytes``."""
    import hashlib

    from cambodefect.schema import MODELS

    files, record_sets = [], []
    for table in TABLES:
        data = csv_bytes[table]
        path = f"{table}.csv"
        model = MODELS[table]
        summary = (inspect.getdoc(model) or "").split("\n", 1)[0]
        files.append(
            {
                "@type": "cr:FileObject",
                "@id": path,
                "name": path,
                "description": f"The {table} table as CSV: structs flattened to dotted "
                "columns, lists as JSON arrays in the cell, an empty cell for a null.",
                "contentUrl": path,
                "contentSize": f"{len(data)} B",
                "encodingFormat": "text/csv",
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
        record_sets.append(
            {
                "@type": "cr:RecordSet",
                "@id": table,
                "name": table,
                "description": " ".join(filter(None, [summary, _TABLE_NOTES.get(table)])),
                "key": {"@id": f"{table}/id"},
                "field": _fields(ds, table, path),
            }
        )
    doc: dict[str, Any] = {
        "@context": _CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": CITATION_TITLE,
        "description": _DESCRIPTION,
        "creator": [{"@type": "sc:Organization", "name": a} for a in CITATION_AUTHORS],
        "license": LICENSE["path"],
        "version": ds.version,
        **({"datePublished": ds.manifest.released} if ds.manifest.released else {}),
        "citeAs": bibtex(ds.version, ds.manifest.released, ds.content_sha256),
        "keywords": _KEYWORDS,
        "isLiveDataset": False,
        "distribution": files,
        "recordSet": record_sets,
    }
    return (dumps(doc, indent=2) + "\n").encode("utf-8")


def _fields(ds: Dataset, table: str, path: str) -> list[dict[str, Any]]:
    """One ``cr:Field`` per CSV column of ``table``, read from the file at ``path``."""
    fields = []
    for column in _table_schema(ds.table(table), table)["fields"]:
        name = column["name"]
        enum = column.get("constraints", {}).get("enum")
        description = column["description"]
        if enum:
            description = f"{description} One of: {', '.join(enum)}.".lstrip()
        field: dict[str, Any] = {
            "@type": "cr:Field",
            "@id": f"{table}/{name}",
            "name": name,
            "description": description,
            "dataType": DATA_TYPES[column["type"]],
            "source": {"fileObject": {"@id": path}, "extract": {"column": name}},
        }
        fields.append(field)
    return fields
