"""Fake npm, pnpm, pipx and uv that remember what they installed (a JSON file per manager).

Unlike :mod:`tests.versions.fakes` (canned outputs), these behave like the managers for the
commands AIM+ runs: an install changes what the listing prints, an uninstall removes it, and a
package not in ``available`` fails to install, as a name unknown to the registry does.
"""

from __future__ import annotations

import json
import stat
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from tests.versions.fakes import calls

__all__ = ["calls", "install", "installed", "managers"]

_SCRIPT = """#!{python}
import json, pathlib, sys
here = pathlib.Path(__file__).resolve().parent
name, args = pathlib.Path(sys.argv[0]).name, sys.argv[1:]
with open(here / "calls.jsonl", "a", encoding="utf-8") as log:
    log.write(json.dumps([name, *args]) + "\\n")
state_file = here / f"state-{{name}}.json"
state = json.loads(state_file.read_text()) if state_file.exists() else {{}}
available = {available!r}
words = [a for a in args if not a.startswith("-") and a != "tool"]
verb = words[0] if words else ""

def split(spec):
    if name in ("npm", "pnpm"):
        at = spec.rfind("@")
        return (spec[:at], spec[at + 1:]) if at > 0 else (spec, "9.9.9")
    pkg, _, ver = spec.partition("==")
    return pkg, ver or "9.9.9"

if verb in ("ls", "list"):
    if name == "npm":
        print(json.dumps({{"dependencies": {{k: {{"version": v}} for k, v in state.items()}}}}))
    elif name == "pnpm":
        print(json.dumps([{{"path": str(here), "dependencies":
                           {{k: {{"version": v}} for k, v in state.items()}}}}]))
    elif name == "pipx":
        venvs = {{k: {{"metadata": {{"main_package": {{"package": k, "package_version": v}}}}}}
                 for k, v in state.items()}}
        print(json.dumps({{"venvs": venvs}}))
    else:
        print("".join(f"{{k}} v{{v}}\\n- {{k}}\\n" for k, v in state.items()) or "No tools")
    sys.exit(0)
if verb in ("install", "add"):
    pkg, ver = split(words[1])
    ver = ver.lstrip("^~=<>")
    if pkg not in available:
        print(f"404 Not Found: {{pkg}}", file=sys.stderr)
        sys.exit(1)
    state[pkg] = ver
elif verb in ("uninstall", "remove"):
    if words[1] not in state:
        print(f"Nothing to uninstall for {{words[1]}}", file=sys.stderr)
        sys.exit(1 if name == "pipx" else 0)
    del state[words[1]]
state_file.write_text(json.dumps(state))
"""

NAMES = ("npm", "pnpm", "pipx", "uv")


def managers(folder: Path, available: Iterable[str] = ("cowsay", "aider-chat", "ruff"),
             names: Iterable[str] = NAMES) -> Path:
    """Stateful fake managers in ``folder`` (created), installing only ``available``."""
    folder.mkdir(parents=True, exist_ok=True)
    script = _SCRIPT.format(python=sys.executable, available=sorted(set(available)))
    for name in names:
        path = folder / name
        path.write_text(script, encoding="utf-8")
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return folder


def install(folder: Path, manager: str, packages: Mapping[str, str]) -> None:
    """Set what ``manager`` has installed, as a user's own install would."""
    state = installed(folder, manager) | dict(packages)
    (folder / f"state-{manager}.json").write_text(json.dumps(state), encoding="utf-8")


def installed(folder: Path, manager: str) -> dict[str, str]:
    """What ``manager`` has installed now."""
    state = folder / f"state-{manager}.json"
    return dict(json.loads(state.read_text(encoding="utf-8"))) if state.exists() else {}
