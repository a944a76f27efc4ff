"""Check legacy version pins before anything is written: PEP 440 for pipx, npm semver for npm."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aim.errors import InputError


def check_pins(pins: Mapping[str, Any], source: str) -> None:
    """InputError naming every pin that is not a valid version or range for its manager."""
    from aim.versions.pins import syntax_problem

    problems = []
    for manager in ("pipx", "npm"):
        for package, pin in (pins.get(manager) or {}).items():
            why = syntax_problem(manager, pin) if isinstance(pin, str) else "is not a string"
            if why:
                problems.append(f"Pins.{manager}.{package}: {pin!r} {why}")
    if problems:
        raise InputError(f"{source}: invalid version pins: " + "; ".join(problems) +
                         ". Fix them in the legacy config and run again; nothing was changed")
