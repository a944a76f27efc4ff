"""The first-generation AIM+ configs: found, read in any encoding, and mapped without loss."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from aim.config.load import from_data
from aim.config.validate import validate_data
from aim.errors import InputError
from aim.legacy.fates import FATES, SourceMap
from aim.legacy.firstgen import find_firstgen
from aim.legacy.firstgen_map import map_firstgen
from aim.legacy.merge import merge_configs

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "firstgen"
JSON_SRC, YAML_SRC = "aim/config/aim_config.json", "config/aim_config.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "ws")
    return tmp_path / "ws"


def registry(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((root / JSON_SRC).read_text("utf-8"))
    return data


def write_registry(root: Path, data: Any, where: str = JSON_SRC) -> None:
    (root / where).parent.mkdir(parents=True, exist_ok=True)
    (root / where).write_text(json.dumps(data, indent=2), "utf-8")


def by_source(maps: list[SourceMap]) -> dict[str, SourceMap]:
    return {m.source: m for m in maps}


def leaf_paths(node: Any, prefix: str = "") -> list[str]:
    """Every key path of a parsed file down to its non-object values (lists are leaves)."""
    if not isinstance(node, dict) or not node:
        return [prefix]
    return [p for key, value in node.items()
            for p in leaf_paths(value, f"{prefix}.{key}" if prefix else key)]


def test_finds_the_yaml_first_then_the_registry(root: Path, tmp_path: Path) -> None:
    assert find_firstgen(root) == [root / YAML_SRC, root / JSON_SRC]
    (root / YAML_SRC).unlink()
    assert find_firstgen(root) == [root / JSON_SRC]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert find_firstgen(empty) == [] and map_firstgen(empty) == []


def test_every_key_path_of_both_files_has_exactly_one_fate(root: Path) -> None:
    maps = by_source(map_firstgen(root))
    sources = {JSON_SRC: registry(root),
               YAML_SRC: yaml.safe_load((root / YAML_SRC).read_text("utf-8"))}
    assert set(maps) == set(sources)
    for source, parsed in sources.items():
        mapped = maps[source]
        keys = Counter(f.key for f in mapped.fates)
        assert sorted(keys) == sorted(leaf_paths(parsed)), source
        assert set(keys.values()) == {1}, source
        assert {f.source for f in mapped.fates} == {source}
        assert all(f.fate in FATES for f in mapped.fates)
    assert maps[JSON_SRC].generation == "AIM+ v1 (JSON)"
    assert maps[YAML_SRC].generation == "AIM+ v1 (YAML)"


def test_jules_and_claude_cli_reach_the_registry(root: Path) -> None:
    mapped = by_source(map_firstgen(root))[JSON_SRC]
    tools = mapped.data["tools"]
    assert mapped.tools == ("claude-cli", "aider", "codex", "jules")
    assert tools["jules"] == {
        "display_name": "Jules", "detect": ["jules"], "version_command": ["jules", "version"],
        "config_paths": ["%APPDATA%\\jules\\config.json"],
        "capabilities": ["async-tasks", "review"]}
    assert tools["claude-cli"] == {
        "display_name": "Claude Code CLI", "detect": ["claude", "claude.cmd"],
        "version_command": ["claude", "--version"],
        "config_paths": ["%USERPROFILE%\\.claude.json", "%USERPROFILE%\\.claude\\settings.json"],
        "capabilities": ["code-generation", "refactoring", "chat"],
        "install": {"manager": "npm", "package": "@anthropic-ai/claude-code"}}
    assert tools["codex"]["version_command"] == ["codex", "--version"]
    assert tools["aider"]["install"] == {"manager": "pipx", "package": "aider-chat"}


def test_capability_chains_reach_data(root: Path) -> None:
    caps = by_source(map_firstgen(root))[JSON_SRC].data["capabilities"]
    assert caps == {
        "code-generation": {"primary": "claude-cli", "fallback": ["aider", "codex"]},
        "refactoring": {"primary": "aider", "fallback": ["claude-cli"]},
        "review": {"primary": "codex", "fallback": ["jules"]},
        "async-tasks": {"primary": "jules", "fallback": []},
        # claude-cli lists "chat", which registry.capabilities has no chain for
        "chat": {"primary": "claude-cli", "fallback": []}}


def test_environment_and_health_settings_reach_data(root: Path) -> None:
    maps = by_source(map_firstgen(root))
    data = maps[JSON_SRC].data
    assert data["health"] == {"required_commands": ["git", "node", "python", "pipx"],
                              "required_paths": ["%LOCALAPPDATA%\\CLI_Vault"]}
    assert maps[YAML_SRC].data["health"] == {"check_timeout": 30}
    assert data["packages"] == {"pipx": ["aider-chat", "ruff"], "npm": [
        "@anthropic-ai/claude-code", "@openai/codex", "@google/jules"]}
    assert data["pins"] == {"pipx": {"aider-chat": "0.86.1"}, "npm": {
        "@anthropic-ai/claude-code": "2.0.31", "@openai/codex": "0.57.0"}}
    assert data["paths"] == {"tools_root": "%LOCALAPPDATA%\\Programs\\AITools",
                             "central_cache": "C:\\Tools\\cache"}
    assert data["scan"] == {"roots": ["%USERPROFILE%\\Projects"], "min_size_kb": 1024,
                            "cache_patterns": [".ruff_cache", "__pycache__", ".pytest_cache"]}
    assert data["legacy"]["vault_path"] == "%LOCALAPPDATA%\\CLI_Vault\\vault.json"


def test_keys_with_no_place_are_carried_verbatim(root: Path) -> None:
    maps = by_source(map_firstgen(root))
    for source, mapped in maps.items():
        carried = mapped.data["legacy"]["carried"][source]
        assert sorted(carried) == sorted(f.key for f in mapped.fates if f.fate == "carried")
    carried = maps[JSON_SRC].data["legacy"]["carried"][JSON_SRC]
    assert carried["registry.tools.jules.adapterScript"] == "aim/adapters/jules.ps1"
    assert carried["registry.tools.claude-cli.logPaths"] == ["%USERPROFILE%\\.claude\\logs"]
    assert carried["registry.crossToolRulesPath"] == "aim/config/cross_tool_rules.json"
    assert carried["audit.events"] == registry(root)["audit"]["events"]
    assert carried["$schema"] == "./aim_config.schema.json" and carried["version"] == "1.0.0"
    assert maps[YAML_SRC].data["legacy"]["carried"][YAML_SRC] == {
        "enable_aim": True, "enable_audit_logging": True, "audit_log_retention_days": 30,
        "registry_path": "aim/config/aim_config.json"}
    same_pin = {f.key: f for f in maps[JSON_SRC].fates}["registry.tools.aider.pinnedVersion"]
    assert (same_pin.fate, same_pin.target) == ("merged", "pins.pipx.aider-chat")


def test_the_result_is_a_valid_aim_config(root: Path) -> None:
    yaml_map, json_map = map_firstgen(root)
    for mapped in (yaml_map, json_map):
        assert validate_data(mapped.data, mapped.source) == []
    data = merge_configs({"version": 1}, yaml_map.data).data
    data = merge_configs(data, json_map.data, prefer="legacy").data
    config = from_data(data)
    assert config.health.check_timeout == 30
    assert config.capabilities["review"].fallback == ("jules",)
    assert config.tools["claude-cli"].install is not None


def test_a_utf16_crlf_copy_gives_the_same_result(root: Path) -> None:
    expected = map_firstgen(root)
    for name in (JSON_SRC, YAML_SRC):
        text = (root / name).read_text("utf-8").replace("\n", "\r\n")
        (root / name).write_bytes(text.encode("utf-16"))  # with a BOM, as PowerShell writes
    assert b"\r\x00\n\x00" in (root / JSON_SRC).read_bytes()
    assert map_firstgen(root) == expected


def test_malformed_json_names_file_line_and_column(root: Path) -> None:
    text = (root / JSON_SRC).read_text("utf-8")
    (root / JSON_SRC).write_text(text.replace('"Jules",', '"Jules",,'), "utf-8")
    line = text[: text.index('"Jules",')].count("\n") + 1
    with pytest.raises(InputError) as err:
        map_firstgen(root)
    assert f"{root / JSON_SRC}:{line}:" in str(err.value)
    assert "not valid JSON" in str(err.value) and "nothing was changed" in str(err.value)


def test_malformed_yaml_names_file_and_line(root: Path) -> None:
    (root / YAML_SRC).write_text("enable_aim: true\ndefault_timeout_ms: [1\nx: 2\n", "utf-8")
    with pytest.raises(InputError) as err:
        map_firstgen(root)
    assert str(err.value).startswith(f"{root / YAML_SRC}:3: the first-generation AIM+ "
                                     "settings: invalid YAML: expected ',' or ']'")
    assert "Fix config/aim_config.yaml at that line" in str(err.value)


def test_a_duplicate_key_names_both_lines(root: Path) -> None:
    (root / YAML_SRC).write_text("enable_aim: true\nenable_aim: false\n", "utf-8")
    with pytest.raises(InputError, match=r"aim_config.yaml:2: .*enable_aim: duplicate key "
                                         r"\(first given on line 1\)"):
        map_firstgen(root)


def test_a_wrong_type_names_file_line_key_path_and_fix(root: Path) -> None:
    text = (root / JSON_SRC).read_text("utf-8")
    start = text.index('"tools": {')
    end = text.index('"capabilities": {\n      "code-generation"')
    broken = text[:start] + '"tools": [],\n    ' + text[end:]
    (root / JSON_SRC).write_text(broken, "utf-8")
    with pytest.raises(InputError) as err:
        map_firstgen(root)
    line = broken[:start].count("\n") + 1
    assert str(err.value).startswith(f"{root / JSON_SRC}:{line}: registry.tools: must be an "
                                     "object (key: value pairs), not a list")
    assert "Fix it in aim/config/aim_config.json" in str(err.value)


def test_a_wrong_type_in_the_yaml_names_its_line(root: Path) -> None:
    (root / YAML_SRC).write_text("enable_aim: true\ndefault_timeout_ms: soon\n", "utf-8")
    with pytest.raises(InputError, match=r"aim_config.yaml:2: default_timeout_ms: must be a "
                                         r"number of milliseconds, not a string"):
        map_firstgen(root)


@pytest.mark.parametrize("written", ["custom/registry.json", "custom\\registry.json"])
def test_the_yaml_registry_path_is_honoured(root: Path, written: str) -> None:
    data = registry(root)
    data["registry"]["tools"] = {"jules": data["registry"]["tools"]["jules"]}
    data["registry"]["capabilities"] = {}
    write_registry(root, data, "custom/registry.json")
    (root / YAML_SRC).write_text(f"registry_path: {json.dumps(written)}\n", "utf-8")
    assert find_firstgen(root) == [root / YAML_SRC, root / "custom" / "registry.json"]
    maps = by_source(map_firstgen(root))
    assert maps["custom/registry.json"].tools == ("jules",)
    assert {f.source for f in maps["custom/registry.json"].fates} == {"custom/registry.json"}


def test_a_registry_path_that_names_no_file_falls_back_to_the_default(root: Path) -> None:
    (root / YAML_SRC).write_text("registry_path: elsewhere/none.json\n", "utf-8")
    assert find_firstgen(root) == [root / YAML_SRC, root / JSON_SRC]


def test_invalid_ids_are_converted_and_chains_follow(root: Path) -> None:
    data = registry(root)
    tools = data["registry"]["tools"]
    tools["Jules Bot"] = tools.pop("jules")
    data["registry"]["capabilities"] = {
        "Async Tasks": {"primaryTool": "Jules Bot", "fallbacks": ["ghost", "codex"]},
        "review": {"primaryTool": "nobody", "fallbacks": ["codex"]}}
    write_registry(root, data)
    mapped = by_source(map_firstgen(root))[JSON_SRC]
    assert "jules-bot" in mapped.data["tools"] and "jules-bot" in mapped.tools
    caps = mapped.data["capabilities"]
    assert caps["async-tasks"] == {"primary": "jules-bot", "fallback": ["codex"]}
    assert caps["review"] == {"primary": "codex", "fallback": []}
    fates = {f.key: f for f in mapped.fates}
    assert "'Jules Bot'" in fates["registry.tools.Jules Bot.name"].note
    assert "'jules-bot'" in fates["registry.tools.Jules Bot.name"].note
    chain = fates["registry.capabilities.Async Tasks.fallbacks"]
    assert chain.fate == "mapped" and "'ghost'" in chain.note and "registered" in chain.note
    primary = fates["registry.capabilities.review.primaryTool"]
    assert primary.fate == "dropped" and "'nobody'" in primary.note
    assert validate_data(mapped.data, "x") == []


def test_a_quoted_windows_command_is_split_with_its_backslashes(root: Path) -> None:
    data = registry(root)
    data["registry"]["tools"]["jules"]["versionCommand"] = \
        '"C:\\Program Files\\Jules\\jules.exe" version --short'
    write_registry(root, data)
    tools = by_source(map_firstgen(root))[JSON_SRC].data["tools"]
    assert tools["jules"]["version_command"] == ["C:\\Program Files\\Jules\\jules.exe",
                                                 "version", "--short"]


def test_unknown_keys_are_carried_never_an_error(root: Path) -> None:
    data = registry(root)
    data["telemetry"] = {"url": "https://example.invalid"}
    data["environment"]["scanner"]["exclude"] = ["node_modules"]
    data["registry"]["tools"]["jules"]["homepage"] = "https://jules.google"
    write_registry(root, data)
    (root / YAML_SRC).write_text("enable_aim: true\nexperimental: {x: 1}\n", "utf-8")
    maps = by_source(map_firstgen(root))
    carried = maps[JSON_SRC].data["legacy"]["carried"][JSON_SRC]
    assert carried["telemetry"] == {"url": "https://example.invalid"}
    assert carried["environment.scanner.exclude"] == ["node_modules"]
    assert carried["registry.tools.jules.homepage"] == "https://jules.google"
    assert maps[YAML_SRC].data["legacy"]["carried"][YAML_SRC]["experimental"] == {"x": 1}


def test_timeouts_become_seconds_and_an_unusable_one_is_carried(root: Path) -> None:
    (root / YAML_SRC).write_text("default_timeout_ms: 1500\n", "utf-8")
    assert map_firstgen(root)[0].data["health"] == {"check_timeout": 1.5}
    (root / YAML_SRC).write_text("default_timeout_ms: 0\n", "utf-8")
    mapped = map_firstgen(root)[0]
    assert "health" not in mapped.data
    assert mapped.data["legacy"]["carried"][YAML_SRC] == {"default_timeout_ms": 0}


def test_pins_that_do_not_fit_are_carried_with_the_reason(root: Path) -> None:
    data = registry(root)
    data["registry"]["tools"]["claude-cli"]["pinnedVersion"] = "2.0.30"
    data["environment"]["versionPins"]["npm"]["eslint"] = "9.0.0"
    data["environment"]["versionPins"]["pipx"]["aider-chat"] = "latest!"
    write_registry(root, data)
    mapped = by_source(map_firstgen(root))[JSON_SRC]
    # the environment's aider pin is invalid: the tool's own pin (a valid one) takes its place
    assert mapped.data["pins"] == {"npm": {"@anthropic-ai/claude-code": "2.0.31",
                                           "@openai/codex": "0.57.0"},
                                   "pipx": {"aider-chat": "0.86.1"}}
    carried = mapped.data["legacy"]["carried"][JSON_SRC]
    assert carried["registry.tools.claude-cli.pinnedVersion"] == "2.0.30"
    assert carried["environment.versionPins.npm.eslint"] == "9.0.0"
    assert carried["environment.versionPins.pipx.aider-chat"] == "latest!"
    fates = {f.key: f for f in mapped.fates}
    assert fates["registry.tools.aider.pinnedVersion"].fate == "mapped"
    notes = {key: f.note for key, f in fates.items()}
    assert "disagrees" in notes["registry.tools.claude-cli.pinnedVersion"]
    assert "not a managed npm package" in notes["environment.versionPins.npm.eslint"]
    assert "PEP 440" in notes["environment.versionPins.pipx.aider-chat"]
    assert validate_data(mapped.data, "x") == []


def test_a_secret_value_is_named_never_copied(root: Path) -> None:
    canary = "sk-ant-api03-" + "Qz8vK2mX9pL4nR7tW1yB5cF3hJ6dG0sA"
    data = registry(root)
    data["environment"]["apiKey"] = canary
    write_registry(root, data)
    mapped = by_source(map_firstgen(root))[JSON_SRC]
    assert canary not in json.dumps(mapped.data)
    fate = {f.key: f for f in mapped.fates}["environment.apiKey"]
    assert fate.fate == "dropped" and "aim secrets.set" in fate.note


def test_the_schema_holds_carried_keys_per_source_file() -> None:
    ok = {"version": 1, "legacy": {"carried": {JSON_SRC: {"audit.events": ["x"], "a": None}}}}
    assert validate_data(ok, "x") == []
    bad = {"version": 1, "legacy": {"carried": {JSON_SRC: ["audit.events"]}}}
    assert validate_data(bad, "x") != []


def test_tools_without_commands_get_defaults_and_install_needs_a_managed_package(
        root: Path) -> None:
    data = registry(root)
    data["registry"]["tools"] = {
        "my-claude": {"package": "@anthropic-ai/claude-code"},
        "widget": {"name": "Widget"},
        "gem": {"detectCommands": ["gemini.cmd"], "versionCommand": "gemini -v"}}
    data["registry"]["capabilities"] = {}
    write_registry(root, data)
    mapped = by_source(map_firstgen(root))[JSON_SRC]
    tools = mapped.data["tools"]
    assert tools["my-claude"] == {
        "detect": ["claude"], "version_command": ["claude", "--version"],
        "install": {"manager": "npm", "package": "@anthropic-ai/claude-code"}}
    assert tools["widget"] == {"display_name": "Widget", "detect": ["widget"],
                               "version_command": ["widget", "--version"]}
    assert "install" not in tools["gem"]  # @google/gemini-cli is not in environment.npmGlobal
    note = {f.key: f.note for f in mapped.fates}["registry.tools.gem.detectCommands"]
    assert "'@google/gemini-cli'" in note and "does not manage" in note
    assert validate_data(mapped.data, "x") == []
