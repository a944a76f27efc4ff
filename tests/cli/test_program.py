"""The aim program runs exactly what the user asked: its own flags, one task, no stray deploys."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.clitool import aim, assert_clean_error
from tests.treeutil import snapshot_tree as tree_digest

INVOKE_ONLY_FLAGS = ("--prompt-for-sudo-password", "--pty", "--dry", "--hide", "--echo",
                     "--warn-only", "--command-timeout", "--write-pyc", "--debug", "--config")


def _sample(tmp_path: Path) -> Path:
    from aim.sample import prepare_sandbox

    return prepare_sandbox(tmp_path / "sample")


def _runs(root: Path) -> list[str]:
    runs = root / ".aim" / "runs"
    return sorted(p.name for p in runs.iterdir()) if runs.is_dir() else []


@pytest.mark.parametrize("flag", ["--dry", "-d", "-R", "--dry-run"])
def test_every_dry_run_spelling_before_the_task_is_a_dry_run(tmp_path: Path, flag: str) -> None:
    root = _sample(tmp_path)
    before = tree_digest(root)
    result = aim(flag, "migrate", "--root", str(root), "--secrets-from", "skip")
    assert result.returncode == 0, result.stderr
    assert "Plan: migrate" in result.stdout or "plan" in result.stdout.lower()
    assert tree_digest(root) == before
    assert _runs(root) == []


def test_dry_flag_after_the_task_is_a_dry_run_too(tmp_path: Path) -> None:
    root = _sample(tmp_path)
    before = tree_digest(root)
    result = aim("backup", "--root", str(root), "--dry")
    assert result.returncode == 0, result.stderr
    assert tree_digest(root) == before and _runs(root) == []


def test_a_dry_run_of_a_task_that_changes_nothing_is_bad_input(tmp_path: Path) -> None:
    message = assert_clean_error(aim("--dry", "runs", "--root", str(tmp_path)), 2)
    assert "'aim runs' has no dry run" in message


def test_a_second_task_name_is_bad_input_and_runs_nothing(tmp_path: Path) -> None:
    root = _sample(tmp_path)
    assert aim("backup", "--root", str(root)).returncode == 0
    runs, before = _runs(root), tree_digest(root)
    message = assert_clean_error(aim("rollback", "deploy", "--root", str(root)), 2)
    assert "one task per call" in message and "'rollback' and 'deploy'" in message
    assert _runs(root) == runs and tree_digest(root) == before


def test_help_offers_only_aims_own_flags_and_the_plans_spellings() -> None:
    result = aim("--help")
    assert result.returncode == 0
    options = result.stdout.split("Options:")[1].split("Subcommands:")[0]
    flags = {word.strip(",").split("[")[0].split("=")[0] for word in options.split()
             if word.startswith("--")}
    assert flags == {"--help", "--version", "--list", "--complete", "--print-completion-script"}
    assert not flags & set(INVOKE_ONLY_FLAGS)
    for spelling in ("health check", "version check", "audit show", "scan all"):
        assert spelling in result.stdout, spelling


@pytest.mark.parametrize("flag", ["--pty", "-e", "--hide=both", "--prompt-for-sudo-password"])
def test_invokes_own_core_flags_are_unknown_to_aim(tmp_path: Path, flag: str) -> None:
    message = assert_clean_error(aim(flag, "runs", "--root", str(tmp_path)), 2)
    assert "No idea what" in message


def test_task_help_names_one_task_only() -> None:
    result = aim("deploy", "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: aim deploy [--flags]")
    assert "other tasks" not in result.stdout and "--dry-run" in result.stdout


@pytest.mark.parametrize(("spelling", "task"), [
    (("health", "check"), "health"), (("version", "check"), "versions"),
    (("audit", "show"), "audit"), (("scan", "all"), "scan")])
def test_the_plans_spellings_run_the_same_task(tmp_path: Path, spelling: tuple[str, str],
                                              task: str) -> None:
    root = _sample(tmp_path)
    planned = aim(*spelling, "--root", str(root), "--json")
    direct = aim(task, "--root", str(root), "--json")
    assert "No idea" not in planned.stderr, planned.stderr
    assert planned.returncode == direct.returncode, (planned.stderr, direct.stderr)
    assert planned.stdout.splitlines()[:1] == direct.stdout.splitlines()[:1]


@pytest.mark.parametrize("args", [("runs", "--limit", "x"), ("audit", "--limit=x")])
def test_a_flag_value_of_the_wrong_type_is_bad_input(tmp_path: Path,
                                                     args: tuple[str, ...]) -> None:
    message = assert_clean_error(aim(*args, "--root", str(tmp_path)), 2)
    assert "--limit 'x': give a whole number" in message


def test_a_closed_pipe_on_help_ends_quietly() -> None:
    command = f"{sys.executable} -m aim --help | head -1"
    done = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=60,
                          env={**__import__("os").environ, "AIM_KEYRING": "memory"})
    assert done.stdout.startswith("Usage: aim")
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


def test_invoke_in_this_repository_keeps_invokes_own_flags() -> None:
    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-m", "invoke", "--help"], cwd=repo,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "--dry" in done.stdout and "--pty" in done.stdout


@pytest.mark.parametrize("task", ["workflow.list", "health", "status"])
def test_tables_fit_the_terminal_width_and_json_keeps_everything(tmp_path: Path,
                                                                  task: str) -> None:
    root = _sample(tmp_path)
    args = (task,) if task == "workflow.list" else (task, "--root", str(root))
    whole, fitted = aim(*args), aim(*args, env={"COLUMNS": "80"})
    assert fitted.returncode == whole.returncode, fitted.stderr
    table_lines = [line for line in fitted.stdout.splitlines() if str(root) not in line]
    assert max(len(line) for line in whole.stdout.splitlines()) > 80
    assert max(len(line) for line in table_lines) <= 80, fitted.stdout
    assert _shown_characters(fitted.stdout) == _shown_characters(whole.stdout)
    fitted_json = json.loads(aim(*args, "--json", env={"COLUMNS": "80"}).stdout)
    assert _without_timings(fitted_json) == _without_timings(json.loads(aim(*args,
                                                                            "--json").stdout))


def _shown_characters(text: str) -> list[str]:
    """Every character a table shows, rule lines left out: wrapping must lose none."""
    kept = [line for line in text.splitlines() if line.strip(" -")]
    return sorted(c for c in "".join("".join(kept).split()) if not c.isdigit())  # timings vary


def _without_timings(data: object) -> str:
    """The JSON with its numbers taken out (timings and free disk space vary between runs)."""
    return "".join(c for c in json.dumps(data) if not c.isdigit())


def test_a_limit_below_one_is_bad_input(tmp_path: Path) -> None:
    message = assert_clean_error(aim("runs", "--limit", "-1", "--root", str(tmp_path)), 2)
    assert "--limit -1: give how many of the newest runs to show" in message
