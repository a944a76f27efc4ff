"""Each registered tool: found on PATH, and its version command answers in time."""

from __future__ import annotations

import shutil

from aim import proc
from aim.checks import CheckResult, Status, one_line, result
from aim.config.model import Tool
from aim.health.model import HealthContext

INSTALL = {"pipx": "pipx install {}", "npm": "npm install -g {}",
           "pnpm": "pnpm add -g {}", "uv": "uv tool install {}",
           "winget": "winget install --id {}"}


def _install_hint(tool: Tool, again: bool = False) -> str:
    verb = "reinstall" if again else "install"
    if tool.install is None or tool.install.manager not in INSTALL:
        return f"{verb} {tool.display_name} and put its folder on PATH"
    return f"{verb} it with '{INSTALL[tool.install.manager].format(tool.install.package)}'"


def check_tool(hc: HealthContext, tool: Tool) -> CheckResult:
    """``tool`` is on PATH and ``version_command`` exits 0 within the timeout."""
    name = f"tool:{tool.id}"
    found = next((p for p in (shutil.which(d, path=hc.path_env) for d in tool.detect) if p),
                 None)
    if found is None:
        return result(name, Status.WARN, f"{tool.display_name} not found on PATH (looked for "
                      f"{', '.join(tool.detect) or 'nothing'})", _install_hint(tool))
    if not tool.version_command:
        return result(name, Status.OK, f"{tool.display_name} at {found}")
    argv = list(tool.version_command)
    argv[0] = shutil.which(argv[0], path=hc.path_env) or argv[0]
    env = {"PATH": hc.path_env} if hc.path_env is not None else None
    ran = proc.run(argv, env=env, timeout=hc.timeout)
    shown = " ".join(tool.version_command)
    if ran.timed_out:
        return result(name, Status.FAIL, f"'{shown}' did not answer within {hc.timeout:g}s",
                      f"run '{shown}' by hand to see why it hangs, or "
                      + _install_hint(tool, again=True))
    if not ran.ok:
        why = "not found" if ran.missing else f"exit code {ran.returncode}"
        tail = (ran.stderr or ran.stdout).strip().splitlines()[-1:]
        return result(name, Status.FAIL, f"'{shown}' failed ({why})"
                      + (f": {one_line(tail[0], 120)}" if tail else ""),
                      f"run '{shown}' by hand to see why, or " + _install_hint(tool, again=True))
    version = next(iter(ran.stdout.strip().splitlines()), "") or "(no version printed)"
    return result(name, Status.OK, f"{one_line(version, 80)} at {found}")
