"""The files of one audit trail: the live file, its rotated segments and the anchor.

``audit.jsonl`` is the live file; rotation renames it to ``audit.1.jsonl`` (the previous
``audit.1`` becomes ``audit.2`` and so on) and drops segments beyond ``keep``.  Before a segment
is dropped, the ``prev`` of the first event that remains is recorded in ``audit.anchor.json``,
so that verify can tell "the oldest events were rotated away" from "lines were deleted".
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path

from aim.audit.format import GENESIS, line_prev
from aim.fsio import atomic_write_json, fsync_dir

FILE_MODE = 0o600
DIR_MODE = 0o700


def segment_path(live: Path, number: int) -> Path:
    """``audit.N.jsonl`` beside ``audit.jsonl`` (0 is the live file itself)."""
    return live if number == 0 else live.with_name(f"{live.stem}.{number}{live.suffix}")


def lock_path(live: Path) -> Path:
    """The file whose OS lock every writer of the trail holds (``audit.lock``; never rotated)."""
    return live.with_name(f"{live.stem}.lock")


def anchor_path(live: Path) -> Path:
    """Where the anchor of the oldest kept segment is recorded."""
    return live.with_name(f"{live.stem}.anchor.json")


def numbered(live: Path) -> list[tuple[int, Path]]:
    """The existing files of the trail as ``(number, path)``, newest (the live file) first."""
    pattern = re.compile(rf"^{re.escape(live.stem)}\.([1-9][0-9]*){re.escape(live.suffix)}$")
    found = [(0, live)] if live.exists() else []
    if live.parent.is_dir():
        for entry in os.scandir(live.parent):
            match = pattern.match(entry.name)
            if match:
                found.append((int(match.group(1)), Path(entry.path)))
    return sorted(found)


def segments(live: Path) -> list[Path]:
    """The trail's files, oldest first (the live file last)."""
    return [path for _, path in reversed(numbered(live))]


def read_anchor(live: Path) -> str:
    """The ``prev`` the oldest kept event must have (GENESIS when nothing was ever dropped)."""
    try:
        data = json.loads(anchor_path(live).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return GENESIS
    prev = data.get("prev") if isinstance(data, dict) else None
    return prev if isinstance(prev, str) and len(prev) == 64 else GENESIS


def first_prev(path: Path) -> str | None:
    """The ``prev`` of the first line of ``path`` (None when it has no readable first line)."""
    with contextlib.suppress(OSError), open(path, "rb") as handle:
        return line_prev(handle.readline().rstrip(b"\n"))
    return None


def rotate(live: Path, keep: int) -> None:
    """Shift the live file to ``audit.1.jsonl`` and onwards; drop what lies beyond ``keep``.

    Files are renamed oldest first, so a crash in the middle leaves a gap in the numbers at
    worst, never two segments on one name; the next rotation closes the gap.
    """
    files = [path for _, path in numbered(live)]
    kept, dropped = files[:keep], files[keep:]
    if dropped and kept:
        anchor = first_prev(kept[-1])
        if anchor is not None:
            # written before anything is removed: a crash then leaves one segment too many,
            # which verify accepts, rather than a trail whose start it cannot explain
            atomic_write_json(anchor_path(live), {"v": 1, "prev": anchor}, FILE_MODE)
    for path in dropped:
        path.unlink()
    for number in range(len(kept) - 1, -1, -1):
        target = segment_path(live, number + 1)
        if kept[number] != target:
            os.replace(kept[number], target)
    fsync_dir(live.parent)


def make_parent(live: Path) -> None:
    """Create the trail's folder with mode 0700 when it does not exist yet."""
    if not live.parent.is_dir():
        live.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(live.parent, DIR_MODE)
