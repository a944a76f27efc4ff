"""A Markdown document's block structure, read with a real parser (markdown-it-py).

Deploy edits documents at their seams: the AIM+ block goes between two top-level blocks, never
inside a list, table, quote or code block, and only AI_MANGER *instructions* (a command to
run, a step to follow) make way for it; a line that only describes AI_MANGER stays.
Line numbers are 0-based indexes into ``text.split("\\n")``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# A command of the legacy stack: its build entry point, its tasks, its scripts.
COMMAND = re.compile(r"Invoke-Build|\bbuild\.ps1\b|Secrets\.ExportEnv|"
                     r"AI_MANGER[\\/][\w.\\/-]*\.ps[dm]?1", re.IGNORECASE)
# A step to follow: an imperative at the start of a line (after a list marker or quote).
_STEP = re.compile(r"^\s*(?:>\s*)*(?:[-*+]|\d+[.)])?\s*(?:\*\*)?(?:run|execute|call|start|"
                   r"launch|invoke|install|bootstrap|load|source|import|type|cd)\b",
                   re.IGNORECASE)


def is_instruction(line: str) -> bool:
    """True for a line that tells the reader to run or use AI_MANGER."""
    return bool(COMMAND.search(line)) or (bool(_STEP.match(line)) and "AI_MANGER" in line)


def _tokens(text: str) -> list[Any]:
    # The parser loads when a document is first edited: most commands never read Markdown.
    from markdown_it import MarkdownIt

    tokens: list[Any] = MarkdownIt("commonmark").enable("table").parse(text)
    return tokens


def _code_lines(lines: list[str], start: int, end: int) -> list[int]:
    """Lines to remove from a code block: the whole block when it holds nothing but legacy
    commands (and comments), else only its legacy command lines."""
    body = [i for i in range(start, end) if lines[i].strip()
            and not re.match(r"^\s*(`{3,}|~{3,})", lines[i])]
    commands = [i for i in body if COMMAND.search(lines[i])]
    rest = [i for i in body if i not in commands and not lines[i].strip().startswith("#")]
    if commands and not rest:
        return list(range(start, end))
    return commands


def instruction_lines(text: str, keep: Iterable[int] = ()) -> list[int]:
    """The lines of AI_MANGER instructions, each with what belongs to it: a list item with its
    nested items, a paragraph line, a code block of legacy commands.  ``keep``: never these."""
    lines, kept = text.split("\n"), set(keep)
    found: set[int] = set()
    previous = ""
    for token in _tokens(text):
        opened, previous = previous, token.type
        if token.map is None or token.map[0] in kept:
            continue
        start, end = token.map
        if token.type == "list_item_open" and start not in found:
            if is_instruction(lines[start]):
                found.update(range(start, end))
        elif token.type in ("fence", "code_block"):
            found.update(_code_lines(lines, start, end))
        elif token.type == "inline" and opened == "paragraph_open":  # not headings, cells
            found.update(i for i in range(start, end) if is_instruction(lines[i]))
    return sorted(i for i in found if i not in kept and i < len(lines))


def top_level_start(text: str, line: int) -> int:
    """The first line of the top-level block that holds ``line`` (or ``line`` itself when it
    is between blocks): the nearest seam before it."""
    best = line
    for token in _tokens(text):
        if token.level == 0 and token.map and token.map[0] <= line < token.map[1]:
            best = min(best, token.map[0])
    return best
