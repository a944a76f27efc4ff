"""Developer tasks of the repository (``invoke test|lint|bench|sample``); not in ``aim``."""

from __future__ import annotations

import sys
from typing import Any

from invoke.tasks import task

from aim.cli.handler import handled


@task(help={"args": "extra pytest arguments, e.g. '-k rollback'"})
def test(c: Any, args: str = "") -> None:
    """Run the test suite."""
    c.run(f"{sys.executable} -m pytest {args}", pty=False)


@task
def lint(c: Any) -> None:
    """Run ruff and mypy."""
    c.run(f"{sys.executable} -m ruff check .")
    c.run(f"{sys.executable} -m mypy")


@task(help={"only": "run only the benchmarks whose name contains this text",
            "json": "print the figures as JSON"})
@handled
def bench(c: Any, only: str = "", json: bool = False) -> None:
    """Measure the performance figures (start-up, per-step overhead, health, scan, audit…)."""
    from benchmarks.runner import main

    main(only=only, as_json=json)


@task(help={"dest": "where to put the sandbox (default ./sandbox)"})
@handled
def sample(c: Any, dest: str = "sandbox") -> None:
    """Copy the shipped sample workspace into a sandbox and run the main job on it."""
    from aim.cli.sample_run import run_sample

    run_sample(dest)


@task
@handled
def docs(c: Any) -> None:
    """Regenerate the generated documentation (docs/actions.md, the tables of docs/workflows.md)."""
    from aim.docs_gen import write_generated_docs

    for path in write_generated_docs():
        print(f"wrote {path}")


TASKS: tuple[Any, ...] = (test, lint, bench, sample, docs)
