"""Find and read the first-generation AIM+ configs of a workspace.

Before aim_config.json, AIM+ kept its settings in two files: ``config/aim_config.yaml`` (a few
switches, and ``registry_path``: where the tool registry is) and the registry itself,
``aim/config/aim_config.json`` (tools, capabilities, environment, audit).  Either may be UTF-8
(with or without BOM) or UTF-16, with CRLF or LF.  Reading only parses and remembers the line
of every key path; what each key becomes is :mod:`aim.legacy.firstgen_map`'s business.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from aim.config.jsonsource import parse_json
from aim.errors import InputError, UnsafePath
from aim.legacy.textfile import DecodedText, decode, read_json
from aim.limits import read_limited
from aim.workspace import inside
from aim.yamlio import KeyPath, LineMap, YamlError, format_path, parse_yaml

YAML_PATH = Path("config") / "aim_config.yaml"
JSON_PATH = Path("aim") / "config" / "aim_config.json"
_WHAT = {"json": "the first-generation AIM+ registry", "yaml": "the first-generation AIM+ "
         "settings"}
_TYPES = {dict: "an object", list: "a list", str: "a string", bool: "true or false",
          int: "a number", float: "a number", type(None): "null"}


@dataclass(frozen=True)
class FirstGenFile:
    """One parsed first-generation file, with the line of each of its key paths."""

    path: Path
    source: str  # the file relative to the workspace root, with POSIX slashes
    kind: str  # "json" | "yaml"
    data: Mapping[str, Any]
    lines: LineMap
    stored: DecodedText

    def error(self, key: KeyPath, problem: str) -> InputError:
        """An InputError naming this file, the line and key path of ``key``, and ``problem``."""
        where = format_path(key)
        return InputError(f"{self.path}:{self.lines.line(key)}: {where + ': ' if where else ''}"
                          f"{problem}. Fix it in {self.source} (or restore the file from a "
                          "backup) and run again; nothing was changed")


def type_name(value: Any) -> str:
    """How an error names the JSON/YAML type of ``value``."""
    return _TYPES.get(type(value), type(value).__name__)


def relative_source(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` (as written when outside it), with POSIX slashes."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _registry_candidate(root: Path, yaml_file: Path, registry_path: Any) -> Path | None:
    """The file ``registry_path`` names (relative to the root; Windows slashes accepted);
    UnsafePath when that file is outside the root (symlinks followed)."""
    if not isinstance(registry_path, str) or not registry_path.strip():
        return None
    parts = PureWindowsPath(registry_path).parts if "\\" in registry_path else \
        PurePosixPath(registry_path).parts
    if not parts or PureWindowsPath(registry_path).drive:
        return None  # a drive path of another machine: the default place is looked at
    candidate = root.joinpath(*parts)
    if not candidate.is_file():
        return None
    try:
        return inside(root, candidate)
    except UnsafePath as err:
        raise UnsafePath(f"{yaml_file}: registry_path {registry_path!r} names a file outside the "
                         f"workspace root ({err}); copy the registry into the workspace and "
                         "point registry_path at it, then run again") from None


def _found(root: Path, relative: Path) -> Path | None:
    """The first-generation file at ``relative`` when there is one, checked to be inside the
    root: deprecating it writes there (or beside it)."""
    path = root / relative
    return inside(root, path) if path.is_file() else None


def find_firstgen(root: Path) -> list[Path]:
    """The first-generation files under the workspace ``root``: the YAML settings first when
    present, then the JSON registry (at the YAML's ``registry_path``, else at
    ``aim/config/aim_config.json``); empty when there are none.  A YAML file that cannot be
    parsed raises InputError (its ``registry_path`` decides what else is read); one that a
    symlink leads outside the root, UnsafePath."""
    found: list[Path] = []
    registry: Path | None = None
    yaml_file = _found(root, YAML_PATH)
    if yaml_file is not None:
        found.append(yaml_file)
        registry = _registry_candidate(root, yaml_file, read_firstgen(yaml_file, root).data.get(
            "registry_path"))
    registry = registry or _found(root, JSON_PATH)
    if registry is not None and registry.resolve() not in [p.resolve() for p in found]:
        found.append(registry)
    return found


def _parse_yaml(path: Path, source: str) -> tuple[Any, LineMap, DecodedText]:
    try:
        raw = read_limited(path)
    except OSError as err:
        raise InputError(f"{path}: cannot read {_WHAT['yaml']}: {err.strerror}") from None
    stored = decode(raw, path)
    try:
        data, lines = parse_yaml(stored.text)
    except YamlError as err:
        raise InputError(f"{path}:{err.line}: {_WHAT['yaml']}: {err}. Fix "
                         f"{source} at that line (or restore it from a backup) and run "
                         "again; nothing was changed") from None
    return ({} if data is None else data), lines, stored


def _parse_json(path: Path) -> tuple[Any, LineMap, DecodedText]:
    data, stored = read_json(path, _WHAT["json"])
    _same, lines = parse_json(stored.text, str(path))  # the lines, and no duplicate keys
    return data, lines, stored


def read_firstgen(path: Path, root: Path) -> FirstGenFile:
    """Parse one first-generation file (``.json`` or ``.yaml``/``.yml``); InputError, with the
    line, when it cannot be parsed or does not hold an object."""
    source = relative_source(path, root)
    kind = "json" if path.suffix.lower() == ".json" else "yaml"
    data, lines, stored = _parse_json(path) if kind == "json" else _parse_yaml(path, source)
    found = FirstGenFile(path, source, kind, data, lines, stored)
    if not isinstance(data, dict):
        raise found.error((), f"{_WHAT[kind]} must hold an object (key: value pairs), not "
                              f"{type_name(data)}")
    return found
