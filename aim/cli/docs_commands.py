"""The body of ``invoke docs`` (declared in :mod:`aim.cli.dev_tasks`)."""

from __future__ import annotations

from typing import Any

from aim.docs_gen import write_generated_docs


def docs(c: Any) -> None:
    """Regenerate the generated documentation (docs/actions.md, the tables of docs/workflows.md)."""
    for path in write_generated_docs():
        print(f"wrote {path}")
