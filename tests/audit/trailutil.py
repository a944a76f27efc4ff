"""Building audit trails with a controllable clock, and editing their files like a tamperer."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from aim.audit import AuditLog

START = datetime(2026, 3, 1, tzinfo=timezone.utc)


class Clock:
    """A clock that moves one hour forward on every reading."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        moment = self.now
        self.now += timedelta(hours=1)
        return moment


def make_trail(path: Path, count: int, **options: int) -> AuditLog:
    """A trail of ``count`` events: runs r0..r2 in turn, kinds step/run alternating."""
    log = AuditLog(path, actor="dev@box", clock=Clock(), **options)
    for i in range(count):
        log.append("step" if i % 2 else "run", run_id=f"r{i % 3}", details={"i": i})
    return log


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def rewrite(path: Path, new_lines: list[bytes]) -> None:
    path.write_bytes(b"".join(new_lines))


def bulk_trail(path: Path, count: int, kind: str = "step",
               start: datetime = START, step: timedelta = timedelta(seconds=1)) -> None:
    """A valid hash-chained trail of ``count`` events written at once (no fsync per line):
    event i at ``start + i * step``, run ``r<i // 100>``, details ``{"i": i}``."""
    from aim.audit.format import GENESIS, encode, utc_stamp

    prev, out = GENESIS, []
    for i in range(count):
        event = {"v": 1, "time": utc_stamp(start + i * step), "type": kind,
                 "run": f"r{i // 100}", "actor": "dev@box", "details": {"i": i}}
        line, prev = encode(event, prev)
        out.append(line)
    path.write_bytes(b"".join(out))
