"""The checks a JSON Schema cannot express: references between sections, pin syntax, and names
that must not be used (a secret exported as PATH, a package entry that is an option).

Each check reads the shapes the schema asks for; on data of another shape it gives up (see
:func:`semantic_problems`).  A name that is missing is reported once, at the first place
that names it, with the others listed.  Decisions (documented in
docs/config.md): a pin on a package that is not managed is an error, not a warning, because
nothing would ever apply it and it is almost always a misspelled package name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from aim.installer import spec_problem
from aim.schema_errors import did_you_mean
from aim.secrets.names import reserved_problem
from aim.versions.pins import syntax_problem
from aim.yamlio import KeyPath, format_path

Problem = tuple[KeyPath, str]


def _missing(refs: list[tuple[KeyPath, str]], known: Any, what: Callable[[str], str],
             fix: Callable[[KeyPath], str]) -> Iterator[Problem]:
    """One problem per unknown name, however many places name it: at the first of them."""
    places: dict[str, list[KeyPath]] = {}
    for where, name in refs:
        if name not in known:
            places.setdefault(name, []).append(where)
    for name, wheres in places.items():
        others = [format_path(w) for w in wheres[1:]]
        also = f"; also named by {', '.join(others)}" if others else ""
        yield wheres[0], f"{what(name)}{did_you_mean(name, known)}{also}; {fix(wheres[0])}"


def _capability_problems(data: Mapping[str, Any]) -> Iterator[Problem]:
    refs: list[tuple[KeyPath, str]] = []
    for name, cap in data.get("capabilities", {}).items():
        refs.append((("capabilities", name, "primary"), cap["primary"]))
        refs += [(("capabilities", name, "fallback", i), tool)
                 for i, tool in enumerate(cap.get("fallback", []))]
        if cap["primary"] in cap.get("fallback", []):
            yield (("capabilities", name, "fallback"),
                   f"lists the primary tool {cap['primary']!r} again; remove it from fallback")
    yield from _missing(refs, data.get("tools", {}), lambda tool: f"no tool {tool!r} in tools",
                        lambda _where: "name a tool from the registry or add it under tools")


def _package_problems(data: Mapping[str, Any]) -> Iterator[Problem]:
    """Tools' install packages and pins that name a package the manager does not manage."""
    packages = data.get("packages", {})
    refs: dict[str, list[tuple[KeyPath, str]]] = {}
    for tool_id, tool in data.get("tools", {}).items():
        install = tool.get("install")
        if install is not None:
            refs.setdefault(install["manager"], []).append(
                (("tools", tool_id, "install", "package"), install["package"]))
    for manager, pins in data.get("pins", {}).items():
        refs.setdefault(manager, []).extend((("pins", manager, package), package)
                                            for package in pins)
    for manager, named in refs.items():
        yield from _unmanaged(manager, named, packages.get(manager, []))


def _unmanaged(manager: str, named: list[tuple[KeyPath, str]],
               managed: list[str]) -> Iterator[Problem]:
    def fix(where: KeyPath) -> str:
        undo = "or remove the pin" if where[0] == "pins" else "(or correct the name)"
        return f"add it to packages.{manager} {undo}"

    return _missing(named, managed, lambda package: f"{package!r} is not a managed {manager} "
                    "package", fix)


def _pin_syntax(manager: str, spec: str) -> str | None:
    """Why ``spec`` is not a valid pin for ``manager``, or None."""
    return syntax_problem(manager, spec)


def _pin_problems(data: Mapping[str, Any]) -> Iterator[Problem]:
    for manager, pins in data.get("pins", {}).items():
        for package, spec in pins.items():
            reason = _pin_syntax(manager, spec)
            if reason:
                yield ("pins", manager, package), f"{spec!r} {reason}"


def _redaction_problems(data: Mapping[str, Any]) -> Iterator[Problem]:
    for index, pattern in enumerate(data.get("redaction", {}).get("patterns", [])):
        try:
            re.compile(pattern)
        except re.error as err:
            yield (("redaction", "patterns", index),
                   f"{pattern!r} is not a regular expression ({err}); correct or remove it")


def _name_problems(data: Mapping[str, Any]) -> Iterator[Problem]:
    """Secrets exported as a reserved variable (PATH, HOME…) and package entries an installer
    would read as options (``--index-url=…``)."""
    for name, ref in data.get("secrets", {}).items():
        env = ref.get("env", name) if isinstance(ref, Mapping) else name
        why = reserved_problem(env) if isinstance(env, str) else None
        if why:
            yield ("secrets", name, "env") if env != name else ("secrets", name), why
    for manager, items in data.get("packages", {}).items():
        for index, item in enumerate(items):
            why = spec_problem(item) if isinstance(item, str) else None
            if why:
                yield ("packages", manager, index), f"the package entry {why}; remove it"


CHECKS = (_capability_problems, _package_problems, _pin_problems, _redaction_problems,
          _name_problems)


def semantic_problems(data: Mapping[str, Any],
                      schema_paths: frozenset[KeyPath] = frozenset()) -> list[Problem]:
    """Cross-reference, pin, pattern and name problems of ``data``.

    Data the schema rejected is checked too, so that one round of fixes is enough: a check
    that meets a part of the wrong shape gives up on it (the schema reports that part), and
    nothing is said about an object in which the schema already found a problem.
    """
    found: list[Problem] = []
    for check in CHECKS:
        try:
            found += list(check(data))
        except (AttributeError, KeyError, TypeError):
            continue
    return [(path, message) for path, message in found
            if len(path) < 2 or not any(bad[:len(path) - 1] == path[:-1] for bad in schema_paths)]
