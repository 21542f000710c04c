"""JSON Lines: ``<table>.jsonl`` per table, one unstructured record per line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cambodefect.export._json import dumps

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = ["jsonl"]


def jsonl(ds: Dataset, table: str) -> bytes:
    from cambodefect.converter import unstructure
    from cambodefect.schema import MODELS, iter_records

    lines = [dumps(unstructure(r)) + "\n" for r in iter_records(ds.table(table), MODELS[table])]
    return "".join(lines).encode("utf-8")
