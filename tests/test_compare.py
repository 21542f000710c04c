"""Tests for cambodefect.compare: diffs between versions by stable ID."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import cambodefect as cd
from cambodefect.schema import TABLES, to_table
from cambodefect.storage import write_dataset

EV = (cd.Evidence(source_id="s", line=1, note="n"),)


def _party(ident: str, name: str, aliases: tuple[str, ...] = ()) -> cd.Party:
    return cd.Party(id=ident, name=name, kind=cd.PartyKind.PARTY, evidence=EV, aliases=aliases)


def _claim(ident: str, n: int) -> cd.Claim:
    who = cd.Claimant(kind=cd.ClaimantKind.SOURCE, id="s", alignment=cd.Alignment.INDEPENDENT)
    return cd.Claim(
        id=ident, kind=cd.ClaimKind.DEFECTION, claimant=who, evidence=EV, count=cd.Count.exact(n)
    )


def _write(
    folder: Path,
    version: str,
    parties: list[cd.Party],
    claims: list[cd.Claim],
    redirects: dict[str, dict[str, str]] | None = None,
) -> cd.Dataset:
    tables = {name: to_table([], name) for name in TABLES}
    tables["parties"] = to_table(parties, "parties")
    tables["claims"] = to_table(claims, "claims")
    write_dataset(
        folder / version, tables, version=version, released="2026-01-01", redirects=redirects
    )
    return cd.load(path=folder / version)


def test_identical_versions_have_an_empty_diff() -> None:
    """A version compared with itself has no changes."""
    d = cd.diff(cd.versions()[-1], cd.versions()[-1])
    assert d.is_empty()
    assert all(t.is_empty() for t in d.tables)


def test_added_removed_redirected_and_changed_records(tmp_path: Path) -> None:
    """Each kind of change is reported by ID, with field-level detail for changes."""
    a = _write(
        tmp_path,
        "1.0.0",
        [_party("p", "P"), _party("q", "Q"), _party("r", "R")],
        [_claim("c1", 5), _claim("c2", 7)],
    )
    b = _write(
        tmp_path,
        "1.1.0",
        [_party("p", "P", aliases=("Pee",)), _party("s", "S")],
        [_claim("c1", 6), _claim("c2", 7), _claim("c3", 1)],
        {"parties": {"q": "p"}},
    )
    d = cd.diff(a, b)
    parties = d.table("parties")
    assert parties.added == ("s",)
    assert parties.removed == ("r",)
    assert parties.redirected == {"q": "p"}
    assert [c.field for c in parties.changed["p"]] == ["aliases"]
    claims = d.table("claims")
    assert claims.added == ("c3",)
    changes = {c.field: (c.old, c.new) for c in claims.changed["c1"]}
    assert changes == {"count.high": (5, 6), "count.low": (5, 6), "count.value": (5, 6)}
    text = str(d)
    assert "~ c1.count.value: 5 -> 6" in text and "> q -> p" in text and "- r" in text


def test_cli_diff_prints_the_report() -> None:
    """`cambodefect diff A B` prints the same report and exits 0."""
    v = cd.versions()[-1]
    result = subprocess.run(  # noqa: S603  # fixed argv, our own CLI
        [sys.executable, "-m", "cambodefect", "diff", v, v],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"diff {v} -> {v}")
