"""The scan's time budget: one monotonic deadline that every walker checks between directories."""

from __future__ import annotations

import time


class Budget:
    """A deadline on ``time.monotonic()``; ``None`` means no limit.  Once expired it stays so."""

    def __init__(self, deadline: float | None) -> None:
        self.deadline = deadline
        self._expired = False

    @classmethod
    def of(cls, seconds: float | None, deadline: float | None = None) -> Budget:
        """The earlier of ``seconds`` from now and the absolute ``deadline``."""
        limits = [d for d in (deadline,) if d is not None]
        if seconds is not None:
            limits.append(time.monotonic() + seconds)
        return cls(min(limits) if limits else None)

    def expired(self) -> bool:
        """True once the deadline has passed."""
        if not self._expired and self.deadline is not None:
            self._expired = time.monotonic() >= self.deadline
        return self._expired
