"""Checks of the machine: Python, required commands and paths, free disk space."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

from aim.checks import CheckResult, Status, result
from aim.health.deps import optional_module
from aim.health.model import HealthContext

MIN_PYTHON = (3, 10)


def check_python(hc: HealthContext, version: tuple[int, ...] | None = None) -> CheckResult:
    """Python is new enough for AIM+ (``version`` defaults to the running interpreter's)."""
    found = tuple(version or sys.version_info[:3])
    text = ".".join(str(part) for part in found)
    wanted = ".".join(str(part) for part in MIN_PYTHON)
    if found[:2] < MIN_PYTHON:
        return result("python", Status.FAIL, f"Python {text} is older than {wanted}",
                      f"install Python {wanted} or newer and reinstall AIM+ with it "
                      "(pipx install --python python3.12 aim-plus)")
    return result("python", Status.OK, f"Python {text} ({sys.executable})")


def check_commands(hc: HealthContext) -> CheckResult:
    """Every command in ``health.required_commands`` is on PATH."""
    wanted = hc.settings.required_commands
    if not wanted:
        return result("commands", Status.SKIP, "no health.required_commands in aim_config.json")
    missing = [name for name in wanted if shutil.which(name, path=hc.path_env) is None]
    if missing:
        return result("commands", Status.FAIL, f"not on PATH: {', '.join(missing)}",
                      "install them, or add the folders that hold them to PATH")
    return result("commands", Status.OK, f"all {len(wanted)} on PATH: {', '.join(wanted)}")


def expand(value: str) -> str:
    """``~``, ``$VAR`` and ``%VAR%`` expanded (by aim.config.expand when it is installed)."""
    shared = optional_module("aim.config.expand")
    if shared is not None:
        return str(shared.expand(value))
    text = re.sub(r"%([A-Za-z_][A-Za-z0-9_]*)%",
                  lambda m: os.environ.get(m.group(1), m.group(0)), value)
    return os.path.expandvars(os.path.expanduser(text))


def check_paths(hc: HealthContext) -> CheckResult:
    """Every path in ``health.required_paths`` exists (expanded; relative to the root)."""
    wanted = hc.settings.required_paths
    if not wanted:
        return result("paths", Status.SKIP, "no health.required_paths in aim_config.json")
    missing = []
    for raw in wanted:
        path = hc.ws.root / Path(expand(raw))
        if not path.exists():
            missing.append(raw if str(path) == raw else f"{raw} ({path})")
    if missing:
        return result("paths", Status.FAIL, f"missing: {', '.join(missing)}",
                      "create them, or correct health.required_paths in aim_config.json")
    return result("paths", Status.OK, f"all {len(wanted)} present")


def _existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_disk(hc: HealthContext) -> CheckResult:
    """The disk that holds the workspace has at least ``health.min_free_mb`` free."""
    where = _existing(hc.ws.root)
    free_mb = shutil.disk_usage(where).free // (1024 * 1024)
    least = hc.settings.min_free_mb
    if free_mb < least:
        return result("disk", Status.FAIL,
                      f"{free_mb} MB free on the disk of {where}, below {least} MB",
                      "free some space there (backups and checkpoints need it), or lower "
                      "health.min_free_mb in aim_config.json")
    return result("disk", Status.OK, f"{free_mb} MB free (at least {least} MB wanted)")
