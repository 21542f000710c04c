"""Turn the reviewed web-curation drafts into the dataset's source files.

Usage: ``python -m tools.import_web`` (from the repository root; rerun after fixing a draft).

Reads ``datasets/drafts/web/<batch>/*.toml`` (one file per stored news page: its
``[source]``, ``[[event]]``, ``[[claim]]``, new ``[[person]]`` and ``[[party]]`` entries,
evidence by paragraph) and the batches' ``outlets.toml`` (outlet alignment judgements),
and writes:

- ``datasets/source/claims/web/<batch>/<source-id>.toml``: the page's source, events and
  claims, in dataset form (evidence with its ``source_id``);
- ``datasets/source/web-persons.toml`` and ``web-parties.toml``: the persons and
  organizations the pages add, merged across batches (one entry per ID: aliases, roles,
  evidence and notes combined), outlets with their ``stance``;
- ``datasets/pages/<source-id>.json``: a fingerprint of each stored page (paragraph
  count, hashed 8-word runs, the numbers printed per paragraph), made from the page
  cache, so the tests can check paragraphs, figures and copying without the prose.

The alignment of an outlet comes from batch ``g-outlets`` (the outlet research) where it
has an entry, else from the batch judgements whose evidence cites a page in the dataset,
else ``unknown``. Sources take their outlet's alignment.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DRAFTS = REPO / "datasets" / "drafts" / "web"
SOURCE = REPO / "datasets" / "source"
PAGES = REPO / "datasets" / "pages"
CACHE = Path("/work/pagecache")

# One outlet printed under two draft IDs.
OUTLET_IDS = {"eacnews-asia": "eac-news"}

# One entity drafted under two IDs in different batches (the drafts' notes say so): the
# first is folded into the second everywhere.
MERGED = {
    "comfrel": "committee-for-free-and-fair-elections",
    "chiv-cata": "chiv-kata",
    "eacnews-asia": "eac-news",
}


def _renamed(value: Any) -> Any:
    """``value`` with every ID of ``MERGED`` replaced, at any depth (exact strings only)."""
    if isinstance(value, str):
        return MERGED.get(value, value)
    if isinstance(value, list):
        return [_renamed(v) for v in value]
    if isinstance(value, dict):
        return {k: (v if k in ("note", "text", "title") else _renamed(v)) for k, v in value.items()}
    return value


WORDS = re.compile(r"[\w’']+")
NUMBER = re.compile(r"\d[\d,.]*\d|\d")
RUN = 8


def _toml_value(value: Any) -> str:
    text: str
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} as TOML")


def _entry(table: str, record: dict[str, Any]) -> str:
    lines = [f"[[{table}]]"]
    for key, value in record.items():
        if key == "evidence" and isinstance(value, list) and len(value) > 1:
            inner = ",\n".join(f"  {_toml_value(v)}" for v in value)
            lines.append(f"evidence = [\n{inner},\n]")
        else:
            lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def _evidence(items: Any, source_id: str) -> list[dict[str, Any]]:
    out = []
    for ev in items if isinstance(items, list) else [items]:
        cited = ev.get("source_id", source_id)
        entry: dict[str, Any] = {"source_id": cited}
        if "line" in ev:
            entry["line"] = ev["line"]
        else:
            entry["paragraph"] = ev["paragraph"]
        entry["note"] = ev["note"]
        out.append(entry)
    return out


def _batches() -> list[Path]:
    return sorted(p for p in DRAFTS.iterdir() if p.is_dir())


def _drafts(batch: Path) -> list[tuple[Path, dict[str, Any]]]:
    return [
        (path, _renamed(tomllib.loads(path.read_text(encoding="utf-8"))))
        for path in sorted(batch.glob("*.toml"))
        if path.name not in ("outlets.toml", "seed-urls.toml")
    ]


def _tokens(text: str) -> list[str]:
    return WORDS.findall(text.casefold())


def digest(text: str) -> str:
    """The short hash under which a page's words and phrases are fingerprinted."""
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def fingerprint(
    source_id: str,
    url: str,
    body: list[str],
    phrases: set[str],
    header: list[str] | None = None,
) -> dict[str, Any]:
    """What the tests need to check records against a page, without its prose: the
    paragraph count, hashed 8-word runs (to catch copying), the numbers printed per
    paragraph, and the hashes of those ``phrases`` (names, labels, figures and dates as
    printed) that the page prints, in its body or its header (headline, dateline,
    masthead, captions: the stored copy's lines outside the article body)."""
    text = " ".join(body)
    whole = " ".join([*(header or []), url, text])
    tokens = _tokens(text)
    runs = sorted({digest(" ".join(tokens[i : i + RUN])) for i in range(len(tokens) - RUN + 1)})
    return {
        "source_id": source_id,
        "url": url,
        "paragraphs": len(body),
        "runs_of_8_words": runs,
        "numbers": [sorted(set(NUMBER.findall(p))) for p in body],
        "printed": sorted({digest(p) for p in phrases if p and p in whole}),
    }


