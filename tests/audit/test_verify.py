"""verify: an intact chain passes; edits, deletions, moves and removed segments are named."""

from __future__ import annotations

import json
from pathlib import Path

from aim.audit import verify
from aim.audit.segments import anchor_path, first_prev, segment_path
from aim.fsio import atomic_write_json
from tests.audit.trailutil import lines, make_trail, rewrite


def _trail(tmp_path: Path, count: int = 8) -> tuple[Path, list[bytes]]:
    path = tmp_path / "audit.jsonl"
    make_trail(path, count).close()
    return path, lines(path)


def test_an_intact_trail_verifies(tmp_path: Path) -> None:
    path, _ = _trail(tmp_path)
    result = verify(path)
    assert result.ok and result.events == 8 and result.bad is None
    assert result.message == "audit trail intact: 8 event(s) in 1 file(s), hash chain verified"


def test_an_empty_or_missing_trail_verifies(tmp_path: Path) -> None:
    assert verify(tmp_path / "audit.jsonl").ok


def test_an_edited_line_is_named(tmp_path: Path) -> None:
    path, old = _trail(tmp_path)
    old[4] = old[4].replace(b'"i":4', b'"i":5')
    rewrite(path, old)
    result = verify(path)
    assert not result.ok and result.bad is not None
    assert (result.bad.segment, result.bad.line) == ("audit.jsonl", 5)
    assert "edited" in result.bad.reason and result.events == 4
    assert "audit trail broken at audit.jsonl:5:" in result.message


def test_an_edit_that_recomputes_the_hash_breaks_the_next_link(tmp_path: Path) -> None:
    from aim.audit.format import encode

    path, old = _trail(tmp_path)
    event = json.loads(old[3])
    event["details"] = {"i": 99}
    forged, _ = encode({k: event[k] for k in ("v", "time", "type", "run", "actor", "details")},
                       event["prev"])
    rewrite(path, [*old[:3], forged, *old[4:]])
    bad = verify(path).bad
    assert bad is not None and bad.line == 5 and "does not follow" in bad.reason


def test_a_deleted_middle_line_is_named(tmp_path: Path) -> None:
    path, old = _trail(tmp_path)
    rewrite(path, old[:3] + old[4:])
    bad = verify(path).bad
    assert bad is not None and bad.line == 4
    assert "audit.jsonl:3" in bad.reason and "deleted, inserted or moved" in bad.reason


def test_reordered_lines_are_named(tmp_path: Path) -> None:
    path, old = _trail(tmp_path)
    rewrite(path, [*old[:5], old[6], old[5], *old[7:]])
    bad = verify(path).bad
    assert bad is not None and bad.line == 6


def test_a_deleted_first_line_is_named(tmp_path: Path) -> None:
    path, old = _trail(tmp_path)
    rewrite(path, old[1:])
    bad = verify(path).bad
    assert bad is not None and bad.line == 1 and "older events were removed" in bad.reason


def test_a_line_overwritten_with_garbage_is_named(tmp_path: Path) -> None:
    path, old = _trail(tmp_path)
    rewrite(path, [*old[:2], b"garbage\n", *old[3:]])
    bad = verify(path).bad
    assert bad is not None and bad.line == 3 and "unreadable" in bad.reason


def test_a_torn_last_line_is_skipped_and_reported(tmp_path: Path) -> None:
    path, old = _trail(tmp_path)
    rewrite(path, [*old, old[0][:40]])
    result = verify(path)
    assert result.ok and result.events == 8
    assert [(s.line, "torn" in s.reason) for s in result.skipped] == [(9, True)]


def test_rotation_keeps_verify_working_across_segments(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    make_trail(path, 80, max_bytes=2500, keep=3).close()
    result = verify(path)
    assert result.ok
    assert result.segments == ("audit.3.jsonl", "audit.2.jsonl", "audit.1.jsonl", "audit.jsonl")


def test_a_line_deleted_in_a_rotated_segment_is_named_there(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    make_trail(path, 80, max_bytes=2500, keep=3).close()
    older = segment_path(path, 2)
    old = lines(older)
    rewrite(older, old[:2] + old[3:])
    bad = verify(path).bad
    assert bad is not None and (bad.segment, bad.line) == ("audit.2.jsonl", 3)


def test_a_removed_segment_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    make_trail(path, 80, max_bytes=2500, keep=3).close()
    segment_path(path, 2).unlink()
    bad = verify(path).bad
    assert bad is not None and (bad.segment, bad.line) == ("audit.1.jsonl", 1)


def test_removing_the_oldest_segment_by_hand_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    make_trail(path, 80, max_bytes=2500, keep=3).close()
    segment_path(path, 3).unlink()
    bad = verify(path).bad
    assert bad is not None and bad.segment == "audit.2.jsonl" and bad.line == 1


def test_an_interrupted_rotation_still_verifies(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    make_trail(path, 80, max_bytes=2500, keep=3).close()
    # the anchor of the next rotation was written, the oldest segment not yet removed
    atomic_write_json(anchor_path(path), {"v": 1, "prev": first_prev(segment_path(path, 2))})
    assert verify(path).ok
