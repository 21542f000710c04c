"""Every docstring example in the package runs and shows what it says."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

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
