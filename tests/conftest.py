"""Shared fixtures and hypothesis profiles.

Profiles: "dev" (default, fast) and "ci" (thorough; selected when CI is set or with
HYPOTHESIS_PROFILE=ci).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
DATASETS = REPO / "datasets"


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository root (tests run from a checkout or an unpacked sdist)."""
    return REPO


@pytest.fixture(scope="session")
def seeds() -> dict[str, list[str]]:
    """Each seed document's lines, by file name; skips when ../shared is absent (an sdist)."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}: ../shared/ is not beside this checkout")
    return {p.name: p.read_text(encoding="utf-8").splitlines() for p in sorted(SEEDS.glob("*.txt"))}
