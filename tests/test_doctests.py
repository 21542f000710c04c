"""Every docstring example in the package runs and shows what it says."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import cambodefect

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(cambodefect.__path__, prefix="cambodefect.")
    if m.name not in {"cambodefect.__main__"}
)


@pytest.mark.parametrize("name", ["cambodefect", *MODULES])
def test_docstring_examples(name: str) -> None:
    """The module's doctest examples pass."""
    module = importlib.import_module(name)
    result = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


DOCS = sorted((Path(__file__).resolve().parents[1] / "docs").glob("*.md"))
README = Path(__file__).resolve().parents[1] / "README.md"


_FENCE = re.compile(r"^```(?:python|pycon)\n(.*?)^```", re.DOTALL | re.MULTILINE)


@pytest.mark.parametrize("path", [*DOCS, README], ids=lambda p: p.name)
def test_documentation_examples(path: Path) -> None:
    """Every `>>>` example in the README's and docs' code blocks runs as shown."""
    if not path.is_file():
        pytest.skip(f"{path} absent (not a source checkout)")
    blocks = _FENCE.findall(path.read_text(encoding="utf-8"))
    text = "\n".join(block for block in blocks if ">>>" in block)
    if not text:
        return
    parser = doctest.DocTestParser()
    test = parser.get_doctest(text, {}, path.name, str(path), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    failed, attempted = runner.summarize(verbose=False)
    assert attempted > 0
    assert failed == 0, f"{failed} of {attempted} examples failed in {path.name}"
