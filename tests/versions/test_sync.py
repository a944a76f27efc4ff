"""``aim versions --sync`` as the checkpointed ``sync`` workflow, and ``aim rollback`` of it,
with stateful fake managers on PATH (the real ones: tests/versions/test_registry.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cli.clitool import aim
from tests.versions import stateful


@pytest.fixture
def bench(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A workspace pinning cowsay on npm and pnpm, and fake managers holding other versions."""
    bin_dir = stateful.managers(tmp_path / "bin")
    stateful.install(bin_dir, "npm", {"cowsay": "1.6.0"})  # pnpm: cowsay not installed
    ws = tmp_path / "ws"
    ws.mkdir()
    config = {"version": 1, "packages": {"npm": ["cowsay"], "pnpm": ["cowsay"]},
              "pins": {"npm": {"cowsay": "1.5.0"}, "pnpm": {"cowsay": "1.5.0"}}}
    (ws / "aim_config.json").write_text(json.dumps(config), encoding="utf-8")
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    return ws, bin_dir, env


def _aim(bench: tuple[Path, Path, dict[str, str]], *args: str) -> tuple[int, str]:
    ws, _, env = bench
    result = aim(*args, "--root", str(ws), env=env)
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout + result.stderr


def test_sync_then_rollback_puts_the_previous_versions_back(bench: tuple[Path, Path,
                                                                         dict[str, str]]) -> None:
    _, bin_dir, _ = bench
    assert _aim(bench, "versions", "--exit-code")[0] == 1
    code, out = _aim(bench, "versions", "--sync", "--dry-run")
    assert code == 0
    assert "npm cowsay: 1.6.0 -> 1.5.0: npm install -g cowsay@1.5.0" in out
    assert "pnpm cowsay: not installed -> 1.5.0: pnpm add -g cowsay@1.5.0" in out
    assert stateful.installed(bin_dir, "npm") == {"cowsay": "1.6.0"}
    assert _aim(bench, "versions", "--sync")[0] == 0
    assert stateful.installed(bin_dir, "npm") == {"cowsay": "1.5.0"}
    assert stateful.installed(bin_dir, "pnpm") == {"cowsay": "1.5.0"}
    assert _aim(bench, "versions", "--exit-code")[0] == 0
    code, out = _aim(bench, "rollback")
    assert code == 0, out
    assert stateful.installed(bin_dir, "npm") == {"cowsay": "1.6.0"}
    assert stateful.installed(bin_dir, "pnpm") == {}
    assert "unmark" not in out.split("success  undo")[-1].replace("skipped  unmark", "")


def test_the_journal_records_each_version_before_and_after(
        bench: tuple[Path, Path, dict[str, str]]) -> None:
    ws = bench[0]
    assert _aim(bench, "versions", "--sync")[0] == 0
    journal = next((ws / ".aim" / "runs").glob("*-sync-*/journal.jsonl"))
    records = [json.loads(line) for line in journal.read_text().splitlines()]
    undo = [r["params"]["plan"][0] for r in records if r["t"] == "checkpoint"]
    assert [(u["manager"], u["action"], u["version"]) for u in undo] == [
        ("npm", "install", "1.6.0"), ("pnpm", "uninstall", None)]
    assert [r["left"] for r in records if r["t"] == "settled"] == [
        {"manager": "npm", "package": "cowsay", "version": "1.5.0"},
        {"manager": "pnpm", "package": "cowsay", "version": "1.5.0"}]


def test_a_package_changed_after_the_sync_is_named_and_left_without_force(
        bench: tuple[Path, Path, dict[str, str]]) -> None:
    _, bin_dir, _ = bench
    assert _aim(bench, "versions", "--sync")[0] == 0
    stateful.install(bin_dir, "pnpm", {"cowsay": "1.4.0"})  # the user's own change
    code, out = _aim(bench, "rollback", "--dry-run")
    assert "changed after the run (needs --force): pnpm package cowsay (now 1.4.0; the run " \
           "left 1.5.0)" in out
    code, out = _aim(bench, "rollback")
    assert code == 1 and "pnpm package cowsay (now 1.4.0; the run left 1.5.0)" in out
    assert "--force" in out and "Nothing was undone" in out
    assert stateful.installed(bin_dir, "npm") == {"cowsay": "1.5.0"}
    assert stateful.installed(bin_dir, "pnpm") == {"cowsay": "1.4.0"}
    assert _aim(bench, "rollback", "--force")[0] == 0
    assert stateful.installed(bin_dir, "npm") == {"cowsay": "1.6.0"}
    assert stateful.installed(bin_dir, "pnpm") == {}


def test_a_sync_failing_half_way_rolls_back_what_it_changed(
        bench: tuple[Path, Path, dict[str, str]]) -> None:
    ws, bin_dir, _ = bench
    config = json.loads((ws / "aim_config.json").read_text())
    config["packages"]["pnpm"] = ["cowsay", "no-such-package-aim"]
    config["pins"]["pnpm"]["no-such-package-aim"] = "1.0.0"
    (ws / "aim_config.json").write_text(json.dumps(config))
    code, out = _aim(bench, "versions", "--sync")
    assert code == 1
    assert "installing no-such-package-aim failed" in out and "(rolled back)" in out
    assert stateful.installed(bin_dir, "npm") == {"cowsay": "1.6.0"}
    assert stateful.installed(bin_dir, "pnpm") == {}


def test_a_no_change_sync_installs_nothing(bench: tuple[Path, Path, dict[str, str]]) -> None:
    _, bin_dir, _ = bench
    stateful.install(bin_dir, "npm", {"cowsay": "1.5.0"})
    stateful.install(bin_dir, "pnpm", {"cowsay": "1.5.0"})
    code, out = _aim(bench, "versions", "--sync", "--dry-run")
    assert code == 0 and "every managed package is at its pin: nothing to install" in out
    assert _aim(bench, "versions", "--sync")[0] == 0
    assert not [c for c in stateful.calls(bin_dir) if c[1] in ("install", "add")]


def test_a_rollback_that_finds_no_run_gives_no_undo_advice(tmp_path: Path) -> None:
    result = aim("rollback", "--root", str(tmp_path))
    assert result.returncode == 2
    assert "no run to roll back" in result.stderr
    assert "to undo: aim rollback --run" not in result.stdout
    assert "the run changed nothing, so there is nothing to undo" in result.stdout
