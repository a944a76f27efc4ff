"""Verify before undo covers keyring entries: a key the user changed after the run is named,
and the rollback refused without --force, as for a file edited after the run."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from aim.errors import ExitCode, RollbackRefused
from aim.secrets import SecretStore
from aim.workflow.context import Hooks
from aim.workflow.defaults import secret_store
from aim.workflow.rollback import rollback_run
from aim.workspace import Workspace
from tests.migration.migutil import CANARY, ok, sandbox
from tests.workflow.wfutil import make_workspace, run, write_workflow

HOOKS = Hooks(secret_store=secret_store)


def value() -> str:
    return f"value-{uuid.uuid4().hex}"


@pytest.fixture
def set_secret() -> Iterator[str]:
    """A throw-away action that sets a keyring secret, removed from the catalogue after."""
    from aim.actions import registry
    from aim.workflow.context import StepContext

    def set_it(ctx: StepContext, name: str, value: str) -> dict[str, object]:
        """Set a secret (test action)."""
        ctx.checkpoint.secret(name)
        ctx.secrets().set(name, value)
        return {}

    registry.load_catalog()
    registry.action("test.rotate-set")(set_it)
    yield "test.rotate-set"
    del registry._REGISTRY["test.rotate-set"]


def sets(tmp_path: Path, *steps: tuple[str, str, str]) -> Path:
    """A workflow of steps (id, secret name, value) that each set one secret."""
    lines = "\n".join(f"  - {{id: {sid}, uses: test.rotate-set, with: {{name: {name}, "
                      f"value: {val}}}}}" for sid, name, val in steps)
    return write_workflow(tmp_path, "keys", f"version: 1\nname: keys\nsteps:\n{lines}\n")


def refused(ws: Workspace) -> str:
    with pytest.raises(RollbackRefused) as caught:
        rollback_run(ws, hooks=HOOKS)
    assert caught.value.exit_code == ExitCode.FAILED  # as for a file edited after the run
    return str(caught.value)


def test_a_key_rotated_after_the_run_is_named_and_kept(tmp_path: Path,
                                                       set_secret: str) -> None:
    old, new, rotated = value(), value(), value()
    SecretStore().set("ROTATED_KEY", old)
    ws = make_workspace(tmp_path / "ws")
    run(ws, sets(tmp_path, ("a", "ROTATED_KEY", new)), HOOKS)
    SecretStore().set("ROTATED_KEY", rotated)  # the user rotates the key
    message = refused(ws)
    assert "changed after the run: keyring entry ROTATED_KEY (now another value)" in message
    assert "Nothing was undone" in message and "--force" in message
    assert not any(v in message for v in (old, new, rotated))
    assert SecretStore().get("ROTATED_KEY") == rotated
    rollback_run(ws, hooks=HOOKS, force=True)
    assert SecretStore().get("ROTATED_KEY") == old


def test_a_key_the_run_created_and_the_user_rotated_is_not_deleted(
        tmp_path: Path, set_secret: str) -> None:
    ws = make_workspace(tmp_path / "ws")
    run(ws, sets(tmp_path, ("a", "CREATED_KEY", value())), HOOKS)
    rotated = value()
    SecretStore().set("CREATED_KEY", rotated)
    assert "keyring entry CREATED_KEY (now another value)" in refused(ws)
    assert SecretStore().get("CREATED_KEY") == rotated


def test_a_key_deleted_or_set_after_the_run_is_named(tmp_path: Path, set_secret: str) -> None:
    SecretStore().set("WAS_THERE", value())
    ws = make_workspace(tmp_path / "ws")
    wf = write_workflow(tmp_path, "delete", """
        version: 1
        name: delete
        steps:
          - {id: a, uses: test.rotate-set, with: {name: WAS_THERE, value: from-the-run}}
    """)
    run(ws, wf, HOOKS)
    SecretStore().delete("WAS_THERE")
    assert "keyring entry WAS_THERE (now deleted)" in refused(ws)


def test_unchanged_keys_roll_back_and_the_journal_has_no_value(tmp_path: Path,
                                                               set_secret: str) -> None:
    old, new = value(), value()
    SecretStore().set("SAME_KEY", old)
    ws = make_workspace(tmp_path / "ws")
    result = run(ws, sets(tmp_path, ("a", "SAME_KEY", new), ("b", "OTHER_KEY", new)), HOOKS)
    rollback_run(ws, hooks=HOOKS)
    assert SecretStore().get("SAME_KEY") == old and SecretStore().get("OTHER_KEY") is None
    journal = (ws.runs_dir / result.run_id / "journal.jsonl").read_text()
    assert "keyring:a:SAME_KEY" in journal
    assert old not in journal and new not in journal


def test_a_key_two_steps_set_is_compared_with_the_latest_step_left(
        tmp_path: Path, set_secret: str) -> None:
    old = value()
    SecretStore().set("TWICE", old)
    ws = make_workspace(tmp_path / "ws")
    run(ws, sets(tmp_path, ("a", "TWICE", value()), ("b", "TWICE", value())), HOOKS)
    rollback_run(ws, to="a", hooks=HOOKS)  # puts back what a left
    rollback_run(ws, hooks=HOOKS)  # not refused: the key is as step a left it
    assert SecretStore().get("TWICE") == old


def test_cli_rollback_names_the_rotated_key_exits_1_and_saves_nothing(
        tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    ok(box.migrate())
    assert box.entries()["OPENAI_API_KEY"] == CANARY
    rotated = f"rotated-by-the-user-{uuid.uuid4().hex}"
    box.put("OPENAI_API_KEY", rotated)
    plan = ok(box.aim("rollback", "--dry-run")).stdout
    assert "changed after the run (needs --force): keyring entry OPENAI_API_KEY" in plan
    refusal = box.aim("rollback")
    output = refusal.stdout + refusal.stderr
    assert refusal.returncode == 1, output
    assert "keyring entry OPENAI_API_KEY (now another value)" in output
    assert rotated not in output and CANARY not in output
    assert box.entries()["OPENAI_API_KEY"] == rotated
    assert not [s for s in _services(box) if s.startswith("aim-checkpoint/")]  # no copies
    ok(box.aim("rollback", "--force"))
    assert "OPENAI_API_KEY" not in box.entries()  # the migration had created it


def _services(box: object) -> list[str]:
    import json

    path: Path = box.keyring  # type: ignore[attr-defined]
    return list(json.loads(path.read_text())["entries"])
