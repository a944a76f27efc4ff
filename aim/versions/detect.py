"""Detect installed versions: tools' version commands and managers' listings, concurrently.

Every command runs through :func:`aim.proc.run` with a timeout.  An executable that is not on
PATH is a ``missing`` result (nothing is started); a command that hangs is a ``timeout``
result; output that cannot be read is an ``error`` result: never an exception.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TypeVar

from aim import proc
from aim.checks import concurrency
from aim.versions.listings import LISTINGS

OK = "ok"
MISSING = "missing"
TIMEOUT = "timeout"
ERROR = "error"
UNSUPPORTED = "unsupported"
T = TypeVar("T")

# The first version-looking token: 0.86.1, v20.11.0, 2.0.0-beta.1, 1.2rc1, 1.0.post2.
_VERSION_TOKEN = re.compile(
    r"(?<![\w.-])v?(\d+(?:\.\d+)+(?:-[0-9A-Za-z][0-9A-Za-z.-]*|(?:a|b|rc)\d+"
    r"|\.(?:dev|post)\d+)?(?:\+[0-9A-Za-z.]+)?)"
)

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")  # colour codes some CLIs print even to a pipe


@dataclass(frozen=True)
class ToolProbe:
    """What a tool's version command gave: ``state`` ok/missing/timeout/error."""

    tool: str
    state: str
    version: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class Listing:
    """What a manager lists as installed (normalised name → version)."""

    manager: str
    state: str
    packages: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    detail: str = ""


def parse_version(text: str) -> str | None:
    """The first version-looking token of ``text`` (``aider 0.86.1`` → ``0.86.1``), or None."""
    match = _VERSION_TOKEN.search(_ANSI.sub("", text))
    return match.group(1) if match else None


def search_path(path: str | None = None) -> str:
    """The PATH to search: ``path`` if given, else the process's PATH."""
    return path if path is not None else os.environ.get("PATH", os.defpath)


def locate(names: Iterable[str], path: str | None = None) -> tuple[str | None, tuple[str, ...]]:
    """The executable that wins on PATH for the first name found, and every copy on PATH."""
    full = search_path(path)
    winner = next((found for name in names if (found := shutil.which(name, path=full))), None)
    copies: list[str] = []
    for name in names:
        for folder in dict.fromkeys(full.split(os.pathsep)):
            found = shutil.which(name, path=folder) if folder else None
            if found and found not in copies:
                copies.append(found)
    return winner, tuple(copies)


def run_command(argv: Sequence[str], timeout: float, path: str | None) -> proc.ProcResult:
    """Run ``argv`` with its executable resolved on ``path``; missing → no process started."""
    full = search_path(path)
    exe = shutil.which(argv[0], path=full)
    if exe is None:
        return proc.ProcResult(tuple(argv), None, "", "", 0.0, missing=True)
    env = {"PATH": full} if path is not None else None
    return proc.run([exe, *argv[1:]], timeout=timeout, env=env)


def probe_tool(tool: str, argv: Sequence[str], timeout: float,
               path: str | None = None) -> ToolProbe:
    """Run one tool's version command and read its version."""
    if not argv:
        return ToolProbe(tool, ERROR, detail="no version_command in the config")
    result = run_command(argv, timeout, path)
    if result.missing:
        return ToolProbe(tool, MISSING, detail=f"{argv[0]} is not on PATH")
    if result.timed_out:
        return ToolProbe(tool, TIMEOUT, detail=f"{argv[0]} timed out after {timeout:g}s")
    version = parse_version(result.stdout) or parse_version(result.stderr)
    if version is None:
        first = (result.stdout or result.stderr).strip().splitlines()[:1]
        shown = f": {first[0][:80]!r}" if first else ""
        return ToolProbe(tool, ERROR, detail=f"no version in the output of "
                         f"{' '.join(argv)} (exit code {result.returncode}){shown}")
    return ToolProbe(tool, OK, version)


def list_manager(manager: str, timeout: float, path: str | None = None) -> Listing:
    """Ask ``manager`` what it has installed (``unsupported`` for managers without a listing)."""
    if manager not in LISTINGS:
        return Listing(manager, UNSUPPORTED, detail=f"{manager} has no listing AIM+ can read")
    argv, parse, nonzero_ok = LISTINGS[manager]
    result = run_command(argv, timeout, path)
    if result.missing:
        return Listing(manager, MISSING, detail=f"{manager} is not on PATH")
    if result.timed_out:
        return Listing(manager, TIMEOUT, detail=f"{' '.join(argv)} timed out after {timeout:g}s")
    if result.returncode != 0 and not (nonzero_ok and result.stdout.strip()):
        return Listing(manager, ERROR, detail=f"{' '.join(argv)}: exit code {result.returncode}")
    try:
        packages = parse(result.stdout)
    except (ValueError, AttributeError, TypeError, KeyError) as err:
        return Listing(manager, ERROR, detail=f"{' '.join(argv)}: unreadable output ({err})")
    return Listing(manager, OK, MappingProxyType(packages))


@dataclass(frozen=True)
class Detection:
    """Every probe and listing of one check."""

    tools: Mapping[str, ToolProbe]
    listings: Mapping[str, Listing]


def detect(commands: Mapping[str, Sequence[str]], managers: Iterable[str], *,
           timeout: float, path: str | None = None, workers: int | None = None) -> Detection:
    """Run every tool's version command and every manager's listing, ``workers`` at a time
    (default: :func:`aim.checks.concurrency`), each within ``timeout`` of its own start."""
    managers = list(dict.fromkeys(managers))
    jobs = len(commands) + len(managers)
    with ThreadPoolExecutor(max_workers=max(1, min(workers or concurrency(), jobs))) as pool:
        tools = {tool: pool.submit(probe_tool, tool, argv, timeout, path)
                 for tool, argv in commands.items()}
        listings = {m: pool.submit(list_manager, m, timeout, path) for m in managers}
        return Detection(_results(tools), _results(listings))


def _results(futures: Mapping[str, Future[T]]) -> Mapping[str, T]:
    return MappingProxyType({key: future.result() for key, future in futures.items()})
