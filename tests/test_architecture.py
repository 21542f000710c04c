"""Tests for the layout of src/cambodefect: no import cycles, layers respected, docs true."""

from __future__ import annotations

import pytest

from .conftest import REPO

architecture = pytest.importorskip("tools.architecture", reason="not a source checkout")

_LONG = 500


def test_there_is_no_import_cycle() -> None:
    """The run-time import graph of the package's modules has no cycle."""
    assert architecture.cycles() == []


def test_every_import_points_down_the_layers() -> None:
    """A unit imports only units of a lower layer (models <- storage <- dataset <- ...)."""
    assert architecture.upward_edges() == []


def test_every_module_has_a_layer() -> None:
    """Each top-level module or package is placed in a layer (a new one must be placed)."""
    units = {architecture.unit(m) for m in architecture.modules() if m}
    assert units == set(architecture.LAYERS)


def test_no_module_is_long_without_a_reason() -> None:
    """No source module is over ~500 lines unless its docstring says why ("Long module:")."""
    long = []
    for path in (REPO / "src" / "cambodefect").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > _LONG and "Long module:" not in text.split('"""', 2)[1]:
            long.append(f"{path.relative_to(REPO)}: {text.count(chr(10))} lines")
    assert long == []


def test_every_module_says_its_job() -> None:
    """Every module opens with a docstring (its line in the module map)."""
    import ast

    missing = [
        m
        for m in architecture.modules()
        if m and not ast.get_docstring(ast.parse(architecture._path(m).read_text()))
    ]
    assert missing == []
