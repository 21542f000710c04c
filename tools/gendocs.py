"""Regenerate the generated blocks of the documentation from the code.

Run ``python -m tools.gendocs`` from the repository root after changing what a block
shows; the tests compare each block with what this module generates and fail if they
differ. Blocks sit between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->`` lines.

- ``docs/reliability.md``, block ``codes``: the table of violation codes
  (``cambodefect.ViolationCode.markdown_table()``);
- ``docs/architecture.md``, block ``modules``: the module map (``tools.architecture``);
- ``docs/dataset-card.md``, block ``tables``: the newest bundled version's row counts;
- ``docs/dataset-card.md``, blocks ``coverage`` (sources read and claims, by year,
  alignment, outlet and province: ``cambodefect.aggregate.coverage``) and ``review``
  (the second reading of each batch of news pages: ``datasets/review/*.toml``);
- ``docs/coverage.md``, block ``logs``: the search logs of the curation batches
  (``datasets/drafts/web/<batch>/SEARCHLOG.md``), one section per batch;

It also writes the figures the pages embed, as Graphviz DOT (``FIGURES``) rendered to SVG
by the ``dot`` program (``apt-get install graphviz``), so that the site shows them with no
JavaScript and no network: ``docs/figures/architecture.dot`` (the import graph and the
layers, ``tools.architecture``) and ``docs/figures/model.dot`` (the models, their attrs
fields and how records point at each other). Without ``dot`` the DOT files are still
written, and the command exits 1, naming the SVGs it could not render.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _codes() -> str:
    import cambodefect as cd

    return cd.ViolationCode.markdown_table()


_TABLE_JOBS = {
    "parties": "a party, a tally placeholder or non-party label, or another organization",
    "persons": "a named person",
    "sources": "an article we read, or a source it cites",
    "events": "one happening (a ceremony, an announcement, a letter) that claims report",
    "claims": "one assertion by one claimant, as read on one or more lines",
}


def _card_tables() -> str:
    import cambodefect as cd

    ds = cd.load()
    rows = [
        f"Version {ds.version} (released {ds.manifest.released}).",
        "",
        "| table | rows | one row is |",
        "|---|---|---|",
    ]
    rows += [
        f"| {name} | {ds.table(name).num_rows} | {_TABLE_JOBS[name]} |"
        for name in ("parties", "persons", "sources", "events", "claims")
    ]
    return "\n".join(rows) + "\n"


def _markdown(table: object, columns: list[tuple[str, str]], nulls: str = "-") -> list[str]:
    """A pyarrow table's rows as a Markdown table: (column, header) pairs."""
    rows = table.to_pylist()  # type: ignore[attr-defined]
    out = ["| " + " | ".join(h for _, h in columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = [nulls if row[c] is None else str(row[c]) for c, _ in columns]
        out.append("| " + " | ".join(cells) + " |")
    return out


_COUNTS = [
    ("sources", "sources read"),
    ("claims", "claims"),
    ("defections", "defections"),
    ("totals", "totals"),
    ("counter_claims", "counter-claims"),
]


def _card_coverage() -> str:
    import pyarrow.compute as pc

    import cambodefect as cd
    from cambodefect import aggregate

    ds = cd.load()
    out = [f"Sources read and the claims they carry, {ds.version}. A count of sources and"]
    out += ["claims, never of people (`cambodefect.aggregate.coverage`).", ""]
    out += ["**By publication year** (undated: no date printed or inferable):", ""]
    out += _markdown(
        aggregate.coverage(ds, by="year"), [("year", "year"), *_COUNTS], nulls="undated"
    )
    out += ["", "**By the source's alignment** (the outlet's recorded stance):", ""]
    out += _markdown(aggregate.coverage(ds, by="alignment"), [("alignment", "alignment"), *_COUNTS])
    outlets = aggregate.coverage(ds, by="outlet")
    outlets = outlets.filter(pc.greater(outlets["claims"], 0)).sort_by(
        [("sources", "descending"), ("claims", "descending"), ("outlet", "ascending")]
    )
    out += ["", "**By outlet** (outlets whose pages carry claims, most sources first):", ""]
    out += _markdown(outlets, [("outlet_name", "outlet"), *_COUNTS])
    out += ["", "**By province** (of the claims' places, their own or their event's):", ""]
    out += _markdown(
        aggregate.coverage(ds, by="province"),
        [("province", "ISO 3166-2"), ("province_name", "province"), *_COUNTS],
        nulls="no place",
    )
    return "\n".join(out) + "\n"


def _card_review() -> str:
    import collections
    import tomllib

    rows = ["| batch | sources read | not found | findings | errors | omissions | copied |"]
    rows[0] += " invented | doubts | fixed | explained |"
    rows.append("|" + "---|" * 11)
    totals: collections.Counter[str] = collections.Counter()
    for path in sorted((REPO / "datasets" / "review").glob("*.toml")):
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        kinds = collections.Counter(f["kind"] for f in doc.get("finding", []))
        status = collections.Counter(f.get("status") for f in doc.get("finding", []))
        figures = collections.Counter(
            {
                "read": doc["summary"]["sources_read"],
                "unverified": kinds["unverified"],
                "findings": sum(kinds.values()),
                "error": kinds["error"],
                "omission": kinds["omission"],
                "copied": kinds["copied"],
                "invented": kinds["invented"],
                "doubt": kinds["doubt"],
                "fixed": status["fixed"],
                "explained": status["explained"],
            }
        )
        totals.update(figures)
        rows.append(f"| {path.stem} | " + " | ".join(str(v) for v in figures.values()) + " |")
    keys = ["read", "unverified", "findings", "error", "omission", "copied", "invented"]
    keys += ["doubt", "fixed", "explained"]
    rows.append("| **all** | " + " | ".join(f"**{totals[k]}**" for k in keys) + " |")
    return "\n".join(rows) + "\n"


def _coverage_logs() -> str:
    out = []
    for log in sorted((REPO / "datasets" / "drafts" / "web").glob("*/SEARCHLOG.md")):
        text = log.read_text(encoding="utf-8").strip().splitlines()
        body = [line for line in text if not line.startswith("# ")]
        body = ["#" + line if line.startswith("## ") else line for line in body]
        out += [f"## Batch {log.parent.name}", "", *body, ""]
    return "\n".join(out)


# How records point at each other by ID (the diagram's dotted arrows).
_REFERENCES = (
    ("Claim", "Party", "from_party_ids, to_party_id"),
    ("Claim", "Person", "person_ids"),
    ("Claim", "Claim", "part_of, subset_of, may_overlap, disputed_by"),
    ("Claim", "Event", "event_id"),
    ("Claim", "Source", "cited_source_id"),
    ("Evidence", "Source", "source_id, line or paragraph"),
)


def _type_name(tp: object) -> str:
    import typing

    args = [a for a in typing.get_args(tp) if a is not type(None)]
    optional = type(None) in typing.get_args(tp)
    if typing.get_origin(tp) is tuple:
        return f"tuple[{_type_name(args[0])}, ...]"
    if optional and len(args) == 1:
        return f"{_type_name(args[0])} | None"
    return getattr(tp, "__name__", str(tp))


def _model_dot() -> str:
    """The models as Graphviz DOT: one box per attrs class with its fields and types, a
    diamond where a record holds another, a dashed arrow where it points at one by ID."""
    import typing

    import attrs

    from cambodefect import models, values

    classes = [
        models.Claim,
        models.Event,
        models.Party,
        models.Person,
        models.Source,
        values.Count,
        values.FuzzyDate,
        values.Evidence,
        values.Claimant,
        values.Role,
        values.Place,
        values.Overlap,
    ]
    lines = [
        "digraph model {",
        '  graph [rankdir=LR, nodesep=0.3, ranksep=0.6, fontname="Helvetica"];',
        '  node [shape=plain, fontname="Helvetica", fontsize=10];',
        '  edge [color="#6b7280", arrowsize=0.7, fontname="Helvetica", fontsize=9];',
    ]
    edges = []
    for cls in classes:
        hints = typing.get_type_hints(cls)
        table = "entity" if cls.__module__ == models.__name__ else "value"
        fill = "#dbeafe" if table == "entity" else "#f3f4f6"
        rows = [
            f'<tr><td align="left">{html.escape(f.name)}: '
            f"{html.escape(_type_name(hints[f.name]))}</td></tr>"
            for f in attrs.fields(cls)
        ]
        lines.append(
            f'  "{cls.__name__}" [label=<<table border="0" cellborder="0" cellspacing="0" '
            f'cellpadding="2" color="#6b7280"><tr><td bgcolor="{fill}"><b>{cls.__name__}</b>'
            f"</td></tr>{''.join(rows)}</table>>, shape=box, style=rounded, margin=0];"
        )
        for field in attrs.fields(cls):
            for tp in [hints[field.name], *typing.get_args(hints[field.name])]:
                for arg in [tp, *typing.get_args(tp)]:
                    if isinstance(arg, type) and attrs.has(arg) and arg in classes:
                        edge = (
                            f'  "{cls.__name__}" -> "{arg.__name__}" [dir=back, arrowtail=diamond];'
                        )
                        if edge not in edges:
                            edges.append(edge)
    lines += edges
    lines += [f'  "{a}" -> "{b}" [style=dashed, label="{label}"];' for a, b, label in _REFERENCES]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _architecture_dot() -> str:
    from tools import architecture

    return architecture.diagram()


def _modules() -> str:
    from tools import architecture

    return architecture.module_map()


BLOCKS: dict[tuple[str, str], Callable[[], str]] = {
    ("docs/reliability.md", "codes"): _codes,
    ("docs/architecture.md", "modules"): _modules,
    ("docs/dataset-card.md", "tables"): _card_tables,
    ("docs/dataset-card.md", "coverage"): _card_coverage,
    ("docs/dataset-card.md", "review"): _card_review,
    ("docs/coverage.md", "logs"): _coverage_logs,
}
"""(file, block name) -> the function generating the block's text."""


FIGURES: dict[str, Callable[[], str]] = {
    "docs/figures/architecture.dot": _architecture_dot,
    "docs/figures/model.dot": _model_dot,
}
"""DOT file -> the function generating it; each is rendered to the SVG beside it."""


def render_svg(dot: str) -> str:
    """``dot`` rendered to SVG by Graphviz (deterministic for one Graphviz version, which
    the SVG's first comment names); ``FileNotFoundError`` if ``dot`` is not installed."""
    program = shutil.which("dot")
    if program is None:
        raise FileNotFoundError("dot (Graphviz) is not installed: apt-get install graphviz")
    done = subprocess.run(  # noqa: S603 - a fixed program on our own DOT text
        [program, "-Tsvg"], input=dot, capture_output=True, text=True, check=True
    )
    return done.stdout


def block(text: str, name: str) -> str:
    """The current text of block ``name`` in ``text`` (``KeyError`` if it is absent)."""
    start, end = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
    if start not in text or end not in text:
        raise KeyError(f"no block {name!r}")
    return text.split(start, 1)[1].split(end, 1)[0]


def replace(text: str, name: str, content: str) -> str:
    """``text`` with block ``name`` replaced by ``content``."""
    start, end = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}{content}{end}{tail}"


def main() -> int:
    """Rewrite every block; print the files that changed."""
    for (file, name), make in BLOCKS.items():
        path = REPO / file
        text = path.read_text(encoding="utf-8")
        new = replace(text, name, make())
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(f"updated {file} ({name})")
    stale = 0
    for file, make in FIGURES.items():
        path = REPO / file
        dot = make()
        if not path.is_file() or path.read_text(encoding="utf-8") != dot:
            path.write_text(dot, encoding="utf-8")
            print(f"updated {file}")
        svg_path = path.with_suffix(".svg")
        try:
            svg = render_svg(dot)
        except FileNotFoundError as err:
            print(f"{svg_path.relative_to(REPO)} not rendered: {err}", file=sys.stderr)
            stale = 1
            continue
        if not svg_path.is_file() or svg_path.read_text(encoding="utf-8") != svg:
            svg_path.write_text(svg, encoding="utf-8")
            print(f"updated {svg_path.relative_to(REPO)}")
    return stale


if __name__ == "__main__":
    sys.exit(main())
