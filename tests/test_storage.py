"""Tests for cambodefect.storage: verified reads, atomic writes, typed errors."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cambodefect.errors import CambodefectError, IntegrityError, SchemaError
from cambodefect.schema import TABLES, from_table, to_table
from cambodefect.storage import MANIFEST, ipc_bytes, read_dataset, read_manifest, write_dataset
from cambodefect.testing import claims, parties


def _write(folder: Path, n_parties: int = 2) -> None:
    from cambodefect.enums import PartyKind
    from cambodefect.models import Party
    from cambodefect.values import Evidence

    ev = (Evidence(source_id="s", line=1, note="n"),)
    recs = [
        Party(id=f"p{i}", name=f"Party {i}", kind=PartyKind.PARTY, evidence=ev)
        for i in range(n_parties)
    ]
    tables = {name: to_table([], name) for name in TABLES}
    tables["parties"] = to_table(recs, "parties")
    write_dataset(folder, tables, version="0.0.1", released="2026-01-01")


def test_write_then_read_round_trips(tmp_path: Path) -> None:
    """A written folder reads back with the manifest's version and rows."""
    _write(tmp_path)
    manifest, tables = read_dataset(tmp_path)
    assert manifest.version == "0.0.1"
    assert manifest.rows["parties"] == 2 == tables["parties"].num_rows


def test_writing_is_deterministic(tmp_path: Path) -> None:
    """Writing the same tables twice gives byte-identical files."""
    _write(tmp_path / "a")
    _write(tmp_path / "b")
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


@given(st.lists(claims(), max_size=3))
def test_ipc_bytes_are_deterministic_for_any_claims(records: list[object]) -> None:
    """The IPC serialization of any table is the same every time."""
    assert ipc_bytes(to_table(records, "claims")) == ipc_bytes(to_table(list(records), "claims"))


def test_a_changed_byte_names_the_file(tmp_path: Path) -> None:
    """Flipping one byte of a table file is an IntegrityError naming that file."""
    _write(tmp_path)
    path = tmp_path / "parties.arrow"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(IntegrityError, match=r"parties.arrow: SHA-256"):
        read_dataset(tmp_path)


@pytest.mark.parametrize("name", ["parties", "claims"])
def test_a_changed_file_is_reported_as_changed_before_anything_else(
    tmp_path: Path, name: str
) -> None:
    """Files are hashed beside parsing: a truncated file with the old manifest is a
    SHA-256 mismatch, not a parse error, whichever table it is."""
    _write(tmp_path)
    path = tmp_path / f"{name}.arrow"
    path.write_bytes(path.read_bytes()[:40])
    with pytest.raises(IntegrityError, match=rf"{name}.arrow: SHA-256"):
        read_dataset(tmp_path)


def test_truncated_file_is_an_integrity_error(tmp_path: Path) -> None:
    """A truncated file whose manifest was updated to match is still refused, typed."""
    _write(tmp_path)
    path = tmp_path / "claims.arrow"
    path.write_bytes(path.read_bytes()[:40])
    doc = json.loads((tmp_path / MANIFEST).read_text())
    import hashlib

    doc["tables"]["claims"]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (tmp_path / MANIFEST).write_text(json.dumps(doc))
    with pytest.raises(IntegrityError, match=r"claims.arrow: not a readable Arrow IPC file"):
        read_dataset(tmp_path)


def test_missing_manifest_and_missing_file(tmp_path: Path) -> None:
    """A missing manifest or table file is an IntegrityError saying so."""
    with pytest.raises(IntegrityError, match=r"manifest is missing"):
        read_dataset(tmp_path)
    _write(tmp_path)
    (tmp_path / "persons.arrow").unlink()
    with pytest.raises(IntegrityError, match=r"persons.arrow: file is missing"):
        read_dataset(tmp_path)


def test_wrong_schema_is_a_schema_error(tmp_path: Path) -> None:
    """A file holding another table's schema is refused as a SchemaError."""
    _write(tmp_path)
    (tmp_path / "claims.arrow").write_bytes((tmp_path / "parties.arrow").read_bytes())
    doc = json.loads((tmp_path / MANIFEST).read_text())
    doc["tables"]["claims"]["sha256"] = doc["tables"]["parties"]["sha256"]
    doc["tables"]["claims"]["rows"] = 2
    (tmp_path / MANIFEST).write_text(json.dumps(doc))
    with pytest.raises(SchemaError, match=r"claims.arrow: not the 'claims' schema"):
        read_dataset(tmp_path)


def test_foreign_arrow_file_is_a_schema_error(tmp_path: Path) -> None:
    """A valid Arrow file with unrelated columns is refused, naming the columns."""
    _write(tmp_path)
    other = pa.table({"x": [1, 2]})
    data = ipc_bytes(other)
    (tmp_path / "persons.arrow").write_bytes(data)
    doc = json.loads((tmp_path / MANIFEST).read_text())
    import hashlib

    doc["tables"]["persons"]["sha256"] = hashlib.sha256(data).hexdigest()
    (tmp_path / MANIFEST).write_text(json.dumps(doc))
    with pytest.raises(SchemaError, match=r"x: expected absent"):
        read_dataset(tmp_path)


