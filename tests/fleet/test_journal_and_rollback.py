"""The fleet journal read back, and which host runs a fleet.rollback undoes (never "latest")."""

from __future__ import annotations

from pathlib import Path

import pytest

from aim.errors import InputError, NotFound
from aim.fleet.inventory import Host, Inventory
from aim.fleet.journal import FleetJournal, HostEntry, fleet_run_ids, read_fleet_run
from aim.fleet.rollback import decide, pick_fleet_run, reconcile, target_names
from aim.workspace import Workspace

INV = Inventory(Path("fleet.yaml"), tuple(Host(n, n, "/r") for n in ("a", "b", "c", "d")),
                (("ab", ("a", "b")),))


def deploy_run(ws: Workspace, run_id: str = "20260101T000000.000000Z-fleet-deploy-0001") -> str:
    """A fleet deploy: a ok, b failed (rolled back by its run), c dropped, d unreachable."""
    journal = FleetJournal(ws, run_id)
    journal.write("start", command="deploy", hosts=["a", "b", "c", "d"])
    for name, before in (("a", "A0"), ("b", None), ("c", "C0")):
        journal.write("host_start", host=name)
        journal.write("baseline", host=name, runs_before=before)
    journal.write("host_start", host="d")
    journal.write("host_end", host="a", outcome="ok", run_id="A1", status="success")
    journal.write("host_end", host="b", outcome="failed", run_id="B1", status="failed",
                  rolled_back=True)
    journal.write("host_end", host="c", outcome="unknown", run_id=None)
    journal.write("host_end", host="d", outcome="unreachable", reason="connection refused")
    journal.write("end", counts={"ok": 1})
    journal.close()
    return run_id


def test_the_journal_reads_back_each_host_s_pinned_run(tmp_path: Path) -> None:
    ws = Workspace.at(tmp_path)
    run = read_fleet_run(ws, deploy_run(ws))
    assert run.command == "deploy" and run.counts == {"ok": 1} and run.ended
    assert run.hosts["a"].run_id == "A1" and run.hosts["a"].runs_before == "A0"
    assert run.hosts["b"].baselined and run.hosts["b"].runs_before is None
    assert not run.hosts["d"].baselined and run.hosts["d"].outcome == "unreachable"
    path = ws.state_dir / "fleet" / run.run_id / "journal.jsonl"
    assert path.stat().st_mode & 0o077 == 0
    with pytest.raises(NotFound, match=r"no fleet run 'nope'.*fleet\.runs"):
        read_fleet_run(ws, "nope")


def test_a_bare_rollback_picks_the_newest_fleet_deploy_not_a_status_or_rollback(
        tmp_path: Path) -> None:
    ws = Workspace.at(tmp_path)
    first = deploy_run(ws)
    later = FleetJournal(ws, "20260102T000000.000000Z-fleet-rollback-0002")
    later.write("start", command="rollback", hosts=[], of=first)
    later.close()
    assert fleet_run_ids(ws)[-1].endswith("rollback-0002")
    assert pick_fleet_run(ws, None).run_id == first
    with pytest.raises(InputError, match="started no runs to undo"):
        pick_fleet_run(ws, "20260102T000000.000000Z-fleet-rollback-0002")


def test_hosts_failed_all_or_names(tmp_path: Path) -> None:
    ws = Workspace.at(tmp_path)
    run = read_fleet_run(ws, deploy_run(ws))
    assert target_names(run, None, INV) == ["b", "c", "d"]
    assert target_names(run, "all", INV) == ["a", "b", "c", "d"]
    assert target_names(run, "ab", INV) == ["a", "b"]


def test_what_happens_on_each_host(tmp_path: Path) -> None:
    ws = Workspace.at(tmp_path)
    run = read_fleet_run(ws, deploy_run(ws))
    assert decide(run.hosts["a"]).action == "undo" and decide(run.hosts["a"]).run_id == "A1"
    assert decide(run.hosts["b"]).action == "skip"  # its own run rolled it back already
    assert "already rolled back" in decide(run.hosts["b"]).why
    assert decide(run.hosts["d"]).action == "skip"
    assert "connection refused" in decide(run.hosts["d"]).why


ROWS = [{"run_id": "C0", "workflow": "deploy", "status": "success"},
        {"run_id": "C1", "workflow": "validate", "status": "success"},
        {"run_id": "C2", "workflow": "deploy", "status": "success"},
        {"run_id": "C3", "workflow": "deploy", "status": "running"}]


def test_a_dropped_host_is_reconciled_from_its_own_runs_never_latest() -> None:
    entry = HostEntry("c", started="t", runs_before="C1", baselined=True)
    found = reconcile(entry, ROWS[:3], "deploy")
    assert (found.run_id, found.status) == ("C2", "success")
    assert decide(entry, found).action == "undo" and decide(entry, found).run_id == "C2"
    running = reconcile(HostEntry("c", runs_before="C2", baselined=True), ROWS, "deploy")
    assert (running.run_id, decide(HostEntry("c"), running).action) == ("C3", "wait")
    several = reconcile(HostEntry("c", runs_before="C0", baselined=True), ROWS, "deploy")
    assert several.run_id is None and "several deploy runs" in several.why
    none = reconcile(HostEntry("c", runs_before="C3", baselined=True), ROWS, "deploy")
    assert none.run_id is None and decide(HostEntry("c"), none).action == "skip"


def test_a_pinned_run_is_looked_up_by_its_id() -> None:
    entry = HostEntry("c", result={"run_id": "C0", "outcome": "unknown"})
    assert reconcile(entry, ROWS, "deploy").run_id == "C0"
    rolled = [{"run_id": "C0", "workflow": "deploy", "status": "rolled_back"}]
    assert decide(entry, reconcile(entry, rolled, "deploy")).action == "skip"
