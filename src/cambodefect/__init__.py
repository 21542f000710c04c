"""cambodefect: claimed political defections in Cambodia, every figure traced to its line.

Load the bundled dataset and look things up:

    >>> import cambodefect as cd
    >>> ds = cd.load()
    >>> ds.party("Grassroots Democratic Party").id
    'grassroots-democracy-party'

The public names are re-exported here; import them from ``cambodefect``, not from
the private modules. They are listed once, in ``__init__.pyi`` (which type checkers
read); each is imported on first use (PEP 562), so ``import cambodefect`` stays cheap.
"""

from __future__ import annotations

import importlib
import os

from cambodefect._version import __version__ as __version__


def _public() -> dict[str, tuple[str, str | None]]:
    """Public name -> (module, attribute), read from ``__init__.pyi``; attribute ``None``
    for a public submodule."""
    with open(os.path.join(os.path.dirname(__file__), "__init__.pyi"), encoding="utf-8") as fh:
        stub = fh.read()
    found: dict[str, tuple[str, str | None]] = {}
    for line in stub.splitlines():
        # "from <module> import <attribute> as <name>": the only statements in the stub
        parts = line.split()
        if len(parts) != 6 or parts[0] != "from" or parts[2] != "import" or parts[4] != "as":
            continue
        module, attr, name = parts[1], parts[3], parts[5]
        found[name] = (f"cambodefect.{attr}", None) if module == "cambodefect" else (module, attr)
    return found


_PUBLIC = _public()
__all__ = sorted(_PUBLIC)  # built from the stub: the one list


def __getattr__(name: str) -> object:
    where = _PUBLIC.get(name)
    if where is None:
        raise AttributeError(f"module 'cambodefect' has no attribute {name!r}")
    module = importlib.import_module(where[0])
    value = module if where[1] is None else getattr(module, where[1])
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list(__all__)
