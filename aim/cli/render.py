"""Human and JSON output for the tasks: aligned tables, run summaries, plans.

Output never stops a task: when the reader goes away (``aim deploy | head``), the rest of the
output is dropped and the task goes on — a run finishes or rolls back, and its exit code says
which.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from aim.redact import redact, redact_obj


def emit_json(data: Any, stream: TextIO | None = None) -> None:
    """Print ``data`` as JSON (redacted) — the ``--json`` output of every task."""
    _write(json.dumps(redact_obj(data), indent=2, default=str), stream)


def say(text: str = "", stream: TextIO | None = None) -> None:
    """Print one line of human output (redacted)."""
    _write(redact(text), stream)


def _write(text: str, stream: TextIO | None) -> None:
    """Print and flush (so a closed reader is found now, not at exit); a stream whose reader
    went away is pointed at /dev/null, and the rest of the output goes there."""
    out = stream or sys.stdout
    try:
        print(text, file=out, flush=True)
    except BrokenPipeError:
        silence(out)


def silence(stream: TextIO) -> None:
    """Point ``stream`` at /dev/null, so that nothing written to it later can fail again (not
    even the interpreter's last flush, which would turn the exit code into 120)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError):  # not a real file (a test's StringIO): nothing to point
        pass
    finally:
        os.close(devnull)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """An aligned plain-text table."""
    cells = [[str(h) for h in headers], *[["" if c is None else str(c) for c in r] for r in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
