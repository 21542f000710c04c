"""Tests for cambodefect.cli, run as a subprocess the way users run it."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import cambodefect as cd

from .conftest import DATASETS, REPO


def _run(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  # fixed argv, our own CLI
        [sys.executable, "-m", "cambodefect", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
        cwd=cwd,
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
        "error: unknown dataset version '0.0.0' (from --version); "
        f"bundled versions: {', '.join(cd.versions())}"
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
    wide = {"COLUMNS": "200"}
    for by in ("party", "period", "claimant", "alignment", "cumulative"):
        result = _run(
            "query", "--by", by, "--claimant", "fresh-news", "--era", "2023-wave", env=wide
        )
        assert result.returncode == 0, (by, result.stderr)
        assert "count_sum" in result.stdout.splitlines()[0]
    party = _run("query", "--by", "party", "--claimant", "fresh-news", "--era", "2023-wave")
    assert "unnamed-parties" in party.stdout and "placeholder" in party.stdout
    narrow = party.stdout.splitlines()  # 80 columns: one block per row, nothing cut
    assert narrow[0] == "-- row 1 of 15" and max(len(line) for line in narrow) <= 80


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


def test_export_writes_files_and_reports_them(tmp_path: Path) -> None:
    """`export` writes the format's files, lists them, and (stderr not being a
    terminal here) says how many it wrote in one line, with no progress frames."""
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
    assert result.stderr == f"exported 5 csv file(s) to {tmp_path}\n"
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


# -- a newcomer's first hour ------------------------------------------------------------


def test_reconcile_fits_an_80_column_terminal() -> None:
    """The table wraps to the terminal's width (227-character lines before); the full
    columns are one option away and named."""
    from rich.cells import cell_len

    out = _run("reconcile", env={"COLUMNS": "80"}).stdout
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    assert "voa-media-" in out and "--format csv or json" in out


def test_tables_come_as_csv_and_json_with_every_column() -> None:
    """`--format csv|json` on query, reconcile, validate and info: what programs read."""
    from cambodefect import aggregate as ag

    rec = ag.reconcile(cd.load())
    rows = list(csv.DictReader(io.StringIO(_run("reconcile", "--format", "csv").stdout)))
    assert [r["id"] for r in rows] == rec.column("id").to_pylist()
    assert list(rows[0]) == rec.column_names
    data = json.loads(_run("reconcile", "--format", "json").stdout)
    assert [r["difference"] for r in data] == rec.column("difference").to_pylist()
    query = json.loads(_run("query", "--claimant", "Fresh News", "--format", "json").stdout)
    assert sum(r["count_sum"] or 0 for r in query) == sum(
        r["count_sum"] or 0 for r in ag.by_party(cd.load(), claimant="fresh-news").to_pylist()
    )
    violations = json.loads(_run("validate", "--format", "json").stdout)
    assert {v["code"] for v in violations} == {"homonym"}
    files = list(csv.DictReader(io.StringIO(_run("info", "--format", "csv").stdout)))
    assert {f["version"] for f in files} == set(cd.versions())


def test_query_takes_names_cycles_and_iso_dates() -> None:
    """A claimant's name as printed works, and so do --cycle and ISO --start/--end."""
    result = _run("query", "--claimant", "Fresh News", "--cycle", "2023", "--start", "2023-05-01")
    assert result.returncode == 0, result.stderr
    assert "candlelight-party" in result.stdout


def test_summary_as_json_says_what_the_text_says() -> None:
    """`summary --format json`: every section, the same figures as the text."""
    from cambodefect import aggregate as ag

    data = json.loads(_run("summary", "--format", "json").stdout)
    assert data["version"] == cd.versions()[-1]
    assert data["rows"]["claims"] == cd.load().claims.num_rows
    assert data["reconcile"]["stated_totals"] == ag.reconcile(cd.load()).num_rows
    text = _run("summary").stdout
    assert f"{data['reconcile']['stated_totals']} stated totals with items" in text
    assert f"{data['dated']['first']} to {data['dated']['last']}" in text


