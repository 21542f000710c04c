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

from cambodefect._version import __version__
from cambodefect.dataset import Dataset, load, versions
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
    Violation,
)
from cambodefect.models import Claim, Party, Person, Source
from cambodefect.values import Claimant, Count, Evidence, FuzzyDate, Role

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
    "DateParseError",
    "Evidence",
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
    "Role",
    "SchemaError",
    "Source",
    "SourceKind",
    "Unit",
    "UnknownEntityError",
    "UnknownPartyError",
    "UnknownPersonError",
    "UnknownVersionError",
    "Violation",
    "__version__",
    "load",
    "versions",
]
