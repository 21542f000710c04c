"""Loader robustness and interrupted writes: a fuzzed file or manifest loads identically
or fails with a documented error, and a killed write never leaves a corrupt version.

The strategies and the property (:func:`check_load`) here are shared with the longer
run in ``bench/fuzz_loader.py``; ``docs/reliability.md`` records its figures.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import attrs
import pyarrow as pa
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import cambodefect as cd
from cambodefect import enums, storage
from cambodefect.dataset import data_root
from cambodefect.schema import SCHEMAS, TABLES
from cambodefect.storage import MANIFEST, ipc_bytes, read_dataset, read_manifest, write_dataset

T = TypeVar("T")

NEWEST = data_root() / cd.versions()[-1]
"""The newest bundled dataset folder: every fuzz input is a mutation of it."""

FILES: Mapping[str, str] = read_manifest(NEWEST).files
"""Table name -> file name, as the bundled manifest lists them."""

ORIGINAL: Mapping[str, bytes] = {
    name: (NEWEST / name).read_bytes() for name in (MANIFEST, *FILES.values())
}
"""The bundled manifest and table files, by file name."""

REFERENCE: Mapping[str, pa.Table] = read_dataset(NEWEST)[1]
"""The bundled tables, read and verified once."""

TIMEOUT = 30.0
"""Seconds one load (and its use) may take before it counts as a hang; loads take ms."""


def _examples(share: float) -> int:
    """A share of the active profile's ``max_examples`` ("dev" fast, "ci" thorough)."""
    return max(10, int(settings().max_examples * share))


# -- the property ---------------------------------------------------------------


class Hang(Exception):  # noqa: N818  # "Hang" reads better than "HangError" in reports
    """A load (or its use) that did not finish within :data:`TIMEOUT`."""


def within(seconds: float, fn: Callable[[], T]) -> T:
    """``fn()`` run in a worker thread; raise :class:`Hang` rather than wait past ``seconds``."""
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["value"] = fn()
        except BaseException as err:  # handed to the calling thread below
            box["error"] = err

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise Hang(f"no answer within {seconds} s")
    if "error" in box:
        raise box["error"]
    value: T = box["value"]
    return value


@attrs.frozen
class Case:
    """One fuzz input: a dataset folder's files and what was done to them.

    Attributes:
        origin: what was done, e.g. ``"table bytes"`` or ``"manifest JSON"``.
        files: file name -> bytes, the manifest included.
        target: the table file that was changed, or None if the manifest was.
        resigned: the manifest was rewritten to carry the changed file's SHA-256
            (and row count), as a sender who controls both files would; the data
            may then differ from the original.
    """

    origin: str
    files: Mapping[str, bytes]
    target: str | None = None
    resigned: bool = False


def exercise(ds: cd.Dataset) -> None:
    """Use a loaded dataset as a user would; only documented errors may escape.

    ``validate`` must return its violations, typed iteration may raise only
    :class:`~cambodefect.InvalidRecordError`, lookups only their own errors.
    """
    cd.validate(ds)
    for records in (ds.iter_parties, ds.iter_persons, ds.iter_sources, ds.iter_claims):
        with contextlib.suppress(cd.InvalidRecordError):
            for _ in records():
                pass
    for lookup, name in ((ds.party, "CNRP"), (ds.person, "Kem Sokha")):
        with contextlib.suppress(
            cd.UnknownEntityError, cd.AmbiguousNameError, cd.InvalidRecordError
        ):
            lookup(name)
    ds.summary()
    repr(ds)


