"""The ``health.check`` action: the health report as a step."""

from __future__ import annotations

from typing import Any

from aim.actions.registry import action
from aim.checks import Status, line
from aim.errors import CheckFailed, InputError
from aim.health import run_health
from aim.workflow.context import StepContext

# fail_on: the statuses that fail the step
FAIL_ON = {"unhealthy": ("unhealthy",), "degraded": ("unhealthy", "degraded"), "never": ()}


@action("health.check", outputs=("status", "duration", "counts", "verdict", "checks"))
def check(ctx: StepContext, fail_on: str = "unhealthy") -> dict[str, Any]:
    """Run the health checks (see ``aim health``) and give the report as outputs.

    ``fail_on`` says which overall status fails the step: ``unhealthy`` (a check failed),
    ``degraded`` (a check failed or warned) or ``never``.  ``verdict`` is the check
    ``health`` (fail when unhealthy, warn when degraded), which the step's line shows.
    Changes nothing.
    """
    if fail_on not in FAIL_ON:
        raise InputError(f"health.check: fail_on {fail_on!r} is not one of "
                         f"{', '.join(FAIL_ON)}")
    report = run_health(ctx.ws, None)
    for item in report.checks:  # the verdict's line names the warnings; failures show why
        if item.status is Status.FAIL:
            ctx.log(line(item, f"health {item.name}"))
    if report.status in FAIL_ON[fail_on]:
        bad = report.named(Status.FAIL) + report.named(Status.WARN)
        raise CheckFailed(f"health is {report.status} ({', '.join(bad)}); run 'aim health' "
                          "for the hints")
    return report.to_dict()
