"""What lenient mode returns when it cannot resolve, and the per-dataset resolver cache.

Every resolver and parser in :mod:`cambodefect.normalize` has two modes. Strict
(the default) returns the value or raises a documented error. Lenient
(``strict=False``) never raises for bad input: it returns the value or an
:class:`Unresolved`, which is falsy and says why.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Literal, TypeVar, cast

from attrs import frozen

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = ["Failure", "Unresolved"]

T = TypeVar("T")


class Failure(StrEnum):
    """Why an input did not resolve: a stable, machine-readable code."""

    EMPTY = "empty"
    """Nothing is left once whitespace and invisible characters are removed."""
    UNKNOWN = "unknown"
    """No entity has this name; ``suggestions`` holds the nearest known names."""
    AMBIGUOUS = "ambiguous"
    """Several entities have this name; ``candidates`` lists their IDs."""
    COMPOUND = "compound"
    """A compound label ("X / Y", "X (including ...)"): use ``parse_label``."""
    PARTIAL = "partial"
    """Only part of one person's name; ``partial=True`` accepts it."""
    UNPARSED = "unparsed"
    """A count or date phrase outside the grammar; ``reason`` says where it failed."""


@frozen(kw_only=True)
class Unresolved:
    """A lenient-mode miss: the input, why it failed, and what it might have meant.

    Unresolved is always falsy and the match types always truthy, so ``if result:``
    separates hits from misses (and type checkers narrow the union accordingly).

    Attributes:
        text: the input as given.
        failure: the machine-readable reason.
        reason: the reason in words.
        suggestions: nearest known names, best first; suggestions only, never a match.
        candidates: IDs of every entity the input fits (ambiguous or compound input).

    Examples:
        >>> from cambodefect.normalize import resolve_party
        >>> miss = resolve_party("Candlelite Party", strict=False)
        >>> bool(miss), miss.failure.value, miss.suggestions[0]
        (False, 'unknown', 'Candlelight Party')
    """

    text: str
    failure: Failure
    reason: str
    suggestions: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()

    def __bool__(self) -> Literal[False]:
        return False


@functools.cache
def _default_dataset() -> Dataset:
    from cambodefect.dataset import load

    return load()


_CACHES: dict[object, weakref.WeakKeyDictionary[Dataset, object]] = {}


def cached_for(ds: Dataset | None, build: Callable[[Dataset], T]) -> T:
    """The object ``build(ds)`` makes, built once per dataset (``None``: the newest bundled).

    The newest bundled dataset is loaded (and verified) once per process.
    """
    if ds is None:
        ds = _default_dataset()
    cache = _CACHES.setdefault(build, weakref.WeakKeyDictionary())
    try:
        found = cast(T, cache[ds])  # each builder has its own cache, of its own type
    except KeyError:
        found = cache[ds] = build(ds)
    return found