def _phrases(doc: dict[str, Any]) -> set[str]:
    """The phrases a page's records say are printed on it: names and aliases of the
    persons and parties it adds, labels, figures, dates and places as printed."""
    found: set[str] = set()
    for entity in [*doc.get("person", []), *doc.get("party", [])]:
        found.update([entity["name"], *entity.get("aliases", [])])
        if entity.get("short_name"):
            found.add(entity["short_name"])
    found.add(doc["source"].get("outlet", ""))
    for record in [*doc.get("claim", []), *doc.get("event", []), doc["source"]]:
        for key in ("label", "count", "period", "reported", "date", "place", "published"):
            value = record.get(key)
            text = value.get("text") if isinstance(value, dict) else value
            if isinstance(text, str):
                found.add(text)
    return found


def _body(batch: str, source_id: str) -> list[str]:
    path = CACHE / batch / f"{source_id}.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [ln for ln in lines if ln.strip() and not ln.startswith("# ")]


def _header(batch: str, source_id: str) -> list[str]:
    """The stored copy's lines outside the body, as the page cache records them (our own
    search query left out)."""
    path = CACHE / batch / f"{source_id}.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [
        ln[2:].split(": ", 1)[-1]
        for ln in lines
        if ln.startswith("# ") and not ln.startswith("# query:")
    ]


def _merge_person(into: dict[str, Any], new: dict[str, Any]) -> None:
    names = [into["name"], *into.get("aliases", [])]
    for spelling in [new["name"], *new.get("aliases", [])]:
        if spelling not in names:
            into.setdefault("aliases", []).append(spelling)
            names.append(spelling)
    for role in new.get("roles", []):
        if role not in into.setdefault("roles", []):
            into["roles"].append(role)
    for ev in new.get("evidence", []):
        if ev not in into["evidence"]:
            into["evidence"].append(ev)
    if new.get("note") and new["note"] != into.get("note"):
        into["note"] = f"{into['note']} Also: {new['note']}" if into.get("note") else new["note"]


def _stances(in_dataset: set[str]) -> dict[str, dict[str, Any]]:
    """Outlet ID -> its outlet entry (name, short name, stance), research batch first."""
    found: dict[str, dict[str, Any]] = {}
    for batch in sorted(_batches(), key=lambda b: b.name != "g-outlets"):
        path = batch / "outlets.toml"
        if not path.exists():
            continue
        for outlet in tomllib.loads(path.read_text(encoding="utf-8")).get("outlet", []):
            ident = OUTLET_IDS.get(outlet["id"], outlet["id"])
            evidence = _evidence(outlet.get("evidence", []), "")
            cited = [ev for ev in evidence if ev["source_id"] in in_dataset]
            supported = outlet["alignment"] == "unknown" or cited
            if ident in found and (found[ident]["stance"]["alignment"] != "unknown" or not cited):
                continue  # an earlier judgement with evidence (or research) stands
            if not supported:
                continue
            stance: dict[str, Any] = {
                "alignment": outlet["alignment"],
                "reason": outlet["alignment_reason"],
            }
            if cited:
                stance["evidence"] = cited
            if "aligned_until" in outlet:
                stance["until"] = date.fromisoformat(outlet["aligned_until"])
            found[ident] = {
                "name": outlet["name"],
                "short_name": outlet.get("short_name"),
                "stance": stance,
            }
    return found


