"""Reading and writing dataset folders: Arrow IPC files plus a ``manifest.json``.

A dataset folder holds one ``<table>.arrow`` file per table and a manifest with
the dataset version, the schema version, and each file's row count and SHA-256.
Reading checks the manifest first, so a changed byte is an
[`IntegrityError`][cambodefect.IntegrityError] naming the file, never a half-loaded
dataset. Writing commits through the manifest (see `write_dataset`), so an
interrupted write leaves the previous version intact, or the new one complete.

Examples:
    >>> import tempfile, pathlib
    >>> from cambodefect.schema import to_table
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> from cambodefect.schema import TABLES
    >>> tables = {name: to_table([], name) for name in TABLES}
    >>> write_dataset(d, tables, version="0.0.1", released="2026-01-01").rows["claims"]
    0
    >>> sorted(read_dataset(d)[1])
    ['claims', 'events', 'parties', 'persons', 'sources']
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from cambodefect._atomic import TMP_SUFFIX, folder_lock, fsync_dir, write_atomic
from cambodefect._checks import SHA256_RE, SLUG_RE
from cambodefect._contents import check_contents
from cambodefect._files import loads_strict, map_file, read_bounded, short, strings
from cambodefect.errors import IntegrityError, Violation, ViolationCode, WriteError
from cambodefect.schema import HISTORY, SCHEMA_VERSION, TABLES, tables_of

if TYPE_CHECKING:  # reading never imports pathlib (it costs more than a verified load)
    from pathlib import Path

__all__ = [
    "MANIFEST",
    "MANIFEST_LIMIT",
    "SEMVER_RE",
    "STRING_LIMIT",
    "Manifest",
    "check_contents",
    "read_dataset",
    "read_manifest",
    "redirect_violations",
    "redirects_shape_ok",
    "write_dataset",
]

MANIFEST = "manifest.json"

MANIFEST_LIMIT = 1 << 20
"""The largest manifest read, in bytes (1 MiB). The bundled manifests are under 1 KB;
the limit leaves room for some ten thousand redirects and bounds what a hostile one
costs."""

STRING_LIMIT = 256
"""The longest string a manifest may hold (keys and values), in characters: file names,
versions, dates, SHA-256s and IDs are all far shorter."""

SEMVER_RE = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
"""A dataset version, ``MAJOR.MINOR.PATCH`` (ASCII digits only; use ``fullmatch``)."""

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True, kw_only=True)
class Manifest:
    """What a dataset folder says about itself.

    Attributes:
        version: the dataset version (semver).
        schema_version: the Arrow schema version the files use.
        released: the release date, ISO ``YYYY-MM-DD``.
        files: table name -> file name.
        rows: table name -> row count.
        sha256: table name -> SHA-256 of the file, hex.
        redirects: table name -> {retired ID: ID that replaces it}, for IDs merged
            away in this version (they stay resolvable; see docs/ids.md).
    """

    version: str
    schema_version: str
    released: str
    files: Mapping[str, str]
    rows: Mapping[str, int]
    sha256: Mapping[str, str]
    redirects: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def to_json(self) -> str:
        """The manifest as deterministic JSON (sorted keys, trailing newline)."""
        tables = {
            name: {"file": self.files[name], "rows": self.rows[name], "sha256": self.sha256[name]}
            for name in self.files
        }
        doc = {
            "dataset_version": self.version,
            "schema_version": self.schema_version,
            "released": self.released,
            "tables": tables,
        }
        if any(self.redirects.values()):
            doc["redirects"] = {t: dict(m) for t, m in self.redirects.items() if m}
        return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def ipc_bytes(table: pa.Table) -> bytes:
    """Serialize a table as an uncompressed Arrow IPC file (deterministic bytes)."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue())


