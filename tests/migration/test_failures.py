"""A failure anywhere in a migration leaves the workspace and the keyring exactly as they were."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from aim.secrets.store import SecretStore
from aim.workflow.context import Hooks
from aim.workflow.defaults import secret_store
from aim.workflow.loader import load_workflow
from aim.workflow.runner import RunOptions, run_workflow
from aim.workflow.steps import step_ids
from aim.workspace import Workspace
from tests.cli.clitool import assert_clean_error
from tests.migration.migutil import ok, sandbox

MIGRATE_STEPS = step_ids(load_workflow("migrate"))


def test_every_step_is_covered() -> None:
    assert {"read", "backup.snapshot", "backup.verify", "write", "secrets", "report",
            "audit"} <= set(MIGRATE_STEPS)


def test_an_unknown_fail_at_step_is_bad_input(tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    before = box.tree()
    message = assert_clean_error(box.migrate("--fail-at", "bakup"), 2)
    assert "'bakup': migrate has no such step" in message and "backup.snapshot" in message
    assert box.tree() == before and not (box.root / ".aim" / "runs").exists()


@pytest.mark.parametrize("step", MIGRATE_STEPS)
def test_failure_at_any_step_restores_workspace_and_keyring(
        tmp_path: Path, step: str, monkeypatch: pytest.MonkeyPatch) -> None:
    box = sandbox(tmp_path)
    for name, value in box.env.items():
        monkeypatch.setenv(name, value)
    keyring = SecretStore("aim")
    keyring.set("GITHUB_TOKEN", "set-before-1")
    before = box.tree()
    ws = Workspace.at(box.root)
    inputs = {"vault": str(box.root / "vault" / "vault.json")}
    result = run_workflow(ws, load_workflow("migrate"), RunOptions(inputs, step),
                          Hooks(secret_store=secret_store))
    assert (result.status, result.failed_step, result.rolled_back) == ("failed", step, True)
    assert box.tree() == before
    assert keyring.get("GITHUB_TOKEN") == "set-before-1"
    assert keyring.get("OPENAI_API_KEY") is None


def test_failure_through_the_cli_exits_1_and_restores_everything(tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    box.put("GITHUB_TOKEN", "set-before-1")
    before, keyring = box.tree(), box.entries()
    failed = box.migrate("--fail-at", "report")
    assert failed.returncode == 1, failed.stderr
    assert "failed at report (rolled back)" in failed.stderr
    assert box.tree() == before
    assert box.entries() == keyring


# Runs the migration in this process with the CLI's own hooks, and SIGKILLs the process the
# moment a progress line containing the marker is shown: after a step is journaled as done,
# or inside the secrets step right after it wrote the keyring.
KILLER = textwrap.dedent("""
    import os, signal, sys
    from aim.cli.running import make_hooks
    from aim.workflow.context import Hooks
    from aim.workflow.loader import load_workflow
    from aim.workflow.runner import RunOptions, run_workflow
    from aim.workspace import Workspace

    root, vault, marker = sys.argv[1:4]
    ws = Workspace.at(root)
    hooks = make_hooks(ws, True)

    def progress(line):
        if marker in line:
            os.kill(os.getpid(), signal.SIGKILL)

    hooks = Hooks(hooks.audit, hooks.preflight, progress, hooks.secret_store)
    run_workflow(ws, load_workflow("migrate"), RunOptions({"vault": vault}), hooks)
""")

KILL_POINTS = ["success  write", "secret OPENAI_API_KEY: migrated", "migration report:",
               "success  audit"]


@pytest.mark.parametrize("marker", KILL_POINTS)
def test_sigkill_during_migration_then_rollback_restores_both(tmp_path: Path,
                                                               marker: str) -> None:
    box = sandbox(tmp_path)
    box.put("GITHUB_TOKEN", "set-before-1")
    before, keyring = box.tree(), box.entries()
    env = {**os.environ, "AIM_KEYRING": f"sandbox:{box.keyring}", **box.env}
    killed = subprocess.run([sys.executable, "-c", KILLER, str(box.root),
                             str(box.root / "vault" / "vault.json"), marker],
                            capture_output=True, text=True, env=env, timeout=60)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert box.tree() != before
    undone = ok(box.aim("rollback"))
    assert "success  undo" in undone.stdout
    assert box.tree() == before
    assert box.entries() == keyring


def test_sigkill_then_resume_finishes_the_migration(tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    reference = sandbox(tmp_path / "reference")
    ok(reference.migrate())
    env = {**os.environ, "AIM_KEYRING": f"sandbox:{box.keyring}", **box.env}
    killed = subprocess.run([sys.executable, "-c", KILLER, str(box.root),
                             str(box.root / "vault" / "vault.json"), "migration report:"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    ok(box.aim("migrate", "--resume"))
    config = box.root / "aim_config.json"
    assert config.read_bytes() == (reference.root / "aim_config.json").read_bytes()
    assert box.entries() == reference.entries()
    assert len(list((box.root / "reports").iterdir())) == 2  # the report, written once


def test_sigkill_of_the_real_cli_after_the_migration_then_rollback(tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    before = box.tree()
    wf = tmp_path / "killed-migration.yaml"
    vault = box.root / "vault" / "vault.json"
    wf.write_text(textwrap.dedent("""
        version: 1
        name: killed-migration
        on_failure: rollback
        steps:
          - {id: migrate, workflow: migrate}
          - {id: crash, uses: shell, with: {writes: [], run: "kill -9 $PPID; sleep 5"}}
    """))
    killed = box.aim("workflow.run", str(wf), "--input", f"vault={vault}")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (box.root / "aim_config.json").is_file() and set(box.entries()) == {"OPENAI_API_KEY"}
    ok(box.aim("rollback"))
    assert box.tree() == before and box.entries() == {}