def main() -> int:
    out_root = SOURCE / "claims" / "web"
    PAGES.mkdir(parents=True, exist_ok=True)
    persons: dict[str, dict[str, Any]] = {}
    parties: dict[str, dict[str, Any]] = {}
    outlet_names: dict[str, str] = {}
    sources: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {}
    for batch in _batches():
        for _path, doc in _drafts(batch):
            src = doc["source"]
            sources[src["id"]] = (batch.name, src, doc)
    stances = _stances(set(sources) | _existing_sources())
    _all_names.update(_existing_names())
    for outlet in stances.values():
        _all_names.update(filter(None, [outlet["name"], outlet.get("short_name")]))
    for _batch, _src, doc in sources.values():
        for entity in [*doc.get("person", []), *doc.get("party", [])]:
            _all_names.update([entity["name"], *entity.get("aliases", [])])
    for batch_name, src, doc in sources.values():
        sid = src["id"]
        outlet = OUTLET_IDS.get(src["outlet_id"], src["outlet_id"])
        outlet_names.setdefault(outlet, src["outlet"])
        stance = stances.get(outlet, {}).get("stance", {})
        alignment = stance.get("alignment", "unknown")
        note = src["note"]
        until = stance.get("until")
        if until is not None and _after(src.get("published"), until.isoformat()):
            alignment = "unknown"
            note += (
                f" Published after {until.isoformat()}, the last day its outlet's stance "
                "holds (see the outlet's stance), so the article's alignment is unknown."
            )
        record: dict[str, Any] = {
            "id": sid,
            "kind": src["kind"],
            "alignment": alignment,
            "read_directly": True,
            "title": src["title"],
            "publisher": src["outlet"],
            "publisher_id": outlet,
        }
        if "published" in src:
            record["published"] = src["published"]
        record["url"] = src["url"]
        if src.get("inferred"):
            renamed = {"outlet": "publisher", "outlet_id": "publisher_id"}
            record["inferred"] = list(dict.fromkeys(renamed.get(f, f) for f in src["inferred"]))
        record["note"] = note
        if src.get("mirrors"):
            record["mirrors"] = src["mirrors"]
        record["accessed"] = src["accessed"]
        record["extent"] = src["extent"]
        record["paragraphs"] = src["paragraphs"]
        record["evidence"] = _evidence(src["evidence"], sid)
        parts = [_entry("source", record)]
        for event in doc.get("event", []):
            event = {**event, "evidence": _evidence(event["evidence"], sid)}
            evidence = event.pop("evidence")
            parts.append(_entry("event", {**event, "evidence": evidence}))
        for claim in doc.get("claim", []):
            claim = dict(claim)
            who = claim["claimant"]
            if who["kind"] == "source" and who.get("id") == sid:  # the article's own voice
                claim["claimant"] = {**who, "alignment": alignment}
            evidence = _evidence(claim.pop("evidence"), sid)
            if "may_overlap" in claim:
                claim["may_overlap"] = [
                    {"claim_id": o["claim"], "note": o["note"]} for o in claim["may_overlap"]
                ]
            parts.append(_entry("claim", {**claim, "evidence": evidence}))
        for person in doc.get("person", []):
            person = dict(person)
            person["evidence"] = _evidence(person["evidence"], sid)
            person["roles"] = [
                {**r, "evidence": _evidence(r["evidence"], sid)[0]} for r in person.get("roles", [])
            ]
            if person["id"] in persons:
                _merge_person(persons[person["id"]], person)
            else:
                persons[person["id"]] = person
        for party in doc.get("party", []):
            party = {**party, "evidence": _evidence(party["evidence"], sid)}
            if party["id"] in parties:
                _merge_person(parties[party["id"]], {**party, "aliases": party.get("aliases", [])})
            else:
                parties[party["id"]] = party
        folder = out_root / batch_name
        folder.mkdir(parents=True, exist_ok=True)
        banner = (
            f"# {src['title']}\n# {src['url']}\n# Curated in batch {batch_name}, second-read "
            f"(datasets/review/{batch_name}.toml). Generated by tools/import_web.py from "
            f"datasets/drafts/web/{batch_name}/{sid}.toml: edit the draft, then rerun.\n\n"
        )
        (folder / f"{sid}.toml").write_text(banner + "\n".join(parts), encoding="utf-8")
        body = _body(batch_name, sid)
        print_ = fingerprint(
            sid, src["url"], body, _phrases(doc) | _all_names, _header(batch_name, sid)
        )
        (PAGES / f"{sid}.json").write_text(json.dumps(print_, indent=1) + "\n", encoding="utf-8")
    existing = _existing_ids()
    _sync_stances({i: o for i, o in stances.items() if i in existing["parties"]})
    for ident, outlet in sorted(stances.items()):
        if ident in existing["parties"]:
            continue
        entry = {
            "id": ident,
            "name": outlet["name"],
            "kind": "media",
            **({"short_name": outlet["short_name"]} if outlet.get("short_name") else {}),
            "stance": outlet["stance"],
        }
        parties.setdefault(ident, entry)
    for ident, name in outlet_names.items():
        if ident not in existing["parties"] and ident not in parties:
            parties[ident] = {"id": ident, "name": name, "kind": "media"}
    for ident, party in parties.items():
        if ident in stances and "stance" not in party:
            party["stance"] = stances[ident]["stance"]
        if not party.get("evidence"):
            party["evidence"] = _outlet_evidence(ident, sources) or [
                {**ev, "note": f"described here: {ev['note']}"}
                for ev in party.get("stance", {}).get("evidence", [])
            ]
    _write_registry("person", persons, SOURCE / "web-persons.toml")
    _write_registry("party", parties, SOURCE / "web-parties.toml")
    print(f"{len(sources)} sources, {len(persons)} persons, {len(parties)} parties written")
    return 0


