"""Plain-text rendering of result tables (the CLI's tables and the docs' examples)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

__all__ = ["to_text"]


def to_text(table: pa.Table, *, max_rows: int = 50) -> str:
    """Render a result table as aligned plain text (nulls shown as ``-``).

    Examples:
        >>> print(to_text(pa.table({"party_key": ["funcinpec"], "count_sum": [472]})))
        party_key  count_sum
        funcinpec        472
    """
    names = table.column_names
    rows = table.slice(0, max_rows).to_pylist()

    def cell(v: Any) -> str:
        if v is None:
            return "-"
        if isinstance(v, list):
            return "; ".join(map(str, v)) or "-"
        return str(v)

    cells = [[cell(r[n]) for n in names] for r in rows]
    numeric = [
        pa.types.is_integer(table.schema.field(n).type)
        or pa.types.is_floating(table.schema.field(n).type)
        for n in names
    ]
    widths = [max([len(n), *(len(c[i]) for c in cells)]) for i, n in enumerate(names)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    out = [line(names), *(line(c) for c in cells)]
    if table.num_rows > max_rows:
        out.append(f"... {table.num_rows - max_rows} more rows")
    return "\n".join(out)
