"""``aim validate``: every check runs; the report says what passed and failed; exit 1 if any."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.cli.clitool import aim

SECRET_VALUE = "fake-value-5b7e1d"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A workspace with one tool (a fake executable on PATH) and one secret in the keyring."""
    bin_dir, root = tmp_path / "bin", tmp_path / "ws"
    bin_dir.mkdir()
    root.mkdir()
    tool = bin_dir / "faketool"
    tool.write_text("#!/bin/sh\necho 'faketool 1.2.3'\n")
    tool.chmod(0o755)
    config = {"version": 1,
              "tools": {"faketool": {"display_name": "Fake", "detect": ["faketool"],
                                     "version_command": ["faketool", "--version"],
                                     "capabilities": ["chat"]}},
              "capabilities": {"chat": {"primary": "faketool", "fallback": []}},
              "secrets": {"FAKE_KEY": {"env": "FAKE_KEY"}}}
    (root / "aim_config.json").write_text(json.dumps(config, indent=2))
    keyring = {"note": "test", "entries": {"aim": {"FAKE_KEY": SECRET_VALUE}}}
    (tmp_path / "keyring.json").write_text(json.dumps(keyring))
    return root


def validate(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"AIM_KEYRING": f"sandbox:{root.parent / 'keyring.json'}",
           "PATH": f"{root.parent / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    return aim("validate", "--root", str(root), *args, env=env)


def report(root: Path) -> dict[str, Any]:
    """The newest validation report (JSON) as {check: (status, problems)}."""
    newest = sorted((root / "reports").glob("validation-*.json"))[-1]
    data = json.loads(newest.read_text(encoding="utf-8"))
    assert newest.with_suffix(".md").is_file()
    return {c["name"]: (c["status"], c["evidence"].get("problems", [])) for c in data["checks"]}


def step_line(result: subprocess.CompletedProcess[str], step: str) -> str:
    """The run's line for ``step`` (a check step shows its verdict there)."""
    [line] = [line for line in result.stdout.splitlines()
              if line[:8].strip() in ("ok", "warn", "fail", "skip", "success", "failed",
                                      "skipped") and line[10:].startswith(f"{step}:")]
    return line


def test_a_workspace_with_everything_in_place_passes(ws: Path) -> None:
    result = validate(ws)
    assert result.returncode == 0, result.stdout + result.stderr
    checks = report(ws)
    assert {name: status for name, (status, _) in checks.items()} == {
        "config": "ok", "workflows": "ok", "secrets": "ok", "tools": "ok", "versions": "ok",
        "health": "warn", "production": "skip"}
    # nothing to restore from yet: health's one warning, named in the report
    assert checks["health"][1] == [f"rollback: warn: no backup yet in {ws / '.aim' / 'backups'}"
                                   ": nothing to restore from"]
    assert step_line(result, "secrets") == "      ok  secrets: 1 of 1 secrets in the keyring"
    assert step_line(result, "report").startswith(
        "    warn  report: validation passed with warnings: health (see ")


def spoil(ws: Path, **changes: Any) -> None:
    config = json.loads((ws / "aim_config.json").read_text())
    for key, value in changes.items():
        config[key] = {**config.get(key, {}), **value}
    (ws / "aim_config.json").write_text(json.dumps(config))


def test_what_is_not_there_yet_warns_on_its_own_line_and_by_name(ws: Path) -> None:
    tool = json.loads((ws / "aim_config.json").read_text())["tools"]["faketool"]
    spoil(ws, secrets={"OTHER_KEY": {"env": "OTHER_KEY"}},
          tools={"ghosttool": {**tool, "detect": ["ghosttool"], "display_name": "Ghost"}},
          packages={"pipx": ["httpie"]}, pins={"pipx": {"httpie": "3.2.4"}})
    result = validate(ws)
    assert result.returncode == 0, result.stdout + result.stderr  # warnings pass
    assert step_line(result, "secrets") == (
        "    warn  secrets: 1 of 2 secrets missing from the keyring (OTHER_KEY) — set each with "
        "'aim secrets.set NAME' (or export it and run 'aim migrate' again)")
    assert step_line(result, "tools").startswith(
        "    warn  tools: 1 of 2 tools found; not on PATH: ghosttool — install them")
    assert step_line(result, "versions").startswith(
        "    warn  versions: 1 package(s) drifted from their pins: httpie (pipx: missing, "
        "pinned 3.2.4) — install the pinned versions with 'aim versions --sync'")
    assert "validation passed with warnings: secrets, tools, versions, health" in result.stdout
    checks = report(ws)
    assert checks["secrets"] == ("warn", ["OTHER_KEY: not in the keyring; set it with "
                                          "'aim secrets.set OTHER_KEY'"])
    assert checks["tools"] == ("warn", ["ghosttool: Ghost not found on PATH (looked for "
                                        "ghosttool)"])
    assert checks["versions"] == ("warn", ["httpie (pipx: missing, pinned 3.2.4)"])
    assert checks["config"][0] == checks["workflows"][0] == "ok"  # every check ran
    for path in (ws / "reports").iterdir():
        assert SECRET_VALUE not in path.read_text(encoding="utf-8")
    assert SECRET_VALUE not in result.stdout + result.stderr


def test_a_check_that_fails_shows_it_on_its_own_line_and_fails_the_run(ws: Path) -> None:
    broken = ws.parent / "bin" / "brokentool"
    broken.write_text("#!/bin/sh\necho 'brokentool: cannot load its model' >&2\nexit 4\n")
    broken.chmod(0o755)
    tool = json.loads((ws / "aim_config.json").read_text())["tools"]["faketool"]
    spoil(ws, tools={"brokentool": {**tool, "detect": ["brokentool"],
                                    "version_command": ["brokentool", "--version"]}})
    result = validate(ws)
    assert result.returncode == 1, result.stdout + result.stderr
    assert step_line(result, "tools") == (
        "    fail  tools: 1 of 2 tools found; not answering: brokentool — 'aim health' shows "
        "why each does not answer")
    assert step_line(result, "health").startswith("    fail  health: unhealthy: ")
    assert "validation failed: tools, health" in result.stderr
    assert report(ws)["tools"] == ("fail", ["brokentool: 'brokentool --version' failed (exit "
                                            "code 4): brokentool: cannot load its model"])


def test_without_a_config_every_check_still_reports(ws: Path) -> None:
    (ws / "aim_config.json").unlink()
    result = validate(ws)
    assert result.returncode == 2  # a missing config is bad input
    checks = report(ws)
    assert checks["config"][0] == "fail"
    assert step_line(result, "config").startswith("    fail  config: ")
    assert "no config file here" in step_line(result, "config")
    # what needs the config says so, and the config check says why
    assert step_line(result, "tools") == (
        "    skip  tools: needs a valid aim_config.json (the config check says why)")
    assert {checks[name][0] for name in ("secrets", "tools", "versions")} == {"skip"}
    assert list(checks) == ["config", "workflows", "secrets", "tools", "versions", "health",
                            "production"]


def test_an_invalid_config_is_bad_input_named_by_key_path(ws: Path) -> None:
    (ws / "aim_config.json").write_text('{"version": 1, "tols": {}}\n')
    result = validate(ws)
    assert result.returncode == 2, result.stderr
    assert "fix aim_config.json" in result.stderr
    assert "tols: unknown key 'tols' (did you mean 'tools'?)" in step_line(result, "config")
    assert report(ws)["config"][0] == "fail"


def test_a_broken_workflow_file_of_the_workspace_is_bad_input(ws: Path) -> None:
    (ws / "aim-workflows").mkdir()
    (ws / "aim-workflows" / "mine.yaml").write_text("version: 1\nname: mine\nsteps:\n"
                                                "  - {id: a, uses: bakup.create}\n")
    result = validate(ws)
    assert result.returncode == 2, result.stdout + result.stderr
    line = step_line(result, "workflows")
    assert line.startswith("    fail  workflows: 1 problem(s): ") and "mine.yaml:4" in line
    assert "did you mean 'backup.create'" in line
    assert report(ws)["config"][0] == "ok"


def test_production_flag_runs_the_production_checklist(ws: Path) -> None:
    result = validate(ws, "--production")
    checks = report(ws)
    assert checks["production"][0] in ("ok", "warn", "fail")
    assert step_line(result, "production").split()[0] == checks["production"][0]
    assert "production.check" in validate(ws, "--production", "--dry-run").stdout


def test_dry_run_changes_nothing(ws: Path) -> None:
    result = validate(ws, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "validation-<run id>.md" in result.stdout
    assert not (ws / "reports").exists() and not (ws / ".aim").exists()
