"""Tests for cambodefect.frames: pandas and Polars conversions with proper dtypes."""

from __future__ import annotations

import sys

import pytest

import cambodefect as cd


def test_pandas_dtypes() -> None:
    """Enums are categoricals, dates are dates, counts are nullable integers."""
    pytest.importorskip("pandas")
    df = cd.load().to_pandas("claims")
    assert str(df["kind"].dtype) == "category"
    assert str(df["reported.start"].dtype) == "date32[day][pyarrow]"
    assert str(df["count.value"].dtype) == "Int64"
    assert len(df) == cd.load().claims.num_rows
    nested = cd.load().to_pandas("claims", flatten=False)
    assert isinstance(nested["count"].dropna().iloc[0], dict)


def test_polars_dtypes() -> None:
    """Polars gets categoricals, Date and structs."""
    pl = pytest.importorskip("polars")
    df = cd.load().to_polars("parties")
    assert df.schema["kind"] == pl.Categorical
    assert df.height == cd.load().parties.num_rows


def test_polars_flattens_as_pandas_does() -> None:
    """`to_polars(flatten=True)` (a TypeError once) gives pandas' dotted columns."""
    pytest.importorskip("pandas")
    pytest.importorskip("polars")
    ds = cd.load()
    flat = ds.to_polars("claims", flatten=True)
    assert flat.columns == list(ds.to_pandas("claims").columns)
    assert "count.value" in flat.columns and "count" not in flat.columns
    assert flat.height == ds.claims.num_rows


@pytest.mark.parametrize(("method", "extra"), [("to_pandas", "pandas"), ("to_polars", "polars")])
def test_missing_extra_names_it(monkeypatch: pytest.MonkeyPatch, method: str, extra: str) -> None:
    """Without the optional package, the error names the extra to install."""
    monkeypatch.setitem(sys.modules, extra, None)  # import now fails, as if not installed
    with pytest.raises(cd.MissingExtraError, match=rf"cambodefect\[{extra}\]"):
        getattr(cd.load(), method)("claims")
