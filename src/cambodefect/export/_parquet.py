"""Parquet: ``<table>.parquet`` per table with the real nested schema, optionally the
claims Hive-partitioned by era (``claims/era=<era>/part-0.parquet``)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

    from cambodefect.dataset import Dataset

__all__ = ["claims_by_era", "parquet", "parquet_bytes"]


def parquet_bytes(table: pa.Table, version: str) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    meta = {**(table.schema.metadata or {}), b"cambodefect.dataset_version": version.encode()}
    sink = pa.BufferOutputStream()
    # Lists keep Arrow's child name ("item"), so the schema reads back exactly; every
    # Parquet reader (Spark, DuckDB, Polars) reads such three-level lists.
    pq.write_table(table.replace_schema_metadata(meta), sink, use_compliant_nested_type=False)
    return bytes(sink.getvalue())


def parquet(ds: Dataset, table: str) -> bytes:
    return parquet_bytes(ds.table(table), ds.version)


def claims_by_era(ds: Dataset) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """The Hive partition files of the claims table, one per era."""
    from urllib.parse import quote

    import pyarrow.compute as pc

    from cambodefect.aggregate import claims_frame

    eras = claims_frame(ds, with_party_key=False).column("era")
    values: list[str | None] = sorted(
        pc.unique(eras).to_pylist(), key=lambda v: (v is None, v or "")
    )
    for value in values:
        mask = pc.is_null(eras) if value is None else pc.fill_null(pc.equal(eras, value), False)
        segment = "__HIVE_DEFAULT_PARTITION__" if value is None else quote(value, safe="")
        part = ds.claims.filter(mask)
        yield (
            f"claims/era={segment}/part-0.parquet",
            functools.partial(parquet_bytes, part, ds.version),
        )
