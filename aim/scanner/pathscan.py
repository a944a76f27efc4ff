"""PATH analysis: commands reached as different files from several PATH directories.

The first directory on PATH wins; later copies are shadowed.  Symlinks and hard links are
resolved, so one file reached twice is not a duplicate.  On Windows a command is any file whose
extension is in PATHEXT (``aider.exe`` and ``aider.cmd`` are both ``aider``); elsewhere it is a
regular file with an executable bit.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass

from aim.config.expand import expand
from aim.scanner.budget import Budget
from aim.scanner.managers import ManagerGuesser
from aim.scanner.model import Conflict, Duplicate, Executable, Shadowed

DEFAULT_PATHEXT = ".COM;.EXE;.BAT;.CMD"


@dataclass(frozen=True)
class PathFindings:
    duplicates: tuple[Duplicate, ...]
    shadowed: tuple[Shadowed, ...]
    conflicts: tuple[Conflict, ...]
    notes: tuple[str, ...]
    truncated: bool


def path_dirs(path_env: str, env: Mapping[str, str]) -> list[str]:
    """The directories of a PATH value, expanded, empty entries dropped."""
    return [expand(part.strip().strip('"'), env) for part in path_env.split(os.pathsep)
            if part.strip().strip('"')]


def pathext(env: Mapping[str, str]) -> list[str]:
    """PATHEXT's extensions, lower-cased, in order of preference."""
    raw = env.get("PATHEXT") or DEFAULT_PATHEXT
    return [ext.strip().lower() for ext in raw.split(";") if ext.strip()]


def commands_in(directory: str, exts: list[str] | None) -> dict[str, tuple[str, str]]:
    """``{key: (name, path)}`` of the commands in ``directory`` (``exts``: Windows PATHEXT).

    Raises OSError when the directory cannot be listed.
    """
    found: dict[str, tuple[str, str, int]] = {}
    with os.scandir(directory) as entries:
        for entry in entries:
            if exts is None:
                if _is_executable(entry):
                    found[entry.name] = (entry.name, entry.path, 0)
                continue
            stem, ext = os.path.splitext(entry.name)
            rank = exts.index(ext.lower()) if ext.lower() in exts else -1
            key = stem.casefold()
            if rank >= 0 and (key not in found or rank < found[key][2]) and _is_file(entry):
                found[key] = (stem, entry.path, rank)
    return {key: (name, path) for key, (name, path, _) in found.items()}


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _is_executable(entry: os.DirEntry[str]) -> bool:
    try:
        st = entry.stat()  # follows symlinks: a dangling link is no command
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and bool(st.st_mode & 0o111)


def _identity(path: str) -> tuple[object, str] | None:
    """A key equal for the same file reached twice (symlink, hard link), and its real path."""
    real = os.path.realpath(path)
    try:
        st = os.stat(path)
    except OSError:
        return None
    key: object = (st.st_dev, st.st_ino) if st.st_ino else os.path.normcase(real)
    return key, real


def analyse_path(path_env: str, env: Mapping[str, str], *, windows: bool,
                 guesser: ManagerGuesser, budget: Budget) -> PathFindings:
    """Duplicates, shadowed copies and manager conflicts among the commands on ``path_env``."""
    notes: list[str] = []
    dirs = path_dirs(path_env, env)
    places, cut = _collect(dirs, pathext(env) if windows else None, notes, budget)
    duplicates = [dup for key, copies in places.items() if len(copies) > 1
                  if (dup := _duplicate(copies, guesser)) is not None]
    duplicates.sort(key=lambda d: d.name.casefold())
    shadowed = [Shadowed(copy, d.winner) for d in duplicates for copy in d.shadowed]
    conflicts = [c for d in duplicates if (c := _conflict(d)) is not None]
    return PathFindings(tuple(duplicates), tuple(shadowed), tuple(conflicts), tuple(notes),
                        cut)


def _collect(dirs: list[str], exts: list[str] | None, notes: list[str],
             budget: Budget) -> tuple[dict[str, list[tuple[int, str, str]]], bool]:
    """``{key: [(position, name, path), …]}`` over the PATH directories, in PATH order, and
    whether the time budget cut the list short."""
    places: dict[str, list[tuple[int, str, str]]] = {}
    seen: set[str] = set()
    for position, directory in enumerate(dirs):
        if budget.expired():
            notes.append(f"PATH: time budget reached before {directory}; later PATH "
                         "entries were not examined")
            return places, True
        real = os.path.normcase(os.path.realpath(directory))
        if real in seen:
            continue  # the same folder listed twice cannot hold a second copy
        seen.add(real)
        try:
            commands = commands_in(directory, exts)
        except FileNotFoundError:
            notes.append(f"PATH entry {directory} does not exist")
            continue
        except OSError as err:
            notes.append(f"PATH entry {directory} cannot be read ({err.strerror or err})")
            continue
        for key, (name, path) in commands.items():
            places.setdefault(key, []).append((position, name, path))
    return places, False


def _duplicate(places: list[tuple[int, str, str]], guesser: ManagerGuesser) -> Duplicate | None:
    """The copies of one command that are different files, or None when there is only one."""
    copies: list[Executable] = []
    seen: set[object] = set()
    for position, name, path in places:
        ident = _identity(path)
        if ident is None or ident[0] in seen:
            continue
        seen.add(ident[0])
        manager, package = guesser.guess(ident[1])
        copies.append(Executable(name, path, ident[1], position, manager, package))
    if len(copies) < 2:
        return None
    return Duplicate(copies[0].name, copies[0], tuple(copies[1:]))


def _conflict(dup: Duplicate) -> Conflict | None:
    """A conflict when the copies come from two or more known managers."""
    managers: list[str] = []
    for copy in dup.copies:
        if copy.manager is not None and copy.manager not in managers:
            managers.append(copy.manager)
    if len(managers) < 2:
        return None
    return Conflict(dup.name, tuple(managers), dup.copies)
