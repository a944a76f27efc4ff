"""Human and JSON output for the tasks: aligned tables, run summaries, plans.

Output never stops a task: when the reader goes away (``aim deploy | head``), the rest of the
output is dropped and the task goes on — a run finishes or rolls back, and its exit code says
which.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from aim.cli import live
from aim.cli.handler import silence_stdout
from aim.redact import redact, redact_obj


def emit_json(data: Any, stream: TextIO | None = None) -> None:
    """Print ``data`` as JSON (redacted) — the ``--json`` output of every task."""
    _write(json.dumps(redact_obj(data), indent=2, default=str), stream)


def say(text: str = "", stream: TextIO | None = None) -> None:
    """Print one line of human output (redacted)."""
    _write(redact(text), stream)


def _write(text: str, stream: TextIO | None) -> None:
    """Print and flush (so a closed reader is found now, not at exit); once stdout's reader
    has gone, stdout points at /dev/null and the rest of the output goes there."""
    out = stream or sys.stdout
    try:
        line = live.current()
        if line is not None and out is sys.stdout:
            line.above(text)
        else:
            print(text, file=out, flush=True)
    except BrokenPipeError:
        if out is sys.stdout:
            silence_stdout()


MIN_COLUMN = 12  # a column is never narrowed below this (or its natural width)
GAP = 2


def terminal_width(stream: TextIO | None = None) -> int | None:
    """The width tables must fit: ``COLUMNS`` when set, else the terminal's; None when the
    output is not a terminal (a file or a pipe gets whole lines)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    stream = stream or sys.stdout
    try:
        return shutil.get_terminal_size().columns if stream.isatty() else None
    except (AttributeError, ValueError, OSError):
        return None


def _fitted(widths: list[int], limit: int | None) -> list[int]:
    """Column widths that fit ``limit``, narrowing the widest columns first."""
    widths = list(widths)
    if limit is None:
        return widths
    excess = sum(widths) + GAP * (len(widths) - 1) - limit
    while excess > 0:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= MIN_COLUMN:
            break
        widths[widest] -= 1
        excess -= 1
    return widths


def _wrapped(cell: str, width: int) -> list[str]:
    if len(cell) <= width:
        return [cell]
    return textwrap.wrap(cell, width, break_on_hyphens=False) or [""]


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]],
          width: int | None = None) -> str:
    """An aligned plain-text table; on a terminal (or with ``width``) long cells wrap within
    their column so that every line fits (``--json`` output is never shortened)."""
    shape = Columns(headers, rows, width)
    return "\n".join([shape.heading(), *(shape.row(r, wrap=True) for r in rows)])


class Columns:
    """The column widths of a table, fixed from its header and the rows known up front.

    :func:`table` knows every row; a stream of rows (``aim audit``) fixes the widths from its
    first rows and prints the others line by line: a later, longer cell wraps within its
    column on a terminal and runs on past it in a file or a pipe (whole lines there).
    """

    def __init__(self, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                 width: int | None = None) -> None:
        self.headers = [str(h) for h in headers]
        cells = [self.headers, *[_cells(r) for r in rows]]
        natural = [max(len(row[i]) for row in cells) for i in range(len(headers))]
        self.limit = width if width is not None else terminal_width()
        self.widths = _fitted(natural, self.limit)
        # every column padded to its width but the last (a longer cell runs on past it)
        self._line = (" " * GAP).join([*(f"%-{w}s" for w in self.widths[:-1]), "%s"])

    def heading(self) -> str:
        """The header line(s) and the rule under them."""
        rule = (" " * GAP).join("-" * w for w in self.widths)
        return self.row(self.headers, wrap=True) + "\n" + rule

    @property
    def wraps(self) -> bool:
        """True when rows are wrapped to fit (on a terminal, or a width was given)."""
        return self.limit is not None

    def line(self, cells: Sequence[str]) -> str:
        """A row of strings on one line, a longer cell running on past its column (the fast
        way for many rows where nothing wraps)."""
        return (self._line % tuple(cells)).rstrip()

    def lines(self, rows: Iterable[tuple[str, ...]]) -> str:
        """Rows of strings, each as :meth:`line` makes it, joined by newlines."""
        shape = self._line
        return "\n".join([(shape % row).rstrip() for row in rows])

    def row(self, row: Sequence[Any], wrap: bool | None = None) -> str:
        """One row as aligned line(s); ``wrap`` defaults to "on a terminal"."""
        cells = _cells(row)
        wrapping = self.wraps if wrap is None else wrap
        if not wrapping or all(len(c) <= w for c, w in zip(cells, self.widths, strict=True)):
            return self.line(cells)  # one line: the common case
        parts = [_wrapped(c, w) for c, w in zip(cells, self.widths, strict=True)]
        lines = []
        for depth in range(max(len(part) for part in parts)):
            line = [(part[depth] if depth < len(part) else "").ljust(w)
                    for part, w in zip(parts, self.widths, strict=True)]
            lines.append((" " * GAP).join(line).rstrip())
        return "\n".join(lines)


def _cells(row: Sequence[Any]) -> list[str]:
    return ["" if c is None else str(c) for c in row]


def write_block(text: str) -> bool:
    """Print a piece of a stream's output (redacted; the caller ends its lines) and flush;
    False once stdout's reader has gone (the caller stops; stdout then points at
    /dev/null)."""
    try:
        sys.stdout.write(redact(text))
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        return False
    return True


def human_size(size: int) -> str:
    """``size`` bytes as ``512 B``, ``1.5 KB``, ``12.0 MB``… (powers of 1024)."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{int(value)} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"
