"""``aim deploy`` on the sample: the plan, the run, its report, a repeat run, a rollback."""

from __future__ import annotations

import json
import re
import subprocess

from tests.deploy.deployutil import DEMO, REPO, Sandbox, clean_env, outcome, picture

RUN_ID = re.compile(r"\d{8}T\d{6}(?:\.\d{6})?Z-deploy-[0-9a-f]{4}")
CHECKS = ("config", "health", "versions", "secrets", "audit", "scanner", "cli", "docs", "leaks",
          "permissions", "performance", "tests")
# Not installed on a test machine: the sample's tools and packages warn; a busy machine may make
# a timing warn.  Nothing fails.
MAY_WARN = {"health", "versions", "cli", "performance"}


def changed_paths(before: dict[str, tuple], after: dict[str, tuple]) -> set[str]:
    """Every path created, changed or removed between two pictures, run ids made generic."""
    paths = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    return {RUN_ID.sub("<run id>", p) for p in paths}


def test_dry_run_lists_every_change_a_deploy_makes_and_changes_nothing(
        fresh: Sandbox, deployed: Sandbox, undeployed: dict[str, tuple]) -> None:
    before = picture(fresh)
    planned = fresh.deploy("--dry-run", "--json")
    assert planned.returncode == 0, planned.stderr
    listed = set(json.loads(planned.stdout)["files"])
    after = picture(deployed)
    real = changed_paths(undeployed, after)
    # every file the real deploy creates, changes, moves or archives is listed
    folders = {p for p in real if "dir" in (undeployed.get(p, ("",))[0], after.get(p, ("",))[0])}
    assert real - folders <= listed
    assert {"docs/integrations/MCP/MCP_SETUP_GUIDE.md", "archive/AUX_mcp-data/pipeline.db",
            "AUX_mcp-data/pipeline.db", "reports/deploy-<run id>.md"} <= listed
    assert picture(fresh) == before
    assert not (fresh.root / ".aim").exists() and not fresh.keyring.exists()
    shown = fresh.deploy("--dry-run")
    for line in ("move AUX_mcp-data/MCP_SETUP_GUIDE.md -> docs/integrations/MCP/MCP_SETUP_GUIDE.md",
                 "archive AUX_mcp-data/pipeline.db -> archive/AUX_mcp-data/pipeline.db",
                 "change AI_MANGER/README.md", "create docs/AI_MANGER_DEPRECATION.md",
                 "aim_config.json: would be written (valid)"):
        assert line in shown.stdout
    assert picture(fresh) == before


def test_deploy_writes_its_report_with_every_check_shown_and_none_failed(
        sample_run: tuple[Sandbox, subprocess.CompletedProcess[str]]) -> None:
    sandbox, done = sample_run
    assert "SANDBOX keyring" in done.stdout and "fake values" in done.stdout
    # the sample has no tests: the deploy says so, and does not call its validation complete
    assert "tests: none found: no deploy.test_command in aim_config.json" in done.stdout
    [md] = sandbox.reports("deploy-*.md")
    [js] = sandbox.reports("deploy-*.json")
    report = json.loads(js.read_text())
    assert report["status"] == "success" and report["changed"] is True
    checks, tests = report["production"]["checks"][:-1], report["production"]["checks"][-1]
    assert [c["name"] for c in report["production"]["checks"]] == list(CHECKS)
    assert all(c["status"] == "ok" for c in checks if c["name"] not in MAY_WARN), checks
    assert {c["status"] for c in checks} <= {"ok", "warn"} and all(c["summary"] for c in checks)
    assert tests["status"] == "skip" and report["production"]["complete"] is False
    text = md.read_text()
    assert all(f"| {c['title']} | {c['status']} | {c['summary']} |" in text for c in checks)
    assert outcome(text).startswith("production validation NOT COMPLETE: not run: all tests "
                                    "passing; with warnings: health checks operational, "
                                    "versions at their pins")
    # the run's own lines say the same, each item on its line with its status
    for check in checks:
        assert f"{check['status']:>8}  {check['title']}: {check['summary']}" in done.stdout
    assert "- tests: none found: no deploy.test_command in aim_config.json" in text
    assert (sandbox.root / report["migration_report"]).is_file()
    assert not (sandbox.root / "AUX_mcp-data").exists()
    assert "Deprecated: AI_MANGER" in (sandbox.root / "AI_MANGER" / "README.md").read_text()
    # the demo values went to the sandbox keyring, and nowhere in the workspace
    assert sandbox.entries() == {"aim": DEMO}
    assert "| secrets in the keyring | ok | 4 of 4 secrets in the keyring |" in text
    assert "      ok  migrate.secrets: 4 of 4 secrets in the keyring" in done.stdout


def test_a_second_deploy_changes_nothing(deployed: Sandbox) -> None:
    before, keyring = picture(deployed), deployed.entries()
    again = deployed.deploy()
    assert again.returncode == 0, again.stdout + again.stderr
    assert picture(deployed) == before and deployed.entries() == keyring
    assert len(deployed.reports()) == 1
    run_id = RUN_ID.findall(again.stdout)[-1]
    kept = deployed.root / ".aim" / "runs" / run_id / f"deploy-{run_id}.md"
    assert "workspace changed: no" in kept.read_text()
    assert "already present" in again.stdout


def test_rollback_after_deploy_restores_legacy_trees_docs_and_keyring(
        deployed: Sandbox, undeployed: dict[str, tuple]) -> None:
    undone = deployed.aim("rollback")
    assert undone.returncode == 0, undone.stdout + undone.stderr
    assert picture(deployed) == undeployed
    # the migration's keyring entries are gone (the rollback keeps what it removed under its
    # own checkpoint service, so that it can itself be undone)
    assert "aim" not in deployed.entries()


def test_the_closing_hint_is_a_command_that_works_from_where_the_user_stands(
        sample_run: tuple[Sandbox, subprocess.CompletedProcess[str]]) -> None:
    sandbox, done = sample_run
    hint = done.stdout.strip().splitlines()[-1].split("and the run: ", 1)[1]
    shown = subprocess.run(hint, shell=True, cwd=REPO, env=clean_env(sandbox.root.parent),
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, (hint, shown.stderr)
    assert "deploy" in shown.stdout and "success" in shown.stdout
