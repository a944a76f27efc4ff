"""Look for secret values in files: the values the keyring holds, in every encoded form."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from aim.redact import encoded_forms

MAX_FILE = 64 * 1024 * 1024  # larger files are not read (none of ours comes near)


def _pattern(values: Iterable[str]) -> re.Pattern[bytes] | None:
    needles: set[bytes] = set()
    for value in values:
        for form in encoded_forms(value):
            needles.add(form.encode("utf-8"))
            needles.add(form.encode("utf-16-le"))  # files written by Windows tools
    if not needles:
        return None
    ordered = sorted(needles, key=len, reverse=True)
    return re.compile(b"|".join(re.escape(n) for n in ordered))


def _files(root: Path) -> Iterable[Path]:
    for folder, dirs, files in os.walk(root):  # never follows symlinked folders
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in files:
            path = Path(folder, name)
            if not path.is_symlink():
                yield path


def find_leaks(roots: Iterable[Path], values: Iterable[str]) -> tuple[int, list[Path]]:
    """(files read, files holding any of ``values`` in any encoded form)."""
    pattern = _pattern(values)
    seen, leaks = 0, []
    for root in roots:
        for path in _files(root):
            try:
                if path.stat().st_size > MAX_FILE:
                    continue
                data = path.read_bytes()
            except OSError:
                continue
            seen += 1
            if pattern is not None and pattern.search(data):
                leaks.append(path)
    return seen, leaks
