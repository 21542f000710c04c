"""The ``cambodefect`` command line.

Exit codes:

- 0: success;
- 1: a cambodefect error (unknown version, integrity failure, bad input), printed as
  one line on stderr, never a traceback;
- 2: a usage error (unknown command or option);
- 3: ``validate`` found errors in the dataset.

Examples (from a shell)::

    cambodefect summary
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

from cambodefect.errors import CambodefectError

if TYPE_CHECKING:
    import pyarrow as pa

    from cambodefect.dataset import Dataset

__all__ = ["cli", "main"]

_VERSION_HELP = (
    "Dataset version or PEP 440 specifier (default: newest, or $CAMBODEFECT_DATASET_VERSION)."
)


def _load(version: str | None, path: Path | None = None) -> Dataset:
    from cambodefect.dataset import load

    return load(version, path=path) if path is not None else load(version)


def _echo_table(table: pa.Table, title: str | None = None) -> None:
    from cambodefect.aggregate import to_text

    if title:
        click.echo(title)
    click.echo(to_text(table, max_rows=200))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cambodefect")
def cli() -> None:
    """Claimed political defections in Cambodia, traced to claimant, source and line.

    Every figure is a claim by someone, read in a source, on a line. Start with
    `cambodefect summary`.
    """


@cli.command()
@click.option("--version", "version", default=None, help=_VERSION_HELP)
def summary(version: str | None) -> None:
    """Load the bundled dataset and print a short summary.

    Shows the version, rows per table, the date range, what the sources cover (by
    publication year and by outlet), the claimed figures by election cycle and
    claimant (defections and stated totals, under the counting rules), the parties with the
    most claimed defectors in the Fresh News series, and the reconciliation headline.

    Example: cambodefect summary --version 1.0.0
    """
    import pyarrow.compute as pc

    from cambodefect import aggregate

    ds = _load(version)
    click.echo(ds.summary())
    years = aggregate.coverage(ds, by="year").to_pylist()
    click.echo("\n  sources read and the claims they carry, by publication year:")
    for row in years:
        year = "undated" if row["year"] is None else str(row["year"])
        click.echo(
            f"    {year:<8} {_n(row['sources'], 'source'):>11} {_n(row['claims'], 'claim'):>10}"
            f"  ({_n(row['counter_claims'], 'counter-claim')})"
        )
    outlets = aggregate.coverage(ds, by="outlet")
    outlets = outlets.filter(pc.greater(outlets["claims"], 0)).sort_by(
        [("claims", "descending"), ("outlet", "ascending")]
    )
    shown = outlets.slice(0, 10).to_pylist()
    click.echo("\n  by outlet (the ten carrying most claims):")
    width = max((len(str(r["outlet_name"] or r["outlet"])) for r in shown), default=0)
    for row in shown:
        name = str(row["outlet_name"] or row["outlet"])
        sources, claims = _n(row["sources"], "source"), _n(row["claims"], "claim")
        click.echo(
            f"    {name:<{width}} {sources:>11} {claims:>10}"
            f"  ({_n(row['counter_claims'], 'counter-claim')})"
        )
    if outlets.num_rows > len(shown):
        rest = outlets.slice(len(shown))
        click.echo(
            f"    ... {rest.num_rows} more outlets: {pc.sum(rest['sources']).as_py()} sources, "
            f"{pc.sum(rest['claims']).as_py()} claims"
        )
    click.echo(
        "\n  claimed figures by election cycle and claimant, five largest per cycle"
        "\n  (defections and stated totals; a total is never added to its own items, a"
        "\n  possible repeat counts only in the upper bound; a cycle runs up to its election):"
    )
    cycles = pc.unique(aggregate.claims_frame(ds, with_party_key=False)["cycle"]).to_pylist()
    lines = []
    for cycle in sorted(c for c in cycles if c is not None):
        rows = aggregate.by_claimant(ds, cycle=cycle)
        rows = rows.filter(pc.is_valid(rows["count_sum"])).sort_by(
            [("count_sum", "descending"), ("claimant", "ascending")]
        )
        lines += [(cycle, row) for row in rows.slice(0, 5).to_pylist()]
        if rows.num_rows > 5:
            lines.append((cycle, {"more": rows.num_rows - 5}))
    width = max((len(row.get("claimant", "")) for _, row in lines), default=0)
    for cycle, row in lines:
        if "more" in row:
            click.echo(f"    {cycle:<6} ... {row['more']} more claimants")
            continue
        upper = "open" if row["upper"] is None else f"{row['upper']:,}"
        click.echo(
            f"    {cycle:<6} {row['claimant']:<{width}} {row['unit']:<10} {row['count_sum']:>7,}"
            f"  (upper {upper}; {_n(row['claims'], 'claim')})"
        )
    claimants = set(aggregate.claims_frame(ds, with_party_key=False)["claimant"].to_pylist())
    if "fresh-news" in claimants:
        top = aggregate.by_party(ds, claimant="fresh-news")
        top = top.filter(pc.equal(top["unit"], "persons")).sort_by([("count_sum", "descending")])
        click.echo("\n  top former parties claimed by fresh-news (defections, persons):")
        for row in top.slice(0, 5).to_pylist():
            party = row["party_key"] or "(no former party stated)"
            click.echo(f"    {party:<50} {row['count_sum']:>6}  ({_n(row['claims'], 'claim')})")
    rec = aggregate.reconcile(ds).to_pylist()
    bad = [r for r in rec if r["status"] in ("mismatch", "contradiction")]
    click.echo(f"\n  reconcile: {len(rec)} stated totals with items, {len(bad)} not adding up")
    for r in bad:
        click.echo(
            f"    {r['id']}: stated {r['stated_text']}, items sum {r['items_sum']} "
            f"over {r['items']} items (difference {r['difference']})"
        )


def _n(count: int, noun: str) -> str:
    """'1 claim', '2 claims'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


