"""The bodies of the tasks declared in :mod:`aim.cli.scan_tasks`."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from aim.cli import render
from aim.cli.common import workspace
from aim.cli.render import human_size
from aim.config.expand import expand
from aim.config.load import config_path, load_config
from aim.config.model import ScanSettings
from aim.errors import InputError
from aim.scanner import DEFAULT_CACHE_PATTERNS
from aim.scanner import scan as run_scan

if TYPE_CHECKING:
    from aim.scanner.model import Executable, ScanReport
    from aim.workspace import Workspace


def scan(c: Any, root: str | None = None, json: bool = False, path_only: bool = False,
         caches_only: bool = False, roots: list[str] | None = None) -> None:
    """Find commands shadowed on PATH, tools installed twice, and cache folders (warnings only)."""
    if path_only and caches_only:
        raise InputError("--path-only and --caches-only exclude each other; give one of them "
                         "(or neither, to scan both)")
    settings, notes = scan_settings(workspace(c, root), roots or [])
    report = run_scan(settings, path=not caches_only, caches=not path_only)
    if json:
        render.emit_json({**report.to_dict(), "notes": [*notes, *report.notes]})
        return
    print_report(report, notes)


def scan_settings(ws: Workspace, roots: Sequence[str]) -> tuple[ScanSettings, list[str]]:
    """The config's scan settings (defaults without a config), with ``--roots`` replacing
    ``scan.roots``; plus notes on where they came from."""

    for folder in roots:
        if not os.path.isdir(expand(folder)):
            raise InputError(f"--roots {folder}: no such directory; give an existing folder "
                             "to scan for caches")
    settings, notes = _configured(ws)
    return (replace(settings, roots=tuple(roots)) if roots else settings), notes


def _configured(ws: Workspace) -> tuple[ScanSettings, list[str]]:
    if not ws.root.is_dir():
        raise InputError(f"--root {ws.root}: no such directory; give the workspace folder")
    fallback = ScanSettings(cache_patterns=DEFAULT_CACHE_PATTERNS)
    if not config_path(ws).exists():
        return fallback, [f"no aim_config.json in {ws.root}; using the default scan settings"]
    return load_config(ws).scan, []


def print_report(report: ScanReport, notes: Sequence[str] = ()) -> None:
    """The report as aligned tables, then the notes and a one-line summary."""
    if report.duplicates:
        render.say(f"Commands found in more than one PATH folder ({len(report.duplicates)}):")
        rows = [[d.name if i == 0 else "", "wins" if i == 0 else "shadowed",
                 _manager(copy), _where(copy)] for d in report.duplicates
                for i, copy in enumerate(d.copies)]
        render.say(render.table(["COMMAND", "STATUS", "MANAGER", "PATH"], rows))
        render.say()
    if report.conflicts:
        render.say(f"Installed by more than one manager ({len(report.conflicts)}):")
        rows = [[c.name, ", ".join(c.managers), _manager(c.copies[0])] for c in report.conflicts]
        render.say(render.table(["COMMAND", "MANAGERS", "WINS"], rows))
        render.say()
    if report.caches:
        render.say(f"Cache directories ({len(report.caches)}, "
                   f"{human_size(report.cache_bytes)} in all):")
        rows = [[human_size(c.size) + ("" if c.complete else "+"), str(c.files), c.pattern, c.path]
                for c in report.caches]
        render.say(render.table(["SIZE", "FILES", "PATTERN", "PATH"], rows))
        render.say()
    for note in [*notes, *report.notes]:
        render.say(f"note: {note}")
    partial = " (partial: time budget reached)" if report.truncated else ""
    render.say(f"{report.findings} finding(s) in {report.duration:.2f} s{partial}")


def _manager(copy: Executable) -> str:
    if copy.manager is None:
        return "?"
    return f"{copy.manager} ({copy.package})" if copy.package else copy.manager


def _where(copy: Executable) -> str:
    return copy.path if copy.real_path == copy.path else f"{copy.path} -> {copy.real_path}"
