"""The one subprocess path of AIM+: argument lists, timeouts, redacted output.

Commands run from argument lists (no shell quoting) unless the caller asks for ``shell=True``
explicitly.  Secrets reach a child only through ``env``.  A missing executable or a timeout is a
result, not an exception, and a child never outlives the call: on timeout or interruption its
whole process group is killed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aim.redact import redact


@dataclass(frozen=True)
class ProcResult:
    """What a finished (or failed-to-start, or timed-out) command gave."""

    argv: tuple[str, ...]
    returncode: int | None
    stdout: str
    stderr: str
    duration: float
    timed_out: bool = False
    missing: bool = False

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def describe(self) -> str:
        """One line on how the command ended, for messages."""
        command = redact(" ".join(self.argv))
        if self.missing:
            return f"{command!r}: command not found"
        if self.timed_out:
            return f"{command!r}: timed out after {self.duration:.1f}s"
        return f"{command!r}: exit code {self.returncode}"


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _pump(pipe: Any, lines: list[bytes], on_line: Callable[[str], None]) -> None:
    for raw in iter(pipe.readline, b""):
        lines.append(raw)
        with contextlib.suppress(Exception):  # showing a line must never break the run
            on_line(redact(raw.decode("utf-8", "replace").rstrip("\n")))
    pipe.close()


def _streamed(proc: subprocess.Popen[bytes], stdin: bytes | None, timeout: float | None,
              on_line: Callable[[str], None]) -> tuple[bytes, bytes, bool]:
    """Wait for ``proc`` while handing each line of its output to ``on_line``."""
    out: list[bytes] = []
    err: list[bytes] = []
    pumps = [threading.Thread(target=_pump, args=(pipe, sink, on_line), daemon=True)
             for pipe, sink in ((proc.stdout, out), (proc.stderr, err))]
    for pump in pumps:
        pump.start()
    if proc.stdin is not None:
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.write(stdin or b"")
        proc.stdin.close()
    try:
        proc.wait(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        timed_out = True
    for pump in pumps:
        pump.join()
    return b"".join(out), b"".join(err), timed_out


def run(argv: Sequence[str] | str, *, cwd: Path | None = None,
        env: Mapping[str, str] | None = None, timeout: float | None = None,
        shell: bool = False, stdin: bytes | None = None,
        on_line: Callable[[str], None] | None = None) -> ProcResult:
    """Run a command and capture its output (decoded as UTF-8, redacted).

    ``argv`` is a list unless ``shell`` is true, in which case it is one string for ``/bin/sh``.
    ``env`` entries are added to the inherited environment.  ``on_line`` is given each line of
    the output (redacted) as the command prints it; the result holds all of it too.
    """
    if shell and not isinstance(argv, str):
        raise TypeError("shell=True takes one command string")
    if not shell and isinstance(argv, str):
        raise TypeError("without shell=True, give an argument list")
    shown = (argv,) if isinstance(argv, str) else tuple(argv)
    child_env = {**os.environ, **env} if env else None
    started = time.monotonic()
    try:
        proc = subprocess.Popen(
            argv, shell=shell, cwd=cwd, env=child_env, start_new_session=True,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
    except (FileNotFoundError, PermissionError, NotADirectoryError) as err:
        return ProcResult(shown, None, "", redact(str(err)), time.monotonic() - started,
                          missing=True)
    try:
        if on_line is not None:
            out, errout, timed_out = _streamed(proc, stdin, timeout, on_line)
        else:
            out, errout = proc.communicate(stdin, timeout=timeout)
            timed_out = False
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        out, errout = proc.communicate()
        timed_out = True
    except BaseException:
        _kill_group(proc)
        raise
    return ProcResult(
        shown, None if timed_out else proc.returncode,
        redact(out.decode("utf-8", "replace")), redact(errout.decode("utf-8", "replace")),
        time.monotonic() - started, timed_out=timed_out,
    )
