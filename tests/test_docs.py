"""Tests that keep the README, the dataset card and CI true to the code and data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import cambodefect as cd

from .conftest import REPO

README = REPO / "README.md"
CARD = REPO / "docs" / "dataset-card.md"
CI = REPO / ".ci" / "run"

needs_docs = pytest.mark.skipif(not README.is_file(), reason="not a source checkout")


def _shell_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)]


@needs_docs
def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one() -> None:
    """The README's set-up section has two commands; .ci/run runs the test one verbatim."""
    setup = README.read_text(encoding="utf-8").split("## Set up", 1)[1].split("\n## ", 1)[0]
    blocks = _shell_blocks(setup)
    assert len(blocks) == 2, blocks
    main_job, tests = blocks
    assert "cambodefect summary" in main_job
    assert "pytest" in tests
    ci_lines = [line.strip() for line in CI.read_text(encoding="utf-8").splitlines()]
    assert tests in ci_lines


@needs_docs
def test_dataset_card_names_the_newest_version() -> None:
    """The dataset card is about the newest bundled version (its table block is generated)."""
    text = CARD.read_text(encoding="utf-8")
    assert f"cambodefect {cd.load().version}" in text
    assert "<!-- tables:start -->" in text


@needs_docs
@pytest.mark.parametrize("file,name", sorted(__import__("tools.gendocs").gendocs.BLOCKS))
def test_generated_blocks_match_the_code(file: str, name: str) -> None:
    """Each generated block of the docs is what tools/gendocs.py makes from the code now."""
    from tools import gendocs

    text = (REPO / file).read_text(encoding="utf-8")
    assert gendocs.block(text, name) == gendocs.BLOCKS[(file, name)](), (
        f"{file} block {name!r} is stale: run python -m tools.gendocs"
    )


def test_no_page_tells_a_reader_to_pip_install_from_an_index(repo: Path) -> None:
    """The package is not on a public index: every install line names a checkout or a
    wheel (a bare `pip install cambodefect` failed for the first reader)."""
    pages = [repo / "README.md", *sorted((repo / "docs").glob("*.md"))]
    bare = re.compile(r"pip install\s+['\"]?cambodefect(\[|['\"\s]|$)", re.MULTILINE)
    offending = [p.name for p in pages if bare.search(p.read_text(encoding="utf-8"))]
    assert offending == []
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert "../shared/seeds/" in readme and "skipped" in readme  # why tests skip
