"""The workspace root itself: a --root that does not exist is bad input, never created."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.clitool import aim, assert_clean_error


@pytest.mark.parametrize("task", ["backup", "status", "migrate", "deploy"])
def test_a_missing_root_is_refused_and_not_created(tmp_path: Path, task: str) -> None:
    missing = tmp_path / "typo" / "ws"
    message = assert_clean_error(aim(task, "--root", str(missing)), 2)
    assert f"workspace root {missing} does not exist" in message
    assert "create it first" in message
    assert not (tmp_path / "typo").exists()


def test_a_missing_root_from_the_environment_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    message = assert_clean_error(aim("backup", env={"AIM_ROOT": str(missing)}), 2)
    assert str(missing) in message and not missing.exists()


def test_a_root_that_is_a_file_is_refused(tmp_path: Path) -> None:
    afile = tmp_path / "aim_config.json"
    afile.write_text("{}\n")
    message = assert_clean_error(aim("backup", "--root", str(afile)), 2)
    assert f"workspace root {afile} is not a folder" in message
    assert afile.read_text() == "{}\n"


def test_an_existing_empty_root_still_works(tmp_path: Path) -> None:
    result = aim("backup", "--root", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / ".aim" / "backups").is_dir()
