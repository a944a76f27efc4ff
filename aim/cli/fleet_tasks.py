"""``aim fleet.*``: AIM+'s own tasks on every host of an inventory, over SSH (Fabric).

A fabric ``Connection`` is an invoke ``Context``, so each host runs the same ``aim`` program;
Fabric is an optional extra (``pip install 'aim-plus[fleet]'``), imported only here, inside
the tasks, so ``aim --help`` stays fast and the core stays light.  The fleet tasks take long
flags only (``-h`` would otherwise be ``--hosts``, not help).  See docs/fleet.md.
"""

from __future__ import annotations

from typing import Any

from invoke.collection import Collection
from invoke.tasks import task

from aim.cli.common import JSON_HELP, ROOT_HELP
from aim.cli.handler import handled
from aim.cli.lazy import implemented_by

BASE = {
    "root": ROOT_HELP, "json": JSON_HELP + " (one object per host)",
    "inventory": "the fleet inventory (default: fleet.yaml in the workspace root)",
    "hosts": "host or group names, comma-separated (default: every host)",
    "forks": "at most this many hosts at once (default 10)",
    "timeout": "seconds each host may take before its outcome is 'unknown' (default 1800)",
    "accept_new_host_keys": "trust a host key seen for the first time and add it to "
                            "known_hosts (a changed key is always refused)",
}
CHANGING = {
    **BASE,
    "dry_run": "each host prints its plan and changes nothing",
    "serial": "work in waves of N hosts or P% of them (default: one wave)",
    "max_fail": "start no new host once more than N hosts (or P%) are not ok (default: no "
                "limit)",
}
SECRETS_HELP = {**CHANGING, "prefer": "which side wins a conflicting setting on each host: "
                                      "legacy or current"}


@task(help=BASE, auto_shortflags=False)
@handled
@implemented_by("aim.cli.fleet_commands:status")
def status(c: Any, root: str | None = None, inventory: str | None = None,
           hosts: str | None = None, forks: int = 10, timeout: int = 1800,
           accept_new_host_keys: bool = False, json: bool = False) -> None:
    """Every host's config, secrets, health, drift and last run, one line per host."""


@task(help=SECRETS_HELP, auto_shortflags=False)
@handled
@implemented_by("aim.cli.fleet_commands:deploy")
def deploy(c: Any, root: str | None = None, inventory: str | None = None,
           hosts: str | None = None, forks: int = 10, timeout: int = 1800,
           accept_new_host_keys: bool = False, json: bool = False, dry_run: bool = False,
           serial: str | None = None, max_fail: str | None = None,
           prefer: str | None = None) -> None:
    """Deploy AIM+ on every host (each host's own run rolls it back if it fails)."""


@task(help=SECRETS_HELP, auto_shortflags=False)
@handled
@implemented_by("aim.cli.fleet_commands:migrate")
def migrate(c: Any, root: str | None = None, inventory: str | None = None,
            hosts: str | None = None, forks: int = 10, timeout: int = 1800,
            accept_new_host_keys: bool = False, json: bool = False, dry_run: bool = False,
            serial: str | None = None, max_fail: str | None = None,
            prefer: str | None = None) -> None:
    """Migrate every host's AI_MANGER install into aim_config.json and its keyring."""


@task(help={**CHANGING, "production": "also run the production checklist on each host"},
      auto_shortflags=False)
@handled
@implemented_by("aim.cli.fleet_commands:validate")
def validate(c: Any, root: str | None = None, inventory: str | None = None,
             hosts: str | None = None, forks: int = 10, timeout: int = 1800,
             accept_new_host_keys: bool = False, json: bool = False, dry_run: bool = False,
             serial: str | None = None, max_fail: str | None = None,
             production: bool = False) -> None:
    """Validate every host: config, keyring, tools, drift and health, with its report."""


@task(help={**CHANGING, "sync": "install the pinned versions on each host (its 'sync' run; "
                                "fleet.rollback undoes it)"}, auto_shortflags=False)
@handled
@implemented_by("aim.cli.fleet_commands:versions")
def versions(c: Any, root: str | None = None, inventory: str | None = None,
             hosts: str | None = None, forks: int = 10, timeout: int = 1800,
             accept_new_host_keys: bool = False, json: bool = False, dry_run: bool = False,
             serial: str | None = None, max_fail: str | None = None, sync: bool = False) -> None:
    """Every host's versions against its pins (--sync installs the pinned ones)."""


@task(help={**CHANGING,
            "hosts": "failed (default: the hosts not ok), all, or host and group names",
            "fleet_run": "the fleet run to undo (default: the newest fleet deploy, migrate "
                         "or versions --sync; see fleet.runs)",
            "force": "overwrite files changed on a host after its run (they are named first)"},
      auto_shortflags=False)
@handled
@implemented_by("aim.cli.fleet_commands:rollback")
def rollback(c: Any, root: str | None = None, inventory: str | None = None,
             hosts: str | None = None, forks: int = 10, timeout: int = 1800,
             accept_new_host_keys: bool = False, json: bool = False, dry_run: bool = False,
             serial: str | None = None, max_fail: str | None = None,
             fleet_run: str | None = None, force: bool = False) -> None:
    """Undo exactly the host runs of a fleet run (reconciling dropped hosts first)."""


@task(help={"root": ROOT_HELP, "json": JSON_HELP, "limit": "show only the newest N fleet runs"},
      auto_shortflags=False)
@handled
@implemented_by("aim.cli.fleet_commands:runs")
def runs(c: Any, root: str | None = None, json: bool = False, limit: int = 20) -> None:
    """List the fleet runs of this controller (newest last), from their journals."""


collection = Collection("fleet", status, deploy, migrate, validate, versions, rollback, runs)
