"""The exceptions cambodefect raises: one hierarchy rooted at
[`CambodefectError`][cambodefect.CambodefectError].

Every error names the offending value (a file, a record ID, an input string) and,
where it helps, the nearest valid ones. Library exceptions from pyarrow or cattrs
never escape raw: they are wrapped with ``raise ... from err``.

Long module: every exception class and every violation code, with its severity and
description, in one place (the codes' table in docs/reliability.md is generated from it).

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
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = [
    "AggregationError",
    "AmbiguousNameError",
    "ArgumentError",
    "CambodefectError",
    "CountParseError",
    "DateParseError",
    "ExportError",
    "InputTooLongError",
    "IntegrityError",
    "InvalidRecordError",
    "MissingExtraError",
    "ParseError",
    "RuleError",
    "SchemaError",
    "Severity",
    "UnknownClaimError",
    "UnknownClaimantError",
    "UnknownEntityError",
    "UnknownEventError",
    "UnknownFilterValueError",
    "UnknownPartyError",
    "UnknownPersonError",
    "UnknownSourceError",
    "UnknownTableError",
    "UnknownValueError",
    "UnknownVersionError",
    "ValidationError",
    "Violation",
    "ViolationCode",
    "WriteError",
]


class CambodefectError(Exception):
    """Base ``cambodefect`` exception: catch this to catch everything we raise."""


class UnknownVersionError(CambodefectError, LookupError):
    """A dataset version was asked for that is not bundled.

    Attributes:
        version: the version (or specifier) asked for.
        known: the versions that are bundled, oldest first.
        source: where the version came from, if not an argument (an environment
            variable's name), or ``None``.
    """

    def __init__(self, version: str, known: Sequence[str], *, source: str | None = None) -> None:
        self.version = version
        self.known = tuple(known)
        self.source = source
        listing = ", ".join(self.known) if self.known else "none"
        where = f" (from {source})" if source else ""
        shown = f"{version[:60]!r}" + (f"... ({len(version)} chars)" if len(version) > 60 else "")
        super().__init__(f"unknown dataset version {shown}{where}; bundled versions: {listing}")


class IntegrityError(CambodefectError):
    """A dataset file is missing, corrupt, truncated or not what its manifest says.

    Attributes:
        path: the offending file.
        reason: what is wrong with it.
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        try:  # a path need not be UTF-8 (POSIX): its undecodable bytes print as \xff
            shown = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # a lone surrogate no file name decodes to
            shown = path.encode("utf-8", "backslashreplace").decode("utf-8")
        super().__init__(f"{shown}: {reason}")


class SchemaError(IntegrityError):
    """A table file is readable but its Arrow schema is not the one this version expects."""


class Severity(StrEnum):
    """How bad a [`Violation`][cambodefect.Violation] is."""

    ERROR = "error"
    """The dataset is wrong: ``Dataset.check()`` raises."""
    WARNING = "warning"
    """Worth a look, not wrong: e.g. two organizations printed with the same name."""


class ViolationCode(StrEnum):
    """Every problem [`cambodefect.validate`][cambodefect.validate] and the source reader can
    report.

    Each member is the stable, machine-readable code string, and carries its
    ``severity`` and a one-line ``description``. ``docs/reliability.md``'s table of
    codes is generated from this enum (a test fails if they differ).

    Examples:
        >>> ViolationCode("count-bounds").severity.value
        'error'
        >>> ViolationCode.HOMONYM.description
        'two entities of one kind print the same name (ambiguous on lookup, by design)'
    """

    severity: Severity
    description: str

    def __new__(cls, value: str, severity: Severity, description: str) -> ViolationCode:
        member = str.__new__(cls, value)
        member._value_ = value
        member.severity = severity
        member.description = description
        return member

    # Reading raw tables and source files
    INVALID_ARROW = (
        "invalid-arrow",
        Severity.ERROR,
        "a raw table whose schema, buffers or values cannot be read safely",
    )
    INVALID_RECORD = (
        "invalid-record",
        Severity.ERROR,
        "a row or source entry that does not make a valid model (any field)",
    )
    TOML_SYNTAX = ("toml-syntax", Severity.ERROR, "a source file that is not valid TOML")
    UNKNOWN_KEY = (
        "unknown-key",
        Severity.ERROR,
        "a source file with a top-level key its format does not have",
    )
    NOT_A_LIST = ("not-a-list", Severity.ERROR, "a source file whose records are not an array")
    DATASET_META = (
        "dataset-meta",
        Severity.ERROR,
        "dataset.toml without a version string and a release date",
    )
    REDIRECTS = (
        "redirects",
        Severity.ERROR,
        "dataset.toml redirects not shaped as tables of {retired ID: new ID}",
    )
    # Values
    COUNT_BOUNDS = (
        "count-bounds",
        Severity.ERROR,
        "a count whose bounds contradict each other or its qualifier",
    )
    DATE_ORDER = ("date-order", Severity.ERROR, "a date whose start is after its end")
    DATE_PRECISION = (
        "date-precision",
        Severity.ERROR,
        "a date whose start and end do not span its stated precision",
    )
    ENUM_UNKNOWN = ("enum-unknown", Severity.ERROR, "a value outside its closed vocabulary")
    # Whole-dataset rules
    DUPLICATE_ID = ("duplicate-id", Severity.ERROR, "an ID used twice in one table")
    DANGLING_REF = (
        "dangling-ref",
        Severity.ERROR,
        "a reference to an ID that does not exist, or is in the wrong table",
    )
    PART_OF_CYCLE = ("part-of-cycle", Severity.ERROR, "part_of links that loop back")
    DATE_AFTER_SOURCE = (
        "date-after-source",
        Severity.ERROR,
        "a claim about a time after its source was published",
    )
    BAD_REDIRECT = (
        "bad-redirect",
        Severity.ERROR,
        "a redirect from a live ID, to a missing ID, or in a loop",
    )
    ALIAS_COLLISION = (
        "alias-collision",
        Severity.ERROR,
        "one spelling (under the lookup key) names two entities with different names",
    )
    SOURCE_STANCE = (
        "source-stance",
        Severity.ERROR,
        "a source's alignment differs from its publisher's stance on its publication day",
    )
    ONE_WORD_ALIAS = (
        "one-word-alias",
        Severity.ERROR,
        "a person alias of one word (a name part belongs to partial lookup, not aliases)",
    )
    HOMONYM = (
        "homonym",
        Severity.WARNING,
        "two entities of one kind print the same name (ambiguous on lookup, by design)",
    )
    # Relations, events and places (dataset schema 2)
    SUBSET_LARGER = (
        "subset-larger",
        Severity.ERROR,
        "a subset (subset_of) whose stated figure exceeds its superset's",
    )
    SUBSET_OF_CYCLE = ("subset-of-cycle", Severity.ERROR, "subset_of links that loop back")
    MAY_OVERLAP_SELF = (
        "may-overlap-self",
        Severity.ERROR,
        "a may_overlap link to the claim itself",
    )
    EVENT_DATE_CONFLICT = (
        "event-date-conflict",
        Severity.ERROR,
        "claims of one event whose dates cannot be the same day (beyond their precision)",
    )
    PROVINCE_UNKNOWN = (
        "province-unknown",
        Severity.ERROR,
        "a province that is not an ISO 3166-2:KH code",
    )
    # Checks against the held documents
    EVIDENCE_LINE = (
        "evidence-line",
        Severity.ERROR,
        "an evidence line beyond the end of a held document",
    )
    DOCUMENT_SHA256 = (
        "document-sha256",
        Severity.ERROR,
        "a held document whose bytes do not match its checksum",
    )
    DOCUMENT_MISSING = (
        "document-missing",
        Severity.ERROR,
        "a held document not found where documents were given",
    )

    @classmethod
    def markdown_table(cls) -> str:
        """The codes as a Markdown table (code, severity, meaning), in declaration order."""
        rows = ["| code | severity | meaning |", "|---|---|---|"]
        rows += [f"| `{c.value}` | {c.severity.value} | {c.description} |" for c in cls]
        return "\n".join(rows) + "\n"


def _code(value: ViolationCode | str) -> ViolationCode:
    """The member for a code string (members pass through); ``ValueError`` if unknown."""
    lookup: Any = ViolationCode  # by-value lookup; mypy reads the call as __new__'s
    code: ViolationCode = lookup(value)
    return code


@dataclass(frozen=True, init=False)
class Violation:
    """One problem with one record.

    Attributes:
        code: a stable, machine-readable [`ViolationCode`][cambodefect.ViolationCode] such as
            ``"count-bounds"``.
        record: the record's ID (or its position, where it has no usable ID).
        field: the offending field, dotted for nested fields.
        message: what is wrong, naming the value.
        severity: ``"error"`` (the dataset is wrong) or ``"warning"`` (worth a look,
            e.g. two entities printed with the same name); the code's own severity
            unless given.
    """

    code: ViolationCode
    record: str
    field: str
    message: str
    severity: Severity

    def __init__(
        self,
        code: ViolationCode | str,
        record: str,
        field: str,
        message: str,
        *,
        severity: Severity | str | None = None,
    ) -> None:
        # A dataclass, not attrs: loading a dataset imports this module, and attrs
        # would cost more than the rest of it.
        member = _code(code)
        object.__setattr__(self, "code", member)
        object.__setattr__(self, "record", record)
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "message", message)
        object.__setattr__(
            self, "severity", member.severity if severity is None else Severity(severity)
        )

    def __str__(self) -> str:
        where = f"{self.record}.{self.field}" if self.field else self.record
        tag = self.code if self.severity == "error" else f"{self.code}, {self.severity}"
        return f"{where} [{tag}]: {self.message}"


