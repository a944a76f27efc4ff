"""Install plans as argument lists, executed against fake managers that record their argv."""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from aim import installer
from aim.installer import Operation
from aim.versions.drift import check_versions
from tests.versions import fakes


@pytest.mark.parametrize(("op", "argv"), [
    (Operation("install", "pipx", "aider-chat", "0.86.1"),
     ["pipx", "install", "aider-chat==0.86.1"]),
    (Operation("install", "pipx", "aider-chat", "0.86.1", "0.80.0", replace=True),
     ["pipx", "install", "--force", "aider-chat==0.86.1"]),
    (Operation("install", "pipx", "ruff", ">=0.6,<0.7"), ["pipx", "install", "ruff>=0.6,<0.7"]),
    (Operation("install", "pipx", "ruff"), ["pipx", "install", "ruff"]),
    (Operation("upgrade", "pipx", "ruff"), ["pipx", "upgrade", "ruff"]),
    (Operation("uninstall", "pipx", "ruff"), ["pipx", "uninstall", "ruff"]),
    (Operation("install", "npm", "@anthropic-ai/claude-code", "^2.0.31"),
     ["npm", "install", "-g", "@anthropic-ai/claude-code@^2.0.31"]),
    (Operation("install", "npm", "@openai/codex"), ["npm", "install", "-g", "@openai/codex"]),
    (Operation("upgrade", "npm", "@openai/codex"),
     ["npm", "install", "-g", "@openai/codex@latest"]),
    (Operation("uninstall", "npm", "@openai/codex"), ["npm", "uninstall", "-g", "@openai/codex"]),
    (Operation("install", "pnpm", "cowsay", "1.5.0"), ["pnpm", "add", "-g", "cowsay@1.5.0"]),
    (Operation("upgrade", "pnpm", "cowsay"), ["pnpm", "add", "-g", "cowsay@latest"]),
    (Operation("uninstall", "pnpm", "@openai/codex"), ["pnpm", "remove", "-g", "@openai/codex"]),
    (Operation("install", "uv", "llm", "0.19"), ["uv", "tool", "install", "llm==0.19"]),
    (Operation("install", "uv", "llm", "~=0.19"), ["uv", "tool", "install", "llm~=0.19"]),
    (Operation("upgrade", "uv", "llm"), ["uv", "tool", "upgrade", "llm"]),
    (Operation("uninstall", "uv", "llm"), ["uv", "tool", "uninstall", "llm"]),
    (Operation("install", "winget", "Git.Git", "2.45.1"),
     ["winget", "install", "--id", "Git.Git", "--version", "2.45.1", "-e"]),
    (Operation("install", "winget", "Git.Git"), ["winget", "install", "--id", "Git.Git", "-e"]),
    (Operation("upgrade", "winget", "Git.Git"), ["winget", "upgrade", "--id", "Git.Git", "-e"]),
    (Operation("uninstall", "winget", "Git.Git"),
     ["winget", "uninstall", "--id", "Git.Git", "-e"]),
])
def test_argument_lists(op: Operation, argv: list[str]) -> None:
    assert list(op.argv()) == argv


def test_unknown_action_or_manager_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown install action 'remove'"):
        Operation("remove", "pipx", "ruff").argv()
    with pytest.raises(ValueError, match="unknown package manager 'brew'"):
        Operation("install", "brew", "ruff").argv()


