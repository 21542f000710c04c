"""CSV: ``<table>.csv`` per table, structs flattened to dotted columns (``count.value``),
lists as JSON arrays in the cell, enums as strings, dates ISO."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cambodefect.export._flat import flat_columns

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = ["csv"]


def csv(ds: Dataset, table: str) -> bytes:
    import pyarrow as pa
    import pyarrow.csv as pcsv

    flat = pa.table({c.name: c.array for c in flat_columns(ds.table(table))})
    sink = pa.BufferOutputStream()
    pcsv.write_csv(flat, sink)
    return bytes(sink.getvalue())
