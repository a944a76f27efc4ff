"""stream: events produced as the trail is read; --since found by bisection, not by reading."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from aim.audit import QueryResult, query, stream
from aim.audit import lines as lines_module
from aim.audit.format import GENESIS, encode, utc_stamp
from tests.audit.trailutil import START, bulk_trail, lines, rewrite


def _numbers(found: QueryResult | Iterator[dict[str, Any]]) -> list[int]:
    events = found.events if isinstance(found, QueryResult) else found
    return [e["details"]["i"] for e in events]


def test_the_first_events_come_before_the_end_of_the_trail_is_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "audit.jsonl"
    bulk_trail(path, 3000)
    old = lines(path)
    old[2900] = b"damaged\n"
    rewrite(path, old)
    monkeypatch.setattr(lines_module, "CHUNK", 4096)
    events = stream(path)
    iterator = iter(events)
    assert [next(iterator)["details"]["i"] for _ in range(3)] == [0, 1, 2]
    assert not events.skipped  # the damaged line near the end is not read yet
    rest = _numbers(iterator)
    assert rest == [i for i in range(3, 3000) if i != 2900]
    assert [s.line for s in events.skipped] == [2901]


def test_a_negative_limit_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    from aim.errors import InputError

    with pytest.raises(InputError, match="--limit -2"):
        stream(tmp_path / "audit.jsonl", limit=-2)


@pytest.mark.parametrize("chunk", [200, 5000, 8 << 20])
def test_since_starts_at_the_bound_without_reading_what_lies_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    path = tmp_path / "audit.jsonl"
    bulk_trail(path, 20_000)  # one event a second
    old = lines(path)
    old[100] = b"damaged early\n"
    rewrite(path, old)
    monkeypatch.setattr(lines_module, "CHUNK", chunk)
    bound = START + timedelta(seconds=18_000)
    found = query(path, since=bound)
    assert _numbers(found) == list(range(18_000, 20_000))
    assert found.skipped == ()  # the bisection jumped over the damaged line
    assert [s.line for s in query(path).skipped] == [101]
    assert _numbers(query(path, since=bound, limit=3)) == [19_997, 19_998, 19_999]
    assert _numbers(query(path, since=START + timedelta(days=1))) == []
    assert len(query(path, since=START - timedelta(days=1)).events) == 19_999


def _write(path: Path, stamps: list[datetime]) -> None:
    prev, out = GENESIS, []
    for i, moment in enumerate(stamps):
        event = {"v": 1, "time": utc_stamp(moment), "type": "step", "run": "r",
                 "actor": "dev@box", "details": {"i": i}}
        line, prev = encode(event, prev)
        out.append(line)
    path.write_bytes(b"".join(out))


def test_writers_slightly_out_of_order_lose_no_event_to_the_bisection(tmp_path: Path) -> None:
    # a writer reads the clock before it gets the lock: a stamp may land among older ones
    path = tmp_path / "audit.jsonl"
    stamps = [START + timedelta(seconds=i) for i in range(5000)]
    bound = stamps[4000]
    stamps[3000] = bound + timedelta(seconds=1)  # 16 minutes of older stamps follow it
    _write(path, stamps)
    found = _numbers(query(path, since=bound))
    assert found == [3000, *range(4000, 5000)]


def test_unreadable_time_stamps_make_the_search_start_earlier_not_skip(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    bulk_trail(path, 4000)
    old = lines(path)
    for at in range(0, 4000, 7):
        old[at] = b'{"v":1,"time":"soon"}\n'
    rewrite(path, old)
    bound = datetime(2026, 3, 1, 0, 50, tzinfo=timezone.utc)  # event 3000
    found = query(path, since=bound)
    assert _numbers(found) == [i for i in range(3000, 4000) if i % 7]
    assert all("unreadable" in s.reason for s in found.skipped)


def test_a_torn_last_line_ends_the_search_too(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    bulk_trail(path, 1000)
    with open(path, "ab") as handle:
        handle.write(b'{"v":1,"time":"2026-03-01T01:00:00.0')
    found = query(path, since=START + timedelta(seconds=990))
    assert _numbers(found) == list(range(990, 1000))
    assert [(s.line, "torn" in s.reason) for s in found.skipped] == [(1001, True)]
