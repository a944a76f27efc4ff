"""Each production check on real files: no item fails on the deployed sample, and each kind of
problem a user can leave behind makes it fail with a summary that names where."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest

from aim.checks import CheckResult, Status
from aim.config.load import load_config
from aim.production.checks import (
    ProductionContext,
    check_audit,
    check_config,
    check_docs,
    check_health,
    check_no_secret_files,
    check_performance,
    check_permissions,
    check_secrets,
    check_versions,
)
from aim.production.run import run_production_checks
from aim.production.timing import ACCEPTANCE, TARGETS
from aim.sample import sample_source
from aim.workflow.defaults import secret_store
from aim.workspace import Workspace
from tests.deploy.deployutil import DEMO, Sandbox

OPENAI = DEMO["OPENAI_API_KEY"]


@pytest.fixture
def pc(deployed: Sandbox, monkeypatch: pytest.MonkeyPatch) -> ProductionContext:
    """What the checks read, on this test's copy of the deployed sample and its keyring."""
    monkeypatch.setenv("AIM_KEYRING", f"sandbox:{deployed.keyring}")
    ws = Workspace.at(deployed.root)
    return ProductionContext(ws, load_config(ws), secret_store=secret_store)


def assert_fails(check: CheckResult, *named: str) -> None:
    assert check.status == "fail", check
    for name in named:
        assert name in check.summary, (name, check.summary)


def test_no_item_fails_on_the_deployed_sample(pc: ProductionContext) -> None:
    report = run_production_checks(pc.ws, pc.config, secret_store=secret_store)
    assert report.passed, [c for c in report.checks if c.failed]
    # the sample's tools and packages are not installed here: warnings, named as such
    warned = set(report.named(Status.WARN))
    assert {"health", "versions"} <= warned <= {"health", "versions", "cli", "performance"}
    assert report.named(Status.OK)[:1] == ["config"] and "secrets" in report.named(Status.OK)
    assert set(TARGETS) <= set(report.timings)
    assert all(check.summary and check.title for check in report.checks)
    assert report.to_dict()["acceptance"] == ACCEPTANCE


def test_config_fails_on_a_broken_config_file(pc: ProductionContext) -> None:
    assert check_config(pc).status == "ok"
    path = pc.ws.root / "aim_config.json"
    path.write_text(path.read_text().replace('"version": 1', '"version": "one"'))
    result = run_production_checks(pc.ws, pc.config, secret_store=secret_store)
    [config] = [c for c in result.checks if c.name == "config"]
    assert_fails(config, "aim_config.json", "version")


def test_health_fails_when_a_required_command_is_missing(pc: ProductionContext) -> None:
    assert check_health(pc).status == "warn"  # the sample's tools are not installed here
    data = json.loads((pc.ws.root / "aim_config.json").read_text())
    data["health"] = {"required_commands": ["aim-no-such-command"]}
    (pc.ws.root / "aim_config.json").write_text(json.dumps(data))
    pc.config = load_config(pc.ws)
    assert_fails(check_health(pc), "unhealthy", "commands")


def test_versions_fail_when_an_installed_manager_cannot_be_read(
        pc: ProductionContext, tmp_path: Path) -> None:
    drifted = check_versions(pc)  # the sample's packages are not installed here: missing
    assert drifted.status == "warn" and "drifted from their pins" in drifted.summary
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    npm.write_text("#!/bin/sh\necho 'npm ERR! cannot read the global folder' >&2\nexit 1\n")
    npm.chmod(0o755)
    pc.path_env = str(bin_dir)
    assert_fails(check_versions(pc), "cannot read: npm (error", "exit code 1")


def test_audit_fails_when_the_trail_was_edited(pc: ProductionContext) -> None:
    assert check_audit(pc).status == "ok"
    trail = pc.ws.audit_path
    lines = trail.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b'"time":"2', b'"time":"1', 1)  # backdate one event
    trail.write_bytes(b"\n".join(lines))
    assert_fails(check_audit(pc), "audit trail broken at audit.jsonl:3", "edited")


def test_docs_fail_on_a_broken_link(pc: ProductionContext) -> None:
    assert check_docs(pc).status == "ok"
    page = pc.ws.root / "docs" / "ARCHITECTURE.md"
    page.write_text(page.read_text() + "\nSee [the plan](PLAN.md).\n")
    assert_fails(check_docs(pc), "1 broken links", "docs/ARCHITECTURE.md", "PLAN.md")


