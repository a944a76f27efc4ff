"""Fault-injection seams for the crash and disk-error tests; inert unless ``AIM_FAULT_*`` is set.

AIM+ writes every file through :mod:`aim.fsio` (and saved contents through the object
store), so a full disk or an immutable file can be rehearsed at that one primitive, as root
too (where ``chmod`` stops nothing):

``AIM_FAULT_OSERROR="ERRNO:MATCH[:FROM];..."``
    A write (atomic file write, journal or audit append, stored object), a restore's removal
    or mode change of a path matching the ``fnmatch`` pattern MATCH (an absolute path) fails
    with ``OSError(ERRNO)``: ``EPERM:*/AI_MANGER/README.md`` is an immutable file.  With FROM,
    only once a write to a path matching FROM has been attempted: ``ENOSPC:*:*/docs/*`` is a
    disk that fills up when the run first writes into docs/.  ENOSPC stops only what needs
    space (writes), never a removal or a mode change.

``AIM_FAULT_KILL_AFTER_RECORD=N`` or ``=TYPE@STEP[#K]``
    The process SIGKILLs itself right after appending the N-th record to a run journal (0:
    right after creating the journal, before its first record), or the K-th (default: first)
    record of type TYPE for step STEP (``checkpoint@report#2``).  It is read once, by the
    first journal the process opens, and removed from the environment so that child processes
    do not inherit it.

``AIM_FAULT_KILL_IN_WRITE=MATCH``
    The process SIGKILLs itself in the middle of the first atomic write of a path matching
    MATCH: the temp file is written, the rename has not happened (a store object: its batch
    is durable, the rename into ``objects/`` has not happened).
"""

from __future__ import annotations

import errno
import fnmatch
import functools
import os
import signal
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OSERROR_ENV = "AIM_FAULT_OSERROR"
KILL_ENV = "AIM_FAULT_KILL_AFTER_RECORD"
KILL_IN_WRITE_ENV = "AIM_FAULT_KILL_IN_WRITE"


@dataclass(frozen=True)
class Rule:
    """One injected OS error: its errno, the paths it hits, and the write that arms it."""

    code: int
    match: str
    armed_by: str | None


@functools.lru_cache(maxsize=8)
def _rules(spec: str) -> tuple[Rule, ...]:
    rules = []
    for item in filter(None, (part.strip() for part in spec.split(";"))):
        name, _, rest = item.partition(":")
        match, _, armed_by = rest.partition(":")
        rules.append(Rule(getattr(errno, name), match or "*", armed_by or None))
    return tuple(rules)


_armed: set[Rule] = set()


def check(path: Path | str, needs_space: bool = True) -> None:
    """Raise the injected OSError for this change of ``path``, if one applies.

    ``needs_space`` is False for changes that take no room on the disk (a removal, a mode).
    """
    spec = os.environ.get(OSERROR_ENV)
    if not spec:
        return
    name = os.fspath(path)
    for rule in _rules(spec):
        if rule.armed_by is not None and rule not in _armed:
            if not needs_space or not fnmatch.fnmatch(name, rule.armed_by):
                continue
            _armed.add(rule)
        if fnmatch.fnmatch(name, rule.match) and (needs_space or rule.code != errno.ENOSPC):
            raise OSError(rule.code, os.strerror(rule.code), name)


def in_write(path: Path | str) -> None:
    """Called between an atomic write's temp file and its rename: the kill seam."""
    match = os.environ.get(KILL_IN_WRITE_ENV)
    if match and fnmatch.fnmatch(os.fspath(path), match):
        _kill()


class _KillCounter:
    """Counts this process's journal records and SIGKILLs it at the configured one."""

    def __init__(self) -> None:
        self.spec: str | None = None
        self.count = 0
        self.matched = 0

    def opened(self) -> None:
        """A journal was created (the first one reads the setting)."""
        if self.spec is None:
            self.spec = os.environ.pop(KILL_ENV, "").strip()
        if self.spec == "0":
            _kill()

    def appended(self, record: Mapping[str, Any]) -> None:
        """A record was appended to the journal."""
        self.count += 1
        if not self.spec:
            return
        if self.spec.isdigit():
            if self.count == int(self.spec):
                _kill()
            return
        kind, _, rest = self.spec.partition("@")
        step, _, nth = rest.partition("#")
        if record.get("t") == kind and record.get("step") == step:
            self.matched += 1
            if self.matched == int(nth or 1):
                _kill()


def _kill() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


journal_records = _KillCounter()
