"""The registry of export formats: each format names the files it writes for a dataset.

A `Format` is a name, the ``partition_by`` values it accepts, and a ``plan``
function giving the files of an export (paths and render functions) plus the glob
patterns of earlier files it replaces as a whole.
[`cambodefect.export.export`][cambodefect.export.export] looks formats up here; adding a format is
one module and one `register` call.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs

from cambodefect.export._commit import File
from cambodefect.export._croissant import croissant
from cambodefect.export._csv import csv
from cambodefect.export._datapackage import datapackage
from cambodefect.export._jsonl import jsonl
from cambodefect.export._parquet import claims_by_era, parquet
from cambodefect.export._popolo import popolo
from cambodefect.schema import TABLES

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = ["REGISTRY", "Format", "Plan", "register"]

Plan = tuple[list[File], tuple[str, ...]]
"""The files of an export, and glob patterns of earlier files it replaces as a whole."""


@attrs.frozen
class Format:
    """One export format.

    Attributes:
        name: the format's name (``"csv"``).
        plan: ``plan(ds, partition_by)`` -> the files to write and the patterns replaced.
        partitions: the ``partition_by`` values it accepts (none by default).
    """

    name: str
    plan: Callable[[Dataset, str | None], Plan]
    partitions: tuple[str, ...] = ()


REGISTRY: dict[str, Format] = {}
"""Every export format, by name, in registration order."""


def register(fmt: Format) -> Format:
    """Add ``fmt`` to the registry (its name must be new)."""
    if fmt.name in REGISTRY:
        raise ValueError(f"export format {fmt.name!r} is already registered")
    REGISTRY[fmt.name] = fmt
    return fmt


def _per_table(suffix: str, render: Callable[[Dataset, str], bytes]) -> Callable[..., Plan]:
    def plan(ds: Dataset, partition_by: str | None) -> Plan:
        return [File(f"{t}.{suffix}", functools.partial(render, ds, t)) for t in TABLES], ()

    return plan


def _csv_with(
    name: str, describe: Callable[[Dataset, dict[str, bytes]], bytes]
) -> Callable[..., Plan]:
    """The CSV files plus one file ``name`` describing them (rendered from their bytes)."""

    def plan(ds: Dataset, partition_by: str | None) -> Plan:
        rendered: dict[str, bytes] = {}

        def one(table: str) -> bytes:
            rendered[table] = csv(ds, table)
            return rendered[table]

        files = [File(f"{t}.csv", functools.partial(one, t)) for t in TABLES]
        return [*files, File(name, lambda: describe(ds, rendered))], ()

    return plan


def _parquet_plan(ds: Dataset, partition_by: str | None) -> Plan:
    if partition_by is None:
        return _per_table("parquet", parquet)(ds, None)
    files = [File(f"{t}.parquet", functools.partial(parquet, ds, t)) for t in TABLES[:-1]]
    files += [File(path, render) for path, render in claims_by_era(ds)]
    return files, ("claims/era=*/*.parquet",)


def _popolo_plan(ds: Dataset, partition_by: str | None) -> Plan:
    return [File("popolo.json", functools.partial(popolo, ds))], ()


register(Format("csv", _per_table("csv", csv)))
register(Format("parquet", _parquet_plan, partitions=("era",)))
register(Format("jsonl", _per_table("jsonl", jsonl)))
register(Format("datapackage", _csv_with("datapackage.json", datapackage)))
register(Format("popolo", _popolo_plan))
register(Format("croissant", _csv_with("croissant.json", croissant)))
