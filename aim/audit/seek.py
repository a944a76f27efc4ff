"""Finding where ``--since`` starts in a segment without reading what comes before it.

Events are appended in time order, so a bisection over the file's bytes finds the first line
at or after a time in a few dozen short reads.  Time stamps are taken just before a writer
gets the trail's lock, so two writers can put theirs a little out of order; the search aims
:data:`SLACK` earlier than asked, and every line read afterwards is still checked against the
exact bound.  A line whose time cannot be read counts as "late enough": the search then
starts earlier, which costs reading, never an event.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import IO

from aim.audit.format import TIME_SLICE

SLACK = timedelta(hours=1)
_STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


def _first_stamp_from(handle: IO[bytes], pos: int, end: int) -> bytes | None:
    """The time stamp of the first line starting at or after ``pos`` (before ``end``);
    ``b"~"`` (later than any time) when no line starts there, None when it is unreadable."""
    if pos > 0:
        handle.seek(pos - 1)
        handle.readline()  # the rest of the line around pos (only its newline at a start)
    else:
        handle.seek(0)
    if handle.tell() >= end:
        return b"~"
    stamp = handle.readline()[TIME_SLICE]
    return stamp if _STAMP.fullmatch(stamp) else None


def _line_start_from(handle: IO[bytes], pos: int) -> int:
    if pos == 0:
        return 0
    handle.seek(pos - 1)
    handle.readline()
    return handle.tell()


def start_offset(handle: IO[bytes], end: int, bound: bytes) -> int:
    """The offset of the first line of ``handle[:end]`` whose time is at or after ``bound``
    (a raw stamp, already moved back by :data:`SLACK`); ``end`` when every line is older."""
    low, high = 0, end
    while low < high:
        middle = (low + high) // 2
        stamp = _first_stamp_from(handle, middle, end)
        if stamp is None or stamp >= bound:
            high = middle
        else:
            low = middle + 1
    return min(_line_start_from(handle, low), end)
