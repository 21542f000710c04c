"""Tests for cambodefect.models: the entities' own invariants."""

from __future__ import annotations

import attrs
import pytest

from cambodefect.enums import Alignment, ClaimantKind, ClaimKind, PartyKind, SourceKind
from cambodefect.models import Claim, Party, Source
from cambodefect.values import Claimant, Evidence

EV = (Evidence(source_id="s", line=1, note="n"),)
WHO = Claimant(kind=ClaimantKind.SOURCE, id="s", alignment=Alignment.INDEPENDENT)


def test_models_are_frozen_slotted_and_keyword_only() -> None:
    """Models cannot be mutated and take keyword arguments only."""
    p = Party(id="x", name="X", kind=PartyKind.PARTY, evidence=EV)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        p.name = "Y"  # type: ignore[misc]
    assert not hasattr(p, "__dict__")
    with pytest.raises(TypeError):
        Party("x", "X", PartyKind.PARTY, EV)  # type: ignore[call-arg]


def test_ids_must_be_slugs_and_evidence_non_empty() -> None:
    """A bad ID or missing evidence is refused, naming the field and value."""
    with pytest.raises(ValueError, match=r"id must be a slug.*'Candlelight Party'"):
        Party(id="Candlelight Party", name="X", kind=PartyKind.PARTY, evidence=EV)
    with pytest.raises(ValueError, match=r"evidence must not be empty"):
        Party(id="x", name="X", kind=PartyKind.PARTY, evidence=())


def test_party_names_lists_name_short_name_and_aliases_once() -> None:
    """names has no repeats and keeps the main name first."""
    p = Party(
        id="cnrp",
        name="Cambodia National Rescue Party",
        kind=PartyKind.PARTY,
        evidence=EV,
        short_name="CNRP",
        aliases=("CNRP",),
    )
    assert p.names == ("Cambodia National Rescue Party", "CNRP")


def test_held_sources_need_document_and_checksum() -> None:
    """read_directly is true exactly when a document and its SHA-256 are given."""
    with pytest.raises(ValueError, match=r"read_directly=True"):
        Source(
            id="s",
            kind=SourceKind.NEWS_ARTICLE,
            alignment=Alignment.INDEPENDENT,
            read_directly=True,
            evidence=EV,
        )
    with pytest.raises(ValueError, match=r"inferred names unknown fields"):
        Source(
            id="s",
            kind=SourceKind.VIDEO,
            alignment=Alignment.UNKNOWN,
            read_directly=False,
            evidence=EV,
            inferred=("colour",),
        )


def test_claims_cannot_point_at_themselves() -> None:
    """part_of and disputed_by never name the claim itself; ID lists have no repeats."""
    with pytest.raises(ValueError, match=r"part_of itself"):
        Claim(id="c", kind=ClaimKind.TOTAL, claimant=WHO, evidence=EV, part_of="c")
    with pytest.raises(ValueError, match=r"disputed_by itself"):
        Claim(id="c", kind=ClaimKind.TOTAL, claimant=WHO, evidence=EV, disputed_by=("c",))
    with pytest.raises(ValueError, match=r"repeats"):
        Claim(
            id="c", kind=ClaimKind.DEFECTION, claimant=WHO, evidence=EV, from_party_ids=("a", "a")
        )
