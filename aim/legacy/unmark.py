"""Take AIM+'s marker blocks back out of the AI_MANGER files, so the legacy stack runs as before.

A deploy adds ``# aim:BEGIN name`` … ``# aim:END name`` blocks to ``build.ps1`` (and HTML
comment blocks to its Markdown files).  Rolling a deploy back removes the blocks that run
added; this finds any that are left (a deploy from an earlier run, say) and removes them with
the blank lines that were added to set each block apart (one on each side that had text),
keeping encoding and line endings.  Which blank lines were added cannot always be known; the
rule here gives back the original text for every way the docs module inserts a block.
"""

from __future__ import annotations

from pathlib import Path

from aim.docs.markers import block_spans
from aim.docs.textdoc import FileWrite, planned_write, read_doc

SUFFIXES = {".md": "md", ".markdown": "md", ".ps1": "ps1", ".psm1": "ps1", ".psd1": "ps1"}


def _text_at(lines: list[str], index: int) -> bool:
    return 0 <= index < len(lines) and bool(lines[index].strip())


def strip_blocks(text: str, style: str) -> str:
    """``text`` without its aim blocks (and the blank line that set each one apart)."""
    trailing = text.endswith("\n")
    lines = text.split("\n")
    if trailing:
        lines.pop()
    for span in reversed(block_spans(lines, style)):
        begin, end = span.begin, span.end + 1
        blank_after = end < len(lines) and not lines[end].strip()
        blank_before = begin > 0 and not lines[begin - 1].strip()
        if blank_after and blank_before and _text_at(lines, begin - 2) and \
                _text_at(lines, end + 1):
            begin, end = begin - 1, end + 1  # inserted between two lines of text
        elif blank_after and (blank_before or begin == 0):
            end += 1
        elif blank_before and end == len(lines):
            begin -= 1
        del lines[begin:end]
    return "\n".join(lines) + ("\n" if trailing and lines else "")


def plan_unmark(folder: Path) -> list[FileWrite]:
    """The writes that remove every aim block from the legacy files under ``folder``."""
    if not folder.is_dir():
        return []
    writes = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()
                       and p.suffix.lower() in SUFFIXES):
        doc = read_doc(path)
        write = planned_write(doc, strip_blocks(doc.text, SUFFIXES[path.suffix.lower()]))
        if write is not None:
            writes.append(write)
    return writes
