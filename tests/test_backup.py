"""Backups: byte-identical restores, verification, and refusing paths outside the root."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from aim import backup as backups
from aim.backup import (
    backup_size,
    create_backup,
    list_backups,
    load_backup,
    restore_backup,
    verify_backup,
)
from aim.errors import AimError, CheckFailed, InputError, NotFound, UnsafePath
from aim.store.objects import ObjectStore
from aim.workspace import Workspace
from tests.cli.clitool import aim, assert_clean_error
from tests.treeutil import snapshot_tree
from tests.workflow.wfutil import make_workspace, run, write_workflow

SAVED = ["a.txt", "sub", "link", "-dash.txt", "later.txt"]


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    ws = make_workspace(tmp_path / "ws")
    (ws.root / "-dash.txt").write_text("sorts before '.'\n")
    (ws.root / "sub" / "run.sh").write_text("#!/bin/sh\n")
    (ws.root / "sub" / "run.sh").chmod(0o755)
    (ws.root / "sub" / "to-b").symlink_to("b.txt")
    return ws


def change_everything(root: Path) -> None:
    (root / "a.txt").write_text("edited\n")
    (root / "sub" / "b.txt").chmod(0o600)
    (root / "sub" / "run.sh").chmod(0o644)
    for name in ("c.bin",):
        (root / "sub" / "deep" / name).unlink()
    (root / "sub" / "deep").rmdir()
    (root / "sub" / "new.txt").write_text("not in the backup\n")
    (root / "link").unlink()
    (root / "link").symlink_to("sub")
    (root / "sub" / "to-b").unlink()
    (root / "sub" / "to-b").mkdir()
    (root / "-dash.txt").write_text("edited too\n")
    (root / "later.txt").write_text("did not exist when saved\n")


def blob_paths(ws: Workspace, backup_id: str) -> list[Path]:
    """The store objects holding the backup's file contents."""
    shas = {e["sha256"] for e in load_backup(ws, backup_id).entries if e["kind"] == "file"}
    objects = ws.state_dir / "store" / "objects"
    return sorted(objects / sha[:2] / sha[2:] for sha in shas)


def test_restore_is_byte_identical_and_removes_what_did_not_exist(ws: Workspace) -> None:
    before = snapshot_tree(ws.root)
    backup = create_backup(ws, SAVED, label="before")
    assert backup.absent == ("later.txt",) and backup.label == "before"
    assert snapshot_tree(ws.root) == before  # making a backup changes nothing
    change_everything(ws.root)
    restored = restore_backup(ws, backup.id)
    assert sorted(restored) == sorted(SAVED)
    assert snapshot_tree(ws.root) == before
    assert not (ws.root / "later.txt").exists()


def test_unsaved_paths_are_left_alone(ws: Workspace) -> None:
    backup = create_backup(ws, ["a.txt"])
    (ws.root / "a.txt").write_text("edited\n")
    (ws.root / "sub" / "b.txt").write_text("also edited\n")
    restore_backup(ws, backup.id)
    assert (ws.root / "a.txt").read_text() == "alpha\n"
    assert (ws.root / "sub" / "b.txt").read_text() == "also edited\n"


def test_identical_contents_are_stored_once(ws: Workspace) -> None:
    (ws.root / "sub" / "same.txt").write_text("alpha\n")
    backup = create_backup(ws, ["a.txt", "sub"])
    files = [e for e in backup.entries if e["kind"] == "file"]
    stored = [p for p in (ws.state_dir / "store" / "objects").rglob("*") if p.is_file()]
    contents = blob_paths(ws, backup.id)
    assert len(contents) == len({e["sha256"] for e in files}) < len(files)
    assert len(stored) == len(contents) + 2  # and the saved states of a.txt and sub


