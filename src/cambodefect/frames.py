"""Tables as pandas or Polars data frames, with proper dtypes (optional extras).

Enums become categoricals, dates stay dates. Install the extra you need:
``pip install 'cambodefect[pandas]'`` or ``pip install 'cambodefect[polars]'``;
without it, a [`MissingExtraError`][cambodefect.MissingExtraError] names the extra.

Examples:
    >>> import cambodefect as cd
    >>> df = cd.load().to_polars("claims")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from cambodefect import _optional

__all__ = ["DERIVED", "flat", "to_pandas", "to_polars", "with_derived"]


def flat(table: pa.Table) -> pa.Table:
    """``table`` with struct columns flattened to dotted columns (``count.value``),
    recursively, and every enum (dictionary) column re-encoded with only the values it
    holds: a value under a null struct is null, never an empty-string category."""
    while any(pa.types.is_struct(f.type) for f in table.schema):
        table = table.flatten()
    return _clean_dictionaries(table)


def _clean_dictionaries(table: pa.Table) -> pa.Table:
    import pyarrow.compute as pc

    for i, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type):
            column = table.column(i).cast(field.type.value_type)
            encoded = pc.dictionary_encode(column)
            table = table.set_column(i, field.with_type(encoded.type), encoded)
    return table


def to_pandas(table: pa.Table, *, flatten: bool = True) -> Any:
    """A pandas DataFrame: categoricals for enums, ``date32[pyarrow]`` dates, and
    nullable integers (``Int64``) so a missing count is ``<NA>``, not a float.

    With ``flatten`` (the default), struct columns become dotted columns
    (``count.value``, ``claimant.id``); lists stay Python lists. Categories hold only
    the values that occur (no empty-string category under a null struct).
    """
    pd = _optional.pandas()
    table = flat(table) if flatten else _clean_dictionaries(table)
    nullable = {
        pa.int64(): pd.Int64Dtype(),
        pa.int32(): pd.Int32Dtype(),
        pa.bool_(): pd.BooleanDtype(),
    }

    def mapper(type_: pa.DataType) -> Any:
        if pa.types.is_date32(type_):
            return pd.ArrowDtype(type_)
        return nullable.get(type_)

    return table.to_pandas(types_mapper=mapper)


def to_polars(table: pa.Table, *, flatten: bool = False) -> Any:
    """A Polars DataFrame: enums as categoricals, dates as ``Date``; nested values stay
    structs, or become dotted columns with ``flatten=True`` (as `to_pandas`)."""
    pl = _optional.polars()
    return pl.from_arrow(flat(table) if flatten else _clean_dictionaries(table))


def with_derived(claims: pa.Table, frame: pa.Table) -> pa.Table:
    """The claims table with the derived columns of the claims frame appended:
    ``date_start``, ``date_end`` (the claim's period, else when it was reported), ``era``,
    ``party_key`` (the joint key of its former parties) and ``province`` (its place's,
    else its event's)."""
    for name in DERIVED:
        claims = claims.append_column(f"{name}", frame.column(name))
    return claims


DERIVED = ("date_start", "date_end", "era", "party_key", "province")
"""The claims-frame columns ``Dataset.to_pandas("claims")`` and ``to_polars`` add."""
