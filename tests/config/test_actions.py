"""The config actions inside workflow runs: validate fails the step, write is rolled back."""

from __future__ import annotations

import json
from pathlib import Path

from aim.workflow.rollback import rollback_run
from aim.workspace import Workspace
from tests.config.cfgutil import small, write_data
from tests.workflow.wfutil import run, write_workflow

VALIDATE = """
    version: 1
    name: check
    steps:
      - {id: check, uses: config.validate}
"""


def test_validate_succeeds_on_a_valid_workspace(tmp_path: Path) -> None:
    ws = write_data(tmp_path / "ws", small())
    result = run(ws, write_workflow(tmp_path / "wf", "check", VALIDATE))
    assert result.status == "success", result.reason
    assert result.steps[0].outputs == {"ok": True, "errors": []}


def test_validate_fails_naming_config_and_workspace_workflow_problems(tmp_path: Path) -> None:
    data = small()
    data["capabilities"]["code-edit"]["primary"] = "cloud"
    ws = write_data(tmp_path / "ws", data)
    bad = write_workflow(ws.root / "aim-workflows", "own", """
        version: 1
        name: own
        steps:
          - {id: one, uses: config.validat}
    """)
    result = run(ws, write_workflow(tmp_path / "wf", "check", VALIDATE))
    assert result.status == "failed" and result.failed_step == "check"
    assert "capabilities.code-edit.primary: no tool 'cloud' in tools" in result.reason
    assert f"{bad}:4: steps[0].uses: unknown action 'config.validat' (did you mean " \
           "'config.validate'?)" in result.reason


def test_write_replaces_the_config_and_rollback_restores_it(tmp_path: Path) -> None:
    ws = write_data(tmp_path / "ws", small())
    before = (ws.root / "aim_config.json").read_bytes()
    new = small()
    new["reports_dir"] = "out"
    wf = write_workflow(tmp_path / "wf", "w", f"""
        version: 1
        name: w
        on_failure: stop
        steps:
          - id: write
            uses: config.write
            with: {{data: {json.dumps(new)}}}
    """)
    result = run(ws, wf)
    assert result.status == "success", result.reason
    assert json.loads((ws.root / "aim_config.json").read_text())["reports_dir"] == "out"
    assert result.steps[0].outputs == {"path": "aim_config.json", "changed": True}
    rollback_run(ws, result.run_id)
    assert (ws.root / "aim_config.json").read_bytes() == before


def test_writing_the_same_content_changes_nothing(tmp_path: Path) -> None:
    ws = write_data(tmp_path / "ws", small())
    inode = (ws.root / "aim_config.json").stat().st_ino
    wf = write_workflow(tmp_path / "wf", "w", f"""
        version: 1
        name: w
        steps:
          - {{id: write, uses: config.write, with: {{data: {json.dumps(small())}}}}}
    """)
    result = run(ws, wf)
    assert result.steps[0].outputs == {"path": "aim_config.json", "changed": False}
    assert (ws.root / "aim_config.json").stat().st_ino == inode


def test_write_of_invalid_data_fails_and_changes_nothing(tmp_path: Path) -> None:
    ws: Workspace = write_data(tmp_path / "ws", small())
    before = (ws.root / "aim_config.json").read_bytes()
    wf = write_workflow(tmp_path / "wf", "w", """
        version: 1
        name: w
        steps:
          - {id: write, uses: config.write, with: {data: {version: 1, tols: {}}}}
    """)
    result = run(ws, wf)
    assert result.status == "failed"
    assert "tols: unknown key 'tols' (did you mean 'tools'?)" in result.reason
    assert (ws.root / "aim_config.json").read_bytes() == before
