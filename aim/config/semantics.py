"""The checks a JSON Schema cannot express: references between sections, pin syntax, and names
that must not be used (a secret exported as PATH, a package entry that is an option).

Run only on data the schema accepted, so the shapes here are known.  Decisions (documented in
docs/config.md): a pin on a package that is not managed is an error, not a warning, because
nothing would ever apply it and it is almost always a misspelled package name.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from aim.schema_errors import did_you_mean
from aim.yamlio import KeyPath

Problem = tuple[KeyPath, str]


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
    from aim.versions.pins import syntax_problem

    return syntax_problem(manager, spec)


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


def _redaction_problems(data: Mapping[str, Any]) -> Iterator[Problem]:
    import re

    for index, pattern in enumerate(data.get("redaction", {}).get("patterns", [])):
        try:
            re.compile(pattern)
        except re.error as err:
            yield (("redaction", "patterns", index),
                   f"{pattern!r} is not a regular expression ({err}); correct or remove it")


def _name_problems(data: Mapping[str, Any]) -> Iterator[Problem]:
    """Secrets exported as a reserved variable (PATH, HOME…) and package entries an installer
    would read as options (``--index-url=…``)."""
    from aim.installer import spec_problem
    from aim.secrets.names import reserved_problem

    for name, ref in data.get("secrets", {}).items():
        why = reserved_problem(ref.get("env", name))
        if why:
            yield ("secrets", name, "env") if "env" in ref else ("secrets", name), why
    for manager, items in data.get("packages", {}).items():
        for index, item in enumerate(items):
            why = spec_problem(item)
            if why:
                yield ("packages", manager, index), f"the package entry {why}; remove it"


def semantic_problems(data: Mapping[str, Any]) -> list[Problem]:
    """Cross-reference, pin, pattern and name problems of schema-valid ``data``."""
    return [*_capability_problems(data), *_install_problems(data), *_pin_problems(data),
            *_redaction_problems(data), *_name_problems(data)]