def write_dataset(
    folder: Path,
    tables: Mapping[str, pa.Table],
    *,
    version: str,
    released: str,
    redirects: Mapping[str, Mapping[str, str]] | None = None,
) -> Manifest:
    """Write every table and the manifest into ``folder``; return the manifest.

    The manifest is the commit point, and it only ever points at complete files, so
    a write killed at any moment leaves the previous version or the new one, whole:

    1. each table is written (atomically) under a staging name,
       ``<table>.<sha256>.arrow``, that no manifest on disk points at;
    2. a manifest pointing at the staged files replaces the old one: the folder
       now holds the new version;
    3. the ``<table>.arrow`` files, which no manifest points at any more, are
       replaced, and a manifest pointing at them replaces the staging one;
    4. the staged files and temporary files left by killed writes are removed.

    Writers take turns: each holds the lock ``.<folder name>.lock`` beside the folder
    (see `cambodefect._atomic.folder_lock`). What killed or failed writes left
    (staged and temporary files no manifest names) is removed before writing and
    after a failure, so a full disk is not kept full by the failed attempt. See
    docs/reliability.md.

    Raises:
        WriteError: the folder cannot be written (the message names it and the
            OS's reason; the `OSError` is the cause), or another writer held
            it too long. It is an `OSError`.
    """
    blobs = {name: ipc_bytes(tables[name]) for name in TABLES}
    digests = {name: hashlib.sha256(blobs[name]).hexdigest() for name in TABLES}

    def manifest(files: Mapping[str, str]) -> Manifest:
        return Manifest(
            version=version,
            schema_version=SCHEMA_VERSION,
            released=released,
            files=dict(files),
            rows={name: tables[name].num_rows for name in TABLES},
            sha256=digests,
            redirects=dict(redirects or {}),
        )

    staged = manifest({name: f"{name}.{digests[name]}.arrow" for name in TABLES})
    final = manifest({name: f"{name}.arrow" for name in TABLES})
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)  # where the lock file goes
    except OSError as err:
        raise _write_error(folder, err) from err
    with folder_lock(folder):
        try:
            folder.mkdir(exist_ok=True)
            _remove_leftovers(folder)
            for current in (staged, final):
                for name in TABLES:
                    write_atomic(folder / current.files[name], blobs[name])
                write_atomic(folder / MANIFEST, current.to_json().encode("utf-8"))
                fsync_dir(folder)
        except OSError as err:
            with contextlib.suppress(OSError):  # the write's own error is the one to report
                _remove_leftovers(folder)
            raise _write_error(folder, err) from err
        _remove_leftovers(folder)
    return final


def _write_error(folder: Path, err: OSError) -> WriteError:
    """The typed error for an OS error while writing ``folder``, naming the OS's reason."""
    if isinstance(err, WriteError):
        return err
    where = f" ({err.filename})" if err.filename else ""
    return WriteError(str(folder), f"{err.strerror or err}{where}", err.errno)


def _remove_leftovers(folder: Path) -> None:
    """Remove what killed or failed writes left: staged tables no manifest on disk names,
    and temporary files. Staged tables are kept if the manifest exists but is unreadable,
    including when it is not a regular file (a FIFO is never opened: reading it would
    block); the write then replaces it."""
    named: set[object] | None = set()
    if os.path.lexists(folder / MANIFEST):
        try:
            where = str(folder / MANIFEST)
            doc = loads_strict(
                read_bounded(where, "manifest", MANIFEST_LIMIT), where, "manifest", STRING_LIMIT
            )
            named = {entry.get("file") for entry in doc["tables"].values()}
        except (IntegrityError, KeyError, TypeError, AttributeError):
            named = None
    for entry in os.scandir(folder):
        name = entry.name
        if not _LEFTOVER_RE.fullmatch(name) or (
            name.endswith(".arrow") and (named is None or name in named)
        ):
            continue
        with contextlib.suppress(FileNotFoundError):
            os.unlink(entry.path)


# What write_dataset leaves behind only when killed: staged tables, and the temporary
# files of write_atomic (".<file>.<random>.tmp") for any file it writes.
_STAGED = rf"(?:{'|'.join(TABLES)})\.[0-9a-f]{{64}}\.arrow"
_OURS = rf"(?:{'|'.join(TABLES)})\.arrow|{re.escape(MANIFEST)}|{_STAGED}"
_LEFTOVER_RE = re.compile(rf"{_STAGED}|\.(?:{_OURS})\..+{re.escape(TMP_SUFFIX)}")


def redirects_shape_ok(raw: object) -> bool:
    """Whether ``raw`` maps table names to ``{retired ID: replacing ID}`` string maps."""
    return isinstance(raw, dict) and all(
        t in TABLES
        and isinstance(m, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in m.items())
        for t, m in raw.items()
    )


def redirect_violations(
    redirects: Mapping[str, Mapping[str, str]], live: Mapping[str, set[Any]]
) -> list[Violation]:
    """Problems with redirects: a retired ID that is still live (it would be hidden),
    a target that does not exist (after following the chain), or a loop (named).

    Linear in the number of redirects: each chain is followed once.
    """
    out = []
    for table, moves in redirects.items():
        ids = live.get(table, set())
        ends = _chain_ends(moves)
        for old in moves:
            end = ends[old]
            if old in ids:
                problem = f"{old!r} is a live {table} ID"
            elif isinstance(end, tuple):
                problem = "redirect loop " + _show_loop(end)
            elif end not in ids:
                problem = f"points to {end!r}, not a {table} ID"
            else:
                continue
            out.append(Violation(ViolationCode.BAD_REDIRECT, old, "redirects", problem))
    return out


