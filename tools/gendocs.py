"""Regenerate the generated blocks of the documentation from the code.

Run ``python -m tools.gendocs`` from the repository root after changing what a block
shows; the tests compare each block with what this module generates and fail if they
differ. Blocks sit between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->`` lines.

- ``docs/reliability.md``, block ``codes``: the table of violation codes
  (``cambodefect.ViolationCode.markdown_table()``);
- ``docs/architecture.md``, blocks ``diagram`` and ``modules``: the import graph and the
  module map (``tools.architecture``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _codes() -> str:
    import cambodefect as cd

    return cd.ViolationCode.markdown_table()


def _diagram() -> str:
    from tools import architecture

    return architecture.diagram()


def _modules() -> str:
    from tools import architecture

    return architecture.module_map()


BLOCKS: dict[tuple[str, str], Callable[[], str]] = {
    ("docs/reliability.md", "codes"): _codes,
    ("docs/architecture.md", "diagram"): _diagram,
    ("docs/architecture.md", "modules"): _modules,
}
"""(file, block name) -> the function generating the block's text."""


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
    return 0


if __name__ == "__main__":
    sys.exit(main())
