"""Tests for cambodefect.export: every format's files, round trips, validity, atomicity."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import importlib
import io
import json
import os
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings

import cambodefect as cd
from cambodefect.aggregate import claims_frame
from cambodefect.converter import structure
from cambodefect.dataset import Dataset
from cambodefect.enums import PartyKind
from cambodefect.errors import CambodefectError
from cambodefect.export import FORMATS, ExportError, export
from cambodefect.models import Party
from cambodefect.schema import MODELS, SCHEMAS, TABLES, iter_records
from cambodefect.testing import datasets
from cambodefect.values import Evidence, FuzzyDate

from .conftest import SHARED

POPOLO_SCHEMAS = SHARED / "reference" / "popolo-schemas"

EXPECTED = {
    "csv": [f"{t}.csv" for t in TABLES],
    "parquet": [f"{t}.parquet" for t in TABLES],
    "jsonl": [f"{t}.jsonl" for t in TABLES],
    "datapackage": [*(f"{t}.csv" for t in TABLES), "datapackage.json"],
    "popolo": ["popolo.json"],
    "croissant": [*(f"{t}.csv" for t in TABLES), "croissant.json"],
}
PARTITIONED = [
    "parties.parquet",
    "persons.parquet",
    "sources.parquet",
    "events.parquet",
    "claims/era=2017-drive/part-0.parquet",
    "claims/era=2023-wave/part-0.parquet",
    # three claims dated 2021 and 2022 (background convictions) belong to no era
    "claims/era=__HIVE_DEFAULT_PARTITION__/part-0.parquet",
]


@pytest.fixture(scope="module")
def ds() -> Dataset:
    """The newest bundled dataset."""
    return cd.load()


@pytest.fixture(scope="module")
def exported(ds: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding one sub-folder per format, plus ``parquet-era`` (partitioned)."""
    root = tmp_path_factory.mktemp("export")
    for fmt in FORMATS:
        export(ds, fmt, root / fmt)
    export(ds, "parquet", root / "parquet-era", partition_by="era")
    return root


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too), by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# -- files written -------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_writes_its_files_and_reports_progress(
    ds: Dataset, tmp_path: Path, fmt: str
) -> None:
    """Each format writes exactly its files into a new folder, and reports each one."""
    calls: list[tuple[int, int]] = []
    out = tmp_path / "new" / fmt
    written = export(ds, fmt, out, progress=lambda done, total: calls.append((done, total)))
    names = EXPECTED[fmt]
    assert written == [out / name for name in names]
    assert sorted(_tree(out)) == sorted(names)
    assert calls == [(i, len(names)) for i in range(1, len(names) + 1)]


def test_partitioned_parquet_writes_one_hive_folder_per_era(ds: Dataset, tmp_path: Path) -> None:
    """partition_by="era" writes claims/era=<era>/ files and the other tables plainly."""
    written = export(ds, "parquet", str(tmp_path), partition_by="era")
    assert [p.relative_to(tmp_path).as_posix() for p in written] == PARTITIONED
    assert sorted(_tree(tmp_path)) == sorted(PARTITIONED)


def test_exports_are_deterministic(ds: Dataset, exported: Path, tmp_path: Path) -> None:
    """Exporting the same dataset again gives byte-identical files in every format."""
    for fmt in FORMATS:
        export(ds, fmt, tmp_path / fmt)
        assert _tree(tmp_path / fmt) == _tree(exported / fmt), fmt


# -- parquet -------------------------------------------------------------------


def test_parquet_round_trips_to_the_tables(ds: Dataset, exported: Path) -> None:
    """Each Parquet file reads back as the table, with its nested schema and metadata."""
    for name in TABLES:
        table = pq.read_table(exported / "parquet" / f"{name}.parquet")
        assert table.schema.equals(SCHEMAS[name], check_metadata=False), name
        assert table.equals(ds.table(name)), name
        meta = table.schema.metadata
        assert meta[b"cambodefect.table"] == name.encode()
        assert (
            meta[b"cambodefect.schema_version"]
            == SCHEMAS[name].metadata[b"cambodefect.schema_version"]
        )
        assert meta[b"cambodefect.dataset_version"] == ds.version.encode()


def _sorted_rows(table: pa.Table) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = table.to_pylist()
    return sorted(rows, key=lambda r: str(r["id"]))


def _eras(ds: Dataset) -> dict[str, str | None]:
    """Each claim's era, by claim ID."""
    frame = claims_frame(ds)
    ids, eras = frame.column("id").to_pylist(), frame.column("era").to_pylist()
    return dict(zip(ids, eras, strict=True))


