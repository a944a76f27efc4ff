"""The production checklist: each item runs the real subsystem and keeps the evidence."""

from __future__ import annotations

import secrets as token
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aim.config.model import AimConfig
from aim.production.model import TARGETS, Check, verdict
from aim.workspace import Workspace

REQUIRED_DOCS = {  # file → text that shows its AIM+ section is there
    "README.md": "aim secrets.export",
    "AGENTS.md": "aim secrets.export",
    "QUICK_START.md": "aim deploy",
    "docs/AI_MANGER_DEPRECATION.md": "aim migrate",
}


@dataclass
class ProductionContext:
    """What every check reads, and the timings the performance check judges."""

    ws: Workspace
    config: AimConfig
    path_env: str | None = None
    secret_store: Callable[[str], Any] | None = None
    timings: dict[str, float] = field(default_factory=dict)

    def timed(self, name: str, work: Callable[[], Any]) -> Any:
        started = time.monotonic()
        try:
            return work()
        finally:
            self.timings[name] = time.monotonic() - started


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
    return verdict("health", "health checks operational", report.status != "unhealthy",
                   f"{report.status} ({shown}); failing: {', '.join(failing) or 'none'}",
                   report.duration)


def check_versions(pc: ProductionContext) -> Check:
    from aim.versions.drift import check_versions as run_check

    report = pc.timed("versions", lambda: run_check(pc.config, path=pc.path_env))
    return verdict("versions", "version check working", True,
                   f"{len(report.items)} packages and tools checked, "
                   f"{len(report.drifted)} drifted", report.duration)


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
    from aim import proc

    runs = [pc.timed(f"startup_{i}", lambda: proc.run([sys.executable, "-m", "aim", "--help"],
                                                      timeout=30)) for i in range(3)]
    best = min(pc.timings.pop(f"startup_{i}") for i in range(3))
    pc.timings["startup"] = best
    listing = proc.run([sys.executable, "-m", "aim", "--list"], timeout=30)
    ok = all(r.ok for r in runs) and listing.ok and "migrate" in listing.stdout
    return verdict("cli", "CLI commands answering", ok,
                   f"'aim --help' exit {runs[-1].returncode} ({best:.3f}s best of 3); "
                   f"'aim --list' exit {listing.returncode}", best)


def check_docs(pc: ProductionContext) -> Check:
    from aim.docs.checker import check_links

    broken = check_links(pc.ws.root)
    missing = [f"{name} (no '{needle}')" for name, needle in REQUIRED_DOCS.items()
               if needle not in _text(pc.ws.root / name)]
    evidence = (f"{len(broken)} broken links" + (f": {broken[0].file}:{broken[0].line} → "
                                                  f"{broken[0].target}" if broken else "") +
                f"; required sections missing: {', '.join(missing) or 'none'}")
    return verdict("docs", "documentation complete", not broken and not missing, evidence)


def _text(path: Path) -> str:
    try:
        return path.read_text("utf-8", errors="replace")
    except OSError:
        return ""


def check_no_secret_files(pc: ProductionContext) -> Check:
    from aim.production.leaks import find_leaks

    values = []
    if pc.secret_store is not None:
        store = pc.secret_store("aim")
        values = [v for v in (store.get(name) for name in pc.config.secrets) if v]
    roots = [pc.ws.root] + ([pc.ws.state_dir] if pc.ws.root not in pc.ws.state_dir.parents
                            else [])
    seen, leaks = find_leaks(roots, values)
    shown = ", ".join(str(p) for p in leaks[:5])
    return verdict("secrets", "no secret values in any file", not leaks,
                   f"{seen} files searched for {len(values)} keyring values "
                   f"(and their encoded forms): " + (f"FOUND in {shown}" if leaks else "none"))


def check_permissions(pc: ProductionContext) -> Check:
    state = pc.ws.state_dir
    problems = []
    if stat.S_IMODE(state.stat().st_mode) != 0o700:
        problems.append(f"{state} is {oct(stat.S_IMODE(state.stat().st_mode))}")
    for path in state.rglob("*"):
        mode = stat.S_IMODE(path.lstat().st_mode)
        if path.is_file() and not path.is_symlink() and mode & 0o077:
            problems.append(f"{path.relative_to(state)} is {oct(mode)}")
    return verdict("permissions", "file permissions (state dir 0700, files 0600)", not problems,
                   f"{state}: " + ("; ".join(problems[:5]) + (" …" if len(problems) > 5 else "")
                                   if problems else "0700, no file readable by others"))


def check_performance(pc: ProductionContext) -> Check:
    rows = [(name, pc.timings.get(name), target) for name, target in TARGETS.items()]
    over = [f"{n} {t:.3f}s > {limit:g}s" for n, t, limit in rows if t is not None and t > limit]
    unmeasured = [n for n, t, _ in rows if t is None]
    shown = ", ".join(f"{n} {t:.3f}s/{limit:g}s" for n, t, limit in rows if t is not None)
    return verdict("performance", "performance targets met", not over and not unmeasured,
                   shown + (f"; over target: {', '.join(over)}" if over else "") +
                   (f"; not measured: {', '.join(unmeasured)}" if unmeasured else ""))


CHECKS: tuple[Callable[[ProductionContext], Check], ...] = (
    check_config, check_health, check_versions, check_audit, check_scanner, check_cli,
    check_docs, check_no_secret_files, check_permissions, check_performance)
