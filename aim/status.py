"""``aim status``: the workspace on one screen — config, secrets, health, drift, recent runs.

Each part is gathered on its own: a part that cannot be had (no config yet, no keyring) says
why instead of hiding the others.  Secrets are reported by name only.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any

from aim.errors import AimError
from aim.redact import redact
from aim.workspace import Workspace

RECENT_RUNS = 5


@dataclass(frozen=True)
class Part:
    """One line of the status: ``ok``, ``warn``, ``fail`` or ``skip``, a summary, details."""

    name: str
    status: str
    summary: str
    details: Any = None


@dataclass(frozen=True)
class Status:
    parts: tuple[Part, ...]
    runs: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"parts": [asdict(p) for p in self.parts], "runs": list(self.runs)}


def _config(ws: Workspace) -> tuple[Part, Any]:
    from aim.config.load import config_path, load_config

    if not config_path(ws).is_file():
        return Part("config", "warn", "no aim_config.json yet: run 'aim migrate' or "
                    "'aim config.init'"), None
    config = load_config(ws)
    return Part("config", "ok", f"valid: {len(config.tools)} tools, {len(config.capabilities)} "
                f"capabilities, {len(config.secrets)} secret names"), config


def _secrets(ws: Workspace, config: Any) -> Part:
    from aim.secrets import SecretStore

    store = SecretStore()
    names = list(config.secrets) if config is not None else []
    if not names:
        return Part("secrets", "skip", "no secret names configured")
    missing = [name for name in names if store.get(name) is None]
    summary = (f"{len(names) - len(missing)}/{len(names)} in the keyring" +
               (f"; missing: {', '.join(missing)} (aim secrets.set NAME)" if missing else ""))
    return Part("secrets", "warn" if missing else "ok", summary, {"missing": missing})


def _health(ws: Workspace, config: Any) -> Part:
    from aim.health import run_health

    report = run_health(ws, config)
    counts = report.to_dict()["counts"]
    status = {"healthy": "ok", "degraded": "warn"}.get(report.status, "fail")
    return Part("health", status, f"{report.status}: {counts['ok']} ok, {counts['warn']} warn, "
                f"{counts['fail']} fail (aim health)", counts)


def _drift(ws: Workspace, config: Any) -> Part:
    from aim.versions.drift import check_versions

    if config is None:
        return Part("drift", "skip", "needs aim_config.json")
    report = check_versions(config)
    drifted = [item.name for item in report.drifted]
    if drifted:
        return Part("drift", "warn", f"{len(drifted)} drifted: {', '.join(drifted[:5])}"
                    f"{' …' if len(drifted) > 5 else ''} (aim versions --sync)", drifted)
    return Part("drift", "ok", f"{len(report.items)} packages and tools at their pins")


def _guard(name: str, work: Any, *args: Any) -> Part:
    try:
        part: Part = work(*args)
        return part
    except AimError as err:
        return Part(name, "fail", redact(str(err)).splitlines()[0])


def gather_status(ws: Workspace) -> Status:
    """Every part of the status; the slow ones (health, drift, keyring) run concurrently."""
    from aim.workflow.history import run_rows

    try:
        config_part, config = _config(ws)
    except AimError as err:
        config_part, config = Part("config", "fail", redact(str(err)).splitlines()[0]), None
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = [pool.submit(_guard, name, work, ws, config) for name, work in
                   (("secrets", _secrets), ("health", _health), ("drift", _drift))]
        parts = [config_part, *(f.result() for f in futures)]
    return Status(tuple(parts), tuple(run_rows(ws)[-RECENT_RUNS:]))
