"""Tests for cambodefect.validation: every planted fault is reported with its code."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings

import cambodefect as cd
from cambodefect.schema import SCHEMAS, TABLES
from cambodefect.testing import datasets

from .conftest import SEEDS

Rows = dict[str, list[dict[str, Any]]]
slow = settings(
    max_examples=40, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def _errors(ds: cd.Dataset | dict[str, pa.Table], **kw: Any) -> list[cd.Violation]:
    return [v for v in cd.validate(ds, **kw) if v.severity == "error"]


@slow
@given(datasets())
def test_every_generated_valid_dataset_passes(ds: cd.Dataset) -> None:
    """validate() finds no error in any dataset the strategy generates."""
    assert _errors(ds) == []
    ds.check()


def _rows(ds: cd.Dataset) -> Rows:
    return {name: ds.table(name).to_pylist() for name in TABLES}


def _tables(rows: Rows) -> dict[str, pa.Table]:
    return {name: pa.Table.from_pylist(rows[name], schema=SCHEMAS[name]) for name in TABLES}


def _codes(rows: Rows) -> set[str]:
    return {v.code for v in _errors(_tables(rows))}


@pytest.fixture(scope="module")
def real() -> Rows:
    return _rows(cd.load())


def _claim(
    rows: Rows, kind: str | None = None, pred: Callable[[dict[str, Any]], bool] | None = None
) -> dict[str, Any]:
    for row in rows["claims"]:
        if (kind is None or row["kind"] == kind) and (pred is None or pred(row)):
            return row
    raise AssertionError("no such claim in the bundled data")


def _copy(rows: Rows) -> Rows:
    import copy

    return copy.deepcopy(rows)


MUTATIONS: dict[str, Callable[[Rows], None]] = {}


def mutation(code: str) -> Callable[[Callable[[Rows], None]], Callable[[Rows], None]]:
    def register(fn: Callable[[Rows], None]) -> Callable[[Rows], None]:
        MUTATIONS[f"{code}:{fn.__name__}"] = fn
        return fn

    return register


@mutation("duplicate-id")
def duplicate_claim(rows: Rows) -> None:
    rows["claims"].append(dict(rows["claims"][0]))


@mutation("duplicate-id")
def duplicate_person(rows: Rows) -> None:
    rows["persons"].append(dict(rows["persons"][-1]))


@mutation("dangling-ref")
def dangle_party(rows: Rows) -> None:
    _claim(rows, "defection")["to_party_id"] = "no-such-party"


@mutation("dangling-ref")
def dangle_person(rows: Rows) -> None:
    _claim(rows, pred=lambda r: bool(r["person_ids"]))["person_ids"][0] = "nobody"


@mutation("dangling-ref")
def dangle_part_of(rows: Rows) -> None:
    _claim(rows, pred=lambda r: r["part_of"] is not None)["part_of"] = "no-such-claim"


@mutation("dangling-ref")
def dangle_disputed_by(rows: Rows) -> None:
    _claim(rows)["disputed_by"] = ["no-such-claim"]


@mutation("dangling-ref")
def dangle_evidence_source(rows: Rows) -> None:
    rows["parties"][0]["evidence"][0]["source_id"] = "no-such-source"


@mutation("dangling-ref")
def dangle_claimant(rows: Rows) -> None:
    _claim(rows, pred=lambda r: r["claimant"]["kind"] == "person")["claimant"]["id"] = "nobody"


@mutation("dangling-ref")
def claimant_in_wrong_table(rows: Rows) -> None:
    c = _claim(rows, pred=lambda r: r["claimant"]["kind"] == "organization")
    c["claimant"]["kind"] = "person"


@mutation("dangling-ref")
def dangle_role_party(rows: Rows) -> None:
    person = next(p for p in rows["persons"] if p["roles"])
    person["roles"][0]["party_id"] = "no-such-party"


@mutation("dangling-ref")
def dangle_cited_source(rows: Rows) -> None:
    _claim(rows)["cited_source_id"] = "no-such-source"


@mutation("dangling-ref")
def dangle_publisher(rows: Rows) -> None:
    rows["sources"][0]["publisher_id"] = "no-such-org"


@mutation("part-of-cycle")
def cycle(rows: Rows) -> None:
    by_id = {r["id"]: r for r in rows["claims"]}
    child = _claim(rows, pred=lambda r: r["part_of"] in by_id)
    parent = by_id[child["part_of"]]
    parent["part_of"] = child["id"]


@mutation("count-bounds")
def low_above_high(rows: Rows) -> None:
    _claim(rows, pred=lambda r: (r["count"] or {}).get("qualifier") == "exact")["count"]["low"] = (
        10**9
    )


@mutation("count-bounds")
def vague_with_number(rows: Rows) -> None:
    _claim(rows, pred=lambda r: (r["count"] or {}).get("qualifier") == "vague")["count"][
        "value"
    ] = 1000


@mutation("date-order")
def date_backwards(rows: Rows) -> None:
    c = _claim(rows, pred=lambda r: (r["reported"] or {}).get("precision") == "day")
    c["reported"]["precision"] = "range"
    c["reported"]["start"] = date(2024, 1, 2)
    c["reported"]["end"] = date(2024, 1, 1)


@mutation("date-precision")
def month_not_a_month(rows: Rows) -> None:
    c = _claim(rows, pred=lambda r: (r["reported"] or {}).get("precision") == "day")
    c["reported"]["precision"] = "month"


@mutation("enum-unknown")
def unknown_kind(rows: Rows) -> None:
    rows["claims"][0]["kind"] = "defektion"


@mutation("enum-unknown")
def unknown_alignment(rows: Rows) -> None:
    rows["sources"][0]["alignment"] = "sideways"


@mutation("date-after-source")
def claim_after_source(rows: Rows) -> None:
    c = _claim(rows, pred=lambda r: r["evidence"][0]["source_id"] == "voa-many-opposition-defect")
    c["period"] = {
        "precision": "day",
        "start": date(2030, 1, 1),
        "end": date(2030, 1, 1),
        "text": None,
        "inferred": False,
    }


@mutation("alias-collision")
def alias_collision(rows: Rows) -> None:
    rows["parties"][1]["aliases"] = [*rows["parties"][1]["aliases"], rows["parties"][0]["name"]]


@mutation("alias-collision")
def collision_only_lookup_sees(rows: Rows) -> None:
    """ "Democracy Party" and "Democratic Party" differ in print but share a lookup key."""
    rows["parties"][0]["aliases"] = [*rows["parties"][0]["aliases"], "Democracy Party"]
    rows["parties"][1]["aliases"] = [*rows["parties"][1]["aliases"], "Democratic Party"]


@mutation("one-word-alias")
def one_word_alias(rows: Rows) -> None:
    rows["persons"][0]["aliases"] = [*rows["persons"][0]["aliases"], "Sokha"]


@mutation("source-stance")
def source_against_its_outlet(rows: Rows) -> None:
    """A Fresh News article called independent."""
    src = next(r for r in rows["sources"] if r["publisher_id"] == "fresh-news")
    src["alignment"] = "independent"


@mutation("source-stance")
def source_after_its_outlets_stance_ended(rows: Rows) -> None:
    """A Phnom Penh Post article from after the 2018 sale keeps the old label."""
    src = next(
        r
        for r in rows["sources"]
        if r["publisher_id"] == "phnom-penh-post"
        and r["published"]
        and r["published"]["start"] > date(2018, 5, 7)
    )
    src["alignment"] = "independent"


@mutation("subset-larger")
def subset_larger_than_superset(rows: Rows) -> None:
    c = _claim(rows, pred=lambda r: r["subset_of"] is not None)
    c["count"] = {**c["count"], "value": 10**6, "low": 10**6, "high": 10**6}


@mutation("subset-of-cycle")
def subset_cycle(rows: Rows) -> None:
    by_id = {r["id"]: r for r in rows["claims"]}
    child = _claim(rows, pred=lambda r: r["subset_of"] in by_id)
    by_id[child["subset_of"]]["subset_of"] = child["id"]


@mutation("may-overlap-self")
def overlap_with_itself(rows: Rows) -> None:
    c = _claim(rows, kind="defection")
    c["may_overlap"] = [*c["may_overlap"], {"claim_id": c["id"], "note": "itself"}]


@mutation("dangling-ref")
def overlap_with_nothing(rows: Rows) -> None:
    c = _claim(rows, kind="defection")
    c["may_overlap"] = [*c["may_overlap"], {"claim_id": "no-such-claim", "note": "gone"}]


@mutation("dangling-ref")
def unknown_event(rows: Rows) -> None:
    _claim(rows, kind="defection")["event_id"] = "no-such-event"


@mutation("event-date-conflict")
def event_claims_years_apart(rows: Rows) -> None:
    c = _claim(rows, pred=lambda r: r["event_id"] is not None and r["period"] is not None)
    c["period"] = {
        "precision": "day",
        "start": date(2001, 1, 1),
        "end": date(2001, 1, 1),
        "text": None,
        "inferred": False,
    }


@mutation("province-unknown")
def province_not_iso(rows: Rows) -> None:
    c = _claim(rows, pred=lambda r: r["place"] is not None)
    c["place"] = {**c["place"], "province": "KH-99"}


@mutation("invalid-record")
def blank_name(rows: Rows) -> None:
    rows["persons"][0]["name"] = "  "


@mutation("invalid-record")
def empty_evidence(rows: Rows) -> None:
    rows["claims"][0]["evidence"] = []


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_each_planted_fault_is_reported_with_its_code(real: Rows, name: str) -> None:
    """Mutating the bundled data in one targeted way produces that violation's code."""
    code = name.split(":")[0]
    assert code not in _codes(real)
    rows = _copy(real)
    MUTATIONS[name](rows)
    assert code in _codes(rows)


