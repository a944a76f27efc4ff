"""One query's pass over the segments: the cheap byte tests, then parsing in batches.

Speed comes from not parsing what cannot match.  When a type or run filter is given, the exact
bytes that field has in a line (``"run":"20261124-…"``) must be in it; when a sample of a
piece shows them in few lines, a fast substring search (in C) jumps from one to the next,
otherwise the piece is split into lines.  A ``since`` bound is checked on the time stamp's
fixed place in the raw line, and a bisection finds where it starts (:mod:`aim.audit.seek`).
Candidates are parsed in batches, as one JSON array.  Memory stays within one piece
(:data:`aim.audit.lines.CHUNK`) and one batch, whatever the size of the trail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, cast

from aim.audit.format import TIME_SLICE, field_needle, since_moment, since_stamp, utc_stamp
from aim.audit.lines import chunks, line_number, needle_lines, parse_many
from aim.audit.seek import SLACK, start_offset

SAMPLE = 1 << 20  # bytes of a piece looked at to guess how common a filter's match is
FORWARD_BATCH = 4096  # lines parsed at once
BACKWARD_BATCH = 256  # fewer when reading back for "the newest N", which may need few
TORN = "torn last line (an interrupted write); skipped"
UNREADABLE = "unreadable line (not a complete audit event: torn or edited); skipped"

# A matching event and its line as written (the compact JSON of the event, without newline).
Found = tuple[dict[str, Any], bytes]


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


def _seek_bound(since: date | datetime) -> bytes:
    """The raw stamp the bisection looks for: ``since`` moved back by :data:`SLACK`."""
    try:
        return utc_stamp(since_moment(since) - SLACK).encode("ascii")
    except OverflowError:  # a bound near the year 1: everything is later
        return b""


@dataclass(frozen=True)
class Picked:
    """The lines of a piece that passed the byte tests: ``places[n]`` is the index of
    ``lines[n]`` among the piece's lines (the piece starts at ``base``), or its own offset in
    the file when ``base`` is -1."""

    base: int
    places: list[int]
    lines: list[bytes]

    def line_number(self, handle: IO[bytes], n: int) -> int:
        """The 1-based line number of ``lines[n]`` in the file (counted: for damage only)."""
        if self.base < 0:
            return line_number(handle, self.places[n])
        return line_number(handle, self.base, self.places[n])


class Scan:
    """One query's filters, applied to the lines of one segment after another."""

    def __init__(self, kind: str | None, run: str | None, since: date | datetime | None) -> None:
        self.needles = [field_needle(k, v) for k, v in (("run", run), ("type", kind))
                        if v is not None]  # the run first: it is usually the rarer one
        self.kind, self.run = kind, run
        self.since = since_stamp(since) if since is not None else None
        self.since_raw = self.since.encode("ascii") if self.since else None
        self.seek_raw = _seek_bound(since) if since is not None else None
        self.skipped: list[Skipped] = []

    def batches(self, path: Path, backward: bool) -> Iterator[list[Found]]:
        """The matching events of the segment at ``path``, in file order or reversed."""
        try:
            handle = open(path, "rb")  # noqa: SIM115 - closed by the ``with`` below
        except FileNotFoundError:  # rotated away since the segments were listed
            return
        with handle:
            end = self._trim_torn(path, handle, os.fstat(handle.fileno()).st_size)
            start = start_offset(handle, end, self.seek_raw) if self.seek_raw else 0
            for offset, piece in chunks(handle, start, end, backward):
                picked = self._picked(offset, piece, backward)
                yield from self._parsed(path, handle, picked, backward)

    def _picked(self, offset: int, piece: bytes, backward: bool) -> Picked:
        """The lines of ``piece`` that pass the cheap byte tests, in reading order."""
        needle = self.needles[0] if self.needles else None
        if needle is not None and piece.count(needle, 0, SAMPLE) * 5 <= piece.count(
                b"\n", 0, SAMPLE):  # rare: jump from match to match
            hits = [(offset + at, line) for at, line in needle_lines(piece, needle, backward)
                    if self._maybe(line)]
            return Picked(-1, [at for at, _ in hits], [line for _, line in hits])
        lines = piece.split(b"\n")
        lines.pop()  # the empty piece after the final newline
        if needle is None and self.since_raw is None:
            places = [i for i, line in enumerate(lines) if line]
        elif needle is not None and len(self.needles) == 1 and self.since_raw is None:
            # one filter and no time bound (the usual query): the test written inline
            places = [i for i, line in enumerate(lines) if needle in line]
        else:
            places = [i for i, line in enumerate(lines) if self._maybe(line)]
        if backward:
            places.reverse()
        return Picked(offset, places, [lines[i] for i in places])

    def _parsed(self, path: Path, handle: IO[bytes], picked: Picked,
                backward: bool) -> Iterator[list[Found]]:
        size = BACKWARD_BATCH if backward else FORWARD_BATCH
        kind, run, since = self.kind, self.run, self.since
        for first in range(0, len(picked.lines), size):
            lines = picked.lines[first:first + size]
            parsed = parse_many(lines)
            if not backward and None not in parsed:  # the usual batch: the tests inline
                events = cast(list[dict[str, Any]], parsed)
                found = [(event, line) for event, line in zip(events, lines, strict=True)
                         if (kind is None or event.get("type") == kind)
                         and (run is None or event.get("run") == run)
                         and (since is None or str(event.get("time")) >= since)]
                if found:
                    yield found
                continue
            yield from self._one_by_one(path, handle, picked, first, parsed, backward)

    def _one_by_one(self, path: Path, handle: IO[bytes], picked: Picked, first: int,
                    parsed: list[dict[str, Any] | None], backward: bool) -> Iterator[list[Found]]:
        """A batch with damaged lines (reported where they are), or read backwards (each
        match given at once: "the newest N" may stop there, older damage unread)."""
        found: list[Found] = []
        for number, event in enumerate(parsed, first):
            if event is None:
                where = picked.line_number(handle, number)
                self.skipped.append(Skipped(path.name, where, UNREADABLE))
            elif self._wanted(event):
                found.append((event, picked.lines[number]))
                if backward:
                    yield found
                    found = []
        if found:
            yield found

    def _trim_torn(self, path: Path, handle: IO[bytes], size: int) -> int:
        """Where the intact lines end: before a torn last line (which is reported)."""
        if size == 0:
            return 0
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return size
        window = 1 << 16
        while True:
            low = max(0, size - window)
            handle.seek(low)
            cut = handle.read(size - low).rfind(b"\n")
            if cut >= 0 or low == 0:
                start = low + cut + 1
                break
            window *= 4
        self.skipped.append(Skipped(path.name, line_number(handle, start), TORN))
        return start

    def _maybe(self, line: bytes) -> bool:
        """The cheap tests on the raw bytes: could this line match at all?"""
        if not line or any(n not in line for n in self.needles):
            return False
        return self.since_raw is None or line[TIME_SLICE] >= self.since_raw

    def _wanted(self, event: dict[str, Any]) -> bool:
        """The exact tests on the parsed event (the bytes may have matched inside details;
        :meth:`_parsed` writes the same tests inline for whole batches)."""
        return ((self.kind is None or event.get("type") == self.kind)
                and (self.run is None or event.get("run") == self.run)
                and (self.since is None or str(event.get("time")) >= self.since))
