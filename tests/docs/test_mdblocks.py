"""Deploy edits Markdown at its seams: instructions make way, descriptions and structure stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from aim.docs.checker import BrokenLink, split_by_baseline
from aim.docs.mdblocks import instruction_lines, is_instruction
from aim.docs.mdscan import find_links
from aim.docs.update import plan_updates
from aim.workspace import Workspace

AGENTS = """# Agent conventions

## Environment

- Bootstrap first: `Invoke-Build -File .\\AI_MANGER\\build.ps1 Bootstrap`.
- Tooling
  - `aim/`: the registry
    - Replaces legacy AI_MANGER (archived 2025-06, see [its README](AI_MANGER/README.md))
  - MCP servers: [setup](docs/mcp.md)

| tool | notes |
| --- | --- |
| AI_MANGER | run `Invoke-Build` there |

> The AI_MANGER folder stays until every agent uses `aim/`.

```powershell
.\\AI_MANGER\\build.ps1 Verify
```

## Rules

1. Small commits.
"""


@pytest.mark.parametrize("line,expected", [
    ("- Bootstrap first: `Invoke-Build -File .\\AI_MANGER\\build.ps1 Bootstrap`.", True),
    ("1. Run the AI_MANGER setup once.", True),
    ("API keys come from the vault (`Secrets.ExportEnv`).", True),
    ("    - Replaces legacy AI_MANGER (archived 2025-06)", False),
    ("> The AI_MANGER folder stays until every agent uses `aim/`.", False),
    ("AI_MANGER was the PowerShell stack.", False),
])
def test_instructions_are_told_from_descriptions(line: str, expected: bool) -> None:
    assert is_instruction(line) is expected


def test_a_list_item_goes_with_its_nested_items_and_a_code_block_of_commands_whole() -> None:
    text = "1. `Invoke-Build -File AI_MANGER\\build.ps1 Bootstrap`\n   - then check\n2. Next\n"
    assert instruction_lines(text) == [0, 1]
    lines = AGENTS.split("\n")
    removed = [lines[i] for i in instruction_lines(AGENTS)]
    assert removed == [lines[4], "```powershell", ".\\AI_MANGER\\build.ps1 Verify", "```"]


def _deployed(tmp_path: Path, text: str) -> str:
    (tmp_path / "AGENTS.md").write_text(text, encoding="utf-8")
    [write, *_] = [w for w in plan_updates(Workspace.at(tmp_path)) if w.path.name == "AGENTS.md"]
    return write.data.decode("utf-8")


def test_the_block_goes_at_a_top_level_seam_and_descriptions_stay(tmp_path: Path) -> None:
    from markdown_it import MarkdownIt

    new = _deployed(tmp_path, AGENTS)
    begin = new.split("\n").index("<!-- aim:BEGIN aim-conventions -->")
    [block] = [t for t in MarkdownIt("commonmark").enable("table").parse(new)
               if t.type == "html_block" and t.map and t.map[0] == begin]
    assert block.level == 0  # not inside the list, the table or the quote
    for kept in ("    - Replaces legacy AI_MANGER (archived 2025-06, see [its README]",
                 "| AI_MANGER | run `Invoke-Build` there |",
                 "> The AI_MANGER folder stays until every agent uses `aim/`.",
                 "- Tooling\n  - `aim/`: the registry\n"):
        assert kept in new
    assert "build.ps1 Bootstrap" not in new and "Verify" not in new
    assert new.index("aim:BEGIN") < new.index("- Tooling")  # where the instructions were


def test_crlf_files_keep_their_line_endings(tmp_path: Path) -> None:
    (tmp_path / "AGENTS.md").write_bytes(AGENTS.replace("\n", "\r\n").encode("utf-8"))
    [write, *_] = [w for w in plan_updates(Workspace.at(tmp_path)) if w.path.name == "AGENTS.md"]
    assert b"\r\n" in write.data and b"\n" not in write.data.replace(b"\r\n", b"")


def test_saved_instructions_with_a_code_block_keep_the_page_s_headings(tmp_path: Path) -> None:
    from aim.docs.mdscan import anchors

    _deployed(tmp_path, AGENTS)
    writes = plan_updates(Workspace.at(tmp_path))
    [page] = [w for w in writes if w.path.name == "AI_MANGER_DEPRECATION.md"]
    assert "former-instructions-agentsmd" in anchors(page.data.decode("utf-8"))


def test_links_in_html_comments_are_not_links() -> None:
    text = "[a](a.md) <!-- [old](gone.md) -->\n<!-- from here\n[x](x.md)\n-->[b](b.md)\n"
    assert [link.target for link in find_links(text)] == ["a.md", "b.md"]


def test_links_broken_before_are_told_apart_from_new_ones() -> None:
    before = [{"file": "AUX_mcp-data/guide.md", "target": "gone.md", "line": 3, "reason": "x"}]
    now = [BrokenLink("docs/integrations/MCP/guide.md", 3, "../../../AUX_mcp-data/gone.md", "x"),
           BrokenLink("README.md", 9, "docs/new.md", "x")]
    new, old = split_by_baseline(now, before)
    assert [b.file for b in new] == ["README.md"] and len(old) == 1
