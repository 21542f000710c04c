"""The bundled dataset versions: where they live, which exist, and which a pin selects.

Every released dataset version is bundled inside the package (``cambodefect/_bundled``
in an installed wheel, ``datasets/`` in a source checkout). Versions are semver;
:func:`resolve_version` turns an exact version or a PEP 440 specifier into the newest
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
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import attrs

from cambodefect.errors import UnknownVersionError
from cambodefect.schema import tables_of
from cambodefect.storage import MANIFEST, Manifest

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

_SEMVER_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


@functools.cache
def data_root() -> Path:
    """The folder holding one sub-folder per bundled dataset version.

    In an installed package that is ``cambodefect/_bundled``; in a source checkout
    (an editable install) it is the repository's ``datasets/`` folder. The bundle
    never changes while a process runs, so the answer is computed once.
    """
    bundled = resources.files("cambodefect") / "_bundled"
    if bundled.is_dir():
        return Path(str(bundled))
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file() and (checkout / "datasets").is_dir():
        return checkout / "datasets"
    return Path(str(bundled))


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
    return list(known_versions(data_root()))


def known_versions(root: Path) -> tuple[str, ...]:
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


@attrs.frozen
class Release:
    """A bundled dataset version and what identifies its content.

    Attributes:
        version: the dataset version.
        released: the release date, ISO ``YYYY-MM-DD``.
        schema_version: the Arrow schema version of its files.
        content_sha256: one SHA-256 over the four files' SHA-256s (see
            :attr:`Dataset.content_sha256`).
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
        manifest = read_manifest(data_root() / version)
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
    options = tuple(known) if known is not None else known_versions(data_root())
    spec = spec.strip()
    if spec in options:
        return spec
    from packaging.specifiers import InvalidSpecifier, SpecifierSet  # only for specifiers

    try:
        wanted = SpecifierSet(spec)
    except InvalidSpecifier:
        raise UnknownVersionError(spec, options) from None
    matching = [v for v in options if wanted.contains(v, prereleases=False)]
    if not matching:
        raise UnknownVersionError(spec, options)
    return max(matching, key=_semver)
