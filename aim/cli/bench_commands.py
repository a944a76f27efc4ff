"""The body of ``invoke bench`` (declared in :mod:`aim.cli.dev_tasks`)."""

from __future__ import annotations

from typing import Any

from benchmarks.runner import main


def bench(c: Any, only: str = "", json: bool = False) -> None:
    """Measure the performance figures (start-up, per-step overhead, health, scan, audit…)."""
    main(only=only, as_json=json)
