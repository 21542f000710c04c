"""Checks against the documents a dataset was read from: checksums and line numbers.

Given the folder of the held documents (or their lines), every held source's SHA-256
is compared with its record and every evidence line must lie within its document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from cambodefect.errors import IntegrityError, Violation, ViolationCode
from cambodefect.schema import TABLES

__all__ = ["document_checks", "load_documents"]


def _rid(row: Mapping[str, Any], index: int) -> str:
    ident = row.get("id")
    return ident if isinstance(ident, str) and ident else f"#{index}"


def load_documents(documents: str | Path | Mapping[str, Sequence[str]]) -> dict[str, Any]:
    if isinstance(documents, Mapping):
        return {name: list(lines) for name, lines in documents.items()}
    folder = Path(documents)
    if not folder.is_dir():
        raise IntegrityError(str(folder), "documents folder not found")
    return {p.name: p for p in sorted(folder.iterdir()) if p.is_file()}


def document_checks(
    rows: Mapping[str, list[dict[str, Any]]], docs: Mapping[str, Any]
) -> Iterator[Violation]:
    lengths: dict[str, int] = {}
    for i, row in enumerate(rows["sources"]):
        name = row.get("document")
        if not row.get("read_directly") or not isinstance(name, str):
            continue
        rid = _rid(row, i)
        doc = docs.get(name)
        if doc is None:
            yield Violation(ViolationCode.DOCUMENT_MISSING, rid, "document", f"{name!r} not found")
            continue
        if isinstance(doc, Path):
            data = doc.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if digest != row.get("document_sha256"):
                yield Violation(
                    ViolationCode.DOCUMENT_SHA256,
                    rid,
                    "document_sha256",
                    f"{name} has SHA-256 {digest}, the record says {row.get('document_sha256')}",
                )
            lines = data.decode("utf-8", "replace").splitlines()
        else:
            lines = doc
        lengths[rid] = len(lines)

    def evidence(rid: str, field: str, items: Iterable[Any]) -> Iterator[Violation]:
        for j, ev in enumerate(items):
            if not isinstance(ev, dict):
                continue
            n = lengths.get(str(ev.get("source_id")))
            line = ev.get("line")
            if n is not None and isinstance(line, int) and line > n:
                yield Violation(
                    ViolationCode.EVIDENCE_LINE,
                    rid,
                    f"{field}[{j}].line",
                    f"line {line} is past the end of {ev.get('source_id')} ({n} lines)",
                )

    for table in TABLES:
        for i, row in enumerate(rows[table]):
            rid = _rid(row, i)
            yield from evidence(rid, "evidence", row.get("evidence") or ())
            for j, role in enumerate(row.get("roles") or ()):
                yield from evidence(rid, f"roles[{j}].evidence", [role.get("evidence")])
