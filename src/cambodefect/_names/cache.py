"""One resolver per dataset and builder, kept as long as the dataset lives.

[`cambodefect.dataset.Dataset.party`][cambodefect.Dataset.party] and the functions of
[`cambodefect.normalize`][cambodefect.normalize] share these caches, so a dataset's resolvers are
built once.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = ["cached_for"]

T = TypeVar("T")

_CACHES: dict[object, weakref.WeakKeyDictionary[Dataset, object]] = {}


def cached_for(ds: Dataset, build: Callable[[Dataset], T]) -> T:
    """The object ``build(ds)`` makes, built once per dataset and builder."""
    cache = _CACHES.setdefault(build, weakref.WeakKeyDictionary())
    try:
        found = cast(T, cache[ds])  # each builder has its own cache, of its own type
    except KeyError:
        found = cache[ds] = build(ds)
    return found