def test_partitioned_parquet_reads_back_with_pyarrow(ds: Dataset, exported: Path) -> None:
    """The era-partitioned claims read back as a Hive dataset equal the claims table."""
    import pyarrow.dataset as pads

    read = pads.dataset(exported / "parquet-era" / "claims", partitioning="hive").to_table()
    era = _eras(ds)
    rows = _sorted_rows(read)
    assert [r.pop("era") for r in rows] == [era[r["id"]] for r in rows]
    assert rows == _sorted_rows(ds.claims)


def test_partitioned_parquet_reads_back_with_duckdb(ds: Dataset, exported: Path) -> None:
    """DuckDB reads the era-partitioned claims row for row and column for column."""
    duckdb = pytest.importorskip("duckdb")
    glob = (exported / "parquet-era" / "claims" / "**" / "*.parquet").as_posix()
    con = duckdb.connect()
    # fetchall() (not .arrow()) because its result type is the same in DuckDB 1.x and 2.x.
    rows = con.execute(
        "SELECT * FROM read_parquet(?, hive_partitioning = true) ORDER BY id", [glob]
    ).fetchall()
    columns = [d[0] for d in con.description]
    assert columns == [*ds.claims.column_names, "era"]
    read = [dict(zip(columns, row, strict=True)) for row in rows]
    era = _eras(ds)
    assert [r.pop("era") for r in read] == [era[r["id"]] for r in read]
    assert read == _sorted_rows(ds.claims)


def test_partitioned_parquet_reads_back_with_polars(ds: Dataset, exported: Path) -> None:
    """Polars reads the era-partitioned claims with every ID and the era column."""
    pl = pytest.importorskip("polars")
    glob = (exported / "parquet-era" / "claims" / "**" / "*.parquet").as_posix()
    frame = pl.read_parquet(glob, hive_partitioning=True)
    assert sorted(frame["id"].to_list()) == sorted(ds.claims.column("id").to_pylist())
    assert set(frame["era"].to_list()) == {"2017-drive", "2023-wave", None}


def test_reexporting_partitions_removes_stale_eras(ds: Dataset, tmp_path: Path) -> None:
    """Re-exporting a dataset with fewer eras leaves no part file of the old ones."""
    export(ds, "parquet", tmp_path, partition_by="era")
    wave = {i for i, e in _eras(ds).items() if e == "2023-wave"}
    claims = [c for c in ds.iter_claims() if c.id in wave]
    claims = [attrs.evolve(c, part_of=None, disputed_by=()) for c in claims]
    smaller = Dataset.from_records(
        parties=ds.iter_parties(),
        persons=ds.iter_persons(),
        sources=ds.iter_sources(),
        claims=claims,
    )
    export(smaller, "parquet", tmp_path, partition_by="era")
    assert not (tmp_path / "claims" / "era=2017-drive").exists()
    import pyarrow.dataset as pads

    read = pads.dataset(tmp_path / "claims", partitioning="hive").to_table()
    assert sorted(read.column("id").to_pylist()) == sorted(wave)


# -- jsonl ---------------------------------------------------------------------


