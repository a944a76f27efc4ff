"""Deprecating AI_MANGER: README notice, build.ps1 warning (CRLF, param block), deprecation page."""

from __future__ import annotations

from pathlib import Path

import pytest

from aim.docs.deprecate import Layout, plan_deprecation
from aim.docs.textdoc import apply_write
from aim.errors import InputError
from aim.workspace import Workspace
from tests.docs.docsutil import sample_workspace
from tests.treeutil import snapshot_tree


def deprecate(ws: Workspace) -> int:
    writes = plan_deprecation(ws, Layout())
    for write in writes:
        apply_write(write)
    return len(writes)


def test_readme_gets_a_notice_with_the_new_command_for_each_real_task(tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path)
    original = (ws.root / "AI_MANGER" / "README.md").read_text()
    deprecate(ws)
    text = (ws.root / "AI_MANGER" / "README.md").read_text()
    assert text.startswith("<!-- aim:BEGIN deprecation -->\n> **Deprecated")
    assert text.endswith(original)
    assert "[AI_MANGER deprecation](../docs/AI_MANGER_DEPRECATION.md)" in text
    for row in ("| `Bootstrap` | `aim migrate` (once), then `aim deploy` |",
                "| `Pin.Report` | `aim versions` |", "| `Pin.Sync` | `aim versions --sync` |",
                "| `Secrets.ExportEnv` | `aim secrets.export` |", "| `Scan.Report` | `aim scan` |",
                "| `Update.*` | `aim versions --sync` |", "| `Verify` | `aim health` |"):
        assert f"> {row}" in text


def test_build_script_warns_after_its_param_block_and_stays_crlf(tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path)
    deprecate(ws)
    data = (ws.root / "AI_MANGER" / "build.ps1").read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")
    lines = data.decode().split("\r\n")
    assert lines[:4] == ["#requires -Version 7.0", "param(",
                         '  [string]$ConfigPath = ".\\config\\toolstack.config.json"', ")"]
    begin = lines.index("# aim:BEGIN deprecation")
    assert lines[begin + 1].startswith('Write-Warning "AI_MANGER is deprecated')
    assert lines[begin + 2] == "# aim:END deprecation"
    assert lines.index("Import-Module InvokeBuild -ErrorAction Stop") > begin + 2


def test_deprecation_page_has_timeline_commands_and_archive_places(tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path)
    deprecate(ws)
    page = (ws.root / "docs" / "AI_MANGER_DEPRECATION.md").read_text()
    for heading in ("## Timeline", "## Old command, new command", "## What is archived where"):
        assert heading in page
    assert "| `Pin.Report` | `aim versions` |" in page
    assert "`archive/AUX_mcp-data/`, with sha256 sums in `MANIFEST.json`" in page
    assert "| `AUX_mcp-data/schemas/` | `docs/integrations/MCP/schemas/` |" in page


def test_second_run_changes_no_byte(tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path)
    assert deprecate(ws) == 3
    after = snapshot_tree(ws.root)
    assert deprecate(ws) == 0
    assert snapshot_tree(ws.root) == after


def test_a_missing_legacy_folder_is_bad_input(tmp_path: Path) -> None:
    ws = Workspace.at(tmp_path)
    with pytest.raises(InputError, match="no AI_MANGER folder"):
        plan_deprecation(ws, Layout("AI_MANGER"))
