"""Tests for cambodefect.build and cambodefect.sourcefiles: the source folder builds."""

from __future__ import annotations

import errno
import os
import shutil
import stat
from pathlib import Path

import pytest

from cambodefect.build import build, stale_files
from cambodefect.errors import InvalidRecordError, WriteError
from cambodefect.sourcefiles import read_source

from .conftest import DATASETS

SOURCE = DATASETS / "source"

needs_source = pytest.mark.skipif(
    not SOURCE.is_dir(), reason=f"{SOURCE} is absent (not a source checkout)"
)


@needs_source
def test_committed_files_match_the_source() -> None:
    """datasets/<version>/ is exactly what datasets/source/ builds to."""
    assert stale_files(SOURCE, DATASETS) == []


@needs_source
def test_building_twice_is_byte_identical(tmp_path: Path) -> None:
    """Two builds of the same source give identical bytes."""
    a = build(SOURCE, tmp_path / "a")
    b = build(SOURCE, tmp_path / "b")
    for path in sorted(a.iterdir()):
        assert path.read_bytes() == (b / path.name).read_bytes(), path.name


def _copy_source(tmp_path: Path) -> Path:
    target = tmp_path / "source"
    shutil.copytree(SOURCE, target)
    return target


@needs_source
def test_every_invalid_record_is_reported(tmp_path: Path) -> None:
    """Several bad records in several files are all listed in one InvalidRecordError."""
    src = _copy_source(tmp_path)
    parties = src / "parties.toml"
    parties.write_text(
        parties.read_text(encoding="utf-8").replace('kind = "placeholder"', 'kind = "plaseholder"'),
        encoding="utf-8",
    )
    with (src / "claims" / "zz-bad.toml").open("w", encoding="utf-8") as fh:
        fh.write(
            '[[claim]]\nid = "Bad ID"\nkind = "defection"\nevidence = []\n'
            'claimant = { kind = "group", alignment = "unknown", label = "x" }\n'
            '[[claim]]\nid = "ok-id"\nkind = "defection"\ncolour = "red"\n'
            'evidence = [{ source_id = "s", line = 1, note = "n" }]\n'
            'claimant = { kind = "group", alignment = "unknown", label = "x" }\n'
        )
    with pytest.raises(InvalidRecordError) as info:
        read_source(src)
    text = str(info.value)
    assert "plaseholder" in text
    assert "Bad ID" in text
    assert "colour" in text
    assert len(info.value.violations) >= 3


@needs_source
def test_duplicate_ids_and_toml_errors_are_reported(tmp_path: Path) -> None:
    """A repeated ID and a syntax error are each named."""
    src = _copy_source(tmp_path)
    (src / "claims" / "zz-dup.toml").write_text(
        (src / "claims")
        .joinpath(sorted(p.name for p in (src / "claims").glob("*.toml"))[0])
        .read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    (src / "persons.toml").write_text("[[person]\n", encoding="utf-8")
    with pytest.raises(InvalidRecordError) as info:
        read_source(src)
    codes = {v.code for v in info.value.violations}
    assert {"duplicate-id", "toml-syntax"} <= codes


def test_dataset_meta_is_required(tmp_path: Path) -> None:
    """A source folder without version and release date is refused."""
    with pytest.raises(InvalidRecordError, match=r"dataset-meta"):
        read_source(tmp_path)


# -- where a build writes, and what it does when it cannot -----------------------------


def _minimal_source(tmp_path: Path, version: str) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "dataset.toml").write_text(
        f"version = {version!r}\nreleased = 2026-01-01\n", encoding="utf-8"
    )
    return src


@pytest.mark.parametrize(
    "version", ["../../escaped", "../escaped", "/escaped", "3.0.0/../../x", "1.0", "v1.0.0", ""]
)
def test_a_version_that_is_not_a_plain_version_is_refused_before_writing(
    tmp_path: Path, version: str
) -> None:
    """A version such as '../../escaped' names no folder: refused, naming it; nothing written."""
    src = _minimal_source(tmp_path, version)
    out = tmp_path / "a" / "b" / "out"
    with pytest.raises(InvalidRecordError, match=r"is not a MAJOR\.MINOR\.PATCH version") as info:
        build(src, out)
    assert repr(version) in str(info.value)
    assert [v.code for v in info.value.violations] == ["dataset-meta"]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "src",
        "src/dataset.toml",
    ]


@needs_source
def test_a_copied_source_with_a_traversing_version_writes_nothing_outside(tmp_path: Path) -> None:
    """The real source tree with version '../../escaped' is refused, and --out stays empty."""
    src = _copy_source(tmp_path)
    meta = src / "dataset.toml"
    text = meta.read_text(encoding="utf-8")
    version = read_source(src).version
    meta.write_text(text.replace(f'"{version}"', '"../../escaped"', 1), encoding="utf-8")
    out = tmp_path / "x" / "y" / "out"
    with pytest.raises(InvalidRecordError, match=r"'\.\./\.\./escaped'"):
        build(src, out)
    assert not (tmp_path / "x").exists()
    assert not (tmp_path / "escaped").exists()


def _modes(folder: Path) -> set[tuple[str, int]]:
    return {
        ("dir" if p.is_dir() else "file", stat.S_IMODE(p.stat().st_mode))
        for p in [folder, *folder.rglob("*")]
    }


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.parametrize(
    ("umask", "file", "folder"), [(0o022, 0o644, 0o755), (0o077, 0o600, 0o700)]
)
def test_built_files_follow_the_umask(tmp_path: Path, umask: int, file: int, folder: int) -> None:
    """Built files are 0o666 and folders 0o777 minus the umask (not mkstemp's 0o600)."""
    src = _minimal_source(tmp_path, "0.0.1")
    old = os.umask(umask)
    try:
        built = build(src, tmp_path / "out")
    finally:
        os.umask(old)
    assert _modes(built) == {("dir", folder), ("file", file)}


def _unwritable(tmp_path: Path) -> Path:
    """A folder that cannot be created: its parent is a regular file (works as root too)."""
    blocker = tmp_path / "blocker"
    blocker.write_text("keep", encoding="utf-8")
    return blocker / "sub"


def test_building_where_no_folder_can_be_made_is_a_write_error(tmp_path: Path) -> None:
    """A path under a regular file: WriteError (an OSError too) naming the path and reason."""
    src = _minimal_source(tmp_path, "0.0.1")
    out = _unwritable(tmp_path)
    with pytest.raises(WriteError) as info:
        build(src, out)
    assert isinstance(info.value, OSError)
    assert str(out) in str(info.value)
    assert "Not a directory" in str(info.value)
    assert info.value.errno == errno.ENOTDIR
    assert isinstance(info.value.__cause__, OSError)
    assert (tmp_path / "blocker").read_text(encoding="utf-8") == "keep"


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders"
)
def test_building_into_a_read_only_folder_is_a_write_error(tmp_path: Path) -> None:
    """A read-only --out folder: WriteError naming it, with 'Permission denied'."""
    src = _minimal_source(tmp_path, "0.0.1")
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o555)
    try:
        with pytest.raises(WriteError, match="Permission denied") as info:
            build(src, out)
    finally:
        out.chmod(0o755)
    assert str(out) in str(info.value)
    assert info.value.errno == errno.EACCES
