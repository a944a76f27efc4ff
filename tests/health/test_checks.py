"""Each check's ok, warn, fail and skip, on real files, folders and fake tools."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from aim import backup as backups
from aim.backup import create_backup
from aim.checks import CheckResult, Status
from aim.config.model import InstallSpec
from aim.errors import InputError
from aim.health import HealthReport, run_health
from aim.health.model import HealthContext
from aim.health.system import check_python
from tests.health.util import (
    answering,
    break_state,
    fake_tool,
    loosen,
    make_config,
    tool,
    workspace,
)


def only(report: HealthReport, name: str) -> CheckResult:
    return next(c for c in report.checks if c.name == name)


def test_python_version(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    ok = only(run_health(ws, make_config(), checks=["python"]), "python")
    assert ok.status == Status.OK and sys.version.split()[0] in ok.summary
    hc = HealthContext(ws, None, make_config().health, None, 1.0)
    old = check_python(hc, (3, 9, 18))
    assert old.status == Status.FAIL and "3.9.18 is older than 3.10" in old.summary
    assert "install Python 3.10" in old.hint


def test_required_commands_on_the_given_path(tmp_path: Path) -> None:
    ws, bin_dir = workspace(tmp_path / "ws"), tmp_path / "bin"
    answering(bin_dir, "git")
    config = make_config(required_commands=("git", "make-not-here"))
    found = only(run_health(ws, config, path_env=str(bin_dir), checks=["commands"]), "commands")
    assert found.status == Status.FAIL and found.summary == "not on PATH: make-not-here"
    assert "PATH" in found.hint
    answering(bin_dir, "make-not-here")
    found = only(run_health(ws, config, path_env=str(bin_dir), checks=["commands"]), "commands")
    assert found.status == Status.OK and "git, make-not-here" in found.summary
    none = only(run_health(ws, make_config(), checks=["commands"]), "commands")
    assert none.status == Status.SKIP


def test_required_paths_are_expanded(tmp_path: Path, isolated_home: Path) -> None:
    ws = workspace(tmp_path / "ws")
    (isolated_home / "Tools").mkdir()
    (ws.root / "local").mkdir()
    config = make_config(required_paths=("~/Tools", "local", "~/Missing"))
    found = only(run_health(ws, config, checks=["paths"]), "paths")
    assert found.status == Status.FAIL
    assert found.summary == f"missing: ~/Missing ({isolated_home / 'Missing'})"
    (isolated_home / "Missing").mkdir()
    assert only(run_health(ws, config, checks=["paths"]), "paths").status == Status.OK


def test_disk_space_against_min_free_mb(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    low = only(run_health(ws, make_config(min_free_mb=10**12), checks=["disk"]), "disk")
    assert low.status == Status.FAIL and "below 1000000000000 MB" in low.summary
    assert "min_free_mb" in low.hint
    assert only(run_health(ws, make_config(min_free_mb=0), checks=["disk"]), "disk").status \
        == Status.OK


def test_state_folder_permissions_and_the_chmod_fix(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    assert only(run_health(ws, make_config(), checks=["state"]), "state").status == Status.OK
    loosen(ws)
    loose = only(run_health(ws, make_config(), checks=["state"]), "state")
    assert loose.status == Status.WARN
    assert f"{ws.state_dir} (0755)" in loose.summary and "audit.jsonl (0644)" in loose.summary
    fix = loose.hint.split(" (")[0]
    assert fix == f"chmod -R go-rwx {ws.state_dir}"
    subprocess.run(fix.split(), check=True)
    assert only(run_health(ws, make_config(), checks=["state"]), "state").status == Status.OK


def test_state_folder_that_is_a_file_or_has_a_file_for_backups(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "a")
    break_state(ws)
    found = only(run_health(ws, make_config(), checks=["state"]), "state")
    assert found.status == Status.FAIL and f"{ws.backups_dir} should be a folder" in found.summary
    other = workspace(tmp_path / "b")
    other.state_dir.rmdir()
    other.state_dir.write_text("x")
    found = only(run_health(other, make_config(), checks=["state"]), "state")
    assert found.status == Status.FAIL and "is not a folder" in found.summary
    assert f"mv {other.state_dir}" in found.hint


def test_missing_state_folder_is_fine_and_not_created(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    ws.state_dir.rmdir()
    found = only(run_health(ws, make_config(), checks=["state"]), "state")
    assert found.status == Status.OK and not ws.state_dir.exists()


def test_rollback_check_fails_when_backups_is_a_file(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    break_state(ws)
    found = only(run_health(ws, make_config(), checks=["rollback"]), "rollback")
    assert found.status == Status.FAIL and "is not a folder" in found.summary


def test_rollback_check_reads_each_backup_once(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    ws = workspace(tmp_path)
    create_backup(ws, ["aim_config.json"])
    newest = create_backup(ws, ["aim_config.json"])
    loads: list[str] = []
    load = backups.load_backup
    monkeypatch.setattr(backups, "load_backup",
                        lambda ws, which="latest": loads.append(which) or load(ws, which))
    found = only(run_health(ws, make_config(), checks=["rollback"]), "rollback")
    assert found.status == Status.OK and newest.id in found.summary
    assert len(loads) == 2


def test_a_given_config_is_reported_as_such(tmp_path: Path) -> None:
    report = run_health(workspace(tmp_path), make_config(tools=(tool("aider"),)),
                        path_env=str(tmp_path / "empty"))
    given = only(report, "config")
    assert given.status == Status.OK and "1 tools" in given.summary
    assert [c.name for c in report.checks][:2] == ["config", "python"]
    assert only(report, "tool:aider").status == Status.WARN


def test_unknown_check_name_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"unknown health check.*nope.*known: config, python"):
        run_health(workspace(tmp_path), make_config(), checks=["nope"])


def test_install_hint_names_the_manager_command(tmp_path: Path) -> None:
    spec = InstallSpec("pipx", "aider-chat")
    report = run_health(workspace(tmp_path), make_config(tools=(tool("aider", install=spec),)),
                        path_env=str(tmp_path / "empty"), checks=["tools"])
    assert [c.name for c in report.checks] == ["tool:aider"]
    assert report.checks[0].hint == "install it with 'pipx install aider-chat'"
    fake_tool(tmp_path / "empty", "aider", "sys.exit(0)")
    report = run_health(workspace(tmp_path), make_config(tools=(tool("aider", install=spec),)),
                        path_env=str(tmp_path / "empty"), checks=["tools"])
    assert report.checks[0].status == Status.OK and "(no version printed)" in \
        report.checks[0].summary
