"""Combining legacy sources: the newer generation wins, one tool stays one tool, nothing lost."""

from __future__ import annotations

from typing import Any

from aim.config.validate import validate_data
from aim.legacy.combine import combine
from aim.legacy.fates import MAPPED, KeyFate, SourceMap
from aim.legacy.mapping import map_legacy

AI_MANGER = {"PipxApps": ["aider-chat"], "NpmGlobal": ["@anthropic-ai/claude-code"],
             "Pins": {"npm": {"@anthropic-ai/claude-code": "2.0.31"}},
             "Scan": {"Roots": ["C:\\P"], "MinSizeKBForHash": 0}}


def newer(data: dict[str, Any]) -> SourceMap:
    fates = tuple(KeyFate("aim/config/aim_config.json", key, MAPPED, key) for key in data)
    return SourceMap("aim/config/aim_config.json", "AIM+ v1 (JSON)", data, fates)


CLAUDE_CLI = {"display_name": "Claude Code CLI", "detect": ["claude", "claude.cmd"],
              "version_command": ["claude", "--version"], "capabilities": ["code-generation"],
              "install": {"manager": "npm", "package": "@anthropic-ai/claude-code"}}
JULES = {"display_name": "Jules", "detect": ["jules"], "version_command": ["jules", "version"],
         "capabilities": ["async-tasks"]}
FIRSTGEN = {
    "version": 1, "tools": {"claude-cli": CLAUDE_CLI, "jules": JULES},
    "capabilities": {"code-generation": {"primary": "claude-cli", "fallback": ["aider"]},
                     "async-tasks": {"primary": "jules", "fallback": []}},
    "packages": {"npm": ["@anthropic-ai/claude-code"]},
    "scan": {"min_size_kb": 1024},
    "legacy": {"carried": {"aim/config/aim_config.json": {"audit.events": ["x"]}}},
}


def test_the_same_cli_under_two_ids_becomes_one_tool_under_the_newer_id() -> None:
    combined = combine([map_legacy(AI_MANGER, "tool.json"), newer(FIRSTGEN)])
    tools = combined.data["tools"]
    assert "claude" not in tools and set(tools) == {"aider", "claude-cli", "jules"}
    assert tools["claude-cli"]["detect"] == ["claude", "claude.cmd"]
    assert tools["claude-cli"]["config_paths"] == ["~/.claude.json"]  # kept from AI_MANGER's
    chains = combined.data["capabilities"]
    assert chains["chat"]["primary"] == "claude-cli"  # AI_MANGER's chain follows the rename
    assert chains["code-generation"] == {"primary": "claude-cli", "fallback": ["aider"]}
    assert chains["async-tasks"] == {"primary": "jules", "fallback": []}
    merged = [f for f in combined.fates if f.fate == "merged"]
    assert [f.key for f in merged] == ["registry.tools.claude-cli"]
    assert "tools.claude" in merged[0].note
    assert validate_data(combined.data, "x") == []


def test_the_newer_source_wins_a_conflict_and_it_is_reported() -> None:
    combined = combine([map_legacy(AI_MANGER, "tool.json"), newer(FIRSTGEN)])
    assert combined.data["scan"] == {"roots": ["C:\\P"], "min_size_kb": 1024}
    [conflict] = combined.conflicts
    assert (conflict.path, conflict.older, conflict.newer) == ("scan.min_size_kb", 0, 1024)
    assert conflict.to_dict()["between"] == ["tool.json", "aim/config/aim_config.json"]


def test_carried_keys_of_every_source_are_kept_side_by_side() -> None:
    combined = combine([map_legacy({**AI_MANGER, "tasks": {"a": 1}}, "tool.json"),
                        newer(FIRSTGEN)])
    carried = combined.data["legacy"]["carried"]
    assert carried == {"tool.json": {"tasks": {"a": 1}},
                       "aim/config/aim_config.json": {"audit.events": ["x"]}}
    assert combined.data["legacy"]["source"] == "tool.json"
    assert combined.sources == (("tool.json", "AI_MANGER"),
                                ("aim/config/aim_config.json", "AIM+ v1 (JSON)"))
