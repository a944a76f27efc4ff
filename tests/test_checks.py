"""The one check runner: a check that breaks or hangs is its own ``fail``, never the caller's
crash or wait; the words and lines every command shows come from one place."""

from __future__ import annotations

import functools
import threading
import time

from aim import redact
from aim.checks import Check, CheckResult, Status, line, result, run_checks, step_line, worst
from aim.errors import ConfigError


def ok(name: str) -> Check:
    return Check(name, lambda: result(name, Status.OK, "fine"))


def test_an_error_inside_a_check_is_its_fail_with_the_error_shown() -> None:
    redact.register("tok-3c1d9a-secret")

    def broken() -> CheckResult:
        raise RuntimeError("token tok-3c1d9a-secret refused")

    def no_config() -> CheckResult:
        raise ConfigError("aim_config.json: no config file here")

    found = run_checks([ok("a"), Check("b", broken, "the b item"), Check("c", no_config), ok("d")])
    assert [(r.name, r.status) for r in found] == [
        ("a", Status.OK), ("b", Status.FAIL), ("c", Status.FAIL), ("d", Status.OK)]
    assert found[1].summary == "the check itself failed: RuntimeError: token *** refused"
    assert found[1].title == "the b item" and "please report" in found[1].hint
    assert found[2].summary == "the c check could not run: aim_config.json: no config file here"
    assert worst(found) is Status.FAIL


def test_a_check_past_its_time_limit_fails_and_is_not_waited_for() -> None:
    def hung() -> CheckResult:
        time.sleep(5)
        return result("hung", Status.OK, "too late")

    for concurrent, workers in ((False, None), (True, None), (True, 1)):
        started = time.monotonic()  # one place (workers=1): the hung check must give it up
        found = run_checks([Check("hung", hung), ok("after")], timeout=0.2,
                           concurrent=concurrent, workers=workers,
                           timeout_hint="find what blocks it")
        assert time.monotonic() - started < 2.5
        assert (found[0].status, found[0].summary, found[0].hint) == (
            Status.FAIL, "did not finish within 0.2s", "find what blocks it")
        assert found[1].status is Status.OK


def test_concurrent_checks_run_at_once() -> None:
    def slow(name: str) -> Check:
        return Check(name, lambda: (time.sleep(0.3), result(name, Status.OK, "done"))[1])

    started = time.monotonic()
    found = run_checks([slow(f"c{i}") for i in range(5)], timeout=5, concurrent=True)
    assert time.monotonic() - started < 5 * 0.3 and worst(found) is Status.OK


def test_at_most_workers_run_at_once_each_within_its_own_time_limit() -> None:
    lock, running, most = threading.Lock(), [0], [0]

    def slow(name: str) -> CheckResult:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.2)
        with lock:
            running[0] -= 1
        return result(name, Status.OK, "done")

    checks = [Check(f"c{i}", functools.partial(slow, f"c{i}")) for i in range(10)]
    found = run_checks(checks, timeout=0.3, concurrent=True, workers=2)
    # 5 rounds of 0.2 s: limits counted from the start of the batch would fail the last ones
    assert [r.status for r in found] == [Status.OK] * 10 and most[0] == 2
    assert [r.name for r in found] == [f"c{i}" for i in range(10)]


def test_a_check_step_shows_its_verdict_and_any_other_step_its_status() -> None:
    verdict = result("secrets", Status.WARN, "1 of 2 secrets missing from the keyring (B)",
                     "set each with 'aim secrets.set NAME'").to_dict()
    assert step_line("secrets", "success", "", {"verdict": verdict}) == (
        "    warn  secrets: 1 of 2 secrets missing from the keyring (B) — set each with "
        "'aim secrets.set NAME'")
    assert step_line("write", "success", "", {"changed": True}) == " success  write"
    assert step_line("secrets", "failed", "boom", {"verdict": verdict}) == "  failed  secrets: boom"
    assert line(result("x", Status.OK, "fine", "not shown when ok")) == "      ok  x: fine"
    assert f"{Status.WARN}" == "warn" and CheckResult.from_dict(verdict).to_dict() == verdict
