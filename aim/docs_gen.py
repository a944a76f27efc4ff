"""The generated documentation pages of the repository and where they live."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from aim.actions.catalog_doc import render_actions_md
from aim.api_doc import render_api_md
from aim.fsio import atomic_write_bytes
from aim.resources import shipped_dir
from aim.workflow.reference_doc import render_workflows_md


def repo_root() -> Path:
    """The repository (or install prefix) folder that holds ``docs/``."""
    return shipped_dir("workflows").parent


def _workflows_md() -> str:
    page = repo_root() / "docs" / "workflows.md"
    return render_workflows_md(page.read_text(encoding="utf-8"), page)


def generated_pages() -> dict[str, Callable[[], str]]:
    """Page path (relative to the repository) → the function that renders it.

    ``docs/workflows.md`` is written by hand except for its marker blocks, which the renderer
    fills in from the workflow files and the action registry.
    """
    return {"docs/actions.md": render_actions_md, "docs/workflows.md": _workflows_md,
            "docs/api.md": render_api_md}


def write_generated_docs(repo: Path | None = None) -> list[Path]:
    """Render every generated page into the repository; return the paths written."""
    base = repo or repo_root()
    written = []
    for rel, render in generated_pages().items():
        path = base / rel
        atomic_write_bytes(path, render().encode("utf-8"), 0o644)
        written.append(path)
    return written
