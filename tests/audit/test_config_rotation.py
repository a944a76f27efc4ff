"""Runs rotate the audit trail at the size aim_config.json gives, and the chain still holds."""

from __future__ import annotations

import json
import os
from pathlib import Path

from aim.audit import verify
from aim.secrets.ops import audit_access
from aim.workflow.defaults import default_hooks
from aim.workflow.loader import load_workflow
from aim.workflow.runner import RunOptions, run_workflow
from aim.workspace import Workspace
from tests.workflow.wfutil import write_workflow

STEPS = "\n".join(f"  - {{id: s{i}, uses: echo, with: {{message: step {i}}}}}"
                  for i in range(30))


def test_run_events_rotate_at_the_configured_size(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "aim_config.json").write_text(json.dumps(
        {"version": 1, "audit": {"max_bytes": 2048, "keep": 2}}))
    ws = Workspace.at(root)
    wf = write_workflow(tmp_path / "wf", "many", f"version: 1\nname: many\nsteps:\n{STEPS}\n")
    result = run_workflow(ws, load_workflow(str(wf)), RunOptions(),
                          default_hooks(ws, lambda line: None))
    assert result.status == "success"
    segments = sorted(p.name for p in ws.state_dir.glob("audit*.jsonl"))
    assert segments == ["audit.1.jsonl", "audit.2.jsonl", "audit.jsonl"]
    assert all(p.stat().st_size <= 2048 + 1024 for p in ws.state_dir.glob("audit*.jsonl"))
    assert verify(ws.audit_path).ok


def test_secret_accesses_rotate_at_the_configured_size_and_leave_no_file_open(
        tmp_path: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "aim_config.json").write_text(json.dumps(
        {"version": 1, "audit": {"max_bytes": 2048, "keep": 2}}))
    ws = Workspace.at(root)
    open_before = len(os.listdir("/proc/self/fd"))
    for round_ in range(3):
        audit_access(ws, "list", [f"SECRET_{round_}_{i}" for i in range(20)])
    assert len(os.listdir("/proc/self/fd")) == open_before
    segments = sorted(p.name for p in ws.state_dir.glob("audit*.jsonl"))
    assert segments == ["audit.1.jsonl", "audit.2.jsonl", "audit.jsonl"]
    assert verify(ws.audit_path).ok
