"""Writing workflow files and running them in tmp workspaces."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from aim.workflow.context import Hooks
from aim.workflow.loader import load_workflow
from aim.workflow.results import RunResult
from aim.workflow.runner import RunOptions, run_workflow
from aim.workspace import Workspace


def write_workflow(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def make_workspace(root: Path) -> Workspace:
    """A small tree with files, a mode, a nested folder and a symlink."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "a.txt").write_text("alpha\n")
    (root / "sub").mkdir()
    (root / "sub" / "b.txt").write_text("beta\n")
    (root / "sub" / "b.txt").chmod(0o640)
    (root / "sub" / "deep").mkdir()
    (root / "sub" / "deep" / "c.bin").write_bytes(bytes(range(256)))
    (root / "link").symlink_to("a.txt")
    return Workspace.at(root)


class Recorder:
    """Hooks that remember every audit event and progress line."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str | None, dict[str, Any]]] = []
        self.lines: list[str] = []

    def hooks(self, **extra: Any) -> Hooks:
        return Hooks(audit=lambda k, r, d: self.events.append((k, r, dict(d))),
                     progress=self.lines.append, **extra)


def run(ws: Workspace, path: Path, hooks: Hooks | None = None, **options: Any) -> RunResult:
    return run_workflow(ws, load_workflow(str(path)), RunOptions(**options), hooks or Hooks())
