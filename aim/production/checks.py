"""The production checklist: each item runs the real subsystem and shows what it found."""

from __future__ import annotations

import secrets as token
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aim.audit import AuditLog, query, verify
from aim.checks import CheckResult, Status, result
from aim.config.checked import check_config as config_check
from aim.config.model import AimConfig
from aim.docs.checker import check_links, split_by_baseline
from aim.docs.deprecate import Layout, plan_deprecation
from aim.docs.update import plan_updates
from aim.health.run import run_health
from aim.production.leaks import find_leaks
from aim.production.selfcli import aim_package, run_aim
from aim.production.timing import SLOW_HINT, check_performance, judge
from aim.scanner.core import scan
from aim.workspace import LEGACY_DIR, MCP_NOTES_DIR, Workspace
from aim.workspace_checks import check_secrets as secrets_check
from aim.workspace_checks import check_versions as versions_check


@dataclass
class ProductionContext:
    """What every check reads, and the timings the performance check judges.

    ``clock`` measures the timings (injectable: a test's slow machine needs no real sleep).
    """

    ws: Workspace
    config: AimConfig
    path_env: str | None = None
    secret_store: Callable[[str], Any] | None = None
    links_baseline: list[Any] | None = None  # links broken before the deploy (not its doing)
    timings: dict[str, float] = field(default_factory=dict)
    clock: Callable[[], float] = time.monotonic

    def timed(self, name: str, work: Callable[[], Any]) -> Any:
        started = self.clock()
        try:
            return work()
        finally:
            self.timings[name] = self.clock() - started


def check_config(pc: ProductionContext) -> CheckResult:
    """The workspace's aim_config.json validates (the ``config`` check of every command)."""
    return config_check(pc.ws)[0]


def check_health(pc: ProductionContext) -> CheckResult:
    """The health report (the ``health`` check): fail when unhealthy, warn when degraded."""
    report = pc.timed("health", lambda: run_health(pc.ws, pc.config, path_env=pc.path_env))
    found: CheckResult = report.verdict()
    return found


def check_versions(pc: ProductionContext) -> CheckResult:
    """Versions at their pins (a warning when not); every manager's listing readable."""
    found: CheckResult = pc.timed("versions", lambda: versions_check(pc.config, pc.path_env))
    return found


def check_secrets(pc: ProductionContext) -> CheckResult:
    """Every configured secret has its keyring entry (a warning when not)."""
    if pc.secret_store is None:
        return result("secrets", Status.SKIP, "the keyring was not consulted")
    return secrets_check(pc.config.secrets, pc.secret_store("aim"))


def check_audit(pc: ProductionContext) -> CheckResult:
    probe = token.token_hex(8)
    settings = pc.config.audit
    log = AuditLog(pc.ws.audit_path, max_bytes=settings.max_bytes, keep=settings.keep)
    try:
        log.append("health", details={"check": "production", "probe": probe})
    finally:
        log.close()
    found = pc.timed("audit_query", lambda: query(pc.ws.audit_path, type="health", limit=20))
    read_back = any(e.get("details", {}).get("probe") == probe for e in found.events)
    chain = verify(pc.ws.audit_path)
    return _verdict("audit", read_back and chain.ok,
                    f"event {probe} written and {'read back' if read_back else 'NOT read back'};"
                    f" {chain.message}", "'aim audit --verify' names the first broken event")


def check_scanner(pc: ProductionContext) -> CheckResult:
    report = pc.timed("scan", lambda: scan(pc.config.scan, path_env=pc.path_env))
    return result("scanner", Status.OK,
                  f"{report.findings} findings ({len(report.duplicates)} duplicate commands, "
                  f"{len(report.caches)} caches){'; truncated' if report.truncated else ''}")


def check_cli(pc: ProductionContext) -> CheckResult:
    """AIM+ itself answers: the program this process runs, never a workspace's ``aim``."""
    runs = [pc.timed(f"startup_{i}", lambda: run_aim("--help")) for i in range(3)]
    best = min(pc.timings.pop(f"startup_{i}") for i in range(3))
    pc.timings["startup"] = best
    listing, version = run_aim("--list"), run_aim("--version")
    ok = (all(r.ok for r in runs) and listing.ok and "migrate" in listing.stdout
          and version.ok and version.stdout.startswith("AIM+"))
    timing, judged = judge("startup", best)
    status = Status.FAIL if not ok else timing  # a slow start is a warning, never a failure
    hint = ("run 'python -m aim --help' by hand to see why it does not answer" if not ok else
            SLOW_HINT if timing is Status.WARN else "")
    return result("cli", status, f"'aim --help' exit {runs[-1].returncode}, best of 3: "
                  f"{judged}; 'aim --list' exit {listing.returncode}; 'aim --version': "
                  f"{_first_line(version)} (exit {version.returncode}), from {_home()} in a "
                  "neutral folder", hint)


def _first_line(result: Any) -> str:
    lines = (result.stdout or result.stderr).strip().splitlines()
    return lines[0] if lines else "no output"


