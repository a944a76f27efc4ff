"""The run index: each run's summary in one file, so that listing runs reads no journal.

``.aim/runs.jsonl`` gets a line per change of a run, appended under the workspace lock: an
*open* record (fsynced) before anything is written to the run's journal — its start, its
resume, a rollback of it — and its *row* (workflow, status, start and end, the step it failed
at or was cut off in, whether something is left to undo) once that is recorded.  A run's
newest line wins.  A run whose newest line is open is in progress, or was killed before its
row was written: readers take it from its journal (crashed, or running while it holds the
lock), so a SIGKILL at any moment still lists it right.

Readers read the file from its end only as far as they show (``aim runs --limit N`` reads the
lines of the newest N runs).  When the runs folder changed after the index (a run started or
was killed, a run folder was copied in or removed), the runs are checked against the folder
once and what was found is written back while the lock is free.  A missing index, or one with
a line that is not a record, is rebuilt from the journals; a torn last line (an append killed
half-way) is passed over, and cut off by the next writer.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from aim.errors import NotFound
from aim.oslock import OsLock
from aim.workflow.history import RESUMABLE, RunState, load_run
from aim.workflow.index_lines import (
    RunRow,
    Stale,
    append_lines,
    lines_backwards,
    open_line,
    parse,
    row_from,
    row_line,
    signature,
    write_rows,
)
from aim.workflow.lock import read_lock
from aim.workspace import LATEST, Workspace

INDEX = "runs.jsonl"


def index_path(ws: Workspace) -> Path:
    """Where the run index of ``ws`` lives."""
    return ws.state_dir / INDEX


def row_of(state: RunState) -> RunRow:
    """The row of a run as its journal tells it."""
    return RunRow(state.run_id, state.workflow, state.status, str(state.info.get("at", "")),
                  state.ended, state.failed_step, state.incomplete_step, state.undoable,
                  bool(state.undone))


def _journal_row(ws: Workspace, run_id: str) -> RunRow | None:
    """The row of ``run_id`` from its journal; None when the run has no journal (gone)."""
    try:
        return row_of(load_run(ws, run_id))
    except NotFound:
        return None


def _from_index(ws: Workspace) -> Iterator[tuple[RunRow, bool]]:
    """(row, read from its journal) of every run, newest first, as the index lists them."""
    latest: dict[str, dict[str, Any]] = {}
    given: set[str] = set()
    for line in lines_backwards(index_path(ws)):
        record = parse(line)
        latest.setdefault(record["run_id"], record)
        if record["new"] and record["run_id"] not in given:  # its first line: none older
            given.add(record["run_id"])
            yield from _current(ws, latest[record["run_id"]])
    if not latest and _has_runs(ws):
        raise Stale
    for run_id in sorted(set(latest) - given, reverse=True):
        yield from _current(ws, latest[run_id])


def _current(ws: Workspace, record: dict[str, Any]) -> Iterator[tuple[RunRow, bool]]:
    if not record["open"]:
        yield row_from(record), False
        return
    row = _journal_row(ws, record["run_id"])
    if row is not None:
        yield row, True


def _has_runs(ws: Workspace) -> bool:
    with contextlib.suppress(OSError), os.scandir(ws.runs_dir) as listing:
        return any(True for _ in listing)
    return False


def _runs_changed(ws: Workspace, seen: tuple[int, int, int]) -> bool:
    """True when the runs folder may hold runs the index lacks: a run folder was made or
    removed after the index was last written (a run is indexed once its folder is made)."""
    try:
        return os.stat(ws.runs_dir).st_mtime_ns > seen[2]
    except OSError:
        return False


def newest(ws: Workspace) -> Iterator[RunRow]:
    """Every run, newest first (a crashed run that holds the lock is shown running)."""
    holder: list[str | None] = []
    for row, from_journal in _rows(ws):
        if from_journal and row.status == "crashed":
            if not holder:
                holder.append(_lock_holder(ws))
            if holder[0] == row.run_id:
                row = replace(row, status="running")
        yield row


def _lock_holder(ws: Workspace) -> str | None:
    info = read_lock(ws.lock_path)
    return info.run_id if info is not None else None


def _rows(ws: Workspace) -> Iterator[tuple[RunRow, bool]]:
    seen = signature(index_path(ws))
    if seen is None or _runs_changed(ws, seen):
        yield from _checked(ws, seen)
        return
    given: set[str] = set()
    try:
        for row, from_journal in _from_index(ws):
            given.add(row.run_id)
            yield row, from_journal
    except Stale:
        yield from ((r, j) for r, j in _checked(ws, seen) if r.run_id not in given)


def _checked(ws: Workspace, seen: tuple[int, int, int] | None, keep: bool = True
             ) -> list[tuple[RunRow, bool]]:
    """Every run of the runs folder, newest first: the index's row, else (a run in progress,
    killed, or missing from the index) its journal's; with ``keep``, written back while the
    lock is free."""
    whole = seen is None
    try:
        known = {} if whole else _all_records(ws)
    except Stale:
        known, whole = {}, True
    found: list[tuple[RunRow, bool]] = []
    try:
        names = sorted(os.listdir(ws.runs_dir), reverse=True)
    except OSError:
        names = []
    for run_id in names:
        record = known.get(run_id)
        row = row_from(record) if record and not record["open"] else _journal_row(ws, run_id)
        if row is not None:
            found.append((row, not record or record["open"]))
    whole = whole or any(r.run_id not in known for r, _ in found)
    if keep and found:  # an empty workspace is left as it is
        fresh = [r for r, from_journal in found if from_journal]
        _write_back(ws, seen, [r for r, _ in reversed(found)] if whole else fresh, whole)
    return found


def _all_records(ws: Workspace) -> dict[str, dict[str, Any]]:
    latest: dict[str, dict[str, Any]] = {}
    for line in lines_backwards(index_path(ws)):
        record = parse(line)
        latest.setdefault(record["run_id"], record)
    return latest


def _write_back(ws: Workspace, seen: tuple[int, int, int] | None, rows: list[RunRow],
                whole: bool) -> None:
    """Keep what a check found: the whole index (oldest first), or rows appended to it (the
    index is touched when there are none, so the check is not made again); only while no
    run holds the lock (none is in progress) and the index is as it was read."""
    lock = OsLock(ws.lock_path)
    with contextlib.suppress(OSError):
        try:
            if not lock.acquire(0) or signature(index_path(ws)) != seen:
                return
            if whole:
                write_rows(index_path(ws), rows)
            elif rows:
                append_lines(index_path(ws), [row_line(r, False) for r in rows], sync=False)
            else:
                os.utime(index_path(ws))
        finally:
            lock.close()


def _append(ws: Workspace, line: str, sync: bool) -> None:
    """Append ``line`` (under the lock), building the index from the journals first when it
    is missing.  When that fails, the index is removed (readers rebuild it from the
    journals); OSError only when even that cannot be done."""
    path = index_path(ws)
    try:
        if not path.is_file():
            write_rows(path, (row for row, _ in reversed(_checked(ws, None, keep=False))))
        append_lines(path, [line], sync)
    except OSError:
        path.unlink(missing_ok=True)  # readers build it again from the journals


def note_open(ws: Workspace, run_id: str, *, new: bool) -> None:
    """Before a record is written to run ``run_id``'s journal (its start, resume, or a
    rollback of it), holding the lock: until its row follows, readers take the run from its
    journal.  ``new`` for a run's start, once its folder is made (a run killed before this
    is found in the runs folder).  OSError when the index can neither take the line nor be
    removed (a rollback would go unseen)."""
    _append(ws, open_line(run_id, new), sync=True)


def note_closed(ws: Workspace, run_id: str) -> None:
    """Once run ``run_id`` (or a rollback of it) has journaled its end: its row.  Best
    effort: without it, readers take the run from its journal."""
    row = _journal_row(ws, run_id)
    if row is not None:
        with contextlib.suppress(OSError):
            _append(ws, row_line(row, False), sync=False)


def run_rows(ws: Workspace, limit: int | None = None) -> list[dict[str, Any]]:
    """The newest ``limit`` runs (all when None), oldest first, as ``aim runs`` lists them."""
    rows: list[RunRow] = []
    for row in newest(ws):
        rows.append(row)
        if len(rows) == limit:
            break
    return [row.to_dict() for row in sorted(rows, key=lambda r: r.run_id)]


def find_run(ws: Workspace, run_id: str = LATEST) -> RunState:
    """The run ``run_id``, or the newest one for ``latest``; NotFound names what is there."""
    if run_id == LATEST:
        run_id = next((row.run_id for row in newest(ws)), "")
        if not run_id:
            raise NotFound(f"no runs yet in {ws.state_dir}; run a workflow first")
    return load_run(ws, run_id)


def latest_unfinished(ws: Workspace, workflow: str) -> RunState:
    """The newest run of ``workflow`` that can be resumed; NotFound when there is none."""
    for row in newest(ws):
        if row.workflow != workflow:
            continue
        if row.status in RESUMABLE and not row.undone:
            return load_run(ws, row.run_id)
        break
    raise NotFound(f"no unfinished run of workflow {workflow!r} to resume in {ws.root}; "
                   "see 'aim runs'")
