"""Combine the legacy sources of one workspace (AI_MANGER, first-generation AIM+) into one.

Sources come oldest generation first; where two give the same setting different values, the
newer one wins and the conflict is reported (the current aim_config.json is merged afterwards,
with ``--prefer``, by :mod:`aim.legacy.merge`).  The same tool registered by two sources under
two ids (``claude`` from AI_MANGER's npm list, ``claude-cli`` from the first-generation
registry) becomes one tool under the newer id, and every capability chain follows it.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aim.legacy.fates import MERGED, KeyFate, SourceMap
from aim.legacy.merge import Conflict, merge_values


@dataclass(frozen=True)
class SourceConflict:
    """One setting two legacy sources disagree on; the newer source's value was kept."""

    path: str
    older: Any
    newer: Any
    older_source: str
    newer_source: str

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "current": self.older, "legacy": self.newer,
                "kept": self.newer, "between": [self.older_source, self.newer_source]}


@dataclass(frozen=True)
class Combined:
    data: dict[str, Any]
    fates: tuple[KeyFate, ...]
    conflicts: tuple[SourceConflict, ...]
    tools: tuple[str, ...]
    sources: tuple[tuple[str, str], ...]  # (file, generation), oldest first


def _identity(tool: Mapping[str, Any]) -> set[str]:
    """What makes two registry entries the same tool: its package or its first command."""
    found = {f"cmd:{tool['detect'][0].lower()}"} if tool.get("detect") else set()
    install = tool.get("install")
    if install:
        found.add(f"pkg:{install['package']}")
    return found


def _rename(data: dict[str, Any], old: str, new: str) -> None:
    tools = data.get("tools", {})
    tools[new] = tools.pop(old)
    for cap in data.get("capabilities", {}).values():
        chain = [cap["primary"], *cap.get("fallback", [])]
        chain = [new if tool == old else tool for tool in chain]
        unique = list(dict.fromkeys(chain))
        cap["primary"], cap["fallback"] = unique[0], unique[1:]


def _merge_tool(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The newer entry, with the lists of names of both (an argument list is not united)."""
    merged = {**old, **new}
    for key in ("detect", "config_paths", "capabilities"):
        if key in old and key in new:
            merged[key] = list(dict.fromkeys([*new[key], *old[key]]))
    return merged


def _same_tools(data: dict[str, Any], newer: SourceMap) -> list[KeyFate]:
    """Rename tools of ``data`` that ``newer`` registers under another id; a fate for each."""
    fates = []
    for new_id, tool in newer.data.get("tools", {}).items():
        mine = _identity(tool)
        for old_id in list(data.get("tools", {})):
            if old_id != new_id and mine & _identity(data["tools"][old_id]) \
                    and new_id not in data["tools"]:
                _rename(data, old_id, new_id)
                fates.append(KeyFate(newer.source, f"registry.tools.{new_id}", MERGED,
                                     f"tools.{new_id}", f"the same tool as tools.{old_id} "
                                     "of an older source: one entry, under this id"))
    return fates


def _merge_capability(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    chain = [new["primary"], *new.get("fallback", []), old["primary"], *old.get("fallback", [])]
    unique = list(dict.fromkeys(chain))
    return {"primary": unique[0], "fallback": unique[1:]}


def _merge_registry(data: dict[str, Any], newer: Mapping[str, Any]) -> None:
    """Tools merge field by field (newer wins, lists united); capability chains unite."""
    tools = data.setdefault("tools", {})
    for tool_id, tool in newer.get("tools", {}).items():
        tools[tool_id] = _merge_tool(tools.get(tool_id, {}), tool)
    caps = data.setdefault("capabilities", {})
    for name, cap in newer.get("capabilities", {}).items():
        caps[name] = _merge_capability(caps[name], cap) if name in caps else dict(cap)
    for key in ("tools", "capabilities"):
        if not data[key]:
            del data[key]


def _merge_legacy(data: dict[str, Any], newer: Mapping[str, Any]) -> None:
    legacy = data.setdefault("legacy", {})
    theirs = newer.get("legacy", {})
    legacy.setdefault("source", theirs.get("source"))
    carried = {**legacy.get("carried", {}), **theirs.get("carried", {})}
    if carried:
        legacy["carried"] = carried
    for key, value in theirs.items():
        if key not in ("source", "carried"):
            legacy[key] = value


def combine(maps: Sequence[SourceMap]) -> Combined:
    """The sources' data as one (later sources win conflicts), with every fate and conflict."""
    data: dict[str, Any] = {"version": 1}
    fates: list[KeyFate] = []
    conflicts: list[SourceConflict] = []
    seen: list[str] = []
    for source in maps:
        fates += list(source.fates) + _same_tools(data, source)
        theirs = copy.deepcopy(source.data)
        _merge_registry(data, theirs)
        _merge_legacy(data, theirs)
        rest = {k: v for k, v in theirs.items() if k not in ("tools", "capabilities", "legacy")}
        found: list[Conflict] = []
        merged = merge_values({k: v for k, v in data.items() if k in rest}, rest, "legacy",
                              found)
        data.update(merged)
        conflicts += [SourceConflict(c.path, c.current, c.legacy, ", ".join(seen), source.source)
                      for c in found]
        seen.append(source.source)
    tools = tuple(data.get("tools", {}))
    return Combined(data, tuple(fates), tuple(conflicts), tools,
                    tuple((m.source, m.generation) for m in maps))