def test_docs_fail_without_the_aim_sections_or_with_mcp_data_left(
        pc: ProductionContext) -> None:
    (pc.ws.root / "README.md").write_bytes((sample_source() / "README.md").read_bytes())
    (pc.ws.root / "AUX_mcp-data").mkdir()
    (pc.ws.root / "AUX_mcp-data" / "NOTES.md").write_text("# late notes\n")
    assert_fails(check_docs(pc), "README.md", "AUX_mcp-data/ (not consolidated")


def planted(pc: ProductionContext) -> list[Path]:
    """A secret value left in workspace files: plain, base64-encoded, and in UTF-16."""
    notes, backup, export = (pc.ws.root / name for name in
                             ("notes.txt", "config.bak", "docs/export.ps1"))
    notes.write_text(f"export OPENAI_API_KEY={OPENAI}\n")
    backup.write_bytes(base64.b64encode(DEMO["GITHUB_TOKEN"].encode()))
    export.write_bytes(f"$env:GEMINI_API_KEY = '{DEMO['GEMINI_API_KEY']}'".encode("utf-16-le"))
    return [notes, backup, export]


def test_secrets_found_in_files_are_named_but_never_shown(pc: ProductionContext) -> None:
    assert check_no_secret_files(pc).status == "ok"
    planted(pc)
    result = check_no_secret_files(pc)
    assert_fails(result, "notes.txt", "config.bak", "docs/export.ps1", "4 of 4")
    for value in DEMO.values():
        assert value not in str(result.to_dict())
        assert base64.b64encode(value.encode()).decode() not in str(result.to_dict())


def test_a_secret_missing_from_the_keyring_is_a_warning(pc: ProductionContext,
                                                       deployed: Sandbox) -> None:
    assert check_secrets(pc).status == "ok"
    assert deployed.aim("secrets.delete", "GEMINI_API_KEY").returncode == 0
    missing = check_secrets(pc)
    assert missing.status == "warn"
    assert missing.summary == "1 of 4 secrets missing from the keyring (GEMINI_API_KEY)"


def test_secrets_the_action_reports_name_the_file_not_the_value(
        deployed: Sandbox, pc: ProductionContext, tmp_path: Path) -> None:
    planted(pc)
    flow = tmp_path / "production.yaml"
    flow.write_text("version: 1\nname: production\nsteps:\n"
                    "  - {id: production, uses: production.check}\n")
    failed = deployed.aim("workflow.run", str(flow))
    assert failed.returncode == 1
    shown = failed.stdout + failed.stderr
    assert "fail  no secret values in any file: " in shown and "notes.txt" in shown
    assert all(value not in shown for value in DEMO.values())
    journals = list((deployed.root / ".aim" / "runs").glob("*production*/journal.jsonl"))
    assert journals and all(v not in journals[0].read_text() for v in DEMO.values())


def test_permissions_fail_on_a_file_or_folder_others_can_read(pc: ProductionContext) -> None:
    assert check_permissions(pc).status == "ok"
    journal = next(pc.ws.runs_dir.glob("*/journal.jsonl"))
    os.chmod(journal, 0o644)
    os.chmod(pc.ws.backups_dir, 0o755)
    os.chmod(pc.ws.state_dir, 0o750)
    assert_fails(check_permissions(pc), f".aim/runs/{journal.parent.name}/journal.jsonl is 0644",
                 ".aim/backups is 0755", ".aim is 0750")


def test_performance_only_ever_warns(pc: ProductionContext) -> None:
    pc.timings = {name: target / 2 for name, target in TARGETS.items()}
    assert check_performance(pc).status == "ok"
    pc.timings["health"] = TARGETS["health"] + 0.5
    slow = check_performance(pc)
    assert slow.status == "warn" and ("over target (a warning): health 2.500s: over the 2s "
                                      "target, within the 4s acceptance") in slow.summary
    pc.timings["scan"] = 25.0
    slower = check_performance(pc)
    assert slower.status == "warn"
    assert "scan 25.000s: over the 10s target and the 20s acceptance" in slower.summary
    assert slower.evidence["over_acceptance"] == ["scan"]
    del pc.timings["audit_query"]
    unmeasured = check_performance(pc)
    assert unmeasured.status == "warn"
    assert "not measured (its check failed): audit_query" in unmeasured.summary
