"""Tests for cambodefect.dataset: load(), versions() and the Dataset's lookups."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pytest

import cambodefect as cd
from cambodefect.dataset import data_root


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
