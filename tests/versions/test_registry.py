"""The real npm, pnpm, pipx and uv against the real npm registry and PyPI (``-m registry``).

Each test keeps every manager in its own prefix under tmp_path (npm's prefix and cache,
PNPM_HOME, PIPX_HOME/PIPX_BIN_DIR, UV_TOOL_DIR/UV_TOOL_BIN_DIR/UV_CACHE_DIR, HOME, XDG_*),
never the real home.  A test skips, with the reason pytest prints under ``-rs``, when its
manager is not installed or its registry does not answer: never a silent pass.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from aim.versions.listings import LISTINGS
from tests.cli.clitool import aim

pytestmark = pytest.mark.registry

REGISTRIES = {"npm": "https://registry.npmjs.org/cowsay", "pypi": "https://pypi.org/simple/cowsay/"}
MISSING_PACKAGE = "aim-plus-no-such-package-7f3a9c"


@dataclass(frozen=True)
class Case:
    manager: str
    registry: str
    package: str
    pinned: str  # version A
    by_hand: str  # version B
    install: tuple[str, ...]  # the manager's own install of B, by hand


CASES = [
    Case("npm", "npm", "cowsay", "1.5.0", "1.6.0", ("npm", "install", "-g", "cowsay@1.6.0")),
    Case("pnpm", "npm", "cowsay", "1.5.0", "1.6.0", ("pnpm", "add", "-g", "cowsay@1.6.0")),
    Case("pipx", "pypi", "cowsay", "5.0", "6.0", ("pipx", "install", "cowsay==6.0")),
    Case("uv", "pypi", "cowsay", "5.0", "6.0", ("uv", "tool", "install", "cowsay==6.0")),
]


@cache
def _unreachable(registry: str) -> str | None:
    try:
        with urllib.request.urlopen(REGISTRIES[registry], timeout=10):
            return None
    except OSError as err:
        return f"the {registry} registry does not answer ({REGISTRIES[registry]}: {err})"


def _environment(tmp: Path) -> dict[str, str]:
    """Every manager's prefix, cache and home under ``tmp``; their bin folders first on PATH."""
    dirs = {"HOME": "home", "npm_config_prefix": "npm", "npm_config_cache": "npm-cache",
            "PNPM_HOME": "pnpm", "PIPX_HOME": "pipx", "PIPX_BIN_DIR": "pipx-bin",
            "UV_TOOL_DIR": "uv-tools", "UV_TOOL_BIN_DIR": "uv-bin", "UV_CACHE_DIR": "uv-cache",
            "XDG_CONFIG_HOME": "xdg/config", "XDG_DATA_HOME": "xdg/data",
            "XDG_CACHE_HOME": "xdg/cache", "XDG_STATE_HOME": "xdg/state"}
    env = {key: str(tmp / sub) for key, sub in dirs.items()}
    for folder in env.values():
        Path(folder).mkdir(parents=True, exist_ok=True)
    bins = [env["PNPM_HOME"], str(tmp / "npm" / "bin"), env["PIPX_BIN_DIR"], env["UV_TOOL_BIN_DIR"],
            str(Path(sys.executable).parent)]
    return {**env, "PATH": os.pathsep.join([*bins, os.environ.get("PATH", "")]),
            "npm_config_update_notifier": "false", "npm_config_fund": "false"}


def _skip_unless_ready(case: Case, env: dict[str, str]) -> None:
    if shutil.which(case.manager, path=env["PATH"]) is None:
        pytest.skip(f"{case.manager} is not installed (.ci/run installs the pinned version)")
    why = _unreachable(case.registry)
    if why:
        pytest.skip(why)


def _listed(case: Case, env: dict[str, str]) -> str | None:
    """The package's version in the manager's own listing (None: not installed)."""
    argv, parse, _ = LISTINGS[case.manager]
    done = subprocess.run(argv, capture_output=True, text=True, env={**os.environ, **env},
                          timeout=300)
    return parse(done.stdout).get(case.package)


def _workspace(tmp: Path, case: Case, extra: dict[str, str] | None = None) -> Path:
    ws = tmp / "ws"
    ws.mkdir()
    pins = {case.package: case.pinned, **(extra or {})}
    config = {"version": 1, "packages": {case.manager: list(pins)},
              "pins": {case.manager: pins}}
    (ws / "aim_config.json").write_text(json.dumps(config), encoding="utf-8")
    return ws


def _aim(ws: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = aim(*args, "--root", str(ws), env=env, timeout=900)
    assert "Traceback" not in result.stderr + result.stdout
    return result


def _by_hand(case: Case, env: dict[str, str]) -> None:
    done = subprocess.run(case.install, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=600)
    assert done.returncode == 0, done.stderr
    assert _listed(case, env) == case.by_hand


@pytest.mark.parametrize("case", CASES, ids=[c.manager for c in CASES])
def test_drift_sync_and_rollback_with_the_real_manager(case: Case, tmp_path: Path) -> None:
    env = _environment(tmp_path)
    _skip_unless_ready(case, env)
    ws = _workspace(tmp_path, case)
    _by_hand(case, env)
    drift = _aim(ws, env, "versions", "--exit-code")
    assert drift.returncode == 1 and "drift" in drift.stderr, drift.stdout + drift.stderr
    synced = _aim(ws, env, "versions", "--sync")
    assert synced.returncode == 0, synced.stdout + synced.stderr
    assert _listed(case, env) == case.pinned
    assert _aim(ws, env, "versions", "--exit-code").returncode == 0
    rolled = _aim(ws, env, "rollback")
    assert rolled.returncode == 0, rolled.stdout + rolled.stderr
    assert _listed(case, env) == case.by_hand


@pytest.mark.parametrize("case", [CASES[0], CASES[3]], ids=["npm", "uv"])
def test_a_sync_failing_half_way_rolls_back_with_the_real_manager(case: Case,
                                                                  tmp_path: Path) -> None:
    env = _environment(tmp_path)
    _skip_unless_ready(case, env)
    ws = _workspace(tmp_path, case, {MISSING_PACKAGE: "1.0.0"})
    _by_hand(case, env)
    synced = _aim(ws, env, "versions", "--sync")
    assert synced.returncode == 1, synced.stdout + synced.stderr
    assert f"installing {MISSING_PACKAGE} failed" in synced.stderr
    assert "(rolled back)" in synced.stderr
    assert _listed(case, env) == case.by_hand
