"""``aim fleet.*`` against three real hosts: local users behind our own sshd on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import pytest

from tests.fleet.fleetutil import Sampler, controller, files_holding, forms
from tests.fleet.sshd import AIM, OTHER, Fleet, FleetHost, free_port
from tests.treeutil import snapshot_tree

pytestmark = pytest.mark.fleet

SECRETS = {name: f"fleet-pushed-{name.lower()}-8c1f0e9a7b" for name in
           ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "GITHUB_TOKEN")}
# passes before the deploy, fails once the deploy has moved AUX_mcp-data into docs/
BREAKS_AFTER_CONSOLIDATE = "test -d AUX_mcp-data || { echo 'tests: 1 failed' >&2; exit 3; }"


def entries(host: FleetHost) -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads(host.keyring.read_text())["entries"]
    return data


def write_config(host: FleetHost, config: dict[str, object]) -> None:
    path = host.root / "aim_config.json"
    path.write_text(json.dumps(config, indent=2) + "\n")
    shutil.chown(path, host.user, host.user)


def host_aim(host: FleetHost, *args: str) -> subprocess.CompletedProcess[str]:
    """``aim ARGS`` run on the host directly, as its user (not through the fleet)."""
    env = [f"{k}={v}" for k, v in host.env.items()]
    return subprocess.run(["runuser", "-u", host.user, "--", "env", f"HOME={host.home}", *env,
                           str(AIM), *args, "--root", str(host.root)],
                          capture_output=True, text=True, timeout=120, cwd="/")


def test_status_reports_every_host_and_an_unknown_host_key_is_refused(
        hosts: Fleet, tmp_path: Path) -> None:
    ctl = controller(hosts, tmp_path)
    done, rows = ctl.hosts_json("fleet.status")
    assert done.returncode == 0, done.stderr
    assert sorted(rows) == ["h1", "h2", "h3"]
    assert {r["outcome"] for r in rows.values()} == {"ok"}
    assert all(r["exit_code"] == 0 and r["duration"] > 0 for r in rows.values())
    assert [c["name"] for c in rows["h1"]["data"]["checks"]] == ["config", "secrets", "health",
                                                                "versions"]
    hosts.distrust()
    refused, rows = ctl.hosts_json("fleet.status")
    assert refused.returncode == 1
    assert {r["outcome"] for r in rows.values()} == {"unreachable"}
    assert "is not in" in rows["h2"]["reason"] and "--accept-new-host-keys" in rows["h2"]["reason"]
    assert rows["h2"]["data"] is None  # nothing ran there
    accepted = ctl.aim("fleet.status", "--accept-new-host-keys")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert hosts.known_hosts.read_text().split() == hosts.host_key_line().split()


def test_a_host_on_a_dead_port_is_unreachable_not_a_traceback(hosts: Fleet,
                                                               tmp_path: Path) -> None:
    dead = {"name": "dead", "ssh": f"nobody@127.0.0.1:{free_port()}", "root": "/srv/aim"}
    ctl = controller(hosts, tmp_path, hosts=[dead])
    table = ctl.aim("fleet.status")
    assert table.returncode == 1 and "Traceback" not in table.stdout + table.stderr
    assert "connection refused" in table.stdout
    assert table.stderr.startswith("error: 1 of 4 host(s) not ok: dead unreachable")
    _, rows = ctl.hosts_json("fleet.status")
    assert rows["dead"]["outcome"] == "unreachable" and rows["dead"]["exit_code"] is None
    assert [rows[n]["outcome"] for n in ("h1", "h2", "h3")] == ["ok", "ok", "ok"]


def test_deploy_rolls_back_the_broken_host_deploys_the_others_and_leaks_no_secret(
        hosts: Fleet, tmp_path: Path) -> None:
    h1, h2, h3 = hosts.hosts
    write_config(h2, {"version": 1, "deploy": {"test_command": BREAKS_AFTER_CONSOLIDATE}})
    before = snapshot_tree(h2.root), entries(h2)
    ctl = controller(hosts, tmp_path, secrets_=sorted(SECRETS))
    ctl.put_secrets(SECRETS)
    with Sampler() as sampler:
        done, rows = ctl.hosts_json("fleet.deploy")
    assert done.returncode == 1
    assert done.stderr.startswith("error: 1 of 3 host(s) not ok: h2 failed (each failed host's "
                                  "own run rolled it back)")
    assert rows["h2"]["outcome"] == "failed" and rows["h2"]["exit_code"] == 1
    assert rows["h2"]["failed_step"] == "production" and rows["h2"]["rolled_back"] is True
    assert (snapshot_tree(h2.root), entries(h2)) == before
    for host in (h1, h3):
        assert rows[host.name]["outcome"] == "ok" and rows[host.name]["status"] == "success"
        assert entries(host)["aim"] == SECRETS
        assert (host.root / ".aim" / "runs" / rows[host.name]["run_id"]).is_dir()
    # the secrets went over stdin: never on a command line or in an environment, anywhere
    needles = forms(SECRETS)
    seen = b"\n".join(sampler.commands())
    assert b"--secrets-from\x00stdin" in seen or b"--secrets-from stdin" in seen
    assert not [s for s in sampler.seen if any(n in s for n in needles)]
    for host in hosts.hosts:
        assert files_holding(host.home, needles, {host.keyring}) == []
    assert files_holding(ctl.root, needles, set()) == []
    assert not any(n.decode() in done.stdout + done.stderr for n in needles)


def test_rollback_all_undoes_exactly_the_pinned_runs_and_restores_every_host(
        hosts: Fleet, tmp_path: Path) -> None:
    before = {h.name: (snapshot_tree(h.root), entries(h)) for h in hosts.hosts}
    ctl = controller(hosts, tmp_path, secrets_=sorted(SECRETS))
    ctl.put_secrets(SECRETS)
    deployed, rows = ctl.hosts_json("fleet.deploy")
    assert deployed.returncode == 0, deployed.stderr
    pinned = {name: row["run_id"] for name, row in rows.items()}
    fleet_run = rows["h1"]["fleet_run"]
    for host in hosts.hosts:  # a newer run on every host: "latest" there is no longer the deploy
        backup = host_aim(host, "backup")
        assert backup.returncode == 0, backup.stdout + backup.stderr
    undone, rows = ctl.hosts_json("fleet.rollback", "--hosts", "all", "--fleet-run", fleet_run)
    assert undone.returncode == 0, undone.stdout + undone.stderr
    for host in hosts.hosts:
        row = rows[host.name]
        assert row["outcome"] == "ok" and row["data"]["steps"][0]["outputs"]["run"] == \
            pinned[host.name]
        tree, keyring = before[host.name]
        now = entries(host)
        assert snapshot_tree(host.root) == tree
        # the rollback keeps what it removed under its own checkpoint service (so that it can
        # itself be undone); every other entry is exactly as before
        kept = {s: e for s, e in now.items() if not s.startswith("aim-checkpoint/")}
        assert kept == keyring == {OTHER[0]: {OTHER[1]: OTHER[2]}}
        assert [s for s in now if s not in kept] == [f"aim-checkpoint/{row['run_id']}"]


def _intervals(ctl: object, fleet_run: str) -> list[tuple[datetime, datetime]]:
    events = ctl.journal(fleet_run)  # type: ignore[attr-defined]
    start = {e["host"]: datetime.fromisoformat(e["at"]) for e in events
             if e["event"] == "host_start"}
    end = {e["host"]: datetime.fromisoformat(e["at"]) for e in events
           if e["event"] == "host_end"}
    return sorted((start[name], end[name]) for name in start)


def test_forks_1_runs_hosts_one_at_a_time_and_max_fail_0_stops_at_the_first_failure(
        hosts: Fleet, tmp_path: Path) -> None:
    for host in hosts.hosts:
        write_config(host, {"version": 1})
    ctl = controller(hosts, tmp_path)
    one, rows = ctl.hosts_json("fleet.validate", "--forks", "1")
    assert one.returncode == 0, one.stderr
    spans = _intervals(ctl, rows["h1"]["fleet_run"])
    assert len(spans) == 3 and all(a[1] <= b[0] for a, b in pairwise(spans))
    three, rows = ctl.hosts_json("fleet.validate", "--forks", "3")
    spans = _intervals(ctl, rows["h1"]["fleet_run"])
    assert three.returncode == 0 and any(a[1] > b[0] for a, b in pairwise(spans))
    (hosts.hosts[0].root / "aim_config.json").write_text("{ broken")
    stopped, rows = ctl.hosts_json("fleet.validate", "--forks", "1", "--max-fail", "0")
    assert stopped.returncode == 1
    assert [rows[n]["outcome"] for n in ("h1", "h2", "h3")] == ["bad_input", "skipped",
                                                               "skipped"]
    assert "--max-fail 0 was passed" in rows["h2"]["reason"]
    started = [e["host"] for e in ctl.journal(rows["h1"]["fleet_run"])
               if e["event"] == "host_start"]
    assert started == ["h1"]


def test_a_dropped_connection_is_unknown_then_reconciled_and_rolled_back(
        hosts: Fleet, tmp_path: Path) -> None:
    h2 = hosts.hosts[1]
    before = snapshot_tree(h2.root), entries(h2)
    ctl = controller(hosts, tmp_path, aim={"h2": str(hosts.dropping_aim())})
    done, rows = ctl.hosts_json("fleet.deploy")
    assert done.returncode == 1 and rows["h2"]["outcome"] == "unknown"
    assert "reconciles and undoes h2" in done.stderr
    assert rows["h2"]["exit_code"] is None and "connection dropped" in rows["h2"]["reason"]
    assert rows["h1"]["outcome"] == rows["h3"]["outcome"] == "ok"
    # the deploy went on on h2 without its connection; wait for it to end there
    deadline = time.monotonic() + 120
    while (h2.root / ".aim" / "lock").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    [run_id] = [p.name for p in (h2.root / ".aim" / "runs").iterdir() if "-deploy-" in p.name]
    undone, rows = ctl.hosts_json("fleet.rollback")  # --hosts failed: every host not ok
    assert undone.returncode == 0, undone.stdout + undone.stderr
    assert sorted(rows) == ["h2"] and rows["h2"]["data"]["steps"][0]["outputs"]["run"] == run_id
    reconciled = [e for e in ctl.journal(rows["h2"]["fleet_run"]) if e["event"] == "reconciled"]
    assert [(e["host"], e["run_id"], e["status"]) for e in reconciled] == [
        ("h2", run_id, "success")]
    tree, keyring = before
    assert snapshot_tree(h2.root) == tree
    assert {s: e for s, e in entries(h2).items() if not s.startswith("aim-checkpoint/")} == \
        keyring
