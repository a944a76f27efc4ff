"""The copies of old keyring values runs keep: recorded, listed, gone when no rollback needs
them, and prunable (``secrets.list --all``, ``secrets.prune``)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from aim.errors import CheckFailed
from aim.secrets import SecretStore
from aim.workflow.context import Hooks
from aim.workflow.defaults import secret_store
from aim.workflow.rollback import rollback_run
from aim.workflow.secret_copies import RECORD
from aim.workflow.secret_prune import list_copies, prune_copies
from aim.workflow.secret_slots import checkpoint_service
from aim.workspace import Workspace
from tests.migration.migutil import ok, run_ids, sandbox
from tests.workflow.wfutil import make_workspace, run, write_workflow

HOOKS = Hooks(secret_store=secret_store)


def value() -> str:
    return f"value-{uuid.uuid4().hex}"


@pytest.fixture
def overwrite(tmp_path: Path) -> Iterator[tuple[Workspace, Path, str]]:
    """A workspace, a workflow that overwrites the keyring entry KEPT_KEY, and its old value."""
    from aim.actions import registry
    from aim.workflow.context import StepContext

    def set_it(ctx: StepContext, name: str, value: str) -> dict[str, object]:
        """Set a secret (test action)."""
        ctx.checkpoint.secret(name)
        ctx.secrets().set(name, value)
        return {}

    registry.load_catalog()
    registry.action("test.copy-set")(set_it)
    old = value()
    SecretStore().set("KEPT_KEY", old)
    wf = write_workflow(tmp_path, "keys", f"""
        version: 1
        name: keys
        steps:
          - {{id: a, uses: test.copy-set, with: {{name: KEPT_KEY, value: {value()}}}}}
    """)
    yield make_workspace(tmp_path / "ws"), wf, old
    del registry._REGISTRY["test.copy-set"]


def copy_of(run_id: str) -> str | None:
    return SecretStore(checkpoint_service(run_id)).get("a:KEPT_KEY")


def test_the_copy_is_recorded_listed_and_gone_after_the_rollback(
        overwrite: tuple[Workspace, Path, str]) -> None:
    ws, wf, old = overwrite
    result = run(ws, wf, HOOKS)
    assert copy_of(result.run_id) == old
    record = (ws.runs_dir / result.run_id / RECORD).read_text()
    assert "a:KEPT_KEY" in record and old not in record
    [listed] = list_copies(ws, secret_store)
    assert (listed.copy.name, listed.present, listed.prunable) == ("KEPT_KEY", True, "")
    rollback_run(ws, hooks=HOOKS)
    assert SecretStore().get("KEPT_KEY") == old
    assert copy_of(result.run_id) is None
    assert list_copies(ws, secret_store) == []


def test_a_failed_run_keeps_no_copy_after_its_rollback(
        overwrite: tuple[Workspace, Path, str]) -> None:
    ws, wf, old = overwrite
    result = run(ws, wf, HOOKS, fail_at="a")
    assert result.rolled_back and SecretStore().get("KEPT_KEY") == old
    assert copy_of(result.run_id) is None


def test_prune_removes_a_copy_left_by_a_rollback_that_was_cut_short(
        overwrite: tuple[Workspace, Path, str], monkeypatch: pytest.MonkeyPatch) -> None:
    ws, wf, _old = overwrite
    result = run(ws, wf, HOOKS)
    with monkeypatch.context() as patched:  # killed between the rollback and the removal
        patched.setattr("aim.workflow.rollback.release_undone", lambda *args: [])
        rollback_run(ws, hooks=HOOKS)
    [listed] = list_copies(ws, secret_store)
    assert listed.prunable == f"run {result.run_id} was rolled back"
    [planned] = prune_copies(ws, secret_store, dry_run=True)
    assert planned.slot == "a:KEPT_KEY" and copy_of(result.run_id) is not None
    [gone] = prune_copies(ws, secret_store)
    assert gone.name == "KEPT_KEY" and copy_of(result.run_id) is None
    audit = ws.audit_path.read_text()
    assert '"operation":"prune"' in audit.replace(" ", "")
    assert prune_copies(ws, secret_store) == []


def test_a_run_from_before_the_record_is_found_by_its_journal(
        overwrite: tuple[Workspace, Path, str]) -> None:
    ws, wf, _old = overwrite
    result = run(ws, wf, HOOKS)
    (ws.runs_dir / result.run_id / RECORD).unlink()
    [listed] = list_copies(ws, secret_store)
    assert listed.copy.slot == "a:KEPT_KEY"
    rollback_run(ws, hooks=HOOKS)
    assert copy_of(result.run_id) is None


def test_pruning_one_run_on_purpose_makes_its_rollback_stop(
        overwrite: tuple[Workspace, Path, str]) -> None:
    ws, wf, _old = overwrite
    result = run(ws, wf, HOOKS)
    now = SecretStore().get("KEPT_KEY")
    assert prune_copies(ws, secret_store) == []  # still needed: nothing to prune
    [gone] = prune_copies(ws, secret_store, run=result.run_id)
    assert copy_of(result.run_id) is None and gone.released
    with pytest.raises(CheckFailed, match=f"run {result.run_id} can no longer be undone: the "
                       "old values of the keyring entries KEPT_KEY it saved were removed"):
        rollback_run(ws, hooks=HOOKS)
    assert SecretStore().get("KEPT_KEY") == now  # nothing undone


def _copies(keyring: Path) -> dict[str, dict[str, str]]:
    entries = json.loads(keyring.read_text())["entries"]
    return {s: e for s, e in entries.items() if s.startswith("aim-checkpoint/")}


def test_three_migrate_rollback_cycles_keep_only_the_last_rollbacks_copies(
        tmp_path: Path) -> None:
    box = sandbox(tmp_path, GITHUB_TOKEN=f"ghp-{uuid.uuid4().hex}")
    for _cycle in range(3):
        ok(box.migrate())
        ok(box.aim("rollback"))
    last = run_ids(box.root, "rollback")[-1]
    copies = _copies(box.keyring)
    assert list(copies) == [f"aim-checkpoint/{last}"]  # was 6 copies under 3 services
    assert sorted(n.split(":")[-1] for n in copies[f"aim-checkpoint/{last}"]) == [
        "GITHUB_TOKEN", "OPENAI_API_KEY"]
    listed = json.loads(ok(box.aim("secrets.list", "--all", "--json")).stdout)
    assert sorted((c["service"], c["name"]) for c in listed["copies"]) == [
        (f"aim-checkpoint/{last}", "GITHUB_TOKEN"), (f"aim-checkpoint/{last}", "OPENAI_API_KEY")]
    table = ok(box.aim("secrets.list", "--all")).stdout
    assert f"aim-checkpoint/{last}" in table and "kept for its rollback" in table
    assert "nothing to prune" in ok(box.aim("secrets.prune", "--dry-run")).stdout
    assert "would remove" in ok(box.aim("secrets.prune", "--all", "--dry-run")).stdout
    assert _copies(box.keyring) == copies
    pruned = ok(box.aim("secrets.prune", "--all")).stdout
    assert pruned.count("removed aim-checkpoint/") == 2
    assert _copies(box.keyring) == {} and box.entries() == {}
    for secret in copies[f"aim-checkpoint/{last}"].values():
        assert secret not in pruned + table
