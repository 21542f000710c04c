"""The dataset the module-level functions resolve against, and their per-dataset resolvers.

Every resolver and parser in [`cambodefect.normalize`][cambodefect.normalize] has two modes. Strict
(the default) returns the value or raises a documented error. Lenient
(``strict=False``) never raises for bad input: it returns the value or an
[`Unresolved`][cambodefect.normalize.Unresolved], which is falsy and says why.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from cambodefect._names.cache import cached_for
from cambodefect._names.parties import PartyResolver
from cambodefect._names.persons import PersonResolver

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset

__all__ = ["default_dataset", "party_resolver", "person_resolver"]


@functools.cache
def _newest() -> Dataset:
    from cambodefect.dataset import load

    return load()


def default_dataset(ds: Dataset | None) -> Dataset:
    """``ds``, or the newest bundled dataset (loaded and verified once per process)."""
    return _newest() if ds is None else ds


def party_resolver(ds: Dataset | None = None) -> PartyResolver:
    """The party resolver of ``ds`` (default: the newest bundled dataset), built once."""
    return cached_for(default_dataset(ds), PartyResolver.from_dataset)


def person_resolver(ds: Dataset | None = None) -> PersonResolver:
    """The person resolver of ``ds`` (default: the newest bundled dataset), built once."""
    return cached_for(default_dataset(ds), PersonResolver.from_dataset)
