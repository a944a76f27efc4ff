"""Reading the audit trail back: filtered events over every segment, newest last, as a stream.

:func:`stream` produces the matching events lazily, batch by batch, as the segments are read
(:mod:`aim.audit.scan`), so a query over millions of events holds one batch at a time and its
first events can be shown before the last segment is read.  :func:`query` collects them.  With
a ``limit`` the segments are read backwards from the end, so "the newest N" stops after N
matches (and holds those N).

Damaged lines (torn by a crash, edited) that a query reads are reported and skipped, never
fatal; a query does not read lines its filters exclude, so :func:`aim.audit.verify` is the
check that looks at every line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from aim.audit.lines import collector_paused
from aim.audit.scan import TORN, UNREADABLE, Found, Scan, Skipped
from aim.audit.segments import segments
from aim.errors import InputError

__all__ = ["TORN", "UNREADABLE", "EventStream", "QueryResult", "Skipped", "parse_since",
           "query", "stream"]


@dataclass(frozen=True)
class QueryResult:
    """The matching events (oldest first, newest last) and the damaged lines met on the way."""

    events: tuple[dict[str, Any], ...]
    skipped: tuple[Skipped, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"events": list(self.events), "skipped": [s.to_dict() for s in self.skipped]}


class EventStream:
    """The events of one query, oldest first, produced as the trail is read.

    Iterate it once; ``skipped`` holds the damaged lines met so far (all of them once the
    iteration is over).
    """

    def __init__(self, path: Path, scan: Scan, limit: int | None) -> None:
        self._path, self._scan, self._limit = Path(path), scan, limit

    @property
    def skipped(self) -> tuple[Skipped, ...]:
        """The damaged lines read so far, in reading order."""
        return tuple(self._scan.skipped)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for batch in self.found():
            for event, _line in batch:
                yield event

    def found(self) -> Iterator[list[Found]]:
        """The matches in batches, each event with its line as written (the exact JSON)."""
        files = segments(self._path)
        if self._limit is None:
            for path in files:
                yield from self._scan.batches(path, backward=False)
        elif self._limit > 0 and (newest := self._newest(files, self._limit)):
            yield newest  # never an empty batch, as the forward scan never gives one

    def _newest(self, files: list[Path], limit: int) -> list[Found]:
        found: list[Found] = []
        for path in reversed(files):
            for batch in self._scan.batches(path, backward=True):
                found += batch[:limit - len(found)]
                if len(found) >= limit:
                    found.reverse()
                    return found
        found.reverse()
        return found


def stream(path: Path, type: str | None = None, since: date | datetime | None = None,
           run: str | None = None, limit: int | None = None) -> EventStream:
    """Events of the trail at ``path`` (all segments) matching every filter given, oldest
    first, produced lazily as the trail is read.

    ``since`` is a date (from its midnight UTC) or a datetime (naive means UTC); ``limit`` keeps
    the newest N.  A negative limit is an InputError, raised here rather than on iteration.
    """
    if limit is not None and limit < 0:
        raise InputError(f"--limit {limit}: give a number of events, 0 or more")
    return EventStream(Path(path), Scan(type, run, since), limit)


def query(path: Path, type: str | None = None, since: date | datetime | None = None,
          run: str | None = None, limit: int | None = None) -> QueryResult:
    """:func:`stream`'s events collected (newest last), with the damaged lines met."""
    events = stream(path, type=type, since=since, run=run, limit=limit)
    with collector_paused():
        found = tuple(events)
    return QueryResult(found, events.skipped)


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
