"""The ``cambodefect`` command line.

Exit codes:

- 0: success;
- 1: a cambodefect error (unknown version, integrity failure, bad input), printed as
  one line on stderr, never a traceback;
- 2: a usage error (unknown command or option);
- 3: ``validate`` found errors in the dataset.

Examples (from a shell)::

    cambodefect summary
    cambodefect doctor
    cambodefect info
    cambodefect cite --format bibtex
    cambodefect query --by party --claimant fresh-news --era 2023-wave
    cambodefect query --by period --period month --claimant fresh-news
    cambodefect reconcile
    cambodefect validate --documents ../shared/seeds
    cambodefect export --format parquet --out out/ --partition-by era
    cambodefect diff 1.0.0 1.0.0
    cambodefect build --check
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cambodefect.errors import CambodefectError, UnknownVersionError

if TYPE_CHECKING:
    import pyarrow as pa

    from cambodefect.dataset import Dataset

__all__ = ["cli", "main"]

_VERSION_HELP = (
    "Dataset version or PEP 440 specifier (default: newest, or $CAMBODEFECT_DATASET_VERSION)."
)


def _load(
    version: str | None, path: Path | None = None, *, origin: str | None = "--version"
) -> Dataset:
    """Load ``path`` or ``version``; an unknown ``version`` names ``origin`` (the option
    it came from), as one from the environment names the variable."""
    from cambodefect.dataset import load

    if path is not None:
        return load(version, path=path)
    try:
        return load(version)
    except UnknownVersionError as err:
        if version is None or origin is None or err.source is not None:
            raise
        raise UnknownVersionError(err.version, err.known, source=origin) from None


def _echo_table(table: pa.Table, fmt: str = "table", *, columns: list[str] | None = None) -> None:
    """Print ``table`` as a terminal table (``columns`` shown), CSV or JSON."""
    from cambodefect._tables import render

    render(table, fmt, file=sys.stdout, columns=columns)


_FORMAT_HELP = "table (for a terminal), csv or json (every column, for programs)."


def _format_option(func: Any) -> Any:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "csv", "json"]),
        default="table",
        show_default=True,
        help=_FORMAT_HELP,
    )(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cambodefect")
def cli() -> None:
    """Claimed political defections in Cambodia, traced to claimant, source and line.

    Every figure is a claim by someone, read in a source, on a line. Start with
    `cambodefect summary`.
    """


@cli.command()
@click.option("--version", "version", default=None, help=_VERSION_HELP)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table (for a terminal) or json (every figure, for programs).",
)
def summary(version: str | None, fmt: str) -> None:
    """Load the bundled dataset and print a short summary.

    Shows the version, rows per table, the date range, what the sources cover (by
    publication year and by outlet), the claimed figures by election cycle and
    claimant (defections and stated totals, under the counting rules), the parties
    with the most claimed defectors in the Fresh News series, and the reconciliation
    headline. --format json gives the same sections in full.

    Example: cambodefect summary --version 1.0.0
    """
    import json

    from cambodefect._report import report, text
    from cambodefect._tables import _plain

    data = report(_load(version))
    if fmt == "json":
        click.echo(json.dumps(_plain(data), ensure_ascii=False))
    else:
        click.echo(text(data))


@cli.command()
@_format_option
def info(fmt: str) -> None:
    """List bundled versions with release dates, files, checksums and schema version.

    With --format csv or json, one row per file of each version.

    Example: cambodefect info --format json
    """
    from cambodefect._versions import data_root, releases
    from cambodefect.storage import read_manifest

    if fmt != "table":
        import pyarrow as pa

        rows = [
            {
                "version": release.version,
                "released": release.released,
                "schema_version": release.schema_version,
                "content_sha256": release.content_sha256,
                "table": name,
                "file": file,
                "rows": manifest.rows[name],
                "sha256": manifest.sha256[name],
            }
            for release in releases()
            for manifest in [read_manifest(data_root() / release.version)]
            for name, file in manifest.files.items()
        ]
        _echo_table(pa.Table.from_pylist(rows), fmt)
        return
    for release in releases():
        manifest = read_manifest(data_root() / release.version)
        click.echo(
            f"dataset {release.version}  released {release.released}  "
            f"schema {release.schema_version}"
        )
        click.echo(f"  content sha256 {release.content_sha256}")
        for name, file in manifest.files.items():
            click.echo(
                f"  {file:<16} {manifest.rows[name]:>6} rows  sha256 {manifest.sha256[name]}"
            )


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table (for a terminal) or json.",
)
def doctor(fmt: str) -> None:
    """What this installation has: package and data versions, where the data lives,
    whether this is a source checkout, whether the held documents the evidence tests
    read are present, and which optional packages are installed.

    Example: cambodefect doctor
    """
    import json

    from cambodefect._report import doctor as run
    from cambodefect._report import doctor_text

    data = run()
    click.echo(json.dumps(data) if fmt == "json" else doctor_text(data))


@cli.command()
@click.option(
    "--format",
    "fmt",
    default="text",
    show_default=True,
    help="text (one line) or bibtex (a @misc entry).",
)
@click.option("--version", "version", default=None, help=_VERSION_HELP)
def cite(fmt: str, version: str | None) -> None:
    """Print a citation of one dataset version: version, release date, content SHA-256.

    Exit code 1, with one line on stderr, for an unknown format or version.

    Example: cambodefect cite --format bibtex --version 1.0.0
    """
    click.echo(_load(version).citation(fmt))


@cli.command()
@click.argument(
    "path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option("--version", "version", default=None, help=_VERSION_HELP)
@click.option(
    "--documents",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of the held seed documents, to check evidence lines and checksums.",
)
@_format_option
def validate(path: Path | None, version: str | None, documents: Path | None, fmt: str) -> None:
    """Validate a dataset (a bundled version, or the folder PATH): list every problem.

    Exit code 3 if any error is found; warnings alone exit 0. With --format csv or
    json, one row per violation (code, severity, record, field, message).

    Example: cambodefect validate --documents ../shared/seeds
    """
    import pyarrow as pa

    from cambodefect.validation import validate as run

    ds = _load(version, path)
    found = run(ds, documents=documents)
    errors = [v for v in found if v.severity == "error"]
    if fmt == "table":
        for v in found:
            click.echo(f"{v.severity}: {v}")
        click.echo(f"{len(errors)} error(s), {len(found) - len(errors)} warning(s) in {ds.version}")
    else:
        rows = [
            {
                "code": str(v.code),
                "severity": str(v.severity),
                "record": v.record,
                "field": v.field,
                "message": v.message,
            }
            for v in found
        ]
        names = ["code", "severity", "record", "field", "message"]
        _echo_table(
            pa.Table.from_pylist(rows, schema=pa.schema([(n, pa.string()) for n in names])), fmt
        )
    if errors:
        raise SystemExit(3)


@cli.command()
@click.option(
    "--format",
    "fmt",
    required=True,
    help="csv, parquet, jsonl, datapackage, popolo or croissant.",
)
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--partition-by", default=None, help="Hive-partition the claims (parquet: era).")
@click.option("--version", "version", default=None, help=_VERSION_HELP)
def export(fmt: str, out: Path, partition_by: str | None, version: str | None) -> None:
    """Export a dataset to standard formats, with a progress bar.

    Example: cambodefect export --format datapackage --out out/
    """
    from cambodefect.export import export as run

    ds = _load(version)
    err = sys.stderr

    def progress(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        end = "\n" if done >= total else ""
        click.echo(f"\rexporting {fmt} [{bar}] {done}/{total} files{end}", file=err, nl=False)

    # A progress bar only on a terminal: in a log file its "\r" frames are noise.
    files = run(
        ds, fmt, out, partition_by=partition_by, progress=progress if err.isatty() else None
    )
    if not err.isatty():
        click.echo(f"exported {len(files)} {fmt} file(s) to {out}", file=err)
    for file in files:
        click.echo(str(file))


_BY = ("party", "period", "claimant", "alignment", "cumulative")


@cli.command()
@click.option("--by", "by", type=click.Choice(_BY), default="party", show_default=True)
@click.option(
    "--period",
    "freq",
    type=click.Choice(["day", "week", "month", "quarter", "year"]),
    default="month",
    show_default=True,
    help="Bin width for --by period / cumulative.",
)
@click.option("--claimant", multiple=True, help="Claimant ID or group label (repeatable).")
@click.option("--pool-claimants", is_flag=True, help="Sum the named claimants as one series.")
@click.option(
    "--kind",
    multiple=True,
    help="Claim kind (repeatable; default: defections and stated totals, as the library).",
)
@click.option("--alignment", multiple=True, help="Claimant alignment (repeatable).")
@click.option("--party", multiple=True, help="Former party (name, alias or ID; repeatable).")
@click.option("--person", multiple=True, help="Person named in the claim (repeatable).")
@click.option("--era", multiple=True, help="2017-drive or 2023-wave (repeatable).")
@click.option(
    "--cycle", multiple=True, help="Election cycle: 2008, 2013, 2018, 2023... (repeatable)."
)
@click.option("--start", default=None, help="Claims dated on or after this day (YYYY-MM-DD).")
@click.option("--end", default=None, help="Claims dated on or before this day (YYYY-MM-DD).")
@click.option("--exclude-disputed", is_flag=True, help="Leave out claims others dispute.")
@click.option(
    "--joint",
    type=click.Choice(["joint", "each"]),
    default="joint",
    show_default=True,
    help="Joint-party rows: one joint group, or counted for each party (over-counts).",
)
@click.option("--version", "version", default=None, help=_VERSION_HELP)
@_format_option
def query(
    by: str,
    freq: str,
    claimant: tuple[str, ...],
    pool_claimants: bool,
    kind: tuple[str, ...],
    alignment: tuple[str, ...],
    party: tuple[str, ...],
    person: tuple[str, ...],
    era: tuple[str, ...],
    cycle: tuple[str, ...],
    start: str | None,
    end: str | None,
    exclude_disputed: bool,
    joint: str,
    version: str | None,
    fmt: str,
) -> None:
    """Aggregate claims from the shell (the rules of cambodefect.aggregate apply).

    Example: cambodefect query --by party --claimant fresh-news --era 2023-wave
    """
    from cambodefect import aggregate

    ds = _load(version)
    filters: dict[str, Any] = {"include_disputed": not exclude_disputed}
    for key, value in (
        ("kind", kind),
        ("claimant", claimant),
        ("alignment", alignment),
        ("party", party),
        ("person", person),
        ("era", era),
        ("cycle", cycle),
    ):
        if value:
            filters[key] = list(value)
    for key, day in (("start", start), ("end", end)):
        if day is not None:
            filters[key] = day
    if pool_claimants:
        filters["pool_claimants"] = True
    if by == "party":
        table = aggregate.by_party(ds, joint=joint, **filters)  # type: ignore[arg-type]
    elif by == "period":
        table = aggregate.by_period(ds, freq, **filters)  # type: ignore[arg-type]
    elif by == "cumulative":
        table = aggregate.cumulative(ds, freq, **filters)  # type: ignore[arg-type]
    elif by == "claimant":
        table = aggregate.by_claimant(ds, **filters)
    else:
        table = aggregate.by_source_alignment(ds, **filters)
    # A terminal is narrow: the table view leaves out what csv and json carry in full.
    # (party_kind stays: placeholders and non-party labels are always labelled)
    secondary = {"alignment", "unvalued", "over_counts", "claimant_kind"}
    _echo_table(table, fmt, columns=[c for c in table.column_names if c not in secondary])


@cli.command()
@click.option("--version", "version", default=None, help=_VERSION_HELP)
@_format_option
def reconcile(version: str | None, fmt: str) -> None:
    """Stated totals against the sum of their items, with every discrepancy.

    The table shows the main columns; --format csv or json gives every column.

    Example: cambodefect reconcile --format csv > reconcile.csv
    """
    from cambodefect import aggregate

    shown = ["id", "claimant", "stated_text", "items", "items_sum", "difference", "status"]
    _echo_table(aggregate.reconcile(_load(version)), fmt, columns=shown)


@cli.command()
@click.argument("old")
@click.argument("new")
def diff(old: str, new: str) -> None:
    """What changed between two versions (numbers, specifiers or dataset folders).

    Example: cambodefect diff 1.0.0 1.1.0
    """
    from cambodefect.compare import diff as run

    def pick(arg: str) -> Any:
        return _load(None, Path(arg)) if Path(arg).is_dir() else _load(arg, origin=None)

    click.echo(str(run(pick(old), pick(new))))


@cli.command()
@click.option(
    "--source",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Source folder (default: ./datasets/source).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Datasets folder to write <version>/ into (default: ./datasets).",
)
@click.option("--check", is_flag=True, help="Only check the built files are current.")
def build(source: Path | None, out: Path | None, check: bool) -> None:
    """Build datasets/<version>/ from datasets/source/ (deterministic).

    Example: cambodefect build --check
    """
    from cambodefect.build import build as do_build
    from cambodefect.build import stale_files

    datasets = out or Path.cwd() / "datasets"
    source = source or datasets / "source"
    if not (source / "dataset.toml").is_file():
        raise click.ClickException(
            f"no dataset source here: {source} has no dataset.toml (build runs in a "
            "checkout of the repository, or pass --source)"
        )
    if check:
        stale = stale_files(source, datasets)
        if stale:
            raise click.ClickException("stale or missing built files: " + ", ".join(stale))
        click.echo("built files are current")
        return
    folder = do_build(source, datasets)
    click.echo(f"built {folder}")


def main() -> None:
    """Run the CLI; a cambodefect error is one line on stderr and exit code 1."""
    try:
        code = cli(standalone_mode=False)
    except click.exceptions.Abort:
        raise SystemExit(1) from None
    except click.UsageError as err:
        err.show()
        raise SystemExit(2) from None
    except click.ClickException as err:
        err.show()
        raise SystemExit(1) from None
    except CambodefectError as err:
        # One headline; multi-record errors (validation) list their details below it.
        click.echo(f"error: {err}", err=True)
        raise SystemExit(1) from None
    raise SystemExit(code if isinstance(code, int) else 0)
