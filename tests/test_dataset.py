"""Tests for cambodefect.dataset: load(), versions() and the Dataset's lookups."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pytest

import cambodefect as cd
from cambodefect.dataset import ENV_VERSION, data_root


@pytest.fixture(scope="module")
def ds() -> cd.Dataset:
    return cd.load()


def test_versions_are_sorted_semver_and_load_defaults_to_newest(ds: cd.Dataset) -> None:
    """versions() lists bundled versions oldest first; load() picks the newest."""
    known = cd.versions()
    assert known, "no dataset version is bundled"
    keys = [tuple(int(p) for p in v.split(".")) for v in known]
    assert keys == sorted(keys)
    assert ds.version == known[-1]


def test_every_bundled_version_loads() -> None:
    """Each bundled version loads and verifies."""
    for version in cd.versions():
        assert cd.load(version=version).version == version


def test_unknown_version_lists_the_known_ones() -> None:
    """An unknown version is an UnknownVersionError naming every bundled version."""
    with pytest.raises(cd.UnknownVersionError) as info:
        cd.load(version="0.0.0")
    assert info.value.known == tuple(cd.versions())
    for version in cd.versions():
        assert version in str(info.value)


def test_tables_are_arrow_and_memory_mapped(ds: cd.Dataset) -> None:
    """The four tables are pyarrow Tables whose buffers live in the mapped files."""
    for name in ("parties", "persons", "sources", "claims"):
        table = ds.table(name)
        assert isinstance(table, pa.Table)
        assert table.num_rows == ds.manifest.rows[name]
    assert pa.total_allocated_bytes() < 1_000_000


def test_typed_iteration_matches_the_tables(ds: cd.Dataset) -> None:
    """Iterating typed records yields one object per row, of the model class."""
    assert len(list(ds.iter_parties())) == ds.parties.num_rows
    assert len(list(ds.iter_persons())) == ds.persons.num_rows
    assert all(isinstance(s, cd.Source) for s in ds.iter_sources())
    assert len(list(ds.iter_claims())) == ds.claims.num_rows
    parties_only = list(ds.iter_parties(kind="party"))
    assert parties_only and all(p.kind is cd.PartyKind.PARTY for p in parties_only)


def test_lookup_by_id_name_short_name_and_alias(ds: cd.Dataset) -> None:
    """A party resolves from its ID, name, short name or any alias, ignoring surface noise."""
    cnrp = ds.party("cambodia-national-rescue-party")
    assert ds.party("CNRP") == cnrp
    assert ds.party("  cambodia   national rescue PARTY ") == cnrp
    cpp = ds.party("Cambodian People’s Party")
    assert ds.party("Cambodian People's Party") == cpp
    assert ds.party("Grassroots Democratic Party").id == "grassroots-democracy-party"


def test_unknown_names_suggest_and_never_guess(ds: cd.Dataset) -> None:
    """A near miss raises UnknownPartyError with suggestions instead of matching."""
    with pytest.raises(cd.UnknownPartyError) as info:
        ds.party("Candlelite Party")
    assert "Candlelight Party" in info.value.suggestions
    with pytest.raises(cd.UnknownEntityError):
        ds.claim("no-such-claim")


def test_shared_names_are_ambiguous(ds: cd.Dataset) -> None:
    """Two organizations printed with the same name are not silently merged."""
    with pytest.raises(cd.AmbiguousNameError) as info:
        ds.party("Mother Nature")
    assert info.value.candidates == ("mother-nature", "mother-nature-government")


def test_table_names_are_checked(ds: cd.Dataset) -> None:
    """Asking for an unknown table names the real ones."""
    with pytest.raises(KeyError, match=r"parties, persons, sources, events, claims"):
        ds.table("votes")


def test_summary_and_repr(ds: cd.Dataset) -> None:
    """The summary names the version and each table's rows."""
    text = ds.summary()
    assert ds.version in text
    assert f"{ds.claims.num_rows:>5} rows" in text
    assert repr(ds).startswith(f"<Dataset {ds.version}:")


