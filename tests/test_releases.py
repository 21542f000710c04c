"""Tests for release discipline: immutable versions, pins, citations, stable IDs."""

from __future__ import annotations

import hashlib
import shutil
import tomllib
from pathlib import Path

import pytest

import cambodefect as cd
from cambodefect.dataset import ENV_VERSION, data_root, resolve_version
from cambodefect.schema import TABLES, to_table
from cambodefect.storage import write_dataset

from .conftest import DATASETS

LOCK = DATASETS / "releases.toml"
needs_checkout = pytest.mark.skipif(not LOCK.is_file(), reason="not a source checkout")


@needs_checkout
def test_released_versions_are_immutable() -> None:
    """Every released version's manifest (and so every file checksum) is exactly as released."""
    lock = tomllib.loads(LOCK.read_text(encoding="utf-8"))["release"]
    assert lock, "no release recorded"
    for entry in lock:
        manifest = DATASETS / entry["version"] / "manifest.json"
        digest = hashlib.sha256(manifest.read_bytes()).hexdigest()
        assert digest == entry["manifest_sha256"], f"released {entry['version']} was changed"
        ds = cd.load(path=manifest.parent)  # verifies every file against the manifest
        assert ds.manifest.released == entry["released"].isoformat()


@needs_checkout
def test_every_bundled_version_is_a_recorded_release() -> None:
    """Nothing is bundled that has not been released (and every release is bundled)."""
    lock = tomllib.loads(LOCK.read_text(encoding="utf-8"))["release"]
    assert sorted(e["version"] for e in lock) == sorted(cd.versions())


def test_releases_list_dates_and_content_hashes() -> None:
    """releases() gives each bundled version's date and the hash its Dataset reports."""
    for release in cd.releases():
        ds = cd.load(release.version)
        assert release.released == ds.manifest.released
        assert release.content_sha256 == ds.content_sha256


def test_specifiers_pick_the_newest_match() -> None:
    """PEP 440 specifiers resolve to the newest matching version; nothing matching is an error."""
    known = ["1.0.0", "1.0.1", "1.1.0", "2.0.0"]
    assert resolve_version("~=1.0", known) == "1.1.0"
    assert resolve_version("==1.0.*", known) == "1.0.1"
    assert resolve_version(">=1.0,<2", known) == "1.1.0"
    assert resolve_version("2.0.0", known) == "2.0.0"
    with pytest.raises(cd.UnknownVersionError, match=r"1\.0\.0, 1\.0\.1, 1\.1\.0, 2\.0\.0"):
        resolve_version("~=3.0", known)
    with pytest.raises(cd.UnknownVersionError):
        resolve_version("not a version", known)


def test_environment_variable_pins_an_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    """CAMBODEFECT_DATASET_VERSION applies when load() gets no version; explicit wins."""
    newest = cd.versions()[-1]
    monkeypatch.setenv(ENV_VERSION, f"=={newest}")
    assert cd.load().version == newest
    monkeypatch.setenv(ENV_VERSION, "~=99.0")
    with pytest.raises(cd.UnknownVersionError):
        cd.load()
    assert cd.load(newest).version == newest


def test_citation_names_version_and_content() -> None:
    """The citation carries the version, the release date and the content hash."""
    ds = cd.load()
    text = ds.citation()
    assert ds.version in text and ds.manifest.released in text
    assert ds.content_sha256 in text
    assert len(ds.content_sha256) == 64


def _version(
    folder: Path,
    version: str,
    parties: list[cd.Party],
    redirects: dict[str, dict[str, str]] | None = None,
) -> Path:
    tables = {name: to_table([], name) for name in TABLES}
    tables["parties"] = to_table(parties, "parties")
    write_dataset(
        folder / version, tables, version=version, released="2026-01-01", redirects=redirects
    )
    return folder / version


def _party(ident: str, name: str) -> cd.Party:
    ev = (cd.Evidence(source_id="s", line=1, note="n"),)
    return cd.Party(id=ident, name=name, kind=cd.PartyKind.PARTY, evidence=ev)