def test_ids_sort_by_time_and_latest_is_the_newest(ws: Workspace) -> None:
    first, second = create_backup(ws, ["a.txt"]), create_backup(ws, ["sub"])
    assert first.id < second.id
    assert [b.id for b in list_backups(ws)] == [first.id, second.id]
    assert load_backup(ws, "latest").id == second.id
    with pytest.raises(NotFound) as err:
        load_backup(ws, "20200101T000000.000000Z-0000")
    assert first.id in str(err.value) and second.id in str(err.value)


def test_the_state_folder_is_never_saved_or_overwritten(ws: Workspace) -> None:
    older = create_backup(ws, ["a.txt"])
    whole = create_backup(ws, ["."])
    assert not [e for e in whole.entries if e["path"].startswith(".aim")]
    with pytest.raises(UnsafePath):
        create_backup(ws, [".aim/backups"])
    (ws.root / "extra.txt").write_text("new\n")
    restore_backup(ws, whole.id)
    assert not (ws.root / "extra.txt").exists()
    assert [b.id for b in list_backups(ws)] == [older.id, whole.id]


def test_no_paths_is_bad_input(ws: Workspace) -> None:
    with pytest.raises(InputError):
        create_backup(ws, [])


def test_verify_detects_a_corrupted_or_missing_blob(ws: Workspace) -> None:
    backup = create_backup(ws, ["a.txt", "sub"])
    assert verify_backup(ws, backup.id) == []
    first, second = blob_paths(ws, backup.id)[:2]
    first.chmod(0o600)  # objects are read-only
    first.write_bytes(b"bit rot")
    second.unlink()
    problems = verify_backup(ws, backup.id)
    assert any("sha256 mismatch" in p and first.name in p for p in problems)
    assert any("missing object" in p and second.name in p for p in problems)
    change_everything(ws.root)
    changed = snapshot_tree(ws.root)
    with pytest.raises(CheckFailed):
        restore_backup(ws, backup.id)
    assert snapshot_tree(ws.root) == changed  # nothing was written


def test_a_damaged_saved_state_is_reported_not_trusted(ws: Workspace) -> None:
    backup = create_backup(ws, ["a.txt"])
    manifest = json.loads((ws.backups_dir / backup.id / "manifest.json").read_text())
    state = ObjectStore(ws.state_dir).object_path(manifest["states"][0]["state"])
    state.chmod(0o600)  # objects are read-only
    state.write_text("[]")  # well-formed, and would say a.txt did not exist: remove it
    with pytest.raises(CheckFailed, match="sha256 mismatch in object") as err:
        load_backup(ws, backup.id)
    assert state.name in str(err.value) and "damaged" in str(err.value)
    problems = verify_backup(ws, backup.id)
    assert problems[0].startswith("bad manifest") and "sha256 mismatch" in problems[0]
    (ws.root / "a.txt").write_text("edited\n")
    with pytest.raises(CheckFailed):
        restore_backup(ws, backup.id)
    assert (ws.root / "a.txt").read_text() == "edited\n"


def test_verify_reports_an_unreadable_manifest(ws: Workspace) -> None:
    backup = create_backup(ws, ["a.txt"])
    (ws.backups_dir / backup.id / "manifest.json").write_text('{"format": 1, "sta')
    assert [p for p in verify_backup(ws, backup.id) if p.startswith("bad manifest")]


@pytest.mark.parametrize("path", ["../x", "/abs/x", "sub/../../x"])
def test_create_refuses_paths_outside_the_root(ws: Workspace, path: str) -> None:
    with pytest.raises(UnsafePath):
        create_backup(ws, ["a.txt", path])
    assert list_backups(ws) == []


def test_restore_refuses_a_symlinked_folder_leading_outside(ws: Workspace,
                                                            tmp_path: Path) -> None:
    (ws.root / "out").mkdir()
    (ws.root / "out" / "x.txt").write_text("saved\n")
    backup = create_backup(ws, ["out/x.txt"])
    outside = tmp_path / "outside"
    outside.mkdir()
    (ws.root / "out" / "x.txt").unlink()
    (ws.root / "out").rmdir()
    (ws.root / "out").symlink_to(outside)
    with pytest.raises(UnsafePath):
        restore_backup(ws, backup.id)
    assert list(outside.iterdir()) == []