def test_load_from_a_path_verifies_it(tmp_path: Path) -> None:
    """load(path=...) reads any dataset folder, verified like a bundled one."""
    folder = tmp_path / "copy"
    shutil.copytree(data_root() / cd.versions()[-1], folder)
    assert cd.load(path=folder).version == cd.versions()[-1]
    (folder / "sources.arrow").write_bytes(b"garbage")
    with pytest.raises(cd.IntegrityError, match=r"sources.arrow"):
        cd.load(path=folder)
    with pytest.raises(TypeError, match=r"not both"):
        cd.load(version="1.0.0", path=folder)


def test_date_range_matches_the_typed_claims(ds: cd.Dataset) -> None:
    """date_range() is the min and max of every claim date bound (nulls ignored)."""
    bounds = [
        d
        for c in ds.iter_claims()
        for fd in (c.period, c.reported)
        if fd is not None
        for d in (fd.start, fd.end)
        if d is not None
    ]
    assert ds.date_range() == (min(bounds), max(bounds))


def test_installed_package_reads_its_own_bundle() -> None:
    """Installed (not from a checkout), the data comes from inside the package."""
    package_dir = Path(cd.__file__).resolve().parent
    root = data_root()
    if (package_dir.parents[1] / "pyproject.toml").is_file():
        pytest.skip("running from a source checkout (editable install)")
    assert root == package_dir / "_bundled"
    assert (root / cd.versions()[-1] / "manifest.json").is_file()


# -- citation ---------------------------------------------------------------------

CITATION_CFF = Path(__file__).resolve().parents[1] / "CITATION.cff"


def test_text_citation_is_one_line_with_version_date_and_hash(ds: cd.Dataset) -> None:
    """The default citation is the plain line: version, release date, content SHA-256."""
    assert ds.citation() == ds.citation("text") == ds.citation(format="text")
    assert ds.citation().startswith(
        f"cambodefect dataset {ds.version}, released {ds.manifest.released} "
        f"(content SHA-256 {ds.content_sha256}); "
    )
    assert "\n" not in ds.citation()


def test_bibtex_citation_names_the_exact_version(ds: cd.Dataset) -> None:
    """The BibTeX entry is one @misc with the title and authors of CITATION.cff, the
    version, the release date and the content SHA-256 in its note; no URL or DOI."""
    old = cd.load("1.0.0")
    entry = old.citation("bibtex")
    assert entry.startswith("@misc{cambodefect_dataset_1_0_0,\n") and entry.endswith("\n}")
    fields = dict(line.strip().rstrip(",").split(" = ", 1) for line in entry.splitlines()[1:-1])
    fields = {name.strip(): value.strip() for name, value in fields.items()}
    assert fields == {
        "author": "{{cambodefect developers}}",
        "title": "{{cambodefect}: claimed political defections in {Cambodia}}",
        "year": "{2026}",
        "month": "nov",
        "date": "{2026-11-22}",
        "version": "{1.0.0}",
        "howpublished": "{Dataset bundled with the cambodefect Python package}",
        "note": "{Dataset version 1.0.0, released 2026-11-22; content SHA-256 "
        "ac54ee1bd07656ab0d3ce84e78f794282af80d8838ec719cef0eee68a21537a3}",
    }
    assert entry.count("{") == entry.count("}")
    newest = ds.citation("bibtex")
    assert ds.content_sha256 in newest and f"version      = {{{ds.version}}}" in newest
    assert newest != entry


def test_bibtex_of_an_unreleased_dataset_has_no_date() -> None:
    """An in-memory dataset (no release date) cites no year; odd characters are escaped."""
    entry = cd.Dataset.from_records(version="1.0.0_rc&1").citation("bibtex")
    assert "year" not in entry and "released" not in entry
    assert "@misc{cambodefect_dataset_1_0_0_rc_1," in entry
    assert "version      = {1.0.0\\_rc\\&1}" in entry


