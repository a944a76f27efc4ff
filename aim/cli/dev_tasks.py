"""Developer tasks of the repository (``invoke test|lint|bench|sample``); not in ``aim``."""

from __future__ import annotations

from typing import Any

from invoke.tasks import task

from aim.cli.handler import handled
from aim.cli.lazy import implemented_by


@task(help={"args": "extra pytest arguments, e.g. '-k rollback'"})
@implemented_by("aim.cli.dev_commands:test")
def test(c: Any, args: str = "") -> None:
    """Run the test suite."""


@task
@implemented_by("aim.cli.dev_commands:lint")
def lint(c: Any) -> None:
    """Run ruff and mypy."""


@task(help={"only": "run only the benchmarks whose name contains this text",
            "json": "print the figures as JSON"})
@handled
@implemented_by("aim.cli.bench_commands:bench")
def bench(c: Any, only: str = "", json: bool = False) -> None:
    """Measure the performance figures (start-up, per-step overhead, health, scan, audit…)."""


@task(help={"dest": "where to put the sandbox (default ./sandbox)"})
@handled
@implemented_by("aim.cli.sample_run:sample")
def sample(c: Any, dest: str = "sandbox") -> None:
    """Copy the shipped sample workspace into a sandbox and run the main job on it."""


@task
@handled
@implemented_by("aim.cli.docs_commands:docs")
def docs(c: Any) -> None:
    """Regenerate the generated documentation (docs/actions.md, the tables of docs/workflows.md)."""


TASKS: tuple[Any, ...] = (test, lint, bench, sample, docs)
