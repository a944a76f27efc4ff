"""SIGKILL at any moment: the run can be rolled back or resumed from its journal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.clitool import aim
from tests.treeutil import snapshot_tree
from tests.workflow.wfutil import make_workspace, write_workflow

STEPS = [
    ("write", "file.write", {"path": "out/new.txt", "content": "new"}),
    ("overwrite", "file.write", {"path": "a.txt", "content": "changed"}),
    ("copy", "file.copy", {"src": "sub", "dest": "sub-copy"}),
    ("move", "file.move", {"src": "sub/b.txt", "dest": "moved.txt"}),
    ("delete", "file.delete", {"path": "sub/deep"}),
]


def killing_workflow(folder: Path, boundary: int, marker: Path) -> Path:
    """The five steps with a step that SIGKILLs the runner (once) after ``boundary`` of them."""
    lines = ["version: 1", "name: crashy", "on_failure: stop", "steps:"]
    kill = (f"  - {{id: crash, uses: shell, with: {{writes: [], run: \"test -e {marker} || "
            f"{{ touch {marker}; kill -9 $PPID; sleep 5; }}\"}}}}")
    for index, (step_id, uses, params) in enumerate(STEPS):
        if index == boundary:
            lines.append(kill)
        args = ", ".join(f"{k}: {v}" for k, v in params.items())
        lines.append(f"  - {{id: {step_id}, uses: {uses}, with: {{{args}}}}}")
    if boundary == len(STEPS):
        lines.append(kill)
    path = folder / "crashy.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def finished_tree(tmp_path: Path) -> dict[str, tuple]:
    """The tree an uninterrupted run of the five steps leaves."""
    ws = make_workspace(tmp_path / "reference")
    (tmp_path / "reference-wf").mkdir()
    wf = killing_workflow(tmp_path / "reference-wf", len(STEPS), tmp_path / "never")
    (tmp_path / "never").touch()
    assert aim("workflow.run", str(wf), "--root", str(ws.root)).returncode == 0
    return snapshot_tree(ws.root)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    return finished_tree(tmp_path_factory.mktemp("reference"))


@pytest.mark.parametrize("boundary", range(len(STEPS) + 1))
def test_sigkill_at_step_boundary_then_rollback(tmp_path: Path, boundary: int) -> None:
    ws = make_workspace(tmp_path / "ws")
    before = snapshot_tree(ws.root)
    tmp_path.joinpath("wf").mkdir()
    wf = killing_workflow(tmp_path / "wf", boundary, tmp_path / "killed")
    crashed = aim("workflow.run", str(wf), "--root", str(ws.root))
    assert crashed.returncode == -signal.SIGKILL
    undone = aim("rollback", "--root", str(ws.root))
    assert undone.returncode == 0, undone.stderr
    assert snapshot_tree(ws.root) == before


@pytest.mark.parametrize("boundary", range(len(STEPS) + 1))
def test_sigkill_at_step_boundary_then_resume(tmp_path: Path, boundary: int,
                                              reference: dict[str, tuple]) -> None:
    ws = make_workspace(tmp_path / "ws")
    tmp_path.joinpath("wf").mkdir()
    wf = killing_workflow(tmp_path / "wf", boundary, tmp_path / "killed")
    assert aim("workflow.run", str(wf), "--root", str(ws.root)).returncode == -signal.SIGKILL
    resumed = aim("workflow.run", str(wf), "--root", str(ws.root), "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert snapshot_tree(ws.root) == reference
    runs = json.loads(aim("runs", "--root", str(ws.root), "--json").stdout)
    assert [(r["workflow"], r["status"]) for r in runs] == [("crashy", "success")]


LONG_STEP = """
    version: 1
    name: long
    on_failure: stop
    steps:
      - {id: first, uses: file.write, with: {path: first.txt, content: "1"}}
      - id: long
        uses: shell
        with:
          writes: [sub, generated]
          run: >-
            mkdir -p generated && echo partial > generated/part.txt && echo x >> sub/b.txt &&
            if [ -e MARKER ]; then echo done > generated/done.txt; else
            touch MARKER && echo started > STARTED && sleep 30; fi
      - {id: last, uses: file.write, with: {path: last.txt, content: "3"}}
"""


def kill_during_long_step(tmp_path: Path) -> tuple[Path, Path, dict[str, tuple]]:
    ws = make_workspace(tmp_path / "ws")
    before = snapshot_tree(ws.root)
    marker = tmp_path / "marker"
    wf = write_workflow(tmp_path / "wf", "long", LONG_STEP.replace("MARKER", str(marker))
                        .replace("STARTED", str(tmp_path / "started")))
    proc = subprocess.Popen([sys.executable, "-m", "aim", "workflow.run", str(wf), "--root",
                             str(ws.root)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "AIM_KEYRING": "memory"})
    deadline = time.monotonic() + 30
    while not (tmp_path / "started").exists():
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        assert time.monotonic() < deadline
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert (ws.root / "generated" / "part.txt").exists()  # the step was half done
    return ws.root, wf, before


def test_sigkill_in_the_middle_of_a_subprocess_step_then_rollback(tmp_path: Path) -> None:
    root, _, before = kill_during_long_step(tmp_path)
    undone = aim("rollback", "--root", str(root))
    assert undone.returncode == 0, undone.stderr
    assert snapshot_tree(root) == before


def test_sigkill_in_the_middle_of_a_subprocess_step_then_resume(tmp_path: Path) -> None:
    root, wf, before = kill_during_long_step(tmp_path)
    resumed = aim("workflow.run", str(wf), "--root", str(root), "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert (root / "generated" / "done.txt").read_text() == "done\n"
    assert (root / "sub" / "b.txt").read_text() == "beta\nx\n"  # appended once, not twice
    assert (root / "last.txt").read_text() == "3"
    assert snapshot_tree(root) != before
