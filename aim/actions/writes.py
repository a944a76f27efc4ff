"""The one way a step previews and applies its planned file writes: check and checkpoint all,
then write."""

from __future__ import annotations

from typing import Any

from aim.docs.textdoc import FileWrite, apply_write
from aim.workflow.context import StepContext


def check_writes(ctx: StepContext, writes: list[FileWrite]) -> list[str]:
    """The root-relative paths of ``writes``, each checked first (UnsafePath when a symlink
    leads it outside the root or it is in the state folder), before any is written."""
    return [ctx.ws.relative(ctx.ws.check(w.path)) for w in writes]


def preview_writes(ctx: StepContext, writes: list[FileWrite]) -> dict[str, Any]:
    """A dry run's preview of ``writes``: a line per file, the files, and ``changed``."""
    files = check_writes(ctx, writes)
    lines = [f"{'create' if w.created else 'change'} {f}"
             for w, f in zip(writes, files, strict=True)]
    return {"lines": lines or ["nothing to change"], "files": files,
            "outputs": {"changed": files}}


def apply_writes(ctx: StepContext, writes: list[FileWrite]) -> list[str]:
    """Check and checkpoint every file of ``writes`` first, then write them (atomically,
    modes kept); the files written, root-relative."""

    files = check_writes(ctx, writes)
    for write in writes:
        ctx.checkpoint.file(write.path)
    for write, file in zip(writes, files, strict=True):
        apply_write(write)
        ctx.log(f"{'created' if write.created else 'changed'} {file}")
    return files
