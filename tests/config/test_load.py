"""Loading aim_config.json: every kind of error names the file, the line, the key path and a fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from aim.config.load import default_data, default_path, from_data, load_config, to_data
from aim.errors import ConfigError
from aim.workspace import Workspace
from tests.config.cfgutil import line_of, small, write_data, write_text


def load_error(ws: Workspace) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(ws)
    return str(caught.value)


def test_the_shipped_default_validates_and_has_the_five_tools() -> None:
    config = from_data(default_data(), str(default_path()))
    assert list(config.tools) == ["aider", "claude", "codex", "gemini", "copilot"]
    assert set(config.secrets) == {"OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY",
                                   "GITHUB_TOKEN"}
    for tool in config.tools.values():
        assert tool.version_command[0] in tool.detect
        assert tool.install is not None and tool.install.package in \
            config.packages[tool.install.manager]
    assert config.capabilities["code-edit"].chain[0] == "claude"


def test_a_small_config_builds_the_frozen_model(tmp_path: Path) -> None:
    config = load_config(write_data(tmp_path, small()))
    assert config.tools["aider"].display_name == "aider"  # defaults to the id
    assert config.tools["claude"].install is not None
    assert config.capabilities["code-edit"].chain == ("claude", "aider", "codex")
    assert config.packages["uv"] == ()
    assert config.pins["npm"]["@anthropic-ai/claude-code"] == "^2.0.31"
    assert config.secrets["OPENAI_API_KEY"].env == "OPENAI_API_KEY"
    assert config.health.check_timeout == 5.0 and config.log_level == "info"
    with pytest.raises(TypeError):
        config.tools["new"] = config.tools["aider"]  # type: ignore[index]
    assert to_data(config) == small()


def test_missing_file_says_how_to_create_one(tmp_path: Path) -> None:
    message = load_error(Workspace.at(tmp_path))
    assert message == (f"{tmp_path}/aim_config.json: no config file here; create one with "
                       "'aim config.init' (the shipped default) or 'aim migrate' (from an "
                       "AI_MANGER install), or give the workspace with --root")


def test_malformed_json_gives_line_and_column(tmp_path: Path) -> None:
    ws = write_text(tmp_path, """
        {
          "version": 1,
          "tools": {}
          "capabilities": {}
        }
    """)
    assert load_error(ws) == (
        f"{tmp_path}/aim_config.json:4: invalid JSON at column 3: Expecting ',' delimiter; fix "
        "the syntax there (a missing comma or quote, or a trailing comma, is the usual cause)")


def test_duplicate_key_is_an_error_with_both_lines(tmp_path: Path) -> None:
    ws = write_text(tmp_path, """
        {
          "version": 1,
          "reports_dir": "a",
          "reports_dir": "b"
        }
    """)
    assert load_error(ws) == (f"{tmp_path}/aim_config.json:4: reports_dir: duplicate key "
                              "(first given on line 3); keep only one of them")


def test_a_list_is_not_a_config(tmp_path: Path) -> None:
    assert load_error(write_text(tmp_path, "[1, 2]\n")) == (
        f'{tmp_path}/aim_config.json:1: the file must hold a JSON object with at least '
        '"version": 1 (see docs/config.md)')


def test_misspelled_key_names_line_path_and_the_right_key(tmp_path: Path) -> None:
    ws = write_text(tmp_path, """
        {
          "version": 1,
          "tools": {
            "claude": {
              "detect": ["claude"],
              "version_command": ["claude", "--version"],
              "instal": {"manager": "npm", "package": "x"}
            }
          }
        }
    """)
    assert load_error(ws) == (
        f"{tmp_path}/aim_config.json:7: tools.claude.instal: unknown key 'instal' (did you "
        "mean 'install'?); allowed here: capabilities, config_paths, detect, display_name, "
        "install, version_command; rename or remove it")


def test_misspelled_manager_gets_a_did_you_mean(tmp_path: Path) -> None:
    data = small()
    data["tools"]["claude"]["install"]["manager"] = "npn"
    ws = write_data(tmp_path, data)
    line0 = line_of(ws, '"npn')
    assert load_error(ws) == (f"{tmp_path}/aim_config.json:{line0}: "
                       "tools.claude.install.manager: 'npn' is not allowed (did you mean "
                       "'npm'?); use one of pipx, npm, pnpm, uv, winget")


def test_wrong_type_missing_version_and_bad_names(tmp_path: Path) -> None:
    ws = write_text(tmp_path, """
        {
          "health": {"check_timeout": "5"},
          "capabilities": {"Code Edit": {"primary": "claude"}}
        }
    """)
    assert load_error(ws).splitlines() == [
        f"{tmp_path}/aim_config.json:1: missing required key 'version'; add it",
        f"{tmp_path}/aim_config.json:2: health.check_timeout: must be a number, not a string",
        f"{tmp_path}/aim_config.json:3: capabilities.Code Edit: 'Code Edit' is not a valid "
        "name here: use lowercase letters, digits, '-' and '_', starting with a letter",
    ]


def test_unsupported_version(tmp_path: Path) -> None:
    assert load_error(write_text(tmp_path, '{"version": 2}')) == (
        f"{tmp_path}/aim_config.json:1: version: must be 1, not 2")


def test_capability_naming_an_unknown_tool(tmp_path: Path) -> None:
    data = small()
    data["capabilities"]["code-edit"]["fallback"] = ["aidr", "codex"]
    ws = write_data(tmp_path, data)
    assert load_error(ws) == (
        f"{tmp_path}/aim_config.json:{line_of(ws, 'aidr')}: capabilities.code-edit.fallback[0]: "
        "no tool 'aidr' in tools (did you mean 'aider'?); name a tool from the registry or add "
        "it under tools")


def test_primary_repeated_in_fallback(tmp_path: Path) -> None:
    data = small()
    data["capabilities"]["code-edit"]["fallback"] = ["claude"]
    assert load_error(write_data(tmp_path, data)).endswith(
        "capabilities.code-edit.fallback: lists the primary tool 'claude' again; remove it "
        "from fallback")


def test_install_package_must_be_managed(tmp_path: Path) -> None:
    data = small()
    data["packages"]["npm"] = []
    data["pins"]["npm"] = {}
    ws = write_data(tmp_path, data)
    line0 = line_of(ws, '"package')
    assert load_error(ws) == (
        f"{tmp_path}/aim_config.json:{line0}: tools.claude.install.package: "
        "'@anthropic-ai/claude-code' is not a managed npm package; add it to packages.npm "
        "(or correct the name)")


def test_pin_on_an_unmanaged_package_is_an_error(tmp_path: Path) -> None:
    data = small()
    data["pins"]["pipx"] = {"aider-chatt": "0.86.1"}
    ws = write_data(tmp_path, data)
    assert load_error(ws) == (
        f"{tmp_path}/aim_config.json:{line_of(ws, 'chatt')}: pins.pipx.aider-chatt: "
        "'aider-chatt' is not a managed pipx package (did you mean 'aider-chat'?); "
        "add it to packages.pipx or remove the pin")


@pytest.mark.parametrize(("manager", "package", "pin", "expected"), [
    ("pipx", "aider-chat", "latest", "is not a PEP 440 version or specifier"),
    ("npm", "@anthropic-ai/claude-code", "^two", "is not an npm semver version or range"),
])
def test_pin_syntax_per_manager(tmp_path: Path, manager: str, package: str, pin: str,
                                expected: str) -> None:
    data = small()
    data["pins"][manager][package] = pin
    message = load_error(write_data(tmp_path, data))
    assert f": pins.{manager}.{package}: {pin!r} {expected}" in message


@pytest.mark.parametrize("pin", ["0.86.1", ">=1,<2", "~=0.86", "==0.86.*"])
def test_pep440_pins_are_accepted(pin: str) -> None:
    data = small()
    data["pins"]["pipx"]["aider-chat"] = pin
    assert from_data(data).pins["pipx"]["aider-chat"] == pin


@pytest.mark.parametrize("pin", ["2.0.31", "^2.0.31", "~2.0", ">=1.2 <2", "1.x", "1.2.3 - 2",
                                 "^1 || ^2", "*"])
def test_npm_ranges_are_accepted(pin: str) -> None:
    data = small()
    data["pins"]["npm"]["@anthropic-ai/claude-code"] = pin
    assert from_data(data).pins["npm"]["@anthropic-ai/claude-code"] == pin


def test_several_problems_are_reported_together_in_line_order(tmp_path: Path) -> None:
    data = small()
    data["logging"] = {"level": "verbose"}
    data["tools"]["codex"]["detect"] = []
    ws = write_data(tmp_path, data)
    line0 = line_of(ws, '"detect": []')
    assert load_error(ws).splitlines() == [
        f"{tmp_path}/aim_config.json:{line0}: tools.codex.detect: "
        "must not be empty",
        f"{tmp_path}/aim_config.json:{line_of(ws, 'verbose')}: logging.level: "
        "'verbose' is not allowed; use one of debug, info, warning, error",
    ]


def test_the_migrated_sample_workspace_validates() -> None:
    from aim.legacy.mapping import map_legacy
    from aim.legacy.reader import read_legacy
    from aim.sample import sample_source

    install = read_legacy(sample_source())
    config = from_data(map_legacy(install.config, "AI_MANGER/config/toolstack.config.json").data)
    assert "claude" in config.tools and config.capabilities["code-edit"].primary == "claude"


def test_secret_names_follow_their_own_rule() -> None:
    data = small()
    data["secrets"]["OPENAI KEY"] = {"env": "OPENAI_API_KEY"}
    with pytest.raises(ConfigError) as caught:
        from_data(data)
    assert str(caught.value) == (
        "<config data>: secrets.OPENAI KEY: 'OPENAI KEY' is not a valid name here: use "
        "letters, digits, '_', '.' and '-', starting with a letter or '_'")
