"""A full disk or a read-only file during ``aim deploy``: the step fails (exit 1), the run is
rolled back, what cannot be put back is named and a later ``aim rollback`` finishes the job.

The tests run as root here, where chmod stops nothing, so the OS errors are injected at AIM+'s
write primitive (``AIM_FAULT_OSERROR``, see aim/faults.py) as the kernel would raise them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.clitool import aim, assert_clean_error
from tests.deploy.deployutil import Sandbox, copy_sandbox, picture
from tests.workflow.killharness import leftover_temps, pristine, user_keyring


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Sandbox:
    return pristine(tmp_path_factory.mktemp("pristine") / "sandbox")


@pytest.fixture
def sandbox(source: Sandbox, tmp_path: Path) -> Sandbox:
    return copy_sandbox(source, tmp_path)


def state(sandbox: Sandbox) -> tuple[dict[str, tuple], dict[str, dict[str, str]]]:
    return picture(sandbox), user_keyring(sandbox)


def deploy_statuses(sandbox: Sandbox) -> list[str]:
    runs = sandbox.aim("runs", "--json")
    assert runs.returncode == 0, runs.stderr
    return [r["status"] for r in json.loads(runs.stdout) if r["workflow"] == "deploy"]


def deploy_with(sandbox: Sandbox, fault: str, *args: str) -> str:
    """``aim deploy`` with the OS error ``fault``; it fails cleanly with exit 1: its stderr."""
    done = aim("deploy", "--vault", str(sandbox.root / "vault" / "vault.json"), *args,
               "--root", str(sandbox.root), env={**sandbox.env, "AIM_FAULT_OSERROR": fault},
               timeout=120)
    return assert_clean_error(done, 1)


def test_an_immutable_file_fails_its_step_and_the_rest_is_rolled_back(
        sandbox: Sandbox) -> None:
    before = state(sandbox)
    error = deploy_with(sandbox, "EPERM:*/AI_MANGER/README.md")
    assert "failed at deprecate (rolled back)" in error
    assert "Operation not permitted" in error and "AI_MANGER/README.md" in error
    # aim_config.json, the migration report and the keyring entries are gone again, and the
    # file the run never changed was not touched (it could not have been)
    assert state(sandbox) == before
    assert deploy_statuses(sandbox) == ["rolled_back"]
    assert leftover_temps(sandbox) == []


def test_a_disk_that_fills_up_mid_run_is_rolled_back_as_far_as_it_can_then_finished(
        sandbox: Sandbox) -> None:
    before = state(sandbox)
    # the disk is full from the consolidation's first write into docs/integrations on: every
    # later write fails (the journal's too), removing files still works
    error = deploy_with(sandbox, "ENOSPC:*:*/docs/integrations/*")
    assert "failed at consolidate" in error and "No space left on device" in error
    assert "the undo is not complete: could not put back" in error
    assert "AI_MANGER/README.md" in error and "keyring entry aim/OPENAI_API_KEY" in error
    assert not (sandbox.root / "aim_config.json").exists()  # a removal needs no space
    # with space again, the rollback finishes
    done = sandbox.aim("rollback")
    assert done.returncode == 0, done.stdout + done.stderr
    assert state(sandbox) == before
    assert deploy_statuses(sandbox) == ["rolled_back"]
    assert leftover_temps(sandbox) == []


def test_files_made_read_only_after_the_run_changed_them_are_named_and_finished_later(
        sandbox: Sandbox) -> None:
    before = state(sandbox)
    # AI_MANGER turns read-only once the deploy has changed it and moved on to consolidate
    error = deploy_with(sandbox, "EPERM:*/AI_MANGER/*:*/docs/integrations/*",
                        "--fail-at", "docs")
    assert "could not put back AI_MANGER/build.ps1, AI_MANGER/README.md" in error
    assert "Everything else is put back" in error
    assert deploy_statuses(sandbox) == ["rollback_incomplete"]
    assert "finish the rollback" in assert_clean_error(sandbox.deploy("--resume"), 2)
    done = sandbox.aim("rollback")
    assert done.returncode == 0, done.stdout + done.stderr
    assert state(sandbox) == before
    assert deploy_statuses(sandbox) == ["rolled_back"]
