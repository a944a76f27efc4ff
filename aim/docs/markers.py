"""Marker blocks: a named, generated region of a file that re-running replaces, never repeats.

Markdown blocks are HTML comments (invisible when rendered)::

    <!-- aim:BEGIN name -->
    ...
    <!-- aim:END name -->

PowerShell blocks are line comments (``# aim:BEGIN name``).  Functions here work on text with
``\\n`` newlines; :mod:`aim.docs.textdoc` keeps each file's encoding and line endings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aim.docs.textdoc import FileWrite, planned_write, read_doc
from aim.errors import InputError

Placement = Callable[[list[str]], int]
_STYLES = {"md": ("<!-- aim:{kind} {name} -->",), "ps1": ("# aim:{kind} {name}",)}
_SUFFIX_STYLE = {".md": "md", ".markdown": "md", ".ps1": "ps1", ".psm1": "ps1", ".psd1": "ps1",
                 ".yaml": "ps1", ".yml": "ps1"}  # "ps1": '#' line comments
_ANY_MARKER = {"md": re.compile(r"<!-- aim:(BEGIN|END) \S+ -->"),
               "ps1": re.compile(r"# aim:(BEGIN|END) \S+")}
_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


def style_for(path: Path) -> str:
    """The comment style of a file, from its suffix (``md`` or ``ps1``)."""
    style = _SUFFIX_STYLE.get(path.suffix.lower())
    if style is None:
        raise InputError(f"{path}: no marker style for '{path.suffix}' files; marker blocks "
                         f"work in {', '.join(sorted(_SUFFIX_STYLE))} files")
    return style


def marker(style: str, kind: str, name: str) -> str:
    """The BEGIN or END marker line of block ``name``."""
    return _STYLES[style][0].format(kind=kind, name=name)


@dataclass(frozen=True)
class Span:
    """Where a block sits: ``begin`` is the BEGIN line's index, ``end`` the END line's."""

    begin: int
    end: int


def find_block(lines: list[str], style: str, name: str, where: Path) -> Span | None:
    """The block ``name`` in ``lines``; errors (with line numbers) when unbalanced or repeated."""
    begin_line, end_line = marker(style, "BEGIN", name), marker(style, "END", name)
    begins = [i for i, line in enumerate(lines) if line.strip() == begin_line]
    ends = [i for i, line in enumerate(lines) if line.strip() == end_line]
    if not begins and not ends:
        return None
    if len(begins) != 1 or len(ends) != 1 or ends[0] < begins[0]:
        places = ", ".join(str(i + 1) for i in sorted(begins + ends))
        raise InputError(f"{where}: lines {places}: the aim block '{name}' must have exactly one "
                         f"'{begin_line}' followed by one '{end_line}'; fix or remove the "
                         "marker lines and run again")
    return Span(begins[0], ends[0])


def block_spans(lines: list[str], style: str) -> list[Span]:
    """Every aim block in ``lines`` (any name), to leave generated text alone."""
    pattern = _ANY_MARKER[style]
    spans, open_at = [], None
    for i, line in enumerate(lines):
        found = pattern.fullmatch(line.strip())
        if found and found.group(1) == "BEGIN" and open_at is None:
            open_at = i
        elif found and found.group(1) == "END" and open_at is not None:
            spans.append(Span(open_at, i))
            open_at = None
    return spans


def top(lines: list[str]) -> int:
    """Place a new block at the very top."""
    return 0


def end(lines: list[str]) -> int:
    """Place a new block at the end."""
    return len(lines)


def after_title(lines: list[str]) -> int:
    """Place a new block after the first Markdown ``# title`` (or at the top if none)."""
    for i, line in enumerate(lines[:20]):
        if line.startswith("# "):
            return i + 1
    return 0


def after_line(pattern: str) -> Placement:
    """Place a new block after the first line matching the regex ``pattern`` (else at the end)."""
    compiled = re.compile(pattern)

    def place(lines: list[str]) -> int:
        return next((i + 1 for i, line in enumerate(lines) if compiled.search(line)), len(lines))

    return place


def set_block(text: str, name: str, body: str, style: str, where: Path,
              place: Placement = top) -> str:
    """``text`` with block ``name`` holding ``body``: replaced in place, or inserted at ``place``.

    A new block is separated from neighbouring text by one blank line, so the result reads
    well and a second call finds the block and changes nothing.
    """
    if not _NAME.match(name):
        raise ValueError(f"bad block name {name!r}")
    trailing = text.endswith("\n") or not text
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    block = [marker(style, "BEGIN", name), *body.rstrip("\n").split("\n"),
             marker(style, "END", name)]
    span = find_block(lines, style, name, where)
    if span is not None:
        lines[span.begin:span.end + 1] = block
    else:
        at = place(lines)
        before = [""] if at > 0 and lines[at - 1].strip() else []
        after = [""] if at < len(lines) and lines[at].strip() else []
        lines[at:at] = [*before, *block, *after]
    return "\n".join(lines) + ("\n" if trailing else "")


def plan_block(path: Path, name: str, body: str, place: Placement = top,
               create: bool = False) -> FileWrite | None:
    """The write that puts block ``name`` into ``path`` (None: already as wanted)."""
    doc = read_doc(path)
    if not doc.exists and not create:
        raise InputError(f"{path}: not found; cannot add the aim block '{name}' to it")
    return planned_write(doc, set_block(doc.text, name, body, style_for(path), path, place))
