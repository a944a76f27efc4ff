"""A step's post-state covers what it touched; how a run left a folder that later steps wrote
into is composed from their post-states, so verify-before-undo still names every later edit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aim.errors import RollbackRefused
from aim.workflow import snapshot
from aim.workflow.checkpoint import CheckpointStore, store_state
from aim.workflow.rollback import preview_rollback, rollback_run
from aim.workspace import Workspace
from tests.treeutil import snapshot_tree
from tests.workflow.wfutil import make_workspace, run, write_workflow

STEPS = 300


def into_a_new_folder(tmp_path: Path, steps: int = STEPS) -> Path:
    """A workflow whose first step makes ``out/`` and whose other steps write files in it."""
    lines = ["version: 1", "name: many", "on_failure: stop", "steps:",
             "  - {id: s0, uses: dir.create, with: {path: out}}"]
    lines += [f"  - {{id: s{i}, uses: file.write, with: {{path: out/f{i}.txt, content: '{i}'}}}}"
              for i in range(1, steps)]
    lines += ["  - {id: sub, uses: file.write, with: {path: out/deep/x.txt, content: x}}",
              "  - {id: again, uses: file.write, with: {path: out/f1.txt, content: changed}}"]
    return write_workflow(tmp_path / "wf", "many", "\n".join(lines) + "\n")


def journal(ws: Workspace, run_id: str) -> list[dict[str, Any]]:
    text = (ws.runs_dir / run_id / "journal.jsonl").read_text()
    return [json.loads(line) for line in text.splitlines()]


def test_a_long_run_into_a_folder_it_made_rolls_back_byte_identical(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    before = snapshot_tree(ws.root)
    result = run(ws, into_a_new_folder(tmp_path))
    assert result.status == "success"
    assert (ws.root / "out" / "f1.txt").read_text() == "changed"
    ends = [r for r in journal(ws, result.run_id) if r["t"] == "step_end"]
    assert list(ends[-3]["post"]) == [f"out/f{STEPS - 1}.txt"]  # not out/ again
    assert preview_rollback(ws)["changed_since"] == []
    edited = ws.root / "out" / "f7.txt"
    edited.write_text("the user's edit")
    with pytest.raises(RollbackRefused, match=r"changed after the run: out/f7\.txt\. "):
        rollback_run(ws)
    assert edited.read_text() == "the user's edit"  # nothing was undone
    edited.write_text("7")  # as the run left it: the rollback goes ahead
    rollback_run(ws)
    assert snapshot_tree(ws.root) == before


@pytest.mark.parametrize("edit", ["out/f7.txt", "out/new.txt", "out/deep/x.txt"])
def test_an_edit_inside_the_folder_after_the_run_is_named_and_refused(
        tmp_path: Path, edit: str) -> None:
    ws = make_workspace(tmp_path / "ws")
    before = snapshot_tree(ws.root)
    run(ws, into_a_new_folder(tmp_path, steps=12))
    (ws.root / edit).write_text("the user's edit")
    assert preview_rollback(ws)["changed_since"] == [edit]
    with pytest.raises(RollbackRefused) as refused:
        rollback_run(ws)
    assert edit in str(refused.value)
    rollback_run(ws, force=True)
    assert snapshot_tree(ws.root) == before


def test_a_partial_rollback_leaves_the_folder_as_the_earlier_steps_left_it(
        tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    run(ws, into_a_new_folder(tmp_path, steps=5))
    rollback_run(ws, to="s2")
    assert sorted(p.name for p in (ws.root / "out").iterdir()) == ["f1.txt", "f2.txt"]
    assert preview_rollback(ws)["changed_since"] == []  # the rest rolls back unrefused
    (ws.root / "out" / "f2.txt").write_text("the user's edit")
    assert preview_rollback(ws)["changed_since"] == ["out/f2.txt"]


def old_post_states(self: CheckpointStore) -> dict[str, Any]:
    """How steps ended before: every checkpointed path overlapping the step's, captured again."""
    def overlaps(a: str, b: str) -> bool:
        return a == b or a.startswith(b + "/") or b.startswith(a + "/") or "." in (a, b)

    touched = [t for t in self._taken if not t.startswith("secret:")]
    post: dict[str, Any] = self._secret_states()
    for rel in self.paths:
        if any(overlaps(rel, t) for t in touched):
            target = self.ws.root if rel == "." else self.ws.root / rel
            post[rel] = store_state(self.blobs, snapshot.capture(target, None,
                                                                 self.ws.is_state_path))
    return post


@pytest.mark.parametrize("edit", [None, "out/f3.txt", "out/deep/x.txt"])
def test_a_journal_written_the_old_way_still_rolls_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: str | None) -> None:
    ws = make_workspace(tmp_path / "ws")
    before = snapshot_tree(ws.root)
    with monkeypatch.context() as patched:
        patched.setattr(CheckpointStore, "post_states", old_post_states)
        result = run(ws, into_a_new_folder(tmp_path, steps=8))
    ends = [r for r in journal(ws, result.run_id) if r["t"] == "step_end"]
    assert "out" in ends[-1]["post"]  # the old way: out/ captured again at every step
    if edit is not None:
        (ws.root / edit).write_text("the user's edit")
        with pytest.raises(RollbackRefused, match=edit):
            rollback_run(ws)
    rollback_run(ws, force=edit is not None)
    assert snapshot_tree(ws.root) == before
