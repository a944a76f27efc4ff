"""The legacy-to-aim_config mapping: every row, known AI CLIs, pins, merging."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from aim.errors import InputError
from aim.legacy.mapping import ROWS, map_legacy
from aim.legacy.merge import merge_configs
from aim.versions.pins import syntax_problem

DOCS = Path(__file__).resolve().parents[2] / "docs" / "migration.md"

FULL_LEGACY: dict[str, Any] = {
    "reportsDir": "reports", "logging": {"level": "debug"}, "ToolsRoot": "C:\\Tools",
    "PipxApps": ["aider-chat", "ruff"], "NpmGlobal": ["@anthropic-ai/claude-code", "eslint"],
    "CopilotPkgs": ["@githubnext/github-copilot-cli"], "WatchRoots": ["C:\\Users\\dev\\P"],
    "CentralCache": "C:\\Tools\\cache",
    "Pins": {"pipx": {"aider-chat": "0.86.1"}, "npm": {"@anthropic-ai/claude-code": "^2.0.31"}},
    "Audit": {"AllowRoots": ["C:\\Tools\\config"], "TaskName": "Alerts",
              "Notify": {"Toast": True, "WriteJson": "C:\\a.jsonl", "WebhookUrl": ""}},
    "MasterBin": {"Enable": True, "Path": "C:\\Tools\\bin", "Sources": ["C:\\s"],
                  "Priority": ["pipx", "npm"], "DenyList": ["node"]},
    "Scan": {"Roots": ["%USERPROFILE%\\Projects"], "AllowCentral": ["C:\\Tools\\cache"],
             "Patterns": ["__pycache__", "node_modules\\.cache"], "MinSizeKBForHash": 64},
    "Secrets": {"VaultPath": "%LOCALAPPDATA%\\CLI_Vault\\vault.json",
                "EnvMap": {"OPENAI_API_KEY": "openai"}},
    "Reports": {"Dir": "%LOCALAPPDATA%\\CLI_Reports"},
}

# legacy key → (target key path, expected value): written out by hand, not derived from ROWS.
EXPECTED = {
    "PipxApps": ("packages.pipx", ["aider-chat", "ruff"]),
    "NpmGlobal": ("packages.npm", ["@anthropic-ai/claude-code", "eslint",
                                   "@githubnext/github-copilot-cli"]),
    "CopilotPkgs": ("packages.npm", ["@anthropic-ai/claude-code", "eslint",
                                     "@githubnext/github-copilot-cli"]),
    "Pins.pipx": ("pins.pipx", {"aider-chat": "0.86.1"}),
    "Pins.npm": ("pins.npm", {"@anthropic-ai/claude-code": "^2.0.31"}),
    "ToolsRoot": ("paths.tools_root", "C:\\Tools"),
    "CentralCache": ("paths.central_cache", "C:\\Tools\\cache"),
    "WatchRoots": ("paths.watch_roots", ["C:\\Users\\dev\\P"]),
    "Scan.Roots": ("scan.roots", ["%USERPROFILE%\\Projects"]),
    "Scan.AllowCentral": ("scan.allow_central", ["C:\\Tools\\cache"]),
    "Scan.Patterns": ("scan.cache_patterns", ["__pycache__", "node_modules\\.cache"]),
    "Scan.MinSizeKBForHash": ("scan.min_size_kb", 64),
    "MasterBin.Enable": ("master_bin.enabled", True),
    "MasterBin.Path": ("master_bin.path", "C:\\Tools\\bin"),
    "MasterBin.Sources": ("master_bin.sources", ["C:\\s"]),
    "MasterBin.Priority": ("master_bin.priority", ["pipx", "npm"]),
    "MasterBin.DenyList": ("master_bin.deny", ["node"]),
    "Audit.AllowRoots": ("audit.allow_roots", ["C:\\Tools\\config"]),
    "Audit.Notify": ("audit.notify", {"toast": True, "write_json": "C:\\a.jsonl",
                                      "webhook_url": ""}),
    "Audit.TaskName": ("audit.task_name", "Alerts"),
    "Secrets.EnvMap": ("secrets", {"OPENAI_API_KEY": {"env": "OPENAI_API_KEY",
                                                      "legacy_name": "openai"}}),
    "Secrets.VaultPath": ("legacy.vault_path", "%LOCALAPPDATA%\\CLI_Vault\\vault.json"),
    "reportsDir": ("reports_dir", "reports"),
    "Reports.Dir": ("legacy.reports_dir", "%LOCALAPPDATA%\\CLI_Reports"),
    "logging.level": ("logging.level", "debug"),
}


def at(data: dict[str, Any], dotted: str) -> Any:
    for key in dotted.split("."):
        data = data[key]
    return data


@pytest.mark.parametrize("legacy_key", sorted(EXPECTED))
def test_each_legacy_key_lands_in_its_place(legacy_key: str) -> None:
    target, value = EXPECTED[legacy_key]
    mapped = map_legacy(FULL_LEGACY, "toolstack.config.json")
    assert at(mapped.data, target) == value
    assert (legacy_key, target) in mapped.mapped


def test_every_row_is_tested_and_documented() -> None:
    rows = {".".join(row.legacy): ".".join(row.target) for row in ROWS}
    assert {k: v[0] for k, v in EXPECTED.items()} == rows
    table = dict(re.findall(r"^\| `([^`]+)` \| `([^`]+)` \|", DOCS.read_text(), re.M))
    assert table == rows


def test_known_ai_clis_become_tools_with_capability_chains() -> None:
    data = map_legacy(FULL_LEGACY, "x").data
    assert set(data["tools"]) == {"aider", "claude", "github-copilot-cli"}
    assert data["tools"]["aider"]["install"] == {"manager": "pipx", "package": "aider-chat"}
    assert data["tools"]["claude"]["version_command"] == ["claude", "--version"]
    assert data["capabilities"]["code-edit"] == {"primary": "claude", "fallback": ["aider"]}
    assert "ruff" not in data["tools"] and "eslint" not in data["tools"]


def test_unknown_keys_are_kept_and_reported() -> None:
    mapped = map_legacy({**FULL_LEGACY, "tasks": {"watch": {"enabled": False}},
                         "Scan": {**FULL_LEGACY["Scan"], "Extra": 1}}, "x")
    assert sorted(mapped.unmapped) == ["Scan.Extra", "tasks"]
    assert mapped.data["legacy"]["unmapped"] == {"tasks": {"watch": {"enabled": False}},
                                                 "Scan.Extra": 1}


def test_invalid_pins_stop_with_every_bad_pin_named() -> None:
    bad = {**FULL_LEGACY, "Pins": {"pipx": {"ruff": "latest!"}, "npm": {"eslint": "^^9"}}}
    with pytest.raises(InputError) as err:
        map_legacy(bad, "cfg.json")
    assert "cfg.json: invalid version pins: Pins.pipx.ruff: 'latest!'" in str(err.value)
    assert "Pins.npm.eslint: '^^9'" in str(err.value)


@pytest.mark.parametrize("pin", ["2.0.31", "^2.0.31", "~9.39.0", ">=1.2.3 <2", "1.x", "*",
                                 "1.2 - 2.3.4", "^1.0.0 || ^2.0.0", ">= 1.0.0", "3.0.0-beta.1",
                                 "~>1.0"])
def test_npm_ranges_accepted(pin: str) -> None:
    assert syntax_problem("npm", pin) is None


@pytest.mark.parametrize("pin", ["^^1", "1.2.3.4", "abc", ">=", "1.2 -", "~~1.0", ">>1"])
def test_npm_ranges_rejected(pin: str) -> None:
    assert "is not an npm semver version or range" in str(syntax_problem("npm", pin))


def test_pep440_pins() -> None:
    assert all(syntax_problem("pipx", pin) is None for pin in ("0.86.1", ">=1,<2", "~=1.4"))
    assert all("PEP 440" in str(syntax_problem("pipx", pin)) for pin in ("^1.0", ""))


def test_merge_keeps_user_settings_and_unites_lists() -> None:
    current = {"version": 1, "packages": {"pipx": ["httpie"]},
               "tools": {"claude": {"display_name": "Mine"}}}
    legacy = map_legacy(FULL_LEGACY, "x").data
    merged = merge_configs(current, legacy).data
    assert merged["packages"]["pipx"] == ["httpie", "aider-chat", "ruff"]
    assert merged["tools"]["claude"] == {"display_name": "Mine"}
    assert "aider" in merged["tools"]
    assert merge_configs(merged, legacy).data == merged  # a second merge changes nothing


def test_conflicting_pin_stops_with_both_values_unless_prefer() -> None:
    current = {"version": 1, "pins": {"pipx": {"aider-chat": "0.80.0"}}}
    legacy = map_legacy(FULL_LEGACY, "x").data
    with pytest.raises(InputError) as err:
        merge_configs(current, legacy, source="ws/aim_config.json")
    assert ("pins.pipx.aider-chat: '0.80.0' in ws/aim_config.json, '0.86.1' in the legacy "
            "config") in str(err.value)
    assert "--prefer legacy" in str(err.value)
    assert at(merge_configs(current, legacy, "legacy").data, "pins.pipx.aider-chat") == "0.86.1"
    assert at(merge_configs(current, legacy, "current").data, "pins.pipx.aider-chat") == "0.80.0"
