"""The AIM+ sections of the workspace docs (README, AGENTS, QUICK_START), as marker blocks.

AI_MANGER instructions in AGENTS.md and QUICK_START.md are replaced by the AIM+ block and a
pointer, placed at the top-level seam where the first of them was (never inside a list, table,
quote or code block); lines that only describe AI_MANGER stay.  The lines taken out are kept,
verbatim, in the deprecation page.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from aim.docs import texts
from aim.docs.deprecate import DEPRECATION_DOC
from aim.docs.markers import Placement, after_title, block_spans, end, find_block, set_block
from aim.docs.mdblocks import instruction_lines, top_level_start
from aim.docs.mdscan import slugify
from aim.docs.textdoc import FileWrite, planned_write, read_doc
from aim.workspace import Workspace

# file → (block name, body, where a new block goes, whether AI_MANGER lines make way for it)
_TARGETS: dict[str, tuple[str, str, Placement, bool]] = {
    "README.md": ("aim-plus", texts.README_SECTION, end, False),
    "AGENTS.md": ("aim-conventions", texts.AGENTS_SECTION, after_title, True),
    "QUICK_START.md": ("aim-setup", texts.QUICK_START_SECTION, after_title, True),
}


def legacy_lines(text: str) -> list[int]:
    """Indexes of the lines giving AI_MANGER instructions (outside aim blocks): a list item
    with its nested items, a paragraph line, a code block of legacy commands.  Lines that only
    describe AI_MANGER are not among them."""
    lines = text.split("\n")
    generated = {i for s in block_spans(lines, "md") for i in range(s.begin, s.end + 1)}
    return instruction_lines(text, generated)


def former_heading(file: str) -> str:
    """The deprecation-page heading that keeps ``file``'s former AI_MANGER lines."""
    return f"Former instructions: {file}"


def _with_block(text: str, name: str, body: str, where: Path, place: Placement,
                removed: list[int]) -> str:
    if removed:
        lines = text.split("\n")
        seam = top_level_start(text, removed[0])  # before the block that held the first one
        at = seam - sum(1 for i in removed if i < seam)
        text = "\n".join(line for i, line in enumerate(lines) if i not in removed)
        place = lambda _lines: at  # noqa: E731 - the seam where the instructions were
    return set_block(text, name, body, "md", where, place)


def _pointer(file: str) -> str:
    link = posixpath.relpath(DEPRECATION_DOC, posixpath.dirname(file) or ".")
    anchor = slugify(former_heading(file))
    return ("\n\nThe former AI_MANGER instructions are kept in "
            f"[the deprecation notes]({link}#{anchor}).")


def _saved_block(file: str, lines: list[str]) -> str:
    # a fence longer than any the saved lines hold, so a code block among them stays inside
    longest = max((len(run) for line in lines for run in re.findall(r"`{3,}|~{3,}", line)),
                  default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([f"## {former_heading(file)}", "",
                      f"Replaced by the AIM+ section of `{file}` on deploy; kept for reference:",
                      "", f"{fence}markdown", *lines, fence])


def plan_updates(ws: Workspace) -> list[FileWrite]:
    """The writes that give the docs their AIM+ sections (empty when already up to date)."""
    page = read_doc(ws.path(DEPRECATION_DOC))
    page_text = page.text
    writes = []
    for file, (name, body, place, replaces) in _TARGETS.items():
        doc = read_doc(ws.path(file))
        if not doc.exists:
            continue
        lines = doc.text.split("\n")
        found = find_block(lines, "md", name, doc.path)
        removed = legacy_lines(doc.text) if replaces and found is None else []
        saved = f"former-{file.removesuffix('.md')}"
        if removed:
            page_text = set_block(page_text, saved, _saved_block(file, [lines[i] for i in removed]),
                                  "md", page.path, end)
        has_saved = find_block(page_text.split("\n"), "md", saved, page.path) is not None
        full = body + (_pointer(file) if replaces and has_saved else "")
        new_text = _with_block(doc.text, name, full, doc.path, place, removed)
        writes.append(planned_write(doc, new_text))
    writes.append(planned_write(page, page_text) if page_text != page.text else None)
    return [w for w in writes if w is not None]
