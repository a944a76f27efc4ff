"""What each package manager says is installed: its listing command and how to read it.

pipx, npm and pnpm give JSON; ``uv tool list`` gives lines such as ``ruff v0.6.9`` (followed by
``- ruff`` lines naming the executables).  winget's listing is a table meant for people, so
winget packages are known only through their tools' version commands.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

Parser = Callable[[str], dict[str, str]]

_UV_LINE = re.compile(r"^(\S+)\s+v(\S+)")


def normalize(manager: str, package: str) -> str:
    """The name a listing is keyed by: PEP 503 for Python packages, as is for npm/pnpm/winget."""
    if manager in ("pipx", "uv"):
        return re.sub(r"[-_.]+", "-", package).lower()
    return package


def parse_pipx(text: str) -> dict[str, str]:
    """``pipx list --json``: venvs → metadata → main_package → package, package_version."""
    found = {}
    for venv in (json.loads(text).get("venvs") or {}).values():
        main = (venv.get("metadata") or {}).get("main_package") or {}
        if main.get("package") and main.get("package_version"):
            found[normalize("pipx", str(main["package"]))] = str(main["package_version"])
    return found


def parse_npm(text: str) -> dict[str, str]:
    """``npm ls -g --json --depth=0``: dependencies → name → version."""
    deps = json.loads(text).get("dependencies") or {}
    return {name: str(info["version"]) for name, info in deps.items()
            if isinstance(info, dict) and info.get("version")}


def parse_pnpm(text: str) -> dict[str, str]:
    """``pnpm ls -g --json``: a list of projects, each with dependencies → name → version."""
    data = json.loads(text)
    found: dict[str, str] = {}
    for project in data if isinstance(data, list) else [data]:
        found.update(parse_npm(json.dumps(project)))
    return found


def parse_uv(text: str) -> dict[str, str]:
    """``uv tool list``: a ``name vX.Y.Z`` line per tool, ``- exe`` lines under it."""
    found = {}
    for line in text.splitlines():
        match = _UV_LINE.match(line)
        if match and not line.startswith("-"):
            found[normalize("uv", match.group(1))] = match.group(2)
    return found


# manager → (argument list, parser, whether a non-zero exit may still carry a full listing)
LISTINGS: dict[str, tuple[tuple[str, ...], Parser, bool]] = {
    "pipx": (("pipx", "list", "--json"), parse_pipx, False),
    # npm ls exits 1 when the tree has problems (extraneous, invalid) but still lists it.
    "npm": (("npm", "ls", "-g", "--json", "--depth=0"), parse_npm, True),
    "pnpm": (("pnpm", "ls", "-g", "--json", "--depth=0"), parse_pnpm, False),
    "uv": (("uv", "tool", "list"), parse_uv, False),
}