class RuleError(ValueError):
    """A value breaks a rule of its type (a count's bounds, a date's precision).

    Raised by the value types' validators; [`cambodefect.validate`][cambodefect.validate] reports it
    under ``code``. A `ValueError`, so attrs and cattrs treat it as one.

    Attributes:
        code: the [`ViolationCode`][cambodefect.ViolationCode] the rule belongs to.
    """

    def __init__(self, code: ViolationCode, message: str) -> None:
        self.code = code
        super().__init__(message)


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
    """A dataset failed [`cambodefect.validate`][cambodefect.validate]; ``violations`` lists every
    error."""


class AggregationError(CambodefectError, ValueError):
    """An aggregation was asked for in a way the rules forbid or cannot honour."""


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


class UnknownClaimantError(UnknownEntityError, AggregationError):
    """A claimant filter named no claimant of the dataset (an aggregation error too)."""

    kind = "claimant"


class UnknownClaimError(UnknownEntityError):
    """A claim ID matched no claim."""

    kind = "claim"


class UnknownEventError(UnknownEntityError):
    """An event ID matched no event."""

    kind = "event"


class UnknownSourceError(UnknownEntityError):
    """A source ID matched no source."""

    kind = "source"


class UnknownValueError(CambodefectError, ValueError):
    """A value outside a closed vocabulary (a claim kind, an alignment, an era, ...).

    Attributes:
        what: what the value was for (``"kind"``, ``"alignment"``).
        value: the value as given.
        valid: every valid value.
        suggestions: the nearest valid values, best first.
    """

    def __init__(
        self, what: str, value: object, valid: Sequence[str], suggestions: Sequence[str] = ()
    ) -> None:
        self.what = what
        self.value = value
        self.valid = tuple(valid)
        self.suggestions = tuple(suggestions)
        hint = f" (did you mean {', '.join(map(repr, self.suggestions))}?)" if suggestions else ""
        super().__init__(f"unknown {what} {value!r}{hint}; valid values: {', '.join(self.valid)}")


