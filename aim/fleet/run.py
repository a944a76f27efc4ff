"""The worker pool: at most ``--forks`` hosts at once, wave after wave, ``--max-fail`` brakes.

Fabric's ``ThreadingGroup`` starts one thread per host with no cap and joins them with no
timeout; this pool starts a host only when a worker is free, and each host's job carries its
own time limits (connect and ``--timeout``, in the transport).  Once more hosts than
``--max-fail`` allows are not ok, no new host is started — those already running finish —
and the hosts never started are reported as ``skipped``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from aim.fleet.inventory import Host
from aim.fleet.outcome import HostResult, Outcome
from aim.fleet.select import Count, FailBudget, waves
from aim.redact import redact

Job = Callable[[Host, int], HostResult]  # (host, wave index) -> its result
WaveHook = Callable[[int, tuple[Host, ...]], None]


@dataclass(frozen=True)
class PoolOptions:
    """``--forks``, ``--serial`` and ``--max-fail`` of one fleet command."""

    forks: int = 10
    serial: Count | None = None
    max_fail: Count | None = None


@dataclass
class PoolResult:
    """Every host's result, in inventory order, and why the fleet stopped early (if it did)."""

    results: list[HostResult]
    stopped: str | None = None


@dataclass
class _State:
    budget: FailBudget
    results: dict[str, HostResult] = field(default_factory=dict)
    failures: int = 0
    stopped: str | None = None

    def record(self, result: HostResult) -> None:
        self.results[result.name] = result
        if result.ok:
            return
        self.failures += 1
        if self.stopped is None and self.budget.exceeded(self.failures):
            self.stopped = (f"--max-fail {self.budget.limit} was passed ({self.failures} host(s) "
                            "not ok): no further host was started")


def run_pool(hosts: Sequence[Host], job: Job, options: PoolOptions,
             on_wave: WaveHook | None = None) -> PoolResult:
    """Run ``job`` on every host, wave by wave, at most ``options.forks`` at a time."""
    state = _State(FailBudget(options.max_fail, len(hosts)))
    with ThreadPoolExecutor(max_workers=max(1, options.forks),
                            thread_name_prefix="aim-fleet") as pool:
        for index, wave in enumerate(waves(hosts, options.serial)):
            if state.stopped:
                break
            if on_wave is not None:
                on_wave(index, wave)
            _run_wave(pool, wave, index, job, options.forks, state)
    results = [state.results.get(h.name) or _skipped(h, state.stopped) for h in hosts]
    return PoolResult(results, state.stopped)


def _run_wave(pool: ThreadPoolExecutor, wave: tuple[Host, ...], index: int, job: Job,
              forks: int, state: _State) -> None:
    pending = deque(wave)
    running: dict[Future[HostResult], Host] = {}
    while pending or running:
        while pending and len(running) < max(1, forks) and state.stopped is None:
            host = pending.popleft()
            running[pool.submit(job, host, index)] = host
        if not running:
            return
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            state.record(_result_of(future, running.pop(future)))


def _result_of(future: Future[HostResult], host: Host) -> HostResult:
    try:
        return future.result()
    except Exception as err:  # a bug in a job must not lose the other hosts' results
        return HostResult(host.name, Outcome.UNKNOWN,
                          reason=redact(f"internal error: {type(err).__name__}: {err}"))


def _skipped(host: Host, why: str | None) -> HostResult:
    return HostResult(host.name, Outcome.SKIPPED, reason=why or "not started")
