"""Undo-action checkpoints: external changes undone by the action a step recorded before them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aim import redact
from aim.actions import registry
from aim.errors import CheckFailed
from aim.workflow.context import StepContext
from aim.workflow.history import load_run
from aim.workflow.journal import read_journal
from aim.workflow.rollback import preview_rollback, rollback_run
from aim.workflow.run_index import find_run
from aim.workspace import Workspace
from tests.cli.clitool import aim
from tests.test_preflight import (
    BEFORE,
    PINS,
    PUT_BACK,
    SYNC_INSTALLS,
    changes,
    synced,
    workspace,
)
from tests.workflow import pkgfakes
from tests.workflow.wfutil import Recorder, run, write_workflow


class Ledger:
    """Something outside the workspace that test actions change: a JSON list in a file."""

    def __init__(self, path: Path) -> None:
        self.path, self.undos = path, path.with_suffix(".undos")
        path.write_text("[]")

    def items(self) -> list[str]:
        data: list[str] = json.loads(self.path.read_text())
        return data

    def undo_calls(self) -> list[list[str]]:
        """(item, notes.txt at the time) for every call of the undo action, in order."""
        if not self.undos.exists():
            return []
        return [json.loads(line) for line in self.undos.read_text().splitlines()]


def _add(ctx: StepContext, ledger: str, item: str, fail_once: str = "") -> dict[str, Any]:
    """Add ``item`` to the ledger, recording its undo first (test action)."""
    ctx.checkpoint.action("test.ledger-remove", {"ledger": ledger, "item": item})
    path = Path(ledger)
    path.write_text(json.dumps([*json.loads(path.read_text()), item]))
    if fail_once and not Path(fail_once).exists():
        Path(fail_once).touch()
        raise CheckFailed("failing once, as asked")
    return {}


def _remove(ctx: StepContext, ledger: str, item: str) -> dict[str, Any]:
    """Take ``item`` out of the ledger; idempotent (test undo action)."""
    path = Path(ledger)
    if path.with_suffix(".broken").exists():
        raise CheckFailed(f"the ledger is locked ({path.with_suffix('.broken')} exists)")
    notes = ctx.ws.root / "notes.txt"
    with open(path.with_suffix(".undos"), "a", encoding="utf-8") as log:
        log.write(json.dumps([item, notes.read_text() if notes.exists() else None]) + "\n")
    path.write_text(json.dumps([i for i in json.loads(path.read_text()) if i != item]))
    return {}


def _record(ctx: StepContext, name: str, params: dict[str, Any]) -> dict[str, Any]:
    """Record an undo checkpoint as given (test action)."""
    ctx.checkpoint.action(name, params)
    return {}


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    registry.load_catalog()
    registry.action("test.ledger-add")(_add)
    registry.action("test.ledger-remove")(_remove)
    registry.action("test.record-undo")(_record)
    yield Ledger(tmp_path / "ledger.json")
    for name in ("test.ledger-add", "test.ledger-remove", "test.record-undo"):
        del registry._REGISTRY[name]


def ledger_flow(tmp_path: Path, ledger: Ledger, last: str = "false",
                on_failure: str = "rollback", fail_once: str = "") -> Path:
    add = f"uses: test.ledger-add, with: {{ledger: {ledger.path}"
    return write_workflow(tmp_path / "wf", "ledger", f"""
        version: 1
        name: ledger
        on_failure: {on_failure}
        steps:
          - {{id: one, uses: file.write, with: {{path: notes.txt, content: "one"}}}}
          - {{id: x, {add}, item: X}}}}
          - {{id: three, uses: file.write, with: {{path: notes.txt, content: "three"}}}}
          - {{id: y, retries: 1, {add}, item: Y, fail_once: "{fail_once}"}}}}
          - {{id: last, uses: shell, with: {{run: "{last}", writes: []}}}}
    """)


def test_undo_actions_run_newest_first_between_file_restores(tmp_path: Path,
                                                              ledger: Ledger) -> None:
    ws = Workspace.at(tmp_path / "ws")
    ws.root.mkdir()
    recorder = Recorder()
    result = run(ws, ledger_flow(tmp_path, ledger), recorder.hooks())
    assert result.status == "failed" and result.rolled_back
    assert ledger.items() == [] and not (ws.root / "notes.txt").exists()
    # Y was undone while notes.txt still said "three", X after it was put back to "one"
    assert ledger.undo_calls() == [["Y", "three"], ["X", "one"]]
    journal = read_journal(ws.runs_dir / result.run_id)
    recorded = [r for r in journal if r["t"] == "checkpoint" and r["kind"] == "action"]
    assert [(r["step"], r["target"], r["params"]["item"]) for r in recorded] == [
        ("x", "test.ledger-remove", "X"), ("y", "test.ledger-remove", "Y")]
    undos = [(r["step"], r["kind"]) for r in journal if r["t"] == "undo"]
    assert undos == [("y", "action"), ("three", "path"), ("x", "action"), ("one", "path")]
    audited = [d for k, _, d in recorder.events if k == "rollback"]
    assert audited[0]["actions"] == ["test.ledger-remove (y)", "test.ledger-remove (x)"]


def test_a_retry_undoes_the_failed_attempt_once(tmp_path: Path, ledger: Ledger) -> None:
    ws = Workspace.at(tmp_path / "ws")
    ws.root.mkdir()
    flow = ledger_flow(tmp_path, ledger, last="true", fail_once=str(tmp_path / "failed-once"))
    result = run(ws, flow)
    assert result.status == "success" and result.steps[3].attempts == 2
    assert ledger.items() == ["X", "Y"] and ledger.undo_calls() == [["Y", "three"]]
    done = rollback_run(ws, result.run_id)
    assert done.actions == ("test.ledger-remove (y)", "test.ledger-remove (x)")
    assert ledger.items() == [] and len(ledger.undo_calls()) == 3  # attempt 1's undo not rerun
    assert done.restored == ("notes.txt",)


def test_a_rollback_cut_off_by_a_failing_undo_goes_on_where_it_stopped(
        tmp_path: Path, ledger: Ledger) -> None:
    ws = Workspace.at(tmp_path / "ws")
    ws.root.mkdir()
    result = run(ws, ledger_flow(tmp_path, ledger, on_failure="stop"))
    assert ledger.items() == ["X", "Y"]
    preview = preview_rollback(ws, result.run_id)
    assert [a["step"] for a in preview["undo_actions"]] == ["y", "x"]
    assert preview["unverified"][0].startswith("not verified before the undo: "
                                               "test.ledger-remove")
    assert preview["restore"] == ["notes.txt"]
    ledger.path.with_suffix(".broken").touch()
    with pytest.raises(CheckFailed, match=rf"undoing step y of run {result.run_id} with "
                       r"test.ledger-remove failed: .*locked.*try again: 'aim rollback --run"):
        rollback_run(ws, result.run_id)
    ledger.path.with_suffix(".broken").unlink()
    (ws.root / "notes.txt").write_text("edited meanwhile")  # a resumed rollback does not ask
    rollback_run(ws, result.run_id)
    assert ledger.items() == [] and [c[0] for c in ledger.undo_calls()] == ["Y", "X"]
    assert load_run(ws, result.run_id).status == "rolled_back"
    assert not (ws.root / "notes.txt").exists()


def test_resume_undoes_the_failed_step_before_running_it_again(tmp_path: Path,
                                                                ledger: Ledger) -> None:
    from aim.workflow.loader import load_workflow
    from aim.workflow.runner import resume_workflow

    ws = Workspace.at(tmp_path / "ws")
    ws.root.mkdir()
    flow = write_workflow(tmp_path / "wf", "once", f"""
        version: 1
        name: once
        on_failure: stop
        steps:
          - id: add
            uses: test.ledger-add
            with: {{ledger: {ledger.path}, item: A, fail_once: "{tmp_path / 'flag'}"}}
    """)
    assert run(ws, flow).status == "failed" and ledger.items() == ["A"]
    resumed = resume_workflow(ws, load_workflow(str(flow)), find_run(ws))
    assert resumed.status == "success"
    assert ledger.items() == ["A"] and [c[0] for c in ledger.undo_calls()] == ["A"]


@pytest.mark.parametrize(("name", "params", "problem"), [
    ("test.nope", {}, "is not a registered action"),
    ("test.ledger-remove", {"ledger": "x"}, "with.item"),
    ("test.ledger-remove", {"ledger": "x", "item": "the-secret-value"}, "hold a secret value"),
])
def test_a_bad_undo_checkpoint_fails_the_step_before_any_change(
        tmp_path: Path, ledger: Ledger, name: str, params: dict[str, Any], problem: str) -> None:
    redact.register("the-secret-value")
    ws = Workspace.at(tmp_path / "ws")
    ws.root.mkdir()
    flow = write_workflow(tmp_path / "wf", "bad", f"""
        version: 1
        name: bad
        steps:
          - id: rec
            uses: test.record-undo
            with: {{name: {name}, params: {json.dumps(params)}}}
    """)
    result = run(ws, flow)
    assert result.status == "failed" and problem in result.reason
    journal = read_journal(ws.runs_dir / result.run_id)
    assert not [r for r in journal if r["t"] == "checkpoint"]


def test_versions_undo_tolerates_running_twice(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = pkgfakes.managers(tmp_path / "bin", {"ruff": "0.5.0"}, {})
    monkeypatch.setenv("PATH", pkgfakes.search_path(bin_dir))
    plan = [{"action": "uninstall", "manager": "pipx", "package": "ruff"}]
    flow = write_workflow(tmp_path / "wf", "undo", f"""
        version: 1
        name: undo
        steps:
          - {{id: undo, uses: versions.undo, with: {{plan: {json.dumps(plan)}}}}}
    """)
    ws = Workspace.at(tmp_path / "ws")
    ws.root.mkdir()
    first, second = run(ws, flow), run(ws, flow)
    assert first.status == second.status == "success", second.reason
    assert pkgfakes.installed(bin_dir)["pipx"] == {}
    assert second.steps[0].outputs["undone"][0]["detail"] == "already in place"
    assert changes(bin_dir) == [["pipx", "uninstall", "ruff"]] * 2


def kill_mid_sync(tmp_path: Path) -> tuple[Workspace, Path, dict[str, str]]:
    """A run with ``sync: true`` SIGKILLed while the second install (npm) hangs."""
    bin_dir = pkgfakes.managers(tmp_path / "bin", BEFORE["pipx"], BEFORE["npm"])
    (bin_dir / "hang-@openai_codex").touch()
    ws = workspace(tmp_path / "ws")
    env = {**os.environ, "AIM_KEYRING": "memory", "PATH": pkgfakes.search_path(bin_dir)}
    proc = subprocess.Popen([sys.executable, "-m", "aim", "workflow.run", str(synced(tmp_path)),
                             "--root", str(ws.root)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    started, deadline = bin_dir / "started-@openai_codex", time.monotonic() + 30
    while not started.exists():
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    os.kill(int(started.read_text()), signal.SIGKILL)  # the hung fake npm the runner started
    (bin_dir / "hang-@openai_codex").unlink()
    assert changes(bin_dir) == SYNC_INSTALLS  # both installs happened, the second never ended
    return ws, bin_dir, {"PATH": env["PATH"]}


def test_sigkill_in_the_middle_of_a_sync_then_rollback(tmp_path: Path) -> None:
    ws, bin_dir, env = kill_mid_sync(tmp_path)
    undone = aim("rollback", "--root", str(ws.root), env=env)
    assert undone.returncode == 0, undone.stderr
    assert changes(bin_dir) == SYNC_INSTALLS + PUT_BACK
    assert pkgfakes.installed(bin_dir) == BEFORE


def test_sigkill_in_the_middle_of_a_sync_then_resume(tmp_path: Path) -> None:
    ws, bin_dir, env = kill_mid_sync(tmp_path)
    resumed = aim("workflow.run", str(synced(tmp_path)), "--root", str(ws.root), "--resume",
                  env=env)
    assert resumed.returncode == 0, resumed.stderr
    assert changes(bin_dir) == SYNC_INSTALLS + PUT_BACK + SYNC_INSTALLS
    assert pkgfakes.installed(bin_dir) == PINS
