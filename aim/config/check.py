"""Check a workspace's inputs together: aim_config.json and every workflow file, all errors.

Used by the ``config.validate`` action and ``aim config.check``; the shipped workflows and
the workspace's own (see aim/workflow/sources.py) are all loaded with the workflow loader.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aim.config.load import config_path, default_data, default_path, load_config, raise_problems
from aim.config.validate import validate_data
from aim.errors import AimError, InputError
from aim.fsio import atomic_write_bytes
from aim.resources import shipped_dir
from aim.workflow.loader import load_workflow
from aim.workflow.sources import search_dirs
from aim.workspace import Workspace


@dataclass(frozen=True)
class CheckReport:
    """What was checked and every problem found (``ok``: none)."""

    config: str
    workflows: tuple[str, ...]
    errors: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON data."""
        return {"ok": self.ok, "config": self.config, "workflows": list(self.workflows),
                "errors": list(self.errors)}


def workflow_files(ws: Workspace) -> list[Path]:
    """The shipped workflow files, then the workspace's own (its workflows folder)."""
    folders = [shipped_dir("workflows"), *search_dirs(ws)]
    seen: list[Path] = []
    for folder in folders:
        for file in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            if file.resolve() not in seen:
                seen.append(file.resolve())
    return seen


def _errors_of(check: Any) -> list[str]:
    try:
        check()
    except AimError as err:
        return str(err).splitlines()
    return []


def check_workflows(ws: Workspace) -> tuple[list[Path], list[str]]:
    """Every workflow file (shipped, then the workspace's own) and the problems found in them."""
    extra = search_dirs(ws)
    files = workflow_files(ws)
    errors: list[str] = []
    for file in files:
        errors += _errors_of(lambda file=file: load_workflow(file, extra))
    return files, errors


def check_workspace(ws: Workspace) -> CheckReport:
    """Validate the workspace's config and every workflow file, collecting all problems."""
    files, problems = check_workflows(ws)
    errors = _errors_of(lambda: load_config(ws)) + problems
    return CheckReport(str(config_path(ws)), tuple(map(str, files)), tuple(errors))


def init_config(ws: Workspace, *, dry_run: bool = False) -> Path:
    """Write the shipped default config into a workspace that has none; return its path."""
    target = config_path(ws)
    if target.exists():
        raise InputError(f"{target}: a config already exists; 'aim config.init' never "
                         "overwrites one (edit it, or move it away first)")
    source = default_path()
    raise_problems(validate_data(default_data(), str(source)))
    if not dry_run:  # the shipped file as it is, with its hand-made layout
        atomic_write_bytes(target, source.read_bytes(), 0o644)
    return target
