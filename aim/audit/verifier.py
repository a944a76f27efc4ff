"""Proving the audit trail whole: every line's hash, and every link to the line before.

An edited line no longer matches its own hash; a deleted, inserted or moved line breaks the
``prev`` link of the line after it.  The first event must start a trail (``prev`` all zeros)
or continue from the anchor recorded when rotation dropped the oldest segment.  A line torn by
a crash (incomplete, no hash) is reported and skipped, as long as the chain runs on past it
unbroken; the events after the last one cannot be vouched for by the chain itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aim.audit.format import GENESIS, line_hash, links
from aim.audit.scan import TORN, UNREADABLE, Skipped
from aim.audit.segments import first_prev, read_anchor, segments


@dataclass(frozen=True)
class VerifyResult:
    """Whether the chain holds; if not, the first bad line: its file, number and why."""

    ok: bool
    events: int
    segments: tuple[str, ...]
    bad: Skipped | None = None
    skipped: tuple[Skipped, ...] = ()

    @property
    def message(self) -> str:
        """One line for humans: the verdict and, when broken, the line named."""
        if self.bad is not None:
            return f"audit trail broken at {self.bad}"
        return (f"audit trail intact: {self.events} event(s) in {len(self.segments)} "
                "file(s), hash chain verified")

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "events": self.events, "segments": list(self.segments),
                "bad": self.bad.to_dict() if self.bad else None,
                "skipped": [s.to_dict() for s in self.skipped]}


class _Chain:
    def __init__(self, starts: set[bytes] | None) -> None:
        self.starts = starts  # None: any start is fine (a rotation was interrupted)
        self.expected: bytes | None = None
        self.last = ("", 0)  # where the last good event is
        self.events = 0
        self.pending: list[Skipped] = []  # unreadable lines since the last good one
        self.skipped: list[Skipped] = []

    def feed(self, name: str, number: int, raw: bytes) -> Skipped | None:
        """Check one raw line; the problem if it breaks the chain."""
        parts = links(raw[:-1]) if raw.endswith(b"\n") else None
        if parts is not None and parts[0] == self.expected and not self.pending:
            self.expected, self.last = parts[1], (name, number)  # the common case, kept short
            self.events += 1
            return None
        return self._unusual(name, number, raw, parts)

    def _unusual(self, name: str, number: int, raw: bytes,
                 parts: tuple[bytes, bytes] | None) -> Skipped | None:
        if not raw.endswith(b"\n"):
            self.skipped.append(Skipped(name, number, TORN))
            return None
        if parts is None:
            if line_hash(raw[:-1]) is not None:
                return Skipped(name, number, "the line does not match its own hash: it was "
                                             "edited after it was written")
            self.pending.append(Skipped(name, number, UNREADABLE))
            return None
        problem = self._link(name, number, parts[0])
        if problem is not None:
            return problem
        self.skipped += self.pending
        self.pending = []
        self.expected, self.last = parts[1], (name, number)
        self.events += 1
        return None

    def _link(self, name: str, number: int, prev: bytes) -> Skipped | None:
        if self.expected is None:
            if self.starts is None or prev in self.starts:
                return None
            return Skipped(name, number, "the oldest event does not start the trail nor "
                                         "continue from the recorded anchor: older events "
                                         "were removed")
        if prev == self.expected:
            return None
        if self.pending:
            first = self.pending[0]
            return Skipped(first.segment, first.line, "unreadable line where an event was "
                                                      "(the chain does not continue past it): "
                                                      "it was edited or overwritten")
        where = f"{self.last[0]}:{self.last[1]}"
        return Skipped(name, number, f"does not follow the event before it ({where}): "
                                     "a line was deleted, inserted or moved here")


def verify(path: Path) -> VerifyResult:
    """Check the whole hash chain of the trail at ``path``, oldest segment first."""
    files = segments(Path(path))
    anchor = read_anchor(Path(path))
    later_starts = {first_prev(f) for f in files[1:]}
    interrupted = anchor != GENESIS and anchor in later_starts
    chain = _Chain(None if interrupted else {GENESIS.encode(), anchor.encode()})
    names = tuple(f.name for f in files)
    for file in files:
        name = file.name
        with open(file, "rb") as handle:
            for number, raw in enumerate(handle, 1):
                bad = chain.feed(name, number, raw)
                if bad is not None:
                    return VerifyResult(False, chain.events, names, bad, tuple(chain.skipped))
    skipped = tuple(chain.skipped + chain.pending)
    return VerifyResult(True, chain.events, names, None, skipped)