def _outlet_evidence(ident: str, sources: dict[str, Any]) -> list[dict[str, Any]]:
    """An outlet's evidence: the first paragraph of up to three of its own pages."""
    out = []
    for sid, (_batch, src, _doc) in sources.items():
        if OUTLET_IDS.get(src["outlet_id"], src["outlet_id"]) == ident:
            out.append({"source_id": sid, "paragraph": 1, "note": "a page this outlet published"})
        if len(out) == 3:
            break
    return out


_all_names: set[str] = set()


def _after(published: Any, day: str) -> bool:
    """Whether a published date lies wholly after ``day`` (open or missing: no)."""
    if not isinstance(published, dict) or published.get("start") is None:
        return False
    return str(published["start"]) > day


def _sync_stances(stances: dict[str, dict[str, Any]]) -> None:
    """Write the research batch's stances into the hand-curated parties table.

    The outlet research (``outlets.toml``) is the one home of a stance: the ``stance``
    line of an outlet already in ``parties.toml`` is rewritten from it.
    """
    path = SOURCE / "parties.toml"
    blocks = re.split(r"(?m)^(?=\[\[party\]\]$)", path.read_text(encoding="utf-8"))
    out = []
    for block in blocks:
        found = re.search(r'(?m)^id = "([^"]+)"$', block)
        ident = found.group(1) if found else None
        if ident in stances:
            block = re.sub(r"(?m)^stance = .*\n", "", block)
            line = f"stance = {_toml_value(stances[ident]['stance'])}\n"
            anchor = re.search(r"(?m)^(note|evidence) = ", block)
            at = anchor.start() if anchor else len(block.rstrip("\n")) + 1
            block = block[:at] + line + block[at:]
        out.append(block)
    path.write_text("".join(out), encoding="utf-8")


def _existing_names() -> set[str]:
    names: set[str] = set()
    for name, key in (("parties", "party"), ("persons", "person")):
        for entity in tomllib.loads((SOURCE / f"{name}.toml").read_text(encoding="utf-8"))[key]:
            names.update([entity["name"], *entity.get("aliases", [])])
            if entity.get("short_name"):
                names.add(entity["short_name"])
    return names


def _existing_sources() -> set[str]:
    doc = tomllib.loads((SOURCE / "sources.toml").read_text(encoding="utf-8"))
    return {s["id"] for s in doc["source"]}


def _existing_ids() -> dict[str, set[str]]:
    parties = tomllib.loads((SOURCE / "parties.toml").read_text(encoding="utf-8"))["party"]
    persons = tomllib.loads((SOURCE / "persons.toml").read_text(encoding="utf-8"))["person"]
    return {"parties": {p["id"] for p in parties}, "persons": {p["id"] for p in persons}}


def _write_registry(table: str, records: dict[str, dict[str, Any]], path: Path) -> None:
    order = ["id", "name", "kind", "short_name", "aliases", "stance", "note", "roles", "evidence"]
    parts = [
        f"# {table.capitalize()} entries added by the stored news pages (dataset 3.0.0 on).\n"
        "# Generated by tools/import_web.py from the drafts: edit the drafts, then rerun.\n"
    ]
    for ident in sorted(records):
        record = records[ident]
        ordered = {k: record[k] for k in order if k in record and record[k] not in (None, [], "")}
        ordered.update({k: v for k, v in record.items() if k not in order and v is not None})
        parts.append(_entry(table, ordered))
    path.write_text("\n".join(parts), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
