"""Map a legacy AI_MANGER config onto ``aim_config.json`` data.

:data:`ROWS` is the whole mapping, one row per legacy key: where its value goes and how it is
converted.  Known AI CLIs among the package lists become registry tools with capabilities;
keys the mapping does not use are kept under ``legacy.unmapped`` and reported, never dropped.
Values are kept as written (Windows paths, npm ranges such as ``^2.0.31``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aim.legacy.known_tools import preference, tool_for
from aim.legacy.pins import check_pins

Convert = Callable[[Any], Any]

# The order of the top-level sections in a written aim_config.json.
KEY_ORDER = ("version", "paths", "tools", "capabilities", "packages", "pins", "health", "scan",
             "master_bin", "audit", "secrets", "reports_dir", "logging", "deploy", "legacy")


def _same(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def _notify(value: Mapping[str, Any]) -> dict[str, Any]:
    names = {"Toast": "toast", "WriteJson": "write_json", "WebhookUrl": "webhook_url"}
    return {names.get(key, key): item for key, item in value.items()}


def _secrets(env_map: Mapping[str, str]) -> dict[str, Any]:
    return {env: {"env": env, "legacy_name": name} for env, name in env_map.items()}


@dataclass(frozen=True)
class Row:
    """One legacy key and its place in aim_config.json."""

    legacy: tuple[str, ...]
    target: tuple[str, ...]
    convert: Convert = _same
    note: str = ""


ROWS: tuple[Row, ...] = (
    Row(("PipxApps",), ("packages", "pipx"), note="managed pipx packages"),
    Row(("NpmGlobal",), ("packages", "npm"), note="managed global npm packages"),
    Row(("CopilotPkgs",), ("packages", "npm"), note="npm packages, merged with NpmGlobal"),
    Row(("Pins", "pipx"), ("pins", "pipx"), note="PEP 440 versions or specifiers"),
    Row(("Pins", "npm"), ("pins", "npm"), note="npm semver, ranges kept (^2.0.31)"),
    Row(("ToolsRoot",), ("paths", "tools_root")),
    Row(("CentralCache",), ("paths", "central_cache")),
    Row(("WatchRoots",), ("paths", "watch_roots")),
    Row(("Scan", "Roots"), ("scan", "roots")),
    Row(("Scan", "AllowCentral"), ("scan", "allow_central")),
    Row(("Scan", "Patterns"), ("scan", "cache_patterns")),
    Row(("Scan", "MinSizeKBForHash"), ("scan", "min_size_kb")),
    Row(("MasterBin", "Enable"), ("master_bin", "enabled")),
    Row(("MasterBin", "Path"), ("master_bin", "path")),
    Row(("MasterBin", "Sources"), ("master_bin", "sources")),
    Row(("MasterBin", "Priority"), ("master_bin", "priority")),
    Row(("MasterBin", "DenyList"), ("master_bin", "deny")),
    Row(("Audit", "AllowRoots"), ("audit", "allow_roots")),
    Row(("Audit", "Notify"), ("audit", "notify"), _notify, "keys lower-cased"),
    Row(("Audit", "TaskName"), ("audit", "task_name")),
    Row(("Secrets", "EnvMap"), ("secrets",), _secrets,
        "names only; values go to the keyring"),
    Row(("Secrets", "VaultPath"), ("legacy", "vault_path"), note="read by the migration"),
    Row(("reportsDir",), ("reports_dir",)),
    Row(("Reports", "Dir"), ("legacy", "reports_dir"), note="the old reports folder"),
    Row(("logging", "level"), ("logging", "level")),
)


@dataclass(frozen=True)
class Mapped:
    """The aim_config.json data made from a legacy config, and what was not mapped."""

    data: dict[str, Any]
    mapped: tuple[tuple[str, str], ...]  # (legacy key path, target key path)
    unmapped: tuple[str, ...]
    tools: tuple[str, ...]


def _get(node: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def _put(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    old = node.get(path[-1])
    if isinstance(old, list) and isinstance(value, list):
        value = old + [item for item in value if item not in old]
    node[path[-1]] = value


def _leftovers(config: Mapping[str, Any]) -> dict[str, Any]:
    """Legacy keys (at any depth) that no row reads."""
    used = {row.legacy for row in ROWS}
    left: dict[str, Any] = {}

    def walk(node: Mapping[str, Any], prefix: tuple[str, ...]) -> None:
        for key, value in node.items():
            path = (*prefix, key)
            if path in used:
                continue
            if isinstance(value, Mapping) and any(p[: len(path)] == path for p in used):
                walk(value, path)
            else:
                left[".".join(path)] = value

    walk(config, ())
    return left


def _registry(packages: Mapping[str, list[str]]) -> tuple[dict[str, Any], dict[str, Any]]:
    tools: dict[str, Any] = {}
    for manager, names in packages.items():
        for package in names:
            found = tool_for(package, manager)
            if found:
                tools[found[0]] = found[1]
    offered: dict[str, list[str]] = {}
    for tool_id in sorted(tools, key=preference):
        for capability in tools[tool_id]["capabilities"]:
            offered.setdefault(capability, []).append(tool_id)
    capabilities = {name: {"primary": chain[0], "fallback": chain[1:]}
                    for name, chain in sorted(offered.items())}
    return tools, capabilities


def map_legacy(config: Mapping[str, Any], source: str) -> Mapped:
    """aim_config.json data for the legacy ``config`` (read from ``source``).

    Raises InputError for pins that are not valid versions or ranges.
    """
    check_pins(config.get("Pins") or {}, source)
    data: dict[str, Any] = {"version": 1}
    mapped = []
    for row in ROWS:
        value = _get(config, row.legacy)
        if value is None:
            continue
        _put(data, row.target, row.convert(value))
        mapped.append((".".join(row.legacy), ".".join(row.target)))
    tools, capabilities = _registry(data.get("packages", {}))
    if tools:
        data["tools"], data["capabilities"] = tools, capabilities
    unmapped = _leftovers(config)
    legacy = data.setdefault("legacy", {})
    legacy["source"] = source
    if unmapped:
        legacy["unmapped"] = unmapped
    ordered = {key: data[key] for key in KEY_ORDER if key in data}
    return Mapped(ordered, tuple(mapped), tuple(unmapped), tuple(tools))
