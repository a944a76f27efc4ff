"""The docs.* actions in workflows: outputs, dry-run plans, failing checks, byte-exact rollback."""

from __future__ import annotations

from pathlib import Path

from aim.workflow.loader import load_workflow
from aim.workflow.plan import make_plan
from tests.docs.docsutil import sample_workspace, write
from tests.treeutil import snapshot_tree
from tests.workflow.wfutil import run, write_workflow

STEPS = """
    version: 1
    name: docs
    on_failure: rollback
    steps:
      - {id: deprecate, uses: docs.deprecate_legacy, with: {legacy: AI_MANGER}}
      - id: consolidate
        uses: docs.consolidate_mcp
        with: {source: AUX_mcp-data, dest: docs/integrations/MCP, archive: archive/AUX_mcp-data}
      - {id: update, uses: docs.update}
      - {id: check, uses: docs.check_links, with: {fail: true}}
"""
FAIL_LAST = STEPS + """      - {id: last, uses: shell, with: {run: "exit 1", writes: []}}
"""


def test_the_four_actions_leave_no_broken_link_and_rerun_changes_nothing(tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path)
    workflow = write_workflow(tmp_path / "wf", "docs", STEPS)
    result = run(ws, workflow)
    assert result.status == "success", result.reason
    outputs = {step.id: step.outputs for step in result.steps}
    assert outputs["check"]["count"] == 0 and outputs["check"]["broken"] == []
    assert outputs["consolidate"]["archived"] == ["archive/AUX_mcp-data/pipeline.db"]
    assert outputs["consolidate"]["manifest"] == "archive/AUX_mcp-data/MANIFEST.json"
    assert "AI_MANGER/build.ps1" in outputs["deprecate"]["changed"]
    assert "QUICK_START.md" in outputs["update"]["changed"]
    after = snapshot_tree(ws.root)
    again = run(ws, workflow)
    assert again.status == "success"
    assert {step.id: step.outputs.get("changed") for step in again.steps
            if step.id in ("deprecate", "update")} == {"deprecate": [], "update": []}
    assert snapshot_tree(ws.root) == after


def test_a_failure_after_the_four_actions_rolls_back_to_a_byte_identical_tree(
        tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path)
    before = snapshot_tree(ws.root)
    result = run(ws, write_workflow(tmp_path / "wf", "docs", FAIL_LAST))
    assert result.status == "failed" and result.failed_step == "last"
    assert result.rolled_back
    assert snapshot_tree(ws.root) == before


def test_dry_run_plan_lists_every_file_and_changes_nothing(tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path)
    before = snapshot_tree(ws.root)
    plan = make_plan(ws, load_workflow(str(write_workflow(tmp_path / "wf", "docs", STEPS))))
    assert snapshot_tree(ws.root) == before
    for path in ("AI_MANGER/README.md", "AI_MANGER/build.ps1", "docs/AI_MANGER_DEPRECATION.md",
                 "AUX_mcp-data/pipeline.db", "archive/AUX_mcp-data/pipeline.db",
                 "archive/AUX_mcp-data/MANIFEST.json", "docs/ARCHITECTURE.md",
                 "docs/integrations/MCP/MCP_SETUP_GUIDE.md", "AGENTS.md", "QUICK_START.md"):
        assert path in plan.files
    consolidate = next(s for s in plan.steps if s.id == "consolidate")
    assert consolidate.preview is not None
    assert "archive AUX_mcp-data/pipeline.db -> archive/AUX_mcp-data/pipeline.db" in \
        consolidate.preview["lines"]


def test_check_links_fails_the_step_only_when_asked(tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path)
    write(ws.root / "docs" / "extra.md", "# Extra\n\n[gone](nowhere.md)\n")
    failing = run(ws, write_workflow(tmp_path / "wf", "check", """
        version: 1
        name: check
        steps:
          - {id: check, uses: docs.check_links, with: {fail: true}}
    """))
    assert failing.status == "failed"
    assert "docs/extra.md:3: nowhere.md: no such file or folder" in failing.reason
    reporting = run(ws, write_workflow(tmp_path / "wf", "report", """
        version: 1
        name: report
        steps:
          - {id: check, uses: docs.check_links, with: {fail: false}}
    """))
    assert reporting.status == "success"
    assert reporting.steps[0].outputs["broken"] == [
        {"file": "docs/extra.md", "line": 3, "target": "nowhere.md",
         "reason": "no such file or folder"}]
