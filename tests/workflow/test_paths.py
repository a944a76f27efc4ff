"""Writes outside --root: steps are refused (exit 2), in a dry run too, before any change.

Every path a step touches is checked with its symlinks followed: a link leading out of the
workspace root is refused like ``..``, and AIM+'s state folder (journal, backups, audit trail,
lock) is never a step's target, also when AIM_STATE_DIR puts it somewhere else.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aim.errors import UnsafePath
from aim.workflow.checkpoint import CheckpointStore
from aim.workflow.journal import Journal
from tests.cli.clitool import aim, assert_clean_error
from tests.treeutil import snapshot_tree
from tests.workflow.wfutil import make_workspace, write_workflow

FIRST = "  - {id: first, uses: file.write, with: {path: first.txt, content: changed}}\n"


def _outside(tmp_path: Path) -> Path:
    """A folder next to the workspace, with a file and a PowerShell script in it."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "README.md").write_text("# not the workspace's\n")
    (folder / "build.ps1").write_text("param()\nWrite-Host hi\n")
    return folder


def _flow(tmp_path: Path, step: str) -> Path:
    """A workflow that changes first.txt, then runs ``step`` (one YAML flow mapping)."""
    return write_workflow(tmp_path, "flow", "version: 1\nname: flow\non_failure: rollback\n"
                          f"steps:\n{FIRST}  - {step}\n")


def _run(root: Path, flow: Path, *extra: str, env: dict[str, str] | None = None) -> str:
    """Run ``flow`` (and its dry run first); both must be refused with exit 2: the message."""
    dry = assert_clean_error(aim("workflow.run", str(flow), "--root", str(root), "--dry-run",
                                 env=env), 2)
    real = assert_clean_error(aim("workflow.run", str(flow), "--root", str(root), *extra,
                                  env=env), 2)
    return dry + real


LINKED = {
    "move into a linked folder": ("{id: step, uses: file.move, with: {src: a.txt, dest: out}}",
                                  "'out'"),
    "copy into a linked folder": ("{id: step, uses: file.copy, with: {src: a.txt, dest: out}}",
                                  "'out'"),
    "write through a linked folder": (
        "{id: step, uses: file.write, with: {path: out/new.txt, content: x}}", "'out/new.txt'"),
    "write onto a linked file": (
        "{id: step, uses: file.write, with: {path: readme, content: x}}", "'readme'"),
    "create a folder through a link": (
        "{id: step, uses: dir.create, with: {path: out/new}}", "'out/new'"),
    "delete through a link": (
        "{id: step, uses: file.delete, with: {path: out/README.md}}", "'out/README.md'"),
    "deprecate a linked legacy folder": (
        "{id: step, uses: docs.deprecate_legacy, with: {legacy: out}}", "'out'"),
    "unmark a linked legacy folder": (
        "{id: step, uses: legacy.unmark, with: {legacy: out}}", "'out'"),
}


@pytest.mark.parametrize("case", sorted(LINKED))
def test_a_symlink_leading_outside_the_root_is_refused(tmp_path: Path, case: str) -> None:
    ws = make_workspace(tmp_path / "ws")
    outside = _outside(tmp_path)
    (ws.root / "out").symlink_to(outside)
    (ws.root / "readme").symlink_to(outside / "README.md")
    (ws.root / "first.txt").write_text("before\n")
    step, named = LINKED[case]
    before, there = snapshot_tree(ws.root), snapshot_tree(outside)
    message = _run(ws.root, _flow(tmp_path, step))
    assert named in message and str(outside) in message
    assert "replace the symlink" in message
    assert snapshot_tree(outside) == there
    assert snapshot_tree(ws.root) == before  # first.txt too: the run was rolled back


