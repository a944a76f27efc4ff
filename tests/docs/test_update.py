"""The AIM+ sections of README, AGENTS and QUICK_START: replaced steps kept, idempotent."""

from __future__ import annotations

import codecs
from pathlib import Path

from aim.docs.checker import check_links
from aim.docs.textdoc import apply_write
from aim.docs.update import plan_updates
from tests.docs.docsutil import run_all, sample_workspace
from tests.treeutil import snapshot_tree


def test_quick_start_steps_are_replaced_by_aim_steps_and_kept_in_the_deprecation_page(
        tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path)
    old_steps = (ws.root / "QUICK_START.md").read_text().splitlines()[2:4]
    run_all(ws)
    quick = (ws.root / "QUICK_START.md").read_text()
    outside = quick.split("<!-- aim:END aim-setup -->")[1]
    assert "Invoke-Build" not in quick and "Invoke-Build" not in outside
    assert "`aim migrate`" in quick and "`aim secrets.export`" in quick
    assert ("[the deprecation notes](docs/AI_MANGER_DEPRECATION.md"
            "#former-instructions-quick_startmd)") in quick
    page = (ws.root / "docs" / "AI_MANGER_DEPRECATION.md").read_text()
    assert "## Former instructions: QUICK_START.md" in page
    assert "\n".join(old_steps) in page
    assert check_links(ws.root) == []


def test_agents_and_readme_get_the_aim_conventions(tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path)
    run_all(ws)
    agents = (ws.root / "AGENTS.md").read_text()
    assert "keyring via `aim secrets.export`, never from files" in agents
    assert "AI_MANGER vault" not in agents.split("<!-- aim:END aim-conventions -->")[1]
    assert "AI_MANGER vault (`Secrets.ExportEnv`)" in \
        (ws.root / "docs" / "AI_MANGER_DEPRECATION.md").read_text()
    readme = (ws.root / "README.md").read_text()
    assert readme.startswith("# Dev pipeline workspace\n")
    assert "<!-- aim:BEGIN aim-plus -->\n## AIM+" in readme and "`aim health`" in readme


def test_everything_a_second_time_changes_no_byte(tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path)
    run_all(ws)
    after = snapshot_tree(ws.root)
    run_all(ws)
    assert snapshot_tree(ws.root) == after
    assert plan_updates(ws) == []


def test_a_utf16_readme_keeps_its_encoding(tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path)
    readme = ws.root / "README.md"
    original = readme.read_text().replace("\n", "\r\n")
    readme.write_bytes(codecs.BOM_UTF16_LE + original.encode("utf-16-le"))
    run_all(ws)
    data = readme.read_bytes()
    assert data.startswith(codecs.BOM_UTF16_LE)
    text = data[2:].decode("utf-16-le")
    assert text.startswith("# Dev pipeline workspace\r\n")
    assert "<!-- aim:BEGIN aim-plus -->\r\n## AIM+\r\n" in text
    assert "](docs/integrations/MCP/MCP_SETUP_GUIDE.md)" in text
    assert text.count("\n") == text.count("\r\n")
    for write in plan_updates(ws):
        apply_write(write)
    assert readme.read_bytes() == data
