"""Fake pipx and npm that remember what they installed, on a tmp PATH.

Unlike tests/versions/fakes.py (canned outputs), these keep the installed packages in
``state.json`` beside them, so a listing after an install shows the new version, and an
uninstall of an absent package fails as pipx's does.  Every call is appended to ``calls.jsonl``
(read it with ``tests.versions.fakes.calls``).  A file ``hang-<package>`` in the folder (a
``/`` in the name written as ``_``) makes an install of that package change the state, write
its pid to ``started-<package>`` and hang; ``fail-<package>`` makes it fail, changing nothing.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Mapping
from pathlib import Path

_SCRIPT = r'''#!{python}
import json, os, pathlib, sys, time
here = pathlib.Path(__file__).resolve().parent
name, args = pathlib.Path(sys.argv[0]).name, sys.argv[1:]
with open(here / "calls.jsonl", "a", encoding="utf-8") as log:
    log.write(json.dumps([name, *args]) + "\n")
state = json.loads((here / "state.json").read_text())
mine = state.setdefault(name, {{}})

def save():
    tmp = here / "state.json.tmp"
    tmp.write_text(json.dumps(state))
    os.replace(tmp, here / "state.json")

def listing():
    if name == "pipx":
        venvs = {{p: {{"metadata": {{"main_package": {{"package": p, "package_version": v}}}}}}
                 for p, v in mine.items()}}
        return json.dumps({{"venvs": venvs}})
    return json.dumps({{"dependencies": {{p: {{"version": v}} for p, v in mine.items()}}}})

words = [a for a in args if not a.startswith("-")]
if words[:1] in (["list"], ["ls"]):
    print(listing())
    sys.exit(0)
if words[:1] == ["install"]:
    spec = words[1]
    package, _, version = spec.partition("==") if name == "pipx" else spec.rpartition("@")
    key = package.replace("/", "_")
    if (here / f"fail-{{key}}").exists():
        print(f"cannot install {{spec}}", file=sys.stderr)
        sys.exit(1)
    if name == "pipx" and package in mine and "--force" not in args:
        print(f"{{package}} already seems to be installed", file=sys.stderr)
        sys.exit(1)
    mine[package] = version
    save()
    if (here / f"hang-{{key}}").exists():
        (here / f"started-{{key}}").write_text(str(os.getpid()))
        time.sleep(60)
    sys.exit(0)
if words[:1] == ["uninstall"]:
    package = words[1]
    if package not in mine and name == "pipx":
        print(f"Nothing to uninstall for {{package}}", file=sys.stderr)
        sys.exit(1)
    mine.pop(package, None)
    save()
    sys.exit(0)
print(f"unexpected call {{args}}", file=sys.stderr)
sys.exit(2)
'''


def managers(folder: Path, pipx: Mapping[str, str], npm: Mapping[str, str]) -> Path:
    """Fake pipx and npm in ``folder`` with these packages (name → version) installed."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "state.json").write_text(json.dumps({"pipx": dict(pipx), "npm": dict(npm)}))
    for name in ("pipx", "npm"):
        path = folder / name
        path.write_text(_SCRIPT.format(python=sys.executable), encoding="utf-8")
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return folder


def installed(folder: Path) -> dict[str, dict[str, str]]:
    """What the fakes in ``folder`` have installed now, per manager."""
    data: dict[str, dict[str, str]] = json.loads((folder / "state.json").read_text())
    return data


def search_path(folder: Path) -> str:
    """A PATH with the fakes first (the rest keeps sh and coreutils for shell steps)."""
    return f"{folder}{os.pathsep}{os.environ.get('PATH', os.defpath)}"
