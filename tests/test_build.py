"""Tests for cambodefect.build and cambodefect.sourcefiles: the source folder builds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cambodefect.build import build, stale_files
from cambodefect.errors import InvalidRecordError
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
