"""A writable copy of the sample legacy workspace, and deploy's document operations in order."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from aim.docs.consolidate import apply_consolidation, plan_consolidation
from aim.docs.deprecate import Layout, plan_deprecation
from aim.docs.textdoc import apply_write
from aim.docs.update import plan_updates
from aim.workspace import Workspace

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "workspace"
MCP = ("AUX_mcp-data", "docs/integrations/MCP", "archive/AUX_mcp-data")


def sample_workspace(tmp_path: Path) -> Workspace:
    """A copy of samples/workspace whose files and folders the user can write."""
    root = tmp_path / "ws"
    shutil.copytree(SAMPLE, root)
    for folder, _, files in os.walk(root):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(Path(folder) / name, 0o644)
    return Workspace.at(root)


def run_all(ws: Workspace) -> None:
    """Deprecate AI_MANGER, consolidate AUX_mcp-data, update the docs (the library calls)."""
    for write in plan_deprecation(ws, Layout()):
        apply_write(write)
    apply_consolidation(ws, plan_consolidation(ws, *MCP))
    for write in plan_updates(ws):
        apply_write(write)


def write(path: Path, text: str) -> Path:
    """Write ``text`` as UTF-8 with LF newlines, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path
