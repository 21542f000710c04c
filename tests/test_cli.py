"""Tests for cambodefect.cli, run as a subprocess the way users run it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

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
    assert "cite" in result.stdout


def test_summary_shows_top_parties_and_reconcile_headline() -> None:
    """The summary names the top former parties and the 6,473 vs 6,476 mismatch."""
    out = _run("summary").stdout
    assert "candlelight-party" in out
    assert "voa-media-claims-fresh-news-total-6473" in out and "difference -3" in out


def test_summary_shows_coverage_by_year_and_outlet() -> None:
    """The summary says what the record covers: sources and claims per year and outlet."""
    out = _run("summary").stdout
    assert "by publication year" in out and "by outlet" in out
    assert re.search(r"^ {4}2008 +7 sources +33 claims", out, re.MULTILINE)
    assert re.search(r"^ {4}Phnom Penh Post +32 sources", out, re.MULTILINE)
    assert re.search(r"^ {4}2013 +ppp-2012-mass-defection-sam-rainsy-party", out, re.MULTILINE)


def test_info_lists_versions_files_and_checksums() -> None:
    """`info` shows each bundled version with its files, rows and SHA-256s."""
    result = _run("info")
    assert result.returncode == 0, result.stderr
    ds = cd.load()
    assert f"dataset {ds.version}" in result.stdout
    for name in ("parties", "persons", "sources", "claims"):
        assert ds.manifest.sha256[name] in result.stdout


def test_cite_prints_the_text_or_bibtex_citation() -> None:
    """`cite` prints the dataset's citation line; `--format bibtex` its BibTeX entry, for
    the version asked for."""
    result = _run("cite")
    assert result.returncode == 0, result.stderr
    assert result.stdout == cd.load().citation() + "\n"
    bibtex = _run("cite", "--format", "bibtex", "--version", "1.0.0")
    assert bibtex.returncode == 0, bibtex.stderr
    assert bibtex.stdout == cd.load("1.0.0").citation("bibtex") + "\n"
    assert bibtex.stdout.startswith("@misc{cambodefect_dataset_1_0_0,")


def test_cite_rejects_an_unknown_format_in_one_line() -> None:
    """An unknown citation format is a one-line error naming the valid ones, exit 1."""
    result = _run("cite", "--format", "apa")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: unknown citation format 'apa'; valid values: text, bibtex"
    ]
    assert result.stdout == ""
    assert "text" in _run("cite", "--help").stdout


def test_query_by_each_key() -> None:
    """`query --by X` prints a table for every grouping key."""
    for by in ("party", "period", "claimant", "alignment", "cumulative"):
        result = _run("query", "--by", by, "--claimant", "fresh-news", "--era", "2023-wave")
        assert result.returncode == 0, (by, result.stderr)
        assert "count_sum" in result.stdout.splitlines()[0]
    party = _run("query", "--by", "party", "--claimant", "fresh-news", "--era", "2023-wave")
    assert "unnamed-parties" in party.stdout and "placeholder" in party.stdout


def test_query_rejects_unknown_values_in_one_line() -> None:
    """A bad filter value is a one-line error naming the valid ones, exit 1."""
    result = _run("query", "--era", "2020")
    assert result.returncode == 1
    assert result.stderr.startswith("error: unknown era")
    assert "Traceback" not in result.stderr


def test_reconcile_prints_every_total() -> None:
    """`reconcile` lists the stated totals with items and their status."""
    result = _run("reconcile")
    assert result.returncode == 0, result.stderr
    assert "mismatch" in result.stdout and "match" in result.stdout


def test_validate_passes_the_bundled_data_and_flags_a_broken_folder(tmp_path: Path) -> None:
    """`validate` exits 0 on the bundled data; a corrupt folder is an error, exit 1."""
    result = _run("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stdout
    import shutil

    from cambodefect.dataset import data_root

    copy = tmp_path / "copy"
    shutil.copytree(data_root() / cd.versions()[-1], copy)
    (copy / "claims.arrow").write_bytes(b"not arrow")
    broken = _run("validate", str(copy))
    assert broken.returncode == 1
    assert "claims.arrow" in broken.stderr


def test_validate_exit_code_3_on_invalid_records(tmp_path: Path) -> None:
    """A dataset with a dangling reference exits 3 and lists the violation."""
    from cambodefect.schema import TABLES, to_table
    from cambodefect.storage import write_dataset

    ev = (cd.Evidence(source_id="nowhere", line=1, note="n"),)
    party = cd.Party(id="p", name="P", kind=cd.PartyKind.PARTY, evidence=ev)
    tables = {name: to_table([], name) for name in TABLES}
    tables["parties"] = to_table([party], "parties")
    write_dataset(tmp_path / "bad", tables, version="0.0.1", released="2026-01-01")
    result = _run("validate", str(tmp_path / "bad"))
    assert result.returncode == 3
    assert "dangling-ref" in result.stdout


def test_export_writes_files_with_a_progress_bar(tmp_path: Path) -> None:
    """`export` writes the format's files, lists them, and draws progress on stderr."""
    result = _run("export", "--format", "csv", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    listed = result.stdout.split()
    assert sorted(Path(p).name for p in listed) == [
        "claims.csv",
        "events.csv",
        "parties.csv",
        "persons.csv",
        "sources.csv",
    ]
    assert "5/5 files" in result.stderr
    bad = _run("export", "--format", "xml", "--out", str(tmp_path))
    assert bad.returncode == 1
    assert bad.stderr.startswith("error: unknown export format 'xml'")


def test_version_and_path_together_are_a_one_line_error() -> None:
    """Conflicting arguments give a one-line error, not a traceback."""
    from cambodefect.dataset import data_root

    folder = str(data_root() / cd.versions()[-1])
    result = _run("validate", folder, "--version", cd.versions()[-1])
    assert result.returncode == 1
    assert result.stderr.startswith("error: pass version or path, not both")


def test_build_writes_a_version_folder(tmp_path: Path) -> None:
    """`build --source S --out O` writes O/<version>/ identical to the committed files."""
    source = DATASETS / "source"
    if not source.is_dir():
        import pytest

        pytest.skip("not a source checkout")
    result = _run("build", "--source", str(source), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    version = cd.versions()[-1]
    for path in sorted((DATASETS / version).iterdir()):
        assert (tmp_path / version / path.name).read_bytes() == path.read_bytes(), path.name
