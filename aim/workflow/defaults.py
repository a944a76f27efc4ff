"""The hooks a real run uses: the audit trail, the pre-flight checks, the keyring."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aim.audit.trail import open_trail
from aim.checks import CheckResult
from aim.preflight import run_check
from aim.secrets import SecretStore
from aim.workflow.context import Hooks
from aim.workspace import Workspace


def audit_hook(ws: Workspace) -> Callable[[str, str | None, Mapping[str, Any]], None]:
    """Append runner events to the workspace's audit trail (rotated as aim_config.json says)."""
    log = open_trail(ws)

    def audit(kind: str, run_id: str | None, details: Mapping[str, Any]) -> None:
        log.append(kind, run_id=run_id, details=details)

    return audit


def preflight_hook(check: str, mode: Any, ws: Workspace) -> CheckResult:
    """Run the pre-flight check ``check`` (health, drift, scan), weighed by ``mode``."""
    return run_check(check, mode, ws)


def secret_store(service: str) -> Any:
    """The keyring service ``service`` (resolved when first used)."""
    return SecretStore(service)


def default_hooks(ws: Workspace, progress: Callable[[str], None]) -> Hooks:
    """Hooks for a run started from the command line."""
    return Hooks(audit=audit_hook(ws), preflight=preflight_hook, progress=progress,
                 secret_store=secret_store)


def read_only_hooks() -> Hooks:
    """Hooks for a dry run: keyring reads for previews, and no audit trail or progress."""
    return Hooks(secret_store=secret_store)
