"""What the journal makes durable, and when: a step's end before the next step starts."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.workflow.wfutil import make_workspace, run, write_workflow


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
