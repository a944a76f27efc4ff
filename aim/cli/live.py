"""The live line of a terminal: what is running now and for how long, redrawn as it goes.

Only on a terminal (stdout is a tty) and never with ``--json``: a pipe or a file gets exactly
the lines it always got.  Every other line of output is printed above the live line (it is
cleared first and drawn again after), so the two never mix.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Iterator
from typing import TextIO

CLEAR = "\r\x1b[K"
INTERVAL = 0.2  # seconds between redraws


class LiveLine:
    """``running  STEP  (3.2s)`` at the bottom of the terminal while something runs."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.lock = threading.Lock()
        self.label: str | None = None
        self.since = 0.0
        self.stop = threading.Event()
        self.ticker = threading.Thread(target=self._tick, name="aim-live", daemon=True)
        self.ticker.start()

    def show(self, label: str) -> None:
        """From now on the live line names ``label`` and counts from zero."""
        with self.lock:
            self.label, self.since = label, time.monotonic()
            self._draw()

    def idle(self) -> None:
        """Nothing is running: the live line is cleared."""
        with self.lock:
            self._clear()
            self.label = None

    def above(self, text: str) -> None:
        """Print ``text`` as its own line(s) above the live line."""
        with self.lock:
            self._clear()
            self.stream.write(text + "\n")
            self._draw()

    def close(self) -> None:
        self.stop.set()
        self.ticker.join(timeout=1)
        self.idle()

    def _tick(self) -> None:
        while not self.stop.wait(INTERVAL):
            with self.lock:
                self._draw()

    def _draw(self) -> None:
        if self.label is None:
            return
        with contextlib.suppress(OSError, ValueError):
            elapsed = time.monotonic() - self.since
            self.stream.write(f"{CLEAR} running  {self.label}  ({elapsed:.1f}s)")
            self.stream.flush()

    def _clear(self) -> None:
        if self.label is None:
            return
        with contextlib.suppress(OSError, ValueError):
            self.stream.write(CLEAR)
            self.stream.flush()


_current: LiveLine | None = None


def current() -> LiveLine | None:
    """The live line being shown, if any (output goes above it)."""
    return _current


def on_terminal(quiet: bool) -> bool:
    """True when a live line may be shown: a terminal, and no ``--json``."""
    try:
        return not quiet and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


@contextlib.contextmanager
def live(quiet: bool) -> Iterator[LiveLine | None]:
    """A live line for the block when on a terminal (else None), cleared at its end."""
    global _current
    if not on_terminal(quiet):
        yield None
        return
    _current = LiveLine(sys.stdout)
    try:
        yield _current
    finally:
        _current.close()
        _current = None


@contextlib.contextmanager
def activity(label: str, quiet: bool = False) -> Iterator[None]:
    """Show ``label`` with its elapsed time while the block runs (on a terminal)."""
    with live(quiet) as line:
        if line is not None:
            line.show(label)
        yield
