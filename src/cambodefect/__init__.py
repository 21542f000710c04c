"""cambodefect: claimed political defections in Cambodia, every figure traced to its line.

Load the bundled dataset and look things up:

    >>> import cambodefect as cd
    >>> ds = cd.load()
    >>> ds.party("Grassroots Democratic Party").id
    'grassroots-democracy-party'

The public names are re-exported here; import them from ``cambodefect``, not from
the private modules.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from cambodefect._version import __version__

if TYPE_CHECKING:
    from cambodefect import aggregate as aggregate
    from cambodefect import normalize as normalize
    from cambodefect import plot as plot
    from cambodefect.compare import DatasetDiff, diff
    from cambodefect.dataset import Dataset, Release, load, releases, versions
    from cambodefect.enums import (
        Alignment,
        ClaimantKind,
        ClaimKind,
        PartyKind,
        Precision,
        Qualifier,
        SourceKind,
        Unit,
    )
    from cambodefect.errors import (
        AmbiguousNameError,
        CambodefectError,
        CountParseError,
        DateParseError,
        IntegrityError,
        InvalidRecordError,
        MissingExtraError,
        ParseError,
        SchemaError,
        UnknownEntityError,
        UnknownPartyError,
        UnknownPersonError,
        UnknownVersionError,
        ValidationError,
        Violation,
    )
    from cambodefect.export import ExportError
    from cambodefect.models import Claim, Party, Person, Source
    from cambodefect.validation import validate
    from cambodefect.values import Claimant, Count, Evidence, FuzzyDate, Role

# Public name -> the module defining it. Imported on first use (PEP 562), so that
# ``import cambodefect`` stays cheap; see docs/benchmarks.md.
_LAZY: dict[str, str] = {
    **dict.fromkeys(["Dataset", "Release", "load", "releases", "versions"], "cambodefect.dataset"),
    **dict.fromkeys(["DatasetDiff", "diff"], "cambodefect.compare"),
    **dict.fromkeys(
        [
            "Alignment",
            "ClaimantKind",
            "ClaimKind",
            "PartyKind",
            "Precision",
            "Qualifier",
            "SourceKind",
            "Unit",
        ],
        "cambodefect.enums",
    ),
    **dict.fromkeys(
        [
            "AmbiguousNameError",
            "CambodefectError",
            "CountParseError",
            "DateParseError",
            "IntegrityError",
            "InvalidRecordError",
            "MissingExtraError",
            "ParseError",
            "SchemaError",
            "UnknownEntityError",
            "UnknownPartyError",
            "UnknownPersonError",
            "UnknownVersionError",
            "ValidationError",
            "Violation",
        ],
        "cambodefect.errors",
    ),
    **dict.fromkeys(["Claim", "Party", "Person", "Source"], "cambodefect.models"),
    "validate": "cambodefect.validation",
    "ExportError": "cambodefect.export",
    **dict.fromkeys(["Claimant", "Count", "Evidence", "FuzzyDate", "Role"], "cambodefect.values"),
}


# Public submodules, imported on first attribute access: cd.aggregate, cd.normalize, cd.plot.
_SUBMODULES = frozenset({"aggregate", "normalize", "plot"})


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"cambodefect.{name}")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cambodefect' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "Alignment",
    "AmbiguousNameError",
    "CambodefectError",
    "Claim",
    "ClaimKind",
    "Claimant",
    "ClaimantKind",
    "Count",
    "CountParseError",
    "Dataset",
    "DatasetDiff",
    "DateParseError",
    "Evidence",
    "ExportError",
    "FuzzyDate",
    "IntegrityError",
    "InvalidRecordError",
    "MissingExtraError",
    "ParseError",
    "Party",
    "PartyKind",
    "Person",
    "Precision",
    "Qualifier",
    "Release",
    "Role",
    "SchemaError",
    "Source",
    "SourceKind",
    "Unit",
    "UnknownEntityError",
    "UnknownPartyError",
    "UnknownPersonError",
    "UnknownVersionError",
    "ValidationError",
    "Violation",
    "__version__",
    "aggregate",
    "diff",
    "load",
    "normalize",
    "plot",
    "releases",
    "validate",
    "versions",
]
