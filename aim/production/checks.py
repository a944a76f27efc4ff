"""The production checklist: each item runs the real subsystem and keeps the evidence."""

from __future__ import annotations

import secrets as token
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aim.config.model import AimConfig
from aim.production.model import TARGETS, WARN, Check, verdict
from aim.workspace import Workspace

# The legacy folders deploy deprecates and consolidates (named as deploy.yaml names them).
LEGACY_DIR, MCP_SOURCE = "AI_MANGER", "AUX_mcp-data"


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


def check_config(pc: ProductionContext) -> Check:
    from aim.config.load import load_config

    config = load_config(pc.ws)
    return verdict("config", "config validates", True,
                   f"aim_config.json valid: {len(config.tools)} tools, "
                   f"{len(config.capabilities)} capabilities, {len(config.secrets)} secret names")


def check_health(pc: ProductionContext) -> Check:
    from aim.health.run import run_health

    report = pc.timed("health", lambda: run_health(pc.ws, pc.config, path_env=pc.path_env))
    counts = report.to_dict()["counts"]
    shown = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    failing = [c.name for c in report.checks if c.status == "fail"]
    warned = [c.name for c in report.checks if c.status == "warn"]
    return verdict("health", "health checks operational", report.status != "unhealthy",
                   f"{len(report.checks)} checks ran in {report.duration:.3f}s: {report.status} "
                   f"({shown}); failing: {_shown(failing) or 'none'}"
                   + (f"; warnings: {_shown(warned)}" if warned else ""), report.duration)


def check_versions(pc: ProductionContext) -> Check:
    from aim.versions.drift import check_versions as run_check

    report = pc.timed("versions", lambda: run_check(pc.config, path=pc.path_env))
    counts = report.to_dict()["counts"]
    # a manager that is installed but cannot be read leaves its packages unchecked
    unreadable = [f"{m} ({note})" for m, note in report.managers.items()
                  if note.startswith(("error", "timeout"))]
    managers = ", ".join(f"{m} {note.split(':')[0]}" for m, note in report.managers.items())
    return verdict("versions", "version check working", not unreadable,
                   f"{len(report.items)} packages and tools checked in {report.duration:.3f}s "
                   f"({', '.join(f'{n} {s}' for s, n in sorted(counts.items()))}); "
                   f"{len(report.drifted)} drifted from their pins (see 'aim versions'); "
                   f"managers: {managers or 'none'}"
                   + (f"; cannot read: {', '.join(unreadable)}" if unreadable else ""),
                   report.duration)


def check_audit(pc: ProductionContext) -> Check:
    from aim.audit import AuditLog, query, verify

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
    return verdict("audit", "audit logging functional", read_back and chain.ok,
                   f"event {probe} written and {'read back' if read_back else 'NOT read back'}; "
                   f"{chain.message}", pc.timings["audit_query"])


def check_scanner(pc: ProductionContext) -> Check:
    from aim.scanner.core import scan

    report = pc.timed("scan", lambda: scan(pc.config.scan, path_env=pc.path_env))
    return verdict("scanner", "scanner operational", True,
                   f"{report.findings} findings ({len(report.duplicates)} duplicate commands, "
                   f"{len(report.caches)} caches){'; truncated' if report.truncated else ''}",
                   report.duration)


def check_cli(pc: ProductionContext) -> Check:
    """AIM+ itself answers: the program this process runs, never a workspace's ``aim``."""
    from aim.production.selfcli import run_aim

    runs = [pc.timed(f"startup_{i}", lambda: run_aim("--help")) for i in range(3)]
    best = min(pc.timings.pop(f"startup_{i}") for i in range(3))
    pc.timings["startup"] = best
    listing, version = run_aim("--list"), run_aim("--version")
    ok = (all(r.ok for r in runs) and listing.ok and "migrate" in listing.stdout
          and version.ok and version.stdout.startswith("AIM+"))
    return verdict("cli", "CLI commands answering", ok,
                   f"'aim --help' exit {runs[-1].returncode} ({best:.3f}s best of 3); "
                   f"'aim --list' exit {listing.returncode}; 'aim --version': "
                   f"{_first_line(version)} (exit {version.returncode}), "
                   f"from {_home()} in a neutral folder", best)


