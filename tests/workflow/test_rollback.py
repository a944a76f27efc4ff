"""Rollback after the fact: verify before undo, --force, --to, idempotence, keyring entries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from aim.errors import NotFound, RollbackRefused
from aim.workflow.history import load_run
from aim.workflow.rollback import preview_rollback, rollback_run
from tests.treeutil import snapshot_tree
from tests.workflow.wfutil import make_workspace, run, write_workflow

EDITS = """
    version: 1
    name: edits
    on_failure: stop
    steps:
      - {id: one, uses: file.write, with: {path: a.txt, content: "one"}}
      - {id: two, uses: file.write, with: {path: sub/new.txt, content: "two"}}
      - {id: three, uses: file.delete, with: {path: sub/deep}}
"""


def test_rollback_after_success_restores_everything(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    before = snapshot_tree(ws.root)
    result = run(ws, write_workflow(tmp_path, "edits", EDITS))
    assert result.status == "success" and snapshot_tree(ws.root) != before
    undone = rollback_run(ws)
    assert undone.run_id == result.run_id
    assert undone.steps == ("one", "two", "three")
    assert snapshot_tree(ws.root) == before
    assert load_run(ws, result.run_id).status == "rolled_back"


def test_rollback_refuses_when_a_file_was_edited_after_the_run(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    run(ws, write_workflow(tmp_path, "edits", EDITS))
    (ws.root / "sub" / "new.txt").write_text("my own edit")
    after_edit = snapshot_tree(ws.root)
    with pytest.raises(RollbackRefused) as caught:
        rollback_run(ws)
    message = str(caught.value)
    assert "changed after the run: sub/new.txt." in message
    assert "Nothing was undone" in message and "--force" in message
    assert snapshot_tree(ws.root) == after_edit  # nothing undone


def test_rollback_names_a_file_edited_inside_a_touched_tree(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    wf = write_workflow(tmp_path, "copy", """
        version: 1
        name: copy
        steps:
          - {id: copy, uses: file.copy, with: {src: sub, dest: copied}}
    """)
    run(ws, wf)
    (ws.root / "copied" / "deep" / "c.bin").write_bytes(b"edited")
    (ws.root / "copied" / "extra.txt").write_text("new file")
    preview = preview_rollback(ws)
    assert preview["changed_since"] == ["copied/deep/c.bin", "copied/extra.txt"]
    with pytest.raises(RollbackRefused):
        rollback_run(ws)


def test_force_overwrites_later_edits(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    before = snapshot_tree(ws.root)
    run(ws, write_workflow(tmp_path, "edits", EDITS))
    (ws.root / "a.txt").write_text("edited later")
    result = rollback_run(ws, force=True)
    assert result.changed_since == ("a.txt",)
    assert snapshot_tree(ws.root) == before


def test_rollback_to_a_step_keeps_the_earlier_ones(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    run(ws, write_workflow(tmp_path, "edits", EDITS))
    result = rollback_run(ws, to="one")
    assert result.steps == ("two", "three")
    assert (ws.root / "a.txt").read_text() == "one"
    assert not (ws.root / "sub" / "new.txt").exists()
    assert (ws.root / "sub" / "deep" / "c.bin").exists()
    # a later full rollback undoes the rest, and verifies against the partly restored state
    assert rollback_run(ws).steps == ("one",)
    assert (ws.root / "a.txt").read_text() == "alpha\n"


def test_rollback_twice_is_a_no_op(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    before = snapshot_tree(ws.root)
    run(ws, write_workflow(tmp_path, "edits", EDITS))
    rollback_run(ws)
    again = rollback_run(ws)
    assert again.steps == ()
    assert snapshot_tree(ws.root) == before


def test_unknown_run_and_step(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    with pytest.raises(NotFound, match="no runs yet"):
        rollback_run(ws)
    run(ws, write_workflow(tmp_path, "edits", EDITS))
    with pytest.raises(NotFound, match="no run 'nope'"):
        rollback_run(ws, "nope")
    with pytest.raises(NotFound, match="has no step 'four'; its steps: one, two, three"):
        rollback_run(ws, to="four")


class DictSlots:
    """A keyring service backed by a shared dict (the runner's secret-store interface)."""

    def __init__(self, data: dict[tuple[str, str], str], service: str) -> None:
        self.data, self.service = data, service

    def get(self, name: str) -> str | None:
        return self.data.get((self.service, name))

    def set(self, name: str, value: str) -> None:
        self.data[(self.service, name)] = value

    def delete(self, name: str) -> bool:
        return self.data.pop((self.service, name), None) is not None


@pytest.fixture
def secret_action() -> Iterator[str]:
    """A throw-away action that sets a keyring secret, removed from the catalogue after."""
    from aim.actions import registry
    from aim.workflow.context import StepContext

    def set_secret(ctx: StepContext, name: str, value: str) -> dict[str, object]:
        """Set a secret (test action)."""
        ctx.checkpoint.secret(name)
        ctx.secrets().set(name, value)
        return {}

    registry.load_catalog()
    registry.action("test.set-secret")(set_secret)
    yield "test.set-secret"
    del registry._REGISTRY["test.set-secret"]


def test_secret_checkpoints_restore_old_values_and_delete_new_keys(
        tmp_path: Path, secret_action: str) -> None:
    from aim.workflow.context import Hooks

    data = {("aim", "OLD_KEY"): "old-value"}
    hooks = Hooks(secret_store=lambda service: DictSlots(data, service))
    ws = make_workspace(tmp_path / "ws")
    wf = write_workflow(tmp_path, "secrets", """
        version: 1
        name: secrets
        steps:
          - {id: a, uses: test.set-secret, with: {name: OLD_KEY, value: new-value}}
          - {id: b, uses: test.set-secret, with: {name: NEW_KEY, value: fresh}}
          - {id: c, uses: shell, with: {run: "false", writes: []}}
    """)
    result = run(ws, wf, hooks)
    assert result.rolled_back
    assert data.get(("aim", "OLD_KEY")) == "old-value"
    assert ("aim", "NEW_KEY") not in data
    journal = (ws.runs_dir / result.run_id / "journal.jsonl").read_text()
    assert "old-value" not in journal and "new-value" not in journal
