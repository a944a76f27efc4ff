"""The ``versions`` task: table, --json and --exit-code (--sync: tests/versions/test_sync.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from invoke.exceptions import Exit

from aim.cli.handler import handled
from aim.cli.version_commands import Options, show_versions
from tests.cli.clitool import aim
from tests.versions import fakes

PACKAGES = {"pipx": ["aider-chat"], "npm": ["@openai/codex"]}
PINS = {"pipx": {"aider-chat": "0.86.1"}, "npm": {"@openai/codex": "^0.58.0"}}


def _config(bin_dir: Path, aider: str = "0.85.0") -> Any:
    fakes.managers(bin_dir, pipx={"aider-chat": aider}, npm={"@openai/codex": "0.58.2"})
    fakes.fake(bin_dir, "aider", f"aider {aider}\n")
    return fakes.config([fakes.tool("aider", "pipx", "aider-chat")], PACKAGES, PINS)


def _run(config: Any, bin_dir: Path, **flags: bool) -> int:
    try:
        handled(show_versions)(config, Options(**flags), path=str(bin_dir))
    except Exit as leave:
        return int(leave.code)
    return 0


def test_table_shows_every_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(_config(tmp_path), tmp_path) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["PACKAGE", "MANAGER", "PINNED", "INSTALLED", "STATUS", "ON",
                                "PATH", "NOTE"]
    assert lines[2].split()[:6] == ["aider-chat", "pipx", "0.86.1", "0.85.0", "older",
                                    str(tmp_path / "aider")]
    assert lines[3].split()[:6] == ["@openai/codex", "npm", "^0.58.0", "0.58.2", "ok", "-"]
    assert lines[0].index("STATUS") == lines[2].index("older")  # aligned columns
    assert "2 checked, 1 drifted" in lines[-1] and "aim versions --sync" in lines[-1]


def test_exit_code_flag_makes_drift_fail(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(_config(tmp_path), tmp_path, exit_code=True) == 1
    assert capsys.readouterr().err.startswith("error: versions drift from the pins in "
                                              "aim_config.json: aider-chat;")
    assert _run(_config(tmp_path, aider="0.86.1"), tmp_path, exit_code=True) == 0


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(_config(tmp_path), tmp_path, as_json=True) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["drifted"] == ["aider-chat"]
    assert [(i["name"], i["status"]) for i in data["items"]] == [("aider-chat", "older"),
                                                                  ("@openai/codex", "ok")]


def test_the_task_is_registered_with_its_flags() -> None:
    result = aim("versions", "--help")
    assert result.returncode == 0
    for flag in ("--sync", "--dry-run", "--exit-code", "--json", "--root"):
        assert flag in result.stdout
