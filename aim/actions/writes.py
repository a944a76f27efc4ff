"""The one way a step previews and applies its planned file writes: checkpoint all, then write."""

from __future__ import annotations

from typing import Any

from aim.docs.textdoc import FileWrite
from aim.workflow.context import StepContext


def preview_writes(ctx: StepContext, writes: list[FileWrite]) -> dict[str, Any]:
    """A dry run's preview of ``writes``: a line per file, the files, and ``changed``."""
    files = [ctx.ws.relative(w.path) for w in writes]
    lines = [f"{'create' if w.created else 'change'} {ctx.ws.relative(w.path)}" for w in writes]
    return {"lines": lines or ["nothing to change"], "files": files,
            "outputs": {"changed": files}}


def apply_writes(ctx: StepContext, writes: list[FileWrite]) -> list[str]:
    """Checkpoint every file of ``writes`` first, then write them (atomically, modes kept);
    the files written, root-relative."""
    from aim.docs.textdoc import apply_write

    for write in writes:
        ctx.checkpoint.file(write.path)
    for write in writes:
        apply_write(write)
        ctx.log(f"{'created' if write.created else 'changed'} {ctx.ws.relative(write.path)}")
    return [ctx.ws.relative(w.path) for w in writes]