def _chain_ends(moves: Mapping[str, str]) -> dict[str, str | tuple[str, ...]]:
    """Where each retired ID's chain of redirects ends: an ID that is not retired, or
    the loop (a tuple of its IDs) the chain runs into."""
    ends: dict[str, str | tuple[str, ...]] = {}
    for start in moves:
        path: dict[str, int] = {}  # the IDs followed from start, in order
        node = start
        while node in moves and node not in ends and node not in path:
            path[node] = len(path)
            node = moves[node]
        end = tuple(path)[path[node] :] if node in path else ends.get(node, node)
        for step in path:
            ends[step] = end
    return ends


def _show_loop(loop: tuple[str, ...]) -> str:
    shown = [repr(i) for i in loop[:5]] + (["..."] if len(loop) > 5 else [])
    more = f" ({len(loop)} IDs)" if len(loop) > 5 else ""
    return " -> ".join([*shown, repr(loop[0])]) + more


def _require(doc: Any, key: str, kind: type, where: str) -> Any:
    value = doc.get(key) if isinstance(doc, dict) else None
    if not isinstance(value, kind) or isinstance(value, bool) != (kind is bool):
        raise IntegrityError(where, f"manifest field {key!r} missing or not a {kind.__name__}")
    return value


def _is_date(text: str) -> bool:
    from datetime import date

    try:
        return bool(_DATE_RE.fullmatch(text)) and date.fromisoformat(text) is not None
    except ValueError:
        return False


def read_manifest(folder: str | bytes | os.PathLike[str] | os.PathLike[bytes]) -> Manifest:
    """Read and check the shape of ``folder/manifest.json``."""
    where = os.path.join(os.fsdecode(folder), MANIFEST)
    data = read_bounded(where, "manifest", MANIFEST_LIMIT)
    doc = loads_strict(data, where, "manifest", STRING_LIMIT)
    schema_version = _require(doc, "schema_version", str, where)
    if schema_version not in HISTORY:
        known = ", ".join(map(repr, HISTORY))
        raise IntegrityError(
            where, f"schema version {schema_version!r}; this library reads {known}"
        )
    expected = tables_of(schema_version)
    tables = _require(doc, "tables", dict, where)
    if sorted(tables) != sorted(expected):
        raise IntegrityError(
            where, f"manifest lists tables {sorted(tables)}, expected {list(expected)}"
        )
    files, rows, digests = {}, {}, {}
    for name in expected:
        entry = tables[name]
        file = _require(entry, "file", str, where)
        # Printable excludes NUL, control characters and lone surrogates, which no
        # file system call accepts; "" would name the folder itself.
        if not file or not file.isprintable() or os.path.basename(file) != file or file[0] == ".":
            raise IntegrityError(where, f"manifest file name {file!r} is not a plain file name")
        files[name] = file
        rows[name] = _require(entry, "rows", int, where)
        digests[name] = _require(entry, "sha256", str, where)
        if not SHA256_RE.fullmatch(digests[name]):
            raise IntegrityError(where, f"manifest SHA-256 {digests[name]!r} is not 64 hex digits")
    redirects = doc.get("redirects", {})
    if not redirects_shape_ok(redirects):
        raise IntegrityError(where, "manifest field 'redirects' must map tables to {old: new}")
    for old, new in (pair for moves in redirects.values() for pair in moves.items()):
        if not (SLUG_RE.fullmatch(old) and SLUG_RE.fullmatch(new)):
            raise IntegrityError(where, f"manifest redirect {old!r} -> {new!r}: IDs are slugs")
    for text in strings(doc):  # also in keys this reader ignores
        if not text.isprintable():
            raise IntegrityError(
                where,
                f"manifest string {short(text)} is not printable text "
                "(it holds a control character or a lone surrogate)",
            )
    version = _require(doc, "dataset_version", str, where)
    if not SEMVER_RE.fullmatch(version):
        raise IntegrityError(
            where, f"manifest dataset_version {version!r} is not MAJOR.MINOR.PATCH"
        )
    released = _require(doc, "released", str, where)
    if not _is_date(released):
        raise IntegrityError(where, f"manifest released {released!r} is not a date YYYY-MM-DD")
    return Manifest(
        redirects=redirects,
        version=version,
        schema_version=schema_version,
        released=released,
        files=files,
        rows=rows,
        sha256=digests,
    )


