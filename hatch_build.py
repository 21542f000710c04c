"""Hatchling build hook: bundle every built dataset version into the wheel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]  # generic in hatchling
    """Add ``datasets/<version>/`` (each with a ``manifest.json``) to the wheel."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root) / "datasets"
        for manifest in sorted(root.glob("*/manifest.json")):
            folder = manifest.parent
            build_data["force_include"][str(folder)] = f"cambodefect/_bundled/{folder.name}"
