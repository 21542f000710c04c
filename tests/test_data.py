"""Evidence tests for the bundled dataset: every record traces to a line or a paragraph.

Records read in the five held documents cite a line, checked against the documents in
../shared/seeds/ (these tests skip, saying why, where ../shared is absent). Records read
in stored news pages cite a paragraph, checked against the pages' fingerprints in
``datasets/pages/`` (paragraph counts, the numbers printed per paragraph, hashed 8-word
runs and hashed printed phrases: enough to check, none of the prose).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import cambodefect as cd
from cambodefect.values import Evidence

from .conftest import REPO, SEEDS

PAGES = REPO / "datasets" / "pages"
REVIEW = REPO / "datasets" / "review"
_WORDS = re.compile(r"[\w’']+")
_NUMBER_RE = re.compile(r"\d[\d,.]*\d|\d")
_RUN = 8


def _digest(text: str) -> str:
    """As tools/import_web.py fingerprints a page's runs and phrases."""
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


@pytest.fixture(scope="module")
def ds() -> cd.Dataset:
    return cd.load()


@pytest.fixture(scope="module")
def documents(ds: cd.Dataset, seeds: dict[str, list[str]]) -> dict[str, list[str]]:
    """Seed lines by source ID, for the documents we hold."""
    out = {}
    for source in ds.iter_sources():
        if source.document is not None:
            assert source.document in seeds, f"{source.id}: {source.document} not in seeds"
            out[source.id] = seeds[source.document]
    return out


