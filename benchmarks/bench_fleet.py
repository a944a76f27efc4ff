"""``aim fleet.status`` / ``fleet.deploy`` / ``fleet.rollback`` on three hosts, each beside its
floor: the same host commands (``remote_command``) over plain OpenSSH, the three hosts at once,
measured in alternating pairs in one run.

The hosts are local users behind our own sshd on 127.0.0.1, as in the fleet tests
(tests/fleet/sshd.py): this needs root and Debian's openssh-server (``.ci/run`` installs it),
and the figures say FAILED, with why, on a machine without them.  Every deploy starts from
fresh sample workspaces, and every rollback undoes a deploy made just before (untimed).
"""

from __future__ import annotations

import os
import statistics
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.measure import in_turn

ROUNDS = int(os.environ.get("AIM_BENCH_FLEET_ROUNDS", "3"))
HOSTS = 3


def run(workdir: Path) -> list[dict[str, Any]]:
    from tests.fleet.conftest import SSHD
    from tests.fleet.fleetutil import controller
    from tests.fleet.sshd import Fleet

    if os.geteuid() != 0 or not SSHD.exists():
        raise RuntimeError("the fleet figures need root and Debian's openssh-server "
                           "(apt-get install openssh-server; .ci/run does both)")
    fleet = Fleet(workdir / "controller-home")
    try:
        fleet.start(HOSTS)
        return _figures(fleet, controller(fleet, workdir))
    finally:
        fleet.close()


def _figures(fleet: Any, ctl: Any) -> list[dict[str, Any]]:
    from aim.fleet.hostjob import remote_command
    from aim.fleet.inventory import load_inventory

    hosts = load_inventory(ctl.inventory).hosts
    config = fleet.home / ".ssh" / "config"

    def fleet_cmd(*args: str) -> Callable[[], None]:
        """The fleet command, ``--json`` as the hosts answer; every host must come back ok."""
        def call() -> None:
            done, rows = ctl.hosts_json(*args)
            outcomes = [row["outcome"] for row in rows.values()]
            assert done.returncode == 0 and outcomes == ["ok"] * HOSTS, done.stdout
        return call

    def plain_ssh(*argv: str) -> Callable[[], None]:
        """The hosts' own command, over ``ssh`` to all three at once."""
        def call() -> None:
            procs = [subprocess.Popen(
                ["ssh", "-F", str(config), "-o", f"UserKnownHostsFile={fleet.known_hosts}",
                 "-o", "BatchMode=yes", host.ssh, remote_command(host, argv)],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for host in hosts]
            for proc in procs:
                _, err = proc.communicate(timeout=300)
                assert proc.returncode == 0, err.decode()
        return call

    def fresh() -> None:
        for host in fleet.hosts:
            fleet.reset(host)

    def deployed() -> None:
        fresh()
        fleet_cmd("fleet.deploy")()

    times = in_turn({
        ("status", "ours"): (fleet_cmd("fleet.status"), None),
        ("status", "floor"): (plain_ssh("status"), None),
        ("deploy", "ours"): (fleet_cmd("fleet.deploy"), fresh),
        ("deploy", "floor"): (plain_ssh("deploy"), fresh),
        ("rollback", "ours"): (fleet_cmd("fleet.rollback", "--hosts", "all"), deployed),
        ("rollback", "floor"): (plain_ssh("rollback"), deployed),
    }, ROUNDS)
    figures = []
    for name in ("status", "deploy", "rollback"):
        ours_s = statistics.median(times[name, "ours"])
        floor_s = statistics.median(times[name, "floor"])
        figures += [
            {"name": f"aim fleet.{name}, {HOSTS} hosts", "value": ours_s, "unit": "s",
             "note": f"floor: 'aim {name}' on the {HOSTS} hosts at once over plain ssh "
                     f"{floor_s:.2f} s; median of {ROUNDS} pairs"},
            {"name": f"aim fleet.{name} / plain ssh", "value": ours_s / floor_s, "unit": "x",
             "note": "the fleet's own part: Fabric connections, its journal, each host's "
                     "'aim runs' to pin the run (deploy, rollback)"},
        ]
    return figures
