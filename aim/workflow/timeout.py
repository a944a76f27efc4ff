"""Step timeouts that interrupt the step itself, and SIGTERM treated like Ctrl-C.

On the main thread :class:`StepTimeout` is raised inside the running action.  Where the
platform has ``signal.setitimer`` (POSIX) a real-time timer does it, which also interrupts a
blocking wait (a subprocess whose child ``aim.proc`` then kills).  Elsewhere (Windows), or
with ``AIM_TIMEOUTS=portable``, a watchdog thread interrupts the main thread at the deadline
instead (on Windows a blocking subprocess wait is then ended by ``aim.proc``'s own timeout).
Off the main thread a step's timeout cannot interrupt and is not enforced.
"""

from __future__ import annotations

import _thread
import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType

from aim.errors import StepFailed


class StepTimeout(StepFailed):
    """A step ran past its ``timeout``."""


def _expired(seconds: float, what: str) -> StepTimeout:
    return StepTimeout(f"{what}: timed out after {seconds:g}s; raise the step's 'timeout' or "
                       "find what hangs")


def _alarm_available() -> bool:
    return hasattr(signal, "setitimer") and os.environ.get("AIM_TIMEOUTS") != "portable"


@contextlib.contextmanager
def time_limit(seconds: float | None, what: str) -> Iterator[None]:
    """Raise StepTimeout in the block when it runs longer than ``seconds``."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return
    with (_alarm if _alarm_available() else _watchdog)(seconds, what):
        yield


def _interrupt_main() -> None:
    """Interrupt the main thread: a real SIGINT where there are POSIX signals (it also ends a
    blocking wait), else the interpreter's simulated one."""
    if os.name == "posix":
        os.kill(os.getpid(), signal.SIGINT)
    else:
        _thread.interrupt_main()


@contextlib.contextmanager
def _watchdog(seconds: float, what: str) -> Iterator[None]:
    """The portable time limit: a timer thread interrupts the main thread at the deadline."""
    guard, state = threading.Lock(), {"running": True, "fired": False}

    def fire() -> None:
        with guard:
            if state["running"]:
                state["fired"] = True
                _interrupt_main()

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    except KeyboardInterrupt:
        if state["fired"]:
            raise _expired(seconds, what) from None
        raise
    finally:
        with guard:
            state["running"] = False
        timer.cancel()


@contextlib.contextmanager
def _alarm(seconds: float, what: str) -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise _expired(seconds, what)

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
