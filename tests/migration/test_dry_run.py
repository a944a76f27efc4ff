"""``aim migrate --dry-run``: the exact change to aim_config.json and the keyring, nothing done."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

from tests.migration.migutil import CANARY, ok, sandbox


def _plan(result_stdout: str) -> dict[str, Any]:
    plan: dict[str, Any] = json.loads(result_stdout)
    return {step["id"]: step for step in plan["steps"]}


def _diff_lines(plan: dict[str, Any]) -> list[str]:
    lines: list[str] = plan["write"]["preview"]["lines"]
    return lines[1:]  # after "aim_config.json: would be written (valid):"


def test_dry_run_changes_nothing_and_creates_no_state(tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    before = box.tree()
    result = ok(box.migrate("--dry-run"))
    assert "aim_config.json: would be written (valid):" in result.stdout
    assert "keyring aim/OPENAI_API_KEY: would be written (from environment)" in result.stdout
    assert "keyring aim/GITHUB_TOKEN: could not decrypt" in result.stdout
    assert box.tree() == before
    assert not (box.root / ".aim").exists()
    assert not box.keyring.exists()
    assert CANARY not in result.stdout + result.stderr


def test_the_printed_diff_is_exactly_what_the_run_writes(tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    plan = _plan(ok(box.migrate("--dry-run", "--json")).stdout)
    assert plan["secrets"]["preview"]["keyring"] == ["OPENAI_API_KEY"]
    ok(box.migrate())
    written = (box.root / "aim_config.json").read_text(encoding="utf-8").splitlines()
    diff = _diff_lines(plan)
    assert diff[:2] == ["--- /dev/null", "+++ b/aim_config.json"]
    assert [line[1:] for line in diff[3:]] == written
    assert set(box.entries()) == {"OPENAI_API_KEY"}


def test_the_diff_against_an_existing_config_is_exact(tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    config = box.root / "aim_config.json"
    config.write_text(json.dumps({"version": 1, "reports_dir": "reports",
                                  "health": {"required_commands": ["git"]}}, indent=2) + "\n")
    before_text = config.read_text(encoding="utf-8")
    plan = _plan(ok(box.migrate("--dry-run", "--json")).stdout)
    assert config.read_text(encoding="utf-8") == before_text
    ok(box.migrate())
    expected = difflib.unified_diff(before_text.splitlines(), config.read_text().splitlines(),
                                    "a/aim_config.json", "b/aim_config.json", lineterm="")
    assert _diff_lines(plan) == list(expected)


def test_dry_run_after_a_migration_says_nothing_would_change(tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    ok(box.migrate())
    state = box.tree()
    result = ok(box.migrate("--dry-run"))
    assert "when: false" in result.stdout  # the write step would be skipped
    assert "keyring aim/OPENAI_API_KEY: already present" in result.stdout
    assert "would be written" not in result.stdout
    assert box.tree() == state
