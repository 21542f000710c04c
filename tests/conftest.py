"""Shared fixtures and hypothesis profiles.

Profiles: "dev" (the default: the README's test command, fast) and "ci" (thorough:
``.ci/run`` reruns every property test and the ``slow`` ones with HYPOTHESIS_PROFILE=ci).
Tests marked ``slow`` (kill tests, fuzzing) are left out of the default run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=25, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

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
