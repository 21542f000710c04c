"""The package's import graph, its layers, and the architecture page generated from them.

Every module of ``src/cambodefect`` is parsed (nothing is imported); its imports of other
cambodefect modules, at module level or inside functions, are edges. Imports under
``if TYPE_CHECKING:`` are not (they never run). The tests check that the graph has no
cycle, that every edge points down the layers below, and that ``docs/architecture.md``
shows exactly this graph (``python -m tools.gendocs`` regenerates it).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "cambodefect"

LAYERS: dict[str, int] = {
    # the rules nothing else depends on
    "_version": 0,
    "errors": 0,
    "_text": 1,
    "_display": 1,
    "_tables": 1,
    "_checks": 1,
    "_atomic": 1,
    "_files": 1,
    "_optional": 1,
    "_places": 1,
    "enums": 1,
    # the typed model
    "values": 2,
    "_citation": 2,
    "models": 3,
    # models <-> plain data; names -> IDs; models <-> Arrow
    "converter": 4,
    "_names": 4,
    "schema": 5,
    "frames": 5,
    "_frame": 5,
    "_migrate": 6,
    "_documents": 6,
    # files on disk
    "_contents": 6,
    "storage": 7,
    "sourcefiles": 8,
    "validation": 8,
    "_versions": 8,
    "build": 9,
    # the loaded dataset
    "dataset": 10,
    # what users do with a dataset
    "normalize": 11,
    "aggregate": 11,
    "compare": 11,
    "export": 12,
    "plot": 12,
    "testing": 12,
    # the command line
    "_report": 12,
    "cli": 13,
    "__main__": 14,
}
"""Each unit (a top-level module, or a subpackage as a whole) and its layer: a unit may
import only units of a lower layer (or of its own package)."""


def modules() -> list[str]:
    """Every module, dotted from the package (``aggregate._frame``), sorted."""
    out = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out.append(".".join(parts) if parts else "")
    return sorted(out)


def unit(module: str) -> str:
    """The unit a module belongs to: its subpackage, or itself."""
    return module.split(".", 1)[0]


def _path(module: str) -> Path:
    base = SRC.joinpath(*module.split(".")) if module else SRC
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def imports(module: str) -> Iterator[str]:
    """The cambodefect modules ``module`` imports at run time (dotted, package-relative)."""
    known = set(modules())
    tree = ast.parse(_path(module).read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree)
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "cambodefect":
                names = [alias.name for alias in node.names]
            elif node.module.startswith("cambodefect."):
                base = node.module.removeprefix("cambodefect.")
                names = [base]
                names += [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in known]
        elif isinstance(node, ast.Import):
            names = [
                a.name.removeprefix("cambodefect.")
                for a in node.names
                if a.name.startswith("cambodefect.")
            ]
        for name in names:
            if name in known and name != module:
                yield name


def graph() -> dict[str, set[str]]:
    """Module -> the modules it imports (the package root, which imports lazily, left out)."""
    return {m: set(imports(m)) for m in modules() if m}


def unit_edges() -> set[tuple[str, str]]:
    """(importer unit, imported unit) for every import across units."""
    return {
        (unit(a), unit(b)) for a, targets in graph().items() for b in targets if unit(a) != unit(b)
    }


def cycles() -> list[list[str]]:
    """Every import cycle among modules (empty when the graph is a DAG)."""
    g = graph()
    found: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(g.get(node, ())):
            if state.get(nxt) == 1:
                found.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(g):
        if node not in state:
            visit(node)
    return found


def upward_edges() -> list[tuple[str, str]]:
    """Cross-unit imports that point to a unit of the same or a higher layer."""
    return sorted((a, b) for a, b in unit_edges() if LAYERS[b] >= LAYERS[a])


def _job(module: str) -> str:
    doc = ast.get_docstring(ast.parse(_path(module).read_text(encoding="utf-8"))) or ""
    first = doc.strip().split("\n\n", 1)[0].replace("\n", " ")
    first = re.sub(r":\w+:`~?(?:[\w.]+\.)?([\w]+)`", r"`\1`", first)  # :class:`~a.B` -> `B`
    first = re.sub(r"\[`(?:[\w.]+\.)?(\w+)`\]\[[\w.]+\]", r"`\1`", first)  # [`a.B`][a.B] -> `B`
    return first.replace("``", "`").replace("|", "\\|")


def module_map() -> str:
    """The Markdown table of every module: its layer and its one-line job."""
    rows = ["| module | layer | job |", "|---|---|---|"]
    for m in modules():
        if not m:
            continue
        rows.append(f"| `cambodefect.{m}` | {LAYERS[unit(m)]} | {_job(m)} |")
    return "\n".join(rows) + "\n"


def diagram() -> str:
    """The import graph in Graphviz DOT: one box per unit (a package's box lists its
    modules), one arrow per cross-unit import, drawn from the importer down to what it
    imports. ``python -m tools.gendocs`` writes it to ``docs/figures/architecture.dot``
    and renders it to SVG."""
    by_unit: dict[str, list[str]] = {}
    for m in modules():
        if m:
            by_unit.setdefault(unit(m), []).append(m)
    lines = [
        "digraph architecture {",
        '  graph [rankdir=TB, nodesep=0.15, ranksep=0.5, fontname="Helvetica"];',
        '  node [shape=box, style="rounded,filled", fillcolor="#f3f4f6", color="#6b7280",',
        '        fontname="Helvetica", fontsize=11, height=0.3];',
        '  edge [color="#9ca3af", arrowsize=0.6];',
    ]
    for u in sorted(by_unit, key=lambda u: (-LAYERS[u], u)):
        inner = [m.split(".", 1)[1] for m in by_unit[u] if m != u]
        if inner:
            rows = [" ".join(inner[i : i + 3]) for i in range(0, len(inner), 3)]
            listing = "<br/>".join(rows)
            label = f'<<b>{u}</b><br/><font point-size="9">{listing}</font>>'
            lines.append(f'  "{u}" [label={label}, fillcolor="#e5e7eb"];  // layer {LAYERS[u]}')
        else:
            lines.append(f'  "{u}";  // layer {LAYERS[u]}')
    for a, b in sorted(unit_edges()):
        lines.append(f'  "{a}" -> "{b}";')
    lines.append("}")
    return "\n".join(lines) + "\n"