def test_merged_ids_stay_resolvable(tmp_path: Path) -> None:
    """An ID merged away in a later version resolves (through redirects) to its successor."""
    old = cd.load(path=_version(tmp_path, "1.0.0", [_party("a", "A"), _party("b", "B")]))
    new = cd.load(path=_version(tmp_path, "1.1.0", [_party("a", "A")], {"parties": {"b": "a"}}))
    for ident in old.parties.column("id").to_pylist():
        assert new.party(ident).id == new.redirect("parties", ident)
    assert new.party("b").id == "a"


def test_every_earlier_id_resolves_in_the_newest_version() -> None:
    """Each ID of each bundled version resolves in the newest one (directly or redirected)."""
    newest = cd.load()
    getters = {
        "parties": newest.party,
        "persons": newest.person,
        "sources": newest.source,
        "claims": newest.claim,
    }
    for version in cd.versions():
        old = cd.load(version)
        for table, get in getters.items():
            for ident in old.table(table).column("id").to_pylist():
                get(ident)


def test_bundle_holds_each_version_once(tmp_path: Path) -> None:
    """The data root holds one folder per version, each loadable by path as by number."""
    for version in cd.versions():
        copy = tmp_path / version
        shutil.copytree(data_root() / version, copy)
        assert cd.load(path=copy).content_sha256 == cd.load(version).content_sha256


@pytest.mark.parametrize(
    ("moves", "reason"),
    [
        ({"a": "b"}, r"redirect 'a': 'a' is a live parties ID"),
        ({"gone": "nowhere"}, r"redirect 'gone': points to 'nowhere', not a parties ID"),
        ({"x": "y", "y": "x"}, r"redirect 'x': redirect loop 'x' -> 'y' -> 'x'"),
        ({"p": "x", "x": "y", "y": "x"}, r"redirect 'p': redirect loop 'x' -> 'y' -> 'x'"),
    ],
)
def test_redirects_contradicting_the_tables_are_refused_on_load(
    tmp_path: Path, moves: dict[str, str], reason: str
) -> None:
    """A manifest redirecting a live ID, to a missing ID, or in a loop is an
    IntegrityError naming the manifest, the retired ID and the loop."""
    folder = _version(tmp_path, "1.0.0", [_party("a", "A"), _party("b", "B")], {"parties": moves})
    with pytest.raises(cd.IntegrityError, match=reason) as info:
        cd.load(path=folder)
    assert info.value.path == str(folder / "manifest.json")


def test_redirects_never_hide_a_live_id_and_are_validated() -> None:
    """In a dataset built in memory (not loaded), a live ID wins over a redirect from
    it, and validate() reports every bad redirect."""
    import dataclasses

    ds = cd.Dataset.from_records(parties=[_party("a", "A"), _party("b", "B")])
    moves = {"a": "b", "gone": "nowhere", "x": "y", "y": "x"}
    ds.manifest = dataclasses.replace(ds.manifest, redirects={"parties": moves})
    assert ds.party("a").id == "a"
    codes = [(v.code, v.record) for v in cd.validate(ds) if v.code == "bad-redirect"]
    assert sorted(codes) == [
        ("bad-redirect", "a"),
        ("bad-redirect", "gone"),
        ("bad-redirect", "x"),
        ("bad-redirect", "y"),
    ]


def test_a_long_redirect_chain_is_checked_in_linear_steps() -> None:
    """Checking redirects follows each link once: over a chain of 2,000 IDs, accepted
    when it ends in a live ID and named when it closes into a loop, the number of links
    followed stays linear (the previous check followed every chain from its start)."""
    from cambodefect.storage import redirect_violations

    class Counted(dict[str, str]):
        follows = 0

        def __getitem__(self, key: str) -> str:
            Counted.follows += 1
            return super().__getitem__(key)

    n = 2_000
    chain = Counted({f"id-{i}": f"id-{i + 1}" for i in range(n)})
    assert redirect_violations({"parties": chain}, {"parties": {f"id-{n}"}}) == []
    assert Counted.follows <= 2 * n
    chain[f"id-{n - 1}"] = "id-0"
    Counted.follows = 0
    problems = redirect_violations({"parties": chain}, {"parties": set()})
    assert Counted.follows <= 2 * n
    assert len(problems) == n
    assert "redirect loop 'id-0' -> 'id-1'" in problems[0].message
    assert f"({n} IDs)" in problems[0].message
