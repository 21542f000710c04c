"""Tests for cambodefect.cli, run as a subprocess the way users run it."""

from __future__ import annotations

import subprocess
import sys

import cambodefect as cd

from .conftest import DATASETS


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  # fixed argv, our own CLI
        [sys.executable, "-m", "cambodefect", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_summary_prints_version_and_counts() -> None:
    """`cambodefect summary` prints the newest version and every table's rows."""
    result = _run("summary")
    assert result.returncode == 0, result.stderr
    assert cd.versions()[-1] in result.stdout
    for table in ("parties", "persons", "sources", "claims"):
        assert table in result.stdout


def test_unknown_version_is_one_line_and_exit_1() -> None:
    """An error is one line on stderr with exit code 1, not a traceback."""
    result = _run("summary", "--version", "0.0.0")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: unknown dataset version '0.0.0'; bundled versions: {', '.join(cd.versions())}"
    ]


def test_build_check_reports_current_files() -> None:
    """`cambodefect build --check` confirms the committed files match the source."""
    result = _run("build", "--check", "--out", str(DATASETS))
    assert result.returncode == 0, result.stderr
    assert "current" in result.stdout


def test_help_lists_commands() -> None:
    """--help works and lists the subcommands."""
    result = _run("--help")
    assert result.returncode == 0
    assert "summary" in result.stdout and "build" in result.stdout
