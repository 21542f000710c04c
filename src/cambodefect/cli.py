"""The ``cambodefect`` command line.

Exit codes: 0 success; 1 a cambodefect error (printed as one line, no traceback);
2 a usage error.

Example (from a shell)::

    cambodefect summary
    cambodefect build --check
"""

from __future__ import annotations

from pathlib import Path

import click

from cambodefect.errors import CambodefectError

__all__ = ["main"]


def _repo_datasets() -> Path:
    return Path.cwd() / "datasets"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cambodefect")
def cli() -> None:
    """Claimed political defections in Cambodia, traced to claimant, source and line."""


@cli.command()
@click.option("--version", "version", default=None, help="Dataset version (default: newest).")
def summary(version: str | None) -> None:
    """Load the bundled dataset and print a short summary.

    Example: cambodefect summary --version 1.0.0
    """
    from cambodefect.dataset import load

    click.echo(load(version).summary())


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

    datasets = out or _repo_datasets()
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
        cli(standalone_mode=False)
    except click.exceptions.Abort:
        raise SystemExit(1) from None
    except click.ClickException as err:
        err.show()
        raise SystemExit(err.exit_code) from None
    except CambodefectError as err:
        click.echo(f"error: {err}", err=True)
        raise SystemExit(1) from None
