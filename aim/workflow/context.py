"""What an action sees while it runs, and the hooks the runner calls around a run."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aim.checks import CheckResult, Status, result
from aim.redact import redact
from aim.workflow.checkpoint import CheckpointStore
from aim.workflow.secret_slots import SecretSlots
from aim.workspace import Workspace

AuditHook = Callable[[str, "str | None", Mapping[str, Any]], None]
PreflightHook = Callable[[str, Any, Workspace], CheckResult]
SecretStoreFactory = Callable[[str], SecretSlots]


def _no_audit(kind: str, run_id: str | None, details: Mapping[str, Any]) -> None:
    return None


def _no_preflight(check: str, mode: Any, ws: Workspace) -> CheckResult:
    return result(check, Status.SKIP, f"no {check} check is available")


def _quiet(message: str) -> None:
    return None


@dataclass(frozen=True)
class Hooks:
    """The runner's connections to the rest of AIM+ (all replaceable in tests).

    ``audit(kind, run_id, details)`` records an audit event; ``preflight(check, mode, ws)``
    runs one pre-flight check; ``progress(line)`` shows a progress line; ``secret_store(service)``
    opens a keyring service (None: this run cannot touch secrets); ``started(step)`` says a
    step began (a terminal shows it live); ``output(line)`` shows one line a step's command
    printed, as it comes (redacted; a terminal only).
    """

    audit: AuditHook = _no_audit
    preflight: PreflightHook = _no_preflight
    progress: Callable[[str], None] = _quiet
    secret_store: SecretStoreFactory | None = None
    started: Callable[[str], None] = _quiet
    output: Callable[[str], None] = _quiet


@dataclass
class StepContext:
    """Passed to every action as its first argument."""

    ws: Workspace
    run_id: str
    step_id: str
    checkpoint: CheckpointStore
    hooks: Hooks
    run: Mapping[str, Any] = field(default_factory=dict)

    def path(self, relative: str, *, follow: bool = True, around_state: bool = False) -> Path:
        """A workspace path from a step parameter: refuses paths that leave the root (symlinks
        followed) and the state folder; see :meth:`Workspace.path`."""
        return self.ws.path(relative, follow=follow, around_state=around_state)

    def stream(self, line: str) -> None:
        """One line of a command's output as it comes (redacted; shown on a terminal only)."""
        self.hooks.output(redact(line))

    def log(self, message: str) -> None:
        """A progress line for the user (redacted)."""
        self.hooks.progress(redact(message))

    def secrets(self, service: str = "aim") -> SecretSlots:
        """The keyring service ``service``; fails cleanly when the run has no keyring."""
        if self.hooks.secret_store is None:
            raise RuntimeError("this run was started without a keyring")
        return self.hooks.secret_store(service)
