"""Map the first-generation ``registry`` (tools and capability chains) onto aim_config.json.

``registry.tools.<id>`` becomes ``tools.<id>`` (a known AI CLI also gets its ``install``, when
the environment manages its package) and its ``pinnedVersion`` a pin; ``registry.capabilities``
becomes ``capabilities`` with ``primary`` and ``fallback``.  aim_config.json accepts only
registered tool ids in a chain, so a name that is no registered tool leaves the chain, with the
reason in the fate.  A capability a tool lists that has no chain gets one from the tools that
list it, in their order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aim.legacy.fates import DROPPED, MAPPED, MERGED
from aim.legacy.firstgen_build import (
    UNKNOWN,
    Builder,
    Unfit,
    as_argv,
    as_strings,
    as_text,
    assign_names,
    join,
    managed,
    pin_problem,
    put,
    renamed,
    valid_name,
)
from aim.legacy.known_tools import KNOWN_AI_CLIS
from aim.yamlio import KeyPath

Convert = Callable[[Builder, KeyPath, Any], tuple[Any, str]]
_EXTENSIONS = (".cmd", ".exe", ".bat", ".ps1")
_REQUIRED_LIST = ("detect", "version_command")
_NOT_REGISTERED = "aim_config.json accepts only tool ids registered under tools"


def _names(b: Builder, path: KeyPath, value: Any) -> tuple[list[str], str]:
    items, note = as_strings(b, path, value)
    names = [valid_name(item) for item in items]
    changed = [f"{raw!r} → {name!r}" for raw, name in zip(items, names, strict=True)
               if raw != name]
    return list(dict.fromkeys(names)), join(note, "capability names made valid: "
                                            + ", ".join(changed) if changed else "")


_FIELDS: dict[str, tuple[str, Convert]] = {
    "name": ("display_name", as_text), "detectCommands": ("detect", as_strings),
    "versionCommand": ("version_command", as_argv), "configPaths": ("config_paths", as_strings),
    "capabilities": ("capabilities", _names),
}
_CARRIED = {
    "logPaths": "AIM+ reads no tool logs (its own trail is .aim/audit.jsonl); kept",
    "adapterScript": "AIM+ runs a tool from its argument lists, with no adapter script; kept",
    "autoUpdate": "AIM+ changes a tool's version only to its pin, when asked (aim versions "
                  "--sync); kept",
}


def _command(name: str) -> str:
    lowered = name.lower().replace("\\", "/").rsplit("/", 1)[-1]
    return next((lowered[: -len(e)] for e in _EXTENSIONS if lowered.endswith(e)), lowered)


def known_cli(entry: Mapping[str, Any]) -> tuple[str, str, dict[str, Any]] | None:
    """(package, manager, known entry) of the known AI CLI a tool is, by a detect command or
    its ``package``; None when it is none of them."""
    raw = entry.get("detectCommands")
    commands = {_command(c) for c in ([raw] if isinstance(raw, str) else raw or [])
                if isinstance(c, str)}
    for package, (manager, _tool_id, known) in KNOWN_AI_CLIS.items():
        if entry.get("package") == package or commands & {_command(c) for c in known["detect"]}:
            return package, manager, known
    return None


def map_tools(b: Builder, path: KeyPath, value: Any) -> dict[str, str]:
    """Map ``registry.tools``; the raw tool id → its id in aim_config.json."""
    tools = b.obj(path, value)
    ids = assign_names(list(tools))
    for raw, entry in tools.items():
        _tool(b, (*path, raw), ids[raw], b.obj((*path, raw), entry))
    return ids


def _tool(b: Builder, path: KeyPath, tool_id: str, entry: Mapping[str, Any]) -> None:
    rename = renamed(str(path[-1]), tool_id, "tool")
    known = known_cli(entry)
    tool: dict[str, Any] = b.data.setdefault("tools", {}).setdefault(tool_id, {})
    for key, value in entry.items():
        at = (*path, key)
        if key in _FIELDS:
            _field(b, at, tool, tool_id, value, rename)
        elif key == "package" and known is not None and value == known[0]:
            b.fate(at, MAPPED, f"tools.{tool_id}.install.package", rename)
        elif key != "pinnedVersion":
            b.carry(at, value, join(_CARRIED.get(key, UNKNOWN), rename))
    tool.setdefault("detect", list(known[2]["detect"]) if known else [tool_id])
    tool.setdefault("version_command", list(known[2]["version_command"]) if known
                    else [tool["detect"][0], "--version"])
    if known:
        where = (*path, "package" if "package" in entry else "detectCommands")
        _install(b, where, tool, known)
    if "pinnedVersion" in entry:
        tool_pin(b, (*path, "pinnedVersion"), entry["pinnedVersion"], known)


def _field(b: Builder, at: KeyPath, tool: dict[str, Any], tool_id: str, value: Any,
           rename: str) -> None:
    target, convert = _FIELDS[str(at[-1])]
    try:
        converted, note = convert(b, at, value)
    except Unfit as why:
        b.carry(at, value, join(f"{why}: kept as written", rename))
        return
    if target in _REQUIRED_LIST and not converted:
        b.carry(at, value, join("empty: the default is used (the tool id, or the known AI "
                                "CLI's command)", rename))
        return
    tool[target] = converted
    b.fate(at, MAPPED, f"tools.{tool_id}.{target}", join(note, rename))


def _install(b: Builder, where: KeyPath, tool: dict[str, Any],
             known: tuple[str, str, dict[str, Any]]) -> None:
    package, manager, _entry = known
    if package in managed(b.data, manager):
        tool["install"] = {"manager": manager, "package": package}
        b.annotate(where, f"a known AI CLI: installed as {manager} package {package!r}")
    else:
        b.annotate(where, f"a known AI CLI ({manager} package {package!r}), but the "
                          f"environment does not manage that package: no install")


def tool_pin(b: Builder, path: KeyPath, value: Any,
             known: tuple[str, str, dict[str, Any]] | None) -> None:
    """A tool's ``pinnedVersion``: a pin on its package when that is known and managed."""
    if value is None:
        b.carry(path, value, "null: the tool has no pin; kept")
        return
    if not isinstance(value, str):
        raise b.wrong(path, value, "a version string or null")
    if known is None:
        b.carry(path, value, "the tool is no known AI CLI, so its package (which a pin "
                             "names) is not known; kept")
        return
    package, manager, _entry = known
    target = ("pins", manager, package)
    have = b.data.get("pins", {}).get(manager, {}).get(package)
    why = pin_problem(manager, value)
    if package not in managed(b.data, manager) or why:
        reason = why and f"{value!r} {why}"
        b.carry(path, value, reason or f"{package!r} is not a managed {manager} package "
                             f"(add it to packages.{manager} to pin it); kept")
    elif have is None:
        b.mapped(path, target, value, f"the pin of {manager} package {package!r}")
    elif have == value:
        b.fate(path, MERGED, ".".join(target),
               f"the same pin as environment.versionPins.{manager}.{package}")
    else:
        b.carry(path, value, f"disagrees with environment.versionPins.{manager}.{package} "
                             f"({have!r}), which is kept as the pin; kept")


