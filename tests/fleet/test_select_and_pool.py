"""Host selection, --serial waves, --max-fail, the --forks cap, and outcomes from exit codes."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from aim.errors import InputError
from aim.fleet.inventory import Host, Inventory
from aim.fleet.outcome import Exec, HostResult, Outcome, classify, from_exec
from aim.fleet.run import PoolOptions, run_pool
from aim.fleet.select import Count, FailBudget, parse_count, select_hosts, wave_size, waves

HOSTS = tuple(Host(f"h{i}", f"h{i}", "/r") for i in range(1, 11))
INV = Inventory(Path("fleet.yaml"), HOSTS, (("odd", ("h1", "h3", "h5")), ("one", ("h1",))))


def names(hosts: tuple[Host, ...] | list[Host]) -> list[str]:
    return [h.name for h in hosts]


def test_hosts_by_name_and_group_in_inventory_order_each_once() -> None:
    assert names(select_hosts(INV, None)) == names(HOSTS)
    assert names(select_hosts(INV, "h4,odd,one")) == ["h1", "h3", "h4", "h5"]
    with pytest.raises(InputError, match=r"no host or group named 'od' \(did you mean 'odd'\?\)"):
        select_hosts(INV, "h2,od")


@pytest.mark.parametrize(("text", "expected"), [
    ("3", Count(3)), ("25%", Count(25, True)), (None, None), ("0", Count(0))])
def test_counts_are_a_number_or_a_percentage(text: str | None, expected: Count | None) -> None:
    assert parse_count(text, "--max-fail") == expected


@pytest.mark.parametrize("text", ["x", "-1", "3.5", "150%"])
def test_a_bad_count_is_bad_input(text: str) -> None:
    with pytest.raises(InputError, match="--serial"):
        parse_count(text, "--serial", minimum=1)


def test_waves_cut_the_hosts_by_number_or_percentage() -> None:
    assert [names(w) for w in waves(HOSTS[:5], Count(2))] == [["h1", "h2"], ["h3", "h4"], ["h5"]]
    assert wave_size(Count(25, True), 10) == 2 and wave_size(Count(5, True), 10) == 1
    assert wave_size(None, 10) == 10 and len(waves(HOSTS, None)) == 1


def test_the_failure_budget() -> None:
    assert not FailBudget(None, 10).exceeded(10)
    assert FailBudget(Count(0), 10).exceeded(1)
    assert not FailBudget(Count(2), 10).exceeded(2) and FailBudget(Count(2), 10).exceeded(3)
    assert not FailBudget(Count(20, True), 10).exceeded(2)
    assert FailBudget(Count(20, True), 10).exceeded(3)


class Recorder:
    """A fake job: sleeps, records how many ran at once, fails the hosts it is told to."""

    def __init__(self, failing: set[str] = frozenset(), pause: float = 0.02) -> None:
        self.failing, self.pause = failing, pause
        self.running = self.most = 0
        self.started: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, host: Host, wave: int) -> HostResult:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
            self.started.append(host.name)
        time.sleep(self.pause)
        with self.lock:
            self.running -= 1
        return HostResult(host.name, Outcome.FAILED if host.name in self.failing else Outcome.OK)


def test_forks_caps_the_hosts_that_run_at_once() -> None:
    for forks in (1, 3):
        job = Recorder()
        done = run_pool(HOSTS, job, PoolOptions(forks=forks))
        assert job.most == forks and [r.outcome for r in done.results] == [Outcome.OK] * 10


def test_max_fail_stops_starting_new_hosts_and_the_rest_are_skipped() -> None:
    job = Recorder(failing={"h2"})
    done = run_pool(HOSTS, job, PoolOptions(forks=1, max_fail=Count(0)))
    assert job.started == ["h1", "h2"]
    assert [r.outcome.value for r in done.results[:3]] == ["ok", "failed", "skipped"]
    assert done.stopped and "--max-fail 0 was passed" in done.results[9].reason


def test_a_wave_starts_only_after_the_one_before_it_ended_and_a_failure_ends_the_waves() -> None:
    job = Recorder(failing={"h3"})
    waves_seen: list[list[str]] = []
    done = run_pool(HOSTS, job, PoolOptions(forks=10, serial=Count(3), max_fail=Count(0)),
                    on_wave=lambda i, wave: waves_seen.append(names(wave)))
    assert waves_seen == [["h1", "h2", "h3"]] and sorted(job.started) == ["h1", "h2", "h3"]
    assert {r.outcome for r in done.results[3:]} == {Outcome.SKIPPED}


def test_a_job_that_raises_is_one_unknown_host_not_a_lost_fleet() -> None:
    def job(host: Host, wave: int) -> HostResult:
        if host.name == "h2":
            raise RuntimeError("boom")
        return HostResult(host.name, Outcome.OK)

    done = run_pool(HOSTS[:3], job, PoolOptions())
    assert [r.outcome.value for r in done.results] == ["ok", "unknown", "ok"]
    assert "RuntimeError: boom" in done.results[1].reason


@pytest.mark.parametrize(("exited", "outcome"), [
    (0, "ok"), (1, "failed"), (2, "bad_input"), (3, "failed"), (4, "locked"), (127, "bad_input"),
    (130, "failed"), (-1, "unknown")])
def test_outcomes_follow_aim_s_exit_codes_and_a_dropped_transport_is_unknown(
        exited: int, outcome: str) -> None:
    assert classify(Exec(exited, "", "error: x", 1.0))[0].value == outcome


def test_a_dropped_or_timed_out_host_is_unknown_with_no_exit_code() -> None:
    dropped = from_exec("h1", Exec(-1, "", "", 3.0))
    assert (dropped.outcome, dropped.exit_code) == (Outcome.UNKNOWN, None)
    assert "connection dropped" in dropped.reason and "reconciles" in dropped.reason
    late = from_exec("h1", Exec(-1, "", "", 9.0, timed_out=True), timeout=5)
    assert late.outcome == Outcome.UNKNOWN and "within 5s" in late.reason


def test_a_failed_run_s_json_gives_its_run_id_step_and_reason() -> None:
    out = ('{"run_id": "R1", "status": "failed", "failed_step": "production", '
           '"reason": "tests failed", "rolled_back": true}')
    result = from_exec("h2", Exec(1, out, "error: run R1 failed at production", 4.2))
    assert (result.run_id, result.status, result.failed_step, result.rolled_back) == (
        "R1", "failed", "production", True)
    assert result.reason == "tests failed" and result.to_dict()["duration"] == 4.2
