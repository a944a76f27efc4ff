"""Reading the audit trail back: filtered events over every segment, newest last.

Speed comes from not parsing what cannot match.  Each segment is memory-mapped; when a type or
run filter is given, the exact bytes that field has in a line (``"run":"20261124-…"``) are
searched for (a fast substring scan in C) and only the lines holding them are parsed.  A
``since`` bound is checked on the time stamp's fixed place in the raw line.  With a ``limit``
the segments are read backwards from the end, so "the newest N" stops after N matches.

Damaged lines (torn by a crash, edited) that a query reads are reported and skipped, never
fatal; a query does not read lines its filters exclude, so :func:`aim.audit.verifier` is the
check that looks at every line.
"""

from __future__ import annotations

import gc
import mmap
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from aim.audit.format import TIME_SLICE, decode, field_needle, since_stamp
from aim.audit.segments import segments
from aim.errors import InputError

CHUNK = 8 << 20  # bytes split into lines at once


@dataclass(frozen=True)
class Skipped:
    """A line that was not an intact event: its file, 1-based line number and why."""

    segment: str
    line: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.segment}:{self.line}: {self.reason}"


@dataclass(frozen=True)
class QueryResult:
    """The matching events (oldest first, newest last) and the damaged lines met on the way."""

    events: tuple[dict[str, Any], ...]
    skipped: tuple[Skipped, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"events": list(self.events), "skipped": [s.to_dict() for s in self.skipped]}


TORN = "torn last line (an interrupted write); skipped"
UNREADABLE = "unreadable line (not a complete audit event: torn or edited); skipped"


# A located line: (offset of its chunk, index of the line in that chunk, the line's bytes).
Located = tuple[int, int, bytes]


def _needle_lines(buf: mmap.mmap, size: int, needle: bytes, backward: bool
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


def _chunks(buf: mmap.mmap, size: int, backward: bool) -> Iterator[tuple[int, bytes]]:
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
    end = size
    while end > 0:
        start = buf.rfind(b"\n", 0, end - CHUNK) + 1 if end > CHUNK else 0
        yield start, buf[start:end]
        end = start


def _line_number(buf: mmap.mmap, offset: int, index: int = 0) -> int:
    return buf[:offset].count(b"\n") + index + 1


class _Scan:
    """One query's filters, applied to the lines of one segment after another."""

    def __init__(self, kind: str | None, run: str | None, since: date | datetime | None) -> None:
        needles = [field_needle(k, v) for k, v in (("run", run), ("type", kind)) if v is not None]
        self.needle = needles[0] if needles else None  # the run is usually the rarer one
        self.others = needles[1:]
        self.kind, self.run = kind, run
        self.since = since_stamp(since) if since is not None else None
        self.since_raw = self.since.encode("ascii") if self.since else None
        self.skipped: list[Skipped] = []

    def events(self, path: Path, backward: bool) -> Iterator[dict[str, Any]]:
        """The matching events of the segment at ``path``, in file order or reversed."""
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size == 0:
                return
            with mmap.mmap(handle.fileno(), size, access=mmap.ACCESS_READ) as buf:
                size = self._trim_torn(path, buf, size)
                if self.needle is not None:
                    located = _needle_lines(buf, size, self.needle, backward)
                else:
                    located = self._chunk_lines(buf, size, backward)
                for offset, index, line in located:
                    event, bad = self._match(line)
                    if bad:
                        where = _line_number(buf, offset, index)
                        self.skipped.append(Skipped(path.name, where, UNREADABLE))
                    elif event is not None:
                        yield event

    def _chunk_lines(self, buf: mmap.mmap, size: int, backward: bool) -> Iterator[Located]:
        """Every line (passing the time bound), split from big chunks rather than one by one."""
        at, to, bound = TIME_SLICE.start, TIME_SLICE.stop, self.since_raw
        for offset, chunk in _chunks(buf, size, backward):
            lines = chunk.split(b"\n")
            lines.pop()  # the empty piece after the final newline
            if bound is None:
                picked = list(enumerate(lines))
            else:  # the cheapest test first: the time stamp's fixed place in the raw line
                picked = [(i, line) for i, line in enumerate(lines) if line[at:to] >= bound]
            for index, line in reversed(picked) if backward else picked:
                yield offset, index, line

    def _trim_torn(self, path: Path, buf: mmap.mmap, size: int) -> int:
        if buf[size - 1:size] == b"\n":
            return size
        start = buf.rfind(b"\n", 0, size) + 1
        self.skipped.append(Skipped(path.name, _line_number(buf, start), TORN))
        return start

    def _match(self, line: bytes) -> tuple[dict[str, Any] | None, bool]:
        """The event if ``line`` matches every filter, and whether the line is damaged."""
        if not line or any(n not in line for n in self.others):
            return None, False
        if self.since_raw is not None and line[TIME_SLICE] < self.since_raw:
            return None, False
        event = decode(line)
        if event is None:
            return None, True
        if ((self.kind is not None and event.get("type") != self.kind)
                or (self.run is not None and event.get("run") != self.run)
                or (self.since is not None and str(event.get("time")) < self.since)):
            return None, False  # the bytes matched inside details, not the field itself
        return event, False


def query(path: Path, type: str | None = None, since: date | datetime | None = None,
          run: str | None = None, limit: int | None = None) -> QueryResult:
    """Events of the trail at ``path`` (all segments) matching every filter given, newest last.

    ``since`` is a date (from its midnight UTC) or a datetime (naive means UTC); ``limit`` keeps
    the newest N.  Damaged lines met are listed in ``skipped``.
    """
    if limit is not None and limit < 0:
        raise InputError(f"--limit {limit}: give a number of events, 0 or more")
    scan = _Scan(type, run, since)
    files = segments(Path(path))
    with _collector_paused():
        if limit is None:
            found = [e for f in files for e in scan.events(f, backward=False)]
        else:
            found = _newest(scan.events, files, limit)
    return QueryResult(tuple(found), tuple(scan.skipped))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while events pile up.

    A large result is millions of fresh dicts; the collector would walk them again and again
    looking for cycles that parsed JSON cannot contain (this makes big queries ~3x faster).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _newest(events: Callable[[Path, bool], Iterator[dict[str, Any]]], files: list[Path],
            limit: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path in reversed(files):
        if len(found) >= limit:
            break
        for event in events(path, True):
            found.append(event)
            if len(found) >= limit:
                break
    found.reverse()
    return found


def parse_since(text: str) -> date | datetime:
    """``--since`` as a date (``2026-11-24``) or a datetime (``2026-11-24T10:00``, ``…Z``,
    ``…+02:00``; no offset means UTC).  InputError says how to write it."""
    value = text.strip()
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        moment = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    except ValueError:
        raise InputError(f"--since {text!r}: not a date or time; write it as YYYY-MM-DD or "
                         "YYYY-MM-DDTHH:MM[:SS] (UTC unless an offset such as +02:00 or Z "
                         "is given)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
