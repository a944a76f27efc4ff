"""The bodies of the tasks declared in :mod:`aim.cli.dev_tasks`."""

from __future__ import annotations

import sys
from typing import Any

from aim.cli.sample_run import run_sample
from aim.docs_gen import write_generated_docs
from benchmarks.runner import main


def test(c: Any, args: str = "") -> None:
    """Run the test suite."""
    c.run(f"{sys.executable} -m pytest {args}", pty=False)


def lint(c: Any) -> None:
    """Run ruff and mypy."""
    c.run(f"{sys.executable} -m ruff check .")
    c.run(f"{sys.executable} -m mypy")


def bench(c: Any, only: str = "", json: bool = False) -> None:
    """Measure the performance figures (start-up, per-step overhead, health, scan, audit…)."""
    main(only=only, as_json=json)


def sample(c: Any, dest: str = "sandbox") -> None:
    """Copy the shipped sample workspace into a sandbox and run the main job on it."""
    run_sample(dest)


def docs(c: Any) -> None:
    """Regenerate the generated documentation (docs/actions.md, the tables of docs/workflows.md)."""
    for path in write_generated_docs():
        print(f"wrote {path}")
