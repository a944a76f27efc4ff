"""The version actions in real workflow runs, with fake package managers on PATH."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aim import installer
from aim.actions.registry import get
from aim.installer import Operation
from aim.workspace import Workspace
from tests.versions import fakes, stateful
from tests.workflow.wfutil import Recorder, run, write_workflow


def test_the_actions_are_in_the_catalogue() -> None:
    check, sync, undo = get("versions.check"), get("versions.sync"), get("versions.undo")
    assert check is not None and sync is not None and undo is not None
    assert [(p.name, p.type, p.default) for p in check.params] == [
        ("fail", "boolean", True)]
    assert sync.params == () and sync.outputs == ("installed", "undo")
    assert sync.touches is not None and "undone by versions.undo" in sync.touches({})[0]


def test_undo_runs_a_recorded_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = stateful.managers(tmp_path / "bin", available=["ruff", "@openai/codex"])
    stateful.install(bin_dir, "npm", {"@openai/codex": "0.58.2"})
    monkeypatch.setenv("PATH", str(bin_dir))
    plan = installer.plan_to_data([Operation("uninstall", "npm", "@openai/codex"),
                                   Operation("install", "pipx", "ruff", "0.5.0", replace=True)])
    flow = write_workflow(tmp_path, "undo", f"""
        version: 1
        name: undo
        steps:
          - id: undo
            uses: versions.undo
            with: {{plan: {json.dumps(plan)}}}
    """)
    recorder = Recorder()
    result = run(Workspace.at(tmp_path / "ws"), flow, recorder.hooks())
    assert result.status == "success", result.reason
    assert [c for c in fakes.calls(bin_dir) if "list" not in c and "ls" not in c] == [
        ["npm", "uninstall", "-g", "@openai/codex"], ["pipx", "install", "--force", "ruff==0.5.0"]]
    assert stateful.installed(bin_dir, "npm") == {}
    assert stateful.installed(bin_dir, "pipx") == {"ruff": "0.5.0"}
    installs = [d for kind, _, d in recorder.events if kind == "install"]
    assert [(d["name"], d["action"], d["outcome"]) for d in installs] == [
        ("@openai/codex", "uninstall", "ok"), ("ruff", "install", "ok")]


def test_undo_failure_fails_the_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    plan = installer.plan_to_data([Operation("uninstall", "uv", "llm")])
    flow = write_workflow(tmp_path, "undo", f"""
        version: 1
        name: undo
        on_failure: stop
        steps:
          - {{id: undo, uses: versions.undo, with: {{plan: {json.dumps(plan)}}}}}
    """)
    (tmp_path / "ws").mkdir()
    result = run(Workspace.at(tmp_path / "ws"), flow)
    assert result.status != "success"
    assert "versions.undo: llm: uv is not on PATH; install uv first" in result.reason
