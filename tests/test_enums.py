"""Tests for cambodefect.enums: closed vocabularies convert or reject with the valid values."""

from __future__ import annotations

from enum import StrEnum

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cambodefect as cd
from cambodefect.enums import ENUMS, coerce


@given(st.sampled_from([m for enum in ENUMS for m in enum]))
def test_every_member_and_its_value_coerce_to_the_member(member: StrEnum) -> None:
    """coerce(E, m) and coerce(E, m.value) both give the member m."""
    enum = type(member)
    assert coerce(enum, member) is member
    assert coerce(enum, member.value) is member


@given(st.sampled_from(ENUMS), st.text(max_size=20))
def test_anything_else_raises_a_typed_error_listing_the_valid_values(
    enum: type[StrEnum], text: str
) -> None:
    """A string that is no member's value raises UnknownValueError naming every valid value."""
    valid = {m.value for m in enum}
    if text in valid:
        return
    with pytest.raises(cd.UnknownValueError) as info:
        coerce(enum, text)
    assert set(info.value.valid) == valid
    assert set(info.value.suggestions) <= valid
    assert repr(text) in str(info.value)


def test_a_typo_names_the_nearest_value() -> None:
    """ds.iter_claims(kind="defections") says which kind was meant (issue 11's reproduction)."""
    with pytest.raises(cd.UnknownValueError) as info:
        cd.load().iter_claims(kind="defections")
    assert info.value.suggestions[0] == "defection"
    assert isinstance(info.value, ValueError)  # code catching ValueError keeps working


def test_enum_fields_convert_strings_to_members() -> None:
    """Models built from strings hold enum members, not bare strings."""
    count = cd.Count(qualifier="exact", unit="officials", value=3, low=3, high=3)
    assert count.qualifier is cd.Qualifier.EXACT and count.unit is cd.Unit.OFFICIALS
    with pytest.raises(cd.UnknownValueError):
        cd.Count(qualifier="roughly")
