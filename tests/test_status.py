"""``aim status``: every part on one screen, a broken part never hides the others."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.clitool import aim

CONFIG = {"version": 1, "secrets": {"OPENAI_API_KEY": {"env": "OPENAI_API_KEY"},
                                    "GITHUB_TOKEN": {"env": "GITHUB_TOKEN"}}}


def parts(root: Path, **env: str) -> dict[str, dict[str, object]]:
    result = aim("status", "--root", str(root), "--json", env=env or None)
    assert result.returncode == 0, result.stderr
    return {p["name"]: p for p in json.loads(result.stdout)["checks"]}


def test_a_new_workspace_says_what_to_do_first(tmp_path: Path) -> None:
    found = parts(tmp_path)
    # the same word as 'aim health' and 'aim validate' give a folder without a config
    assert found["config"]["status"] == "fail"
    assert "aim migrate" in str(found["config"]["hint"])
    assert found["secrets"]["status"] == found["versions"]["status"] == "skip"
    human = aim("status", "--root", str(tmp_path))
    assert human.returncode == 0  # status only reports
    assert "no runs yet" in human.stdout
    assert human.stdout.splitlines()[1].split() == ["CHECK", "STATUS", "SUMMARY", "HINT"]


def test_missing_secrets_are_named_never_valued(tmp_path: Path) -> None:
    (tmp_path / "aim_config.json").write_text(json.dumps(CONFIG))
    keyring = tmp_path.parent / "keyring.json"
    env = {"AIM_KEYRING": f"sandbox:{keyring}"}
    stored = aim("secrets.set", "OPENAI_API_KEY", "--root", str(tmp_path), env=env,
                 stdin="sk-status-canary-123456\n")
    assert stored.returncode == 0, stored.stderr
    found = parts(tmp_path, **env)
    assert found["secrets"]["status"] == "warn"
    assert found["secrets"]["summary"] == "1 of 2 secrets missing from the keyring (GITHUB_TOKEN)"
    assert found["secrets"]["evidence"] == {
        "present": ["OPENAI_API_KEY"], "missing": ["GITHUB_TOKEN"],
        "problems": ["GITHUB_TOKEN: not in the keyring; set it with "
                     "'aim secrets.set GITHUB_TOKEN'"]}
    shown = aim("status", "--root", str(tmp_path), env=env)
    assert "sk-status-canary" not in shown.stdout + shown.stderr


def test_a_broken_config_is_reported_and_the_rest_still_shows(tmp_path: Path) -> None:
    (tmp_path / "aim_config.json").write_text('{"version": 1, "tols": {}}\n')
    found = parts(tmp_path)
    assert found["config"]["status"] == "fail"
    assert "tols" in str(found["config"]["summary"])
    assert list(found) == ["config", "secrets", "health", "versions"]
