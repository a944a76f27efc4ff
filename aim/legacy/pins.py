"""Check legacy version pins before anything is written: PEP 440 for pipx, npm semver for npm."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from aim.errors import InputError

# One npm comparator set element: an optional operator and a partial version with x/* parts.
_NPM_PART = r"(?:0|[1-9]\d*|[xX*])"
_NPM_VERSION = (rf"v?{_NPM_PART}(?:\.{_NPM_PART}(?:\.{_NPM_PART}"
                r"(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)?)?")
_NPM_SIMPLE = re.compile(rf"^(?:[~^]|[<>]=?|=)?\s*{_NPM_VERSION}$")
_NPM_HYPHEN = re.compile(rf"^{_NPM_VERSION}\s+-\s+{_NPM_VERSION}$")


def valid_npm_range(text: str) -> bool:
    """True when ``text`` is an npm semver version or range (``^2.0.31``, ``>=1 <2 || 3.x``)."""
    if text.strip() in ("", "*", "latest"):
        return True
    for alternative in text.split("||"):
        alternative = alternative.strip()
        if _NPM_HYPHEN.match(alternative):
            continue
        parts = re.sub(r"([<>]=?|=)\s+", r"\1", alternative).split()
        if not parts or not all(_NPM_SIMPLE.match(part) for part in parts):
            return False
    return True


def valid_pep440(text: str) -> bool:
    """True when ``text`` is a PEP 440 version (``0.86.1``) or specifier set (``>=1,<2``)."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    try:
        Version(text)
        return True
    except InvalidVersion:
        pass
    try:
        SpecifierSet(text)
        return bool(text.strip())
    except InvalidSpecifier:
        return False


def check_pins(pins: Mapping[str, Any], source: str) -> None:
    """InputError naming every pin that is not a valid version or range for its manager."""
    checks = {"pipx": (valid_pep440, "a PEP 440 version such as 0.86.1 or >=0.86,<1"),
              "npm": (valid_npm_range, "an npm version or range such as 2.0.31 or ^2.0.31")}
    problems = []
    for manager, (is_valid, example) in checks.items():
        for package, pin in (pins.get(manager) or {}).items():
            if not isinstance(pin, str) or not is_valid(pin):
                problems.append(f"Pins.{manager}.{package}: {pin!r} is not {example}")
    if problems:
        raise InputError(f"{source}: invalid version pins: " + "; ".join(problems) +
                         ". Fix them in the legacy config and run again; nothing was changed")
