"""``aim scan`` from the command line: tables, --json, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from aim.cli.render import human_size
from tests.cli.clitool import aim, assert_clean_error
from tests.scanner.scanutil import make_file, make_tool, path_of


def _setup(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A workspace, a project with one 1.5 KB cache, and a PATH where ``tool`` is twice."""
    make_tool(tmp_path / "bin1", "tool")
    make_tool(tmp_path / "bin2", "tool")
    make_file(tmp_path / "proj" / "pkg" / "__pycache__" / "m.pyc", 1536)
    ws = tmp_path / "ws"
    ws.mkdir()
    return ws, {"PATH": path_of(tmp_path / "bin1", tmp_path / "bin2")}


def test_json_output(tmp_path: Path) -> None:
    ws, env = _setup(tmp_path)
    result = aim("scan", "--json", "--roots", str(tmp_path / "proj"), cwd=ws, env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["findings"] == 2 and data["truncated"] is False
    (dup,) = data["duplicates"]
    assert dup["winner"]["path"] == str(tmp_path / "bin1" / "tool")
    assert [c["path"] for c in dup["shadowed"]] == [str(tmp_path / "bin2" / "tool")]
    assert data["caches"] == [{"path": str(tmp_path / "proj" / "pkg" / "__pycache__"),
                               "pattern": "__pycache__", "size": 1536, "files": 1,
                               "complete": True}]


def test_tables_with_human_sizes_and_exit_0(tmp_path: Path) -> None:
    ws, env = _setup(tmp_path)
    result = aim("scan", "--roots", str(tmp_path / "proj"), cwd=ws, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("COMMAND"))
    row = next(line for line in lines if line.startswith("tool"))
    assert row.index("wins") == header.index("STATUS")
    assert "1.5 KB" in result.stdout and "__pycache__" in result.stdout
    assert lines[-1].startswith("2 finding(s) in ")


def test_path_only_and_caches_only(tmp_path: Path) -> None:
    ws, env = _setup(tmp_path)
    roots = ("--roots", str(tmp_path / "proj"))
    path_only = json.loads(aim("scan", "--json", "--path-only", *roots, cwd=ws, env=env).stdout)
    assert len(path_only["duplicates"]) == 1 and path_only["caches"] == []
    caches = json.loads(aim("scan", "--json", "--caches-only", *roots, cwd=ws, env=env).stdout)
    assert caches["duplicates"] == [] and len(caches["caches"]) == 1


def test_bad_input_exits_2(tmp_path: Path) -> None:
    ws, env = _setup(tmp_path)
    both = assert_clean_error(aim("scan", "--path-only", "--caches-only", cwd=ws, env=env), 2)
    assert "--path-only and --caches-only" in both
    missing = tmp_path / "nowhere"
    message = assert_clean_error(aim("scan", "--roots", str(missing), cwd=ws, env=env), 2)
    assert str(missing) in message
    assert_clean_error(aim("scan", "--root", str(missing), cwd=ws, env=env), 2)


def test_a_clean_environment_has_no_findings(tmp_path: Path) -> None:
    make_tool(tmp_path / "bin", "tool")
    (tmp_path / "proj").mkdir()
    result = aim("scan", "--json", "--roots", str(tmp_path / "proj"), cwd=tmp_path,
                 env={"PATH": str(tmp_path / "bin")})
    data = json.loads(result.stdout)
    assert (result.returncode, data["findings"], data["duplicates"]) == (0, 0, [])


def test_human_size() -> None:
    assert [human_size(n) for n in (0, 1023, 1536, 5 * 1024**2, 3 * 1024**3)] == [
        "0 B", "1023 B", "1.5 KB", "5.0 MB", "3.0 GB"]
