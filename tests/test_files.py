"""Tests for cambodefect._files: reading files of an untrusted folder, bounded."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cambodefect._files import loads_strict, map_file, open_regular, read_bounded, strings
from cambodefect.errors import IntegrityError


def test_special_files_are_refused_before_they_are_opened(tmp_path: Path) -> None:
    """A FIFO, a device (also behind a symbolic link) and a directory are IntegrityErrors
    naming what they are; a FIFO is never opened, so nothing blocks."""
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "zero").symlink_to("/dev/zero")
    (tmp_path / "dir").mkdir()
    for name, kind in (("fifo", "a FIFO"), ("zero", "a character device"), ("dir", "a directory")):
        where = str(tmp_path / name)
        with pytest.raises(IntegrityError, match=f"file is {kind}, not a regular file") as info:
            open_regular(where, "file")
        assert info.value.path == where
        with pytest.raises(IntegrityError, match=kind):
            map_file(where)


def test_a_symbolic_link_to_a_regular_file_is_followed(tmp_path: Path) -> None:
    """A link to a regular file reads as that file (documented: links are followed)."""
    (tmp_path / "real").write_bytes(b"abc")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert read_bounded(str(tmp_path / "link"), "file", 10) == b"abc"
    buf, stamp = map_file(str(tmp_path / "link"))
    assert buf.to_pybytes() == b"abc"
    assert stamp[:2] == ((tmp_path / "real").stat().st_ino, 3)


def test_reads_stop_at_the_limit(tmp_path: Path) -> None:
    """A file over the limit is refused from its size, before any read, naming both; a
    sparse 3 GB file costs nothing. A file at the limit reads whole."""
    big = tmp_path / "big"
    with big.open("wb") as fh:
        fh.truncate(3 << 30)
    with pytest.raises(IntegrityError, match=r"is 3,221,225,472 bytes; the limit is 1,024"):
        read_bounded(str(big), "manifest", 1024)
    (tmp_path / "edge").write_bytes(b"x" * 1024)
    assert len(read_bounded(str(tmp_path / "edge"), "manifest", 1024)) == 1024


def test_missing_and_unopenable_paths_are_integrity_errors(tmp_path: Path) -> None:
    """A missing file says so; a path with a NUL (which no OS call accepts) too."""
    with pytest.raises(IntegrityError, match="manifest is missing"):
        read_bounded(str(tmp_path / "nope"), "manifest", 10)
    with pytest.raises(IntegrityError, match="cannot open file"):
        map_file(str(tmp_path / "a\x00b"))


def test_an_empty_file_maps_to_an_empty_buffer(tmp_path: Path) -> None:
    """mmap refuses empty files; an empty file is still read (as no bytes)."""
    (tmp_path / "empty").write_bytes(b"")
    assert map_file(str(tmp_path / "empty"))[0].size == 0


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('{"a": 1, "a": 2}', "'a'"),
        ('{"t": {"x": {"file": "a", "file": "b"}}}', "'file'"),
        ('{"\\ud800": 1, "\\ud800": 2}', "'\\\\ud800'"),
    ],
)
def test_a_repeated_key_is_refused_naming_it(text: str, key: str) -> None:
    """Python keeps the last of two equal keys; a manifest that repeats one is refused."""
    with pytest.raises(IntegrityError, match=f"repeats the key {key}"):
        loads_strict(text.encode(), "m", "manifest", 256)


def test_an_over_long_string_is_refused_with_its_start_only() -> None:
    """A string (key or value) over the limit is refused; the message shows 60 characters."""
    for text in (f'{{"a": "{"x" * 300}"}}', f'{{"{"x" * 300}": 1}}', f'[["{"x" * 300}"]]'):
        with pytest.raises(IntegrityError, match=r"'x{60}'\.\.\. \(300 characters\)") as info:
            loads_strict(text.encode(), "m", "manifest", 256)
        assert len(str(info.value)) < 200


def test_strings_walks_deep_documents_without_recursion() -> None:
    """Every string at any depth is found, also where Python could not recurse."""
    doc: object = "end"
    for _ in range(50_000):
        doc = [doc]
    assert list(strings(doc)) == ["end"]
    assert sorted(strings({"k": ["v", {"k2": 1}]})) == ["k", "k2", "v"]


@given(st.recursive(st.none() | st.integers() | st.text(), lambda c: st.lists(c, max_size=3)))
def test_any_json_value_round_trips_or_is_refused_typed(value: object) -> None:
    """Parsing never raises anything but IntegrityError, whose message is UTF-8 text."""
    import json

    data = json.dumps({"v": value}).encode()
    try:
        assert loads_strict(data, "m", "manifest", 256) == {"v": value}
    except IntegrityError as err:
        str(err).encode("utf-8")
