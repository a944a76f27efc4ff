"""Turn validated aim_config.json data into the frozen :class:`AimConfig` (no I/O, no checks)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from aim.config.model import (
    MANAGERS,
    AimConfig,
    AuditSettings,
    Capability,
    DeploySettings,
    HealthSettings,
    InstallSpec,
    MasterBin,
    Paths,
    RedactionSettings,
    RetentionSettings,
    ScanSettings,
    SecretRef,
    Tool,
)
from aim.frozen import freeze


def _tuples(section: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    return {key: tuple(section[key]) for key in keys if key in section}


def _tool(tool_id: str, raw: Mapping[str, Any]) -> Tool:
    install = raw.get("install")
    return Tool(
        id=tool_id, display_name=raw.get("display_name", tool_id), detect=tuple(raw["detect"]),
        version_command=tuple(raw["version_command"]),
        config_paths=tuple(raw.get("config_paths", ())),
        capabilities=tuple(raw.get("capabilities", ())),
        install=InstallSpec(install["manager"], install["package"]) if install else None,
    )


def _settings(data: Mapping[str, Any]) -> dict[str, Any]:
    health, scan = data.get("health", {}), data.get("scan", {})
    master, audit = data.get("master_bin", {}), data.get("audit", {})
    audit_rest = {k: audit[k] for k in ("max_bytes", "keep", "task_name") if k in audit}
    return {
        "health": HealthSettings(
            **_tuples(health, "required_commands", "required_paths"),
            **{k: health[k] for k in ("check_timeout", "min_free_mb", "concurrency")
               if k in health}),
        "scan": ScanSettings(
            **_tuples(scan, "roots", "cache_patterns", "allow_central"),
            **{k: scan[k] for k in ("min_size_kb", "max_depth", "time_budget") if k in scan}),
        "master_bin": MasterBin(
            **_tuples(master, "sources", "priority", "deny"),
            **{k: master[k] for k in ("enabled", "path") if k in master}),
        "audit": AuditSettings(
            **_tuples(audit, "allow_roots"), notify=freeze(audit.get("notify", {})),
            **audit_rest),
        "redaction": RedactionSettings(
            **_tuples(data.get("redaction", {}), "patterns"),
            **{k: v for k, v in data.get("redaction", {}).items() if k == "enabled"}),
    }


def build_config(data: Mapping[str, Any]) -> AimConfig:
    """The :class:`AimConfig` of schema-valid ``data`` (which is deep-copied, not kept)."""
    data = copy.deepcopy(dict(data))
    paths = data.get("paths", {})
    packages, pins = data.get("packages", {}), data.get("pins", {})
    secrets = {name: SecretRef(name, raw.get("env", name), raw.get("description", ""),
                               raw.get("legacy_name"))
               for name, raw in data.get("secrets", {}).items()}
    return AimConfig(
        version=data["version"],
        paths=Paths(paths.get("tools_root"), paths.get("central_cache"),
                    tuple(paths.get("watch_roots", ()))),
        tools=MappingProxyType({k: _tool(k, v) for k, v in data.get("tools", {}).items()}),
        capabilities=MappingProxyType({
            name: Capability(name, raw["primary"], tuple(raw.get("fallback", ())))
            for name, raw in data.get("capabilities", {}).items()}),
        packages=MappingProxyType({m: tuple(packages.get(m, ())) for m in MANAGERS}),
        pins=MappingProxyType({m: MappingProxyType(dict(pins.get(m, {}))) for m in MANAGERS}),
        **_settings(data),
        secrets=MappingProxyType(secrets),
        reports_dir=data.get("reports_dir", "reports"),
        log_level=data.get("logging", {}).get("level", "info"),
        deploy=DeploySettings(data.get("deploy", {}).get("test_command")),
        legacy=freeze(data.get("legacy", {})),
        data=freeze(data),
        retention=RetentionSettings(**data.get("retention", {})),
    )
