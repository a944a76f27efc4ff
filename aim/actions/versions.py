"""Version actions: check installed versions against the pins, install to reach them, undo.

Package-manager installs cannot be file-checkpointed, so ``versions.sync`` records, for each
package it changed, the version installed before, and gives the operations that put those
versions back as its ``undo`` output; ``versions.undo`` runs such a plan (a rollback workflow
step: ``with: {plan: "${{ steps.ID.outputs.undo }}"}``).  A sync that fails part-way undoes
its own earlier installs before it reports the failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aim.actions.registry import action
from aim.errors import CheckFailed, StepFailed
from aim.workflow.context import StepContext

INSTALLS = "(package installs by pipx, npm, uv tool or winget: undone by versions.undo)"


def _config(ctx: StepContext) -> Any:
    from aim.config.load import load_config

    return load_config(ctx.ws)


def _audit(ctx: StepContext) -> Any:
    return lambda kind, details: ctx.hooks.audit(kind, ctx.run_id, details)


@action("versions.check", outputs=("ok", "drifted", "report"))
def check(ctx: StepContext, fail_on_drift: bool = False) -> dict[str, Any]:
    """Compare installed tool and package versions with the pins in aim_config.json.

    Changes nothing.  With ``fail_on_drift`` the step fails when a managed package is
    missing, older or newer than its pin.
    """
    from aim.versions.drift import check_versions

    report = check_versions(_config(ctx))
    names = [item.name for item in report.drifted]
    if names and fail_on_drift:
        raise CheckFailed(f"versions drift from the pins in aim_config.json: {', '.join(names)}"
                          "; run 'aim versions --sync' to install the pinned versions")
    ctx.log(f"versions: {len(report.items)} checked, {len(names)} drifted")
    return {"ok": not names, "drifted": names, "report": report.to_dict()}


def _installs(params: Mapping[str, Any]) -> list[str]:
    return [INSTALLS]


@action("versions.sync", outputs=("installed", "undo"), touches=_installs)
def sync(ctx: StepContext) -> dict[str, Any]:
    """Install the pinned version of every drifted package (missing, older or newer).

    ``installed`` lists each operation with the version it replaced; ``undo`` is the plan
    that restores those versions (run it with versions.undo).
    """
    from aim import installer
    from aim.versions.drift import check_versions

    outcome = installer.sync(installer.sync_plan(check_versions(_config(ctx))),
                             audit=_audit(ctx))
    if outcome.failed is not None:
        raise StepFailed(f"versions.sync: {outcome.failure()}")
    ctx.log(f"versions: {len(outcome.results)} package(s) installed")
    data = outcome.to_dict()
    return {"installed": data["installed"], "undo": data["undo"]}


@action("versions.undo", outputs=("undone",), touches=_installs)
def undo(ctx: StepContext, plan: list[Any]) -> dict[str, Any]:
    """Run an undo plan recorded by versions.sync: reinstall previous versions, remove new ones."""
    from aim import installer

    results = installer.run_plan(installer.plan_from_data(plan), audit=_audit(ctx))
    failed = [r for r in results if not r.ok]
    if failed:
        raise StepFailed(f"versions.undo: {failed[0].operation.package}: {failed[0].detail}")
    return {"undone": [r.to_dict() for r in results]}