@cli.command()
def info() -> None:
    """List bundled versions with release dates, files, checksums and schema version.

    Example: cambodefect info
    """
    from cambodefect._versions import data_root, releases
    from cambodefect.storage import read_manifest

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
def validate(path: Path | None, version: str | None, documents: Path | None) -> None:
    """Validate a dataset (a bundled version, or the folder PATH): list every problem.

    Exit code 3 if any error is found; warnings alone exit 0.

    Example: cambodefect validate --documents ../shared/seeds
    """
    from cambodefect.validation import validate as run

    ds = _load(version, path)
    found = run(ds, documents=documents)
    errors = [v for v in found if v.severity == "error"]
    for v in found:
        click.echo(f"{v.severity}: {v}")
    click.echo(f"{len(errors)} error(s), {len(found) - len(errors)} warning(s) in {ds.version}")
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

    files = run(ds, fmt, out, partition_by=partition_by, progress=progress)
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
    default=("defection",),
    show_default=True,
    help="Claim kind (repeatable).",
)
@click.option("--alignment", multiple=True, help="Claimant alignment (repeatable).")
@click.option("--party", multiple=True, help="Former party (name, alias or ID; repeatable).")
@click.option("--person", multiple=True, help="Person named in the claim (repeatable).")
@click.option("--era", multiple=True, help="2017-drive or 2023-wave (repeatable).")
@click.option("--exclude-disputed", is_flag=True, help="Leave out claims others dispute.")
@click.option(
    "--joint",
    type=click.Choice(["joint", "each"]),
    default="joint",
    show_default=True,
    help="Joint-party rows: one joint group, or counted for each party (over-counts).",
)
@click.option("--version", "version", default=None, help=_VERSION_HELP)
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
    exclude_disputed: bool,
    joint: str,
    version: str | None,
) -> None:
    """Aggregate claims from the shell (the rules of cambodefect.aggregate apply).

    Example: cambodefect query --by party --claimant fresh-news --era 2023-wave
    """
    from cambodefect import aggregate

    ds = _load(version)
    filters: dict[str, Any] = {"kind": list(kind), "include_disputed": not exclude_disputed}
    for key, value in (
        ("claimant", claimant),
        ("alignment", alignment),
        ("party", party),
        ("person", person),
        ("era", era),
    ):
        if value:
            filters[key] = list(value)
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
    _echo_table(table)


@cli.command()
@click.option("--version", "version", default=None, help=_VERSION_HELP)
def reconcile(version: str | None) -> None:
    """Stated totals against the sum of their items, with every discrepancy.

    Example: cambodefect reconcile
    """
    from cambodefect import aggregate

    _echo_table(aggregate.reconcile(_load(version)))


@cli.command()
@click.argument("old")
@click.argument("new")
def diff(old: str, new: str) -> None:
    """What changed between two versions (numbers, specifiers or dataset folders).

    Example: cambodefect diff 1.0.0 1.1.0
    """
    from cambodefect.compare import diff as run

    def pick(arg: str) -> Any:
        return _load(None, Path(arg)) if Path(arg).is_dir() else _load(arg)

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
