"""A deleted path is moved aside into the run's folder, whole, and renamed back by a rollback:
no copy of it is made, and every moment of the delete still rolls back or resumes."""

from __future__ import annotations

import json
import os
import signal
import tempfile
from pathlib import Path

import pytest

from aim.errors import CheckFailed, RollbackRefused
from aim.workflow.history import load_run
from aim.workflow.rollback import rollback_run
from aim.workspace import Workspace
from tests.cli.clitool import aim
from tests.treeutil import snapshot_tree
from tests.workflow.wfutil import make_workspace, run, write_workflow

DROP = """
    version: 1
    name: drop
    on_failure: stop
    steps:
      - {id: drop, uses: file.delete, with: {path: sub}}
      - {id: after, uses: file.write, with: {path: after.txt, content: "after"}}
"""


def stored_objects(state_dir: Path) -> list[Path]:
    return [p for p in (state_dir / "store" / "objects").rglob("*") if p.is_file()]


def a_workspace(tmp_path: Path) -> tuple[Workspace, Path, dict[str, tuple]]:
    """A workspace whose sub/ has modes, a read-only folder and a symlink: (ws, the DROP
    workflow, the tree before)."""
    ws = make_workspace(tmp_path / "ws")
    (ws.root / "sub" / "deep" / "locked").mkdir(mode=0o500)
    (ws.root / "sub" / "up").symlink_to("../a.txt")
    return ws, write_workflow(tmp_path / "wf", "drop", DROP), snapshot_tree(ws.root)


def test_a_deleted_tree_is_moved_aside_not_copied_and_put_back_whole(tmp_path: Path) -> None:
    ws, wf, before = a_workspace(tmp_path)
    result = run(ws, wf)
    assert result.status == "success" and not (ws.root / "sub").exists()
    [aside] = (ws.runs_dir / result.run_id / "taken").iterdir()
    assert sorted(p.name for p in aside.iterdir()) == ["b.txt", "deep", "up"]
    assert stored_objects(ws.state_dir) == []  # no copy of its files was made
    rollback_run(ws, result.run_id)
    assert snapshot_tree(ws.root) == before
    assert list((ws.runs_dir / result.run_id / "taken").iterdir()) == []


def test_a_path_made_again_after_the_delete_is_replaced_only_with_force(tmp_path: Path) -> None:
    ws, wf, before = a_workspace(tmp_path)
    result = run(ws, wf)
    (ws.root / "sub").mkdir()
    (ws.root / "sub" / "new.txt").write_text("made after the run")
    with pytest.raises(RollbackRefused, match=r"changed after the run: sub/new\.txt\."):
        rollback_run(ws, result.run_id)
    rollback_run(ws, result.run_id, force=True)
    assert snapshot_tree(ws.root) == before


def test_a_rollback_whose_moved_copy_is_gone_names_it(tmp_path: Path) -> None:
    ws, wf, _ = a_workspace(tmp_path)
    result = run(ws, wf)
    [aside] = (ws.runs_dir / result.run_id / "taken").iterdir()
    aside.rename(tmp_path / "elsewhere")
    with pytest.raises(CheckFailed, match=f"moved it aside to {aside}, which is gone"):
        rollback_run(ws, result.run_id)
    assert load_run(ws, result.run_id).status == "rollback_incomplete"


def test_a_refused_move_fails_the_step_and_changes_nothing(tmp_path: Path) -> None:
    ws, wf, before = a_workspace(tmp_path)
    failed = aim("workflow.run", str(wf), "--root", str(ws.root),
                 env={"AIM_FAULT_OSERROR": f"EPERM:{ws.root / 'sub'}"})
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Operation not permitted" in failed.stdout + failed.stderr
    assert snapshot_tree(ws.root) == before


@pytest.mark.parametrize("record", ["checkpoint@drop", "step_end@drop"])
@pytest.mark.parametrize("then", ["rollback", "resume"])
def test_a_kill_before_or_after_the_move_rolls_back_or_resumes(
        tmp_path: Path, record: str, then: str) -> None:
    # killed once the delete is recorded (the tree still in place), or once the step ended
    ws, wf, before = a_workspace(tmp_path)
    killed = aim("workflow.run", str(wf), "--root", str(ws.root),
                 env={"AIM_FAULT_KILL_AFTER_RECORD": record})
    assert killed.returncode == -signal.SIGKILL
    assert (ws.root / "sub").exists() == (record == "checkpoint@drop")
    if then == "resume":
        resumed = aim("workflow.run", str(wf), "--root", str(ws.root), "--resume")
        assert resumed.returncode == 0, resumed.stdout + resumed.stderr
        assert not (ws.root / "sub").exists() and (ws.root / "after.txt").exists()
    undone = aim("rollback", "--root", str(ws.root))
    assert undone.returncode == 0, undone.stdout + undone.stderr
    assert snapshot_tree(ws.root) == before
    runs = json.loads(aim("runs", "--root", str(ws.root), "--json").stdout)
    assert [r["status"] for r in runs if r["workflow"] == "drop"] == ["rolled_back"]


def test_a_state_folder_on_another_file_system_gets_a_copy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # /dev/shm is a file system of its own here (memory): a rename cannot reach it
    with tempfile.TemporaryDirectory(dir="/dev/shm") as state:
        assert os.stat(state).st_dev != os.stat(tmp_path).st_dev
        monkeypatch.setenv("AIM_STATE_DIR", state)
        ws, wf, before = a_workspace(tmp_path)
        assert ws.state_dir == Path(state)
        result = run(ws, wf)
        assert result.status == "success" and not (ws.root / "sub").exists()
        assert len(stored_objects(ws.state_dir)) == 2  # b.txt and c.bin, copied
        rollback_run(ws, result.run_id)
        assert snapshot_tree(ws.root) == before
