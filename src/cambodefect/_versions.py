"""The bundled dataset versions: where they live, which exist, and which a pin selects.

Every released dataset version is bundled inside the package (``cambodefect/_bundled``
in an installed wheel, ``datasets/`` in a source checkout). Versions are semver;
`resolve_version` turns an exact version or a PEP 440 specifier into the newest
bundled version it allows.

Examples:
    >>> import cambodefect as cd
    >>> cd.versions()[-1] == cd.load().version
    True
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

from cambodefect.errors import UnknownVersionError
from cambodefect.schema import tables_of
from cambodefect.storage import MANIFEST, SEMVER_RE, Manifest

__all__ = [
    "ENV_VERSION",
    "Release",
    "content_hash",
    "data_root",
    "known_versions",
    "releases",
    "resolve_version",
    "versions",
]

_SEMVER_RE = SEMVER_RE  # ASCII digits only: int() would accept other digits too


@functools.cache
def data_root() -> Path:
    """The folder holding one sub-folder per bundled dataset version.

    In an installed package that is ``cambodefect/_bundled``; in a source checkout
    (an editable install) it is the repository's ``datasets/`` folder. The bundle
    never changes while a process runs, so the answer is computed once.
    """
    from pathlib import Path

    return Path(root_path())


@functools.cache
def root_path() -> str:
    """`data_root` as a string: the load path uses ``os.path``, not ``pathlib``
    (whose import costs more than verifying a dataset)."""
    # The package's own folder (not importlib.resources: a wheel installs plain files).
    package = os.path.dirname(os.path.realpath(__file__))
    bundled = os.path.join(package, "_bundled")
    if os.path.isdir(bundled):
        return bundled
    checkout = os.path.dirname(os.path.dirname(package))
    if os.path.isfile(os.path.join(checkout, "pyproject.toml")) and os.path.isdir(
        os.path.join(checkout, "datasets")
    ):
        return os.path.join(checkout, "datasets")
    return bundled


def _semver(version: str) -> tuple[int, int, int]:
    m = _SEMVER_RE.fullmatch(version)
    if m is None:
        raise ValueError(f"not a semver version: {version!r}")
    return int(m[1]), int(m[2]), int(m[3])


def versions() -> list[str]:
    """The bundled dataset versions, oldest first.

    Examples:
        >>> import cambodefect as cd
        >>> all(v.count(".") == 2 for v in cd.versions())
        True
    """
    return list(known_versions(root_path()))


def known_versions(root: str | os.PathLike[str]) -> tuple[str, ...]:
    try:
        entries = list(os.scandir(root))
    except FileNotFoundError:
        return ()
    found = [
        e.name
        for e in entries
        if _SEMVER_RE.fullmatch(e.name) and os.path.isfile(os.path.join(e.path, MANIFEST))
    ]
    return tuple(sorted(found, key=_semver))


ENV_VERSION = "CAMBODEFECT_DATASET_VERSION"
"""Environment variable that pins the dataset version (or a specifier) for a whole
analysis when ``load()`` is called without ``version``."""


@dataclass(frozen=True)
class Release:
    """A bundled dataset version and what identifies its content.

    Attributes:
        version: the dataset version.
        released: the release date, ISO ``YYYY-MM-DD``.
        schema_version: the Arrow schema version of its files.
        content_sha256: one SHA-256 over the four files' SHA-256s (see
            [`Dataset.content_sha256`][cambodefect.Dataset.content_sha256]).
    """

    version: str
    released: str
    schema_version: str
    content_sha256: str


def releases() -> list[Release]:
    """Every bundled version with its release date and content hash, oldest first.

    Examples:
        >>> import cambodefect as cd
        >>> [r.version for r in cd.releases()] == cd.versions()
        True
    """
    from cambodefect.storage import read_manifest

    out = []
    for version in versions():
        manifest = read_manifest(os.path.join(root_path(), version))
        out.append(
            Release(
                version=version,
                released=manifest.released,
                schema_version=manifest.schema_version,
                content_sha256=content_hash(manifest),
            )
        )
    return out


def content_hash(manifest: Manifest) -> str:
    """One SHA-256 over the lines ``"<table> <file SHA-256>"`` of the manifest's tables,
    in its schema version's table order (so a version's hash never changes)."""
    lines = "".join(
        f"{name} {manifest.sha256[name]}\n" for name in tables_of(manifest.schema_version)
    )
    return hashlib.sha256(lines.encode("ascii")).hexdigest()


def resolve_version(spec: str, known: Iterable[str] | None = None) -> str:
    """The newest bundled version matching ``spec``: an exact version or a PEP 440
    specifier such as ``"~=1.0"``, ``">=1.0,<2"`` or ``"==1.0.*"``.

    Examples:
        >>> import cambodefect as cd
        >>> resolve_version("~=1.0") == max(
        ...     (v for v in cd.versions() if v.startswith("1.")), key=_semver)
        True
    """
    options = tuple(known) if known is not None else known_versions(root_path())
    spec = spec.strip()
    if spec in options:
        return spec
    if not spec:  # an empty specifier would match every version: refuse it, say why
        raise UnknownVersionError(spec, options)
    from packaging.specifiers import InvalidSpecifier, SpecifierSet  # only for specifiers

    try:
        wanted = SpecifierSet(spec)
        # ValueError: a number of more than 4,300 digits, which int() refuses.
        matching = [v for v in options if wanted.contains(v, prereleases=False)]
    except (InvalidSpecifier, ValueError):
        raise UnknownVersionError(spec, options) from None
    if not matching:
        raise UnknownVersionError(spec, options)
    return max(matching, key=_semver)
