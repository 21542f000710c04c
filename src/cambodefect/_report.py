"""The summary ``cambodefect summary`` prints: its figures as data, then as text.

`report` computes every section once (a plain, JSON-ready dict); `text`
writes it for a terminal. The CLI prints one or the other (``--format table|json``),
so the text and the JSON always say the same thing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = ["report", "text"]

TOP_OUTLETS = 10
TOP_PER_CYCLE = 5


def report(ds: Dataset) -> dict[str, Any]:
    """Every figure of the summary, as plain data (the JSON the CLI prints)."""
    import pyarrow.compute as pc

    from cambodefect import aggregate
    from cambodefect._display import _date_span
    from cambodefect.schema import TABLES

    span = _date_span(ds)
    out: dict[str, Any] = {
        "version": ds.version,
        "released": ds.manifest.released or None,
        "rows": {name: ds.table(name).num_rows for name in TABLES},
        "dated": None if span is None else {"first": span[0], "last": span[1]},
        "coverage_by_year": aggregate.coverage(ds, by="year").to_pylist(),
    }
    outlets = aggregate.coverage(ds, by="outlet")
    outlets = outlets.filter(pc.greater(outlets["claims"], 0)).sort_by(
        [("claims", "descending"), ("outlet", "ascending")]
    )
    out["coverage_by_outlet"] = outlets.to_pylist()
    frame = aggregate.claims_frame(ds, with_party_key=False)
    cycles: list[dict[str, Any]] = []
    for cycle in sorted(c for c in pc.unique(frame["cycle"]).to_pylist() if c is not None):
        rows = aggregate.by_claimant(ds, cycle=cycle)
        rows = rows.filter(pc.is_valid(rows["count_sum"])).sort_by(
            [("count_sum", "descending"), ("claimant", "ascending")]
        )
        cycles.append({"cycle": cycle, "claimants": rows.to_pylist()})
    out["figures_by_cycle"] = cycles
    out["fresh_news_by_party"] = []
    if "fresh-news" in set(frame["claimant"].to_pylist()):
        top = aggregate.by_party(ds, claimant="fresh-news")
        top = top.filter(pc.equal(top["unit"], "persons")).sort_by([("count_sum", "descending")])
        out["fresh_news_by_party"] = top.to_pylist()
    rec = aggregate.reconcile(ds).to_pylist()
    out["reconcile"] = {
        "stated_totals": len(rec),
        "not_adding_up": [r for r in rec if r["status"] in ("mismatch", "contradiction")],
    }
    return out


def _n(count: int, noun: str) -> str:
    """'1 claim', '2 claims'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def text(data: dict[str, Any]) -> str:
    """The summary for a terminal."""
    released = f" (released {data['released']})" if data["released"] else ""
    lines = [f"cambodefect dataset {data['version']}{released}"]
    lines += [f"  {name:<8} {rows:>5} rows" for name, rows in data["rows"].items()]
    dated = data["dated"]
    lines.append(
        f"  claims dated {dated['first']} to {dated['last']}"
        if dated
        else "  claims carry no dates"
    )
    lines.append("\n  sources read and the claims they carry, by publication year:")
    for row in data["coverage_by_year"]:
        year = "undated" if row["year"] is None else str(row["year"])
        lines.append(
            f"    {year:<8} {_n(row['sources'], 'source'):>11} {_n(row['claims'], 'claim'):>10}"
            f"  ({_n(row['counter_claims'], 'counter-claim')})"
        )
    outlets = data["coverage_by_outlet"]
    shown, rest = outlets[:TOP_OUTLETS], outlets[TOP_OUTLETS:]
    lines.append(f"\n  by outlet (the {len(shown)} carrying most claims):")
    width = max((len(str(r["outlet_name"] or r["outlet"])) for r in shown), default=0)
    for row in shown:
        name = str(row["outlet_name"] or row["outlet"])
        sources, claims = _n(row["sources"], "source"), _n(row["claims"], "claim")
        lines.append(
            f"    {name:<{width}} {sources:>11} {claims:>10}"
            f"  ({_n(row['counter_claims'], 'counter-claim')})"
        )
    if rest:
        lines.append(
            f"    ... {len(rest)} more outlets: {sum(r['sources'] for r in rest)} sources, "
            f"{sum(r['claims'] for r in rest)} claims"
        )
    lines.append(
        "\n  claimed figures by election cycle and claimant, five largest per cycle"
        "\n  (defections and stated totals; a total is never added to its own items, a"
        "\n  possible repeat counts only in the upper bound; a cycle runs up to its election):"
    )
    picked = [
        (c["cycle"], row)
        for c in data["figures_by_cycle"]
        for row in c["claimants"][:TOP_PER_CYCLE]
    ]
    width = max((len(row["claimant"]) for _, row in picked), default=0)
    for entry in data["figures_by_cycle"]:
        for row in entry["claimants"][:TOP_PER_CYCLE]:
            upper = "open" if row["upper"] is None else f"{row['upper']:,}"
            lines.append(
                f"    {entry['cycle']:<6} {row['claimant']:<{width}} {row['unit']:<10} "
                f"{row['count_sum']:>7,}  (upper {upper}; {_n(row['claims'], 'claim')})"
            )
        more = len(entry["claimants"]) - TOP_PER_CYCLE
        if more > 0:
            lines.append(f"    {entry['cycle']:<6} ... {more} more claimants")
    if data["fresh_news_by_party"]:
        lines.append("\n  top former parties claimed by fresh-news (defections, persons):")
        for row in data["fresh_news_by_party"][:5]:
            party = row["party_key"] or "(no former party stated)"
            lines.append(f"    {party:<50} {row['count_sum']:>6}  ({_n(row['claims'], 'claim')})")
    rec = data["reconcile"]
    lines.append(
        f"\n  reconcile: {rec['stated_totals']} stated totals with items, "
        f"{len(rec['not_adding_up'])} not adding up"
    )
    for r in rec["not_adding_up"]:
        lines.append(
            f"    {r['id']}: stated {r['stated_text']}, items sum {r['items_sum']} "
            f"over {r['items']} items (difference {r['difference']})"
        )
    return "\n".join(lines)


