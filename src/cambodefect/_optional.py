"""Optional dependencies, imported through one place.

Each function imports one optional library on first use and returns the module, or
raises [`MissingExtraError`][cambodefect.MissingExtraError] naming the extra to install.
Nothing here is imported when ``cambodefect`` is.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from cambodefect.errors import MissingExtraError

__all__ = ["pandas", "polars", "pyplot", "require"]


def require(module: str, extra: str) -> ModuleType:
    """``module``, imported, or [`MissingExtraError`][cambodefect.MissingExtraError] naming
    ``cambodefect[extra]``."""
    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise MissingExtraError(extra, module.split(".")[0]) from err


def pandas() -> ModuleType:
    """pandas (extra ``pandas``)."""
    return require("pandas", "pandas")


def polars() -> ModuleType:
    """Polars (extra ``polars``)."""
    return require("polars", "polars")


def pyplot() -> ModuleType:
    """matplotlib's pyplot (extra ``plot``)."""
    return require("matplotlib.pyplot", "plot")
