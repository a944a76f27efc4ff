"""Fake tool executables and cache trees for the scanner tests."""

from __future__ import annotations

import os
from pathlib import Path


def make_tool(folder: Path, name: str, says: str = "") -> Path:
    """An executable shell script ``folder/name`` that prints ``says`` (default: its path)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\necho {says or path}\n")
    path.chmod(0o755)
    return path


def make_file(path: Path, size: int) -> Path:
    """A file of exactly ``size`` bytes (parents created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    return path


def path_of(*folders: Path) -> str:
    """A PATH value listing ``folders`` in order."""
    return os.pathsep.join(str(f) for f in folders)
