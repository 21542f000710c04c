"""Tests for the package surface: exports, typing marker, version."""

from __future__ import annotations

from importlib import metadata, resources

import cambodefect as cd


def test_all_is_sorted_and_complete() -> None:
    """__all__ is alphabetical and every name in it exists."""
    assert list(cd.__all__) == sorted(cd.__all__, key=str.casefold) or list(cd.__all__) == sorted(
        cd.__all__
    )
    for name in cd.__all__:
        assert hasattr(cd, name), name


def test_package_is_typed_and_versioned() -> None:
    """py.typed ships with the package and __version__ matches the metadata."""
    assert resources.files("cambodefect").joinpath("py.typed").is_file()
    assert cd.__version__ == metadata.version("cambodefect")


def test_errors_have_one_root() -> None:
    """Every exported exception derives from CambodefectError."""
    for name in cd.__all__:
        obj = getattr(cd, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, cd.CambodefectError), name


def test_lazy_exports_match_all() -> None:
    """Every lazily imported name is in __all__, and every public name is reachable."""
    lazy = set(cd._LAZY) | cd._SUBMODULES
    assert lazy | {"__version__"} == set(cd.__all__)
    assert set(dir(cd)) >= set(cd.__all__)


def test_import_does_not_load_heavy_modules() -> None:
    """`import cambodefect` alone loads neither cattrs nor our data modules."""
    import subprocess
    import sys

    code = (
        "import sys, cambodefect; "
        "print(sorted(m for m in ('cattrs', 'cambodefect.dataset', 'pyarrow.compute') "
        "if m in sys.modules))"
    )
    out = subprocess.run(  # noqa: S603  # fixed argv
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
