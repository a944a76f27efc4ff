"""What the task declarations and their bodies share: the flags' help, the workspace from flags
and config (light: the program imports this at start-up; running a workflow is in
:mod:`aim.cli.running`)."""

from __future__ import annotations

from typing import Any

from aim.workspace import Workspace

ROOT_HELP = "workspace root (default: AIM_ROOT, aim.yaml 'root', or the current directory)"
JSON_HELP = "print the result as JSON"
DRY_HELP = "print the plan (steps, parameters, files that would change) and change nothing"


def workspace(c: Any, root: str | None) -> Workspace:
    """The workspace named by ``--root``, else by the configuration, else the current folder."""
    return Workspace.existing(root or _configured_root(c) or None)


def _configured_root(c: Any) -> str | None:
    """``root`` of the aim program's config, or ``aim.root`` of a repository's invoke config
    (AIM+'s tasks mounted in its tasks.py, see aim/tasks.py)."""
    if c is None:
        return None
    mounted = c.config.get("aim")
    return c.config.get("root") or (mounted.get("root") if hasattr(mounted, "get") else None)
