"""Appending: file modes, the event format, redaction, reopening, torn lines, rotation."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import jsonschema
import pytest

from aim import redact
from aim.audit import AuditLog, query, verify
from aim.errors import InputError
from aim.resources import load_schema
from tests.audit.trailutil import Clock, lines, make_trail


def test_events_are_private_one_per_line_and_match_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "state" / "audit.jsonl"
    log = make_trail(path, 3)
    log.append("config_change", details={"key": "pins.node", "path": tmp_path / "x"})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    events = [json.loads(line) for line in lines(path)]
    assert len(events) == 4
    for event in events:
        jsonschema.validate(event, load_schema("audit_event.schema.json"))
    assert events[0]["prev"] == "0" * 64
    assert [e["prev"] for e in events[1:]] == [e["hash"] for e in events[:-1]]
    assert events[0]["time"] == "2026-03-01T00:00:00.000000Z"
    assert events[3]["details"] == {"key": "pins.node", "path": str(tmp_path / "x")}
    assert events[3]["run"] is None and events[3]["actor"] == "dev@box"


def test_an_existing_file_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    path.touch(mode=0o644)
    AuditLog(path).append("run")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_secret_value_never_reaches_the_file_but_its_name_does(tmp_path: Path) -> None:
    secret = "sk-live-8f3a9c2e71d04b5f"  # a made-up canary, never a real key
    redact.register(secret)
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    log.append("secret_access", run_id=f"run-{secret}",
               details={"name": "OPENAI_API_KEY", "value": secret, secret: [f"x{secret}x"],
                        "cmd": ["curl", "-H", f"Authorization: Bearer {secret}"]})
    text = path.read_text()
    assert secret not in text and "OPENAI_API_KEY" in text
    assert "8f3a9c2e71d04b5f" not in text
    assert verify(path).ok


def test_reopening_continues_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    make_trail(path, 3).close()
    AuditLog(path, clock=Clock()).append("run", details={"again": True})
    result = verify(path)
    assert result.ok and result.events == 4


def test_reopening_finds_the_last_hash_behind_a_very_long_line(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_trail(path, 2)
    log.append("install", details={"log": "x" * 300_000})
    log.close()
    AuditLog(path).append("run")
    assert verify(path).events == 4


def test_a_torn_last_line_is_reported_and_the_trail_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    make_trail(path, 3).close()
    with open(path, "ab") as handle:
        handle.write(b'{"v":1,"time":"2026-03-01T05:00:00.000000Z","type":"st')
    log = AuditLog(path, clock=Clock())
    assert len(log.torn) == 1 and "torn last line" in log.torn[0]
    log.append("step", run_id="r9")
    result = verify(path)
    assert result.ok and result.events == 4
    assert [(s.segment, s.line) for s in result.skipped] == [("audit.jsonl", 4)]
    assert [e["run"] for e in query(path, run="r9").events] == ["r9"]


def test_two_writers_on_one_trail_keep_one_chain(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    first = AuditLog(path, max_bytes=1500, keep=3)
    second = AuditLog(path, max_bytes=1500, keep=3)
    for i in range(20):
        (first if i % 3 else second).append("step", details={"i": i})
    result = verify(path)
    assert result.ok and result.events == sum(len(lines(p)) for p in tmp_path.glob("*.jsonl"))
    assert [e["details"]["i"] for e in query(path).events][-3:] == [17, 18, 19]


def test_rotation_keeps_n_segments_and_records_the_anchor(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    make_trail(path, 60, max_bytes=2000, keep=2)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["audit.1.jsonl", "audit.2.jsonl", "audit.anchor.json", "audit.jsonl",
                     "audit.lock"]  # the writers' lock, never rotated
    assert all(p.stat().st_size <= 2000 for p in tmp_path.glob("*.jsonl"))
    kept = [json.loads(line)["details"]["i"] for name in [*names[1::-1], "audit.jsonl"]
            for line in lines(tmp_path / name)]
    assert kept == list(range(60 - len(kept), 60))
    assert [e["details"]["i"] for e in query(path).events] == kept
    result = verify(path)
    assert result.ok and result.events == len(kept)


@pytest.mark.parametrize(("max_bytes", "keep"), [(1000, 0), (0, 5)])
def test_nonsense_rotation_settings_are_refused(tmp_path: Path, max_bytes: int,
                                                keep: int) -> None:
    with pytest.raises(InputError, match="at least 1"):
        AuditLog(tmp_path / "audit.jsonl", max_bytes=max_bytes, keep=keep)
    assert not (tmp_path / "audit.jsonl").exists()


def test_a_malformed_event_type_is_refused(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    with pytest.raises(InputError, match="'Step Done'"):
        log.append("Step Done")
    assert (tmp_path / "audit.jsonl").read_bytes() == b""


def test_threads_and_processes_appending_at_once_keep_one_chain(tmp_path: Path) -> None:
    import subprocess
    import sys
    import threading

    path = tmp_path / "audit.jsonl"
    script = ("import sys; from pathlib import Path; from aim.audit import AuditLog\n"
              "log = AuditLog(Path(sys.argv[1]), max_bytes=6000, keep=100)\n"
              "for i in range(60): log.append('step', run_id=sys.argv[2], details={'i': i})\n")
    children = [subprocess.Popen([sys.executable, "-c", script, str(path), f"p{n}"])
                for n in range(3)]
    log = AuditLog(path, max_bytes=6000, keep=100)
    threads = [threading.Thread(target=lambda n=n: [log.append("step", run_id=f"t{n}")
                                                    for _ in range(30)]) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [child.wait(timeout=60) for child in children] == [0, 0, 0]
    result = verify(path)
    assert result.ok and result.events == 3 * 60 + 2 * 30, result.message
    assert len(result.segments) > 3
    assert [e["details"]["i"] for e in query(path, run="p1").events] == list(range(60))


# Each child appends ``count`` events, opening the trail afresh for every one (as separate
# ``aim`` commands do) or keeping it open, with a rotation size under two lines: nearly every
# append rotates, so any gap between the size check, the rename and the chain head shows.
RACING_WRITER = """\
import sys
from pathlib import Path
from aim.audit import AuditLog
path, name, count, fresh = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
log = None
for i in range(count):
    log = AuditLog(path, max_bytes=400, keep=100_000) if fresh or log is None else log
    log.append("step", run_id=name, details={"i": i})
"""


def test_many_writers_rotating_at_every_append_keep_one_chain(tmp_path: Path) -> None:
    import subprocess
    import sys
    import threading

    path, count = tmp_path / "audit.jsonl", 25
    children = [subprocess.Popen([sys.executable, "-c", RACING_WRITER, str(path), f"p{n}",
                                  str(count), str(n % 2)]) for n in range(6)]
    shared = AuditLog(path, max_bytes=400, keep=100_000)

    def own(n: int) -> None:
        log = AuditLog(path, max_bytes=400, keep=100_000)
        for i in range(count):
            (log if n else shared).append("step", run_id=f"t{n}", details={"i": i})

    threads = [threading.Thread(target=own, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [child.wait(timeout=120) for child in children] == [0] * 6
    result = verify(path)
    assert result.ok, result.message
    assert result.events == 9 * count and len(result.segments) > 9 * count // 2
    for run in ("p0", "p1", "t0", "t2"):
        assert [e["details"]["i"] for e in query(path, run=run).events] == list(range(count))
