"""Finding lines in a memory-mapped audit segment, and parsing many of them at once."""

from __future__ import annotations

import json
import mmap
from collections.abc import Iterator
from typing import Any

from aim.audit.format import decode, is_event

CHUNK = 8 << 20  # bytes split into lines at once
FIRST_CHUNK = 64 << 10  # the first piece read backwards from the end

# A located line: (offset of its chunk, index of the line in that chunk, the line's bytes).
Located = tuple[int, int, bytes]


def needle_lines(buf: mmap.mmap, size: int, needle: bytes, backward: bool
                  ) -> Iterator[Located]:
    """The lines holding ``needle``: a C-speed substring search jumps from one to the next."""
    pos, limit = 0, size
    while pos < limit:
        hit = buf.rfind(needle, pos, limit) if backward else buf.find(needle, pos, limit)
        if hit < 0:
            return
        start = buf.rfind(b"\n", 0, hit) + 1
        end = buf.find(b"\n", hit, size)
        end = size if end < 0 else end
        yield start, 0, buf[start:end]
        if backward:
            limit = start
        else:
            pos = end + 1


def chunks(buf: mmap.mmap, size: int, backward: bool) -> Iterator[tuple[int, bytes]]:
    """``buf[:size]`` (which ends with a newline) as big pieces of whole lines."""
    if not backward:
        pos = 0
        while pos < size:
            end = size
            if pos + CHUNK < size:
                cut = buf.rfind(b"\n", pos, pos + CHUNK)
                end = cut + 1 if cut >= 0 else buf.find(b"\n", pos + CHUNK, size) + 1
            yield pos, buf[pos:end]
            pos = end
        return
    end, step = size, min(FIRST_CHUNK, CHUNK)  # small first: "the newest N" needs little
    while end > 0:
        start = buf.rfind(b"\n", 0, end - step) + 1 if end > step else 0
        yield start, buf[start:end]
        end, step = start, min(step * 4, CHUNK)


def line_number(buf: mmap.mmap, offset: int, index: int = 0) -> int:
    return buf[:offset].count(b"\n") + index + 1


def parse_many(lines: list[bytes]) -> list[dict[str, Any] | None]:
    """The events of ``lines`` (None for a damaged one), parsed as one JSON array if they can be.

    One call for thousands of lines is much faster than one call per line; when any line is
    damaged (the array does not parse, or parses to another count), each is parsed alone.
    """
    try:
        parsed = json.loads(b"[" + b",".join(lines) + b"]")
    except (ValueError, RecursionError):  # RecursionError: a line nested too deep
        parsed = None
    if not isinstance(parsed, list) or len(parsed) != len(lines):
        return [decode(line) for line in lines]
    return [item if is_event(item) else None for item in parsed]