# Files whose SHA-256 and schema were checked in this process, with the stat identity
# they had then: (inode, size, mtime_ns, ctime_ns). Any write to a file changes its ctime, so a
# file with the same identity still has the verified bytes; such a file is not hashed
# or schema-checked again. As in git's racy-clean rule, a file changed less than
# _RACY_NS before it was hashed is never cached (timestamps are coarser than writes),
# so it is hashed on every load. See docs/decisions.md.
_VERIFIED: dict[str, tuple[tuple[int, int, int, int], str, str]] = {}
_RACY_NS = 2_000_000_000


def _parse(where: str, name: str, buf: pa.Buffer, manifest: Manifest, check: bool) -> pa.Table:
    """The table in ``buf``; with ``check``, its schema, buffers and values verified."""
    try:
        table = pa.ipc.open_file(buf).read_all()
    except (pa.ArrowException, OSError, ValueError) as err:
        raise IntegrityError(where, f"not a readable Arrow IPC file ({err})") from err
    if check:
        check_contents(table, name, where, manifest.schema_version)
    if table.num_rows != manifest.rows[name]:
        raise IntegrityError(
            where, f"holds {table.num_rows} rows, the manifest says {manifest.rows[name]}"
        )
    return table


def _read_tables(base: str, manifest: Manifest) -> dict[str, pa.Table]:
    """Every table of the folder, each file's SHA-256 checked against the manifest.

    Files verified earlier in the process, and unchanged since (same inode, size,
    mtime and ctime), are not hashed or checked again. The others are hashed on a
    second thread while this one parses and checks them (hashing releases the GIL), so
    a cold load costs about the longer of the two rather than their sum. A file whose
    hash does not match is reported as such, whatever else is wrong with it.
    """
    names = tables_of(manifest.schema_version)
    where = {name: os.path.join(base, manifest.files[name]) for name in names}
    mapped = {name: map_file(where[name]) for name in names}
    bufs = {name: buf for name, (buf, _) in mapped.items()}
    stamps = {name: stamp for name, (_, stamp) in mapped.items()}
    # The table name is part of the key: a file verified as one table is not trusted as
    # another (a manifest could swap two tables' entries).
    pending = [
        name
        for name in names
        if _VERIFIED.get(where[name]) != (stamps[name], manifest.sha256[name], name)
    ]
    digests: dict[str, str] = {}

    def hash_all() -> None:
        for name in pending:
            digests[name] = hashlib.sha256(memoryview(bufs[name])).hexdigest()

    hasher = None
    if len(pending) > 1:
        import threading

        hasher = threading.Thread(target=hash_all, name="cambodefect-sha256", daemon=True)
        hasher.start()
    else:
        hash_all()

    def hash_errors() -> None:
        if hasher is not None:
            hasher.join()
        for name in pending:
            if digests[name] != manifest.sha256[name]:
                raise IntegrityError(
                    where[name],
                    f"SHA-256 {digests[name]} does not match the manifest's "
                    f"{manifest.sha256[name]}",
                )

    try:
        tables = {
            name: _parse(where[name], name, bufs[name], manifest, name in pending) for name in names
        }
    except IntegrityError as err:
        hash_errors()  # a changed file is the clearer report
        raise err from None
    hash_errors()
    now = time.time_ns()
    for name in pending:
        if now - stamps[name][3] > _RACY_NS:
            _VERIFIED[where[name]] = (stamps[name], manifest.sha256[name], name)
    return tables


def read_dataset(
    folder: str | bytes | os.PathLike[str] | os.PathLike[bytes],
) -> tuple[Manifest, dict[str, pa.Table]]:
    """Read and verify a dataset folder: its manifest, then every table, memory-mapped.

    Each file is verified against the schema version its manifest states; tables of an
    older schema version are then upgraded in memory to the current one
    (`cambodefect._migrate`), so every version loads as the same tables.

    Raises [`IntegrityError`][cambodefect.IntegrityError] (or its subclass
    [`SchemaError`][cambodefect.SchemaError]) naming the offending file.
    """
    base = os.fsdecode(folder)
    manifest = read_manifest(base)
    tables = _read_tables(base, manifest)
    if manifest.schema_version != SCHEMA_VERSION:
        from cambodefect._migrate import upgrade

        tables = upgrade(tables, manifest.schema_version)
    if any(manifest.redirects.values()):
        live = {t: set(tables[t].column("id").to_pylist()) for t in manifest.redirects}
        for problem in redirect_violations(manifest.redirects, live)[:1]:
            raise IntegrityError(
                os.path.join(base, MANIFEST), f"redirect {problem.record!r}: {problem.message}"
            )
    return manifest, tables
