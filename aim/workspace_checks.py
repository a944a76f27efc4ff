"""The checks of a workspace that several commands show: config, workflows, secrets, tools,
versions.  ``aim status``, ``aim validate``, the production checklist, the pre-flight and the
migration's closing judgement all call these, so the same state gets the same words.

The config's own check lives in :mod:`aim.config.checked` (health reads the config through it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from aim.checks import CheckResult, Status, result, worst
from aim.config.check import check_workflows as problems_of
from aim.errors import KeyringUnavailable
from aim.health.run import run_health
from aim.versions.drift import check_versions as drift

if TYPE_CHECKING:
    from aim.config.model import AimConfig
    from aim.workspace import Workspace

SHOWN = 5  # names shown in a summary; the evidence has them all


def shown(names: list[str], limit: int = SHOWN) -> str:
    """``a, b, c`` — at most ``limit`` names, then how many more."""
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def check_workflows(ws: Workspace) -> CheckResult:
    """``workflows``: every shipped workflow file and the workspace's own ones load."""
    files, problems = problems_of(ws)
    if problems:
        return result("workflows", Status.FAIL, f"{len(problems)} problem(s): "
                      + "; ".join(problems[:3]), "fix the file and line each problem names; "
                      "'aim workflow.check FILE' checks one file",
                      title="workflow files validate", evidence={"problems": problems})
    return result("workflows", Status.OK, f"{len(files)} workflow files valid",
                  title="workflow files validate")


def check_secrets(names: Iterable[str], store: Any) -> CheckResult:
    """``secrets``: every configured secret name has a keyring entry (``store.get``)."""
    wanted = list(names)
    title = "secrets in the keyring"
    if not wanted:
        return result("secrets", Status.SKIP, "no secret names in aim_config.json", title=title)
    try:
        missing = [name for name in wanted if store.get(name) is None]
    except KeyringUnavailable as err:
        return result("secrets", Status.WARN, f"the keyring cannot be read, so {len(wanted)} "
                      "secrets were not checked", str(err), title=title)
    present = [name for name in wanted if name not in missing]
    evidence = {"present": present, "missing": missing,
                "problems": [f"{name}: not in the keyring; set it with 'aim secrets.set {name}'"
                             for name in missing]}
    if missing:
        return result("secrets", Status.WARN, f"{len(missing)} of {len(wanted)} secrets missing "
                      f"from the keyring ({', '.join(missing)})", "set each with 'aim "
                      "secrets.set NAME' (or export it and run 'aim migrate' again)",
                      title=title, evidence=evidence)
    return result("secrets", Status.OK, f"{len(wanted)} of {len(wanted)} secrets in the keyring",
                  title=title, evidence=evidence)


def check_tools(ws: Workspace, config: AimConfig, path_env: str | None = None) -> CheckResult:
    """``tools``: every registry tool is on PATH and answers (health's ``tool:`` checks)."""
    title = "tools on PATH"
    if not config.tools:
        return result("tools", Status.SKIP, "no tools in aim_config.json", title=title)
    checks = run_health(ws, config, path_env=path_env, checks=["tools"]).checks
    ids = {status: [c.name.removeprefix("tool:") for c in checks if c.status is status]
           for status in Status}
    summary = (f"{len(ids[Status.OK])} of {len(checks)} tools found"
               + (f"; not on PATH: {shown(ids[Status.WARN])}" if ids[Status.WARN] else "")
               + (f"; not answering: {shown(ids[Status.FAIL])}" if ids[Status.FAIL] else ""))
    status = worst(checks)
    hint = {Status.WARN: "install them ('aim health' names the command for each)",
            Status.FAIL: "'aim health' shows why each does not answer"}.get(status, "")
    return result("tools", status, summary, hint, title=title, evidence={
        "found": ids[Status.OK], "missing": ids[Status.WARN], "failed": ids[Status.FAIL],
        "problems": [f"{c.name.removeprefix('tool:')}: {c.summary}" for c in checks
                     if c.status is not Status.OK]})


def _label(item: Any) -> str:
    pinned = f"pinned {item.pinned}" if item.pinned else "not pinned"
    return f"{item.name} ({item.manager}: {item.installed or 'missing'}, {pinned})"


def check_versions(config: AimConfig, path_env: str | None = None) -> CheckResult:
    """``versions``: the managed packages at their pins (warn), every manager readable (fail)."""
    report = drift(config, path=path_env)
    title = "versions at their pins"
    if not report.items:
        return result("versions", Status.SKIP, "no packages or tools in aim_config.json",
                      title=title)
    unreadable = [f"{m} ({note})" for m, note in report.managers.items()
                  if note.startswith(("error", "timeout"))]
    drifted = [_label(item) for item in report.drifted]
    evidence = {"checked": len(report.items), "drifted": [i.name for i in report.drifted],
                "managers": dict(report.managers), "problems": unreadable + drifted,
                "counts": report.to_dict()["counts"]}
    if unreadable:
        return result("versions", Status.FAIL, f"cannot read: {', '.join(unreadable)}",
                      "run that manager's listing by hand to see why ('aim versions' names it)",
                      title=title, evidence=evidence)
    if drifted:
        return result("versions", Status.WARN, f"{len(drifted)} package(s) drifted from their "
                      f"pins: {shown(drifted)}", "install the pinned versions with 'aim versions "
                      "--sync' ('aim versions' shows each)", title=title, evidence=evidence)
    return result("versions", Status.OK, "every managed package is at its pin "
                  f"({len(report.items)} packages and tools checked)", title=title,
                  evidence=evidence)


def secret_names(config: AimConfig | Mapping[str, Any] | None) -> list[str]:
    """The secret names of a config (or of a config's ``secrets`` data)."""
    if config is None:
        return []
    secrets = config.get("secrets") if isinstance(config, Mapping) else config.secrets
    return list(secrets or {})
