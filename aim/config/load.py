"""Load ``aim_config.json``: read, parse with line numbers, validate, build the frozen model.

Every load validates (schema, references, no secret values); every error is a
``file:line: key.path: what is wrong and how to fix it`` line.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aim import redact
from aim.config.build import build_config
from aim.config.jsonsource import read_json
from aim.config.model import AimConfig
from aim.config.validate import validate_data
from aim.errors import ConfigError
from aim.frozen import thaw
from aim.resources import shipped_dir
from aim.workspace import Workspace

CONFIG_NAME = "aim_config.json"
MAX_REPORTED = 12


def config_path(ws: Workspace) -> Path:
    """Where the workspace's config lives: ``<root>/aim_config.json``."""
    return ws.root / CONFIG_NAME


def default_path() -> Path:
    """The shipped default config (the repository's own ``aim_config.json``)."""
    return shipped_dir("schemas").parent / CONFIG_NAME


def raise_problems(messages: list[str]) -> None:
    """Raise one ConfigError listing ``messages`` (at most MAX_REPORTED), if there are any."""
    if not messages:
        return
    shown = messages[:MAX_REPORTED]
    more = len(messages) - len(shown)
    raise ConfigError("\n".join([*shown, *([f"(and {more} more)"] if more else [])]))


def _missing(path: Path) -> ConfigError:
    return ConfigError(f"{path}: no config file here; create one with 'aim config.init' (the "
                       "shipped default) or 'aim migrate' (from an AI_MANGER install), or "
                       "give the workspace with --root")


def _read(path: Path) -> tuple[dict[str, Any], Any]:
    if not path.is_file():
        raise _missing(path)
    data, lines = read_json(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: the file must hold a JSON object with at least "
                          '"version": 1 (see docs/config.md)')
    return data, lines


def load_data(path: Path) -> dict[str, Any]:
    """The raw JSON object of ``path`` (key order kept), parsed but not validated."""
    return _read(path)[0]


def from_data(data: Mapping[str, Any], source: str = "<config data>") -> AimConfig:
    """Validate ``data`` and build the frozen config (no I/O); ConfigError lists the problems."""
    raise_problems(validate_data(data, source))
    return build_config(data)


def load_file(path: Path) -> AimConfig:
    """Read, validate and build the config at ``path``; its redaction patterns apply from now
    on to every output of this process."""
    data, lines = _read(path)
    raise_problems(validate_data(data, str(path), lines))
    config = build_config(data)
    if config.redaction.enabled and config.redaction.patterns:
        redact.register_patterns(config.redaction.patterns)
    return config


def load_config(ws: Workspace) -> AimConfig:
    """The workspace's validated config; ConfigError names file, line, key path and fix."""
    return load_file(config_path(ws))


def default_data() -> dict[str, Any]:
    """The shipped default config, as JSON data (key order kept)."""
    return load_data(default_path())


def to_data(config: AimConfig) -> dict[str, Any]:
    """A plain, mutable deep copy of the config's JSON data (for editing and writing back)."""
    data: dict[str, Any] = thaw(config.data)
    return data
