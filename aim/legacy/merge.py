"""Merge migrated data into an existing ``aim_config.json`` without losing what the user has.

Mappings merge key by key and lists are united (the user's order first).  The same setting with
two different values is a conflict: it stops the migration with both values named, unless
``prefer`` says which side wins.  The tool registry and capabilities are the user's once they
exist: a tool or capability already configured is kept as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aim.errors import InputError

PREFER = ("legacy", "current")
_USER_OWNED = ("tools", "capabilities")


@dataclass(frozen=True)
class Conflict:
    """One setting the two configs disagree on."""

    path: str
    current: Any
    legacy: Any


@dataclass(frozen=True)
class Merged:
    data: dict[str, Any]
    conflicts: tuple[Conflict, ...]  # resolved by ``prefer`` (empty when there were none)


def _merge(current: Any, legacy: Any, path: tuple[str, ...], prefer: str | None,
           conflicts: list[Conflict]) -> Any:
    if isinstance(current, Mapping) and isinstance(legacy, Mapping):
        if len(path) == 2 and path[0] in _USER_OWNED:
            return dict(current)
        merged = dict(current)
        for key, value in legacy.items():
            merged[key] = (_merge(current[key], value, (*path, key), prefer, conflicts)
                           if key in current else value)
        return merged
    if isinstance(current, list) and isinstance(legacy, list):
        return current + [item for item in legacy if item not in current]
    if current == legacy:
        return current
    conflicts.append(Conflict(".".join(path), current, legacy))
    return legacy if prefer == "legacy" else current


def merge_values(current: Any, newer: Any, prefer: str | None,
                 conflicts: list[Conflict] | None = None) -> Any:
    """``newer`` merged into ``current`` by the rules above; conflicts are appended to
    ``conflicts`` and decided by ``prefer`` (``legacy``: the newer value)."""
    return _merge(current, newer, (), prefer, conflicts if conflicts is not None else [])


def merge_configs(current: Mapping[str, Any] | None, legacy: Mapping[str, Any],
                  prefer: str | None = None, source: str = "aim_config.json") -> Merged:
    """``legacy`` merged into ``current``; InputError on conflicts unless ``prefer`` is given."""
    if prefer is not None and prefer not in PREFER:
        raise InputError(f"--prefer {prefer!r}: use 'legacy' or 'current'")
    if current is None:
        return Merged(dict(legacy), ())
    conflicts: list[Conflict] = []
    data = _merge(current, legacy, (), prefer, conflicts)
    if conflicts and prefer is None:
        listed = "; ".join(f"{c.path}: {c.current!r} in {source}, {c.legacy!r} in the legacy "
                           "config" for c in conflicts)
        raise InputError(f"{source}: the legacy config disagrees with the current one: "
                         f"{listed}. Nothing was changed; run again with --prefer legacy or "
                         "--prefer current to choose, or edit one of them")
    return Merged(data, tuple(conflicts))