def test_all_faults_at_once_are_all_reported(real: Rows) -> None:
    """Planting every fault together still reports every code (not just the first)."""
    rows = _copy(real)
    for fn in MUTATIONS.values():
        fn(rows)
    assert _codes(rows) >= {name.split(":")[0] for name in MUTATIONS}


def test_check_raises_with_every_error() -> None:
    """Dataset.check() raises ValidationError carrying all the errors."""
    ds = cd.load()
    rows = _rows(ds)
    dangle_party(rows)
    duplicate_claim(rows)
    broken = cd.Dataset(ds.manifest, _tables(rows))
    with pytest.raises(cd.ValidationError) as info:
        broken.check()
    assert {v.code for v in info.value.violations} >= {"dangling-ref", "duplicate-id"}


def test_the_bundled_dataset_is_valid_against_the_seeds() -> None:
    """The bundled dataset has no error, including evidence lines and document checksums."""
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is absent")
    assert _errors(cd.load(), documents=SEEDS) == []


def test_document_checks(tmp_path: Any) -> None:
    """A line past the end of a document and a changed document are both reported."""
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is absent")
    ds = cd.load()
    docs = {p.name: p.read_text(encoding="utf-8").splitlines() for p in SEEDS.glob("*.txt")}
    short = {name: lines[:10] for name, lines in docs.items()}
    assert "evidence-line" in {v.code for v in _errors(ds, documents=short)}
    for p in SEEDS.glob("*.txt"):
        (tmp_path / p.name).write_bytes(p.read_bytes() + b"x")
    assert "document-sha256" in {v.code for v in _errors(ds, documents=tmp_path)}
    (tmp_path / "000_6c6d688a8f1e5eab.txt").unlink()
    assert "document-missing" in {v.code for v in _errors(ds, documents=tmp_path)}


