"""The run journal: one JSON line per event of a run, durable and readable after any crash.

``.aim/runs/<run-id>/journal.jsonl`` records the run's start, each step's start and end (status,
redacted outputs, duration, the state it left its paths in), every checkpoint taken before a
mutation, the run's end, and rollbacks.  Every record is fsynced when written except a step's
start, which the step's first checkpoint or its end makes durable (an fsync covers every
earlier write).  A process killed mid-write leaves at most one torn last line, which readers
ignore.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from aim import faults
from aim.fsio import AppendLog, read_json_lines
from aim.redact import redact_obj

JOURNAL = "journal.jsonl"


def utc_now() -> str:
    """Current UTC time, ISO-8601 with seconds."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def new_run_id(workflow: str) -> str:
    """A sortable, unique run id: ``20261124T150102.123456Z-migrate-3fa2``.

    Microseconds keep runs started within the same second in order, so "the latest run" is
    the one started last.
    """
    now = time.time()
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now)) + f".{int(now % 1 * 1e6):06d}Z"
    return f"{stamp}-{workflow}-{secrets.token_hex(2)}"


def workflow_of(run_id: str) -> str:
    """The workflow name inside a run id (for a run whose journal holds no record yet)."""
    parts = run_id.split("-")
    return "-".join(parts[1:-1]) or "?"


class Journal:
    """Appends records to one run's journal; every record is durable when ``write`` returns."""

    def __init__(self, run_dir: Path) -> None:
        # parents=True would give runs/ umask's 0755; every state folder is private
        run_dir.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        run_dir.mkdir(mode=0o700, exist_ok=True)
        os.chmod(run_dir, 0o700)
        self.run_dir = run_dir
        self.error: OSError | None = None  # the first record that could not be written
        self._log = AppendLog(run_dir / JOURNAL)
        faults.journal_records.opened()

    def write(self, record_type: str, /, **fields: Any) -> None:
        """Append a record; it is durable (fsynced) when this returns."""
        self._append(record_type, fields, sync=True)

    def try_write(self, record_type: str, /, **fields: Any) -> bool:
        """``write``, but a failure (a full disk) is kept in ``error`` instead of raised.

        For records written while putting things back, which must go on regardless: a
        rollback that cannot be recorded is still a rollback, and running it again records it.
        """
        try:
            self.write(record_type, **fields)
        except OSError as err:
            self.error = self.error or err
            return False
        return True

    def note(self, record_type: str, /, **fields: Any) -> None:
        """Append a record that becomes durable with the next ``write``.

        For records nothing depends on until a later record exists: a step's start is only
        needed once the step has checkpointed something (a ``write``) or ended (a ``write``),
        and each of those fsyncs it too.  This halves the fsyncs of a step that changes nothing.
        """
        self._append(record_type, fields, sync=False)

    def _append(self, record_type: str, fields: dict[str, Any], sync: bool) -> None:
        record = redact_obj({"t": record_type, "at": utc_now(), **fields})
        self._log.append(json.dumps(record, separators=(",", ":"), default=str), sync)
        faults.journal_records.appended(record)

    def close(self) -> None:
        self._log.close()


def read_journal(run_dir: Path) -> list[dict[str, Any]]:
    """Every complete record of a run's journal, in order (a torn last line is dropped)."""
    path = run_dir / JOURNAL
    if not path.is_file():
        return []
    return list(read_json_lines(path))