def test_unknown_citation_format_names_the_valid_ones(ds: cd.Dataset) -> None:
    """An unknown format is an UnknownValueError naming it, the valid ones, the nearest."""
    with pytest.raises(cd.UnknownValueError) as info:
        ds.citation("bib")
    assert info.value.value == "bib"
    assert info.value.valid == ("text", "bibtex")
    assert info.value.suggestions == ("bibtex",)
    assert str(info.value) == (
        "unknown citation format 'bib' (did you mean 'bibtex'?); valid values: text, bibtex"
    )
    with pytest.raises(ValueError, match=r"unknown citation format 'BibTeX'"):
        ds.citation("BibTeX")


def test_citation_cff_prefers_the_newest_dataset_release() -> None:
    """CITATION.cff's preferred citation is the newest bundled dataset: its version,
    date and content hash; its title and authors are the ones the BibTeX entry uses."""
    if not CITATION_CFF.is_file():
        pytest.skip("CITATION.cff absent (not a source checkout)")
    yaml = pytest.importorskip("yaml")
    from cambodefect._citation import CITATION_AUTHORS, CITATION_TITLE

    cff = yaml.safe_load(CITATION_CFF.read_text(encoding="utf-8"))
    newest = cd.releases()[-1]
    preferred = cff["preferred-citation"]
    assert preferred["type"] == "data"
    assert preferred["title"] == cff["title"] == CITATION_TITLE
    assert [a["name"] for a in preferred["authors"]] == [a["name"] for a in cff["authors"]]
    assert tuple(a["name"] for a in cff["authors"]) == CITATION_AUTHORS
    assert str(preferred["version"]) == newest.version
    assert str(preferred["date-released"]) == newest.released
    assert newest.content_sha256 in preferred["notes"].replace("\n", " ")
    assert preferred["license"] == "CC-BY-4.0"
    fields = {line.split("=")[0].strip() for line in cd.load().citation("bibtex").splitlines()}
    for key in ("doi", "url"):  # the entry states a DOI or URL only where CITATION.cff does
        assert (key in fields) == (key in cff or key in preferred), key


_LONG = "1" * 5_000  # int() refuses more than 4,300 digits


@pytest.mark.parametrize("spec", ["", "  ", f"=={_LONG}", f">={_LONG}.0", f"~={_LONG}.0", _LONG])
def test_an_empty_or_huge_version_is_an_unknown_version(spec: str) -> None:
    """An empty specifier (it would match every version) and one with a number past
    int()'s 4,300 digits (before: a raw ValueError) are UnknownVersionErrors whose
    message shows at most 60 characters of it."""
    with pytest.raises(cd.UnknownVersionError, match="bundled versions") as info:
        cd.load(version=spec)
    assert info.value.version == spec.strip()
    assert len(str(info.value)) < 200


def test_a_huge_version_in_the_environment_is_named_as_from_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A 5,000-digit pin in CAMBODEFECT_DATASET_VERSION is an UnknownVersionError that
    names the variable."""
    monkeypatch.setenv(ENV_VERSION, f"=={_LONG}")
    with pytest.raises(cd.UnknownVersionError, match=f"from {ENV_VERSION}"):
        cd.load()


@pytest.mark.parametrize("route", ["option", "environment"])
def test_the_cli_refuses_a_huge_version_in_one_line(route: str) -> None:
    """`--version` or the environment variable with a 5,000-digit specifier: exit code
    1, one line on stderr naming the variable when it came from there, no traceback."""
    import os
    import subprocess
    import sys

    argv = [sys.executable, "-m", "cambodefect", "summary"]
    env = {k: v for k, v in os.environ.items() if k != ENV_VERSION}
    if route == "option":
        argv += ["--version", f"=={_LONG}"]
    else:
        env[ENV_VERSION] = f"=={_LONG}"
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)  # noqa: S603  # our CLI
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("error: unknown dataset version '==111")
    assert len(done.stderr.splitlines()) == 1
    assert (ENV_VERSION in done.stderr) == (route == "environment")
