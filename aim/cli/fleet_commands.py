"""The bodies of the tasks declared in :mod:`aim.cli.fleet_tasks` (where a body takes
``**flags``, its flags are the declaration's)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aim.cli import render
from aim.cli.common import workspace
from aim.errors import InputError, StepFailed
from aim.fleet import rollback as fr
from aim.fleet.controller import Command, FleetOptions, run_command
from aim.fleet.inventory import load_inventory
from aim.fleet.journal import fleet_runs
from aim.fleet.outcome import Outcome
from aim.fleet.report import (
    RUN_HEADERS,
    RUNS_HEADERS,
    STATUS_HEADERS,
    VERSION_HEADERS,
    fleet_run_dict,
    fleet_run_rows,
    run_rows,
    status_rows,
    summary,
    version_rows,
)
from aim.fleet.run import PoolOptions
from aim.fleet.select import parse_count
from aim.fleet.transport import SshSettings

INSTALL = ("aim fleet.* runs AIM+ on other hosts over SSH with Fabric, an optional extra that "
           "is not installed for this aim: pip install 'aim-plus[fleet]' (or pip install "
           "'fabric>=3.2' into the same environment), then run the command again")


def _require_fabric() -> None:
    try:
        import fabric  # noqa: F401  (an optional extra: only whether it is installed)
    except ImportError:
        raise InputError(INSTALL) from None


def _options(c: Any, flags: dict[str, Any]) -> tuple[Any, Any]:
    """The controller workspace and the FleetOptions of a task's flags."""
    _require_fabric()
    ws = workspace(c, flags.get("root"))
    forks, timeout = int(flags.get("forks", 10)), int(flags.get("timeout", 1800))
    if forks < 1 or timeout < 1:
        raise InputError(f"--forks {forks} / --timeout {timeout}: both must be at least 1")
    pool = PoolOptions(forks, parse_count(flags.get("serial"), "--serial", minimum=1),
                       parse_count(flags.get("max_fail"), "--max-fail"))
    given = flags.get("inventory")
    inventory = Path(given).resolve() if given else ws.root / "fleet.yaml"
    ssh = SshSettings(min(10.0, timeout), bool(flags.get("accept_new_host_keys")))
    return ws, FleetOptions(inventory, flags.get("hosts"), pool, float(timeout),
                            bool(flags.get("dry_run")), ssh)


def _finish(report: Any, headers: list[str], rows: list[list[Any]], as_json: bool) -> None:
    """Print the table (or the JSON), then fail with exit 1 unless every host is ok."""
    if as_json:
        render.emit_json(report.to_list())
    else:
        render.say(render.table(headers, rows))
        render.say("")
        render.say(summary(report) + (f"; {report.stopped}" if report.stopped else ""))
    bad = [r for r in report.results if not r.ok]
    if bad:
        names = ", ".join(f"{r.name} {r.outcome.value}" for r in bad)
        raise StepFailed(f"{len(bad)} of {len(report.results)} host(s) not ok: {names}"
                         + _rollback_hint(report, bad))


def _rollback_hint(report: Any, bad: list[Any]) -> str:
    """How to undo what is left, when a host may still hold changes of this fleet run."""
    if not report.fleet_run or report.command == "rollback":
        return ""
    left = [r.name for r in bad if r.outcome == Outcome.UNKNOWN or (r.run_id and
                                                                    not r.rolled_back)]
    undo = f"'aim fleet.rollback --fleet-run {report.fleet_run}"
    if left:
        return f"; {undo}' reconciles and undoes {', '.join(left)}"
    return (f" (each failed host's own run rolled it back); {undo} --hosts all' undoes the "
            "hosts that are ok too")


def _run(c: Any, flags: dict[str, Any], command: Any) -> None:
    """Run ``command`` (a Command, or a function of the options giving one) on the fleet."""
    ws, options = _options(c, flags)
    report = run_command(ws, command(options) if callable(command) else command, options)
    _finish(report, RUN_HEADERS, run_rows(report), bool(flags.get("json")))


