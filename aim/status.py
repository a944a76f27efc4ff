"""``aim status``: the workspace on one screen — config, secrets, health, versions, recent runs.

Each line is the check of the same name that ``aim validate``, ``aim health`` and the production
checklist show (see aim.workspace_checks): gathered on its own, so a check that cannot be had
(no config yet, no keyring) says why instead of hiding the others.  Secrets are reported by
name only.  The state folder's size is shown too (``aim prune`` frees what retention lets go).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aim.checks import Check, CheckResult, Status, result, run_checks
from aim.config.checked import guarded_config
from aim.fsio import folder_size
from aim.health import run_health
from aim.secrets import SecretStore
from aim.workflow.run_index import run_rows
from aim.workspace import Workspace
from aim.workspace_checks import check_secrets, check_versions, secret_names

if TYPE_CHECKING:
    from aim.config.model import AimConfig

RECENT_RUNS = 5
NEEDS_CONFIG = "needs a valid aim_config.json (see config)"


@dataclass(frozen=True)
class WorkspaceStatus:
    """The checks, in order, the newest runs, and the state folder with its size in bytes."""

    checks: tuple[CheckResult, ...]
    runs: tuple[dict[str, Any], ...]
    state_dir: str = ""
    state_size: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"checks": [c.to_dict() for c in self.checks], "runs": list(self.runs),
                "state_dir": self.state_dir, "state_size": self.state_size}


def _secrets(config: AimConfig | None) -> CheckResult:
    if config is None:
        return result("secrets", Status.SKIP, NEEDS_CONFIG)
    return check_secrets(secret_names(config), SecretStore())


def _health(ws: Workspace, config: AimConfig | None) -> CheckResult:
    return run_health(ws, config).verdict()


def _versions(config: AimConfig | None) -> CheckResult:
    if config is None:
        return result("versions", Status.SKIP, NEEDS_CONFIG)
    return check_versions(config)


def gather_status(ws: Workspace) -> WorkspaceStatus:
    """Every check of the status; the slow ones (health, versions, keyring) run concurrently."""
    config_check, config = guarded_config(ws)
    rest = run_checks([Check("secrets", lambda: _secrets(config)),
                       Check("health", lambda: _health(ws, config)),
                       Check("versions", lambda: _versions(config))], concurrent=True)
    return WorkspaceStatus((config_check, *rest), tuple(run_rows(ws, RECENT_RUNS)),
                           str(ws.state_dir), folder_size(ws.state_dir))