def test_jsonl_round_trips_to_the_models(ds: Dataset, exported: Path) -> None:
    """Each JSON Lines record structures back into the model it came from."""
    for name in TABLES:
        lines = (exported / "jsonl" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        records = [structure(json.loads(line), MODELS[name]) for line in lines]
        assert records == list(iter_records(ds.table(name), MODELS[name])), name


def test_jsonl_writes_dates_as_iso_strings(exported: Path) -> None:
    """Dates in JSON Lines are ISO strings (the CNRP dissolution: 2017-11-16)."""
    lines = (exported / "jsonl" / "parties.jsonl").read_text(encoding="utf-8").splitlines()
    cnrp = next(r for r in map(json.loads, lines) if r["id"] == "cambodia-national-rescue-party")
    assert cnrp["dissolved"]["start"] == "2017-11-16"
    assert (cnrp["partyfacts_id"], cnrp["wikidata_id"]) == (5521, "Q5025162")


# -- csv -----------------------------------------------------------------------


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_has_flattened_columns_and_every_row(ds: Dataset, exported: Path) -> None:
    """Structs become dotted columns, lists JSON cells; each table keeps its row count."""
    for name in TABLES:
        rows = _read_csv(exported / "csv" / f"{name}.csv")
        assert len(rows) == ds.table(name).num_rows, name
    header = list(_read_csv(exported / "csv" / "claims.csv")[0])
    for column in (
        "count.qualifier",
        "count.value",
        "count.low",
        "count.high",
        "claimant.kind",
        "claimant.id",
        "period.precision",
        "period.start",
        "reported.end",
        "evidence",
        "from_party_ids",
    ):
        assert column in header, column
    assert "count" not in header and "claimant" not in header
    parties = {r["id"]: r for r in _read_csv(exported / "csv" / "parties.csv")}
    cnrp = parties["cambodia-national-rescue-party"]
    assert (cnrp["partyfacts_id"], cnrp["wikidata_id"]) == ("5521", "Q5025162")
    assert (cnrp["dissolved.precision"], cnrp["dissolved.start"]) == ("day", "2017-11-16")
    assert json.loads(cnrp["evidence"])[0]["source_id"] == "camboja-more-opposition-defect"


def test_csv_of_an_empty_dataset_has_headers_only(tmp_path: Path) -> None:
    """An empty dataset exports header-only CSV files with the flattened columns."""
    export(Dataset.from_records(), "csv", tmp_path)
    text = (tmp_path / "claims.csv").read_text("utf-8")
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    assert "count.qualifier" in header and list(reader) == []


def _parse(value: str, type_: str) -> Any:
    """A CSV cell as the Python value its Table Schema type says."""
    if value == "":
        return None
    parsers: dict[str, Callable[[str], Any]] = {
        "string": str,
        "integer": int,
        "boolean": {"true": True, "false": False}.__getitem__,
        "date": date.fromisoformat,
        "array": json.loads,
    }
    return parsers[type_](value)


def _unflatten(row: dict[str, Any]) -> dict[str, Any]:
    """Dotted columns back into nested records; a struct with no values is null."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        head, _, rest = key.partition(".")
        if rest:
            out.setdefault(head, {})[rest] = value
        else:
            out[key] = value
    for key, value in out.items():
        if isinstance(value, dict) and all(v is None for v in value.values()):
            out[key] = None
    return out


def _records_from_datapackage(folder: Path) -> dict[str, list[Any]]:
    """Every record of a Data Package export, rebuilt from the CSVs and the package types."""
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    records = {}
    for resource in package["resources"]:
        types = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
        rows = _read_csv(folder / resource["path"])
        assert all(list(row) == list(types) for row in rows)
        model = MODELS[resource["name"]]
        records[resource["name"]] = [
            structure(_unflatten({k: _parse(v, types[k]) for k, v in row.items()}), model)
            for row in rows
        ]
    return records


def test_csv_is_lossless(ds: Dataset, exported: Path) -> None:
    """The CSV cells, read with the package's field types, rebuild every record exactly."""
    records = _records_from_datapackage(exported / "datapackage")
    for name in TABLES:
        assert records[name] == list(iter_records(ds.table(name), MODELS[name])), name


@settings(max_examples=25)
@given(datasets())
def test_every_table_format_round_trips_any_dataset(generated: Dataset) -> None:
    """Parquet (plain and by era), JSON Lines and CSV give back any valid dataset."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        export(generated, "parquet", out / "parquet")
        export(generated, "jsonl", out / "jsonl")
        export(generated, "datapackage", out / "datapackage")
        export(generated, "parquet", out / "era", partition_by="era")
        from_csv = _records_from_datapackage(out / "datapackage")
        if generated.claims.num_rows:  # no claims, no era: no partition files
            import pyarrow.dataset as pads

            # An undated claim's era is null (__HIVE_DEFAULT_PARTITION__): a lone null
            # partition gives no type to infer, so the reader is told it is a string.
            hive = pads.partitioning(pa.schema([("era", pa.string())]), flavor="hive")
            parts = pads.dataset(out / "era" / "claims", partitioning=hive).to_table()
            assert _sorted_rows(parts.drop_columns(["era"])) == _sorted_rows(generated.claims)
        for name in TABLES:
            expected = list(iter_records(generated.table(name), MODELS[name]))
            table = pq.read_table(out / "parquet" / f"{name}.parquet")
            assert table.equals(generated.table(name)), name
            lines = (out / "jsonl" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
            assert [structure(json.loads(x), MODELS[name]) for x in lines] == expected, name
            assert from_csv[name] == expected, name


# -- datapackage ---------------------------------------------------------------


def test_datapackage_passes_frictionless_validation(exported: Path) -> None:
    """frictionless validates the package: types, constraints, keys, hashes, byte counts."""
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(exported / "datapackage" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_datapackage_describes_the_dataset(ds: Dataset, exported: Path) -> None:
    """The package names its version, licence, held sources, keys and identifier columns."""
    package = json.loads((exported / "datapackage" / "datapackage.json").read_text("utf-8"))
    assert package["version"] == ds.version
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0 International",
        }
    ]
    assert "claim, not a fact" in package["description"]
    held = [s for s in ds.iter_sources() if s.read_directly]
    assert len(package["sources"]) == len(held) == 142  # 5 seeds and 137 stored pages
    assert all(set(s) <= {"title", "path"} for s in package["sources"])
    assert sum("path" in s for s in package["sources"]) == sum(bool(s.url) for s in held)
    schemas = {r["name"]: r["schema"] for r in package["resources"]}
    assert all(s["primaryKey"] == ["id"] for s in schemas.values())
    fks = {(fk["fields"], fk["reference"]["resource"]) for fk in schemas["claims"]["foreignKeys"]}
    assert fks == {
        ("part_of", ""),
        ("subset_of", ""),
        ("to_party_id", "parties"),
        ("cited_source_id", "sources"),
        ("event_id", "events"),
    }
    assert schemas["sources"]["foreignKeys"][0]["fields"] == "publisher_id"
    fields = {f["name"]: f for f in schemas["claims"]["fields"]}
    assert fields["count.qualifier"]["constraints"]["enum"][0] == "exact"
    assert "foreign key" in fields["from_party_ids"]["description"]
    party_fields = {f["name"]: f for f in schemas["parties"]["fields"]}
    assert party_fields["partyfacts_id"]["type"] == "integer"
    assert "Party Facts" in party_fields["partyfacts_id"]["description"]
    assert "Wikidata" in party_fields["wikidata_id"]["description"]


@settings(max_examples=5)
@given(datasets())
def test_datapackage_of_any_valid_dataset_validates(generated: Dataset) -> None:
    """frictionless validates the package of any valid dataset (every reference resolves)."""
    frictionless = pytest.importorskip("frictionless")
    with tempfile.TemporaryDirectory() as tmp:
        export(generated, "datapackage", tmp)
        report = frictionless.validate(Path(tmp) / "datapackage.json")
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


# -- croissant -----------------------------------------------------------------


def _croissant(folder: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((folder / "croissant.json").read_text(encoding="utf-8"))
    return doc


def _mlcroissant() -> Any:
    """mlcroissant (in the test extra: imported, never skipped); typed loosely, it has no
    type hints."""
    return importlib.import_module("mlcroissant")


def test_croissant_lists_the_files_beside_it_with_their_sha256(exported: Path) -> None:
    """Each FileObject is a CSV file written beside croissant.json: same bytes as the
    csv export, and the size and SHA-256 it states."""
    folder = exported / "croissant"
    files = _croissant(folder)["distribution"]
    assert [f["contentUrl"] for f in files] == [f"{t}.csv" for t in TABLES]
    for file in files:
        data = (folder / file["contentUrl"]).read_bytes()
        assert data == (exported / "csv" / file["contentUrl"]).read_bytes()
        assert file["@type"] == "cr:FileObject" and file["encodingFormat"] == "text/csv"
        assert file["sha256"] == hashlib.sha256(data).hexdigest(), file["contentUrl"]
        assert file["contentSize"] == f"{len(data)} B"


def test_croissant_describes_the_dataset_and_its_columns(ds: Dataset, exported: Path) -> None:
    """The metadata names the version, release date, licence and BibTeX citation, says
    the counts are claims, states no URL; each record set has a typed field per column."""
    doc = _croissant(exported / "croissant")
    assert doc["conformsTo"] == "http://mlcommons.org/croissant/1.0"
    assert doc["@type"] == "sc:Dataset"
    assert doc["version"] == ds.version
    assert doc["datePublished"] == ds.manifest.released
    assert doc["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert doc["citeAs"] == ds.citation("bibtex")
    assert ds.content_sha256 in doc["citeAs"]
    assert "claim, not a fact" in doc["description"]
    assert "url" not in doc and "sameAs" not in doc
    sets = {r["@id"]: r for r in doc["recordSet"]}
    assert list(sets) == list(TABLES)
    for name in TABLES:
        header = list(_read_csv(exported / "csv" / f"{name}.csv")[0])
        assert [f["name"] for f in sets[name]["field"]] == header, name
        assert sets[name]["key"] == {"@id": f"{name}/id"}
    claims = {f["name"]: f for f in sets["claims"]["field"]}
    assert claims["count.value"]["dataType"] == "sc:Integer"
    assert claims["evidence"]["dataType"] == "sc:Text"  # a JSON array, as in the CSV
    assert claims["period.start"]["dataType"] == "sc:Date"
    assert claims["count.qualifier"]["source"] == {
        "fileObject": {"@id": "claims.csv"},
        "extract": {"column": "count.qualifier"},
    }
    assert "One of: exact, " in claims["count.qualifier"]["description"]
    assert "Foreign key to parties.id." in claims["to_party_id"]["description"]
    sources = {f["name"]: f for f in sets["sources"]["field"]}
    assert sources["read_directly"]["dataType"] == "sc:Boolean"


def _cell(value: Any) -> Any:
    """An mlcroissant value as the Python value the dataset holds (text is bytes there)."""
    import math

    if isinstance(value, bytes):
        return value.decode("utf-8")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "date"):  # a pandas Timestamp for an sc:Date
        return value.date()
    return value


def test_croissant_loads_in_mlcroissant_and_reads_the_records(ds: Dataset, exported: Path) -> None:
    """mlcroissant loads croissant.json without an error or warning, and the records it
    reads (hash-checked) hold the dataset's values: every claim's ID, figure and dates."""
    mlc = _mlcroissant()
    loaded = mlc.Dataset(jsonld=str(exported / "croissant" / "croissant.json"))
    issues = loaded.metadata.ctx.issues
    assert not issues.errors and not issues.warnings, (issues.errors, issues.warnings)
    records = list(loaded.records("claims"))
    assert len(records) == ds.claims.num_rows
    for record, claim in zip(records, ds.iter_claims(), strict=True):
        assert _cell(record["claims/id"]) == claim.id
        count = claim.count
        assert _cell(record["claims/count.value"]) == (count and count.value), claim.id
        assert _cell(record["claims/count.text"]) == (count and count.text), claim.id
        start = claim.period.start if claim.period else None
        assert _cell(record["claims/period.start"]) == start, claim.id
    parties = {_cell(r["parties/id"]): r for r in loaded.records("parties")}
    cnrp = parties["cambodia-national-rescue-party"]
    assert _cell(cnrp["parties/partyfacts_id"]) == ds.party("CNRP").partyfacts_id == 5521


def test_mlcroissant_refuses_a_changed_file(ds: Dataset, tmp_path: Path) -> None:
    """The SHA-256 is checked: a CSV changed after export fails to read in mlcroissant."""
    mlc = _mlcroissant()
    export(ds, "croissant", tmp_path)
    path = tmp_path / "persons.csv"
    path.write_bytes(path.read_bytes().replace(b"Kong Mas", b"Kong Maz", 1))
    loaded = mlc.Dataset(jsonld=str(tmp_path / "croissant.json"))
    assert len(list(loaded.records("parties"))) == ds.parties.num_rows
    with pytest.raises(mlc.GenerationError, match=r"persons\.csv"):
        list(loaded.records("persons"))


@settings(max_examples=5)
@given(datasets())
def test_croissant_of_any_valid_dataset_loads_in_mlcroissant(generated: Dataset) -> None:
    """mlcroissant loads the Croissant export of any valid dataset (empty tables too) and
    reads every table's rows."""
    mlc = _mlcroissant()
    with tempfile.TemporaryDirectory() as tmp:
        export(generated, "croissant", tmp)
        loaded = mlc.Dataset(jsonld=str(Path(tmp) / "croissant.json"))
        assert not loaded.metadata.ctx.issues.errors
        for name in TABLES:
            assert len(list(loaded.records(name))) == generated.table(name).num_rows, name


# -- popolo --------------------------------------------------------------------


def _popolo_validators() -> dict[str, Any]:
    """Draft-3 validators for Popolo persons, organizations and memberships, offline."""
    jsonschema = pytest.importorskip("jsonschema")
    referencing = pytest.importorskip("referencing")
    drafts = pytest.importorskip("referencing.jsonschema")

    if not POPOLO_SCHEMAS.is_dir():
        pytest.skip(f"Popolo schemas not found at {POPOLO_SCHEMAS}: ../shared/ is absent")
    docs = [json.loads(p.read_text("utf-8")) for p in sorted(POPOLO_SCHEMAS.glob("*.json"))]
    registry = referencing.Registry().with_resources(
        (d["id"].rstrip("#"), drafts.DRAFT3.create_resource(d)) for d in docs
    )
    by_name = {d["id"].rstrip("#").rsplit("/", 1)[1]: d for d in docs}
    validator = jsonschema.Draft3Validator
    return {
        key: validator(
            by_name[f"{kind}.json"], registry=registry, format_checker=validator.FORMAT_CHECKER
        )
        for key, kind in (
            ("persons", "person"),
            ("organizations", "organization"),
            ("memberships", "membership"),
        )
    }


def _popolo_errors(doc: dict[str, Any], validators: dict[str, Any]) -> list[str]:
    return [
        f"{key}[{i}]: {error.message}"
        for key, validator in validators.items()
        for i, record in enumerate(doc[key])
        for error in validator.iter_errors(record)
    ]


def test_popolo_validates_against_the_official_schemas(ds: Dataset, exported: Path) -> None:
    """Every person, organization and membership is valid Popolo (draft-03 schemas)."""
    validators = _popolo_validators()
    doc = json.loads((exported / "popolo" / "popolo.json").read_text("utf-8"))
    assert len(doc["persons"]) == ds.persons.num_rows
    assert len(doc["organizations"]) == ds.parties.num_rows
    assert len(doc["memberships"]) == sum(len(p.roles) for p in ds.iter_persons())
    assert _popolo_errors(doc, validators) == []


@settings(max_examples=25)
@given(datasets())
def test_popolo_of_any_valid_dataset_validates(generated: Dataset) -> None:
    """The Popolo export of any valid dataset passes the official schemas."""
    validators = _popolo_validators()
    with tempfile.TemporaryDirectory() as tmp:
        export(generated, "popolo", tmp)
        doc = json.loads((Path(tmp) / "popolo.json").read_text("utf-8"))
    assert _popolo_errors(doc, validators) == []


def test_popolo_carries_identifiers_kinds_and_no_links(exported: Path) -> None:
    """Organizations carry Party Facts and Wikidata IDs and their kind; nothing has a link."""
    text = (exported / "popolo" / "popolo.json").read_text("utf-8")
    doc = json.loads(text)
    orgs = {o["id"]: o for o in doc["organizations"]}
    assert orgs["cambodia-national-rescue-party"]["identifiers"] == [
        {"scheme": "partyfacts", "identifier": "5521"},
        {"scheme": "wikidata", "identifier": "Q5025162"},
    ]
    assert orgs["cambodia-national-rescue-party"]["dissolution_date"] == "2017-11-16"
    assert orgs["cambodia-national-rescue-party"]["other_names"][0] == {
        "name": "CNRP",
        "note": "short name",
    }
    assert "identifiers" not in orgs["candlelight-party"]  # no registry lists it
    kinds = {o["classification"] for o in orgs.values()}
    assert {"party", "placeholder", "non_party", "media", "ngo", "government"} <= kinds
    for key in ("persons", "organizations", "memberships"):
        assert all("sources" not in r and "links" not in r for r in doc[key]), key
        assert all(r["cambodefect:evidence"] for r in doc[key]), key
    assert "http" not in text  # no links: the seeds state no URLs


def test_popolo_dates_keep_their_precision(tmp_path: Path) -> None:
    """A day, month or year dissolution gives YYYY-MM-DD, YYYY-MM or YYYY; a range gives none."""
    ev = (Evidence(source_id="s", line=1, note="n"),)
    dates = {
        "day": FuzzyDate.day(date(2017, 11, 16)),
        "month": FuzzyDate.month(2017, 11),
        "year": FuzzyDate.year(2017),
        "range": FuzzyDate.between(date(2017, 1, 1), date(2017, 6, 30)),
    }
    parties = [
        Party(id=k, name=k.title(), kind=PartyKind.PARTY, evidence=ev, dissolved=d)
        for k, d in dates.items()
    ]
    export(Dataset.from_records(parties=parties), "popolo", tmp_path)
    doc = json.loads((tmp_path / "popolo.json").read_text("utf-8"))
    got = {o["id"]: o.get("dissolution_date") for o in doc["organizations"]}
    assert got == {"day": "2017-11-16", "month": "2017-11", "year": "2017", "range": None}
    assert {o["id"]: o["cambodefect:dissolved"]["precision"] for o in doc["organizations"]} == {
        k: k for k in dates
    }


# -- refusals ------------------------------------------------------------------


def test_an_unknown_format_is_refused_with_the_formats(ds: Dataset, tmp_path: Path) -> None:
    """An unknown format raises ExportError listing every format, and writes nothing."""
    with pytest.raises(ExportError) as info:
        export(ds, "xlsx", tmp_path / "out")
    assert isinstance(info.value, CambodefectError)
    assert info.value.allowed == FORMATS
    for fmt in FORMATS:
        assert fmt in str(info.value)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("fmt", "partition_by", "names"),
    [("csv", "era", "parquet"), ("parquet", "year", "'era'"), ("popolo", "era", "parquet")],
)
def test_partitioning_is_refused_where_unsupported(
    ds: Dataset, tmp_path: Path, fmt: str, partition_by: str, names: str
) -> None:
    """partition_by other than parquet's "era" raises ExportError naming what is allowed."""
    with pytest.raises(ExportError, match=names):
        export(ds, fmt, tmp_path, partition_by=partition_by)
    assert list(tmp_path.iterdir()) == []


