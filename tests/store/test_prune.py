"""Retention and ``aim prune``: what is kept, what goes, and the old per-run blob layout."""

from __future__ import annotations

import json
import shutil
import signal
from pathlib import Path

from aim.backup import create_backup, list_backups, restore_backup
from aim.config.model import RetentionSettings
from aim.store.objects import ObjectStore
from aim.store.prune import prune
from aim.workflow.history import load_run, run_ids
from aim.workflow.rollback import rollback_run
from aim.workspace import Workspace
from tests.cli.clitool import aim
from tests.treeutil import snapshot_tree
from tests.workflow.wfutil import make_workspace, run, write_workflow

EDIT = """
    version: 1
    name: edit
    on_failure: stop
    steps:
      - {id: write, uses: file.write, with: {path: a.txt, content: "run ${{ run.id }}"}}
      - {id: drop, uses: file.delete, with: {path: sub/deep}}
"""


def objects(ws: Workspace) -> set[Path]:
    return {p for p in (ws.state_dir / "store" / "objects").rglob("*") if p.is_file()}


def test_old_backups_go_with_their_own_objects_and_shared_ones_stay(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    old = create_backup(ws, ["a.txt", "sub"])
    (ws.root / "a.txt").write_text("only in the newer backup\n")
    new = create_backup(ws, ["a.txt", "sub"])
    before, state = objects(ws), snapshot_tree(ws.state_dir)
    policy = RetentionSettings(keep_backups=1)
    dry = prune(ws, dry_run=True, policy=policy)
    assert [(i.kind, i.name) for i in dry.removed] == [("backup", old.id), ("objects", "2 objects")]
    after = snapshot_tree(ws.state_dir)
    assert after.pop("lock") == ("file", 0o600, b"")  # the workspace lock was held
    assert after == state  # a dry run changes nothing else
    done = prune(ws, policy=policy)
    assert done.freed == dry.freed > len("alpha\n")
    assert [b.id for b in list_backups(ws)] == [new.id]
    # "alpha\n" and the saved state of a.txt that held it went; b.txt and c.bin are shared
    assert len(objects(ws)) == len(before) - 2
    (ws.root / "sub" / "b.txt").write_text("edited\n")
    restore_backup(ws, new.id)
    assert (ws.root / "sub" / "b.txt").read_text() == "beta\n"
    assert prune(ws, policy=policy).removed == ()  # nothing more to free


def test_runs_that_can_be_rolled_back_are_kept_unless_the_policy_says_so(
        tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    before = snapshot_tree(ws.root)
    wf = write_workflow(tmp_path, "edit", EDIT)
    first, second = run(ws, wf).run_id, run(ws, wf).run_id
    found = prune(ws, policy=RetentionSettings(keep_runs=0))
    assert found.removed == () and [k.name for k in found.kept] == [first, second]
    assert "can still be rolled back" in found.kept[0].reason
    rollback_run(ws, second)  # `second` can no longer be rolled back, `first` still can
    assert snapshot_tree(ws.root) != before
    found = prune(ws, policy=RetentionSettings(keep_runs=1))
    assert found.removed == () and run_ids(ws)[:2] == [first, second]
    found = prune(ws, policy=RetentionSettings(keep_runs=0))
    gone = [i.name for i in found.removed if i.kind == "run"]
    assert second in gone and first not in gone
    assert load_run(ws, first).status == "success"
    rollback_run(ws, first)  # its pre-images survived the prune
    assert snapshot_tree(ws.root) == before
    everything = prune(ws, policy=RetentionSettings(keep_runs=0, prune_rollbackable=True))
    assert run_ids(ws) == [] and objects(ws) == set() and everything.freed > 0


def test_an_old_layout_run_still_rolls_back(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    before = snapshot_tree(ws.root)
    result = run(ws, write_workflow(tmp_path, "edit", EDIT))
    blobs = ws.runs_dir / result.run_id / "blobs"
    store = ObjectStore(ws.state_dir)
    for sha, path in store.stored():  # as AIM+ kept them before the store: in the run folder
        shutil.copyfile(path, blobs / sha)
    shutil.rmtree(store.root)
    rollback_run(ws, result.run_id)
    assert snapshot_tree(ws.root) == before
    prune(ws, policy=RetentionSettings(keep_runs=0))  # rolled back: it may go, blobs and all
    assert not (ws.runs_dir / result.run_id).exists()


def test_an_old_layout_backup_still_restores(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    before = snapshot_tree(ws.root)
    backup = create_backup(ws, ["a.txt", "sub"])
    folder, store = ws.backups_dir / backup.id, ObjectStore(ws.state_dir)
    manifest = json.loads((folder / "manifest.json").read_text())
    for state in manifest["states"]:  # format 1: the entry lists inline, contents in blobs/
        state["entries"] = json.loads(store.locate(state.pop("state")).read_bytes())
    (folder / "manifest.json").write_text(json.dumps({**manifest, "format": 1}))
    (folder / "blobs").mkdir()
    for sha, path in store.stored():
        shutil.copyfile(path, folder / "blobs" / sha)
    shutil.rmtree(store.root)
    (ws.root / "a.txt").write_text("edited\n")
    shutil.rmtree(ws.root / "sub")
    restore_backup(ws, backup.id)
    assert snapshot_tree(ws.root) == before


def test_a_backup_killed_before_its_objects_are_in_place_leaves_only_leftovers(
        tmp_path: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "docs").mkdir()
    (root / "docs" / "guide.md").write_text("# guide\n")
    killed = aim("backup", "--root", str(root),
                 env={"AIM_FAULT_KILL_IN_WRITE": "*/store/objects/*"})
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    ws = Workspace.at(root)
    assert list_backups(ws) == [] and objects(ws) == set()
    tmp = ws.state_dir / "store" / "tmp"
    assert list(tmp.iterdir())  # durable temps, never renamed
    staging = [p for p in ws.backups_dir.iterdir() if p.name.endswith(".tmp")]
    assert len(staging) == 1  # the backup's own folder, never renamed into place
    dry = aim("prune", "--root", str(root), "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    assert [i["kind"] for i in json.loads(dry.stdout)["removed"]] == ["leftovers"]
    undone = aim("rollback", "--root", str(root))  # the killed run's rollback clears them
    assert undone.returncode == 0, undone.stdout + undone.stderr
    assert not list(tmp.iterdir()) and not staging[0].exists()
    again = aim("backup", "--root", str(root), "--json")
    assert again.returncode == 0, again.stderr
    done = aim("prune", "--root", str(root), "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["removed"] == []
    (root / "docs" / "guide.md").write_text("edited\n")
    restore_backup(ws, "latest")
    assert (root / "docs" / "guide.md").read_text() == "# guide\n"


def test_cli_prune_prints_what_it_freed_and_status_shows_the_state_size(
        tmp_path: Path) -> None:
    root = tmp_path / "ws"
    make_workspace(root)
    (root / "docs").mkdir()
    (root / "docs" / "a.md").write_text("first\n")
    assert aim("backup", "--root", str(root)).returncode == 0
    (root / "docs" / "a.md").write_text("second\n")
    assert aim("backup", "--root", str(root)).returncode == 0
    (root / "aim_config.json").write_text(json.dumps(
        {"version": 1, "retention": {"keep_backups": 1}}))
    shown = aim("prune", "--root", str(root))
    assert shown.returncode == 0, shown.stderr
    assert "removed backup " in shown.stdout and "removed 2 objects" in shown.stdout
    assert "freed " in shown.stdout.splitlines()[-1]
    trail = aim("audit", "--root", str(root), "--type", "prune", "--json")
    [event] = json.loads(trail.stdout)["events"]  # what went is in the audit trail
    backup, stored = event["details"]["removed"]
    assert backup.startswith("backup ") and stored == "2 objects"
    assert event["details"]["freed"] > 0
    again = aim("prune", "--root", str(root))
    assert again.returncode == 0, again.stderr
    trail = aim("audit", "--root", str(root), "--type", "prune", "--json")
    assert len(json.loads(trail.stdout)["events"]) == 1  # a prune that removed nothing: none
    status = aim("status", "--root", str(root), "--json")
    data = json.loads(status.stdout)
    assert data["state_dir"] == str(root / ".aim") and data["state_size"] > 0
