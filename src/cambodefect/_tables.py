"""Tables for people and for programs: the CLI's ``--format table|csv|json``.

``table`` is for a terminal: aligned, wrapped to the terminal's width (``COLUMNS`` where
it is not a terminal, 80 by default), coloured only on a terminal (rich decides, and
honours ``NO_COLOR``). ``csv`` and ``json`` are for programs: every row and column, the
values unchanged (lists and structs as JSON in CSV; dates as ISO strings; nulls empty in
CSV, ``null`` in JSON).
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, datetime
from typing import IO, TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["FORMATS", "render"]

FORMATS: Final = ("table", "csv", "json")
"""The output formats of every CLI command that prints a table."""


def _plain(value: Any) -> Any:
    """A JSON-ready value: dates as ISO strings, everything else as it is."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _cell(value: Any) -> str:
    """A value as a terminal cell: ``-`` for null, lists joined with ``; ``."""
    if value is None:
        return "-"
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value) if value else "-"
    if isinstance(value, dict):
        return json.dumps(_plain(value), ensure_ascii=False, sort_keys=True)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    return _plain(value) if isinstance(value, date) else str(value)


def _records(console: Any, rows: list[dict[str, Any]], names: list[str], title: str | None) -> None:
    """Rows as blocks of ``name: value`` lines, for tables wider than the terminal."""
    if title:
        console.print(title)
    width = max(len(n) for n in names)
    for i, row in enumerate(rows, 1):
        console.print(f"-- row {i} of {len(rows)}")
        for name in names:
            console.print(f"{name:>{width}}: {_cell(row[name])}")


def render(
    table: pa.Table,
    fmt: str = "table",
    *,
    title: str | None = None,
    file: IO[str] | None = None,
    columns: list[str] | None = None,
) -> None:
    """Write ``table`` to ``file`` (default: standard output) in ``fmt``.

    ``columns`` chooses what the ``table`` format shows (a terminal is narrow); a line
    below it names the columns left out. ``csv`` and ``json`` always write every column.

    Raises:
        ValueError: ``fmt`` is not one of `FORMATS` (the CLI's choice list
            prevents it).

    Examples:
        >>> import io, pyarrow as pa
        >>> out = io.StringIO()
        >>> render(pa.table({"a": ["x", None], "n": [1, 2]}), "csv", file=out)
        >>> out.getvalue().splitlines()
        ['a,n', 'x,1', ',2']
    """
    out = file if file is not None else sys.stdout
    rows = table.to_pylist()
    names = table.column_names
    if fmt == "json":
        json.dump(_plain(rows), out, ensure_ascii=False)
        out.write("\n")
        return
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow(
                [
                    ""
                    if row[n] is None
                    else json.dumps(_plain(row[n]), ensure_ascii=False)
                    if isinstance(row[n], list | dict)
                    else _plain(row[n])
                    for n in names
                ]
            )
        return
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    from rich import box
    from rich.console import Console
    from rich.table import Table

    shown = [n for n in (columns or names) if n in names]
    hidden = [n for n in names if n not in shown]
    names = shown
    console = Console(file=out, highlight=False, soft_wrap=False)
    grid = Table(
        title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False
    )
    numeric = {
        n
        for n in names
        if all(isinstance(r[n], int | float) or r[n] is None for r in rows)
        and any(r[n] is not None for r in rows)
    }
    from rich.cells import cell_len

    widths = {n: max([cell_len(n), *(cell_len(_cell(r[n])) for r in rows)]) for n in names}
    if sum(widths.values()) + 3 * (len(names) - 1) > console.width:
        # Wider than the terminal: one block per row, long values wrapped, none cut.
        _records(console, rows, names, title)
    else:
        for name in names:
            grid.add_column(name, justify="right" if name in numeric else "left", no_wrap=True)
        for row in rows:
            grid.add_row(*(_cell(row[n]) for n in names))
        console.print(grid)
    if not rows:
        console.print("(no rows)")
    if hidden:
        console.print(
            f"({len(hidden)} more columns with --format csv or json: {', '.join(hidden)})"
        )
