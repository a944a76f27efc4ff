"""Human and JSON output for the tasks: aligned tables, run summaries, plans."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from aim.redact import redact, redact_obj


def emit_json(data: Any, stream: TextIO | None = None) -> None:
    """Print ``data`` as JSON (redacted) — the ``--json`` output of every task."""
    print(json.dumps(redact_obj(data), indent=2, default=str), file=stream or sys.stdout)


def say(text: str = "", stream: TextIO | None = None) -> None:
    """Print one line of human output (redacted)."""
    print(redact(text), file=stream or sys.stdout)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """An aligned plain-text table."""
    cells = [[str(h) for h in headers], *[["" if c is None else str(c) for c in r] for r in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def human_size(size: int) -> str:
    """``size`` bytes as ``512 B``, ``1.5 KB``, ``12.0 MB``… (powers of 1024)."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{int(value)} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"