def count_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """One item for every time a backup's manifest is read and checked."""
    loads: list[str] = []
    parse = backups._parse_manifest

    def counted(ws: Workspace, raw: Any, where: str) -> Any:
        loads.append(where)
        return parse(ws, raw, where)

    monkeypatch.setattr(backups, "_parse_manifest", counted)
    return loads


def test_the_restore_action_loads_its_backup_once(ws: Workspace, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot_tree(ws.root)
    backup = create_backup(ws, SAVED)
    change_everything(ws.root)
    path = write_workflow(tmp_path / "flows", "back", f"""
        version: 1
        name: back
        steps:
          - {{id: restore, uses: backup.restore, with: {{backup: {backup.id}}}}}
        """)
    loads = count_loads(monkeypatch)
    result = run(ws, path)
    assert result.status == "success", result.reason
    assert snapshot_tree(ws.root) == before
    assert len(loads) == 1


def test_a_loaded_backup_is_sized_and_restored_without_loading_it_again(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    backup = create_backup(ws, SAVED)
    size = backup_size(ws, backup.id)
    found = load_backup(ws, backup.id)
    loads = count_loads(monkeypatch)
    assert backup_size(ws, found) == size > 0
    change_everything(ws.root)
    assert sorted(restore_backup(ws, found)) == sorted(SAVED)
    assert loads == []


def _escape_state(manifest: dict[str, Any], path: str) -> None:
    manifest["states"][0]["path"] = path


def _write_through_symlink(manifest: dict[str, Any], outside: str) -> None:
    entries = manifest["states"][0]["entries"]
    sha = next(e["sha256"] for e in entries if e["kind"] == "file")
    entries += [{"path": "zz", "kind": "symlink", "target": outside},
                {"path": "zz/evil.txt", "kind": "file", "mode": 0o644, "sha256": sha}]


def _escape_entry(manifest: dict[str, Any], path: str) -> None:
    file = next(e for e in manifest["states"][0]["entries"] if e["kind"] == "file")
    file["path"] = path


TAMPERINGS = {
    "dotdot path": lambda m, out: _escape_state(m, "../outside/evil.txt"),
    "absolute path": lambda m, out: _escape_state(m, f"{out}/evil.txt"),
    "state folder": lambda m, out: _escape_state(m, ".aim/runs"),
    "entry with dotdot": lambda m, out: _escape_entry(m, "../../outside/evil.txt"),
    "entry through a symlink": _write_through_symlink,
}


@pytest.mark.parametrize("tampering", sorted(TAMPERINGS))
def test_restore_refuses_a_tampered_manifest(ws: Workspace, tmp_path: Path,
                                             tampering: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    backup = create_backup(ws, ["sub"])
    manifest_path = ws.backups_dir / backup.id / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    store = ObjectStore(ws.state_dir)
    for state in manifest["states"]:  # each saved state's entry list, as the store keeps it
        state["entries"] = json.loads(store.locate(state.pop("state")).read_bytes())
    TAMPERINGS[tampering](manifest, str(outside))
    for state in manifest["states"]:  # the tampered lists written back into the store
        state["state"] = store.put_json(state.pop("entries"))
    store.commit()
    manifest_path.write_text(json.dumps(manifest))
    change_everything(ws.root)
    changed = snapshot_tree(ws.root)
    with pytest.raises(AimError) as err:
        restore_backup(ws, backup.id)
    assert "tampered" in str(err.value) or "edited" in str(err.value)
    assert verify_backup(ws, backup.id)[0].startswith("bad manifest")
    assert list(outside.iterdir()) == []
    assert snapshot_tree(ws.root) == changed


def _backup_id(result: Any) -> str:
    assert result.returncode == 0, result.stderr
    steps = json.loads(result.stdout)["steps"]
    return str(next(s for s in steps if s["id"] == "snapshot")["outputs"]["backup"])


def test_cli_backup_restore_and_rollback_of_the_restore(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    make_workspace(root)
    (root / "aim_config.json").write_text('{"version": 1}\n')
    (root / "docs").mkdir()
    (root / "docs" / "guide.md").write_text("# Guide\n")
    (root / "docs" / "tool").write_bytes(b"\x7fELF")
    os.chmod(root / "docs" / "tool", 0o755)
    saved = snapshot_tree(root)
    backup_id = _backup_id(aim("backup", "--root", str(root), "--json"))
    (root / "aim_config.json").write_text('{"version": 2}\n')
    (root / "docs" / "guide.md").unlink()
    (root / "docs" / "new.md").write_text("new\n")
    (root / "README.md").write_text("written after the backup\n")
    os.chmod(root / "docs" / "tool", 0o644)
    changed = snapshot_tree(root)
    restored = aim("restore", "--backup", backup_id, "--root", str(root))
    assert restored.returncode == 0, restored.stderr
    assert snapshot_tree(root) == saved
    undone = aim("rollback", "--root", str(root))
    assert undone.returncode == 0, undone.stderr
    assert snapshot_tree(root) == changed


def test_cli_restore_of_an_unknown_backup_fails_cleanly(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    make_workspace(root)
    before = snapshot_tree(root)
    message = assert_clean_error(aim("restore", "--backup", "nope", "--root", str(root)), 2)
    assert "no backup 'nope'" in message
    assert snapshot_tree(root) == before


def test_cli_restore_without_a_backup_id_changes_nothing_and_says_how(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    make_workspace(root)
    backup_id = _backup_id(aim("backup", "--root", str(root), "--json"))
    (root / "README.md").write_text("the user's edit\n")
    before = snapshot_tree(root)
    message = assert_clean_error(aim("restore", "--root", str(root)), 2)
    assert f"needs --backup ID or --backup latest (the newest is {backup_id})" in message
    assert "'aim backups' lists them" in message
    assert snapshot_tree(root) == before


def test_cli_backups_lists_id_time_label_size_and_paths(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    make_workspace(root)
    assert "no backups in" in aim("backups", "--root", str(root)).stdout
    backup_id = _backup_id(aim("backup", "--root", str(root), "--json"))
    listed = aim("backups", "--root", str(root))
    assert listed.returncode == 0, listed.stderr
    header, _rule, row = listed.stdout.splitlines()[:3]
    assert header.split() == ["ID", "CREATED", "LABEL", "SIZE", "PATHS"]
    assert row.startswith(backup_id) and "backup" in row and " KB " in row + " "
    data = json.loads(aim("backups", "--root", str(root), "--json").stdout)
    assert [b["id"] for b in data] == [backup_id]
    assert data[0]["size"] > 0 and data[0]["created"] and "README.md" in data[0]["paths"]


def test_cli_restore_shows_what_it_overwrites_before_and_as_it_does(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    make_workspace(root)
    (root / "docs").mkdir()
    (root / "docs" / "guide.md").write_text("# Guide\n")
    saved = snapshot_tree(root)
    backup_id = _backup_id(aim("backup", "--root", str(root), "--json"))
    (root / "docs" / "guide.md").write_text("# Guide, edited\n")
    (root / "docs" / "new.md").write_text("new\n")
    edited = snapshot_tree(root)
    plan = aim("restore", "--backup", "latest", "--dry-run", "--root", str(root))
    assert plan.returncode == 0, plan.stderr
    assert "overwrite docs/guide.md (changed since the backup)" in plan.stdout
    assert "remove docs/new.md (not in the backup)" in plan.stdout
    assert "README.md" not in plan.stdout.split("files that may change:")[1]
    assert snapshot_tree(root) == edited
    done = aim("restore", "--backup", backup_id, "--root", str(root))
    assert done.returncode == 0, done.stderr
    assert "restore: overwrite docs/guide.md" in done.stdout
    assert snapshot_tree(root) == saved
