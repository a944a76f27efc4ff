"""The journal survives torn writes and never holds a secret value."""

from __future__ import annotations

from pathlib import Path

from aim import redact
from aim.workflow.journal import Journal, read_journal
from aim.workflow.run_index import find_run, run_rows
from tests.workflow.wfutil import make_workspace, run, write_workflow


def test_torn_last_line_is_ignored(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "run")
    journal.write("run", run_id="r1", workflow="w")
    journal.write("step_start", step="one")
    journal.close()
    with open(tmp_path / "run" / "journal.jsonl", "ab") as handle:
        handle.write(b'{"t":"step_end","step":"one","sta')  # killed mid-write
    records = read_journal(tmp_path / "run")
    assert [r["t"] for r in records] == ["run", "step_start"]


def test_crashed_run_shows_its_incomplete_step(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    journal = Journal(ws.runs_dir / "20260101T000000Z-w-0000")
    journal.write("run", run_id="20260101T000000Z-w-0000", workflow="w")
    journal.write("step_start", step="one")
    journal.close()
    state = find_run(ws)
    assert state.status == "crashed" and state.incomplete_step == "one"
    assert run_rows(ws)[0]["status"] == "crashed"


def test_secret_values_are_masked_in_journal_and_results(tmp_path: Path) -> None:
    canary = "sk-canary-4f3b9e2d1c0a"
    redact.register(canary)
    ws = make_workspace(tmp_path / "ws")
    wf = write_workflow(tmp_path, "leak", f"""
        version: 1
        name: leak
        steps:
          - {{id: say, uses: echo, with: {{message: "key is {canary}"}}}}
          - {{id: fail, uses: shell, with: {{run: "echo {canary} >&2; exit 1", writes: []}}}}
    """)
    result = run(ws, wf)
    journal = (ws.runs_dir / result.run_id / "journal.jsonl").read_text()
    assert canary not in journal
    assert "key is ***" in journal
    assert canary not in result.reason
    for path in ws.state_dir.rglob("*"):
        if path.is_file():
            assert canary.encode() not in path.read_bytes(), path
