"""Taking aim blocks out of legacy files gives back the text as it was before they went in."""

from __future__ import annotations

from pathlib import Path

import pytest

from aim.docs.markers import after_line, after_title, end, set_block, top
from aim.legacy.unmark import plan_unmark, strip_blocks

# Where a blank line already sits next to the insertion point, text with and without it mark
# up the same way; these texts are the usual case (a script header, a title, then text).
TEXTS = {
    "script": "#requires -Version 7.0\nparam()\nImport-Module X\n\ntask . Build\n",
    "markdown": "# Title\nText.\n\n## Next\nMore.\n",
    "one line": "Import-Module X\n",
    "no final newline": "param()\nImport-Module X",
}
PLACES = {"top": top, "end": end, "after title": after_title,
          "after param": after_line(r"^param\(")}


@pytest.mark.parametrize("text", list(TEXTS))
@pytest.mark.parametrize("place", list(PLACES))
def test_strip_undoes_set_block(text: str, place: str) -> None:
    original = TEXTS[text]
    marked = set_block(original, "deprecation", "Write-Warning 'old'", "ps1", Path("b.ps1"),
                       PLACES[place])
    assert "# aim:BEGIN deprecation" in marked
    assert strip_blocks(marked, "ps1") == original


def test_files_keep_encoding_and_line_endings(tmp_path: Path) -> None:
    legacy = tmp_path / "AI_MANGER"
    legacy.mkdir()
    original = "param()\r\nImport-Module X\r\n".encode("utf-16-le")
    script = legacy / "build.ps1"
    script.write_bytes(b"\xff\xfe" + "param()\r\n\r\n# aim:BEGIN x\r\nWrite-Warning 'é'\r\n"
                       "# aim:END x\r\n\r\nImport-Module X\r\n".encode("utf-16-le"))
    (legacy / "notes.txt").write_text("# aim:BEGIN x\n# aim:END x\n")  # not a marker file type
    writes = plan_unmark(legacy)
    assert [w.path for w in writes] == [script]
    assert writes[0].data == b"\xff\xfe" + original


def test_nothing_to_do_without_blocks_or_folder(tmp_path: Path) -> None:
    assert plan_unmark(tmp_path / "missing") == []
    (tmp_path / "README.md").write_text("# Title\n\nText.\n")
    assert plan_unmark(tmp_path) == []
