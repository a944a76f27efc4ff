"""The bodies of the tasks declared in :mod:`aim.cli.version_tasks`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aim.cli import render
from aim.cli.common import workspace
from aim.cli.running import run_named
from aim.config.load import load_config
from aim.errors import CheckFailed
from aim.versions.drift import check_versions

if TYPE_CHECKING:
    from aim.config.model import AimConfig
    from aim.versions.drift import DriftReport

HEADERS = ["PACKAGE", "MANAGER", "PINNED", "INSTALLED", "STATUS", "ON PATH", "NOTE"]


@dataclass(frozen=True)
class Options:
    """The flags of one ``versions`` call."""

    sync: bool = False
    dry_run: bool = False
    exit_code: bool = False
    as_json: bool = False


def versions(c: Any, sync: bool = False, dry_run: bool = False, exit_code: bool = False,
             json: bool = False, root: str | None = None) -> None:
    """Show installed tool and package versions against their pins (--sync installs them)."""
    if sync:
        # a sync that leaves drift fails its last step and is rolled back: no drift after it
        run_named(c, "sync", root=root, dry_run=dry_run, resume=False, as_json=json,
                  fail_at=None, inputs={})
        return
    ws = workspace(c, root)
    show_versions(load_config(ws), Options(sync, dry_run, exit_code, json))


def show_versions(config: AimConfig, options: Options, *, path: str | None = None) -> None:
    """Check and print the result; CheckFailed on drift when ``exit_code`` is asked."""
    report = check_versions(config, path=path)
    _print_report(report, options.as_json)
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
