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