def test_a_refused_move_leaves_nothing_for_rollback_to_miss(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    outside = _outside(tmp_path)
    (ws.root / "out").symlink_to(outside)
    flow = write_workflow(tmp_path, "move", """
        version: 1
        name: move
        steps:
          - {id: move, uses: file.move, with: {src: sub, dest: out}}
    """)
    before, there = snapshot_tree(ws.root), snapshot_tree(outside)
    assert_clean_error(aim("workflow.run", str(flow), "--root", str(ws.root)), 2)
    assert snapshot_tree(outside) == there and snapshot_tree(ws.root) == before
    aim("rollback", "--root", str(ws.root))
    assert snapshot_tree(outside) == there and snapshot_tree(ws.root) == before


def test_a_symlink_that_stays_inside_the_root_is_followed(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    (ws.root / "inner").symlink_to("sub")
    flow = _flow(tmp_path, "{id: step, uses: file.write, with: {path: inner/n.txt, content: x}}")
    result = aim("workflow.run", str(flow), "--root", str(ws.root))
    assert result.returncode == 0, result.stderr
    assert (ws.root / "sub" / "n.txt").read_text() == "x"


STATE = {
    "write the live lock": ("{id: step, uses: file.write, with: {path: .aim/lock, content: x}}",
                            "'.aim/lock' is AIM+'s state folder"),
    "delete the state folder": ("{id: step, uses: file.delete, with: {path: .aim}}",
                                "'.aim' is AIM+'s state folder"),
    "delete the whole root": ("{id: step, uses: file.delete, with: {path: .}}",
                              "'.' holds AIM+'s state folder"),
    "move the state folder": ("{id: step, uses: file.move, with: {src: .aim, dest: old}}",
                              "'.aim' is AIM+'s state folder"),
    "copy over the state folder": ("{id: step, uses: file.copy, with: {src: sub, dest: .aim}}",
                                   "'.aim' is AIM+'s state folder"),
    "write through a link to it": ("{id: step, uses: file.write, with: {path: st/x, content: x}}",
                                   "'st/x' is AIM+'s state folder"),
    "shell that declares it": ("{id: step, uses: shell, with: {run: 'true', writes: [.aim]}}",
                               "'.aim' is AIM+'s state folder"),
}


def _state_picture(state: Path) -> dict[str, tuple]:
    """The state folder without what every run adds to (the audit trail, the run index) or
    removes (lock)."""
    return {rel: entry for rel, entry in snapshot_tree(state, frozenset()).items()
            if rel not in ("audit.jsonl", "runs.jsonl", "lock") and not rel.startswith("runs/")}


@pytest.mark.parametrize("case", sorted(STATE))
def test_the_state_folder_is_never_a_step_target(tmp_path: Path, case: str) -> None:
    ws = make_workspace(tmp_path / "ws")
    assert aim("backup", "--root", str(ws.root)).returncode == 0
    (ws.root / "st").symlink_to(".aim")
    runs_before = json.loads(aim("runs", "--root", str(ws.root), "--json").stdout)
    state, tree = _state_picture(ws.state_dir), snapshot_tree(ws.root)
    step, named = STATE[case]
    message = _run(ws.root, _flow(tmp_path, step))
    assert named in message and str(ws.state_dir) in message
    assert _state_picture(ws.state_dir) == state  # the backup is still there, as it was
    assert snapshot_tree(ws.root) == tree
    runs = json.loads(aim("runs", "--root", str(ws.root), "--json").stdout)
    assert len(runs) == len(runs_before) + 1  # the refused run's journal is there too
    assert aim("audit", "--root", str(ws.root), "--verify").returncode == 0
    assert aim("backup", "--root", str(ws.root)).returncode == 0  # the lock was released


def test_a_state_folder_elsewhere_in_the_root_is_protected_too(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    env = {"AIM_STATE_DIR": str(ws.root / "sub" / "state")}
    assert aim("backup", "--root", str(ws.root), env=env).returncode == 0
    tree = snapshot_tree(ws.root / "sub" / "state", frozenset())
    for step, named in (("{id: step, uses: file.delete, with: {path: sub}}",
                         "'sub' holds AIM+'s state folder"),
                        ("{id: step, uses: file.write, with: {path: sub/state/lock, content: x}}",
                         "'sub/state/lock' is AIM+'s state folder")):
        assert named in _run(ws.root, _flow(tmp_path, step), env=env)
    after = snapshot_tree(ws.root / "sub" / "state", frozenset())
    assert {k: v for k, v in after.items() if k.startswith("backups/")} == \
        {k: v for k, v in tree.items() if k.startswith("backups/")}
    assert (ws.root / "sub" / "b.txt").read_text() == "beta\n"


def test_a_state_folder_outside_the_root_cannot_be_reached_through_a_link(
        tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    state = tmp_path / "state"
    env = {"AIM_STATE_DIR": str(state)}
    assert aim("backup", "--root", str(ws.root), env=env).returncode == 0
    (ws.root / "st").symlink_to(state)
    before = _state_picture(state)
    message = _run(ws.root, _flow(tmp_path, "{id: step, uses: file.delete, with: {path: st}}"),
                   env=env)
    assert "'st' leads outside the workspace root" in message
    assert _state_picture(state) == before


def test_restore_refuses_a_saved_folder_now_linked_outside(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    (ws.root / "docs").mkdir()
    (ws.root / "docs" / "guide.md").write_text("# saved\n")
    assert aim("backup", "--root", str(ws.root)).returncode == 0
    outside = tmp_path / "outside"
    (ws.root / "docs").rename(outside)
    (outside / "guide.md").write_text("# theirs\n")
    (ws.root / "docs").symlink_to(outside)
    before, there = snapshot_tree(ws.root), snapshot_tree(outside)
    for args in (("--dry-run",), ()):
        restored = aim("restore", "--backup", "latest", "--root", str(ws.root), *args)
        message = assert_clean_error(restored, 2)
        assert "'docs' leads outside the workspace root" in message
    assert snapshot_tree(outside) == there and snapshot_tree(ws.root) == before


def test_a_checkpoint_never_records_a_place_outside_the_root(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    (ws.root / "out").symlink_to(_outside(tmp_path))
    journal = Journal(ws.runs_dir / "run")
    store = CheckpointStore(ws, journal, "run")
    store.begin("step")
    for path in (ws.root / "out" / "README.md", ws.lock_path, ws.root / ".." / "x"):
        with pytest.raises(UnsafePath):
            store.file(path)
    store.file(ws.root / "out")  # the link itself is inside the root: it is saved as a link
    journal.close()
    assert store.paths == ["out"]
