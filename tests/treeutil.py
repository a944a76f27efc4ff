"""An exact picture of a folder tree, to assert "byte-identical" in tests."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def snapshot_tree(root: Path, exclude: frozenset[str] = frozenset({".aim"})) -> dict[str, tuple]:
    """Relative path → (kind, mode, bytes or link target), for every entry under ``root``.

    Directories carry their mode; symlinks are recorded, never followed; top-level names in
    ``exclude`` are left out (the state folder).
    """
    picture: dict[str, tuple] = {}
    for folder, dirs, files in os.walk(root):
        rel_folder = Path(folder).relative_to(root)
        if rel_folder == Path("."):
            dirs[:] = [d for d in dirs if d not in exclude]
            files = [f for f in files if f not in exclude]
        for name in [*dirs, *files]:
            path = Path(folder) / name
            info = path.lstat()
            rel = (rel_folder / name).as_posix()
            mode = stat.S_IMODE(info.st_mode)
            if stat.S_ISLNK(info.st_mode):
                picture[rel] = ("symlink", None, os.readlink(path))
            elif stat.S_ISDIR(info.st_mode):
                picture[rel] = ("dir", mode, None)
            else:
                picture[rel] = ("file", mode, path.read_bytes())
    return picture
