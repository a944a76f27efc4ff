"""Expanding config values for the running platform; the stored value never changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aim.config.expand import expand, is_windows_path

ENV = {"HOME": "/home/dev", "PROJECTS": "/srv/projects"}


@pytest.mark.parametrize(("raw", "expanded"), [
    ("%USERPROFILE%\\Tools", "/home/dev/Tools"),
    ("%LOCALAPPDATA%\\aim\\tools", "/home/dev/.local/share/aim/tools"),
    ("%APPDATA%\\aider\\conf.yml", "/home/dev/.config/aider/conf.yml"),
    ("%TEMP%\\aim", "/tmp/aim"),
    ("~\\.claude.json", "/home/dev/.claude.json"),
    ("~/.claude.json", "/home/dev/.claude.json"),
    ("~", "/home/dev"),
    ("$PROJECTS/app", "/srv/projects/app"),
    ("${PROJECTS}/app", "/srv/projects/app"),
    ("node_modules\\.cache", "node_modules/.cache"),
    ("C:\\Tools\\bin", "C:/Tools/bin"),
    ("%NOT_SET%\\x", "%NOT_SET%/x"),
    ("$NOT_SET/x", "$NOT_SET/x"),
    ("a\\b c/d", "a\\b c/d"),  # not a Windows path: its backslash stays
])
def test_windows_style_values_expand_on_posix(raw: str, expanded: str) -> None:
    assert expand(raw, ENV, posix=True) == expanded


def test_xdg_folders_stand_in_for_appdata_when_set() -> None:
    env = {**ENV, "XDG_DATA_HOME": "/data", "XDG_CONFIG_HOME": "/conf", "TMPDIR": "/t"}
    assert expand("%LOCALAPPDATA%\\aim", env, posix=True) == "/data/aim"
    assert expand("%APPDATA%\\aim", env, posix=True) == "/conf/aim"
    assert expand("%TMP%\\aim", env, posix=True) == "/t/aim"


def test_a_set_windows_variable_wins_over_the_stand_in() -> None:
    assert expand("%USERPROFILE%\\x", {**ENV, "USERPROFILE": "/mnt/c/Users/dev"},
                  posix=True) == "/mnt/c/Users/dev/x"


def test_on_windows_backslashes_stay_and_names_ignore_case() -> None:
    env = {"USERPROFILE": "C:\\Users\\dev", "LOCALAPPDATA": "C:\\Users\\dev\\AppData\\Local"}
    assert expand("%LocalAppData%\\aim", env, posix=False) == "C:\\Users\\dev\\AppData\\Local\\aim"
    assert expand("~\\.claude.json", env, posix=False) == "C:\\Users\\dev\\.claude.json"


def test_default_environment_is_the_process_one(isolated_home: Path) -> None:
    assert expand("~/x") == os.path.join(str(isolated_home), "x")
    assert expand("%LOCALAPPDATA%\\aim") == f"{isolated_home}/xdg_data_home/aim"


@pytest.mark.parametrize(("value", "windows"), [
    ("C:\\Tools", True), ("c:/tools", True), ("\\\\server\\share", True),
    ("%USERPROFILE%/x", True), ("~\\x", True), ("node_modules\\.cache", True),
    ("~/x", False), ("/usr/bin", False), ("relative/path", False),
])
def test_what_counts_as_a_windows_path(value: str, windows: bool) -> None:
    assert is_windows_path(value) is windows
