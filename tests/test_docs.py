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


SPHINX_ROLE = re.compile(r":(?:py:)?(class|func|meth|attr|exc|data|mod|obj|const):`([^`]*)`")

# The modules whose docstrings are converted from Sphinx roles (which the site shows as
# literal text) to mkdocstrings cross-references (``[`Name`][cambodefect.Name]``) or
# plain code spans; extended to all files once the rest are converted.
CONVERTED = (
    "src/cambodefect/__init__.py",
    "src/cambodefect/__init__.pyi",
    "src/cambodefect/__main__.py",
    "src/cambodefect/_checks.py",
    "src/cambodefect/_citation.py",
    "src/cambodefect/_display.py",
    "src/cambodefect/_documents.py",
    "src/cambodefect/_frame.py",
    "src/cambodefect/_migrate.py",
    "src/cambodefect/_optional.py",
    "src/cambodefect/_places.py",
    "src/cambodefect/_report.py",
    "src/cambodefect/_tables.py",
    "src/cambodefect/_version.py",
    "src/cambodefect/converter.py",
    "src/cambodefect/enums.py",
    "src/cambodefect/errors.py",
    "src/cambodefect/frames.py",
    "src/cambodefect/models.py",
    "src/cambodefect/plot/__init__.py",
    "src/cambodefect/plot/_contested.py",
    "src/cambodefect/plot/_coverage.py",
    "src/cambodefect/plot/_flows.py",
    "src/cambodefect/plot/_provinces.py",
    "src/cambodefect/plot/_reconciliation.py",
    "src/cambodefect/plot/_style.py",
    "src/cambodefect/plot/_timeline.py",
    "src/cambodefect/schema.py",
    "src/cambodefect/sourcefiles.py",
    "src/cambodefect/testing.py",
    "src/cambodefect/values.py",
)

needs_source = pytest.mark.skipif(
    not (REPO / "src" / "cambodefect").is_dir(), reason="not a source checkout"
)


@needs_source
@pytest.mark.parametrize("path", CONVERTED)
def test_docstrings_cross_reference_in_markdown_not_sphinx_roles(path: str) -> None:
    """The site renders docstrings as Markdown: a Sphinx role (``:class:`X```) would show
    as literal text, so docstrings link with ``[`X`][cambodefect.X]`` or use a code span."""
    text = (REPO / path).read_text(encoding="utf-8")
    roles = [m.group(0) for m in SPHINX_ROLE.finditer(text)]
    assert roles == [], f"{path}: convert with tools/convert_roles.py: {roles}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documentation site, built as CI builds it (strict: any warning fails)."""
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocstrings")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    out = tmp_path_factory.mktemp("site")
    build(load_config(str(REPO / "mkdocs.yml"), site_dir=str(out), strict=True))
    return out


@needs_source
@pytest.mark.slow
def test_built_site_shows_no_sphinx_role(site: Path) -> None:
    """No page of the built site shows a Sphinx role as literal text (``:class:`X``` is
    rendered by Markdown as ``:class:<code>X</code>``), except, until they are converted,
    the roles still written in modules outside ``CONVERTED``."""
    shown = re.compile(r":(?:py:)?(class|func|meth|attr|exc|data|mod|obj|const):<code>([^<]*)<")
    pending = {
        (m.group(1), m.group(2))
        for path in sorted((REPO / "src" / "cambodefect").rglob("*.py*"))
        if path.relative_to(REPO).as_posix() not in CONVERTED
        for m in SPHINX_ROLE.finditer(path.read_text(encoding="utf-8"))
    }
    found = {
        (page.relative_to(site).as_posix(), m.group(0))
        for page in sorted(site.rglob("*.html"))
        for m in shown.finditer(page.read_text(encoding="utf-8"))
        if (m.group(1), m.group(2).replace("&lt;", "<").replace("&gt;", ">")) not in pending
    }
    assert found == set()
