"""The parsed ``aim_config.json``: frozen dataclasses that every AIM+ module reads.

Values are kept as written (``%USERPROFILE%\\Tools`` stays that way); expand them at use with
:func:`aim.config.expand.expand`.  A config is built from its JSON data by :func:`from_data`
after schema validation; nothing mutates it afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

MANAGERS = ("pipx", "npm", "pnpm", "uv", "winget")


@dataclass(frozen=True)
class InstallSpec:
    """How a tool is installed: by which package manager, as which package."""

    manager: str
    package: str


@dataclass(frozen=True)
class Tool:
    """One AI CLI (or other tool) in the registry."""

    id: str
    display_name: str
    detect: tuple[str, ...]  # executable names; the first found on PATH is the tool
    version_command: tuple[str, ...]  # argument list, e.g. ("aider", "--version")
    config_paths: tuple[str, ...] = ()
    capabilities: tuple[str, ...] = ()
    install: InstallSpec | None = None


@dataclass(frozen=True)
class Capability:
    """A capability (``code-edit``…) and the tools that provide it, in order of preference."""

    name: str
    primary: str
    fallback: tuple[str, ...] = ()

    @property
    def chain(self) -> tuple[str, ...]:
        return (self.primary, *self.fallback)


@dataclass(frozen=True)
class Paths:
    """Folders the tools live in (as written; expand at use)."""

    tools_root: str | None = None
    central_cache: str | None = None
    watch_roots: tuple[str, ...] = ()


@dataclass(frozen=True)
class HealthSettings:
    required_commands: tuple[str, ...] = ()
    required_paths: tuple[str, ...] = ()
    check_timeout: float = 5.0
    min_free_mb: int = 500
    concurrency: int | None = None  # checks at once; None: as many as the machine has CPUs


@dataclass(frozen=True)
class ScanSettings:
    roots: tuple[str, ...] = ()
    cache_patterns: tuple[str, ...] = ()
    allow_central: tuple[str, ...] = ()
    min_size_kb: int = 0
    max_depth: int = 8
    time_budget: float = 10.0


@dataclass(frozen=True)
class MasterBin:
    enabled: bool = False
    path: str | None = None
    sources: tuple[str, ...] = ()
    priority: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuditSettings:
    max_bytes: int = 10 * 1024 * 1024
    keep: int = 5
    allow_roots: tuple[str, ...] = ()
    notify: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    task_name: str | None = None


@dataclass(frozen=True)
class RedactionSettings:
    enabled: bool = True
    patterns: tuple[str, ...] = ()  # regular expressions masked in every output


@dataclass(frozen=True)
class SecretRef:
    """A secret's *name* (the keyring username) and the environment variable it feeds."""

    name: str
    env: str
    description: str = ""
    legacy_name: str | None = None


@dataclass(frozen=True)
class DeploySettings:
    test_command: str | None = None


@dataclass(frozen=True)
class RetentionSettings:
    """What ``aim prune`` keeps in the state folder (see aim.store.prune)."""

    keep_backups: int | None = 10  # the newest N backups; None keeps every backup
    keep_runs: int = 20  # the newest N runs, whatever their state
    prune_rollbackable: bool = False  # older runs that can still be rolled back go too


@dataclass(frozen=True)
class AimConfig:
    """The whole validated config; ``data`` is the JSON as loaded (key order kept)."""

    version: int
    paths: Paths
    tools: Mapping[str, Tool]
    capabilities: Mapping[str, Capability]
    packages: Mapping[str, tuple[str, ...]]
    pins: Mapping[str, Mapping[str, str]]
    health: HealthSettings
    scan: ScanSettings
    master_bin: MasterBin
    audit: AuditSettings
    redaction: RedactionSettings
    secrets: Mapping[str, SecretRef]
    reports_dir: str
    log_level: str
    deploy: DeploySettings
    legacy: Mapping[str, Any]
    data: Mapping[str, Any]
    retention: RetentionSettings = field(default_factory=RetentionSettings)
