"""Citing a dataset version: one plain line, or BibTeX with the title and authors of
``CITATION.cff``.

[`cambodefect.Dataset.citation`][cambodefect.Dataset.citation] is `citation`; the Croissant export
carries the BibTeX entry as ``citeAs``. Each is a function of the version, its release date and its
content hash (the plain line adds the number of sources read): no I/O.

Examples:
    >>> print(bibtex("1.2.0", "2027-01-05", "ab" * 32))  # doctest: +ELLIPSIS
    @misc{cambodefect_dataset_1_2_0,
      author       = {{cambodefect developers}},
      title        = {{cambodefect}: claimed political defections in {Cambodia}},
      year         = {2027},
      month        = jan,
      date         = {2027-01-05},
      version      = {1.2.0},
      howpublished = {Dataset bundled with the cambodefect Python package},
      note         = {Dataset version 1.2.0, released 2027-01-05; content SHA-256 abab...}
    }
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from cambodefect.errors import UnknownValueError

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = ["CITATION_AUTHORS", "CITATION_FORMATS", "CITATION_TITLE", "bibtex", "citation"]

CITATION_FORMATS: Final = ("text", "bibtex")
"""The formats of [`cambodefect.Dataset.citation`][cambodefect.Dataset.citation]."""

CITATION_TITLE: Final = "cambodefect: claimed political defections in Cambodia"
"""The title ``CITATION.cff`` gives (a test keeps the two the same)."""

CITATION_AUTHORS: Final = ("cambodefect developers",)
"""The authors ``CITATION.cff`` gives: one entity, named as a whole."""

# The title with BibTeX's case protection around the names a style must not lower-case.
_TITLE_TEX: Final = "{cambodefect}: claimed political defections in {Cambodia}"
_ESCAPES: Final = {
    **{char: "\\" + char for char in "{}%&$#_"},
    "\\": "\\textbackslash{}",
    "~": "\\textasciitilde{}",
    "^": "\\textasciicircum{}",
}
_MONTHS: Final = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)


def citation(ds: Dataset, format: str = "text") -> str:
    """``ds``'s citation in ``format`` (``"text"`` or ``"bibtex"``); see
    [`cambodefect.Dataset.citation`][cambodefect.Dataset.citation]."""
    if format == "bibtex":
        return bibtex(ds.version, ds.manifest.released, ds.content_sha256)
    if format != "text":
        from cambodefect._text import nearest

        valid = list(CITATION_FORMATS)
        raise UnknownValueError("citation format", format, valid, nearest(str(format), valid))
    import pyarrow.compute as pc

    released = f", released {ds.manifest.released}" if ds.manifest.released else ""
    read = int(pc.sum(ds.sources.column("read_directly")).as_py() or 0)
    return (
        f"cambodefect dataset {ds.version}{released} "
        f"(content SHA-256 {ds.content_sha256}); "
        f"claimed political defections in Cambodia, curated from {read} sources we read."
    )


def tex(text: str) -> str:
    """``text`` with BibTeX's special characters escaped (a version is normally plain).

    Examples:
        >>> print(tex("1.0.0_rc&1"))
        1.0.0\\_rc\\&1
    """
    return "".join(_ESCAPES.get(char, char) for char in text)


def bibtex(version: str, released: str, content_sha256: str) -> str:
    """A BibTeX ``@misc`` entry for one dataset version (``@misc``: every style has it).

    ``released`` is the ISO release date, or ``""`` for a dataset never released (no
    year is then given). The version and date also go in biblatex's ``version`` and
    ``date`` fields, which BibTeX ignores; the ``note`` repeats them with the hash.
    """
    fields = [
        ("author", "{" + " and ".join(f"{{{a}}}" for a in CITATION_AUTHORS) + "}"),
        ("title", "{" + _TITLE_TEX + "}"),
    ]
    if released:
        month = _MONTHS[int(released[5:7]) - 1]
        fields += [("year", f"{{{released[:4]}}}"), ("month", month)]
        fields += [("date", f"{{{released}}}")]
    fields += [
        ("version", f"{{{tex(version)}}}"),
        ("howpublished", "{Dataset bundled with the cambodefect Python package}"),
    ]
    when = f", released {released}" if released else ""
    note = f"Dataset version {tex(version)}{when}; content SHA-256 {content_sha256}"
    fields.append(("note", f"{{{note}}}"))
    key = "cambodefect_dataset_" + re.sub(r"[^A-Za-z0-9]+", "_", version)
    body = ",\n".join(f"  {name:<12} = {value}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}"
