"""query: filters, newest-N, every segment, damaged lines reported and skipped."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from aim.audit import AuditLog, parse_since, query
from aim.errors import InputError
from tests.audit.trailutil import Clock, lines, make_trail, rewrite


def _numbers(result: object) -> list[int]:
    return [e["details"]["i"] for e in result.events]  # type: ignore[attr-defined]


@pytest.fixture()
def trail(tmp_path: Path) -> Path:
    path = tmp_path / "audit.jsonl"
    make_trail(path, 30).close()  # event i at 2026-03-01 00:00 + i hours
    return path


def test_everything_oldest_first(trail: Path) -> None:
    result = query(trail)
    assert _numbers(result) == list(range(30)) and result.skipped == ()


def test_type_run_and_both(trail: Path) -> None:
    assert _numbers(query(trail, type="step")) == list(range(1, 30, 2))
    assert _numbers(query(trail, run="r2")) == list(range(2, 30, 3))
    assert _numbers(query(trail, type="step", run="r2")) == [5, 11, 17, 23, 29]
    assert query(trail, type="rollback").events == ()


def test_limit_keeps_the_newest(trail: Path) -> None:
    assert _numbers(query(trail, limit=3)) == [27, 28, 29]
    assert _numbers(query(trail, type="run", run="r1", limit=2)) == [22, 28]
    assert query(trail, limit=0).events == ()
    with pytest.raises(InputError, match="--limit -1"):
        query(trail, limit=-1)


def test_since_a_date_or_a_time(trail: Path) -> None:
    assert _numbers(query(trail, since=date(2026, 3, 2))) == list(range(24, 30))
    moment = datetime(2026, 3, 1, 22, 30, tzinfo=timezone.utc)
    assert _numbers(query(trail, since=moment, type="step")) == [23, 25, 27, 29]
    naive_means_utc = datetime(2026, 3, 1, 23, 30)
    assert _numbers(query(trail, since=naive_means_utc)) == list(range(24, 30))
    assert query(trail, since=date(2027, 1, 1)).events == ()


def test_values_inside_details_do_not_fool_the_filters(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path, clock=Clock())
    log.append("run", run_id="a", details={"type": "step", "run": "b"})
    log.append("step", run_id="b")
    assert [e["run"] for e in query(path, type="step").events] == ["b"]
    assert [e["type"] for e in query(path, run="b").events] == ["step"]


def test_a_missing_trail_is_empty(tmp_path: Path) -> None:
    result = query(tmp_path / "nothing" / "audit.jsonl", type="step", limit=5)
    assert result.events == () and result.skipped == ()


def test_a_torn_last_line_is_skipped_and_reported(trail: Path) -> None:
    rewrite(trail, [*lines(trail), b'{"v":1,"time":"2026-03-02T06:00:00.0000'])
    for result in (query(trail), query(trail, limit=2), query(trail, run="r0")):
        assert [(s.segment, s.line) for s in result.skipped] == [("audit.jsonl", 31)]
        assert "torn" in result.skipped[0].reason
    assert _numbers(query(trail, limit=2)) == [28, 29]


def test_a_corrupt_line_is_reported_and_the_rest_still_read(trail: Path) -> None:
    old = lines(trail)
    old[11] = old[11][:60] + b"\n"  # event 11, a step, cut short after its type
    rewrite(trail, old)
    result = query(trail, type="step")
    assert _numbers(result) == [i for i in range(1, 30, 2) if i != 11]
    assert [(s.line, "unreadable" in s.reason) for s in result.skipped] == [(12, True)]
    assert _numbers(query(trail)) == [i for i in range(30) if i != 11]


def test_rotated_segments_are_queried_newest_last(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    make_trail(path, 90, max_bytes=2000, keep=4).close()
    assert len(list(tmp_path.glob("audit.*.jsonl"))) == 4
    everything = _numbers(query(path))
    assert everything == list(range(90 - len(everything), 90))
    assert _numbers(query(path, run="r0", limit=40)) == [i for i in everything if i % 3 == 0]
    assert _numbers(query(path, type="step", limit=2)) == [87, 89]


def test_parse_since() -> None:
    assert parse_since("2026-11-24") == date(2026, 11, 24)
    assert parse_since("2026-11-24T10:00") == datetime(2026, 11, 24, 10, tzinfo=timezone.utc)
    assert parse_since("2026-11-24T10:00:00Z") == datetime(2026, 11, 24, 10,
                                                           tzinfo=timezone.utc)
    for bad in ("yesterday", "2026-13-01", "24/11/2026", ""):
        with pytest.raises(InputError, match="YYYY-MM-DD"):
            parse_since(bad)


@pytest.mark.parametrize("chunk", [150, 700, 5000])
def test_reading_in_chunks_finds_every_line_in_both_directions(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    from aim.audit import lines as lines_module

    path = tmp_path / "audit.jsonl"
    log = make_trail(path, 20)
    log.append("install", details={"i": 20, "log": "x" * 2000})  # longer than a chunk
    log.append("run", details={"i": 21})
    old = lines(path)
    old[7] = b"damaged\n"
    rewrite(path, old)
    monkeypatch.setattr(lines_module, "CHUNK", chunk)
    expected = [i for i in range(22) if i != 7]
    forward = query(path)
    assert _numbers(forward) == expected
    assert [s.line for s in forward.skipped] == [8]
    for limit in (1, 3, 15, 30):
        assert _numbers(query(path, limit=limit)) == expected[-limit:]
    assert [s.line for s in query(path, limit=30).skipped] == [8]
    assert _numbers(query(path, since=date(2026, 3, 1), limit=4)) == [18, 19, 20, 21]


def test_a_line_made_of_two_objects_is_reported_not_taken_for_two_events(trail: Path) -> None:
    old = lines(trail)
    old[4] = old[4].rstrip(b"\n") + b"," + old[5]
    rewrite(trail, old)
    result = query(trail)
    assert _numbers(result) == [i for i in range(30) if i != 4]
    assert [s.line for s in result.skipped] == [5]


def test_a_rare_type_or_run_is_found_among_many_events(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_trail(path, 100)
    log.append("rollback", run_id="r1", details={"i": 100})
    log.append("step", run_id="rare", details={"i": 101, "type": "rollback"})
    log.append("rollback", run_id="r2", details={"i": 102})
    log.append("run", details={"i": 103})
    old = lines(path)
    old[50] = b'{"v":1,"time":"2026-03-03T02:00:00.000000Z","type":"rollback","run":"r2","det\n'
    rewrite(path, old)
    for limit in (None, 1, 5):
        result = query(path, type="rollback", limit=limit)
        assert _numbers(result) == [100, 102][-(limit or 2):]
        assert [s.line for s in result.skipped] == ([51] if limit != 1 else [])
    assert _numbers(query(path, run="rare")) == [101]
    assert _numbers(query(path, type="rollback", run="r2")) == [102]
