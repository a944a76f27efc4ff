"""Fake package managers and tools on a tmp PATH, and configs built from the model directly.

Every fake is a small Python script that appends its argument list to ``calls.jsonl`` beside
it, prints a canned output and exits with a canned code (or hangs), so tests see exactly which
commands AIM+ ran without any real package manager being called.
"""

from __future__ import annotations

import json
import stat
import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from aim.config.build import build_config
from aim.config.model import (
    AimConfig,
    HealthSettings,
    InstallSpec,
    Tool,
)

_SCRIPT = """#!{python}
import json, pathlib, sys, time
here = pathlib.Path(__file__).resolve().parent
with open(here / "calls.jsonl", "a", encoding="utf-8") as log:
    log.write(json.dumps([pathlib.Path(sys.argv[0]).name, *sys.argv[1:]]) + "\\n")
outputs = {outputs!r}
key = " ".join(sys.argv[1:])
text, code = outputs.get(key, outputs.get("*", ("", 0)))
if text == "HANG":
    time.sleep(60)
sys.stdout.write(text)
sys.exit(code)
"""


def fake(folder: Path, name: str, outputs: Mapping[str, tuple[str, int]] | str) -> Path:
    """An executable ``folder/name`` printing ``outputs[args]`` (``"*"``: any args).

    A plain string means: print it for any arguments, exit 0.  The text ``HANG`` sleeps.
    """
    folder.mkdir(parents=True, exist_ok=True)
    table = {"*": (outputs, 0)} if isinstance(outputs, str) else dict(outputs)
    path = folder / name
    path.write_text(_SCRIPT.format(python=sys.executable, outputs=table), encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def calls(folder: Path) -> list[list[str]]:
    """Every argument list the fakes in ``folder`` were run with, in order."""
    log = folder / "calls.jsonl"
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def pipx_json(packages: Mapping[str, str]) -> str:
    """``pipx list --json`` output for ``packages`` (name → version)."""
    venvs = {name: {"metadata": {"main_package": {"package": name, "package_version": v,
                                                  "apps": [name]}, "python_version": "3.11"}}
             for name, v in packages.items()}
    return json.dumps({"pipx_spec_version": "0.1", "venvs": venvs}, indent=2)


def npm_json(packages: Mapping[str, str]) -> str:
    """``npm ls -g --json --depth=0`` output for ``packages``."""
    deps = {name: {"version": v, "overridden": False} for name, v in packages.items()}
    return json.dumps({"name": "lib", "dependencies": deps}, indent=2)


def uv_text(packages: Mapping[str, str]) -> str:
    """``uv tool list`` output for ``packages``."""
    return "".join(f"{name} v{v}\n- {name}\n" for name, v in packages.items())


def managers(folder: Path, pipx: Mapping[str, str] | None = None,
             npm: Mapping[str, str] | None = None, uv: Mapping[str, str] | None = None) -> None:
    """Fake pipx/npm/uv whose listings show these packages and whose installs succeed."""
    if pipx is not None:
        fake(folder, "pipx", {"list --json": (pipx_json(pipx), 0), "*": ("done\n", 0)})
    if npm is not None:
        fake(folder, "npm", {"ls -g --json --depth=0": (npm_json(npm), 0), "*": ("ok\n", 0)})
    if uv is not None:
        fake(folder, "uv", {"tool list": (uv_text(uv), 0), "*": ("Installed\n", 0)})


def tool(id_: str, manager: str | None = None, package: str | None = None,
         detect: Sequence[str] | None = None) -> Tool:
    """A registry tool detected as ``id_`` with ``id_ --version``."""
    names = tuple(detect or (id_,))
    install = InstallSpec(manager, package or id_) if manager else None
    return Tool(id_, id_.title(), names, (names[0], "--version"), install=install)


def config(tools: Sequence[Tool] = (), packages: Mapping[str, Sequence[str]] | None = None,
           pins: Mapping[str, Mapping[str, str]] | None = None, timeout: float = 5.0) -> AimConfig:
    """An AimConfig made from the model's dataclasses (no loader involved)."""
    frozen: Any = MappingProxyType
    return replace(
        build_config({"version": 1}), tools=frozen({t.id: t for t in tools}),
        packages=frozen({m: tuple(p) for m, p in (packages or {}).items()}),
        pins=frozen({m: frozen(dict(p)) for m, p in (pins or {}).items()}),
        health=HealthSettings(check_timeout=timeout))