class Recorder:
    """An audit callable that keeps the events it is given."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, kind: str, details: Mapping[str, Any]) -> None:
        self.events.append((kind, dict(details)))


def test_execute_runs_the_exact_argv_and_audits_it(tmp_path: Path) -> None:
    fakes.managers(tmp_path, npm={})
    audit = Recorder()
    op = Operation("install", "npm", "@anthropic-ai/claude-code", "^2.0.31", "2.0.20", True)
    result = installer.execute(op, audit=audit, path=str(tmp_path))
    assert result.ok and result.outcome == "ok"
    assert fakes.calls(tmp_path) == [["npm", "install", "-g", "@anthropic-ai/claude-code@^2.0.31"]]
    assert audit.events == [("install", {
        "name": "@anthropic-ai/claude-code", "manager": "npm", "version": "^2.0.31",
        "previous": "2.0.20", "action": "install", "outcome": "ok"})]


def test_failed_install_reports_the_tail_of_its_output(tmp_path: Path) -> None:
    fakes.fake(tmp_path, "pipx", {"*": ("resolving\nERROR: No matching distribution\n", 1)})
    audit = Recorder()
    result = installer.execute(Operation("install", "pipx", "nope", "9.9"), audit=audit,
                               path=str(tmp_path))
    assert result.outcome == "failed"
    assert "exit code 1" in result.detail and "No matching distribution" in result.detail
    assert audit.events[0][1]["outcome"] == "failed"


def test_missing_manager_is_a_result(tmp_path: Path) -> None:
    result = installer.execute(Operation("install", "uv", "llm"), path=str(tmp_path))
    assert (result.outcome, result.detail) == ("missing", "uv is not on PATH; install uv first")


def test_hanging_manager_times_out_quickly(tmp_path: Path) -> None:
    fakes.fake(tmp_path, "pipx", "HANG")
    started = time.monotonic()
    result = installer.execute(Operation("install", "pipx", "ruff"), timeout=0.5,
                               path=str(tmp_path))
    assert time.monotonic() - started < 5
    assert result.outcome == "timeout" and "timed out after" in result.detail


def test_run_plan_stops_at_the_first_failure(tmp_path: Path) -> None:
    fakes.fake(tmp_path, "pipx", {"install bad": ("boom\n", 1), "*": ("ok\n", 0)})
    plan = [Operation("install", "pipx", name) for name in ("good", "bad", "never")]
    results = installer.run_plan(plan, path=str(tmp_path))
    assert [r.outcome for r in results] == ["ok", "failed"]
    assert fakes.calls(tmp_path) == [["pipx", "install", "good"], ["pipx", "install", "bad"]]


def _drifted_machine(bin_dir: Path) -> Any:
    fakes.managers(bin_dir, pipx={"aider-chat": "0.85.0", "ruff": "0.6.9"},
                   npm={"@openai/codex": "0.60.0"}, uv={})
    return fakes.config(
        packages={"pipx": ["aider-chat", "ruff", "black"], "npm": ["@openai/codex"],
                  "uv": ["llm"]},
        pins={"pipx": {"aider-chat": "0.86.1", "ruff": ">=0.6,<0.7"},
              "npm": {"@openai/codex": "0.58.0"}, "uv": {"llm": "0.19"}})


def test_sync_plan_reaches_the_pins(tmp_path: Path) -> None:
    report = check_versions(_drifted_machine(tmp_path), path=str(tmp_path))
    plan = installer.sync_plan(report)
    assert [list(op.argv()) for op in plan] == [
        ["pipx", "install", "--force", "aider-chat==0.86.1"],
        ["pipx", "install", "black"],
        ["npm", "install", "-g", "@openai/codex@0.58.0"],
        ["uv", "tool", "install", "llm==0.19"],
    ]
    results = installer.run_plan(plan, path=str(tmp_path))
    assert all(r.ok for r in results)
    installs = [c for c in fakes.calls(tmp_path) if "install" in c]
    assert installs == [list(op.argv()) for op in plan]


def test_undo_plan_puts_previous_versions_back(tmp_path: Path) -> None:
    report = check_versions(_drifted_machine(tmp_path), path=str(tmp_path))
    results = installer.run_plan(installer.sync_plan(report), path=str(tmp_path))
    undo = installer.undo_plan(results)
    assert [list(op.argv()) for op in undo] == [
        ["uv", "tool", "uninstall", "llm"],
        ["npm", "install", "-g", "@openai/codex@0.60.0"],
        ["pipx", "uninstall", "black"],
        ["pipx", "install", "--force", "aider-chat==0.85.0"],
    ]
    recorded = installer.plan_to_data(undo)
    assert installer.plan_from_data(recorded) == undo


def test_undo_skips_what_failed_and_reinstalls_what_was_removed() -> None:
    removed = installer.InstallResult(Operation("uninstall", "pipx", "ruff", None, "0.6.9"), "ok")
    failed = installer.InstallResult(Operation("install", "pipx", "black"), "failed")
    undo = installer.undo_plan([removed, failed])
    assert [list(op.argv()) for op in undo] == [["pipx", "install", "ruff==0.6.9"]]


def test_a_damaged_recorded_plan_is_bad_input() -> None:
    from aim.errors import InputError

    with pytest.raises(InputError, match="lacks 'package'"):
        installer.plan_from_data([{"action": "install", "manager": "pipx"}])
