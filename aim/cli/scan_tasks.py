"""``scan``: duplicate and conflicting commands on PATH, and cache directories with sizes."""

from __future__ import annotations

from typing import Any

from invoke.tasks import task

from aim.cli.common import JSON_HELP, ROOT_HELP
from aim.cli.handler import handled
from aim.cli.lazy import implemented_by


@task(iterable=["roots"], help={
    "root": ROOT_HELP, "json": JSON_HELP,
    "roots": "scan this folder for caches instead of the config's scan.roots (repeatable)",
    "path_only": "only analyse PATH", "caches_only": "only look for cache directories",
})
@handled
@implemented_by("aim.cli.scan_commands:scan")
def scan(c: Any, root: str | None = None, json: bool = False, path_only: bool = False,
         caches_only: bool = False, roots: list[str] | None = None) -> None:
    """Find commands shadowed on PATH, tools installed twice, and cache folders (warnings only)."""
