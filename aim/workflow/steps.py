"""Run one action step: resolve its parameters, call it with retries and a time limit."""

from __future__ import annotations

import time
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aim.actions import registry
from aim.errors import AimError, InputError, StepFailed
from aim.fsio import describe_os_error
from aim.redact import redact
from aim.workflow.context import StepContext
from aim.workflow.model import Workflow
from aim.workflow.params import resolved_params
from aim.workflow.timeout import time_limit


class InjectedFailure(StepFailed):
    """The failure ``--fail-at STEP`` asks for, to rehearse a rollback."""


def step_ids(wf: Workflow, prefix: str = "") -> list[str]:
    """Every step id of ``wf`` as ``--fail-at`` names it, nested ones as ``migrate.secrets``."""
    ids = []
    for step in wf.steps:
        ids.append(prefix + step.id)
        if step.workflow is not None:
            ids += step_ids(step.workflow, f"{prefix}{step.id}.")
    return ids


def check_fail_at(wf: Workflow, fail_at: str | None) -> None:
    """InputError when ``--fail-at`` names no step: a typo must not turn a rehearsal real."""
    known = (["preflight.sync"] if wf.preflight.get("sync") else []) + step_ids(wf)
    if fail_at is not None and fail_at not in known:
        raise InputError(f"--fail-at {fail_at!r}: {wf.name} has no such step ({wf.path}); "
                         f"give one of {', '.join(known)}")


def call_action(ctx: StepContext, uses: str, params: Mapping[str, Any],
                timeout: float | None, fail_at: bool, crash_log: Path) -> dict[str, Any]:
    """Call the action once; AimError for every expected failure, with a clean message."""
    spec = registry.get(uses)
    assert spec is not None, f"unvalidated action {uses}"
    args = resolved_params(spec, params)
    try:
        with time_limit(timeout, f"step {ctx.step_id}"):
            outputs = spec.func(ctx, **args) or {}
    except (AimError, KeyboardInterrupt):
        raise
    except OSError as err:  # a full disk, a read-only file: the step failed, cleanly
        raise StepFailed(f"{uses}: {describe_os_error(err)}") from err
    except Exception as err:  # a bug in an action: keep the traceback, fail the step cleanly
        with open(crash_log, "a", encoding="utf-8") as log:
            log.write(redact(traceback.format_exc()) + "\n")
        raise StepFailed(f"internal error in action {uses!r}: {type(err).__name__}: "
                         f"{redact(str(err))} (traceback in {crash_log})") from err
    if fail_at:
        raise InjectedFailure(f"step {ctx.step_id}: failure injected by --fail-at")
    return dict(outputs)


def elapsed(started: float) -> float:
    """Seconds since ``started`` (a ``time.monotonic()`` reading)."""
    return time.monotonic() - started