def test_summary_dates_keep_their_precision() -> None:
    """A claim dated only "2017" is not printed as 2017-01-01."""
    out = _run("summary", "--version", "1.0.0").stdout
    assert "claims dated 2017 to" in out and "2017-01-01" not in out


def test_export_draws_no_progress_bar_into_a_log(tmp_path: Path) -> None:
    """Progress frames ("\\r") only on a terminal; a captured stderr gets none."""
    result = _run("export", "--format", "csv", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stderr


def test_a_version_from_the_environment_is_named_when_unknown() -> None:
    """The error says where the unknown version came from."""
    result = _run("summary", env={"CAMBODEFECT_DATASET_VERSION": "2.0"})
    assert result.returncode == 1
    assert "(from CAMBODEFECT_DATASET_VERSION)" in result.stderr


def test_build_outside_a_checkout_says_so(tmp_path: Path) -> None:
    """Not a record-field error about dataset.toml: a plain "no dataset source here"."""
    result = _run("build", "--check", cwd=tmp_path)
    assert result.returncode == 1
    assert "no dataset source here" in result.stderr
    assert "record field" not in result.stderr


def test_doctor_says_what_is_installed_and_where() -> None:
    """`doctor`: package and data versions, the data folder, held documents, extras."""
    data = json.loads(_run("doctor", "--format", "json").stdout)
    assert data["loads"]["version"] == cd.versions()[-1]
    assert [v["version"] for v in data["versions"]] == cd.versions()
    # A checkout installed editable has the dataset source beside the data; an
    # installed wheel (as CI's `pip install '.[test]'`) does not.
    from_checkout = Path(cd.__file__).resolve().is_relative_to(REPO / "src")
    assert data["source_checkout"] is from_checkout
    assert set(data["extras"]) >= {"pandas", "polars", "matplotlib"}
    text = _run("doctor").stdout
    assert "held documents:" in text and "optional packages:" in text


def test_build_and_export_where_nothing_can_be_written_print_one_line(tmp_path: Path) -> None:
    """`build`/`export` into a path under a regular file: one error line, exit 1, no traceback."""
    (tmp_path / "blocker").write_text("keep", encoding="utf-8")
    source = tmp_path / "src"
    source.mkdir()
    (source / "dataset.toml").write_text('version = "0.0.1"\nreleased = 2026-01-01\n')
    out = tmp_path / "blocker" / "sub"
    for args in (
        ("build", "--source", str(source), "--out", str(out)),
        ("export", "--format", "csv", "--out", str(out)),
    ):
        result = _run(*args)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
        assert str(out) in lines[0] and "Not a directory" in lines[0]


def test_build_refuses_a_version_that_would_leave_out(tmp_path: Path) -> None:
    """`build` with version '../../escaped' names it, exits 1 and writes nothing."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "dataset.toml").write_text('version = "../../escaped"\nreleased = 2026-01-01\n')
    result = _run("build", "--source", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "'../../escaped'" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]


def test_an_unknown_version_from_the_option_is_named_as_from_it(tmp_path: Path) -> None:
    """Every command with --version names the option when its value is unknown (also
    when the environment variable is set too: the option wins), in one line, exit 1;
    nothing is written."""
    out = tmp_path / "out"
    for args in (
        ("summary",),
        ("cite",),
        ("validate",),
        ("reconcile",),
        ("query", "--by", "party"),
        ("export", "--format", "csv", "--out", str(out)),
    ):
        result = _run(*args, "--version", "9.9", env={"CAMBODEFECT_DATASET_VERSION": "1.0.0"})
        assert result.returncode == 1, (args, result.stderr)
        assert result.stderr.startswith("error: unknown dataset version '9.9' (from --version);")
        assert len(result.stderr.splitlines()) == 1
        assert "CAMBODEFECT_DATASET_VERSION" not in result.stderr
    assert not out.exists()