def check_load(case: Case) -> str:
    """Load ``case`` from a fresh folder and check the robustness property.

    Either the load raises :class:`~cambodefect.IntegrityError` (or its subclass
    :class:`~cambodefect.SchemaError`) naming a file of the folder (the mutated one,
    when a table was mutated), or it succeeds completely: with the original tables
    when the manifest still guards them, or (a resigned case) with tables that
    :func:`exercise` can use. Returns the outcome: ``"loaded"`` or the error class
    name. A violation is an AssertionError; an undocumented exception propagates.
    """
    with tempfile.TemporaryDirectory(prefix="cambodefect-fuzz-") as tmp:
        folder = Path(tmp)
        for name, data in case.files.items():
            (folder / name).write_bytes(data)
        # Fresh paths are never in the stat cache; clearing it keeps that true regardless.
        storage._VERIFIED.clear()
        try:
            ds = within(TIMEOUT, lambda: cd.load(path=folder))
        except cd.IntegrityError as err:
            assert str(err).startswith(err.path), err
            assert os.path.dirname(err.path) == str(folder), err
            if case.target is not None:
                assert err.path == str(folder / case.target), err
            return type(err).__name__
        for name in TABLES:
            table = ds.table(name)
            assert table.num_rows == ds.manifest.rows[name], name
            if not case.resigned:
                assert table.equals(REFERENCE[name]), f"{name} loaded with other data"
        if case.resigned:
            within(TIMEOUT, lambda: exercise(ds))
        return "loaded"


# -- strategies -------------------------------------------------------------------

# Values that often mean something to a binary parser: lengths, offsets, counts.
_INTERESTING = (
    b"\x00",
    b"\xff",
    b"\x00\x00\x00\x00",
    b"\xff\xff\xff\xff",
    b"\xff\xff\xff\x7f",
    b"\x00\x00\x00\x80",
    b"\x01\x00\x00\x00\x00\x00\x00\x00",
    b"\xff\xff\xff\xff\xff\xff\xff\x7f",
)


