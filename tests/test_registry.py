"""Which tool serves a capability: fake executables on a tmp PATH stand in for the real CLIs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aim.config.load import default_data, from_data
from aim.errors import NotFound
from aim.registry import available_tools, resolve
from tests.config.cfgutil import small


def fake_tools(folder: Path, *names: str) -> str:
    """Executable scripts called ``names`` in ``folder``; returns it as a PATH value."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        script = folder / name
        script.write_text(f"#!/bin/sh\necho '{name} 1.0.0'\n")
        script.chmod(0o755)
    return str(folder)


def test_primary_missing_resolves_to_the_first_fallback(tmp_path: Path) -> None:
    config = from_data(small())
    path_env = fake_tools(tmp_path / "bin", "aider", "codex")
    resolution = resolve(config, "code-edit", path_env=path_env)
    assert resolution.tool == "aider"
    assert resolution.executable == str(tmp_path / "bin" / "aider")
    assert [(s.tool, s.reason) for s in resolution.skipped] == [
        ("claude", "not installed: claude is not on PATH")]


def test_primary_present_wins(tmp_path: Path) -> None:
    config = from_data(small())
    resolution = resolve(config, "code-edit",
                         path_env=fake_tools(tmp_path / "bin", "claude", "aider"))
    assert (resolution.tool, resolution.skipped) == ("claude", ())


def test_nothing_installed_lists_every_tool_skipped(tmp_path: Path) -> None:
    config = from_data(small())
    resolution = resolve(config, "code-edit", path_env=str(tmp_path))
    assert not resolution.found and resolution.tool is None
    assert [s.tool for s in resolution.skipped] == ["claude", "aider", "codex"]


def test_a_file_that_is_not_executable_does_not_count(tmp_path: Path) -> None:
    config = from_data(small())
    path_env = fake_tools(tmp_path / "bin", "codex")
    (tmp_path / "bin" / "claude").write_text("not a program\n")  # mode 0644
    assert resolve(config, "code-edit", path_env=path_env).tool == "codex"


def test_later_path_entries_are_searched_too(tmp_path: Path) -> None:
    config = from_data(small())
    path_env = os.pathsep.join([str(tmp_path / "empty"),
                                fake_tools(tmp_path / "second", "claude")])
    assert resolve(config, "code-edit", path_env=path_env).executable == \
        str(tmp_path / "second" / "claude")


def test_detect_names_are_expanded(tmp_path: Path, isolated_home: Path) -> None:
    data = small()
    fake_tools(isolated_home / "tools", "claude-bin")
    data["tools"]["claude"]["detect"] = ["~/tools/claude-bin"]
    resolution = resolve(from_data(data), "code-edit", path_env=str(tmp_path))
    assert resolution.executable == str(isolated_home / "tools" / "claude-bin")


def test_unknown_capability_suggests_the_close_one() -> None:
    with pytest.raises(NotFound) as caught:
        resolve(from_data(default_data()), "code-edt", path_env="")
    assert str(caught.value) == (
        "no capability 'code-edt' (did you mean 'code-edit'?) in aim_config.json; known "
        "capabilities: code-edit, chat, review, shell-help")


def test_available_tools_in_config_order(tmp_path: Path) -> None:
    config = from_data(default_data())
    statuses = available_tools(config, fake_tools(tmp_path / "bin", "gemini", "aider"))
    assert [(s.tool.id, s.found) for s in statuses] == [
        ("aider", True), ("claude", False), ("codex", False), ("gemini", True),
        ("copilot", False)]
    assert statuses[3].executable == str(tmp_path / "bin" / "gemini")
