"""Map the first-generation AIM+ configs onto aim_config.json data, losing nothing.

One :class:`~aim.legacy.fates.SourceMap` per file, with one fate for every key path of it: the
rows below say where each known key goes (the registry is :mod:`aim.legacy.firstgen_registry`'s);
a key with no place in aim_config.json, and any key AIM+ does not know, is carried verbatim
under ``legacy.carried.<source file>.<key path>``.  Values are kept as written (Windows paths,
``%USERPROFILE%``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aim.legacy.fates import DROPPED, SourceMap
from aim.legacy.firstgen import FirstGenFile, find_firstgen, read_firstgen
from aim.legacy.firstgen_build import (
    UNKNOWN,
    Builder,
    Unfit,
    as_count,
    as_seconds,
    as_strings,
    as_text,
    join,
    managed,
    pin_problem,
)
from aim.legacy.firstgen_registry import derive_chains, map_capabilities, map_tools
from aim.legacy.hostile import screen_packages
from aim.legacy.mapping import KEY_ORDER
from aim.yamlio import KeyPath

GENERATION_JSON, GENERATION_YAML = "AIM+ v1 (JSON)", "AIM+ v1 (YAML)"
Convert = Callable[[Builder, KeyPath, Any], tuple[Any, str]]
MANAGERS = ("pipx", "npm", "pnpm", "uv", "winget")  # as aim_config.json's packages and pins


@dataclass(frozen=True)
class Row:
    """Where one first-generation key goes (``target`` None: carried, for ``note``)."""

    target: tuple[str, ...] | None
    convert: Convert = as_text
    note: str = ""


JSON_ROWS: dict[KeyPath, Row] = {
    ("$schema",): Row(None, note="the first-generation schema; aim_config.json is checked "
                      "against schemas/aim_config.schema.json; kept"),
    ("version",): Row(None, note="the first-generation format version; aim_config.json is "
                      "version 1; kept"),
    ("registry", "crossToolRulesPath"): Row(None, note="AIM+ has no cross-tool rules (a "
                                            "capability's chain decides); the rules file is "
                                            "left where it is; kept"),
    ("environment", "toolsRoot"): Row(("paths", "tools_root")),
    ("environment", "centralCache"): Row(("paths", "central_cache")),
    ("environment", "pipxApps"): Row(("packages", "pipx"), as_strings, "managed pipx packages"),
    ("environment", "npmGlobal"): Row(("packages", "npm"), as_strings,
                                      "managed global npm packages"),
    ("environment", "secretsVault"): Row(("legacy", "vault_path"), note="the legacy secret "
                                         "vault, read by the migration"),
    ("environment", "healthChecks", "enabled"): Row(None, note="AIM+ runs its health checks "
                                                    "when asked (aim health, aim validate); "
                                                    "kept"),
    ("environment", "healthChecks", "requiredCommands"): Row(("health", "required_commands"),
                                                             as_strings),
    ("environment", "healthChecks", "requiredPaths"): Row(("health", "required_paths"),
                                                          as_strings),
    ("environment", "scanner", "roots"): Row(("scan", "roots"), as_strings),
    ("environment", "scanner", "cachePatterns"): Row(("scan", "cache_patterns"), as_strings),
    ("environment", "scanner", "minSizeKB"): Row(("scan", "min_size_kb"), as_count),
    ("audit", "enabled"): Row(None, note="AIM+ always keeps its audit trail; kept"),
    ("audit", "logPath"): Row(None, note="AIM+ keeps its audit trail in .aim/audit.jsonl; "
                              "kept"),
    ("audit", "events"): Row(None, note="AIM+ records its own event types (see aim audit); "
                             "kept"),
}
JSON_OBJECTS: set[KeyPath] = {("registry",), ("environment",), ("environment", "healthChecks"),
                ("environment", "scanner"), ("audit",)}
# Handled after the rest of the file, which gives the packages they refer to.
JSON_LATER: tuple[KeyPath, ...] = (("environment", "versionPins"), ("registry", "tools"),
              ("registry", "capabilities"))

YAML_ROWS: dict[KeyPath, Row] = {
    ("enable_aim",): Row(None, note="AIM+ has no on/off switch: it acts when a task is run; "
                         "kept"),
    ("enable_audit_logging",): Row(None, note="AIM+ always keeps its audit trail "
                                   "(.aim/audit.jsonl); kept"),
    ("audit_log_retention_days",): Row(None, note="AIM+ rotates its audit trail by size "
                                       "(audit.max_bytes, audit.keep), not by age; kept"),
    ("default_timeout_ms",): Row(("health", "check_timeout"), as_seconds),
    ("registry_path",): Row(None, note="where the first-generation registry is; it is read "
                            "from there; kept"),
}


def _apply(b: Builder, path: KeyPath, value: Any, row: Row) -> None:
    if row.target is None:
        b.carry(path, value, row.note)
        return
    if row.target[0] == "packages":
        value = _screened_packages(b, path, value)
        if value is None:
            return
    try:
        converted, how = row.convert(b, path, value)
    except Unfit as why:
        b.carry(path, value, f"{why}: aim_config.json cannot hold it as it is; kept as written")
        return
    b.mapped(path, row.target, converted, join(row.note, how))


def _screened_packages(b: Builder, path: KeyPath, value: Any) -> Any:
    """``value`` without the entries an installer must not get, each dropped with its fate;
    None when nothing is left of it."""
    kept, rejected = screen_packages([value] if isinstance(value, str) else value)
    for index, why in rejected:
        b.fate(path if isinstance(value, str) else (*path, index), DROPPED, note=why)
    if rejected and not kept:
        return None
    return value if isinstance(value, str) else kept


def _walk(b: Builder, node: dict[str, Any], prefix: KeyPath, rows: dict[KeyPath, Row],
          objects: set[KeyPath], later: dict[KeyPath, Any]) -> None:
    """Map every key of ``node`` by ``rows``; carry the rest; keep ``later`` keys for later."""
    for key, value in node.items():
        path = (*prefix, key)
        if path in JSON_LATER:
            later[path] = value
        elif path in objects:
            _walk(b, b.obj(path, value), path, rows, objects, later)
        elif path in rows:
            _apply(b, path, value, rows[path])
        else:
            b.carry(path, value, UNKNOWN)


def _env_pin(b: Builder, path: KeyPath, manager: str, package: str, spec: Any) -> None:
    if not isinstance(spec, str):
        raise b.wrong(path, spec, "a version string")
    why = pin_problem(manager, spec)
    if why:
        b.carry(path, spec, f"{spec!r} {why}; kept as written")
    elif package not in managed(b.data, manager):
        b.carry(path, spec, f"pins {package!r}, which is not a managed {manager} package "
                            f"(add it to packages.{manager} to use the pin); kept")
    else:
        b.mapped(path, ("pins", manager, package), spec)


def _version_pins(b: Builder, path: KeyPath, value: Any) -> None:
    for manager, pins in b.obj(path, value).items():
        at = (*path, manager)
        if manager not in MANAGERS:
            b.carry(at, pins, f"{manager!r} is no package manager of aim_config.json "
                              f"({', '.join(MANAGERS)}); kept")
            continue
        for package, spec in b.obj(at, pins).items():
            _env_pin(b, (*at, package), manager, package, spec)


def _registry(b: Builder, later: dict[KeyPath, Any]) -> tuple[str, ...]:
    tools_at, caps_at = ("registry", "tools"), ("registry", "capabilities")
    ids = map_tools(b, tools_at, later[tools_at]) if tools_at in later else {}
    if caps_at in later:
        map_capabilities(b, caps_at, later[caps_at], ids)
    if ids:
        derive_chains(b, tools_at, ids)
    return tuple(ids.values())


def _finish(b: Builder, generation: str, tools: tuple[str, ...] = ()) -> SourceMap:
    source = b.file.source
    legacy = b.data.setdefault("legacy", {})
    legacy["source"] = source
    if b.carried:
        legacy["carried"] = {source: b.carried}
    ordered = {key: b.data[key] for key in KEY_ORDER if key in b.data}
    return SourceMap(source, generation, ordered, b.fates(), tools)


def map_registry_file(file: FirstGenFile) -> SourceMap:
    """aim_config.json data from a first-generation ``aim/config/aim_config.json``."""
    b = Builder(file)
    later: dict[KeyPath, Any] = {}
    _walk(b, dict(file.data), (), JSON_ROWS, JSON_OBJECTS, later)
    pins_at = ("environment", "versionPins")
    if pins_at in later:
        _version_pins(b, pins_at, later[pins_at])
    return _finish(b, GENERATION_JSON, _registry(b, later))


def map_settings_file(file: FirstGenFile) -> SourceMap:
    """aim_config.json data from a first-generation ``config/aim_config.yaml``."""
    b = Builder(file)
    _walk(b, dict(file.data), (), YAML_ROWS, set(), {})
    return _finish(b, GENERATION_YAML)


def map_firstgen(root: Path) -> list[SourceMap]:
    """One SourceMap per first-generation file of the workspace ``root`` (the YAML settings
    first, then the JSON registry); empty when it has none.  InputError, naming file, line and
    key path, when a file cannot be parsed or a key has the wrong type."""
    maps = []
    for path in find_firstgen(root):
        file = read_firstgen(path, root)
        maps.append(map_registry_file(file) if file.kind == "json" else map_settings_file(file))
    return maps
