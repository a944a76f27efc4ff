"""The legacy-to-aim_config mapping: every row, known AI CLIs, pins, merging."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from aim.config.validate import validate_data
from aim.errors import InputError
from aim.legacy.fates import SourceMap
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
    "Observability": {"LogFiles": [{"Path": "a.log", "MaxSizeMB": 5, "MaxFiles": 3},
                                   {"Path": "b.log", "MaxSizeMB": 20, "MaxFiles": 2}],
                      "Redaction": {"Enabled": True, "SensitivePatterns": ["sk-[a-z]{9}"]},
                      "HealthScanIntervalMinutes": 60, "TelemetryUrl": ""},
    "tasks": {"watch": {"enabled": False}}, "BuildWrappers": True,
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
    "Observability.LogFiles": ("audit", {"allow_roots": ["C:\\Tools\\config"],
                                         "notify": {"toast": True, "write_json": "C:\\a.jsonl",
                                                    "webhook_url": ""},
                                         "task_name": "Alerts", "max_bytes": 20 * 1024 * 1024,
                                         "keep": 3}),
    "Observability.Redaction.SensitivePatterns": ("redaction.patterns", ["sk-[a-z]{9}"]),
    "Observability.Redaction.Enabled": ("redaction.enabled", True),
}
# legacy keys with no place in aim_config.json: carried verbatim under legacy.carried.
CARRIED = ["tasks", "BuildWrappers", "Observability.LogFiles",
           "Observability.HealthScanIntervalMinutes", "Observability.TelemetryUrl"]
SOURCE = "AI_MANGER/config/toolstack.config.json"


def at(data: dict[str, Any], dotted: str) -> Any:
    for key in dotted.split("."):
        data = data[key]
    return data


def fates_of(mapped: SourceMap, key: str) -> set[tuple[str, str]]:
    return {(f.fate, f.target) for f in mapped.fates if f.key == key}


@pytest.mark.parametrize("legacy_key", sorted(EXPECTED))
def test_each_legacy_key_lands_in_its_place(legacy_key: str) -> None:
    target, value = EXPECTED[legacy_key]
    mapped = map_legacy(FULL_LEGACY, SOURCE)
    assert at(mapped.data, target) == value
    assert ("mapped", target) in fates_of(mapped, legacy_key)


@pytest.mark.parametrize("legacy_key", CARRIED)
def test_keys_with_no_place_are_carried_verbatim(legacy_key: str) -> None:
    mapped = map_legacy(FULL_LEGACY, SOURCE)
    assert mapped.data["legacy"]["carried"][SOURCE][legacy_key] == at(FULL_LEGACY, legacy_key)
    assert ("carried", "legacy.carried") in fates_of(mapped, legacy_key)


def test_every_row_is_tested_and_documented() -> None:
    rows = [(".".join(row.legacy), ".".join(row.target) if row.target else "legacy.carried")
            for row in ROWS]
    assert sorted({k: v[0] for k, v in EXPECTED.items()}.items()) == \
        sorted(r for r in rows if r[1] != "legacy.carried")
    assert sorted(CARRIED) == sorted(k for k, t in rows if t == "legacy.carried")
    table = re.findall(r"^\| `([^`]+)` \| `([^`]+)` \|", DOCS.read_text(), re.M)
    assert table == rows


def test_every_key_of_a_real_config_gets_a_fate_and_the_result_is_valid() -> None:
    mapped = map_legacy(FULL_LEGACY, SOURCE)
    named = {f.key.split(".")[0].split("[")[0] for f in mapped.fates}
    assert named == set(FULL_LEGACY)
    assert validate_data(mapped.data, "x") == []


def test_known_ai_clis_become_tools_with_capability_chains() -> None:
    data = map_legacy(FULL_LEGACY, "x").data
    assert set(data["tools"]) == {"aider", "claude", "github-copilot-cli"}
    assert map_legacy({"PipxApps": [], "NpmGlobal": []}, "x").data.get("tools") is None
    assert data["tools"]["aider"]["install"] == {"manager": "pipx", "package": "aider-chat"}
    assert data["tools"]["claude"]["version_command"] == ["claude", "--version"]
    assert data["capabilities"]["code-edit"] == {"primary": "claude", "fallback": ["aider"]}
    assert "ruff" not in data["tools"] and "eslint" not in data["tools"]


def test_unknown_keys_are_kept_and_reported() -> None:
    mapped = map_legacy({**FULL_LEGACY, "Winget": {"Packages": ["Git.Git"]},
                         "Scan": {**FULL_LEGACY["Scan"], "Extra": 1}}, "x")
    carried = mapped.data["legacy"]["carried"]["x"]
    assert carried["Winget"] == {"Packages": ["Git.Git"]} and carried["Scan.Extra"] == 1
    assert {f.key for f in mapped.fates if f.fate == "carried"} >= {"Winget", "Scan.Extra"}


def test_values_aim_config_cannot_hold_are_carried_not_fatal() -> None:
    bad = {**FULL_LEGACY, "Pins": {"pipx": {"ruff": "latest!", "aider-chat": "0.86.1"},
                                   "npm": {"eslint": "^^9"}},
           "MasterBin": {**FULL_LEGACY["MasterBin"], "Priority": ["pipx", "chocolatey", "npm"]},
           "Scan": {**FULL_LEGACY["Scan"], "MinSizeKBForHash": "big"},
           "logging": {"level": "Chatty"}}
    mapped = map_legacy(bad, "cfg.json")
    assert validate_data(mapped.data, "x") == []
    carried = mapped.data["legacy"]["carried"]["cfg.json"]
    assert carried["Pins.pipx.ruff"] == "latest!" and carried["Pins.npm.eslint"] == "^^9"
    assert carried["MasterBin.Priority[1]"] == "chocolatey"
    assert carried["Scan.MinSizeKBForHash"] == "big" and carried["logging.level"] == "Chatty"
    assert mapped.data["pins"]["pipx"] == {"aider-chat": "0.86.1"}
    assert mapped.data["master_bin"]["priority"] == ["pipx", "npm"]
    notes = {f.key: f.note for f in mapped.fates if f.fate == "carried"}
    assert "PEP 440" in notes["Pins.pipx.ruff"] and "correct it" in notes["Pins.pipx.ruff"]
    assert "'chocolatey' is not allowed" in notes["MasterBin.Priority[1]"]


def test_duplicates_are_merged_and_reported() -> None:
    mapped = map_legacy({**FULL_LEGACY, "MasterBin": {
        **FULL_LEGACY["MasterBin"], "DenyList": ["node", "python", "Node", "npm", "pnpm", "npm"]},
        "CopilotPkgs": ["eslint", "@github/copilot"]}, "x")
    assert mapped.data["master_bin"]["deny"] == ["node", "python", "npm", "pnpm"]
    assert mapped.data["packages"]["npm"] == ["@anthropic-ai/claude-code", "eslint",
                                              "@github/copilot"]
    merged = [f.note for f in mapped.fates if f.fate == "merged"]
    assert "'Node' is listed again (as 'node'); kept once" in merged
    assert len(merged) == 3


def test_a_secret_value_in_an_unknown_key_is_named_never_copied() -> None:
    canary = "sk-ant-api03-" + "Qz8vK2mX9pL4nR7tW1yB5cF3hJ6dG0sA"
    mapped = map_legacy({**FULL_LEGACY, "ApiKeys": {"anthropic": canary}}, "x")
    assert canary not in str(mapped.data)
    dropped = [f for f in mapped.fates if f.fate == "dropped"]
    assert [f.key for f in dropped] == ["ApiKeys"] and "keyring" in dropped[0].note


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
