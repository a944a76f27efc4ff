"""Reading the audit trail back: filtered events over every segment, newest last.

Speed comes from not parsing what cannot match.  Each segment is memory-mapped; when a type or
run filter is given, the exact bytes that field has in a line (``"run":"20261124-…"``) are
searched for (a fast substring scan in C) and only the lines holding them are parsed; when a
sample shows the value in most lines, whole chunks are split into lines instead.  A ``since``
bound is checked on the time stamp's fixed place in the raw line.  Candidates are parsed in
batches, as one JSON array.  With a ``limit`` the segments are read backwards from the end, so
"the newest N" stops after N matches.

Damaged lines (torn by a crash, edited) that a query reads are reported and skipped, never
fatal; a query does not read lines its filters exclude, so :func:`aim.audit.verify` is the
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
from itertools import islice
from pathlib import Path
from typing import Any

from aim.audit.format import TIME_SLICE, field_needle, since_stamp
from aim.audit.lines import Located, chunks, line_number, needle_lines, parse_many
from aim.audit.segments import segments
from aim.errors import InputError


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


SAMPLE = 1 << 20  # bytes looked at to guess how common a filter's match is
TORN = "torn last line (an interrupted write); skipped"
UNREADABLE = "unreadable line (not a complete audit event: torn or edited); skipped"


class _Scan:
    """One query's filters, applied to the lines of one segment after another."""

    def __init__(self, kind: str | None, run: str | None, since: date | datetime | None) -> None:
        needles = [field_needle(k, v) for k, v in (("run", run), ("type", kind)) if v is not None]
        self.needle = needles[0] if needles else None  # the run is usually the rarer one
        self.needles = needles
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
                if self.needle is not None and not _common(buf, size, self.needle, backward):
                    located = needle_lines(buf, size, self.needle, backward)
                else:
                    located = self._chunk_lines(buf, size, backward)
                candidates = (item for item in located if self._maybe(item[2]))
                while batch := list(islice(candidates, 256 if backward else 4096)):
                    parsed = parse_many([line for _, _, line in batch])
                    for (offset, index, _), event in zip(batch, parsed, strict=True):
                        if event is None:
                            where = line_number(buf, offset, index)
                            self.skipped.append(Skipped(path.name, where, UNREADABLE))
                        elif self._wanted(event):
                            yield event

    def _chunk_lines(self, buf: mmap.mmap, size: int, backward: bool) -> Iterator[Located]:
        """Every line (passing the time bound), split from big chunks rather than one by one."""
        at, to, bound = TIME_SLICE.start, TIME_SLICE.stop, self.since_raw
        for offset, chunk in chunks(buf, size, backward):
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
        self.skipped.append(Skipped(path.name, line_number(buf, start), TORN))
        return start

    def _maybe(self, line: bytes) -> bool:
        """The cheap tests on the raw bytes: could this line match at all?"""
        if not line or any(n not in line for n in self.needles):
            return False
        return self.since_raw is None or line[TIME_SLICE] >= self.since_raw

    def _wanted(self, event: dict[str, Any]) -> bool:
        """The exact tests on the parsed event (the bytes may have matched inside details)."""
        return ((self.kind is None or event.get("type") == self.kind)
                and (self.run is None or event.get("run") == self.run)
                and (self.since is None or str(event.get("time")) >= self.since))


def _common(buf: mmap.mmap, size: int, needle: bytes, backward: bool) -> bool:
    """True when a sample says ``needle`` is in over a fifth of the lines.

    Jumping from match to match costs more per line than splitting whole chunks into lines,
    and only pays when the matches are rare (a run, a rare type).
    """
    sample = buf[max(0, size - SAMPLE):size] if backward else buf[:min(size, SAMPLE)]
    return sample.count(needle) * 5 > sample.count(b"\n")


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
