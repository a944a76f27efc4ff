"""The journal survives torn writes and never holds a secret value."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from aim import redact
from aim.workflow.history import load_run, run_rows
from aim.workflow.journal import Journal, read_journal
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
    state = load_run(ws, "latest")
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


def test_checkpoints_and_step_ends_are_fsynced_when_written(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    ws = make_workspace(tmp_path / "ws")
    wf = write_workflow(tmp_path / "wf", "durable", """
        version: 1
        name: durable
        steps:
          - {id: one, uses: echo}
          - {id: two, uses: file.write, with: {path: out.txt, content: x}}
          - {id: three, uses: echo}
    """)
    synced_sizes: list[int] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        if os.readlink(f"/proc/self/fd/{fd}").endswith("journal.jsonl"):
            synced_sizes.append(os.fstat(fd).st_size)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    result = run(ws, wf)
    raw = (ws.runs_dir / result.run_id / "journal.jsonl").read_bytes()
    ends, offset = [], 0
    for line in raw.splitlines(keepends=True):
        offset += len(line)
        ends.append((json.loads(line)["t"], offset))
    durable = {t for t, end in ends if end in synced_sizes}
    assert {"run", "checkpoint", "step_end", "run_end"} <= durable
    # a step's start rides on the fsync of its first checkpoint or of its end
    assert "step_start" not in durable
