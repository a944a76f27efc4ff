"""Step timeouts that interrupt the step itself, and SIGTERM treated like Ctrl-C.

On the main thread a real-time timer raises :class:`StepTimeout` inside the running action
(also inside a blocking subprocess wait, whose child ``aim.proc`` then kills).  Elsewhere the
timeout cannot interrupt and is not enforced.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

from aim.errors import StepFailed


class StepTimeout(StepFailed):
    """A step ran past its ``timeout``."""


@contextlib.contextmanager
def time_limit(seconds: float | None, what: str) -> Iterator[None]:
    """Raise StepTimeout in the block when it runs longer than ``seconds``."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise StepTimeout(f"{what}: timed out after {seconds:g}s; raise the step's "
                          "'timeout' or find what hangs")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C, so a stopped run still rolls back."""
    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