def _home() -> str:
    return str(aim_package())


def check_docs(pc: ProductionContext) -> CheckResult:
    broken, before = split_by_baseline(check_links(pc.ws.root), pc.links_baseline or [])
    missing = missing_docs(pc.ws)
    earlier = f" ({len(before)} more broken before the deploy)" if before else ""
    evidence = (f"{len(broken)} broken links" + (f" (first: {broken[0]})" if broken else "") +
                earlier +
                "; AIM+ sections, deprecation notes and MCP docs: "
                + (f"missing or out of date: {', '.join(missing)}" if missing else "all in place"))
    return _verdict("docs", not broken and not missing, evidence,
                    "fix the links and run 'aim deploy' again (it writes what is missing)")


def missing_docs(ws: Workspace) -> list[str]:
    """What deploy's doc steps would still write, named by file (empty: the docs are done).

    The doc planners themselves are asked, so this judges exactly what ``docs.update`` and
    ``docs.deprecate_legacy`` write; a leftover AUX_mcp-data folder is not consolidated yet.
    """
    writes = list(plan_updates(ws))
    if ws.path(LEGACY_DIR).is_dir():
        writes += plan_deprecation(ws, Layout())
    missing = sorted({ws.relative(w.path) for w in writes})
    if not ws.path("README.md").is_file():
        missing.insert(0, "README.md (no such file)")
    if ws.path(MCP_NOTES_DIR).exists():
        missing.append(f"{MCP_NOTES_DIR}/ (not consolidated into docs/)")
    return missing


def check_no_secret_files(pc: ProductionContext) -> CheckResult:
    names = list(pc.config.secrets)
    values = []
    if pc.secret_store is not None:
        store = pc.secret_store("aim")
        values = [v for v in (store.get(name) for name in names) if v]
    inside = pc.ws.root in pc.ws.state_dir.parents
    seen, leaks = find_leaks([pc.ws.root] + ([] if inside else [pc.ws.state_dir]), values)
    looked = (f"{seen} files searched for the keyring values of {len(values)} of "
              f"{len(names)} secret names, in every encoded form"
              if pc.secret_store is not None else f"{seen} files; the keyring was not consulted")
    return _verdict("leaks", not leaks,
                    f"{looked}: " + (f"a value is in {_shown([_where(pc.ws, p) for p in leaks])}"
                                     if leaks else "none found"),
                    "remove the value from those files; the keyring keeps it")


def _where(ws: Workspace, path: Path) -> str:
    """``path`` as the user knows it: root-relative, or under the state folder's name."""
    for base, prefix in ((ws.state_dir, ws.state_dir.name), (ws.root, "")):
        if base == path:
            return prefix or "."
        if base in path.parents:
            relative = path.relative_to(base).as_posix()
            return f"{prefix}/{relative}" if prefix else relative
    return str(path)


def _shown(items: list[str], limit: int = 5) -> str:
    return ", ".join(items[:limit]) + (f" and {len(items) - limit} more" if len(items) > limit
                                       else "")


def check_permissions(pc: ProductionContext) -> CheckResult:
    state = pc.ws.state_dir
    problems = [f"{_where(pc.ws, path)} is {mode:04o}" for path, mode in open_entries(state)]
    return _verdict("permissions", not problems,
                    f"{state}: " + (_shown(problems) + " (want no group/other access)"
                                    if problems else
                                    "0700, no file or folder open to group or others"),
                    f"chmod -R go-rwx {state}")


def open_entries(state: Path) -> list[tuple[Path, int]]:
    """The state folder and everything in it that group or others may read or enter."""
    found = []
    for path in [state, *sorted(state.rglob("*"))]:
        info = path.lstat()
        mode = stat.S_IMODE(info.st_mode)
        if not stat.S_ISLNK(info.st_mode) and mode & 0o077:
            found.append((path, mode))
    return found


def _verdict(name: str, ok: bool, summary: str, hint: str) -> CheckResult:
    """ok, or a failure with ``hint``."""
    return result(name, Status.OK if ok else Status.FAIL, summary, "" if ok else hint)


ProductionCheck = Callable[[ProductionContext], CheckResult]
# The checklist, in order: (name, title, check).  The performance item comes last, as it
# judges the timings the others took.
CHECKS: tuple[tuple[str, str, ProductionCheck], ...] = (
    ("config", "config validates", check_config),
    ("health", "health checks operational", check_health),
    ("versions", "versions at their pins", check_versions),
    ("secrets", "secrets in the keyring", check_secrets),
    ("audit", "audit logging functional", check_audit),
    ("scanner", "scanner operational", check_scanner),
    ("cli", "CLI commands answering", check_cli),
    ("docs", "documentation complete", check_docs),
    ("leaks", "no secret values in any file", check_no_secret_files),
    ("permissions", "file permissions (state dir 0700, files 0600)", check_permissions),
    ("performance", "performance targets met", check_performance),
)
