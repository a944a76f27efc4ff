"""Find and read an AI_MANGER install: ``AI_MANGER/config/toolstack.config.json``.

The file may be UTF-8 (with or without BOM) or UTF-16, with CRLF or LF.  Known keys are
type-checked against ``schemas/legacy_toolstack.schema.json``; keys AIM+ does not know are
kept and reported (never dropped silently).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aim.errors import InputError, NotFound
from aim.legacy.textfile import DecodedText, read_json
from aim.resources import load_schema
from aim.yamlio import format_path

CONFIG_RELATIVE = Path("config") / "toolstack.config.json"
DEFAULT_DIR = "AI_MANGER"


@dataclass(frozen=True)
class LegacyInstall:
    """A read, type-checked legacy config."""

    dir: Path
    config_path: Path
    config: Mapping[str, Any]
    stored: DecodedText
    unknown_keys: tuple[str, ...]


def find_config(root: Path, legacy: str | None = None) -> Path:
    """The legacy config file under ``root`` (or at/under ``legacy``); NotFound says where
    it looked."""
    base = root / (legacy or DEFAULT_DIR)  # an absolute --legacy replaces the root
    candidates = [base] if base.is_file() else [base / CONFIG_RELATIVE,
                                                base / CONFIG_RELATIVE.name]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise NotFound(f"no AI_MANGER config found: looked for {candidates[0]}; give the legacy "
                   "folder with --legacy DIR")


def _known_paths(schema: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> Iterator[str]:
    for key, sub in schema.get("properties", {}).items():
        yield format_path((*prefix, key))
        yield from _known_paths(sub, (*prefix, key))


def unknown_keys(config: Mapping[str, Any]) -> list[str]:
    """Key paths in ``config`` that the migration does not know (reported, kept)."""
    schema = load_schema("legacy_toolstack.schema.json")
    known = set(_known_paths(schema))
    found: list[str] = []

    def walk(node: Mapping[str, Any], prefix: tuple[str, ...], open_map: bool) -> None:
        for key, value in node.items():
            path = format_path((*prefix, key))
            if path not in known and not open_map:
                found.append(path)
                continue
            child_schema = _schema_at(schema, (*prefix, key))
            if isinstance(value, dict) and child_schema is not None:
                walk(value, (*prefix, key), "additionalProperties" in child_schema)

    walk(config, (), False)
    return found


def _schema_at(schema: Mapping[str, Any], path: tuple[str, ...]) -> Mapping[str, Any] | None:
    node: Mapping[str, Any] | None = schema
    for key in path:
        if node is None:
            return None
        node = node.get("properties", {}).get(key)
        if node is not None and "$ref" in node:  # only local "#/$defs/NAME" references
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


def check_types(config: Any, source: Path) -> None:
    """InputError naming each known key whose value has the wrong type."""
    from jsonschema import Draft202012Validator

    from aim.workflow.schema_errors import explain

    if not isinstance(config, dict):
        raise InputError(f"{source}: the legacy config must be a JSON object")
    validator = Draft202012Validator(load_schema("legacy_toolstack.schema.json"))
    problems = [f"{format_path(where)}: {message}" for error in validator.iter_errors(config)
                for where, message in explain(error)]
    if problems:
        raise InputError(f"{source}: " + "; ".join(sorted(problems)[:8]) + ". Fix these keys "
                         "in the legacy config and run again; nothing was changed")


def read_legacy(root: Path, legacy: str | None = None) -> LegacyInstall:
    """Read and type-check the legacy install of the workspace ``root``."""
    path = find_config(root, legacy)
    config, stored = read_json(path, "the AI_MANGER config")
    check_types(config, path)
    legacy_dir = path.parent.parent if path.parent.name == "config" else path.parent
    return LegacyInstall(legacy_dir, path, config, stored, tuple(unknown_keys(config)))