@pytest.mark.parametrize(
    "doc",
    [
        "not json",
        "[]",
        '{"tables": {}}',
        '{"dataset_version": "1", "schema_version": "1", "released": "x", "tables": '
        '{"parties": {"file": "../x", "rows": 1, "sha256": "a"}, "persons": {}, '
        '"sources": {}, "claims": {}}}',
    ],
)
def test_malformed_manifests_are_integrity_errors(tmp_path: Path, doc: str) -> None:
    """Any malformed manifest is an IntegrityError, never a KeyError or TypeError."""
    (tmp_path / MANIFEST).write_text(doc)
    with pytest.raises(IntegrityError, match=r"manifest"):
        read_manifest(tmp_path)


def test_row_count_mismatch_is_refused(tmp_path: Path) -> None:
    """A manifest whose row count disagrees with the file is refused."""
    _write(tmp_path)
    doc = json.loads((tmp_path / MANIFEST).read_text())
    doc["tables"]["parties"]["rows"] = 3
    (tmp_path / MANIFEST).write_text(json.dumps(doc))
    with pytest.raises(IntegrityError, match=r"holds 2 rows, the manifest says 3"):
        read_dataset(tmp_path)


def test_errors_share_one_root() -> None:
    """Every storage error is a CambodefectError."""
    assert issubclass(SchemaError, IntegrityError)
    assert issubclass(IntegrityError, CambodefectError)


def test_a_failed_write_leaves_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If writing fails midway, the earlier file stays intact and no temp file is left."""
    _write(tmp_path)
    before = (tmp_path / "parties.arrow").read_bytes()

    import os

    real_replace = os.replace

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match=r"disk full"):
        _write(tmp_path, n_parties=5)
    monkeypatch.setattr(os, "replace", real_replace)
    assert (tmp_path / "parties.arrow").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    read_dataset(tmp_path)


@given(parties())
def test_party_tables_round_trip_through_files(party: object) -> None:
    """Any party written to IPC bytes reads back equal."""
    table = to_table([party], "parties")
    back = pa.ipc.open_file(pa.BufferReader(ipc_bytes(table))).read_all()
    assert from_table(back, type(party)) == [party]


def test_freshly_written_files_are_hashed_on_every_read(tmp_path: Path) -> None:
    """A file changed within the racy window is never trusted from the stat cache."""
    from cambodefect import storage

    _write(tmp_path)
    read_dataset(tmp_path)
    assert str(tmp_path / "parties.arrow") not in storage._VERIFIED


def test_verified_files_are_rehashed_after_any_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file verified earlier in this process is re-hashed once its stat identity changes."""
    import time

    from cambodefect import storage

    monkeypatch.setattr(storage, "_RACY_NS", 0)
    _write(tmp_path)
    read_dataset(tmp_path)
    path = tmp_path / "parties.arrow"
    assert str(path) in storage._VERIFIED
    time.sleep(0.05)
    data = bytearray(path.read_bytes())
    data[-20] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(IntegrityError, match=r"parties.arrow: SHA-256"):
        read_dataset(tmp_path)


def test_a_verified_file_is_not_trusted_as_another_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Swapping two tables' manifest entries after a verified load is still a SchemaError."""
    from cambodefect import storage

    monkeypatch.setattr(storage, "_RACY_NS", 0)
    _write(tmp_path)
    read_dataset(tmp_path)
    doc = json.loads((tmp_path / MANIFEST).read_text())
    doc["tables"]["parties"], doc["tables"]["persons"] = (
        doc["tables"]["persons"],
        doc["tables"]["parties"],
    )
    (tmp_path / MANIFEST).write_text(json.dumps(doc))
    with pytest.raises(SchemaError):
        read_dataset(tmp_path)


# -- writers: failures, leftovers, locks -------------------------------------------


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


_TABLE_FILES = sorted([MANIFEST, *(f"{name}.arrow" for name in TABLES)])


