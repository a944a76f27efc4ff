"""Generic file actions: write, copy, move, delete, create a folder (paths are root-relative).

Every path is checked by ``ctx.path`` before anything changes, in a dry run too (the previews
check the same paths): nothing outside the root (symlinks followed) and never the state
folder, nor a folder that holds it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from aim.actions.registry import action
from aim.errors import StepFailed
from aim.fsio import atomic_write_bytes
from aim.workflow.context import StepContext

Preview = Callable[..., dict[str, Any]]


def _touches(*names: str) -> Any:
    def touches(params: Mapping[str, Any]) -> list[str]:
        return [str(params[name]) for name in names if params.get(name) is not None]

    return touches


def _preview(verb: str, *names: str) -> Preview:
    """A preview that checks the paths ``names`` as the action would and says what it does;
    the last one is the path it changes (a move changes both)."""

    def preview(ctx: StepContext, **params: Any) -> dict[str, Any]:
        paths = [str(params[name]) for name in names]
        for rel in paths:
            ctx.path(rel)
        changed = paths if verb.startswith("move") else paths[-1:]
        return {"lines": [verb.format(*paths)], "files": changed}

    return preview


def _existing(ctx: StepContext, rel: str, what: str) -> Path:
    source = ctx.path(rel)
    if not (source.exists() or source.is_symlink()):
        raise StepFailed(f"{what}: {rel} does not exist in {ctx.ws.root}")
    return source


def _remove(target: Path) -> None:
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    elif target.exists() or target.is_symlink():
        target.unlink()


@action("file.write", outputs=("path",), touches=_touches("path"),
        preview=_preview("write {0}", "path"))
def file_write(ctx: StepContext, path: str, content: str,
               mode: int | None = None) -> dict[str, Any]:
    """Write ``content`` (UTF-8 text) to ``path``, atomically; ``mode`` like 0o644 optional."""
    target = ctx.path(path)
    ctx.checkpoint.file(target)
    keep = target.stat().st_mode & 0o7777 if target.is_file() else None
    atomic_write_bytes(target, content.encode("utf-8"), mode if mode is not None else keep)
    return {"path": path}


@action("file.copy", outputs=("dest",), touches=_touches("dest"),
        preview=_preview("copy {0} to {1}", "src", "dest"))
def file_copy(ctx: StepContext, src: str, dest: str) -> dict[str, Any]:
    """Copy the file or folder ``src`` to ``dest`` (replacing it), keeping modes and symlinks."""
    source, target = _existing(ctx, src, "file.copy"), ctx.path(dest)
    ctx.checkpoint.tree(target)
    _remove(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir() and not source.is_symlink():
        shutil.copytree(source, target, symlinks=True)
    else:
        shutil.copy2(source, target, follow_symlinks=False)
    return {"dest": dest}


@action("file.move", outputs=("dest",), touches=_touches("src", "dest"),
        preview=_preview("move {0} to {1}", "src", "dest"))
def file_move(ctx: StepContext, src: str, dest: str) -> dict[str, Any]:
    """Move (rename) the file or folder ``src`` to ``dest``; an existing ``dest`` is replaced."""
    source, target = _existing(ctx, src, "file.move"), ctx.path(dest)
    ctx.checkpoint.tree(source)
    ctx.checkpoint.tree(target)
    _remove(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(source), str(target))
    return {"dest": dest}


@action("file.delete", outputs=("deleted",), touches=_touches("path"),
        preview=_preview("delete {0}", "path"))
def file_delete(ctx: StepContext, path: str, missing_ok: bool = False) -> dict[str, Any]:
    """Delete the file or folder ``path``; a missing one fails unless ``missing_ok``.

    It is moved, whole, into the run's folder (``.aim/runs/<run-id>/taken/``), where a
    rollback takes it back from; it is gone for good when ``aim prune`` removes the run."""
    target = ctx.path(path)
    if not (target.exists() or target.is_symlink()):
        if missing_ok:
            return {"deleted": False}
        raise StepFailed(f"file.delete: {path} does not exist in {ctx.ws.root} (set "
                         "missing_ok: true if that is fine)")
    if not ctx.checkpoint.take(target):  # moved aside whole, as the undo's copy
        _remove(target)
    return {"deleted": True}


@action("dir.create", outputs=("path",), touches=_touches("path"),
        preview=_preview("create the folder {0}", "path"))
def dir_create(ctx: StepContext, path: str) -> dict[str, Any]:
    """Create the folder ``path`` and any missing parents (nothing happens if it exists)."""
    target = ctx.path(path)
    if not target.is_dir():
        ctx.checkpoint.tree(target)
        target.mkdir(parents=True, exist_ok=True)
    return {"path": path}