def _position(draw: st.DrawFn, size: int) -> int:
    """A position in ``size`` bytes, biased to the head and tail where Arrow keeps its
    magic, schema and footer."""
    region = draw(st.sampled_from(["head", "tail", "anywhere"]))
    if region == "head":
        return draw(st.integers(0, min(size, 512) - 1))
    if region == "tail":
        return size - 1 - draw(st.integers(0, min(size, 4096) - 1))
    return draw(st.integers(0, size - 1))


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` after one to three byte mutations: flip, insert, delete, overwrite, truncate."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 3))):
        ops = ["flip", "insert", "delete", "overwrite", "truncate"] if out else ["insert"]
        op = draw(st.sampled_from(ops))
        pos = _position(draw, len(out)) if out else 0
        if op == "flip":
            out[pos] ^= draw(st.integers(1, 255))
        elif op == "insert":
            out[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del out[pos : pos + draw(st.integers(1, 64))]
        elif op == "overwrite":
            chunk = draw(st.sampled_from(_INTERESTING) | st.binary(min_size=1, max_size=16))
            out[pos : pos + len(chunk)] = chunk
        else:
            del out[pos:]
    return bytes(out)


def resign(files: Mapping[str, bytes], table: str, *, rows: int | None = None) -> dict[str, bytes]:
    """``files`` with the manifest rewritten to carry ``table``'s actual SHA-256 (and rows)."""
    doc = json.loads(files[MANIFEST])
    entry = doc["tables"][table]
    entry["sha256"] = hashlib.sha256(files[entry["file"]]).hexdigest()
    if rows is not None:
        entry["rows"] = rows
    return {**files, MANIFEST: json.dumps(doc).encode("utf-8")}


@st.composite
def table_cases(draw: st.DrawFn, *, resigned: bool) -> Case:
    """One table file mutated; the manifest kept, or resigned to match the mutation."""
    table = draw(st.sampled_from(TABLES))
    file = FILES[table]
    files = {**ORIGINAL, file: draw(mutated(ORIGINAL[file]))}
    if resigned:
        return Case("table bytes, resigned", resign(files, table), file, resigned=True)
    return Case("table bytes", files, file)


@st.composite
def manifest_byte_cases(draw: st.DrawFn) -> Case:
    """The manifest's bytes mutated; the tables kept."""
    return Case("manifest bytes", {**ORIGINAL, MANIFEST: draw(mutated(ORIGINAL[MANIFEST]))})


# File names a hostile manifest might carry: traversal, absolute, empty, unencodable.
_NASTY_NAMES = (
    "",
    ".",
    "..",
    "../x",
    "../../etc/passwd",
    "/etc/passwd",
    "sub/claims.arrow",
    "..\\x",
    ".hidden",
    "a\x00b",
    "\udc80",
    "\n",
    "x" * 300,
    MANIFEST,
    "claims.arrow",
    "parties.arrow",
)
_BIG_INTS = (-1, 0, 2**31, 2**63, -(2**63) - 1, 10**30, 10**4000)

_JSON: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from(_BIG_INTS)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=10)
    | st.sampled_from(_NASTY_NAMES),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)


def _paths(doc: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every key path into a JSON object, parents before children."""
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))


_MANIFEST_DOC = json.loads(ORIGINAL[MANIFEST])
_MANIFEST_PATHS = sorted(_paths(_MANIFEST_DOC))


@st.composite
def manifest_doc_cases(draw: st.DrawFn) -> Case:
    """The manifest's JSON edited: values replaced by any JSON value, hostile file name or
    huge number, keys deleted or added; the tables kept."""
    doc = json.loads(ORIGINAL[MANIFEST])
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_MANIFEST_PATHS))
        parent = doc
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if not isinstance(parent, dict):
            continue  # an earlier edit replaced an ancestor
        edit = draw(st.sampled_from(["set", "delete", "add"]))
        if edit == "set":
            parent[path[-1]] = draw(_JSON)
        elif edit == "delete":
            parent.pop(path[-1], None)
        else:
            parent[draw(st.text(max_size=8))] = draw(_JSON)
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()))
    # "surrogatepass" lets a lone surrogate through as bytes that are not UTF-8.
    return Case("manifest JSON", {**ORIGINAL, MANIFEST: text.encode("utf-8", "surrogatepass")})


def _plain(kind: pa.DataType) -> pa.DataType:
    """``kind`` with dictionary (enum) columns as plain strings, recursively."""
    if pa.types.is_dictionary(kind):
        return pa.string()
    if pa.types.is_struct(kind):
        return pa.struct([f.with_type(_plain(f.type)) for f in kind])
    if pa.types.is_list(kind):
        return pa.list_(kind.value_field.with_type(_plain(kind.value_type)))
    return kind


_WORDS = sorted(
    {ident for table in REFERENCE.values() for ident in table.column("id").to_pylist()}
    | {member.value for enum in enums.ENUMS for member in enum}
)


def _arrow_values(kind: pa.DataType, nullable: bool, stray_nulls: bool) -> st.SearchStrategy[Any]:
    """Python values of an Arrow type; ``stray_nulls`` puts nulls in non-nullable fields too."""
    base: st.SearchStrategy[Any]
    if pa.types.is_struct(kind):
        base = st.fixed_dictionaries(
            {f.name: _arrow_values(f.type, f.nullable, stray_nulls) for f in kind}
        )
    elif pa.types.is_list(kind):
        item = _arrow_values(kind.value_type, kind.value_field.nullable, stray_nulls)
        base = st.lists(item, max_size=3)
    elif pa.types.is_string(kind) or pa.types.is_dictionary(kind):
        base = st.sampled_from(_WORDS) | st.text(max_size=12)
    elif pa.types.is_date32(kind):
        base = st.dates()
    elif pa.types.is_boolean(kind):
        base = st.booleans()
    elif pa.types.is_int32(kind):
        base = st.integers(-(2**31), 2**31 - 1)
    elif pa.types.is_int64(kind):
        base = st.integers(-(2**63), 2**63 - 1)
    else:  # a type added to SCHEMAS needs a strategy here
        raise TypeError(f"no strategy for Arrow type {kind}")
    return st.none() | base if nullable or stray_nulls else base


def _as_schema(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    """A table of ``schema`` holding ``rows`` as given, nulls in non-nullable fields included.

    Enums are built as strings and cast to dictionaries column by column: a table
    cast refuses stray nulls, which a hostile sender can write all the same. Where a
    column cast refuses them too, the column is built directly, as pyarrow builds it.
    """
    plain = pa.Table.from_pylist(
        rows, schema=pa.schema([f.with_type(_plain(f.type)) for f in schema])
    )
    columns = []
    for field in schema:
        column = plain.column(field.name)
        try:
            columns.append(column.cast(field.type))
        except pa.ArrowInvalid:
            columns.append(pa.array(column.to_pylist(), type=field.type))
    return pa.Table.from_arrays(columns, schema=schema)


def _crafted(table: str, data: pa.Table) -> Case:
    """A case whose ``table`` file holds ``data``, with the manifest resigned to match."""
    file = FILES[table]
    files = resign({**ORIGINAL, file: ipc_bytes(data)}, table, rows=data.num_rows)
    return Case("crafted table, resigned", files, file, resigned=True)


@st.composite
def crafted_table_cases(draw: st.DrawFn) -> Case:
    """One table replaced by a well-formed Arrow file of the right schema holding any
    values its types allow (sometimes nulls where the schema forbids them), resigned:
    what a hostile sender can write with pyarrow alone."""
    table = draw(st.sampled_from(TABLES))
    schema = SCHEMAS[table]
    stray_nulls = draw(st.booleans())
    row = st.fixed_dictionaries(
        {f.name: _arrow_values(f.type, f.nullable, stray_nulls) for f in schema}
    )
    rows = draw(st.lists(row, max_size=4))
    return _crafted(table, _as_schema(rows, schema))


# -- fuzz tests -------------------------------------------------------------------


def _checked(case: Case) -> str:
    """:func:`check_load`, recording the outcome for ``--hypothesis-show-statistics``."""
    outcome = check_load(case)
    event(outcome)
    return outcome


def test_an_unchanged_copy_loads_the_original_tables() -> None:
    """A byte-for-byte copy of the bundled folder loads with the original tables."""
    assert check_load(Case("unchanged", ORIGINAL)) == "loaded"


@settings(max_examples=_examples(1.0))
@given(table_cases(resigned=False))
def test_a_mutated_table_file_is_refused_naming_it(case: Case) -> None:
    """A mutated, truncated or extended table is refused naming it, unless no byte changed."""
    assert _checked(case) in {"IntegrityError", "loaded"}


@settings(max_examples=_examples(1.0))
@given(table_cases(resigned=True))
def test_a_mutated_table_with_a_matching_manifest_fails_typed_or_loads_usable(
    case: Case,
) -> None:
    """With the manifest resigned, a mutated table fails typed or loads data safe to use."""
    _checked(case)


@settings(max_examples=_examples(0.5))
@given(crafted_table_cases())
def test_a_crafted_table_of_the_right_schema_fails_typed_or_loads_usable(case: Case) -> None:
    """A hostile but well-formed Arrow file fails typed or loads data safe to validate."""
    _checked(case)


@settings(max_examples=_examples(0.5))
@given(manifest_byte_cases())
def test_a_mutated_manifest_is_refused_or_changes_no_data(case: Case) -> None:
    """Any byte mutation of the manifest is an IntegrityError or loads the original tables."""
    _checked(case)


@settings(max_examples=_examples(1.0))
@given(manifest_doc_cases())
def test_a_malformed_manifest_is_refused_or_changes_no_data(case: Case) -> None:
    """Wrong types, missing keys, hostile file names, huge numbers: typed refusal or no change."""
    _checked(case)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[" * 100_000, "not readable JSON"),
        ('{"tables": ' + "1" * 5_000 + "}", "not readable JSON"),
        (json.dumps({**_MANIFEST_DOC, "tables": "x"}), "'tables' missing or not a dict"),
    ],
    ids=["nested-100000-deep", "5000-digit-integer", "tables-not-an-object"],
)
def test_a_pathological_manifest_is_an_integrity_error(
    tmp_path: Path, text: str, reason: str
) -> None:
    """Deep nesting and over-long integers in the manifest are IntegrityErrors, not raw errors."""
    (tmp_path / MANIFEST).write_text(text, encoding="utf-8")
    with pytest.raises(cd.IntegrityError, match=reason):
        cd.load(path=tmp_path)


@pytest.mark.parametrize("name", ["", "a\x00b", "\udc80", "x\ny"], ids=repr)
def test_an_unusable_file_name_in_the_manifest_is_refused(tmp_path: Path, name: str) -> None:
    """An empty or unprintable file name is refused as not a plain file name."""
    doc = json.loads(ORIGINAL[MANIFEST])
    doc["tables"]["claims"]["file"] = name
    (tmp_path / MANIFEST).write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(cd.IntegrityError, match=r"is not a plain file name"):
        read_manifest(tmp_path)


def test_arrow_offsets_out_of_bounds_are_refused_before_use() -> None:
    """A string column whose offsets point past its data is refused at load, not read."""
    ids = REFERENCE["sources"].column("id").combine_chunks()
    size = ids.buffers()[2].size
    # Only the middle offsets are wild: Arrow's cheap validation checks the ends alone.
    offsets = pa.array([0] + [10**6] * (len(ids) - 1) + [size], pa.int32()).buffers()[1]
    bad = pa.Array.from_buffers(pa.string(), len(ids), [None, offsets, ids.buffers()[2]])
    data = REFERENCE["sources"].set_column(0, SCHEMAS["sources"].field("id"), bad)
    assert check_load(_crafted("sources", data)) == "IntegrityError"


def test_nulls_where_the_schema_forbids_them_are_refused() -> None:
    """A null in a non-nullable nested field (a person's role) is refused at load."""
    persons = REFERENCE["persons"].to_pylist()
    with_roles = next(i for i, p in enumerate(persons) if p["roles"])
    persons[with_roles]["roles"][0]["title"] = None
    case = _crafted("persons", _as_schema(persons, SCHEMAS["persons"]))
    with tempfile.TemporaryDirectory() as tmp:
        for name, blob in case.files.items():
            (Path(tmp) / name).write_bytes(blob)
        with pytest.raises(cd.IntegrityError, match=r"'roles\[\]\.title' holds nulls"):
            cd.load(path=tmp)


def test_dates_beyond_python_dates_are_refused() -> None:
    """A date32 value past 9999-12-31 is refused at load, before any conversion fails."""
    claims = REFERENCE["claims"]
    index = claims.schema.get_field_index("reported")
    reported = claims.column(index).combine_chunks()
    start = reported.field("start")
    far = pa.array([3_000_000] * len(start), pa.int32()).cast(pa.date32())
    children = [far if f.name == "start" else reported.field(f.name) for f in reported.type]
    bad = pa.StructArray.from_arrays(children, fields=list(reported.type), mask=reported.is_null())
    case = _crafted("claims", claims.set_column(index, claims.schema.field(index), bad))
    with tempfile.TemporaryDirectory() as tmp:
        for name, blob in case.files.items():
            (Path(tmp) / name).write_bytes(blob)
        with pytest.raises(cd.IntegrityError, match=r"'reported\.start' holds a date outside"):
            cd.load(path=tmp)


# -- interrupted writes -------------------------------------------------------------


def _digests(folder: Path) -> dict[str, str]:
    """The SHA-256 of each table, as the folder's manifest states and a load verifies."""
    storage._VERIFIED.clear()
    return dict(cd.load(path=folder).manifest.sha256)


def _written(folder: Path, tables: Mapping[str, pa.Table]) -> dict[str, str]:
    return dict(write_dataset(folder, tables, version="9.0.0", released="2026-01-01").sha256)


class _Crash(BaseException):
    """Stands for the process dying: nothing in the library catches it."""


def test_a_write_cut_short_before_any_rename_leaves_a_complete_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whichever rename a write dies before, the folder loads as the old or the new version."""
    old_tables = dict(REFERENCE)
    new_tables = {name: t.slice(0, t.num_rows // 2) for name, t in REFERENCE.items()}
    real_replace = os.replace
    calls = 0

    def counting(src: Any, dst: Any) -> None:
        nonlocal calls
        calls += 1
        real_replace(src, dst)

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", counting)
        new = _written(tmp_path / "count", new_tables)
    renames = calls
    seen = []
    for k in range(renames + 1):
        folder = tmp_path / f"cut-{k}"
        old = _written(folder, old_tables)
        calls = 0

        def dying(src: Any, dst: Any, k: int = k) -> None:
            nonlocal calls
            calls += 1
            if calls > k:
                raise _Crash
            real_replace(src, dst)

        with monkeypatch.context() as patch:
            patch.setattr(os, "replace", dying)
            if k < renames:
                with pytest.raises(_Crash):
                    _written(folder, new_tables)
            else:
                _written(folder, new_tables)
        loaded = _digests(folder)
        assert loaded in (old, new), f"cut before rename {k + 1} of {renames}"
        seen.append("old" if loaded == old else "new")
        assert _written(folder, new_tables) == new == _digests(folder)
        assert sorted(p.name for p in folder.iterdir()) == sorted([MANIFEST, *FILES.values()])
    assert seen[0] == "old" and seen[-1] == "new", seen


_WRITER = """
import sys
from pathlib import Path
from cambodefect.storage import read_dataset, write_dataset
target, *sources = map(Path, sys.argv[1:])
versions = [read_dataset(source) for source in sources]
print("ready", flush=True)
while True:
    for manifest, tables in versions:
        write_dataset(target, tables, version=manifest.version, released=manifest.released)
"""


@pytest.mark.slow
def test_killing_a_writer_midway_never_leaves_a_corrupt_version(tmp_path: Path) -> None:
    """SIGKILL at random moments of repeated writes: the folder always loads one whole version."""
    versions = []
    for copies in (40, 25):
        big = {name: pa.concat_tables([t] * copies) for name, t in REFERENCE.items()}
        started = time.perf_counter()
        versions.append(_written(tmp_path / f"x{copies}", big))
        cycle = time.perf_counter() - started
    target = tmp_path / "target"
    _written(target, read_dataset(tmp_path / "x40")[1])
    rng = random.Random()  # noqa: S311  # kill timing, not cryptography
    seed = rng.randrange(2**32)
    rng.seed(seed)
    interrupted = 0
    kills = max(8, settings().max_examples // 15)
    for i in range(kills):
        writer = subprocess.Popen(  # noqa: S603  # our own interpreter, fixed code
            [sys.executable, "-c", _WRITER, target, tmp_path / "x40", tmp_path / "x25"],
            stdout=subprocess.PIPE,
        )
        assert writer.stdout is not None
        assert writer.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0, 4 * cycle))
        writer.kill()
        writer.wait()
        writer.stdout.close()
        try:
            loaded = _digests(target)
        except cd.IntegrityError as err:
            pytest.fail(f"kill {i} (seed {seed}) left no loadable version: {err}")
        assert loaded in versions, f"kill {i} (seed {seed}) left a version never written"
        expected = sorted([MANIFEST, *FILES.values()])
        interrupted += sorted(p.name for p in target.iterdir()) != expected
    assert interrupted, f"no kill landed inside a write (seed {seed}); writes too fast?"
    assert _written(target, read_dataset(NEWEST)[1]) == _digests(target)
    assert sorted(p.name for p in target.iterdir()) == sorted([MANIFEST, *FILES.values()])


# -- special files, bounded reads, manifest strings (issue 16) ----------------------


def _copy_of_newest(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    for name, data in ORIGINAL.items():
        (folder / name).write_bytes(data)
    storage._VERIFIED.clear()
    return folder


@pytest.mark.parametrize("target", [MANIFEST, FILES["claims"]])
@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "directory"])
def test_a_special_file_in_the_folder_is_refused_at_once(
    tmp_path: Path, target: str, kind: str
) -> None:
    """A FIFO (which blocked the load forever), a link to /dev/zero (read without end)
    or a directory in place of the manifest or a table is an IntegrityError naming it."""
    folder = _copy_of_newest(tmp_path / "ds")
    (folder / target).unlink()
    if kind == "fifo":
        os.mkfifo(folder / target)
    elif kind == "dev-zero":
        (folder / target).symlink_to("/dev/zero")
    else:
        (folder / target).mkdir()
    with pytest.raises(cd.IntegrityError, match="not a regular file") as info:
        within(TIMEOUT, lambda: cd.load(path=folder))
    assert info.value.path == str(folder / target)


def test_a_huge_manifest_is_refused_from_its_size(tmp_path: Path) -> None:
    """A manifest over MANIFEST_LIMIT (1 MiB), even a valid one padded with spaces or a
    sparse 3 GB file, is refused naming its size and the limit, before it is read."""
    folder = _copy_of_newest(tmp_path / "ds")
    padded = ORIGINAL[MANIFEST].rstrip() + b" " * storage.MANIFEST_LIMIT
    (folder / MANIFEST).write_bytes(padded)
    with pytest.raises(
        cd.IntegrityError, match=r"manifest is 1,049,\d+ bytes; the limit is 1,048,576"
    ):
        cd.load(path=folder)
    with (folder / MANIFEST).open("r+b") as fh:
        fh.truncate(3 << 30)
    with pytest.raises(cd.IntegrityError, match=r"manifest is 3,221,225,472 bytes"):
        within(TIMEOUT, lambda: cd.load(path=folder))


def _with_manifest(folder: Path, text: str) -> Path:
    _copy_of_newest(folder)
    (folder / MANIFEST).write_text(text, encoding="utf-8")
    return folder


_VERSION_LINE = f'"dataset_version": "{_MANIFEST_DOC["dataset_version"]}"'
_RELEASED_LINE = f'"released": "{_MANIFEST_DOC["released"]}"'


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        (
            _VERSION_LINE,
            '"dataset_version": "1.0.0\\ud800"',
            r"'1\.0\.0\\ud800' is not printable",
        ),
        (_RELEASED_LINE, '"released": "2026-01-01\\u0007"', r"is not printable"),
        (
            _VERSION_LINE,
            '"dataset_version": "1.0.0", "x\\udc80": 1',
            r"'x\\udc80' is not printable",
        ),
        (_VERSION_LINE, '"dataset_version": "1.0"', r"dataset_version '1\.0' is not MAJOR\.MINOR"),
        (_VERSION_LINE, '"dataset_version": "\u0661.0.0"', r"is not MAJOR\.MINOR\.PATCH"),
        (_VERSION_LINE, f'"dataset_version": "1{"0" * 5000}.0.0"', r"longer than 256 characters"),
        (_RELEASED_LINE, '"released": "2026-02-30"', r"released '2026-02-30' is not a date"),
        (_RELEASED_LINE, '"released": "20260101"', r"is not a date YYYY-MM-DD"),
        (
            _RELEASED_LINE,
            '"released": "x", "released": "2026-01-01"',
            r"repeats the key 'released'",
        ),
        (
            _VERSION_LINE,
            '"redirects": {"parties": {"A b": "cnrp"}}, ' + _VERSION_LINE,
            r"are slugs",
        ),
    ],
)
def test_bad_manifest_strings_are_refused_naming_them(
    tmp_path: Path, old: str, new: str, reason: str
) -> None:
    """Lone surrogates and control characters (anywhere, also in keys the reader ignores),
    versions that are not MAJOR.MINOR.PATCH, dates that are not ISO dates, repeated keys
    and redirect IDs that are not slugs are IntegrityErrors whose message is printable
    (before, a surrogate loaded and broke validate, exports and diff)."""
    text = ORIGINAL[MANIFEST].decode("utf-8")
    assert old in text
    folder = _with_manifest(tmp_path / "ds", text.replace(old, new, 1))
    with pytest.raises(cd.IntegrityError, match=reason) as info:
        cd.load(path=folder)
    str(info.value).encode("utf-8")  # no lone surrogate in the message


@settings(max_examples=_examples(0.2))
@given(
    field=st.sampled_from(["dataset_version", "released", "schema_version", "extra"]),
    value=st.tuples(
        st.text(max_size=300), st.sampled_from(["", "\ud800", "\udfff", "\x00", "\x1b", "\u2028"])
    ).map("".join),
)
def test_any_manifest_string_loads_printable_or_is_refused(field: str, value: str) -> None:
    """Whatever text a manifest field holds, the load refuses it with a printable
    IntegrityError, or the dataset's version and release date are printable text that
    a summary, validate and an export can use."""
    doc = {**_MANIFEST_DOC, field: value}
    with tempfile.TemporaryDirectory() as tmp:
        folder = _with_manifest(Path(tmp), json.dumps(doc))
        try:
            ds = cd.load(path=folder)
        except cd.IntegrityError as err:
            str(err).encode("utf-8")
            return
        ds.version.encode("utf-8")
        ds.manifest.released.encode("utf-8")
        ds.summary().encode("utf-8")
        cd.validate(ds)
        from cambodefect.export import export

        export(ds, "jsonl", Path(tmp) / "out")


def test_a_folder_path_that_is_not_utf8_loads(tmp_path: Path) -> None:
    """A folder name with a byte that is not UTF-8 (valid on POSIX) loads, given as a
    surrogate-escaped str or as bytes (before: UnicodeEncodeError); errors about it
    print the byte as \\xff."""
    folder = os.fsdecode(os.fsencode(tmp_path) + b"/ds\xff")
    _copy_of_newest(Path(folder))
    for path in (folder, os.fsencode(folder), Path(folder)):
        ds = cd.load(path=path)
        assert ds.content_sha256 == cd.load(cd.versions()[-1]).content_sha256
    cd.validate(ds)
    os.unlink(os.path.join(folder, MANIFEST))
    with pytest.raises(
        cd.IntegrityError, match=r"ds\\xff/manifest.json: manifest is missing"
    ) as info:
        cd.load(path=folder)
    assert info.value.path == os.path.join(folder, MANIFEST)
    str(info.value).encode("utf-8")


def test_the_cli_validates_a_folder_whose_path_is_not_utf8(tmp_path: Path) -> None:
    """`cambodefect validate <path>` with a non-UTF-8 path in argv validates it; with a
    broken manifest there, one printable error line and exit code 1, no traceback."""
    folder = os.fsencode(tmp_path) + b"/ds\xff"
    _copy_of_newest(Path(os.fsdecode(folder)))
    run: list[str | bytes] = [sys.executable, "-m", "cambodefect", "validate", folder]
    ok = subprocess.run(run, capture_output=True, check=False, timeout=120)  # noqa: S603  # our argv
    assert ok.returncode == 0, ok.stderr
    assert b"0 error(s)" in ok.stdout
    (Path(os.fsdecode(folder)) / MANIFEST).write_text('{"a": 1, "a": 2}', encoding="utf-8")
    bad = subprocess.run(run, capture_output=True, check=False, timeout=120)  # noqa: S603  # our argv
    assert bad.returncode == 1
    assert b"Traceback" not in bad.stderr
    shown = folder.replace(b"\xff", b"\\xff")
    assert (
        bad.stderr.strip() == b"error: " + shown + b"/manifest.json: manifest repeats the key 'a'"
    )
