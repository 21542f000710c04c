"""The exceptions cambodefect raises: one hierarchy rooted at :class:`CambodefectError`.

Every error names the offending value (a file, a record ID, an input string) and,
where it helps, the nearest valid ones. Library exceptions from pyarrow or cattrs
never escape raw: they are wrapped with ``raise ... from err``.

Examples:
    >>> import cambodefect as cd
    >>> try:
    ...     cd.load(version="0.0.0")
    ... except cd.UnknownVersionError as err:
    ...     print(err.version, "unknown")
    0.0.0 unknown
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = [
    "AggregationError",
    "AmbiguousNameError",
    "ArgumentError",
    "CambodefectError",
    "CountParseError",
    "DateParseError",
    "IntegrityError",
    "InvalidRecordError",
    "MissingExtraError",
    "ParseError",
    "SchemaError",
    "UnknownClaimError",
    "UnknownEntityError",
    "UnknownPartyError",
    "UnknownPersonError",
    "UnknownSourceError",
    "UnknownTableError",
    "UnknownVersionError",
    "ValidationError",
    "Violation",
]


class CambodefectError(Exception):
    """Base ``cambodefect`` exception: catch this to catch everything we raise."""


class UnknownVersionError(CambodefectError, LookupError):
    """A dataset version was asked for that is not bundled.

    Attributes:
        version: the version (or specifier) asked for.
        known: the versions that are bundled, oldest first.
    """

    def __init__(self, version: str, known: Sequence[str]) -> None:
        self.version = version
        self.known = tuple(known)
        listing = ", ".join(self.known) if self.known else "none"
        super().__init__(f"unknown dataset version {version!r}; bundled versions: {listing}")


class IntegrityError(CambodefectError):
    """A dataset file is missing, corrupt, truncated or not what its manifest says.

    Attributes:
        path: the offending file.
        reason: what is wrong with it.
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class SchemaError(IntegrityError):
    """A table file is readable but its Arrow schema is not the one this version expects."""


@attrs.frozen
class Violation:
    """One problem with one record.

    Attributes:
        code: a stable, machine-readable code such as ``"count-bounds"``.
        record: the record's ID (or its position, where it has no usable ID).
        field: the offending field, dotted for nested fields.
        message: what is wrong, naming the value.
        severity: ``"error"`` (the dataset is wrong) or ``"warning"`` (worth a look,
            e.g. two entities printed with the same name).
    """

    code: str
    record: str
    field: str
    message: str
    severity: str = attrs.field(default="error", kw_only=True)

    def __str__(self) -> str:
        where = f"{self.record}.{self.field}" if self.field else self.record
        tag = self.code if self.severity == "error" else f"{self.code}, {self.severity}"
        return f"{where} [{tag}]: {self.message}"


class InvalidRecordError(CambodefectError, ValueError):
    """One or more records are invalid; ``violations`` lists every one, not just the first.

    Attributes:
        violations: every problem found.
        where: the file or table the records came from, if known.
    """

    def __init__(self, violations: Sequence[Violation], where: str | None = None) -> None:
        self.violations = tuple(violations)
        self.where = where
        head = f"{where}: " if where else ""
        lines = "\n".join(f"  - {v}" for v in self.violations)
        super().__init__(f"{head}{len(self.violations)} invalid record field(s):\n{lines}")


class ValidationError(InvalidRecordError):
    """A dataset failed :func:`cambodefect.validate`; ``violations`` lists every error."""


class UnknownEntityError(CambodefectError, LookupError):
    """A name or ID matched no entity; ``suggestions`` holds the nearest known names.

    Attributes:
        query: the input as given.
        suggestions: nearest known names, best first (may be empty).
    """

    kind = "entity"

    def __init__(self, query: str, suggestions: Sequence[str] = ()) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        hint = f"; nearest: {', '.join(self.suggestions)}" if self.suggestions else ""
        super().__init__(f"unknown {self.kind} {query!r}{hint}")


class UnknownClaimError(UnknownEntityError):
    """A claim ID matched no claim."""

    kind = "claim"


class UnknownSourceError(UnknownEntityError):
    """A source ID matched no source."""

    kind = "source"


class UnknownTableError(CambodefectError, KeyError):
    """A table name that is not one of parties, persons, sources, claims."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = tuple(known)
        super().__init__(f"unknown table {name!r}; tables: {', '.join(self.known)}")

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


class ArgumentError(CambodefectError, TypeError):
    """Arguments that cannot go together, or an unknown keyword argument."""


class AggregationError(CambodefectError, ValueError):
    """An aggregation was asked for in a way the rules forbid or cannot honour."""


class UnknownPartyError(UnknownEntityError):
    """A party or organization name resolved to nothing."""

    kind = "party"


class UnknownPersonError(UnknownEntityError):
    """A person's name resolved to nothing."""

    kind = "person"


class AmbiguousNameError(CambodefectError, LookupError):
    """A name fits more than one entity; ``candidates`` lists their IDs.

    Attributes:
        query: the input as given.
        candidates: the IDs of every entity the name fits.
    """

    def __init__(self, query: str, candidates: Sequence[str]) -> None:
        self.query = query
        self.candidates = tuple(candidates)
        super().__init__(f"{query!r} is ambiguous; candidates: {', '.join(self.candidates)}")


class ParseError(CambodefectError, ValueError):
    """A phrase could not be parsed.

    Attributes:
        text: the input as given.
        reason: why it failed.
    """

    what = "phrase"

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"cannot parse {self.what} {text!r}: {reason}")


class CountParseError(ParseError):
    """A count phrase ("more than 2,000", "dozens") could not be parsed."""

    what = "count"


class DateParseError(ParseError):
    """A date phrase ("30/06/2023", "late October") could not be parsed."""

    what = "date"


class MissingExtraError(CambodefectError, ImportError):
    """An optional dependency is needed; the message names the extra to install.

    Attributes:
        extra: the name of the extra, e.g. ``"pandas"``.
    """

    def __init__(self, extra: str, module: str) -> None:
        self.extra = extra
        super().__init__(
            f"this needs the optional dependency {module!r}: pip install 'cambodefect[{extra}]'"
        )
