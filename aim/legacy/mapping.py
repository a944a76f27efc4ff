"""Map a legacy AI_MANGER config onto ``aim_config.json`` data, losing nothing.

:data:`ROWS` is the whole mapping, one row per legacy key: where its value goes and how it is
converted, or (``target`` None) that it is carried verbatim under ``legacy.carried`` because
this format has no place for it.  Keys no row names are carried too.  A value the legacy tool
accepted but aim_config.json cannot hold (an unknown manager, an invalid pin, a wrong type) is
carried instead of stopping the migration (:mod:`aim.legacy.fitting`).  Every key path ends
with one :class:`~aim.legacy.fates.KeyFate`, the rows of the migration report.  Values are kept
as written (Windows paths, npm ranges such as ``^2.0.31``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aim.legacy.fates import DROPPED, MAPPED, KeyFate, SourceMap
from aim.legacy.fitting import ABSENT, carry, dedupe_lists, fit_to_schema, get_path, put_path
from aim.legacy.hostile import Rejected, screen_packages, screen_secrets
from aim.legacy.known_tools import registry_for
from aim.yamlio import KeyPath

Convert = Callable[[Any], Any]
Screen = Callable[[Any], tuple[Any, Rejected]]  # the converted value → (kept, dropped)
GENERATION = "AI_MANGER"

# The order of the top-level sections in a written aim_config.json.
KEY_ORDER = ("version", "paths", "tools", "capabilities", "packages", "pins", "health", "scan",
             "master_bin", "audit", "redaction", "secrets", "reports_dir", "logging", "deploy",
             "legacy")

# PowerShell's level names (Write-Verbose, Information stream) → AIM+'s.
_LEVELS = {"verbose": "debug", "debug": "debug", "trace": "debug", "information": "info",
           "info": "info", "warning": "warning", "warn": "warning", "error": "error",
           "critical": "error", "fatal": "error"}
_MB = 1024 * 1024


def _same(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def _strings(value: Any) -> Any:
    """A list of strings; one string alone is a list of one, as PowerShell reads it."""
    return [value] if isinstance(value, str) else _same(value)


def _level(value: Any) -> Any:
    return _LEVELS.get(value.lower(), value) if isinstance(value, str) else value


def _notify(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    names = {"Toast": "toast", "WriteJson": "write_json", "WebhookUrl": "webhook_url"}
    return {names.get(key, key): item for key, item in value.items()}


def _secrets(env_map: Any) -> Any:
    if not isinstance(env_map, Mapping):
        return env_map
    return {env: {"env": env, "legacy_name": name} for env, name in env_map.items()}


def _rotation(log_files: Any) -> Any:
    """The audit trail's rotation from the legacy log files: the largest size and count."""
    entries = [e for e in log_files if isinstance(e, Mapping)] if isinstance(log_files, list) \
        else []
    sizes = [e["MaxSizeMB"] for e in entries if isinstance(e.get("MaxSizeMB"), int | float)]
    counts = [e["MaxFiles"] for e in entries if isinstance(e.get("MaxFiles"), int)]
    rotation: dict[str, Any] = {}
    if sizes:
        rotation["max_bytes"] = int(max(sizes) * _MB)
    if counts:
        rotation["keep"] = max(counts)
    return rotation or log_files


@dataclass(frozen=True)
class Row:
    """One legacy key and its place in aim_config.json (None: carried, for ``note``)."""

    legacy: tuple[str, ...]
    target: tuple[str, ...] | None
    convert: Convert = _same
    note: str = ""
    screen: Screen | None = None  # drops entries that must never be used (aim.legacy.hostile)