def test_homonyms_are_warnings_not_errors() -> None:
    """Two organizations (and, from 3.0.0, two people) printed alike give warnings only."""
    warnings = [v for v in cd.validate(cd.load("2.0.0")) if v.severity == "warning"]
    assert {v.record for v in warnings} == {"mother-nature", "mother-nature-government"}
    warnings = [v for v in cd.validate(cd.load("3.0.0")) if v.severity == "warning"]
    assert {v.record for v in warnings} == {
        "mother-nature",
        "mother-nature-government",
        "tok-vanchan",
        "tok-vanchan-takeo",
    }


def test_raw_tables_that_cannot_be_read_safely_are_reported() -> None:
    """A raw table with nulls in a non-nullable field is an invalid-arrow violation, not a crash."""
    ds = cd.load()
    tables = {name: ds.table(name) for name in TABLES}
    rows = tables["persons"].to_pylist()
    rows[0]["roles"] = [None]
    bad = pa.Table.from_pylist(
        rows, schema=SCHEMAS["persons"].with_metadata(None)
    ).replace_schema_metadata(SCHEMAS["persons"].metadata)
    tables["persons"] = bad
    found = cd.validate(tables)
    assert [v.code for v in found] == ["invalid-arrow"]
    assert found[0].record == "persons"


def test_every_collision_lookup_calls_ambiguous_is_a_finding() -> None:
    """Names that lookup cannot tell apart are exactly the ones validate() reports.

    The reproduction of issue 11: parties named "Democracy Party" and "Democratic Party"
    passed validation while ``ds.party("Democracy Party")`` raised AmbiguousNameError.
    """

    def party(ident: str, name: str) -> cd.Party:
        return cd.Party(id=ident, name=name, kind="party", evidence=(_ev("src"),))

    ds = cd.Dataset.from_records(
        parties=[party("dp-a", "Democracy Party"), party("dp-b", "Democratic Party")],
        sources=[_source("src")],
    )
    with pytest.raises(cd.AmbiguousNameError):
        ds.party("Democracy Party")
    found = {(v.code, v.record) for v in cd.validate(ds)}
    assert found == {("alias-collision", "dp-a"), ("alias-collision", "dp-b")}


def _ev(source_id: str) -> cd.Evidence:
    return cd.Evidence(source_id=source_id, line=1, note="a note")


def _source(ident: str) -> cd.Source:
    return cd.Source(
        id=ident, kind="report", alignment="unknown", read_directly=False, evidence=(_ev(ident),)
    )


def test_every_code_the_package_emits_is_declared() -> None:
    """Every code string used in the source tree is a ViolationCode member."""
    import re

    from .conftest import REPO

    used: set[str] = set()
    for path in (REPO / "src" / "cambodefect").rglob("*.py"):
        used |= set(re.findall(r"ViolationCode\.([A-Z_0-9]+)", path.read_text(encoding="utf-8")))
    assert used <= {c.name for c in cd.ViolationCode}