def _first_line(result: Any) -> str:
    lines = (result.stdout or result.stderr).strip().splitlines()
    return lines[0] if lines else "no output"


def _home() -> str:
    from aim.production.selfcli import aim_package

    return str(aim_package())


def check_docs(pc: ProductionContext) -> Check:
    from aim.docs.checker import check_links, split_by_baseline

    broken, before = split_by_baseline(check_links(pc.ws.root), pc.links_baseline or [])
    missing = missing_docs(pc.ws)
    earlier = f" ({len(before)} more broken before the deploy)" if before else ""
    evidence = (f"{len(broken)} broken links" + (f" (first: {broken[0]})" if broken else "") +
                earlier +
                "; AIM+ sections, deprecation notes and MCP docs: "
                + (f"missing or out of date: {', '.join(missing)}" if missing else "all in place"))
    return verdict("docs", "documentation complete", not broken and not missing, evidence)


def missing_docs(ws: Workspace) -> list[str]:
    """What deploy's doc steps would still write, named by file (empty: the docs are done).

    The doc planners themselves are asked, so this judges exactly what ``docs.update`` and
    ``docs.deprecate_legacy`` write; a leftover AUX_mcp-data folder is not consolidated yet.
    """
    from aim.docs.deprecate import Layout, plan_deprecation
    from aim.docs.update import plan_updates

    writes = list(plan_updates(ws))
    if ws.path(LEGACY_DIR).is_dir():
        writes += plan_deprecation(ws, Layout(legacy_dir=LEGACY_DIR, mcp_source=MCP_SOURCE))
    missing = sorted({ws.relative(w.path) for w in writes})
    if not ws.path("README.md").is_file():
        missing.insert(0, "README.md (no such file)")
    if ws.path(MCP_SOURCE).exists():
        missing.append(f"{MCP_SOURCE}/ (not consolidated into docs/)")
    return missing


def check_no_secret_files(pc: ProductionContext) -> Check:
    from aim.production.leaks import find_leaks

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
    return verdict("secrets", "no secret values in any file", not leaks,
                   f"{looked}: " + (f"a value is in {_shown([_where(pc.ws, p) for p in leaks])}"
                                    " (remove it; the keyring keeps the value)"
                                    if leaks else "none found"))


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


def check_permissions(pc: ProductionContext) -> Check:
    state = pc.ws.state_dir
    problems = [f"{_where(pc.ws, path)} is {mode:04o}" for path, mode in open_entries(state)]
    return verdict("permissions", "file permissions (state dir 0700, files 0600)", not problems,
                   f"{state}: " + (_shown(problems) + " (want no group/other access: chmod "
                                   "go-rwx)" if problems else
                                   "0700, no file or folder open to group or others"))


def open_entries(state: Path) -> list[tuple[Path, int]]:
    """The state folder and everything in it that group or others may read or enter."""
    found = []
    for path in [state, *sorted(state.rglob("*"))]:
        info = path.lstat()
        mode = stat.S_IMODE(info.st_mode)
        if not stat.S_ISLNK(info.st_mode) and mode & 0o077:
            found.append((path, mode))
    return found


def check_performance(pc: ProductionContext) -> Check:
    """Each timing against its target: over target is a warning (a slow or busy machine must
    not undo a good deploy); a timing that could not be taken fails (its check broke)."""
    rows = [(name, pc.timings.get(name), target) for name, target in TARGETS.items()]
    over = [f"{n} {t:.3f}s > {limit:g}s" for n, t, limit in rows if t is not None and t > limit]
    unmeasured = [n for n, t, _ in rows if t is None]
    shown = ", ".join(f"{n} {t:.3f}s/{limit:g}s" for n, t, limit in rows if t is not None)
    evidence = (shown + (f"; over target (a warning): {', '.join(over)}" if over else "") +
                (f"; not measured: {', '.join(unmeasured)}" if unmeasured else ""))
    if over and not unmeasured:
        return Check("performance", "performance targets met", WARN, evidence)
    return verdict("performance", "performance targets met", not over and not unmeasured,
                   evidence)


CHECKS: tuple[Callable[[ProductionContext], Check], ...] = (
    check_config, check_health, check_versions, check_audit, check_scanner, check_cli,
    check_docs, check_no_secret_files, check_permissions, check_performance)