ROWS: tuple[Row, ...] = (
    Row(("PipxApps",), ("packages", "pipx"), _strings, "managed pipx packages", screen_packages),
    Row(("NpmGlobal",), ("packages", "npm"), _strings, "managed global npm packages",
        screen_packages),
    Row(("CopilotPkgs",), ("packages", "npm"), _strings, "npm packages, merged with NpmGlobal",
        screen_packages),
    Row(("Pins", "pipx"), ("pins", "pipx"), note="PEP 440 versions or specifiers"),
    Row(("Pins", "npm"), ("pins", "npm"), note="npm semver, ranges kept (^2.0.31)"),
    Row(("ToolsRoot",), ("paths", "tools_root")),
    Row(("CentralCache",), ("paths", "central_cache")),
    Row(("WatchRoots",), ("paths", "watch_roots"), _strings),
    Row(("Scan", "Roots"), ("scan", "roots"), _strings),
    Row(("Scan", "AllowCentral"), ("scan", "allow_central"), _strings),
    Row(("Scan", "Patterns"), ("scan", "cache_patterns"), _strings),
    Row(("Scan", "MinSizeKBForHash"), ("scan", "min_size_kb")),
    Row(("MasterBin", "Enable"), ("master_bin", "enabled")),
    Row(("MasterBin", "Path"), ("master_bin", "path")),
    Row(("MasterBin", "Sources"), ("master_bin", "sources"), _strings),
    Row(("MasterBin", "Priority"), ("master_bin", "priority"), _strings),
    Row(("MasterBin", "DenyList"), ("master_bin", "deny"), _strings),
    Row(("Audit", "AllowRoots"), ("audit", "allow_roots"), _strings),
    Row(("Audit", "Notify"), ("audit", "notify"), _notify, "keys lower-cased"),
    Row(("Audit", "TaskName"), ("audit", "task_name")),
    Row(("Observability", "LogFiles"), ("audit",), _rotation,
        "the largest MaxSizeMB → audit.max_bytes, the largest MaxFiles → audit.keep"),
    Row(("Observability", "Redaction", "SensitivePatterns"), ("redaction", "patterns"),
        _strings, "masked in every output, like secret values"),
    Row(("Observability", "Redaction", "Enabled"), ("redaction", "enabled")),
    Row(("Secrets", "EnvMap"), ("secrets",), _secrets,
        "names only; values go to the keyring", screen_secrets),
    Row(("Secrets", "VaultPath"), ("legacy", "vault_path"), note="read by the migration"),
    Row(("reportsDir",), ("reports_dir",)),
    Row(("Reports", "Dir"), ("legacy", "reports_dir"), note="the old reports folder"),
    Row(("logging", "level"), ("logging", "level"), _level,
        "PowerShell names: Verbose → debug, Information → info"),
    Row(("tasks",), None, note="AI_MANGER's InvokeBuild task switches; AIM+ has no such tasks"),
    Row(("BuildWrappers",), None, note="build.ps1 wrappers are AI_MANGER's own"),
    Row(("Observability", "LogFiles"), None, note="the log file paths, kept with the rotation"),
    Row(("Observability", "HealthScanIntervalMinutes"), None,
        note="AIM+ checks health when asked (aim health); no scheduler"),
    Row(("Observability", "TelemetryUrl"), None, note="AIM+ sends no telemetry"),
)


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


def map_legacy(config: Mapping[str, Any], source: str) -> SourceMap:
    """aim_config.json data for the legacy ``config`` (read from ``source``), and each key's
    fate.  Never fails on a value: what does not fit is carried and said so."""
    data: dict[str, Any] = {"version": 1}
    fates: list[KeyFate] = []
    carried: dict[str, Any] = {}
    for row in ROWS:
        value = get_path(config, row.legacy)
        if value is ABSENT:
            continue
        key = ".".join(row.legacy)
        if row.target is None:
            fates.append(carry(carried, source, key, value, row.note))
            continue
        converted, dropped = _screened(row, source, key, row.convert(value))
        fates += dropped
        if converted or not dropped:
            put_path(data, row.target, converted)
            fates.append(KeyFate(source, key, MAPPED, ".".join(row.target), row.note))
    for key, value in _leftovers(config).items():
        fates.append(carry(carried, source, key, value, "a key AIM+ does not know; kept"))
    legacy = data.setdefault("legacy", {})
    legacy["source"] = source
    legacy["carried"] = {source: carried}
    fates += dedupe_lists(data, source, _origin_of)
    fates = fit_to_schema(data, source, fates, carried, _origin_of)
    if not carried:
        del legacy["carried"]
    tools, capabilities = registry_for(data.get("packages", {}))
    if tools:
        data["tools"], data["capabilities"] = tools, capabilities
    ordered = {key: data[key] for key in KEY_ORDER if key in data}
    return SourceMap(source, GENERATION, ordered, tuple(fates), tuple(tools))


def _screened(row: Row, source: str, key: str, value: Any) -> tuple[Any, list[KeyFate]]:
    """``value`` without what ``row.screen`` refuses, and a ``dropped`` fate for each."""
    if row.screen is None:
        return value, []
    kept, rejected = row.screen(value)
    fates = [KeyFate(source, f"{key}[{at}]" if isinstance(at, int) else f"{key}.{at}",
                     DROPPED, "", why) for at, why in rejected]
    return kept, fates


def _origin_of(target: KeyPath) -> list[tuple[tuple[str, ...], int]]:
    """The legacy keys a target path may have come from, the most specific row first."""
    found = [(row.legacy, len(row.target)) for row in ROWS if row.target is not None
             and tuple(target[: len(row.target)]) == row.target]
    return sorted(found, key=lambda item: -item[1])
