"""The checks a JSON Schema cannot express: references between sections and pin syntax.

Run only on data the schema accepted, so the shapes here are known.  Decisions (documented in
docs/config.md): a pin on a package that is not managed is an error, not a warning, because
nothing would ever apply it and it is almost always a misspelled package name.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from aim.yamlio import KeyPath

Problem = tuple[KeyPath, str]

_PART = r"(?:0|[1-9]\d*|[xX*])"
_VERSION = rf"v?{_PART}(?:\.{_PART}(?:\.{_PART}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)?)?"
_COMPARATOR = rf"(?:<=|>=|<|>|=|~|\^)?\s*{_VERSION}"
_SIMPLE_RANGE = rf"{_COMPARATOR}(?:\s+{_COMPARATOR})*"
_HYPHEN_RANGE = rf"{_VERSION}\s+-\s+{_VERSION}"
_NPM_RANGE = re.compile(rf"^\s*(?:{_HYPHEN_RANGE}|{_SIMPLE_RANGE})"
                        rf"(?:\s*\|\|\s*(?:{_HYPHEN_RANGE}|{_SIMPLE_RANGE}))*\s*$")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _capability_problems(data: Mapping[str, Any]) -> Iterator[Problem]:
    tools = data.get("tools", {})
    for name, cap in data.get("capabilities", {}).items():
        refs: list[tuple[KeyPath, str]] = [(("capabilities", name, "primary"), cap["primary"])]
        refs += [(("capabilities", name, "fallback", i), tool)
                 for i, tool in enumerate(cap.get("fallback", []))]
        for where, tool in refs:
            if tool not in tools:
                yield where, (f"no tool {tool!r} in tools{did_you_mean(tool, tools)}; name a tool "
                              "from the registry or add it under tools")
        if cap["primary"] in cap.get("fallback", []):
            yield (("capabilities", name, "fallback"),
                   f"lists the primary tool {cap['primary']!r} again; remove it from fallback")


def _install_problems(data: Mapping[str, Any]) -> Iterator[Problem]:
    packages = data.get("packages", {})
    for tool_id, tool in data.get("tools", {}).items():
        install = tool.get("install")
        if install is None:
            continue
        manager, package = install["manager"], install["package"]
        managed = packages.get(manager, [])
        if package not in managed:
            yield (("tools", tool_id, "install", "package"),
                   f"{package!r} is not a managed {manager} package"
                   f"{did_you_mean(package, managed)}; add it to packages.{manager} "
                   "(or correct the name)")


def _pin_syntax(manager: str, spec: str) -> str | None:
    """Why ``spec`` is not a valid pin for ``manager``, or None."""
    if manager in ("pipx", "uv"):
        from packaging.specifiers import InvalidSpecifier, SpecifierSet
        from packaging.version import InvalidVersion, Version

        try:
            Version(spec)
            return None
        except InvalidVersion:
            pass
        try:
            SpecifierSet(spec)
            return None
        except InvalidSpecifier:
            return ("is not a PEP 440 version or specifier; write an exact version like "
                    "'0.86.1' or a range like '>=1,<2'")
    if manager == "npm" and not _NPM_RANGE.match(spec):
        return ("is not an npm semver version or range; write '2.0.31', '^2.0.31', "
                "'~2.0', '>=1.2 <2' or '1.x'")
    if manager == "winget" and spec != spec.strip():
        return "has spaces around it; write the exact version string"
    return None


def _pin_problems(data: Mapping[str, Any]) -> Iterator[Problem]:
    packages = data.get("packages", {})
    for manager, pins in data.get("pins", {}).items():
        managed = packages.get(manager, [])
        for package, spec in pins.items():
            where: KeyPath = ("pins", manager, package)
            if package not in managed:
                yield where, (f"pins {package!r}, which is not a managed {manager} package"
                              f"{did_you_mean(package, managed)}; add it to packages.{manager} or "
                              "remove the pin")
            reason = _pin_syntax(manager, spec)
            if reason:
                yield where, f"{spec!r} {reason}"


def semantic_problems(data: Mapping[str, Any]) -> list[Problem]:
    """Cross-reference and pin problems of schema-valid ``data``."""
    return [*_capability_problems(data), *_install_problems(data), *_pin_problems(data)]