def test_a_file_in_the_way_is_refused(ds: Dataset, tmp_path: Path) -> None:
    """Exporting into a path that is a file raises ExportError and leaves the file alone."""
    blocker = tmp_path / "out"
    blocker.write_text("keep", encoding="utf-8")
    with pytest.raises(ExportError, match="not a folder"):
        export(ds, "csv", blocker)
    assert blocker.read_text(encoding="utf-8") == "keep"


# -- atomicity -----------------------------------------------------------------


def _failing_replace(monkeypatch: pytest.MonkeyPatch, fail_on: int) -> list[int]:
    """Make the ``fail_on``-th os.replace call raise OSError; the others work."""
    real = os.replace
    calls: list[int] = []

    def replace(src: Any, dst: Any) -> None:
        calls.append(len(calls) + 1)
        if len(calls) == fail_on:
            raise OSError(28, "No space left on device (simulated)")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    return calls


@pytest.mark.parametrize(("fmt", "fail_on"), [("parquet", 1), ("parquet", 3), ("datapackage", 5)])
def test_a_failed_export_leaves_the_earlier_one_intact(
    ds: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, fail_on: int
) -> None:
    """If a move fails midway, the files already moved are put back and nothing is left over."""
    export(ds, fmt, tmp_path)
    before = _tree(tmp_path)
    smaller = Dataset.from_records(parties=list(ds.iter_parties())[:2], version="9.9.9")
    _failing_replace(monkeypatch, fail_on)
    with pytest.raises(ExportError, match="simulated") as info:
        export(smaller, fmt, tmp_path)
    assert isinstance(info.value.__cause__, OSError)
    assert _tree(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(EXPECTED[fmt])


def test_a_failed_export_into_a_new_folder_leaves_nothing(
    ds: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failed partitioned export into a new folder removes every file and folder it made,
    but the lock file beside the folder (which stays, as after any export)."""
    _failing_replace(monkeypatch, 4)
    with pytest.raises(ExportError):
        export(ds, "parquet", tmp_path / "a" / "b", partition_by="era")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "a",
        "a/.b.lock",
    ]


def test_an_interrupted_export_leaves_the_earlier_one_intact(ds: Dataset, tmp_path: Path) -> None:
    """An interrupt while files are being written changes nothing and leaves no temp file."""
    export(ds, "jsonl", tmp_path)
    before = _tree(tmp_path)

    def interrupt(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        export(Dataset.from_records(version="9.9.9"), "jsonl", tmp_path, progress=interrupt)
    assert _tree(tmp_path) == before


# -- one set per export: kills, leftovers, locks, modes ------------------------------------


class _Crash(BaseException):
    """Stands for the process dying: nothing in the library catches it."""


def _dying_after(monkeypatch: pytest.MonkeyPatch, k: int) -> None:
    """Every os.replace after the k-th raises _Crash (the process is gone: no rollback runs)."""
    real = os.replace
    calls = 0

    def replace(src: Any, dst: Any) -> None:
        nonlocal calls
        calls += 1
        if calls > k:
            raise _Crash
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)


def test_an_export_killed_mid_commit_is_detectable_and_repaired_by_the_next(
    ds: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after any rename: the folder is wholly old or new, or holds the journal (mid-commit);
    the next export first rolls a mix back, and ends wholly new with nothing left over."""
    from cambodefect.export._commit import JOURNAL, recover

    small = Dataset.from_records(parties=list(ds.iter_parties())[:2], version="9.9.9")
    new_dir = tmp_path / "new"
    export(small, "datapackage", new_dir)
    new = _tree(new_dir)
    states = []
    for k in range(len(EXPECTED["datapackage"]) + 3):
        folder = tmp_path / f"cut-{k}"
        export(ds, "datapackage", folder)
        old = _tree(folder)
        with monkeypatch.context() as patch:
            _dying_after(patch, k)
            with contextlib.suppress(_Crash):
                export(small, "datapackage", folder)
        visible = {n: b for n, b in _tree(folder).items() if not n.startswith(".")}
        if (folder / JOURNAL).exists():
            states.append("journal")
            assert recover(folder)
            assert _tree(folder) == old, f"cut after rename {k}"
        else:
            states.append("old" if visible == old else "new")
            assert visible in (old, new), f"cut after rename {k}"
        export(small, "datapackage", folder)
        assert _tree(folder) == new
    assert states[0] == "old" and states[-1] == "new" and "journal" in states, states


def test_staging_folders_of_killed_exports_are_removed_by_the_next(
    ds: Dataset, tmp_path: Path
) -> None:
    """Staging folders a killed export left are removed; other hidden folders are not."""
    for name in (".cambodefect-export-abc_123.tmp", ".cambodefect-export-zz9.tmp"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "1.part").write_bytes(b"x" * 100)
    (tmp_path / ".keep").mkdir()
    export(ds, "jsonl", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([".keep", *EXPECTED["jsonl"]])


def test_a_full_disk_while_staging_leaves_nothing_and_the_retry_succeeds(
    ds: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC writing a staged file: ExportError (the OSError its cause), nothing staged is
    left, the earlier export is intact, and the next try succeeds."""
    import errno

    import cambodefect.export._commit as commit

    export(ds, "csv", tmp_path)
    before = _tree(tmp_path)
    real = commit.write_new  # type: ignore[attr-defined]  # the module's own import
    calls = 0

    def full(path: Path, data: bytes) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, data)

    monkeypatch.setattr(commit, "write_new", full)
    small = Dataset.from_records(version="9.9.9")
    with pytest.raises(ExportError, match="No space left on device") as info:
        export(small, "csv", tmp_path)
    assert isinstance(info.value.__cause__, OSError)
    assert info.value.__cause__.errno == errno.ENOSPC
    assert _tree(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(EXPECTED["csv"])
    export(small, "csv", tmp_path)
    assert (tmp_path / "claims.csv").read_bytes() != before["claims.csv"]


def test_a_second_export_into_a_locked_folder_raises_naming_it(
    ds: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While another writer holds the folder's lock, an export gives up with ExportError
    saying so, and changes nothing."""
    import filelock

    import cambodefect._atomic as atomic

    out = tmp_path / "out"
    export(ds, "jsonl", out)
    before = _tree(out)
    monkeypatch.setattr(atomic, "LOCK_TIMEOUT", 0.05)
    with (
        filelock.FileLock(atomic.lock_path(out)),
        pytest.raises(ExportError, match="another writer holds its lock") as info,
    ):
        export(Dataset.from_records(version="9.9.9"), "jsonl", out)
    assert str(out) in str(info.value)
    assert _tree(out) == before


def test_a_journal_naming_files_outside_the_folder_is_refused(ds: Dataset, tmp_path: Path) -> None:
    """A journal that is not ours (a path outside the folder) is an ExportError; nothing moves."""
    from cambodefect.export._commit import JOURNAL

    out = tmp_path / "out"
    export(ds, "jsonl", out)
    (tmp_path / "victim").write_text("keep", encoding="utf-8")
    doc = {
        "staging": ".cambodefect-export-x.tmp",
        "files": [{"path": "../victim", "existed": False}],
    }
    (out / JOURNAL).write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ExportError, match="outside the folder"):
        export(ds, "jsonl", out)
    assert (tmp_path / "victim").read_text(encoding="utf-8") == "keep"


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_exported_files_follow_the_umask(ds: Dataset, tmp_path: Path) -> None:
    """Exported files are 0o666 and created folders 0o777 minus the umask (0o022 here)."""
    import stat

    old = os.umask(0o022)
    try:
        export(ds, "parquet", tmp_path / "out", partition_by="era")
    finally:
        os.umask(old)
    out = tmp_path / "out"
    modes = {
        ("dir" if p.is_dir() else "file", stat.S_IMODE(p.stat().st_mode))
        for p in [out, *out.rglob("*")]
    }
    assert modes == {("dir", 0o755), ("file", 0o644)}
