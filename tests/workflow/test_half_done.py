"""Runs stopped half-way: a write killed before its rename, a run killed as it started, a
reader that went away.  Each ends with a workspace that rolls back or resumes cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.clitool import aim
from tests.treeutil import snapshot_tree
from tests.workflow.killharness import TEMP
from tests.workflow.wfutil import make_workspace, write_workflow

TWO_WRITES = """
    version: 1
    name: two
    steps:
      - {id: first, uses: file.write, with: {path: out/first.txt, content: "1"}}
      - {id: second, uses: file.write, with: {path: out/second.txt, content: "2"}}
      - {id: third, uses: file.write, with: {path: a.txt, content: "3"}}
"""


def temps(root: Path) -> list[str]:
    """Temp files anywhere under ``root``, the state folder included."""
    return sorted(str(Path(folder, name).relative_to(root))
                  for folder, dirs, files in os.walk(root)
                  for name in [*dirs, *files] if TEMP.match(name))


def statuses(root: Path) -> list[str]:
    runs = aim("runs", "--root", str(root), "--json")
    assert runs.returncode == 0, runs.stderr
    return [row["status"] for row in json.loads(runs.stdout)]


def killed_run(tmp_path: Path, **fault: str) -> tuple[Path, Path, dict[str, tuple]]:
    """The TWO_WRITES workflow run in a fresh workspace with ``fault`` (AIM_FAULT_*), which
    kills it: (root, workflow file, the tree before)."""
    ws = make_workspace(tmp_path / "ws")
    wf = write_workflow(tmp_path / "wf", "two", TWO_WRITES)
    before = snapshot_tree(ws.root)
    killed = aim("workflow.run", str(wf), "--root", str(ws.root), env=fault)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    return ws.root, wf, before


# -- 6. a write killed between its temp file and the rename -------------------------------------

# out/ was checkpointed (absent) by the first step, which ended: the second step's temp file
# inside it is the run's, not an edit made after the run.  The third step's checkpoint of a.txt
# records it in the store's stat index, which is saved atomically too.
@pytest.mark.parametrize("written", ["out/second.txt", ".aim/store/index.json"])
def test_a_write_killed_before_its_rename_leaves_no_temp_file_after_the_rollback(
        tmp_path: Path, written: str) -> None:
    root, _, before = killed_run(tmp_path, AIM_FAULT_KILL_IN_WRITE=f"*/{written}")
    folder, _, name = written.rpartition("/")
    [temp] = temps(root)
    assert Path(temp).parent.as_posix() == folder and Path(temp).name.startswith(f".{name}.")
    undone = aim("rollback", "--root", str(root))
    assert undone.returncode == 0, undone.stdout + undone.stderr
    assert snapshot_tree(root) == before
    assert temps(root) == []


def test_a_write_killed_before_its_rename_leaves_no_temp_file_after_the_resume(
        tmp_path: Path) -> None:
    root, wf, _ = killed_run(tmp_path, AIM_FAULT_KILL_IN_WRITE="*/a.txt")
    assert len(temps(root)) == 1
    resumed = aim("workflow.run", str(wf), "--root", str(root), "--resume")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert (root / "a.txt").read_text() == "3" and temps(root) == []
    assert statuses(root) == ["success"]


def test_a_kill_while_the_lock_names_its_holder_leaves_no_temp_file_after_the_next_run(
        tmp_path: Path) -> None:
    root, wf, _ = killed_run(tmp_path, AIM_FAULT_KILL_IN_WRITE="*/.aim/lock.json")
    assert [Path(t).name.startswith(".lock.json.") for t in temps(root)] == [True]
    again = aim("workflow.run", str(wf), "--root", str(root))
    assert again.returncode == 0, again.stdout + again.stderr
    assert temps(root) == []


# -- 7. a run killed right after its folder was made --------------------------------------------

def test_a_run_killed_as_it_started_is_listed_and_blocks_nothing(tmp_path: Path) -> None:
    root, wf, before = killed_run(tmp_path, AIM_FAULT_KILL_AFTER_RECORD="0")
    [run_dir] = (root / ".aim" / "runs").iterdir()
    assert (run_dir / "journal.jsonl").read_bytes() == b""
    assert statuses(root) == ["crashed"]
    status = aim("status", "--root", str(root), "--json")
    assert status.returncode in (0, 1), status.stderr  # 1: the workspace has no config yet
    assert [r["status"] for r in json.loads(status.stdout)["runs"]] == ["crashed"]
    resumed = aim("workflow.run", str(wf), "--root", str(root), "--resume")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr  # from the first step
    assert (root / "a.txt").read_text() == "3"
    assert statuses(root) == ["success"]
    undone = aim("rollback", "--root", str(root))
    assert undone.returncode == 0, undone.stdout + undone.stderr
    assert snapshot_tree(root) == before
    assert statuses(root) == ["rolled_back", "success"]  # the run, then the rollback's own


# -- 8. a reader that went away (aim ... | head) ------------------------------------------------

def run_with_closed_stdout(root: Path, wf: Path, *args: str) -> int:
    """``aim workflow.run`` whose stdout reader is gone before the first line."""
    proc = subprocess.Popen([sys.executable, "-m", "aim", "workflow.run", str(wf), "--root",
                             str(root), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "AIM_KEYRING": "memory"})
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    proc.stderr.read()
    return proc.wait(timeout=60)


def test_a_closed_stdout_does_not_stop_the_run(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    wf = write_workflow(tmp_path / "wf", "two", TWO_WRITES)
    assert run_with_closed_stdout(ws.root, wf) == 0
    assert (ws.root / "out" / "second.txt").read_text() == "2"
    assert (ws.root / "a.txt").read_text() == "3"
    assert statuses(ws.root) == ["success"]


def test_a_closed_stdout_does_not_stop_the_rollback_of_a_failed_run(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    before = snapshot_tree(ws.root)
    wf = write_workflow(tmp_path / "wf", "two", TWO_WRITES)
    assert run_with_closed_stdout(ws.root, wf, "--fail-at", "third") == 1
    assert snapshot_tree(ws.root) == before
    assert statuses(ws.root) == ["rolled_back"]