def test_a_full_disk_leaves_nothing_staged_and_the_retry_succeeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC midway: WriteError; the failed write and earlier killed ones leave nothing,
    the old version loads, and a retry succeeds."""
    import errno
    import os

    import cambodefect.storage as storage
    from cambodefect.errors import WriteError

    _write(tmp_path)
    before = read_dataset(tmp_path)[0]
    # what killed writes leave: a staged table and a temporary file
    (tmp_path / f"claims.{'0' * 64}.arrow").write_bytes(b"x" * 1000)
    (tmp_path / ".parties.arrow.0123abcd.tmp").write_bytes(b"x" * 1000)
    real = storage.write_atomic  # type: ignore[attr-defined]  # the module's own import
    calls = 0

    def full(path: Path, data: bytes) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, data)

    monkeypatch.setattr(storage, "write_atomic", full)
    with pytest.raises(WriteError, match="No space left on device") as info:
        _write(tmp_path, n_parties=5)
    assert isinstance(info.value, OSError) and info.value.errno == errno.ENOSPC
    assert str(tmp_path) in str(info.value)
    assert _listing(tmp_path) == _TABLE_FILES
    assert read_dataset(tmp_path)[0] == before
    monkeypatch.setattr(storage, "write_atomic", real)
    _write(tmp_path, n_parties=5)
    assert read_dataset(tmp_path)[0].rows["parties"] == 5
    assert _listing(tmp_path) == _TABLE_FILES


def test_staged_tables_the_manifest_names_survive_the_cleanup(tmp_path: Path) -> None:
    """A write killed after its staging manifest: the next write's cleanup keeps those files
    until its own manifest replaces that one (the folder loads throughout)."""
    import hashlib

    _write(tmp_path)
    doc = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    for name, entry in doc["tables"].items():
        blob = (tmp_path / entry["file"]).read_bytes()
        staged = f"{name}.{hashlib.sha256(blob).hexdigest()}.arrow"
        (tmp_path / staged).write_bytes(blob)
        (tmp_path / entry["file"]).unlink()
        entry["file"] = staged
    (tmp_path / MANIFEST).write_text(json.dumps(doc), encoding="utf-8")
    read_dataset(tmp_path)
    from cambodefect.storage import _remove_leftovers

    _remove_leftovers(tmp_path)
    read_dataset(tmp_path)
    _write(tmp_path, n_parties=3)
    assert _listing(tmp_path) == _TABLE_FILES


def test_a_second_writer_waits_then_raises_a_write_error_naming_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While another writer holds the folder's lock, a write gives up after the timeout with
    WriteError (errno EBUSY) naming the folder, and changes nothing."""
    import errno

    import filelock

    import cambodefect._atomic as atomic
    from cambodefect.errors import WriteError

    folder = tmp_path / "ds"
    _write(folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    monkeypatch.setattr(atomic, "LOCK_TIMEOUT", 0.05)
    other = filelock.FileLock(atomic.lock_path(folder))
    with other, pytest.raises(WriteError, match="another writer holds its lock") as info:
        _write(folder, n_parties=4)
    assert info.value.errno == errno.EBUSY
    assert info.value.path == str(folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    _write(folder, n_parties=4)  # free again
    assert read_dataset(folder)[0].rows["parties"] == 4
    assert _listing(tmp_path) == [".ds.lock", "ds"]  # the lock sits beside, not inside


_CONCURRENT_WRITER = """
import sys
from pathlib import Path
from cambodefect.schema import TABLES, to_table
from cambodefect.storage import read_dataset, write_dataset
from cambodefect.enums import PartyKind
from cambodefect.models import Party
from cambodefect.values import Evidence

folder, n, times = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
ev = (Evidence(source_id="s", line=1, note="n"),)
tables = {name: to_table([], name) for name in TABLES}
tables["parties"] = to_table(
    [Party(id=f"p{i}", name=f"P {i}", kind=PartyKind.PARTY, evidence=ev) for i in range(n)],
    "parties",
)
for _ in range(times):
    write_dataset(folder, tables, version="0.0.1", released="2026-01-01")
    read_dataset(folder)
"""


@pytest.mark.slow
def test_concurrent_writers_of_one_folder_take_turns(tmp_path: Path) -> None:
    """Two processes writing one folder 15 times each, 4 rounds: no raw error, always loads."""
    import subprocess
    import sys

    folder = tmp_path / "ds"
    for _ in range(4):
        procs = [
            subprocess.Popen(  # noqa: S603  # our own interpreter, fixed code
                [sys.executable, "-c", _CONCURRENT_WRITER, str(folder), str(n), "15"],
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in (2, 7)
        ]
        for proc in procs:
            _, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err
            assert err == ""
        manifest, _ = read_dataset(folder)
        assert manifest.rows["parties"] in (2, 7)
        assert _listing(folder) == _TABLE_FILES


def test_a_fifo_manifest_does_not_hang_a_write_and_is_replaced(tmp_path: Path) -> None:
    """A FIFO named manifest.json in the folder is never opened by the writer's cleanup
    (opening it would block): the write finishes, replacing it with a regular manifest.
    The write runs in a child process so a regression fails on the timeout, never hangs."""
    import os
    import subprocess
    import sys

    if not hasattr(os, "mkfifo"):
        pytest.skip("needs FIFOs")
    folder = tmp_path / "ds"
    folder.mkdir()
    os.mkfifo(folder / MANIFEST)
    staged = folder / f"claims.{'0' * 64}.arrow"  # a killed write's
    staged.write_bytes(b"x")
    try:
        done = subprocess.run(  # noqa: S603  # our own interpreter, fixed code
            [sys.executable, "-c", _CONCURRENT_WRITER, str(folder), "3", "1"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("write_dataset hung on a FIFO named manifest.json")
    assert done.returncode == 0, done.stderr
    assert (folder / MANIFEST).is_file()
    assert read_dataset(folder)[0].rows["parties"] == 3
    assert _listing(folder) == _TABLE_FILES  # the final cleanup read the new manifest