_EXTRAS = ("pandas", "polars", "matplotlib", "duckdb", "numpy", "mlcroissant", "frictionless")


def doctor() -> dict[str, Any]:
    """What this installation has: versions, where the data lives, what is optional,
    and whether the documents the evidence tests read are beside the checkout."""
    import importlib.metadata
    import importlib.util
    import os
    import platform

    from cambodefect._version import __version__
    from cambodefect._versions import ENV_VERSION, releases, root_path
    from cambodefect.dataset import load

    root = root_path()
    checkout = os.path.dirname(root)
    source = os.path.join(root, "source", "dataset.toml")
    seeds = os.path.join(os.path.dirname(checkout), "shared", "seeds")

    def version_of(name: str) -> str | None:
        if importlib.util.find_spec(name) is None:
            return None
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "installed"

    newest = load()  # verifies every file of the version it loads
    return {
        "cambodefect": __version__,
        "python": platform.python_version(),
        "pyarrow": version_of("pyarrow"),
        "data": root,
        "versions": [{"version": r.version, "released": r.released} for r in releases()],
        "loads": {"version": newest.version, "verified": True},
        "pinned_by": os.environ.get(ENV_VERSION) or None,
        "source_checkout": os.path.isfile(source),
        "held_documents": seeds if os.path.isdir(seeds) else None,
        "extras": {name: version_of(name) for name in _EXTRAS},
    }


def doctor_text(data: dict[str, Any]) -> str:
    """`doctor` for a terminal."""
    versions = ", ".join(f"{v['version']} ({v['released']})" for v in data["versions"])
    lines = [
        f"cambodefect {data['cambodefect']} on Python {data['python']}, pyarrow {data['pyarrow']}",
        f"bundled data: {data['data']}",
        f"  versions: {versions}",
        f"  cambodefect.load() gives {data['loads']['version']}: every file's SHA-256 checked",
    ]
    if data["pinned_by"]:
        lines.append(f"  pinned by CAMBODEFECT_DATASET_VERSION={data['pinned_by']}")
    if data["source_checkout"]:
        lines.append("source checkout: yes (datasets/source/ is here; `cambodefect build` works)")
    else:
        lines.append("source checkout: no (an installed package; `cambodefect build` needs one)")
    if data["held_documents"]:
        lines.append(f"held documents: {data['held_documents']} (evidence tests run)")
    else:
        lines.append(
            "held documents: not found (../shared/seeds beside a checkout): the tests that "
            "check evidence lines against the five seed articles are skipped; they are not "
            "shipped, being the articles' text"
        )
    lines.append("optional packages:")
    for name, version in data["extras"].items():
        lines.append(f"  {name:<13} {version or 'not installed'}")
    return "\n".join(lines)
