"""Version actions: install the pinned versions, and undo an install (the check is in checks.py).

Package-manager installs cannot be file-checkpointed, so before each install ``versions.sync``
records an undo checkpoint (``ctx.checkpoint.action("versions.undo", ...)``) with the
operation that puts the previous version back: an install of exactly that version, or an
uninstall when the package was not installed.  Rollback (after a failure, ``aim rollback``, a
retry or a resume) runs those undos newest first, so even a sync killed half-way is undone
install by install.  ``versions.undo`` is idempotent: an operation that fails because its
result is already in place (the package is absent, or at the version) counts as done.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from aim import installer
from aim.actions.registry import action
from aim.config.load import load_config
from aim.errors import StepFailed
from aim.versions import pins
from aim.versions.detect import OK, list_manager
from aim.versions.drift import check_versions
from aim.versions.listings import normalize
from aim.workflow.context import StepContext

if TYPE_CHECKING:
    from aim.installer import InstallResult, Operation

INSTALLS = ("(package installs by pipx, npm, pnpm, uv tool or winget: undone by "
            "versions.undo)")
LIST_TIMEOUT = 60.0  # seconds for a manager's listing while deciding an undo is already done


def _config(ctx: StepContext) -> Any:
    return load_config(ctx.ws)


def _audit(ctx: StepContext) -> Any:
    return lambda kind, details: ctx.hooks.audit(kind, ctx.run_id, details)


def _installs(params: Mapping[str, Any]) -> list[str]:
    return [INSTALLS]


def _sync_plan(ctx: StepContext) -> tuple[Operation, ...]:
    return installer.sync_plan(check_versions(_config(ctx)))


def _undo_of(op: Operation) -> list[dict[str, Any]]:
    """The plan that puts back what ``op`` is about to change."""
    return installer.plan_to_data(installer.undo_plan([installer.InstallResult(op, "ok")]))


def _preview_sync(ctx: StepContext) -> dict[str, Any]:
    plan = _sync_plan(ctx)
    lines = [f"{op.manager} {op.package}: {op.previous or 'not installed'} -> {op.version}: "
             + " ".join(op.argv()) for op in plan]
    return {"lines": lines or ["every managed package is at its pin: nothing to install"]}


def _listed(manager: str, package: str) -> tuple[str | None, str | None]:
    """``(version or None when absent, None)`` from the manager's listing, or
    ``(None, why)`` when the listing cannot be read."""
    listing = list_manager(manager, LIST_TIMEOUT)
    if listing.state != OK:
        return None, f"{manager}'s listing: {listing.state} {listing.detail}".strip()
    return listing.packages.get(normalize(manager, package)), None


def _verify_install(result: InstallResult) -> tuple[InstallResult, str | None]:
    """``result`` checked against the manager's listing: the package satisfies its pin."""
    op = result.operation
    if not result.ok:
        return result, None
    now, why = _listed(op.manager, op.package)
    if why is None and now is not None and (
            op.version is None or pins.compare(op.manager, op.version, now)[0] == pins.OK):
        return result, now
    detail = why or (f"{op.manager} lists {op.package} at {now or 'nothing'} after the install, "
                     f"not {op.version}")
    return replace(result, outcome="failed", detail=detail), now


@action("versions.sync", outputs=("installed", "undo"), touches=_installs, preview=_preview_sync)
def sync(ctx: StepContext) -> dict[str, Any]:
    """Install the pinned version of every drifted package (missing, older or newer).

    Before each install the operation that undoes it is checkpointed, and after it the version
    the manager lists is checked against the pin and settled (journaled), so rollback puts the
    previous versions back and names a package changed after the run.  A failed install fails
    the step; the installs before it are undone as the workflow's ``on_failure`` says (or by
    ``aim rollback``), like any step's changes.  ``installed`` lists each operation with the
    version it replaced; ``undo`` is the whole undo plan (for the record: rollback runs it).
    """
    results: list[InstallResult] = []
    for op in _sync_plan(ctx):
        ctx.checkpoint.action("versions.undo", {"plan": _undo_of(op)})
        result, now = _verify_install(installer.execute(op, audit=_audit(ctx)))
        results.append(result)
        if not result.ok:
            raise StepFailed(f"versions.sync: installing {op.package} failed: {result.detail}")
        ctx.checkpoint.settle({"manager": op.manager, "package": op.package, "version": now})
    ctx.log(f"versions: {len(results)} package(s) installed")
    return {"installed": [r.to_dict() for r in results],
            "undo": installer.plan_to_data(installer.undo_plan(results))}


def _in_place(op: Operation) -> str | None:
    """None when the manager lists ``op``'s result (absent, or at the version), else why not."""
    now, why = _listed(op.manager, op.package)
    if why is not None:
        return f"cannot check the result: {why}"
    wanted = None if op.action == "uninstall" else op.version
    if now == wanted:
        return None
    return (f"{op.manager} lists {op.package} at {now or 'nothing'}, not "
            f"{wanted or 'absent'}")


def _preview_undo(ctx: StepContext, plan: list[Any]) -> dict[str, Any]:
    return {"lines": [" ".join(op.argv()) for op in installer.plan_from_data(plan)]}


def _changed_undo(ctx: StepContext, left: Mapping[str, Any], plan: list[Any]) -> list[str]:
    """The package, named, when its listed version is not the one the run left."""
    manager, package = str(left.get("manager")), str(left.get("package"))
    now, why = _listed(manager, package)
    if why is None and now == left.get("version"):
        return []
    found = f"cannot be read ({why})" if why else f"{now or 'not installed'}"
    return [f"{manager} package {package} (now {found}; the run left "
            f"{left.get('version') or 'it absent'})"]


@action("versions.undo", outputs=("undone",), touches=_installs, preview=_preview_undo,
        changed=_changed_undo)
def undo(ctx: StepContext, plan: list[Any]) -> dict[str, Any]:
    """Run an undo plan recorded by versions.sync: reinstall previous versions, remove new ones.

    Each result is checked in the manager's listing (the package at its previous version, or
    absent).  Running it twice is harmless: an operation whose result is already in place
    counts as done.
    """
    results = []
    for op in installer.plan_from_data(plan):
        result = installer.execute(op, audit=_audit(ctx))
        problem = _in_place(op)
        if problem is None and not result.ok:
            result = replace(result, outcome="ok", detail="already in place")
        elif problem is not None:
            detail = result.detail if not result.ok else problem
            result = replace(result, outcome="failed", detail=detail)
        results.append(result)
        if not result.ok:
            raise StepFailed(f"versions.undo: {op.package}: {result.detail}")
    return {"undone": [r.to_dict() for r in results]}
