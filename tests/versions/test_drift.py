"""Drift kinds for a whole config, with fake managers and tools on a tmp PATH."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import replace
from pathlib import Path

from aim.versions.drift import DriftItem, DriftReport, check_versions
from tests.versions import fakes

PACKAGES = {"pipx": ["aider-chat", "ruff", "black"],
            "npm": ["@anthropic-ai/claude-code", "@openai/codex"], "uv": ["llm"]}
PINS = {"pipx": {"aider-chat": "0.86.1", "ruff": ">=0.6,<0.7", "black": "24.1.0"},
        "npm": {"@anthropic-ai/claude-code": "^2.0.31", "@openai/codex": "0.58.0"},
        "uv": {"llm": "0.19"}}
TOOLS = [fakes.tool("aider", "pipx", "aider-chat"),
         fakes.tool("claude", "npm", "@anthropic-ai/claude-code"),
         fakes.tool("codex", "npm", "@openai/codex"), fakes.tool("gemini"), fakes.tool("git")]


def _machine(bin_dir: Path) -> None:
    fakes.managers(bin_dir, pipx={"aider-chat": "0.85.0", "ruff": "0.7.1"},
                   npm={"@anthropic-ai/claude-code": "2.0.40", "@openai/codex": "0.60.0"},
                   uv={"llm": "0.19"})
    fakes.fake(bin_dir, "aider", "aider 0.85.0\n")
    fakes.fake(bin_dir, "claude", "2.0.40 (Claude Code)\n")
    fakes.fake(bin_dir, "codex", "codex-cli 0.60.0\n")
    fakes.fake(bin_dir, "git", "git version 2.39.2\n")


def _by_name(report: DriftReport) -> dict[str, DriftItem]:
    return {item.name: item for item in report.items}


def test_every_drift_kind(tmp_path: Path) -> None:
    _machine(tmp_path)
    report = check_versions(fakes.config(TOOLS, PACKAGES, PINS), path=str(tmp_path))
    items = _by_name(report)
    assert {name: (i.status, i.installed) for name, i in items.items()} == {
        "aider-chat": ("older", "0.85.0"), "ruff": ("newer", "0.7.1"), "black": ("missing", None),
        "@anthropic-ai/claude-code": ("ok", "2.0.40"), "@openai/codex": ("newer", "0.60.0"),
        "llm": ("ok", "0.19"), "gemini": ("missing", None), "git": ("unpinned", "2.39.2"),
    }
    # An unmanaged tool that is absent is reported, but cannot drift: nothing would install it.
    assert [i.name for i in report.drifted] == ["aider-chat", "ruff", "black", "@openai/codex"]
    assert items["aider-chat"].winner == str(tmp_path / "aider")
    assert (items["aider-chat"].tool, items["aider-chat"].source) == ("aider", "pipx list")
    assert items["git"].source == "version command"


def test_report_serialises_to_json(tmp_path: Path) -> None:
    _machine(tmp_path)
    data = check_versions(fakes.config(TOOLS, PACKAGES, PINS), path=str(tmp_path)).to_dict()
    assert json.loads(json.dumps(data))["drifted"] == ["aider-chat", "ruff", "black",
                                                      "@openai/codex"]
    assert data["ok"] is False
    assert data["counts"] == {"older": 1, "newer": 2, "missing": 2, "ok": 2, "unpinned": 1}
    assert data["managers"] == {"pipx": "ok", "npm": "ok", "uv": "ok"}


def test_missing_manager_means_missing_packages(tmp_path: Path) -> None:
    config = fakes.config(packages={"pipx": ["ruff"]}, pins={"pipx": {"ruff": "0.6.9"}})
    item = check_versions(config, path=str(tmp_path)).items[0]
    assert (item.status, item.note) == ("missing", "missing: pipx is not on PATH")
    assert item.drifted


def test_listing_timeout_is_unknown_not_missing(tmp_path: Path) -> None:
    fakes.fake(tmp_path, "pipx", "HANG")
    config = fakes.config(packages={"pipx": ["ruff"]}, timeout=0.5)
    report = check_versions(config, path=str(tmp_path))
    assert (report.items[0].status, report.items[0].note) == (
        "unknown", "timeout: pipx list --json timed out after 0.5s")
    assert report.drifted == []


def test_tool_version_fills_in_when_the_listing_fails(tmp_path: Path) -> None:
    fakes.fake(tmp_path, "pipx", "HANG")
    fakes.fake(tmp_path, "aider", "aider 0.86.1\n")
    config = fakes.config([TOOLS[0]], {"pipx": ["aider-chat"]}, {"pipx": {"aider-chat": "0.86.1"}},
                          timeout=0.5)
    item = check_versions(config, path=str(tmp_path)).items[0]
    assert (item.status, item.installed, item.source) == ("ok", "0.86.1", "version command")


def test_package_installed_another_way_is_found_on_path(tmp_path: Path) -> None:
    fakes.managers(tmp_path, pipx={})
    fakes.fake(tmp_path, "aider", "aider 0.86.1\n")
    item = check_versions(fakes.config([TOOLS[0]], {"pipx": ["aider-chat"]}),
                          path=str(tmp_path)).items[0]
    assert (item.status, item.installed) == ("unpinned", "0.86.1")
    assert item.note == "not in pipx's list; found on PATH"


def test_a_shadowing_copy_on_path_is_named(tmp_path: Path) -> None:
    early, late = tmp_path / "early", tmp_path / "late"
    fakes.managers(late, pipx={"aider-chat": "0.86.1"})
    fakes.fake(late, "aider", "aider 0.86.1\n")
    fakes.fake(early, "aider", "aider 0.70.0\n")
    path = os.pathsep.join([str(early), str(late)])
    item = check_versions(fakes.config([TOOLS[0]], pins={"pipx": {"aider-chat": "0.86.1"}}),
                          path=path).items[0]
    assert (item.status, item.winner) == ("ok", str(early / "aider"))
    assert item.copies == (str(early / "aider"), str(late / "aider"))
    assert item.note == "the copy on PATH reports 0.70.0"


def test_unreadable_installed_version_is_unknown(tmp_path: Path) -> None:
    fakes.managers(tmp_path, npm={"@openai/codex": "banana"})
    config = fakes.config(pins={"npm": {"@openai/codex": "^0.58.0"}})
    item = check_versions(config, path=str(tmp_path)).items[0]
    assert (item.status, item.note) == ("unknown",
                                        "installed version 'banana' is not a semver version")


def test_winget_packages_without_a_tool_cannot_be_read(tmp_path: Path) -> None:
    config = fakes.config(packages={"winget": ["Git.Git"]}, pins={"winget": {"Git.Git": "2.45"}})
    report = check_versions(config, path=str(tmp_path))
    assert report.items[0].status == "unknown"
    assert "winget has no listing" in report.items[0].note


def test_winget_package_read_through_its_tool(tmp_path: Path) -> None:
    fakes.fake(tmp_path, "git", "git version 2.45.1.windows.1\n")
    config = fakes.config([fakes.tool("git", "winget", "Git.Git")],
                          pins={"winget": {"Git.Git": "2.45.1"}})
    item = check_versions(config, path=str(tmp_path)).items[0]
    assert (item.status, item.installed) == ("ok", "2.45.1")


OVERLAP = """#!{python}
import time
with open({log!r}, "a") as log:
    log.write("start\\n")
time.sleep(0.3)
with open({log!r}, "a") as log:
    log.write("end\\n")
print("{name} 1.0.0")
"""


def test_version_commands_run_no_more_at_once_than_health_concurrency(tmp_path: Path) -> None:
    # each version command costs the CPU its start-up: all at once, they would miss their
    # time limits together (as the health checks did)
    log = tmp_path / "running.log"
    tools = [fakes.tool(f"tool{n}") for n in range(6)]
    for tool in tools:
        path = tmp_path / tool.id
        path.write_text(OVERLAP.format(python=sys.executable, log=str(log), name=tool.id))
        path.chmod(0o755)
    config = fakes.config(tools)
    config = replace(config, health=replace(config.health, concurrency=2))
    report = check_versions(config, path=str(tmp_path))
    assert [item.installed for item in report.items] == ["1.0.0"] * 6
    running = peak = 0
    for line in log.read_text().split():
        running += 1 if line == "start" else -1
        peak = max(peak, running)
    assert peak == 2