class UnknownFilterValueError(AggregationError, UnknownValueError):
    """An aggregation filter or option with a value outside its vocabulary (an era, a
    claim kind, an alignment): both an [`AggregationError`][cambodefect.aggregate.AggregationError]
    and an [`UnknownValueError`][cambodefect.UnknownValueError], listing the valid values."""


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


class InputTooLongError(CambodefectError, ValueError):
    """A string handed to a resolver or parser is longer than its documented limit.

    Refused at once, before any work (see ``docs/normalize.md``, "Input limits"); the
    message shows only the start of the input.

    Attributes:
        length: the input's length in characters.
        limit: the longest input accepted.
        start: the input's first 40 characters.
    """

    def __init__(self, text: str, limit: int) -> None:
        self.length = len(text)
        self.limit = limit
        self.start = text[:40]
        super().__init__(
            f"input of {self.length:,} characters is longer than the limit of {limit:,}"
            f" (it starts {self.start!r}...)"
        )


class ExportError(CambodefectError):
    """An export was refused or failed; the output folder is left as it was.

    Raised for an unknown format or ``partition_by`` (``allowed`` lists the valid
    choices), and for a file that could not be written (``allowed`` is empty and the
    `OSError` is the ``__cause__``).

    Attributes:
        allowed: the valid choices, when the problem is a choice.
    """

    def __init__(self, message: str, allowed: Sequence[str] = ()) -> None:
        self.allowed = tuple(allowed)
        super().__init__(message)


class WriteError(CambodefectError, OSError):
    """A dataset folder could not be written; what it held before is left as it was.

    Raised by ``cambodefect build`` and `cambodefect.storage.write_dataset` when
    the file system refuses a write (a read-only folder, a full disk, a file in the
    way), and when another writer holds the folder's lock for longer than the writer
    waits. It is an `OSError` too, so ``except OSError`` still catches it;
    ``errno`` is the operating system's (``errno.EBUSY`` for a busy folder), and the
    `OSError` is the ``__cause__``.

    Attributes:
        path: the folder (or file) that could not be written.
        reason: what went wrong, with the operating system's reason.
    """

    def __init__(self, path: str, reason: str, errno: int | None = None) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"cannot write {path}: {reason}")
        self.errno = errno


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
