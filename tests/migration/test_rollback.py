"""``aim rollback`` after a migration: files, reports and keyring entries as they were."""

from __future__ import annotations

import json
from pathlib import Path

from aim.docs.deprecate import Layout, plan_deprecation
from aim.docs.textdoc import apply_write
from aim.workspace import Workspace
from tests.migration.migutil import CANARY, Sandbox, keyring_here, ok, run_here, run_ids, sandbox


def here(box: Sandbox, workflow: str, **inputs: str) -> list[str]:
    """Run ``workflow`` in this process; it must succeed."""
    if workflow == "migrate":
        inputs.setdefault("vault", str(box.root / "vault" / "vault.json"))
    result, lines = run_here(box.root, workflow, inputs)
    assert result.status == "success", lines
    return lines


def test_rollback_after_migrate_restores_everything_and_is_idempotent(tmp_path: Path) -> None:
    box = sandbox(tmp_path, GITHUB_TOKEN="ghp-from-env-1")
    box.put("GEMINI_API_KEY", "user-set-1")
    before, keyring = box.tree(), box.entries()
    ok(box.migrate())
    assert (box.root / "aim_config.json").is_file() and (box.root / "reports").is_dir()
    assert set(box.entries()) == {"OPENAI_API_KEY", "GITHUB_TOKEN", "GEMINI_API_KEY"}
    undone = ok(box.aim("rollback"))
    assert "restored workspace: legacy config reads, aim_config.json absent" in undone.stdout
    assert not (box.root / "aim_config.json").exists()
    assert not (box.root / "reports").exists()
    assert box.tree() == before and box.entries() == keyring
    again = ok(box.aim("rollback"))
    assert "success  undo" in again.stdout
    assert box.tree() == before and box.entries() == keyring


def test_rollback_dry_run_names_what_it_would_restore(tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    ok(box.migrate())
    state = box.tree()
    plan = ok(box.aim("rollback", "--dry-run")).stdout
    assert "restore aim_config.json" in plan and "restore keyring aim/OPENAI_API_KEY" in plan
    assert box.tree() == state and set(box.entries()) == {"OPENAI_API_KEY"}


def test_validation_reports_are_removed_first(tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    before = box.tree()
    ok(box.migrate())
    # warnings only (the sample's tools are not installed here): the report is written
    assert box.aim("validate").returncode == 0
    assert list((box.root / "reports").glob("validation-*.md"))
    undone = ok(box.aim("rollback"))
    assert "restored reports/validation-" in undone.stdout
    assert box.tree() == before


def test_overwritten_keyring_entry_is_restored(box: Sandbox) -> None:
    from aim.secrets.store import SecretStore

    here(box, "migrate")
    here(box, "rollback")
    first_rollback = run_ids(box.root, "rollback")[-1]
    SecretStore("aim").set("OPENAI_API_KEY", "user-set-later")
    # Undoing the rollback would put the migrated value back over the user's: it is named…
    result, lines = run_here(box.root, "rollback", {"run": first_rollback})
    assert result.status == "failed"
    assert "changed after the run: keyring entry OPENAI_API_KEY" in "\n".join(lines)
    assert keyring_here() == {"OPENAI_API_KEY": "user-set-later"}
    # …and overwritten only with --force…
    result, lines = run_here(box.root, "rollback", {"run": first_rollback, "force": True})
    assert result.status == "success", lines
    assert keyring_here() == {"OPENAI_API_KEY": CANARY}
    assert (box.root / "aim_config.json").is_file()
    # …and undoing that puts the user's value back again: overwritten entries are restored.
    here(box, "rollback", run=run_ids(box.root, "rollback")[-1])
    assert keyring_here() == {"OPENAI_API_KEY": "user-set-later"}
    assert not (box.root / "aim_config.json").exists()


def test_leftover_aim_blocks_are_removed_from_ai_manger(box: Sandbox) -> None:
    before = box.tree()
    # What an earlier deploy left in AI_MANGER (its README notice and the build.ps1 warning).
    writes = plan_deprecation(Workspace.at(box.root), Layout())
    for write in [w for w in writes if "AI_MANGER" in w.path.parts]:
        apply_write(write)
    build = box.root / "AI_MANGER" / "build.ps1"
    assert b"# aim:BEGIN deprecation\r\n" in build.read_bytes()
    here(box, "migrate")
    assert "removed the aim blocks from AI_MANGER/build.ps1" in here(box, "rollback")
    assert box.tree() == before
    # The removal is itself checkpointed: undoing this rollback brings the blocks back.
    here(box, "rollback", run=run_ids(box.root, "rollback")[-1])
    assert b"# aim:BEGIN deprecation" in build.read_bytes()


def test_deploy_then_rollback_gives_back_the_original_workspace(tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    before = box.tree()
    ok(box.aim("deploy", "--vault", str(box.root / "vault" / "vault.json")))
    assert b"aim:BEGIN" in (box.root / "AI_MANGER" / "build.ps1").read_bytes()
    ok(box.aim("rollback"))
    assert box.tree() == before and box.entries() == {}


def test_restored_workspace_problems_are_shown_but_the_undo_stands(box: Sandbox) -> None:
    here(box, "migrate")
    box.legacy_config.write_text('{"PipxApps": ["ruff",]}', encoding="utf-8")
    lines = "\n".join(here(box, "rollback"))
    assert "failed  check: the restored workspace has problems" in lines
    assert "toolstack.config.json:1:" in lines and "not valid JSON" in lines
    assert not (box.root / "aim_config.json").exists()


def test_a_legacy_value_migration_carries_is_no_problem_of_the_restored_workspace(
        box: Sandbox) -> None:
    data = json.loads(box.legacy_config.read_text("utf-8"))
    data["Pins"]["pipx"]["ruff"] = "latest!"  # migrate carries it under legacy.carried
    box.legacy_config.write_text(json.dumps(data), encoding="utf-8")
    here(box, "migrate")
    lines = "\n".join(here(box, "rollback"))
    assert " success  check" in lines and "has problems" not in lines


def test_partial_rollback_keeps_the_blocks(box: Sandbox) -> None:
    here(box, "migrate")
    for write in [w for w in plan_deprecation(Workspace.at(box.root), Layout())
                  if "AI_MANGER" in w.path.parts]:
        apply_write(write)
    result, lines = run_here(box.root, "rollback", {"to": "write"})
    assert result.status == "success", lines
    assert "skipped  unmark: when: false" in "\n".join(lines)
    assert b"# aim:BEGIN deprecation" in (box.root / "AI_MANGER" / "build.ps1").read_bytes()
    assert (box.root / "aim_config.json").is_file()  # written at 'write': kept
    assert keyring_here() == {}  # imported after 'write': undone
