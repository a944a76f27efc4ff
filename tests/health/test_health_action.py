"""The ``health.check`` step: its outputs and when it fails the run."""

from __future__ import annotations

from pathlib import Path

from aim.workflow.results import RunResult
from tests.health.util import break_state, loosen, workspace
from tests.workflow.wfutil import Recorder, run, write_workflow

CHECK = """
    version: 1
    name: checked
    on_failure: stop
    steps:
      - {{id: health, uses: health.check, with: {{fail_on: {fail_on}}}}}
      - {{id: after, uses: echo, with: {{message: "${{{{ steps.health.outputs.status }}}}"}}}}
"""


def _run(tmp_path: Path, fail_on: str, spoil: str) -> tuple[RunResult, Recorder]:
    ws = workspace(tmp_path / "ws")
    {"degraded": loosen, "unhealthy": break_state}[spoil](ws)
    recorder = Recorder()
    wf = write_workflow(tmp_path, "checked", CHECK.format(fail_on=fail_on))
    return run(ws, wf, recorder.hooks()), recorder


def test_degraded_passes_fail_on_unhealthy_and_gives_the_report(tmp_path: Path) -> None:
    result, recorder = _run(tmp_path, "unhealthy", "degraded")
    assert result.status == "success"
    outputs = result.steps[0].outputs
    assert outputs["status"] == "degraded" and outputs["counts"]["warn"] >= 1
    assert "state" in [c["name"] for c in outputs["checks"] if c["status"] == "warn"]
    assert result.steps[1].outputs["message"] == "degraded"
    # the step's line is the health check's verdict, not "success"
    [line] = [line for line in recorder.lines if line.lstrip().startswith("warn  health:")]
    assert line.startswith("    warn  health: degraded: ") and "warnings: state" in line
    assert "'aim health' shows each check" in line


def test_degraded_fails_fail_on_degraded(tmp_path: Path) -> None:
    result, _ = _run(tmp_path, "degraded", "degraded")
    assert result.status == "failed" and result.failed_step == "health"
    assert "health is degraded" in result.reason


def test_unhealthy_fails_by_default_and_passes_with_never(tmp_path: Path) -> None:
    failed, _ = _run(tmp_path / "a", "unhealthy", "unhealthy")
    assert failed.status == "failed"
    assert "health is unhealthy (state" in failed.reason
    passed, recorder = _run(tmp_path / "b", "never", "unhealthy")
    assert passed.status == "success"
    assert passed.steps[0].outputs["status"] == "unhealthy"
    assert any(line.startswith("    fail  health state: ") for line in recorder.lines)
    assert any(line.startswith("    fail  health: unhealthy: ") for line in recorder.lines)


def test_an_unknown_fail_on_names_the_choices(tmp_path: Path) -> None:
    result, _ = _run(tmp_path, "sometimes", "degraded")
    assert result.status == "failed"
    assert "fail_on 'sometimes' is not one of unhealthy, degraded, never" in \
        result.reason
