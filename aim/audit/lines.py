"""Reading an audit segment as pieces of whole lines, and parsing many lines at once.

Segments are read with plain reads of a few megabytes, not memory-mapped: the pages of a
mapping that was read once stay in the process's resident memory until it is unmapped, so a
query over a large trail would hold the whole file; a read buffer is reused.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from aim.audit.format import REQUIRED, decode

CHUNK = 2 << 20  # bytes split into lines at once (memory: a few times this)
FIRST_CHUNK = 64 << 10  # the first piece read backwards from the end


def needle_lines(buf: bytes, needle: bytes, backward: bool) -> Iterator[tuple[int, bytes]]:
    """The lines of ``buf`` (whole lines) holding ``needle``, with their offsets in ``buf``:
    a C-speed substring search jumps from one to the next."""
    pos, limit, size = 0, len(buf), len(buf)
    while pos < limit:
        hit = buf.rfind(needle, pos, limit) if backward else buf.find(needle, pos, limit)
        if hit < 0:
            return
        start = buf.rfind(b"\n", 0, hit) + 1
        end = buf.find(b"\n", hit, size)
        end = size if end < 0 else end
        yield start, buf[start:end]
        if backward:
            limit = start
        else:
            pos = end + 1


def chunks(handle: IO[bytes], start: int, end: int, backward: bool
           ) -> Iterator[tuple[int, bytes]]:
    """The bytes ``start:end`` of ``handle`` (``start`` begins a line, ``end`` follows a
    newline) as ``(offset, piece)``, each piece whole lines."""
    if backward:
        yield from _backward(handle, start, end)
        return
    handle.seek(start)
    pos, carry = start, b""
    while pos < end:
        data = handle.read(min(CHUNK, end - pos))
        if not data:
            return
        pos += len(data)
        data = carry + data if carry else data
        cut = len(data) if pos >= end else data.rfind(b"\n") + 1
        if cut:  # no newline at all: a line longer than a chunk, read on
            yield pos - len(data), data[:cut]
        carry = data[cut:]


def _backward(handle: IO[bytes], start: int, end: int) -> Iterator[tuple[int, bytes]]:
    step = min(FIRST_CHUNK, CHUNK)  # small first: "the newest N" needs little
    while end > start:
        low = max(start, end - step)
        handle.seek(low)
        data = handle.read(end - low)
        if low > start:
            # what comes before the first newline belongs to a line begun earlier (the last
            # byte is a newline too: it ends the last line, it does not begin one)
            cut = data.find(b"\n", 0, len(data) - 1) + 1
            if cut == 0:
                step *= 4  # a line longer than the window: widen it
                continue
            data, low = data[cut:], low + cut
        yield low, data
        end, step = low, min(step * 4, CHUNK)


def line_number(handle: IO[bytes], offset: int, index: int = 0) -> int:
    """The 1-based number of the line ``index`` lines after the one starting at ``offset``
    (the file position is left where it was: a forward read goes on from it)."""
    here = handle.tell()
    handle.seek(0)
    count, left = 0, offset
    while left > 0:
        data = handle.read(min(CHUNK, left))
        if not data:
            break
        count += data.count(b"\n")
        left -= len(data)
    handle.seek(here)
    return count + index + 1


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while parsed events pile up.

    Parsing a batch makes thousands of fresh dicts at once; the collector would walk them
    again and again looking for cycles that parsed JSON cannot contain (parsing a batch takes
    half the time without it, and a large query collected in a list three times less).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_many(lines: list[bytes]) -> list[dict[str, Any] | None]:
    """The events of ``lines`` (None for a damaged one), parsed as one JSON array if they can be.

    One call for thousands of lines is much faster than one call per line; when any line is
    damaged (the array does not parse, or parses to another count), each is parsed alone.
    """
    try:
        with collector_paused():
            parsed = json.loads(b"[" + b",".join(lines) + b"]")
    except (ValueError, RecursionError):  # RecursionError: a line nested too deep
        parsed = None
    if not isinstance(parsed, list) or len(parsed) != len(lines):
        return [decode(line) for line in lines]
    return [item if type(item) is dict and item.keys() >= REQUIRED else None  # is_event, inline
            for item in parsed]