def _resolve(name: Any, ids: Mapping[str, str]) -> str | None:
    if not isinstance(name, str):
        return None
    registered = set(ids.values())
    found = ids.get(name) or valid_name(name)
    return found if found in registered else None


def map_capabilities(b: Builder, path: KeyPath, value: Any, ids: Mapping[str, str]) -> None:
    """Map ``registry.capabilities`` onto ``capabilities``, with chains of registered ids."""
    caps = b.obj(path, value)
    names = assign_names(list(caps))
    for raw, entry in caps.items():
        at = (*path, raw)
        _capability(b, at, names[raw], b.obj(at, entry), ids)


def _capability(b: Builder, path: KeyPath, name: str, entry: Mapping[str, Any],
                ids: Mapping[str, str]) -> None:
    rename = renamed(str(path[-1]), name, "capability")
    primary = entry.get("primaryTool")
    if primary is not None and not isinstance(primary, str):
        raise b.wrong((*path, "primaryTool"), primary, "a tool id")
    fallbacks, note = as_strings(b, (*path, "fallbacks"), entry.get("fallbacks", []))
    wanted = ([primary] if primary else []) + fallbacks
    chain = list(dict.fromkeys(t for t in map(lambda n: _resolve(n, ids), wanted) if t))
    lost = [n for n in fallbacks if _resolve(n, ids) is None]
    for key, item in entry.items():
        at = (*path, key)
        if not chain and key in ("primaryTool", "fallbacks"):
            b.carry(at, item, join(f"the chain names no registered tool ({_NOT_REGISTERED})",
                                   rename))
        elif key == "primaryTool":
            _primary_fate(b, at, name, item, chain, ids, rename)
        elif key == "fallbacks":
            gone = "dropped from the chain: " + ", ".join(map(repr, lost)) + \
                f" (no such tool in registry.tools; {_NOT_REGISTERED})" if lost else ""
            b.fate(at, MAPPED, f"capabilities.{name}.fallback", join(note, gone, rename))
        else:
            b.carry(at, item, join(UNKNOWN, rename))
    if chain:
        put(b.data, ("capabilities", name), {"primary": chain[0], "fallback": chain[1:]})


def _primary_fate(b: Builder, at: KeyPath, name: str, primary: str, chain: list[str],
                  ids: Mapping[str, str], rename: str) -> None:
    if _resolve(primary, ids) == chain[0]:
        b.fate(at, MAPPED, f"capabilities.{name}.primary", rename)
        return
    b.fate(at, DROPPED, "", join(f"no tool {primary!r} in registry.tools ({_NOT_REGISTERED}): "
                                 f"{chain[0]!r}, the first registered fallback, is primary",
                                 rename))


def derive_chains(b: Builder, tools_path: KeyPath, ids: Mapping[str, str]) -> None:
    """A chain for each capability that tools list but ``registry.capabilities`` has none
    for: the tools that list it, in the registry's order."""
    caps: dict[str, Any] = b.data.get("capabilities", {})
    offered: dict[str, list[str]] = {}
    for tool_id in ids.values():
        for cap in b.data["tools"][tool_id].get("capabilities", []):
            if cap not in caps:
                offered.setdefault(cap, []).append(tool_id)
    for cap, chain in offered.items():
        put(b.data, ("capabilities", cap), {"primary": chain[0], "fallback": chain[1:]})
        for raw, tool_id in ids.items():
            if tool_id in chain:
                b.annotate((*tools_path, raw, "capabilities"),
                           f"capabilities.{cap} made from the tools that list it "
                           f"({', '.join(chain)}): registry.capabilities has no chain for it")

