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
    """The newest validation report (JSON) as {check: (result, problems)}."""
    newest = sorted((root / "reports").glob("validation-*.json"))[-1]
    data = json.loads(newest.read_text(encoding="utf-8"))
    assert newest.with_suffix(".md").is_file()
    return {c["check"]: (c["result"], c["problems"]) for c in data["checks"]}


def test_a_healthy_workspace_passes(ws: Path) -> None:
    result = validate(ws)
    assert result.returncode == 0, result.stdout + result.stderr
    checks = report(ws)
    assert {name: verdict for name, (verdict, _) in checks.items()} == {
        "config": "pass", "secrets": "pass", "tools": "pass", "versions": "pass",
        "health": "pass", "production": "skipped"}


def test_every_check_runs_and_failures_are_named_without_values(ws: Path) -> None:
    config = json.loads((ws / "aim_config.json").read_text())
    config["secrets"]["OTHER_KEY"] = {"env": "OTHER_KEY"}
    config["tools"]["ghosttool"] = {**config["tools"]["faketool"], "detect": ["ghosttool"],
                                    "display_name": "Ghost"}
    config["packages"] = {"pipx": ["httpie"]}
    config["pins"] = {"pipx": {"httpie": "3.2.4"}}
    (ws / "aim_config.json").write_text(json.dumps(config))
    result = validate(ws)
    assert result.returncode == 1
    assert "validation failed: secrets, tools, versions" in result.stderr
    checks = report(ws)
    assert checks["secrets"] == ("fail", ["OTHER_KEY: not in the keyring; set it with "
                                          "'aim secrets.set OTHER_KEY'"])
    assert checks["tools"][0] == "fail" and "ghosttool (Ghost)" in checks["tools"][1][0]
    assert checks["versions"] == ("fail", ["pipx httpie: missing (pinned 3.2.4, not installed)"])
    assert checks["config"][0] == checks["health"][0] == "pass"  # every check ran
    for path in (ws / "reports").iterdir():
        assert SECRET_VALUE not in path.read_text(encoding="utf-8")
    assert SECRET_VALUE not in result.stdout + result.stderr


def test_without_a_config_every_check_still_reports(ws: Path) -> None:
    (ws / "aim_config.json").unlink()
    result = validate(ws)
    assert result.returncode == 2  # a missing config is bad input
    checks = report(ws)
    assert checks["config"][0] == "fail" and "no config file here" in checks["config"][1][0]
    assert checks["tools"] == ("fail", ["the check could not run; 'aim health' shows why"])
    assert set(checks) == {"config", "secrets", "tools", "versions", "health", "production"}


def test_an_invalid_config_is_bad_input_named_by_key_path(ws: Path) -> None:
    (ws / "aim_config.json").write_text('{"version": 1, "tols": {}}\n')
    result = validate(ws)
    assert result.returncode == 2, result.stderr
    assert "fix aim_config.json" in result.stderr
    assert "tols: unknown key 'tols' (did you mean 'tools'?)" in result.stdout
    assert report(ws)["config"][0] == "fail"


def test_production_flag_runs_the_production_checklist(ws: Path) -> None:
    validate(ws, "--production")
    assert report(ws)["production"][0] in ("pass", "fail")
    assert "production.check" in validate(ws, "--production", "--dry-run").stdout


def test_dry_run_changes_nothing(ws: Path) -> None:
    result = validate(ws, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "validation-<run id>.md" in result.stdout
    assert not (ws / "reports").exists() and not (ws / ".aim").exists()