def _migrating(name: str, prefer: str | None) -> Any:
    """deploy or migrate: the inventory's secrets, if any, go to each host's aim on stdin."""
    if prefer not in (None, "legacy", "current"):
        raise InputError(f"--prefer {prefer!r}: use legacy or current")

    def command(options: Any) -> Command:
        pushes = bool(load_inventory(options.inventory).secrets)
        argv = [name, *(["--secrets-from", "stdin"] if pushes else []),
                *(["--prefer", prefer] if prefer else [])]
        return Command(name, tuple(argv), secrets=pushes, workflow=name)

    return command


def status(c: Any, **flags: Any) -> None:
    """Every host's config, secrets, health, drift and last run, one line per host."""
    ws, options = _options(c, flags)
    report = run_command(ws, Command("status", ("status",), journaled=False), options)
    _finish(report, STATUS_HEADERS, status_rows(report), bool(flags.get("json")))


def deploy(c: Any, **flags: Any) -> None:
    """Deploy AIM+ on every host (each host's own run rolls it back if it fails)."""
    _run(c, flags, _migrating("deploy", flags.get("prefer")))


def migrate(c: Any, **flags: Any) -> None:
    """Migrate every host's AI_MANGER install into aim_config.json and its keyring."""
    _run(c, flags, _migrating("migrate", flags.get("prefer")))


def validate(c: Any, **flags: Any) -> None:
    """Validate every host: config, keyring, tools, drift and health, with its report."""
    argv = ("validate", *(["--production"] if flags.get("production") else []))
    _run(c, flags, Command("validate", argv, workflow="validate"))


def versions(c: Any, root: str | None = None, inventory: str | None = None,
             hosts: str | None = None, forks: int = 10, timeout: int = 1800,
             accept_new_host_keys: bool = False, json: bool = False, dry_run: bool = False,
             serial: str | None = None, max_fail: str | None = None, sync: bool = False) -> None:
    """Every host's versions against its pins (--sync installs the pinned ones)."""
    if sync:
        _run(c, locals(), Command("versions-sync", ("versions", "--sync"), workflow="sync"))
        return
    ws, options = _options(c, {**locals(), "dry_run": False})
    report = run_command(ws, Command("versions", ("versions",), journaled=False), options)
    _finish(report, VERSION_HEADERS, version_rows(report), json)


def rollback(c: Any, root: str | None = None, inventory: str | None = None,
             hosts: str | None = None, forks: int = 10, timeout: int = 1800,
             accept_new_host_keys: bool = False, json: bool = False, dry_run: bool = False,
             serial: str | None = None, max_fail: str | None = None,
             fleet_run: str | None = None, force: bool = False) -> None:
    """Undo exactly the host runs of a fleet run (reconciling dropped hosts first)."""
    ws, options = _options(c, locals())
    target = fr.pick_fleet_run(ws, fleet_run)
    inv = load_inventory(options.inventory)
    names = fr.target_names(target, hosts, inv)
    known = {h.name: h for h in inv.hosts}
    missing = [n for n in names if n not in known]
    if missing:
        raise InputError(f"{options.inventory}: no host {', '.join(missing)} of fleet run "
                         f"{target.run_id}; rollback needs them in the inventory")
    extra = [*(["--force"] if force else []), *(["--dry-run"] if dry_run else [])]
    report = run_command(ws, Command("rollback"), options,
                         hosts=[known[n] for n in names], plan=fr.plan(target, extra),
                         early=fr.early(target), of=target.run_id)
    _finish(report, RUN_HEADERS, run_rows(report), json)


def runs(c: Any, root: str | None = None, json: bool = False, limit: int = 20) -> None:
    """List the fleet runs of this controller (newest last), from their journals."""
    found = list(fleet_runs(workspace(c, root)))[-limit:]
    if json:
        render.emit_json([fleet_run_dict(r) for r in found])
    elif found:
        render.say(render.table(RUNS_HEADERS, fleet_run_rows(found)))
    else:
        render.say("no fleet runs yet")


