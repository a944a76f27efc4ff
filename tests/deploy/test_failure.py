"""A deploy that fails or is killed leaves the workspace and the keyring exactly as they were."""

from __future__ import annotations

import json
import signal

import pytest

from aim.secrets.backends import SANDBOX_NOTE
from tests.cli.clitool import assert_clean_error
from tests.deploy.deployutil import DEMO, STEPS, Sandbox, outcome, picture

# A keyring that already holds one of the sample's secrets (kept) and an unrelated entry.
SEEDED = {"aim": {"GEMINI_API_KEY": "existing-gemini-value-not-real"},
          "other-tool": {"token": "unrelated-value-not-real"}}


def seed(sandbox: Sandbox, test_command: str | None = None) -> None:
    """Give the sandbox a keyring with entries, and an aim_config.json with a test command."""
    sandbox.keyring.write_text(json.dumps({"note": SANDBOX_NOTE, "entries": SEEDED}))
    sandbox.keyring.chmod(0o600)
    if test_command is not None:
        config = {"version": 1, "deploy": {"test_command": test_command}}
        (sandbox.root / "aim_config.json").write_text(json.dumps(config, indent=2) + "\n")


@pytest.mark.parametrize("step", ["migrate.secrets", *STEPS])
def test_a_failure_at_any_step_rolls_everything_back(fresh: Sandbox, step: str) -> None:
    seed(fresh)
    before = picture(fresh)
    failed = fresh.deploy("--fail-at", step)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert f"failed at {step}" in failed.stderr and "rolled back" in failed.stderr
    assert picture(fresh) == before
    assert fresh.entries() == SEEDED


def test_sigkill_mid_deploy_then_rollback_restores_workspace_and_keyring(
        fresh: Sandbox) -> None:
    # the test run after migrate, deprecate, consolidate and docs have all changed things (the
    # one before them finds AUX_mcp-data still there)
    seed(fresh, test_command="test -d AUX_mcp-data || { kill -9 $PPID; sleep 5; }")
    before = picture(fresh)
    killed = fresh.deploy()
    assert killed.returncode == -signal.SIGKILL
    assert " success  docs" in killed.stdout
    assert picture(fresh) != before and "OPENAI_API_KEY" in fresh.entries()["aim"]
    undone = fresh.aim("rollback")
    assert undone.returncode == 0, undone.stdout + undone.stderr
    assert picture(fresh) == before
    after = fresh.entries()
    assert after["aim"] == SEEDED["aim"] and after["other-tool"] == SEEDED["other-tool"]
    # what the rollback removed stays only under its own run's checkpoint service, so that
    # the rollback can itself be undone
    assert all(service.startswith("aim-checkpoint/") and "-rollback-" in service
               for service in set(after) - set(SEEDED))


def test_a_test_the_deploy_makes_fail_fails_production_and_rolls_back(fresh: Sandbox) -> None:
    # passes before the deploy, fails once AUX_mcp-data is consolidated into docs/
    seed(fresh, test_command="test -d AUX_mcp-data || { echo 'tests: 1 failed' >&2; exit 3; }")
    before = picture(fresh)
    failed = fresh.deploy()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "failed at production" in failed.stderr and "rolled back" in failed.stderr
    assert "tests: 1 failed (exit 3)" in failed.stdout
    assert picture(fresh) == before
    assert fresh.entries() == SEEDED
    [md] = (fresh.root / ".aim" / "runs").glob("*/deploy-*.md")
    text = md.read_text()
    assert "production validation FAILED: all tests passing" in text
    assert "| all tests passing | fail | " in text and "FAILED because of the deploy" in text


def test_a_test_command_failing_before_the_deploy_does_not_undo_it(fresh: Sandbox) -> None:
    seed(fresh, test_command="echo 'tests: 2 failed' >&2; exit 3")
    done = fresh.deploy()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Deprecated: AI_MANGER" in (fresh.root / "AI_MANGER" / "README.md").read_text()
    text = fresh.reports()[0].read_text()
    assert ("- tests: `echo 'tests: 2 failed' >&2; exit 3` (deploy.test_command in "
            "aim_config.json) failing before the deploy too, so not caused by it: before the "
            "deploy: tests: 2 failed (exit 3); after: tests: 2 failed (exit 3)") in text
    assert "| all tests passing | warn | " in text
    assert outcome(text).startswith("production validation complete, with warnings: ")
    assert outcome(text).endswith(", all tests passing")


def test_a_passing_test_command_runs_and_is_named_in_the_report(fresh: Sandbox) -> None:
    seed(fresh, test_command="test -f aim_config.json && echo checked > tested.txt")
    done = fresh.deploy()
    assert done.returncode == 0, done.stdout + done.stderr
    assert (fresh.root / "tested.txt").read_text() == "checked\n"
    [report] = fresh.reports("deploy-*.json")
    tests = json.loads(report.read_text())["tests"]
    assert (tests["ran"], tests["command"], tests["exit_code"], tests["verdict"]) == (
        True, "test -f aim_config.json && echo checked > tested.txt", 0, "passed")
    assert tests["before"]["exit_code"] == 0
    assert ("`test -f aim_config.json && echo checked > tested.txt` (deploy.test_command in "
            "aim_config.json) passed: before the deploy: no output (exit 0); after: no output "
            "(exit 0)") in fresh.reports()[0].read_text()


def test_fail_at_an_unknown_step_is_bad_input_and_changes_nothing(fresh: Sandbox) -> None:
    before = picture(fresh)
    typo = fresh.deploy("--fail-at", "migrate.secret")
    assert_clean_error(typo, 2)
    assert "migrate.secrets" in typo.stderr  # the known ids are listed
    assert picture(fresh) == before


def test_a_planted_secret_fails_the_deploy_and_its_report_names_the_file_not_the_value(
        fresh: Sandbox) -> None:
    value = DEMO["OPENAI_API_KEY"]
    (fresh.root / "docs" / "keys.txt").write_text(f"openai: {value}\n")
    before = picture(fresh)
    failed = fresh.deploy()
    assert failed.returncode == 1
    assert "failed at production" in failed.stderr and "docs/keys.txt" in failed.stderr
    assert picture(fresh) == before and fresh.entries() == {}
    [md] = (fresh.root / ".aim" / "runs").glob("*/deploy-*.md")
    [js] = (fresh.root / ".aim" / "runs").glob("*/deploy-*.json")
    text = md.read_text()
    assert "production validation FAILED: no secret values in any file" in text
    assert "| no secret values in any file | fail | " in text
    assert "    fail  no secret values in any file: " in failed.stdout
    assert "docs/keys.txt" in text and "workspace: unchanged" in text
    for shown in (text, js.read_text(), failed.stdout, failed.stderr):
        assert value not in shown
