"""Tables as pandas or Polars data frames, with proper dtypes (optional extras).

Enums become categoricals, dates stay dates. Install the extra you need:
``pip install 'cambodefect[pandas]'`` or ``pip install 'cambodefect[polars]'``;
without it, a :class:`~cambodefect.errors.MissingExtraError` names the extra.

Examples:
    >>> import cambodefect as cd
    >>> df = cd.load().to_polars("claims")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from cambodefect import _optional

__all__ = ["to_pandas", "to_polars"]


def to_pandas(table: pa.Table, *, flatten: bool = True) -> Any:
    """A pandas DataFrame: categoricals for enums, ``date32[pyarrow]`` dates, and
    nullable integers (``Int64``) so a missing count is ``<NA>``, not a float.

    With ``flatten`` (the default), struct columns become dotted columns
    (``count.value``, ``claimant.id``); lists stay Python lists.
    """
    pd = _optional.pandas()
    if flatten:
        while any(pa.types.is_struct(f.type) for f in table.schema):
            table = table.flatten()

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


def to_polars(table: pa.Table) -> Any:
    """A Polars DataFrame (enums as categoricals, dates as ``Date``, nested as structs)."""
    pl = _optional.polars()
    return pl.from_arrow(table)
