"""Generic file actions: write, copy, move, delete, create a folder (paths are root-relative)."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from typing import Any

from aim.actions.registry import action
from aim.errors import StepFailed
from aim.fsio import atomic_write_bytes
from aim.workflow.context import StepContext


def _touches(*names: str) -> Any:
    def touches(params: Mapping[str, Any]) -> list[str]:
        return [str(params[name]) for name in names if params.get(name) is not None]

    return touches


@action("file.write", outputs=("path",), touches=_touches("path"))
def file_write(ctx: StepContext, path: str, content: str,
               mode: int | None = None) -> dict[str, Any]:
    """Write ``content`` (UTF-8 text) to ``path``, atomically; ``mode`` like 0o644 optional."""
    target = ctx.path(path)
    ctx.checkpoint.file(target)
    keep = target.stat().st_mode & 0o7777 if target.is_file() else None
    atomic_write_bytes(target, content.encode("utf-8"), mode if mode is not None else keep)
    return {"path": path}


def _existing(ctx: StepContext, rel: str, what: str) -> Any:
    source = ctx.path(rel)
    if not (source.exists() or source.is_symlink()):
        raise StepFailed(f"{what}: {rel} does not exist in {ctx.ws.root}")
    return source


@action("file.copy", outputs=("dest",), touches=_touches("dest"))
def file_copy(ctx: StepContext, src: str, dest: str) -> dict[str, Any]:
    """Copy the file or folder ``src`` to ``dest`` (replacing it), keeping modes and symlinks."""
    source, target = _existing(ctx, src, "file.copy"), ctx.path(dest)
    ctx.checkpoint.tree(target)
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    elif target.exists() or target.is_symlink():
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir() and not source.is_symlink():
        shutil.copytree(source, target, symlinks=True)
    else:
        shutil.copy2(source, target, follow_symlinks=False)
    return {"dest": dest}


@action("file.move", outputs=("dest",), touches=_touches("src", "dest"))
def file_move(ctx: StepContext, src: str, dest: str) -> dict[str, Any]:
    """Move (rename) the file or folder ``src`` to ``dest``; an existing ``dest`` is replaced."""
    source, target = _existing(ctx, src, "file.move"), ctx.path(dest)
    ctx.checkpoint.tree(source)
    ctx.checkpoint.tree(target)
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(source), str(target))
    return {"dest": dest}


@action("file.delete", outputs=("deleted",), touches=_touches("path"))
def file_delete(ctx: StepContext, path: str, missing_ok: bool = False) -> dict[str, Any]:
    """Delete the file or folder ``path``; a missing one fails unless ``missing_ok``."""
    target = ctx.path(path)
    if not (target.exists() or target.is_symlink()):
        if missing_ok:
            return {"deleted": False}
        raise StepFailed(f"file.delete: {path} does not exist in {ctx.ws.root} (set "
                         "missing_ok: true if that is fine)")
    ctx.checkpoint.tree(target)
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    else:
        target.unlink()
    return {"deleted": True}


@action("dir.create", outputs=("path",), touches=_touches("path"))
def dir_create(ctx: StepContext, path: str) -> dict[str, Any]:
    """Create the folder ``path`` and any missing parents (nothing happens if it exists)."""
    target = ctx.path(path)
    if not target.is_dir():
        ctx.checkpoint.tree(target)
        target.mkdir(parents=True, exist_ok=True)
    return {"path": path}
