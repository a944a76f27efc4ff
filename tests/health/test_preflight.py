"""The runner's pre-flight checks: health weighed by the workflow's mode, journaled, audited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aim.preflight import GATES, run_check
from aim.workflow.defaults import preflight_hook
from aim.workflow.journal import read_journal
from aim.workflow.results import RunResult
from aim.workspace import Workspace
from tests.health.util import break_state, loosen, workspace
from tests.treeutil import snapshot_tree
from tests.workflow.wfutil import Recorder, run, write_workflow

GUARDED = """
    version: 1
    name: guarded
    preflight: {{health: {mode}}}
    steps:
      - {{id: write, uses: file.write, with: {{path: notes.txt, content: "changed"}}}}
      - {{id: say, uses: echo, with: {{message: done}}}}
"""


def test_unhealthy_fails_in_fail_mode_and_warns_in_warn_mode(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    break_state(ws)
    failed = run_check("health", "fail", ws)
    assert failed.name == "health" and failed.status == "fail"
    assert failed.summary.startswith("unhealthy: ") and "failing: state" in failed.summary
    assert "'aim health' shows each check" in failed.hint
    assert failed.evidence["status"] == "unhealthy" and "state" in failed.evidence["failed"]
    assert run_check("health", "warn", ws).status == "warn"


def test_degraded_is_a_warning_even_in_fail_mode(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    loosen(ws)
    outcome = run_check("health", "fail", ws)
    assert outcome.status == "warn" and outcome.summary.startswith("degraded: ")
    assert "state" in outcome.evidence["warned"]


def test_skip_mode_and_unknown_checks(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    assert run_check("health", "skip", ws).status == "skip"
    unknown = run_check("nope", "fail", ws)
    assert unknown.status == "fail" and "unknown pre-flight check 'nope'" in unknown.summary
    assert "health" in unknown.summary and run_check("nope", "warn", ws).status == "warn"
    assert set(GATES) == {"health", "drift", "scan"}


Tree = dict[str, tuple[Any, ...]]


def _guarded_run(tmp_path: Path, mode: str,
                 recorder: Recorder) -> tuple[Workspace, Tree, RunResult]:
    ws = workspace(tmp_path / "ws")
    (ws.root / "notes.txt").write_text("original\n")
    break_state(ws)
    before = snapshot_tree(ws.root)
    wf = write_workflow(tmp_path, "guarded", GUARDED.format(mode=mode))
    result = run(ws, wf, recorder.hooks(preflight=preflight_hook))
    return ws, before, result


def test_health_fail_mode_in_an_unhealthy_workspace_runs_no_step(tmp_path: Path) -> None:
    recorder = Recorder()
    ws, before, result = _guarded_run(tmp_path, "fail", recorder)
    assert result.status == "failed" and result.failed_step == "preflight.health"
    assert result.steps == () and result.reason.startswith("unhealthy: ")
    assert snapshot_tree(ws.root) == before
    journal = read_journal(ws.runs_dir / result.run_id)
    records = [r for r in journal if r["t"] == "preflight"]
    assert [(r["check"], r["mode"], r["status"]) for r in records] == [("health", "fail", "fail")]
    audited = [d for k, _, d in recorder.events if k == "preflight"]
    assert audited == [{"check": "health", "mode": "fail", "status": "fail",
                        "summary": result.reason}]
    assert not [k for k, _, d in recorder.events if k == "step"]
    assert [(r["status"], r["failed_step"]) for r in journal if r["t"] == "run_end"] == [
        ("failed", "preflight.health")]
    assert not [r for r in journal if r["t"] == "step_start"]


def test_health_warn_mode_in_an_unhealthy_workspace_runs(tmp_path: Path) -> None:
    recorder = Recorder()
    ws, _, result = _guarded_run(tmp_path, "warn", recorder)
    assert result.status == "success" and [s.id for s in result.steps] == ["write", "say"]
    assert (ws.root / "notes.txt").read_text() == "changed"
    assert result.preflight[0].status == "warn"
    assert result.preflight[0].summary.startswith("unhealthy: ")
    assert [d["status"] for k, _, d in recorder.events if k == "preflight"] == ["warn"]

