"""Evidence tests for the bundled dataset: every record traces to a seed line.

These check the newest bundled version against the seed documents in
../shared/seeds/; where ../shared is absent (an unpacked sdist), they skip and
say why.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

import pytest

import cambodefect as cd
from cambodefect.values import Evidence

from .conftest import SEEDS


@pytest.fixture(scope="module")
def ds() -> cd.Dataset:
    return cd.load()


@pytest.fixture(scope="module")
def documents(ds: cd.Dataset, seeds: dict[str, list[str]]) -> dict[str, list[str]]:
    """Seed lines by source ID, for the sources we hold."""
    out = {}
    for source in ds.iter_sources():
        if source.read_directly:
            assert source.document in seeds, f"{source.id}: {source.document} not in seeds"
            out[source.id] = seeds[source.document]
    return out


def _all_evidence(ds: cd.Dataset) -> Iterator[tuple[str, Evidence]]:
    for party in ds.iter_parties():
        for ev in party.evidence:
            yield party.id, ev
    for person in ds.iter_persons():
        for ev in person.evidence:
            yield person.id, ev
        for role in person.roles:
            yield f"{person.id} role {role.title!r}", role.evidence
    for source in ds.iter_sources():
        for ev in source.evidence:
            yield source.id, ev
    for claim in ds.iter_claims():
        for ev in claim.evidence:
            yield claim.id, ev


def test_every_seed_document_is_a_held_source(ds: cd.Dataset, seeds: dict[str, list[str]]) -> None:
    """Each of the five seed files is a read_directly source with its true SHA-256."""
    held = {s.document: s for s in ds.iter_sources() if s.document is not None}
    assert sorted(held) == sorted(seeds)
    for name, source in held.items():
        digest = hashlib.sha256((SEEDS / name).read_bytes()).hexdigest()
        assert source.document_sha256 == digest, name


def test_every_evidence_line_exists(ds: cd.Dataset, documents: dict[str, list[str]]) -> None:
    """Every evidence entry cites a held document and a non-blank line within it."""
    bad = []
    for record, ev in _all_evidence(ds):
        lines = documents.get(ev.source_id)
        if lines is None:
            bad.append(f"{record}: cites {ev.source_id!r}, not a held document")
        elif not 1 <= ev.line <= len(lines) or not lines[ev.line - 1].strip():
            bad.append(f"{record}: line {ev.line} of {ev.source_id} is missing or blank")
    assert bad == []


_NUMBER_RE = re.compile(r"\d[\d,.]*\d|\d")


def test_count_numbers_appear_on_their_line(
    ds: cd.Dataset, documents: dict[str, list[str]]
) -> None:
    """Each number in a Count's printed text appears on the claim's first evidence line."""
    bad = []
    for claim in ds.iter_claims():
        if claim.count is None or claim.count.text is None:
            continue
        ev = claim.evidence[0]
        line = documents[ev.source_id][ev.line - 1]
        if claim.count.text not in line:
            bad.append(f"{claim.id}: {claim.count.text!r} not on line {ev.line}")
        for number in _NUMBER_RE.findall(claim.count.text):
            if number not in line:
                bad.append(f"{claim.id}: {number} not on line {ev.line}")
    assert bad == []


def test_every_alias_is_printed_in_the_seeds(ds: cd.Dataset, seeds: dict[str, list[str]]) -> None:
    """Every name, short name and alias appears verbatim somewhere in the seeds."""
    text = "\n".join("\n".join(lines) for lines in seeds.values())
    entities: list[cd.Party | cd.Person] = [*ds.iter_parties(), *ds.iter_persons()]
    missing = [(e.id, name) for e in entities for name in e.names if name not in text]
    assert missing == []


def test_printed_labels_and_dates_are_verbatim(
    ds: cd.Dataset, documents: dict[str, list[str]]
) -> None:
    """A claim's raw label and its dates' printed text appear on one of its evidence lines."""
    bad = []
    for claim in ds.iter_claims():
        lines = [documents[ev.source_id][ev.line - 1] for ev in claim.evidence]
        printed = [claim.label] + [d.text for d in (claim.period, claim.reported) if d is not None]
        for text in printed:
            if text is not None and not any(text in line for line in lines):
                bad.append(f"{claim.id}: {text!r} not on its evidence lines")
    assert bad == []


_RUN = 8


def _notes(ds: cd.Dataset) -> Iterator[tuple[str, str]]:
    for record, ev in _all_evidence(ds):
        yield f"{record} (evidence line {ev.line})", ev.note
    entities: list[cd.Party | cd.Person | cd.Source | cd.Claim] = [
        *ds.iter_parties(),
        *ds.iter_persons(),
        *ds.iter_sources(),
        *ds.iter_claims(),
    ]
    for entity in entities:
        if entity.note:
            yield entity.id, entity.note


def test_notes_do_not_copy_the_articles(ds: cd.Dataset, seeds: dict[str, list[str]]) -> None:
    """No note repeats a run of 8 or more words from a seed document (our own words only)."""
    words = re.compile(r"[\w’']+")
    shingles: set[tuple[str, ...]] = set()
    for lines in seeds.values():
        tokens = words.findall(" ".join(lines).casefold())
        shingles.update(tuple(tokens[i : i + _RUN]) for i in range(len(tokens) - _RUN + 1))
    copied = []
    for record, note in _notes(ds):
        tokens = words.findall(note.casefold())
        runs = [tuple(tokens[i : i + _RUN]) for i in range(len(tokens) - _RUN + 1)]
        hits = [" ".join(r) for r in runs if r in shingles]
        if hits:
            copied.append(f"{record}: {hits[0]!r}")
    assert copied == []