@pytest.fixture(scope="module")
def pages() -> dict[str, dict[str, Any]]:
    """The stored pages' fingerprints, by source ID."""
    if not PAGES.is_dir():
        pytest.skip(f"{PAGES} is absent (not a source checkout)")
    out = {}
    for path in sorted(PAGES.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        out[doc["source_id"]] = doc
    return out


def _all_evidence(ds: cd.Dataset) -> Iterator[tuple[str, Evidence]]:
    for party in ds.iter_parties():
        for ev in party.evidence:
            yield party.id, ev
        if party.stance is not None:
            for ev in party.stance.evidence:
                yield f"{party.id} stance", ev
    for person in ds.iter_persons():
        for ev in person.evidence:
            yield person.id, ev
        for role in person.roles:
            yield f"{person.id} role {role.title!r}", role.evidence
    for source in ds.iter_sources():
        for ev in source.evidence:
            yield source.id, ev
    for event in ds.iter_events():
        for ev in event.evidence:
            yield event.id, ev
    for claim in ds.iter_claims():
        for ev in claim.evidence:
            yield claim.id, ev


def _web(ds: cd.Dataset) -> list[cd.Source]:
    return [s for s in ds.iter_sources() if s.read_directly and s.document is None]


# -- the held documents -----------------------------------------------------------------


def test_every_seed_document_is_a_held_source(ds: cd.Dataset, seeds: dict[str, list[str]]) -> None:
    """Each of the five seed files is a read_directly source with its true SHA-256."""
    held = {s.document: s for s in ds.iter_sources() if s.document is not None}
    assert sorted(held) == sorted(seeds)
    for name, source in held.items():
        digest = hashlib.sha256((SEEDS / name).read_bytes()).hexdigest()
        assert source.document_sha256 == digest, name
        assert source.url is not None, f"{source.id}: no address of a stored copy"


def test_every_line_cites_a_held_document(ds: cd.Dataset, documents: dict[str, list[str]]) -> None:
    """Every evidence entry with a line cites a held document and a non-blank line in it."""
    bad = []
    for record, ev in _all_evidence(ds):
        if ev.line is None:
            continue
        lines = documents.get(ev.source_id)
        if lines is None:
            bad.append(f"{record}: cites {ev.source_id!r} by line, not a held document")
        elif not 1 <= ev.line <= len(lines) or not lines[ev.line - 1].strip():
            bad.append(f"{record}: line {ev.line} of {ev.source_id} is missing or blank")
    assert bad == []


def test_count_numbers_appear_on_their_line(
    ds: cd.Dataset, documents: dict[str, list[str]]
) -> None:
    """Each number in a Count's printed text appears on the claim's first evidence line."""
    bad = []
    for claim in ds.iter_claims():
        ev = claim.evidence[0]
        if claim.count is None or claim.count.text is None or ev.line is None:
            continue
        line = documents[ev.source_id][ev.line - 1]
        if claim.count.text not in line:
            bad.append(f"{claim.id}: {claim.count.text!r} not on line {ev.line}")
        for number in _NUMBER_RE.findall(claim.count.text):
            if number not in line:
                bad.append(f"{claim.id}: {number} not on line {ev.line}")
    assert bad == []


def test_printed_labels_and_dates_are_verbatim(
    ds: cd.Dataset, documents: dict[str, list[str]], pages: dict[str, dict[str, Any]]
) -> None:
    """A claim's raw label and its dates' printed text are on one of its evidence lines,
    or printed on the page its paragraphs cite."""
    bad = []
    for claim in ds.iter_claims():
        printed = [claim.label] + [d.text for d in (claim.period, claim.reported) if d is not None]
        for text in filter(None, printed):
            lines = [documents[e.source_id][e.line - 1] for e in claim.evidence if e.line]
            on_page = any(
                _digest(text) in pages[e.source_id]["printed"]
                for e in claim.evidence
                if e.paragraph is not None
            )
            if not on_page and not any(text in line for line in lines):
                bad.append(f"{claim.id}: {text!r} not where its evidence points")
    assert bad == []


def test_every_name_is_printed_in_a_source(
    ds: cd.Dataset, seeds: dict[str, list[str]], pages: dict[str, dict[str, Any]]
) -> None:
    """Every name, short name and alias is printed verbatim in a seed or a stored page."""
    text = "\n".join("\n".join(lines) for lines in seeds.values())
    printed = {h for page in pages.values() for h in page["printed"]}
    entities: list[cd.Party | cd.Person] = [*ds.iter_parties(), *ds.iter_persons()]
    missing = [
        (e.id, name)
        for e in entities
        for name in e.names
        if name not in text and _digest(name) not in printed
    ]
    assert missing == []


# -- the stored news pages --------------------------------------------------------------


def test_every_web_source_is_a_fingerprinted_page(
    ds: cd.Dataset, pages: dict[str, dict[str, Any]]
) -> None:
    """Each source read from a stored page has its URL, outlet, extent, the day it was read
    and its paragraph count, all agreeing with the page's fingerprint."""
    bad = []
    for source in _web(ds):
        page = pages.get(source.id)
        if page is None:
            bad.append(f"{source.id}: no fingerprint in datasets/pages/")
            continue
        if page["url"] != source.url or page["paragraphs"] != source.paragraphs:
            bad.append(f"{source.id}: url or paragraph count differs from its fingerprint")
        if None in (source.publisher_id, source.extent, source.accessed):
            bad.append(f"{source.id}: outlet, extent or access day missing")
    assert bad == []
    assert len(_web(ds)) >= 80


def test_every_paragraph_exists_in_its_page(
    ds: cd.Dataset, pages: dict[str, dict[str, Any]]
) -> None:
    """Every evidence entry with a paragraph cites a fingerprinted page, within its body."""
    bad = []
    for record, ev in _all_evidence(ds):
        if ev.paragraph is None:
            continue
        page = pages.get(ev.source_id)
        if page is None:
            bad.append(f"{record}: cites {ev.source_id!r} by paragraph, not a stored page")
        elif not 1 <= ev.paragraph <= page["paragraphs"]:
            bad.append(f"{record}: paragraph {ev.paragraph} of {ev.source_id} does not exist")
    assert bad == []


def test_every_web_claim_cites_its_page_by_paragraph(ds: cd.Dataset) -> None:
    """A claim read in a stored page cites it by paragraph, with a URL-bearing source."""
    web = {s.id for s in _web(ds)}
    bad = [
        c.id
        for c in ds.iter_claims()
        if any(ev.source_id in web for ev in c.evidence)
        and not all(ev.paragraph is not None for ev in c.evidence if ev.source_id in web)
    ]
    assert bad == []


def test_count_figures_are_printed_in_their_paragraphs(
    ds: cd.Dataset, pages: dict[str, dict[str, Any]]
) -> None:
    """Each number of a web claim's count is printed in a paragraph it cites, and the
    count's text is printed on the page."""
    bad = []
    for claim in ds.iter_claims():
        cited = [(ev.source_id, ev.paragraph) for ev in claim.evidence if ev.paragraph]
        if claim.count is None or claim.count.text is None or not cited:
            continue
        numbers = {n for sid, para in cited for n in pages[sid]["numbers"][para - 1]}
        for number in _NUMBER_RE.findall(claim.count.text):
            if number not in numbers:
                bad.append(f"{claim.id}: {number} not in paragraphs {[p for _, p in cited]}")
        if not any(_digest(claim.count.text) in pages[sid]["printed"] for sid, _ in cited):
            bad.append(f"{claim.id}: {claim.count.text!r} not printed on its page")
    assert bad == []


def test_every_outlet_alignment_is_a_recorded_judgement(ds: cd.Dataset) -> None:
    """Every outlet of a page we read has a stance: a reason, and evidence unless unknown."""
    parties = {p.id: p for p in ds.iter_parties()}
    bad = []
    for source in _web(ds):
        outlet = parties.get(source.publisher_id or "")
        if outlet is None or outlet.stance is None:
            bad.append(f"{source.id}: outlet {source.publisher_id!r} has no stance")
        elif outlet.stance.alignment.value != "unknown" and not outlet.stance.evidence:
            bad.append(f"{outlet.id}: {outlet.stance.alignment.value} without evidence")
    assert bad == []


# -- our own words ----------------------------------------------------------------------


def _notes(ds: cd.Dataset) -> Iterator[tuple[str, str]]:
    for record, ev in _all_evidence(ds):
        yield f"{record} (evidence {ev.locator})", ev.note
    entities: list[cd.Party | cd.Person | cd.Source | cd.Event | cd.Claim] = [
        *ds.iter_parties(),
        *ds.iter_persons(),
        *ds.iter_sources(),
        *ds.iter_events(),
        *ds.iter_claims(),
    ]
    for entity in entities:
        if entity.note:
            yield entity.id, entity.note
    for party in ds.iter_parties():
        if party.stance is not None:
            yield f"{party.id} stance", party.stance.reason
    for claim in ds.iter_claims():
        for link in claim.may_overlap:
            yield f"{claim.id} may_overlap", link.note


def test_notes_do_not_copy_the_articles(
    ds: cd.Dataset, seeds: dict[str, list[str]], pages: dict[str, dict[str, Any]]
) -> None:
    """No note repeats a run of 8 or more words from a seed or a stored page."""
    runs: set[str] = {h for page in pages.values() for h in page["runs_of_8_words"]}
    for lines in seeds.values():
        tokens = _WORDS.findall(" ".join(lines).casefold())
        runs.update(_digest(" ".join(tokens[i : i + _RUN])) for i in range(len(tokens) - _RUN + 1))
    copied = []
    for record, note in _notes(ds):
        tokens = _WORDS.findall(note.casefold())
        for i in range(len(tokens) - _RUN + 1):
            run = " ".join(tokens[i : i + _RUN])
            if _digest(run) in runs:
                copied.append(f"{record}: {run!r}")
                break
    assert copied == []


# -- the second reading -----------------------------------------------------------------


def _findings() -> Iterator[tuple[Path, dict[str, Any]]]:
    for path in sorted(REVIEW.glob("*.toml")):
        for finding in tomllib.loads(path.read_text(encoding="utf-8")).get("finding", []):
            yield path, finding


def test_every_batch_of_pages_was_read_a_second_time() -> None:
    """Each curated batch has a second reader's findings file with its summary."""
    web = REPO / "datasets" / "source" / "claims" / "web"
    batches = {p.name for p in web.iterdir() if p.is_dir()}
    reviewed = {p.stem for p in REVIEW.glob("*.toml")}
    assert batches and batches <= reviewed
    for path in REVIEW.glob("*.toml"):
        summary = tomllib.loads(path.read_text(encoding="utf-8")).get("summary", {})
        assert summary.get("sources_read", 0) > 0 and "fixed" in summary, path.name


def test_every_finding_is_fixed_or_explained() -> None:
    """Every finding of the second readers is resolved: fixed, or explained why not."""
    open_ = [
        f"{path.name} {f.get('id')}"
        for path, f in _findings()
        if f.get("status") not in ("fixed", "explained") or not f.get("resolution")
    ]
    assert open_ == []


@pytest.mark.parametrize("version", cd.versions())
def test_items_are_counted_in_their_totals_unit(version: str) -> None:
    """An item (part_of) counts in its total's unit, so reconcile can compare them."""
    claims = {c.id: c for c in cd.load(version).iter_claims()}
    bad = [
        (c.id, c.count.unit.value, parent.count.unit.value)
        for c in claims.values()
        if c.part_of
        and c.count
        and (parent := claims[c.part_of]).count
        and c.count.unit != parent.count.unit
    ]
    assert bad == []


def _root(claims: dict[str, Any], claim: Any) -> Any:
    while (parent := claim.part_of or claim.subset_of) in claims:
        claim = claims[parent]
    return claim


# Pairs of stated totals by one claimant, unit and former party that stay unlinked on
# purpose (checked against the pages): different people, or different months.
UNLINKED_TOTALS = {
    frozenset(
        {
            "cambodia-daily-fpec-40-kanharith-officials",
            "koh-santepheap-2008-fpec-kanharith-about-10",
        }
    ): "ministers in January 2008 versus senior officials in the month after the July election",
    frozenset(
        {
            "voa-2008-cpp-money-srp-lost-three-parliamentarians",
            "voa-2008-cpp-money-srp-lost-30-steering-committee",
        }
    ): "members of parliament versus steering-committee members, two groups the report keeps apart",
}


def test_running_totals_of_one_claimant_are_linked(ds: cd.Dataset) -> None:
    """Two totals by one claimant, in one unit, from one former party, are linked (one a
    part or subset of the other, a possible overlap, one event), or listed above as
    reviewed: otherwise a running total would be summed with its own later update."""
    claims = {c.id: c for c in ds.iter_claims()}

    def related(a: Any, b: Any) -> bool:
        ra, rb = _root(claims, a), _root(claims, b)
        if ra.id == rb.id:
            return True
        for x in (a, ra):
            for y in (b, rb):
                if x.event_id and x.event_id == y.event_id:
                    return True
                if {o.claim_id for o in x.may_overlap} & {y.id} or {
                    o.claim_id for o in y.may_overlap
                } & {x.id}:
                    return True
        return False

    totals = [
        (c, c.count.unit)
        for c in claims.values()
        if c.kind.value == "total" and c.count and c.claimant.id
    ]
    unlinked = [
        frozenset({a.id, b.id})
        for (a, unit_a), (b, unit_b) in itertools.combinations(totals, 2)
        if a.claimant.id == b.claimant.id
        and unit_a == unit_b
        and set(a.from_party_ids) & set(b.from_party_ids)
        and not related(a, b)
    ]
    assert set(unlinked) == set(UNLINKED_TOTALS)
