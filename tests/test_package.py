"""Tests for the package surface: exports, typing marker, version."""

from __future__ import annotations

from importlib import metadata, resources
from typing import Any

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


def test_dir_shows_only_public_names() -> None:
    """dir(cambodefect) is exactly __all__: no typing helpers, no private modules."""
    assert dir(cd) == sorted(cd.__all__)
    assert {"Any", "TYPE_CHECKING", "annotations", "importlib"}.isdisjoint(dir(cd))


def test_public_submodules_are_attributes() -> None:
    """cd.aggregate, cd.export, cd.normalize, cd.plot and cd.testing all resolve."""
    import types

    for name in ("aggregate", "export", "normalize", "plot", "testing"):
        assert isinstance(getattr(cd, name), types.ModuleType), name


def test_every_error_a_function_can_raise_is_importable_from_the_package() -> None:
    """Every CambodefectError subclass defined anywhere in the package is a public name."""
    import importlib
    import pkgutil

    found: set[str] = set()
    for info in pkgutil.walk_packages(cd.__path__, "cambodefect."):
        if info.name.endswith(("__main__", ".cli")) or ".plot" in info.name:
            continue  # the CLI runs on import of __main__; plot needs matplotlib
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, cd.CambodefectError)
                and obj.__module__.startswith("cambodefect")
            ):
                found.add(obj.__name__)
    assert found <= set(cd.__all__), sorted(found - set(cd.__all__))


def test_the_stub_is_the_one_list() -> None:
    """__all__ is built from __init__.pyi, and the stub re-exports exactly __all__."""
    from .conftest import REPO

    stub = (REPO / "src" / "cambodefect" / "__init__.pyi").read_text(encoding="utf-8")
    names = {line.split()[-1] for line in stub.splitlines() if line.startswith("from ")}
    assert names == set(cd.__all__)


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


def _floor_script() -> Any:
    """.ci/floor.py, the dependency-floor job, imported as a module."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / ".ci" / "floor.py"
    spec = importlib.util.spec_from_file_location("ci_floor", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_floor_job_pins_every_runtime_dependency_at_its_floor() -> None:
    """Every runtime dependency in pyproject.toml has a plain '>=' floor, and the floor job
    (.ci/floor.py) pins each one to exactly that version, on requires-python's oldest."""
    import re
    import tomllib
    from pathlib import Path

    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    floors = {}
    for requirement in project["dependencies"]:
        found = re.fullmatch(r"([A-Za-z0-9._-]+)>=([0-9][0-9.]*)", requirement.replace(" ", ""))
        assert found is not None, f"{requirement!r} needs a plain '>=' floor the job can pin"
        floors[found[1]] = found[2]
    floor = _floor_script()
    assert floor.floor_pins(pyproject) == [f"{name}=={v}" for name, v in floors.items()]
    assert floor.oldest_python(pyproject) == project["requires-python"].removeprefix(">=")
