"""``versions``: installed versions against the pins, and installing the pinned ones."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from invoke.tasks import task

from aim.cli import render
from aim.cli.common import JSON_HELP, ROOT_HELP, workspace
from aim.cli.handler import handled
from aim.errors import CheckFailed, StepFailed
from aim.workspace import Workspace

if TYPE_CHECKING:
    from aim.config.model import AimConfig
    from aim.installer import Audit, Operation, SyncResult
    from aim.versions.drift import DriftReport

HEADERS = ["PACKAGE", "MANAGER", "PINNED", "INSTALLED", "STATUS", "ON PATH", "NOTE"]


@dataclass(frozen=True)
class Options:
    """The flags of one ``versions`` call."""

    sync: bool = False
    dry_run: bool = False
    exit_code: bool = False
    as_json: bool = False


@task(help={"sync": "install the pinned version of every drifted package",
            "dry_run": "with --sync: print the install commands and change nothing",
            "exit_code": "exit 1 when a managed package drifts",
            "json": JSON_HELP, "root": ROOT_HELP})
@handled
def versions(c: Any, sync: bool = False, dry_run: bool = False, exit_code: bool = False,
             json: bool = False, root: str | None = None) -> None:
    """Show installed tool and package versions against their pins (--sync installs them)."""
    from aim.config.load import load_config

    ws = workspace(c, root)
    show_versions(load_config(ws), Options(sync, dry_run, exit_code, json), ws=ws)


def show_versions(config: AimConfig, options: Options, *, ws: Workspace | None = None,
                  path: str | None = None) -> None:
    """Check (and with ``sync``, install), print the result; CheckFailed on drift if asked."""
    from aim import installer
    from aim.versions.drift import check_versions

    report = check_versions(config, path=path)
    if not options.sync:
        _print_report(report, options.as_json)
    elif options.dry_run:
        _print_plan(report, installer.sync_plan(report), options.as_json)
        return
    else:
        outcome = installer.sync(installer.sync_plan(report), audit=_audit(ws), path=path)
        report = check_versions(config, path=path)
        _print_sync(report, outcome, options.as_json)
        if outcome.failed is not None:
            raise StepFailed(outcome.failure())
    if options.exit_code and report.drifted:
        names = ", ".join(item.name for item in report.drifted)
        raise CheckFailed(f"versions drift from the pins in aim_config.json: {names}; "
                          "run 'aim versions --sync' to install the pinned versions")


def _rows(report: DriftReport) -> list[list[Any]]:
    rows = []
    for item in report.items:
        winner = item.winner or ""
        if len(item.copies) > 1:
            winner += f" (+{len(item.copies) - 1} more on PATH)"
        rows.append([item.name, item.manager or "-", item.pinned or "-", item.installed or "-",
                     item.status, winner or "-", item.note])
    return rows


def _print_report(report: DriftReport, as_json: bool) -> None:
    if as_json:
        render.emit_json(report.to_dict())
        return
    render.say(render.table(HEADERS, _rows(report)))
    drifted = len(report.drifted)
    render.say(f"\n{len(report.items)} checked, {drifted} drifted "
               f"({report.duration:.2f}s)" + ("; fix: aim versions --sync" if drifted else ""))


def _print_plan(report: DriftReport, plan: tuple[Operation, ...], as_json: bool) -> None:
    if as_json:
        render.emit_json({"plan": [op.to_dict() for op in plan], "report": report.to_dict()})
        return
    if not plan:
        render.say("nothing to install: every managed package matches its pin")
        return
    render.say("would run:")
    for op in plan:
        render.say("  " + " ".join(op.argv()))


def _print_sync(report: DriftReport, outcome: SyncResult, as_json: bool) -> None:
    if as_json:
        render.emit_json({**outcome.to_dict(), "report": report.to_dict()})
        return
    for result in outcome.results:
        render.say(f"{result.outcome}: {' '.join(result.operation.argv())}")
    for result in outcome.reverted:
        render.say(f"put back ({result.outcome}): {' '.join(result.operation.argv())}")
    _print_report(report, as_json=False)


def _audit(ws: Workspace | None) -> Audit | None:
    """Install events to the workspace's audit trail (none when there is no workspace)."""
    if ws is None:
        return None
    from aim.workflow.defaults import audit_hook

    hook = audit_hook(ws)

    def audit(kind: str, details: Mapping[str, Any]) -> None:
        hook(kind, None, details)

    return audit
